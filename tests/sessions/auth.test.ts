// The session side of OAuth, decision by decision: when a 401 starts the flow, what comes after discovery,
// what a failed request means, which guided step runs next, what settings are accepted.
import { describe, expect, it } from 'vitest';
import { EngineError } from '@/lib/mcp';
import { OAuthFlowError } from '@/lib/oauth';
import {
  classifyRequestFailure,
  findFlowError,
  nextAfterDiscovery,
  nextGuidedStep,
  parseGuidedStepRequest,
  parseOAuthSettings,
  shouldStartOAuth,
  SessionError,
} from '@/lib/sessions';
import { exchangesBetween, guidedStepsFor } from '@/lib/sessions/auth-guided';
import { SecretSet, TraceLog, createRecordingFetch } from '@/lib/trace';

const challenge = (wwwAuthenticate: string | null, status: 401 | 403 = 401) => ({ status, wwwAuthenticate });

describe('shouldStartOAuth', () => {
  it('starts when asked for OAuth, whatever the challenge', () => {
    expect(shouldStartOAuth({ authType: 'oauth', hasAuthorizationHeader: true, challenge: challenge('Basic realm="x"') }).start).toBe(true);
  });

  it('starts on a Bearer challenge, a DPoP one, or a bare 401 when no credential was given', () => {
    for (const header of [
      'Bearer resource_metadata="https://x/.well-known/oauth-protected-resource"',
      'Bearer',
      'DPoP algs="ES256"',
      null,
    ]) {
      expect(shouldStartOAuth({ authType: 'none', hasAuthorizationHeader: false, challenge: challenge(header) })).toEqual({
        start: true,
        reason: '',
      });
    }
  });

  it('does not override a credential the person typed', () => {
    const bearer = shouldStartOAuth({ authType: 'bearer', hasAuthorizationHeader: true, challenge: challenge('Bearer') });
    expect(bearer.start).toBe(false);
    expect(bearer.reason).toMatch(/Connect with OAuth/);
    expect(shouldStartOAuth({ authType: 'none', hasAuthorizationHeader: true, challenge: challenge('Bearer') }).start).toBe(false);
  });

  it('does not start for other schemes or without a 401', () => {
    const basic = shouldStartOAuth({ authType: 'none', hasAuthorizationHeader: false, challenge: challenge('Basic realm="api", ApiKey') });
    expect(basic).toMatchObject({ start: false, reason: expect.stringMatching(/basic, apikey/) });
    expect(shouldStartOAuth({ authType: 'none', hasAuthorizationHeader: false }).start).toBe(false);
    expect(shouldStartOAuth({ authType: 'none', hasAuthorizationHeader: false, challenge: challenge('Bearer', 403) }).start).toBe(false);
  });
});

describe('nextAfterDiscovery', () => {
  it('tries a held token first, then the configured grant', () => {
    expect(nextAfterDiscovery({ hasStoredToken: true, grant: 'client_credentials' })).toBe('use_stored_token');
    expect(nextAfterDiscovery({ hasStoredToken: false, grant: 'client_credentials' })).toBe('client_credentials');
    expect(nextAfterDiscovery({ hasStoredToken: false, grant: 'authorization_code' })).toBe('authorize');
  });
});

describe('classifyRequestFailure', () => {
  it('turns insufficient_scope into a step-up with the required scopes and link', () => {
    const error = new OAuthFlowError('insufficient_scope', 'needs admin', {
      requiredScopes: ['mcp:admin'],
      authorizationUrl: 'https://as/authorize?x',
    });
    expect(classifyRequestFailure(error)).toEqual({
      kind: 'step_up',
      requiredScopes: ['mcp:admin'],
      authorizationUrl: 'https://as/authorize?x',
    });
  });

  it('asks to authorize again when the token is dead for good', () => {
    expect(classifyRequestFailure(new OAuthFlowError('reauthorization_required', 'x'))).toEqual({ kind: 'reauthorize' });
    expect(classifyRequestFailure(new OAuthFlowError('authorization_required', 'x'))).toEqual({ kind: 'reauthorize' });
    expect(classifyRequestFailure(new OAuthFlowError('token_request_failed', 'x', { status: 400 }))).toEqual({ kind: 'reauthorize' });
    // A 401 that survived the refresh and the retry.
    expect(classifyRequestFailure(undefined, 'auth_required')).toEqual({ kind: 'reauthorize' });
  });

  it('leaves transient failures and unrelated errors alone', () => {
    expect(classifyRequestFailure(new OAuthFlowError('network_error', 'x'))).toEqual({ kind: 'transient' });
    expect(classifyRequestFailure(new OAuthFlowError('token_request_failed', 'x', { status: 503 }))).toEqual({ kind: 'transient' });
    expect(classifyRequestFailure(undefined, 'timeout')).toBeUndefined();
    expect(classifyRequestFailure(undefined)).toBeUndefined();
  });
});

describe('findFlowError', () => {
  it('finds the OAuth failure under the wrappers the engine and the SDK put around it', () => {
    const flowError = new OAuthFlowError('insufficient_scope', 'x');
    const wrapped = new Error('send failed', { cause: new EngineError('auth_required', 'x', { cause: flowError }) });
    expect(findFlowError(wrapped)).toBe(flowError);
    expect(findFlowError(new Error('plain'))).toBeUndefined();
    expect(findFlowError(undefined)).toBeUndefined();
  });
});

describe('parseOAuthSettings', () => {
  it('fills defaults and normalizes scopes', () => {
    expect(parseOAuthSettings(undefined)).toEqual({ grant: 'authorization_code', scopes: [], guided: false });
    expect(parseOAuthSettings({ scopes: ['mcp:read mcp:write', 'mcp:read'], clientId: ' pub ', guided: true })).toEqual({
      grant: 'authorization_code',
      clientId: 'pub',
      scopes: ['mcp:read', 'mcp:write'],
      guided: true,
    });
  });

  it('refuses what cannot work, naming the field', () => {
    const refusals: Array<[unknown, RegExp]> = [
      [{ grant: 'password' }, /auth\.grant/],
      [{ grant: 'client_credentials', clientId: 'machine' }, /client ID and client secret/],
      [{ clientSecret: 's3cret-value' }, /needs its client ID/],
      [{ clientMetadataUrl: 'http://example.com/client.json' }, /https/],
      [{ clientMetadataUrl: 'https://example.com/' }, /path/],
      [{ clientMetadataUrl: 'https://example.com/c.json', clientId: 'x' }, /not both/],
      [{ scopes: ['ok', 'bad"scope'] }, /not a valid scope/],
      [{ guided: 'yes' }, /guided/],
    ];
    for (const [body, message] of refusals) {
      expect(() => parseOAuthSettings(body), JSON.stringify(body)).toThrow(message);
      expect(() => parseOAuthSettings(body)).toThrow(SessionError);
    }
  });
});

describe('guided steps', () => {
  it('has no authorize step for the client credentials grant', () => {
    expect(guidedStepsFor('authorization_code')).toEqual(['discovery', 'client', 'authorize', 'token', 'connect']);
    expect(guidedStepsFor('client_credentials')).toEqual(['discovery', 'client', 'token', 'connect']);
  });

  it('runs the first step not done; the token step waits for the callback', () => {
    const steps = guidedStepsFor('authorization_code');
    expect(nextGuidedStep(steps, new Set(), { grant: 'authorization_code', callbackReceived: false })).toEqual({ next: 'discovery' });
    const throughAuthorize = new Set(['discovery', 'client', 'authorize'] as const);
    expect(nextGuidedStep(steps, throughAuthorize, { grant: 'authorization_code', callbackReceived: false })).toEqual({
      waitingFor: 'token',
    });
    expect(nextGuidedStep(steps, throughAuthorize, { grant: 'authorization_code', callbackReceived: true })).toEqual({ next: 'token' });
    const cc = guidedStepsFor('client_credentials');
    expect(nextGuidedStep(cc, new Set(['discovery', 'client'] as const), { grant: 'client_credentials', callbackReceived: false })).toEqual(
      { next: 'token' },
    );
    expect(nextGuidedStep(cc, new Set(cc), { grant: 'client_credentials', callbackReceived: false })).toEqual({});
  });

  it('checks step requests', () => {
    expect(parseGuidedStepRequest({ step: 'client', settings: { clientId: 'abc', clientSecret: null, scopes: 'a b' } })).toEqual({
      step: 'client',
      settings: { clientId: 'abc', clientSecret: null, scopes: ['a', 'b'] },
    });
    expect(() => parseGuidedStepRequest({ step: 'launch' })).toThrow(/"step" must be one of/);
    expect(() => parseGuidedStepRequest({ step: 'client', settings: { clientMetadataUrl: 'ftp://x/y' } })).toThrow(/https/);
  });

  it('shows the exchanges of a step from the log, masked as recorded', async () => {
    const log = new TraceLog({ sessionId: 's', serverUrl: 'http://x', startedAt: Date.now(), transport: 'auto' });
    const secrets = new SecretSet(['super-secret-code-123456']);
    const server = (async () =>
      new Response(JSON.stringify({ access_token: 'super-secret-code-123456' }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      })) as typeof fetch;
    const recording = createRecordingFetch(log, { baseFetch: server, secrets });
    const from = log.lastSeq;
    const response = await recording('http://as.example/token', { method: 'POST', body: 'code=super-secret-code-123456' });
    await response.text();
    const exchanges = exchangesBetween(log.events(from), log.lastSeq);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ method: 'POST', url: 'http://as.example/token', status: 200 });
    expect(JSON.stringify(exchanges)).not.toContain('super-secret-code-123456');
    expect(exchanges[0]?.responseBody).toContain('••••3456');
  });
});
