// The API's request schemas: each bad body is refused with the sentence a person reads (field named, shape said),
// each good one comes out typed and normalised.
import { describe, expect, it } from 'vitest';
import { parseCancelRequest, parseReconnectRequest, parseRpcRequest, SessionError } from '@/lib/sessions';
import { parseGuidedStepRequest } from '@/lib/sessions/auth-guided';
import { parseListenFilter, parseLogLevel, parsePendingAnswer, parseRoots } from '@/lib/sessions/client-ops';
import { parseSkillLoad } from '@/lib/sessions/skills';

function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(SessionError);
    expect((error as SessionError).code).toBe('invalid_request');
    return (error as SessionError).message;
  }
  throw new Error('expected the body to be refused');
}

describe('request bodies refused in words', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['rpc: not an object', () => parseRpcRequest([1]), /^The body must be a JSON object like \{"method"/],
    ['rpc: blank method', () => parseRpcRequest({ method: '  ' }), /^"method" must be a non-empty string/],
    ['rpc: long callId', () => parseRpcRequest({ method: 'x', callId: 'c'.repeat(201) }), /^"callId" must be .* at most 200/],
    ['cancel: reason a number', () => parseCancelRequest({ callId: 'c', reason: 5 }), /^"reason" must be a string/],
    ['reconnect: unknown field', () => parseReconnectRequest({ tolerate: [], force: true }), /^Unknown field "force"/],
    ['reconnect: unknown check', () => parseReconnectRequest({ tolerate: ['everything'] }), /"everything" is not a check/],
    ['pending: neither', () => parsePendingAnswer('elicitation/create', 'yes'), /^The body must be \{"result"/],
    [
      'pending: error without integer code',
      () => parsePendingAnswer('sampling/createMessage', { error: { code: 1.5, message: 'x' } }),
      /^"error" must be/,
    ],
    ['pending: result not an object', () => parsePendingAnswer('elicitation/create', { result: [] }), /^"result" must be a JSON object/],
    ['elicitation: bad action', () => parsePendingAnswer('elicitation/create', { result: { action: 'maybe' } }), /needs "action"/],
    [
      'elicitation: content a list',
      () => parsePendingAnswer('elicitation/create', { result: { action: 'accept', content: [] } }),
      /"content" must be an object/,
    ],
    [
      'sampling: no model',
      () => parsePendingAnswer('sampling/createMessage', { result: { role: 'assistant', content: { type: 'text' } } }),
      /needs "model"/,
    ],
    [
      'sampling: empty content',
      () => parsePendingAnswer('sampling/createMessage', { result: { role: 'assistant', model: 'm', content: [] } }),
      /needs "content"/,
    ],
    ['roots: no list', () => parseRoots({ roots: 'file:///a' }), /^The body must be \{"roots"/],
    ['roots: not file', () => parseRoots({ roots: [{ uri: 'https://a.example' }] }), /^roots\[0\]\.uri must be a file:\/\/ URI/],
    ['roots: twice', () => parseRoots({ roots: [{ uri: 'file:///a' }, { uri: 'file:///a' }] }), /listed twice/],
    ['log level: unknown', () => parseLogLevel({ level: 'loud' }), /^"level" must be one of debug, info/],
    [
      'listen: flag not boolean',
      () => parseListenFilter({ filter: { toolsListChanged: 'yes' } }),
      /^"filter\.toolsListChanged" must be true or false/,
    ],
    ['listen: subscriptions not URIs', () => parseListenFilter({ filter: { resourceSubscriptions: [''] } }), /resourceSubscriptions/],
    ['guided: unknown step', () => parseGuidedStepRequest({ step: 'dance' }), /^"step" must be one of discovery, client/],
    [
      'guided: grant chosen at connect',
      () => parseGuidedStepRequest({ step: 'client', settings: { grant: 'jwt_bearer' } }),
      /chosen when connecting/,
    ],
    [
      'guided: clientId a number',
      () => parseGuidedStepRequest({ step: 'client', settings: { clientId: 7 } }),
      /^"settings\.clientId" must be a string or null/,
    ],
    ['skill: no uri', () => parseSkillLoad({ uri: ' ' }), /^The body must be \{"uri"/],
  ])('%s', (_name, parse, message) => {
    expect(refusal(parse)).toMatch(message);
  });
});

describe('request bodies accepted, normalised', () => {
  it('cuts a long cancel reason and trims guided settings', () => {
    expect(parseCancelRequest({ callId: 'c', reason: 'r'.repeat(900) }).reason).toHaveLength(500);
    expect(parseGuidedStepRequest({ step: 'client', settings: { clientId: '  app  ', clientSecret: null, scopes: 'a b a' } })).toEqual({
      step: 'client',
      settings: { clientId: 'app', clientSecret: null, scopes: ['a', 'b'] },
    });
  });

  it('keeps an answer as given and only the filter flags that are on', () => {
    expect(parsePendingAnswer('elicitation/create', { result: { action: 'accept', content: { n: 1 } } })).toEqual({
      result: { action: 'accept', content: { n: 1 } },
    });
    expect(parsePendingAnswer('elicitation/create', { error: { code: -1, message: 'no', data: { why: 1 } } })).toEqual({
      error: { code: -1, message: 'no', data: { why: 1 } },
    });
    expect(
      parseListenFilter({ filter: { toolsListChanged: true, promptsListChanged: false, resourceSubscriptions: ['a', 'a', 'b'] } }),
    ).toEqual({
      toolsListChanged: true,
      resourceSubscriptions: ['a', 'b'],
    });
    expect(parseRoots({ roots: [{ uri: 'file:///a', name: ' A ' }, { uri: 'file:///b' }] })).toEqual([
      { uri: 'file:///a', name: 'A' },
      { uri: 'file:///b' },
    ]);
  });
});
