// POST /api/sessions for a URL target and the OAuth settings, as zod schemas (lib/contract/sessions.ts): each bad
// body is refused with the sentence that names the field (with its prefix), each good one comes out normalised.
import { describe, expect, it } from 'vitest';
import { oauthSettingsSchema, scopeListSchema, urlTargetSchema } from '@/lib/contract';
import { parseCreateSession, parseOAuthSettings, parseScopeList, SessionError } from '@/lib/sessions';

function refusal(parse: () => unknown): { code: string; message: string } {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(SessionError);
    return { code: (error as SessionError).code, message: (error as SessionError).message };
  }
  throw new Error('expected the body to be refused');
}

const URL_ = 'https://a.example/mcp';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----';

describe('POST /api/sessions, URL target: refused in words, first problem only', () => {
  it.each<[string, unknown, string | RegExp]>([
    ['not an object', [1], 'The body must be a JSON object like {"url": "https://example.com/mcp"}.'],
    ['unknown kind', { kind: 'socket', url: URL_ }, '"kind" must be "url" (the default) or "command" (a local stdio server).'],
    ['transport', { url: URL_, transport: 'websocket' }, '"transport" must be one of auto, streamable-http, sse.'],
    ['headers a list', { url: URL_, headers: ['x'] }, '"headers" must be an object of header names to string values.'],
    ['header name', { url: URL_, headers: { 'bad name': 'x' } }, '"bad name" is not a valid HTTP header name.'],
    [
      'reserved header',
      { url: URL_, headers: { 'Content-Type': 'x' } },
      'The Content-Type header is managed by the transport and cannot be set.',
    ],
    ['header twice', { url: URL_, headers: { 'X-A': 'a', 'x-a': 'b' } }, 'The x-a header is set twice.'],
    ['header value type', { url: URL_, headers: { 'X-A': 1 } }, 'The value of header X-A must be a string.'],
    ['header NUL', { url: URL_, headers: { 'X-A': 'a\0b' } }, 'The value of header X-A contains a line break or NUL character.'],
    ['header too long', { url: URL_, headers: { 'X-A': 'a'.repeat(8193) } }, 'The value of header X-A is longer than 8192 characters.'],
    [
      'too many headers',
      { url: URL_, headers: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`X-${i}`, 'v'])) },
      'At most 50 headers can be set.',
    ],
    ['auth a string', { url: URL_, auth: 'bearer' }, '"auth" must be an object like {"type": "bearer", "token": "..."}.'],
    ['auth type', { url: URL_, auth: { type: 'basic' } }, '"auth.type" must be one of none, bearer, oauth.'],
    ['bearer blank', { url: URL_, auth: { type: 'bearer', token: '   ' } }, 'A bearer token is required when "auth.type" is "bearer".'],
    ['bearer spaces', { url: URL_, auth: { type: 'bearer', token: 'a b' } }, 'The bearer token must not contain spaces or line breaks.'],
    ['oauth grant', { url: URL_, auth: { type: 'oauth', grant: 'password' } }, /^"auth\.grant" must be one of authorization_code, /],
    ['none tolerate', { url: URL_, auth: { type: 'none', tolerate: ['everything'] } }, /"everything" is not a check/],
    ['timeouts a number', { url: URL_, timeouts: 5 }, '"timeouts" must be an object like {"connectMs": 15000, "requestMs": 60000}.'],
    [
      'connect timeout past its cap',
      { url: URL_, timeouts: { connectMs: 120_001 } },
      '"timeouts.connectMs" must be a number of milliseconds between 100 and 120000 (2 minutes).',
    ],
    [
      'answer timeout too short',
      { url: URL_, timeouts: { answerMs: 99 } },
      '"timeouts.answerMs" must be a number of milliseconds between 100 and 1800000 (30 minutes).',
    ],
    ['wait', { url: URL_, wait: 'no' }, '"wait" must be true or false.'],
  ])('%s', (_, body, message) => {
    const refused = refusal(() => parseCreateSession(body));
    expect(refused.code).toBe('invalid_request');
    if (typeof message === 'string') expect(refused.message).toBe(message);
    else expect(refused.message).toMatch(message);
  });

  it('leaves the URL to lib/mcp, with its own code', () => {
    expect(refusal(() => parseCreateSession({ url: 'nope' })).code).toBe('invalid_url');
    expect(refusal(() => parseCreateSession({})).code).toBe('invalid_url');
  });

  it('normalises a good body: defaults, trimmed token, floored timeouts, oauth secrets remembered', () => {
    expect(urlTargetSchema(120_000).parse({ url: URL_ })).toEqual({ url: URL_, transport: 'auto' });
    const parsed = parseCreateSession({
      url: URL_,
      transport: 'streamable-http',
      headers: { ' X-Team ': 'blue' },
      auth: { type: 'oauth', grant: 'client_credentials', clientId: ' app ', clientSecret: 's3cret-value', scopes: 'a b a' },
      timeouts: { requestMs: 1500.7, connectMs: null },
      wait: false,
    });
    expect(parsed).toEqual({
      url: URL_,
      transport: 'streamable-http',
      headers: { 'X-Team': 'blue' },
      secretValues: ['s3cret-value'],
      authType: 'oauth',
      oauth: { grant: 'client_credentials', clientId: 'app', clientSecret: 's3cret-value', scopes: ['a', 'b'], guided: false },
      connectTimeoutMs: undefined,
      requestTimeoutMs: 1500,
      answerTimeoutMs: undefined,
      wait: false,
    });
  });
});

describe('OAuth settings: each rule names the field under its prefix', () => {
  it.each<[string, unknown, string]>([
    ['not an object', 'x', '"body" must be an object.'],
    ['clientId type', { clientId: 5 }, '"body.clientId" must be a string.'],
    ['clientId control character', { clientId: 'a\u0007b' }, '"body.clientId" contains a control character.'],
    ['clientId too long', { clientId: 'a'.repeat(2049) }, '"body.clientId" is longer than 2048 characters.'],
    ['clientKey shape', { clientId: 'app', clientKey: 'not a key' }, '"body.clientKey" must be a PEM private key or a JWK as JSON.'],
    ['key without id', { clientKey: PEM }, 'A client key needs its client ID ("body.clientId").'],
    [
      'key and secret',
      { clientId: 'app', clientKey: PEM, clientSecret: 's' },
      'Give either a client secret or a client key (private_key_jwt), not both.',
    ],
    ['alg without key', { clientId: 'app', clientKeyAlg: 'ES256' }, '"body.clientKeyAlg" needs "body.clientKey".'],
    ['secret without id', { clientSecret: 's' }, 'A client secret needs its client ID ("body.clientId").'],
    [
      'metadata URL over http',
      { clientMetadataUrl: 'http://a.example/c.json' },
      'The client metadata URL must be an https URL: the authorization server fetches it.',
    ],
    [
      'metadata URL without a path',
      { clientMetadataUrl: 'https://a.example/' },
      'The client metadata URL must have a path (e.g. https://example.com/oauth/client.json).',
    ],
    [
      'metadata URL and id',
      { clientMetadataUrl: 'https://a.example/c.json', clientId: 'app' },
      'Give either a client ID or a client metadata URL (which is itself the client ID), not both.',
    ],
    [
      'client credentials without a secret',
      { grant: 'client_credentials', clientId: 'app' },
      'The client credentials grant needs a pre-registered client ID and client secret (or a client key, for private_key_jwt).',
    ],
    ['guided', { guided: 'yes' }, '"body.guided" must be true or false.'],
    [
      'assertion not a JWT',
      { grant: 'jwt_bearer', clientId: 'app', assertion: 'abc' },
      '"body.assertion" must be a compact JWT (header.claims.signature).',
    ],
    [
      'jwt_bearer without an assertion',
      { grant: 'jwt_bearer', clientId: 'app' },
      'The jwt_bearer grant needs "body.clientId" and "body.assertion" (the signed JWT to trade for a token).',
    ],
    ['assertion with another grant', { clientId: 'app', assertion: JWT }, '"body.assertion" goes with the jwt_bearer grant.'],
    [
      'idp incomplete',
      { grant: 'id_jag', clientId: 'app', idp: { tokenEndpoint: 'https://idp.example/t' } },
      '"body.idp" needs tokenEndpoint, idToken and clientId.',
    ],
    [
      'idp endpoint not http',
      { grant: 'id_jag', clientId: 'app', idp: { tokenEndpoint: 'ftp://idp.example/t', idToken: JWT, clientId: 'c' } },
      '"body.idp.tokenEndpoint" must be an https URL.',
    ],
    [
      'id_jag without idp',
      { grant: 'id_jag', clientId: 'app' },
      'The id_jag grant needs "body.clientId" and "body.idp" ({tokenEndpoint, idToken, clientId}).',
    ],
    [
      'idp with another grant',
      { clientId: 'app', idp: { tokenEndpoint: 'https://idp.example/t', idToken: JWT, clientId: 'c' } },
      '"body.idp" goes with the id_jag grant.',
    ],
    ['scope name', { scopes: ['ok', 'bad"quote'] }, '"bad"quote" is not a valid scope name (printable ASCII, no quotes or backslashes).'],
    ['tolerate name', { tolerate: ['everything'] }, ''],
  ])('%s', (_, body, message) => {
    const refused = refusal(() => parseOAuthSettings(body, 'body'));
    expect(refused.code).toBe('invalid_request');
    if (message) expect(refused.message).toBe(message);
    else expect(refused.message).toMatch(/^"everything" is not a check|"body\.tolerate"/);
  });

  it('normalises: blank fields dropped, idp endpoint as a URL, scopes deduplicated, tolerate passed on', () => {
    expect(oauthSettingsSchema('auth').parse({ clientId: '  ', clientSecret: null, scopes: null })).toEqual({
      grant: 'authorization_code',
      scopes: [],
      guided: false,
    });
    expect(
      parseOAuthSettings({
        grant: 'id_jag',
        clientId: 'app',
        idp: { tokenEndpoint: 'https://IDP.example/t', idToken: ` ${JWT} `, clientId: 'c', clientSecret: '' },
        scopes: ['a', 'b a'],
        guided: true,
        tolerate: ['issuer_mismatch'],
      }),
    ).toEqual({
      grant: 'id_jag',
      clientId: 'app',
      idp: { tokenEndpoint: 'https://idp.example/t', idToken: JWT, clientId: 'c' },
      scopes: ['a', 'b'],
      guided: true,
      tolerate: ['issuer_mismatch'],
    });
  });
});

describe('scope lists', () => {
  it.each<[unknown, string[] | string]>([
    [undefined, []],
    ['read  write read', ['read', 'write']],
    [
      ['read', 'write admin'],
      ['read', 'write', 'admin'],
    ],
    [5, '"scopes" must be a list of scope names.'],
    [['read', 7], '"scopes" must contain only strings.'],
    [Array.from({ length: 51 }, (_, i) => `s${i}`), 'At most 50 scopes can be requested.'],
  ])('%j', (value, expected) => {
    if (Array.isArray(expected)) {
      expect(parseScopeList(value, 'scopes')).toEqual(expected);
      expect(scopeListSchema('scopes').parse(value)).toEqual(expected);
    } else {
      expect(refusal(() => parseScopeList(value, 'scopes')).message).toBe(expected);
    }
  });
});
