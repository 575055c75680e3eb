// A 2025-03-26 style server with no metadata at all (the default /authorize, /token and /register endpoints
// at its origin), and authorization servers that fail in the ways real ones do, built as a tiny local server.
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { OAuthFlowError, type OAuthFlowOptions } from '@/lib/oauth';
import { localServerForSuite, sendJson } from '../fixtures/http-servers';
import { findings, logText, newFlow, phaseSteps } from './helpers';
import { tempStorePerTest } from './per-test';

interface Exchange {
  path: string;
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (ex: Exchange, res: http.ServerResponse) => boolean;

let exchanges: Exchange[] = [];
let overrides: Handler[] = [];
let challenge = '';
const REFRESH_1 = 'rt-one-0123456789abcdef';

const origin = localServerForSuite(({ url, method, headers, body }, res) => {
  const ex: Exchange = { path: url.pathname, method, headers, body };
  exchanges.push(ex);
  for (const handler of overrides) if (handler(ex, res)) return;
  if (ex.path === '/register' && ex.method === 'POST') {
    sendJson(res, 201, { ...JSON.parse(ex.body), client_id: 'tiny-client' });
    return;
  }
  if (ex.path === '/token' && ex.method === 'POST') {
    const form = new URLSearchParams(ex.body);
    if (form.get('grant_type') === 'authorization_code') {
      // A real check of PKCE: the verifier must hash to the challenge sent to /authorize.
      const verifier = form.get('code_verifier') ?? '';
      if (form.get('code') !== 'code-123' || createHash('sha256').update(verifier).digest('base64url') !== challenge) {
        sendJson(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
        return;
      }
      sendJson(res, 200, { access_token: 'at-one-0123456789abcdef', refresh_token: REFRESH_1, token_type: 'Bearer', expires_in: 3600 });
      return;
    }
    sendJson(res, 400, { error: 'invalid_grant', messsage: 'Refresh token expired' });
    return;
  }
  sendJson(res, 404, { error: 'not_found' });
});

const store = tempStorePerTest();
beforeEach(() => {
  exchanges = [];
  overrides = [];
});

/** What `promise` is rejected with: the flow's error. */
const failure = (promise: Promise<unknown>) => promise.catch((e: unknown) => e) as Promise<OAuthFlowError>;

function makeFlow(publicOrigin = 'http://localhost:3000', extra: Pick<OAuthFlowOptions, 'clientMetadataUrl' | 'tolerate'> = {}) {
  return newFlow(store().store, `${origin()}/api/mcp`, { owner: 'o', publicOrigin, ...extra });
}

describe('no metadata anywhere (2025-03-26 defaults)', () => {
  it('walks every well-known URL, then uses /authorize, /token and /register at the origin', async () => {
    const { flow, log } = makeFlow();
    const discovery = await flow.discover({ wwwAuthenticate: 'Bearer realm="tiny"' });
    expect(discovery.metadataKind).toBe('fallback');
    expect(discovery.resource).toBe(`${origin()}/api/mcp`);
    expect(discovery.endpoints).toEqual({
      authorization: `${origin()}/authorize`,
      token: `${origin()}/token`,
      registration: `${origin()}/register`,
    });
    expect(exchanges.map((e) => e.path)).toEqual([
      '/.well-known/oauth-protected-resource/api/mcp',
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-authorization-server',
      '/.well-known/openid-configuration',
    ]);
    expect(
      phaseSteps(log)
        .filter((p) => p.name !== 'oauth:discovery')
        .every((p) => p.status === 'skipped'),
    ).toBe(true);
    expect(findings(log).map((f) => f.code)).toEqual(expect.arrayContaining(['no_resource_metadata', 'no_authorization_server_metadata']));

    expect(await flow.ensureClient()).toMatchObject({ clientId: 'tiny-client', source: 'registered', authMethod: 'none' });
    const registration = JSON.parse(exchanges.find((e) => e.path === '/register')?.body ?? '{}');
    expect(registration).toMatchObject({
      redirect_uris: ['http://localhost:3000/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
    });

    const request = await flow.startAuthorization({ scopes: 'read' });
    const url = new URL(request.authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${origin()}/authorize`);
    challenge = url.searchParams.get('code_challenge') ?? '';

    const view = await flow.handleCallback({ state: request.state, code: 'code-123' });
    expect(view).toMatchObject({ accessToken: '••••cdef', refreshToken: '••••cdef', scopes: ['read'] });
    const tokenForm = new URLSearchParams(exchanges.find((e) => e.path === '/token')?.body);
    expect(tokenForm.get('resource')).toBe(`${origin()}/api/mcp`);
    expect(tokenForm.get('client_id')).toBe('tiny-client');
    expect(tokenForm.get('redirect_uri')).toBe('http://localhost:3000/callback');
    expect(logText(log)).not.toContain('at-one-0123456789abcdef');
    expect(logText(log)).not.toContain(tokenForm.get('code_verifier'));

    // The refresh is refused with seed 004's misspelled key: explained, reported, and the dead tokens go.
    const error = await failure(flow.refresh());
    expect(error).toBeInstanceOf(OAuthFlowError);
    expect(error.code).toBe('reauthorization_required');
    expect(error.message).toContain('HTTP 400, invalid_grant');
    expect(error.message).toContain('Refresh token expired');
    expect(findings(log).map((f) => f.code)).toContain('oauth_error_misspelled_key');
    expect(await store().store.getTokens('o', `${origin()}/api/mcp`)).toBeUndefined();
    expect(logText(log)).not.toContain(REFRESH_1);
  });

  it('explains a rejected registration', async () => {
    overrides.push((ex, res) => {
      if (ex.path !== '/register') return false;
      sendJson(res, 400, { error: 'invalid_redirect_uri', error_description: 'Redirect URI not on allow-list' });
      return true;
    });
    const { flow, log } = makeFlow();
    const error = await failure(flow.ensureClient());
    expect(error).toMatchObject({ code: 'registration_failed', status: 400, oauthError: 'invalid_redirect_uri' });
    expect(error.message).toContain('Redirect URI not on allow-list');
    expect(error.message).toContain('http://localhost:<port>/callback');
    expect(error.message).toContain('http://localhost:3000/callback');
    expect(phaseSteps(log).find((p) => p.name === 'oauth:registration')?.status).toBe('failed');
  });
});

describe('what the metadata offers decides the client identity and more', () => {
  const metadata = (extra: Record<string, unknown>) => ({
    issuer: origin(),
    authorization_endpoint: `${origin()}/authorize`,
    token_endpoint: `${origin()}/token`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    ...extra,
  });
  /** The authorization server's metadata (at /.well-known/oauth-authorization-server only) is `metadata(extra)`. */
  const serveServerMetadata = (extra: Record<string, unknown>) =>
    overrides.push((ex, res) => {
      if (ex.path !== '/.well-known/oauth-authorization-server') return false;
      sendJson(res, 200, metadata(extra));
      return true;
    });

  it('asks for a pre-registered client when the server cannot register one', async () => {
    serveServerMetadata({});
    const error = await failure(makeFlow().flow.ensureClient());
    expect(error.code).toBe('client_required');
    expect(error.message).toContain('pre-registered');
  });

  it('refuses a server without PKCE S256 instead of guessing default endpoints', async () => {
    overrides.push((ex, res) => {
      if (!ex.path.startsWith('/.well-known/o')) return false;
      if (ex.path.includes('protected-resource')) return false;
      sendJson(res, 200, metadata({ code_challenge_methods_supported: ['plain'] }));
      return true;
    });
    const error = await failure(makeFlow().flow.discover());
    expect(error.code).toBe('unsupported_server');
    expect(error.message).toContain('S256');
  });

  it('refuses metadata that names another issuer, and goes on with a warning only when tolerated (seed 004)', async () => {
    serveServerMetadata({ issuer: 'https://api.elsewhere.example', registration_endpoint: `${origin()}/register` });
    const strict = makeFlow();
    await expect(strict.flow.discover()).rejects.toMatchObject({
      code: 'issuer_mismatch',
      refusal: { expected: origin(), received: 'https://api.elsewhere.example' },
    });
    // Refused means refused: not the 2025-03-26 default endpoints instead.
    await expect(strict.flow.ensureClient()).rejects.toMatchObject({ code: 'issuer_mismatch' });
    expect(exchanges.filter((ex) => ex.path === '/register' || ex.path === '/authorize')).toEqual([]);

    const { flow, log } = makeFlow('http://localhost:3000', { tolerate: ['issuer_mismatch'] });
    const discovery = await flow.discover();
    expect(discovery.issuer).toBe('https://api.elsewhere.example');
    expect(discovery.endpoints.registration).toBe(`${origin()}/register`);
    expect(findings(log).find((f) => f.code === 'issuer_mismatch')?.severity).toBe('warning');
  });

  it("uses the app's client ID metadata document when the server supports them and the app is on https", async () => {
    serveServerMetadata({ registration_endpoint: `${origin()}/register`, client_id_metadata_document_supported: true });
    const onHttp = makeFlow('http://localhost:3000');
    expect(await onHttp.flow.ensureClient()).toMatchObject({ source: 'registered' });
    await store().store.forgetClient(origin(), 'http://localhost:3000/callback');

    exchanges = [];
    const { flow } = makeFlow('https://scope.example');
    expect(await flow.ensureClient()).toEqual({
      clientId: 'https://scope.example/oauth/client-metadata.json',
      authMethod: 'none',
      source: 'metadata-document',
      hasSecret: false,
    });
    expect(exchanges.some((e) => e.path === '/register')).toBe(false);
    const request = await flow.startAuthorization();
    expect(new URL(request.authorizationUrl).searchParams.get('client_id')).toBe('https://scope.example/oauth/client-metadata.json');
    expect(request.redirectUri).toBe('https://scope.example/callback');
  });

  it('uses a client metadata URL given explicitly, warning when the server does not advertise support', async () => {
    serveServerMetadata({ registration_endpoint: `${origin()}/register` });
    const { flow, log } = makeFlow('http://localhost:3000', { clientMetadataUrl: 'https://cli.example/client.json' });
    expect(await flow.ensureClient()).toMatchObject({ clientId: 'https://cli.example/client.json', source: 'metadata-document' });
    expect(findings(log).map((f) => f.code)).toContain('client_metadata_document_not_advertised');
    const bad = makeFlow('http://localhost:3000', { clientMetadataUrl: 'http://cli.example/client.json' });
    expect(await bad.flow.ensureClient().catch((e: unknown) => (e as OAuthFlowError).code)).toBe('client_required');
  });
});
