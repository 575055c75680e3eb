// The whole OAuth flow against a real authorization server (oidc-provider) protecting a real MCP server,
// without a browser: the auto-approving authorize endpoint is followed by hand.
import { afterEach, describe, expect, it } from 'vitest';
import { startOAuthFixture, ADMIN_SCOPE, ADMIN_TOOL, type OAuthFixture } from '@/e2e/fixtures/oauth';
import {
  authorizedFetch,
  followAuthorizationRedirects,
  isOAuthFlowError,
  OAuthClientFlow,
  OAuthFlowError,
  type OAuthFlowOptions,
} from '@/lib/oauth';
import {
  challengeOf,
  closedPhases,
  phaseSteps,
  connectMcp,
  findCause,
  findings,
  logText,
  newFlow,
  TEST_REDIRECT_URI,
  phase,
  tempStore,
  toolText,
  type TestStore,
} from './helpers';
import { startedForSuite } from '../fixtures/suite';

let ts: TestStore;

afterEach(async () => {
  await ts?.close();
});

function makeFlow(fx: OAuthFixture, extra: Partial<OAuthFlowOptions> = {}) {
  return newFlow(ts.store, fx.mcpUrl, { sessionId: 's-1', ...extra });
}

async function authorize(flow: OAuthClientFlow, scopes?: string) {
  const request = await flow.startAuthorization(scopes ? { scopes } : {});
  const walk = await followAuthorizationRedirects(request.authorizationUrl, { redirectUri: TEST_REDIRECT_URI });
  if (walk.kind !== 'callback') throw new Error(`authorization stopped at ${walk.url} (${walk.status})`);
  return { request, walk, view: await flow.handleCallback(walk.params) };
}

describe('authorization code flow with dynamic registration', () => {
  const fx = startedForSuite(startOAuthFixture);

  it('discovers from a 401, registers, authorizes with PKCE and a resource indicator, then calls the server', async () => {
    ts = await tempStore();
    const { flow, log } = makeFlow(fx());
    const challenge = await challengeOf(fx().mcpUrl);
    expect(challenge.status).toBe(401);

    const discovery = await flow.discover({ wwwAuthenticate: challenge.wwwAuthenticate });
    expect(discovery.resourceMetadataUrl).toBe(fx().resourceMetadataUrl);
    expect(discovery.issuer).toBe(fx().issuer);
    expect(discovery.metadataKind).toBe('oauth');
    expect(discovery.resource).toBe(fx().mcpUrl);

    const identity = await flow.ensureClient();
    expect(identity).toMatchObject({ source: 'registered', authMethod: 'none', hasSecret: false });
    expect(fx().events.filter((e) => e.kind === 'registration')).toHaveLength(1);
    expect(fx().events.find((e) => e.kind === 'registration')?.detail.redirect_uris).toBe(TEST_REDIRECT_URI);
    // SEP-837: a loopback redirect URI registers a native application.
    expect(fx().events.find((e) => e.kind === 'registration')?.detail.application_type).toBe('native');

    const request = await flow.startAuthorization();
    const url = new URL(request.authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('resource')).toBe(fx().mcpUrl);
    expect(url.searchParams.get('scope')).toBe('mcp:read mcp:write');
    expect(request.scopeSource).toBe('scopes_supported');
    expect(url.searchParams.get('state')).toBe(request.state);
    expect(url.searchParams.get('redirect_uri')).toBe(TEST_REDIRECT_URI);

    const walk = await followAuthorizationRedirects(request.authorizationUrl, { redirectUri: TEST_REDIRECT_URI });
    expect(walk.kind).toBe('callback');
    if (walk.kind !== 'callback') return;
    expect(walk.params.state).toBe(request.state);
    expect(walk.params.code).toBeTruthy();
    expect(walk.params.iss).toBe(fx().issuer);

    const view = await flow.handleCallback(walk.params);
    expect(view.scopes).toEqual(['mcp:read', 'mcp:write']);
    expect(view.accessToken).toMatch(/^••••.{4}$/);
    expect(view.refreshToken).toMatch(/^••••.{4}$/);
    expect(view.clientId).toBe(identity.clientId);
    const authorization = fx().events.find((e) => e.kind === 'authorization');
    expect(authorization?.detail).toMatchObject({ code_challenge_method: 'S256', resource: fx().mcpUrl });

    const client = await connectMcp(fx().mcpUrl, authorizedFetch(fetch, flow));
    try {
      const whoami = JSON.parse(toolText(await client.callTool({ name: 'whoami', arguments: {} })));
      expect(whoami).toMatchObject({ sub: 'test-user', client_id: identity.clientId, scope: 'mcp:read mcp:write' });
    } finally {
      await client.close();
    }

    // The state is single-use: the same redirect again is refused.
    const replay = await flow.handleCallback(walk.params).catch((e: unknown) => e);
    expect(replay).toBeInstanceOf(OAuthFlowError);
    expect((replay as OAuthFlowError).code).toBe('invalid_state');

    // Every step is a phase, every OAuth exchange is recorded under one.
    const names = closedPhases(log).map((p) => p.name);
    for (const name of [
      'oauth:discovery',
      'oauth:resource-metadata',
      'oauth:server-metadata',
      'oauth:client',
      'oauth:registration',
      'oauth:authorize',
      'oauth:callback',
      'oauth:token',
    ]) {
      expect(names, name).toContain(name);
    }
    expect(phase(log, 'oauth:callback')?.status).toBe('ok');
    const oauthRequests = log.events().filter((e) => e.kind === 'http.request' && e.purpose === 'oauth');
    expect(oauthRequests.length).toBeGreaterThanOrEqual(4);
    expect(oauthRequests.every((e) => e.kind === 'http.request' && e.phaseId !== undefined)).toBe(true);

    // No secret in clear in the log or the database file.
    const stored = await ts.store.getTokens('owner-a', fx().mcpUrl);
    const secrets = [stored?.accessToken, stored?.refreshToken, walk.params.code] as string[];
    expect(secrets.every((s) => typeof s === 'string' && s.length > 10)).toBe(true);
    const text = logText(log);
    const raw = ts.rawBytes();
    for (const secret of secrets) {
      expect(text.includes(secret), 'log').toBe(false);
      expect(raw.includes(Buffer.from(secret)), 'store file').toBe(false);
    }

    // A new flow for the same server reuses the remembered registration.
    const second = makeFlow(fx()).flow;
    expect(await second.ensureClient()).toMatchObject({ source: 'remembered', clientId: identity.clientId });
    expect(fx().events.filter((e) => e.kind === 'registration')).toHaveLength(1);
    // ...unless the person gives a client metadata URL: what they asked for wins over what was remembered.
    const asked = makeFlow(fx(), { clientMetadataUrl: 'https://client.example/mcpscope.json' }).flow;
    expect(await asked.ensureClient()).toMatchObject({ source: 'metadata-document', clientId: 'https://client.example/mcpscope.json' });
  });

  it('steps up to a scope the token lacks, with the union of scopes', async () => {
    ts = await tempStore();
    const { flow } = makeFlow(fx());
    await flow.discover({ wwwAuthenticate: (await challengeOf(fx().mcpUrl)).wwwAuthenticate });
    await authorize(flow);
    const client = await connectMcp(fx().mcpUrl, authorizedFetch(fetch, flow));
    try {
      const failure = await client.callTool({ name: ADMIN_TOOL, arguments: {} }).catch((e: unknown) => e);
      const stepUp = findCause(failure, isOAuthFlowError);
      expect(stepUp?.code).toBe('insufficient_scope');
      expect(stepUp?.requiredScopes).toContain(ADMIN_SCOPE);
      const url = new URL(stepUp?.authorizationUrl ?? 'http://invalid');
      expect(url.searchParams.get('scope')).toBe(`mcp:read mcp:write ${ADMIN_SCOPE}`);

      const walk = await followAuthorizationRedirects(url.href, { redirectUri: TEST_REDIRECT_URI });
      if (walk.kind !== 'callback') throw new Error('step-up authorization did not come back');
      const view = await flow.handleCallback(walk.params);
      expect(view.scopes).toEqual(['mcp:read', 'mcp:write', ADMIN_SCOPE]);
      expect(toolText(await client.callTool({ name: ADMIN_TOOL, arguments: {} }))).toBe('admin action done');
      expect(fx().stats.insufficientScope).toBeGreaterThanOrEqual(1);
    } finally {
      await client.close();
    }
  });

  it('registers a web application when the redirect URI is public (SEP-837), and shows that body first', async () => {
    ts = await tempStore();
    const { flow } = makeFlow(fx(), { publicOrigin: 'https://inspector.example' });
    await flow.discover();
    expect(flow.registrationRequest()).toMatchObject({ application_type: 'web', redirect_uris: ['https://inspector.example/callback'] });
    const identity = await flow.ensureClient();
    expect(identity.source).toBe('registered');
    const registration = fx()
      .events.filter((e) => e.kind === 'registration')
      .find((e) => e.detail.client_id === identity.clientId);
    expect(registration?.detail).toMatchObject({ application_type: 'web', redirect_uris: 'https://inspector.example/callback' });
  });

  it('uses a pre-registered public client with OpenID scopes (like a Keycloak realm client)', async () => {
    ts = await tempStore();
    const registrations = fx().events.filter((e) => e.kind === 'registration').length;
    const { flow } = makeFlow(fx(), { client: { clientId: fx().preRegisteredClientId }, scopes: 'openid profile email' });
    expect(await flow.ensureClient()).toEqual({
      clientId: fx().preRegisteredClientId,
      authMethod: 'none',
      source: 'pre-registered',
      hasSecret: false,
    });
    const { request } = await authorize(flow);
    expect(request.scopes).toEqual(['openid', 'profile', 'email']);
    expect(request.scopeSource).toBe('user');
    const client = await connectMcp(fx().mcpUrl, authorizedFetch(fetch, flow));
    try {
      expect(JSON.parse(toolText(await client.callTool({ name: 'whoami', arguments: {} }))).client_id).toBe(fx().preRegisteredClientId);
    } finally {
      await client.close();
    }
    expect(fx().events.filter((e) => e.kind === 'registration')).toHaveLength(registrations);
  });

  it('gets a machine token with the client credentials grant', async () => {
    ts = await tempStore();
    const { flow, log } = makeFlow(fx(), { client: fx().machineClient });
    const view = await flow.clientCredentials({ scopes: 'mcp:read' });
    expect(view.scopes).toEqual(['mcp:read']);
    expect(view.refreshToken).toBeUndefined();
    const client = await connectMcp(fx().mcpUrl, authorizedFetch(fetch, flow));
    try {
      expect(JSON.parse(toolText(await client.callTool({ name: 'whoami', arguments: {} })))).toMatchObject({
        client_id: fx().machineClient.clientId,
        scope: 'mcp:read',
      });
    } finally {
      await client.close();
    }
    expect(phase(log, 'oauth:client-credentials')?.status).toBe('ok');
    // The client secret went out in a Basic header: masked in the log.
    expect(logText(log)).not.toContain(fx().machineClient.clientSecret);
    expect(logText(log)).not.toContain(Buffer.from(`${fx().machineClient.clientId}:${fx().machineClient.clientSecret}`).toString('base64'));
  });

  it('explains a refused authorization and an unknown state', async () => {
    ts = await tempStore();
    const { flow, log } = makeFlow(fx());
    const request = await flow.startAuthorization();
    const denied = await flow
      .handleCallback({ state: request.state, error: 'access_denied', errorDescription: 'The user said no' })
      .catch((e: unknown) => e as OAuthFlowError);
    expect(denied).toMatchObject({ code: 'authorization_denied', oauthError: 'access_denied' });
    expect((denied as OAuthFlowError).message).toContain('The user said no');
    expect(phase(log, 'oauth:callback')).toMatchObject({ status: 'failed', error: { code: 'authorization_denied' } });
    const unknown = await flow.handleCallback({ state: 'made-up-state', code: 'x' }).catch((e: unknown) => e as OAuthFlowError);
    expect(unknown).toMatchObject({ code: 'invalid_state' });
    const other = makeFlow(fx(), { owner: 'owner-b' }).flow;
    const stolen = await flow.startAuthorization();
    expect(await other.handleCallback({ state: stolen.state, code: 'x' }).catch((e: unknown) => (e as OAuthFlowError).code)).toBe(
      'invalid_state',
    );
    // The foreign attempt did not use up the owner's pending request.
    expect(await ts.store.peekPendingAuthorization(stolen.state)).toMatchObject({ owner: 'owner-a', sessionId: 's-1' });
  });
});

describe('refresh', () => {
  it('refreshes before expiry and keeps only the rotated refresh token; a dead refresh token asks to authorize again', async () => {
    const fx = await startOAuthFixture({ accessTokenTtlSeconds: 2 });
    ts = await tempStore();
    try {
      const { flow, log } = makeFlow(fx, { refreshSkewMs: 1000 });
      await authorize(flow);
      const before = await ts.store.getTokens('owner-a', fx.mcpUrl);
      expect(before?.refreshToken).toBeTruthy();
      expect(await flow.getAccessToken()).toBe(before?.accessToken); // not yet within the window

      await new Promise((r) => setTimeout(r, 1200));
      const fresh = await flow.getAccessToken();
      const after = await ts.store.getTokens('owner-a', fx.mcpUrl);
      expect(fresh).not.toBe(before?.accessToken);
      expect(after?.accessToken).toBe(fresh);
      expect(after?.refreshToken).toBeTruthy();
      expect(after?.refreshToken).not.toBe(before?.refreshToken);
      expect(fx.events.filter((e) => e.kind === 'refresh')).toHaveLength(1);
      expect(phase(log, 'oauth:refresh')?.detail).toContain('rotated');

      // Concurrent callers share one refresh: with rotation a second one would kill the grant.
      await Promise.all([flow.refresh(), flow.refresh(), flow.refresh()]);
      expect(fx.events.filter((e) => e.kind === 'refresh')).toHaveLength(2);
      const current = await ts.store.getTokens('owner-a', fx.mcpUrl);

      // The server really rotated: the first refresh token is dead. Using it makes oidc-provider revoke the
      // grant (reuse detection), so the next refresh fails and the flow asks for a new authorization.
      const reuse = await fetch(`${fx.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: before?.refreshToken ?? '',
          client_id: current?.clientId ?? '',
        }),
      });
      expect(reuse.status).toBe(400);
      expect(((await reuse.json()) as { error: string }).error).toBe('invalid_grant');

      const failed = await flow.refresh().catch((e: unknown) => e as OAuthFlowError);
      expect(failed).toBeInstanceOf(OAuthFlowError);
      expect(failed).toMatchObject({ code: 'reauthorization_required', oauthError: 'invalid_grant', status: 400 });
      expect((failed as OAuthFlowError).message).toContain('invalid_grant');
      expect(await ts.store.getTokens('owner-a', fx.mcpUrl)).toBeUndefined();
      expect(await flow.getAccessToken().catch((e: unknown) => (e as OAuthFlowError).code)).toBe('authorization_required');
      // The log survives and shows where it failed.
      expect(
        closedPhases(log)
          .filter((p) => p.name === 'oauth:refresh')
          .map((p) => p.status),
      ).toEqual(['ok', 'ok', 'failed']);
    } finally {
      await fx.close();
    }
  });

  it('refreshes and retries once when the server answers 401 for an expired token', async () => {
    const fx = await startOAuthFixture();
    ts = await tempStore();
    try {
      const { flow } = makeFlow(fx);
      await authorize(flow);
      const client = await connectMcp(fx.mcpUrl, authorizedFetch(fetch, flow));
      try {
        fx.expireAccessTokens();
        expect(toolText(await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } }))).toBe('5');
        // The call (and the standing GET stream, if it was opening just then) were refused once each and
        // retried after a single shared refresh.
        expect(fx.stats.rejectedTokens).toBeGreaterThanOrEqual(1);
        expect(fx.events.filter((e) => e.kind === 'refresh')).toHaveLength(1);
        expect(toolText(await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } }))).toBe('2');
        expect(fx.events.filter((e) => e.kind === 'refresh')).toHaveLength(1);
      } finally {
        await client.close();
      }
    } finally {
      await fx.close();
    }
  });

  it('refreshes and retries once on a JSON-RPC -32001 answer', async () => {
    const fx = await startOAuthFixture({ expiredTokenStyle: 'jsonrpc-32001' });
    ts = await tempStore();
    try {
      const { flow, log } = makeFlow(fx);
      await authorize(flow);
      const client = await connectMcp(fx.mcpUrl, authorizedFetch(fetch, flow));
      try {
        fx.expireAccessTokens();
        expect(toolText(await client.callTool({ name: 'add', arguments: { a: 20, b: 22 } }))).toBe('42');
        expect(fx.stats.rejectedTokens).toBeGreaterThanOrEqual(1);
        expect(fx.events.filter((e) => e.kind === 'refresh')).toHaveLength(1);
        expect(findings(log).map((f) => f.code)).toContain('token_expired_jsonrpc');
      } finally {
        await client.close();
      }
    } finally {
      await fx.close();
    }
  });
});

describe('OpenID-Connect-only authorization server', () => {
  it('finds the metadata at <issuer>/.well-known/openid-configuration and completes the flow', async () => {
    const fx = await startOAuthFixture({ oidcOnly: true, resourceMetadataInHeader: false });
    ts = await tempStore();
    try {
      expect(new URL(fx.issuer).pathname).toBe('/realms/mcpscope');
      const { flow, log } = makeFlow(fx);
      const challenge = await challengeOf(fx.mcpUrl);
      expect(challenge.wwwAuthenticate).toBe('Bearer');
      const discovery = await flow.discover({ wwwAuthenticate: challenge.wwwAuthenticate });
      expect(discovery.resourceMetadataUrl).toBe(fx.resourceMetadataUrl); // path-based well-known, no header hint
      expect(discovery.metadataKind).toBe('oidc');
      expect(discovery.metadataUrl).toBe(`${fx.issuer}/.well-known/openid-configuration`);
      const probes = phaseSteps(log).filter((p) => p.name === 'oauth:server-metadata');
      expect(probes.map((p) => [p.tried, p.status])).toEqual([
        [`${new URL(fx.issuer).origin}/.well-known/oauth-authorization-server/realms/mcpscope`, 'skipped'],
        [`${new URL(fx.issuer).origin}/.well-known/openid-configuration/realms/mcpscope`, 'skipped'],
        [`${fx.issuer}/.well-known/openid-configuration`, 'ok'],
      ]);
      expect(findings(log).map((f) => f.code)).toContain('oidc_discovery_only');

      await authorize(flow);
      const client = await connectMcp(fx.mcpUrl, authorizedFetch(fetch, flow));
      try {
        expect(toolText(await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } }))).toBe('2');
      } finally {
        await client.close();
      }
    } finally {
      await fx.close();
    }
  });
});
