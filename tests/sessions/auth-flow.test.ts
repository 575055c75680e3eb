// Sessions with OAuth against a real authorization server (oidc-provider) protecting a real MCP server: the
// registry starts the flow on a 401, the callback completes it, requests refresh and step up. The browser's part
// (following the auto-approving authorize endpoint) is done by hand.
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_SCOPE, ADMIN_TOOL, startOAuthFixture, type OAuthFixture, type OAuthFixtureOptions } from '@/e2e/fixtures/oauth';
import { readConfig } from '@/lib/config';
import { guidedState, newOwnerId, runGuidedStep, SessionRegistry, type Session } from '@/lib/sessions';
import type { PhaseEvent } from '@/lib/trace';
import { tempStore, toolText } from '../oauth/helpers';
import { cleanupsAfterEach, startedForSuite } from '../fixtures/suite';
import { browserAuthorizes as authorizeInBrowser, createdSession, machineClientSession } from './helpers';

const PUBLIC_URL = 'http://localhost:3000';
const REDIRECT_URI = `${PUBLIC_URL}/callback`;
const OWNER = newOwnerId();

let registry: SessionRegistry;

const ts = startedForSuite(tempStore);
afterEach(async () => {
  await registry?.shutdown();
});
const cleanups = cleanupsAfterEach();

/**
 * For a test that wants an OAuth fixture of its own (started with `options`) and a new registry: both stopped
 * after the test, the registry first.
 */
async function fixtureForThisTest(options?: OAuthFixtureOptions): Promise<OAuthFixture> {
  const fx = await startOAuthFixture(options);
  newRegistry();
  cleanups.push(async () => {
    await registry.shutdown();
    await fx.close();
  });
  return fx;
}

function newRegistry(): SessionRegistry {
  registry = new SessionRegistry({ config: { ...readConfig({}), publicUrl: PUBLIC_URL }, store: async () => ts().store });
  return registry;
}

const create = (body: Record<string, unknown>) => createdSession(registry, OWNER, body);

/** What the browser does: follow the authorization URL to the callback, then GET /callback with the cookie. */
const browserAuthorizes = (authorizationUrl: string, owner = OWNER) =>
  authorizeInBrowser(authorizationUrl, owner, { registry, store: async () => ts().store, publicUrl: PUBLIC_URL });

function phases(session: Session, name: string): PhaseEvent[] {
  return session.log.events().filter((e): e is PhaseEvent => e.kind === 'phase' && e.name === name && e.status !== 'started');
}

async function callTool(session: Session, name: string, args: Record<string, unknown> = {}) {
  return registry.rpc(session, { method: 'tools/call', params: { name, arguments: args } });
}

/** No secret the store holds for this session may appear in anything the browser can get. */
async function expectNoSecretsIn(session: Session, ...extra: unknown[]) {
  const resource = session.auth.flow?.discovered?.resource as string;
  const tokens = await ts().store.getTokens(OWNER, resource);
  expect(tokens).toBeDefined();
  const visible = JSON.stringify([session.log.events(), registry.summary(session), await session.auth.status(), ...extra]);
  expect(visible).not.toContain(tokens!.accessToken);
  if (tokens!.refreshToken) expect(visible).not.toContain(tokens!.refreshToken);
}

describe('OAuth on a session (dynamic registration)', () => {
  const fx = startedForSuite(startOAuthFixture);

  it('starts on its own on a 401, completes at the callback and connects; tokens stay on the server', async () => {
    newRegistry();
    await ts().store.forgetTokens(OWNER);
    const { session, summary } = await create({ url: fx().mcpUrl });
    expect(summary.state).toBe('auth_required');
    expect(summary.auth).toMatchObject({ type: 'none', needed: 'authorize' });
    const url = new URL(summary.authorizationUrl as string);
    expect(url.origin + url.pathname).toContain(fx().issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('resource')).toBe(fx().mcpUrl);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(phases(session, 'oauth:discovery')[0]?.status).toBe('ok');
    expect(phases(session, 'oauth:registration')[0]?.status).toBe('ok');

    const { walk, outcome } = await browserAuthorizes(summary.authorizationUrl as string);
    expect(outcome).toEqual({ kind: 'redirect', location: `/inspect/${session.id}` });
    expect(session.state).toBe('connected');
    expect(registry.summary(session).auth).toMatchObject({ usesTokens: true });
    expect(registry.summary(session).authorizationUrl).toBeUndefined();

    const result = await callTool(session, 'whoami');
    expect(toolText((result as { result: unknown }).result)).toContain('mcp:read');
    // The code never shows up in clear either.
    expect(JSON.stringify(session.log.events())).not.toContain(walk.params.code as string);
    await expectNoSecretsIn(session);
  });

  it('a server URL with ?api_key= goes through OAuth without the key reaching the browser or the authorization server', async () => {
    newRegistry();
    await ts().store.forgetTokens(OWNER);
    const key = 'AKIAoauthUrlKey4242';
    const { session, summary } = await create({ url: `${fx().mcpUrl}?api_key=${key}` });
    expect(summary.state).toBe('auth_required');
    // The authorization URL is for the browser to open: no key in it, its resource included.
    expect(summary.authorizationUrl).not.toContain(key);
    expect(new URL(summary.authorizationUrl as string).searchParams.get('resource')).not.toContain('api_key');
    const { outcome } = await browserAuthorizes(summary.authorizationUrl as string);
    expect(outcome).toEqual({ kind: 'redirect', location: `/inspect/${session.id}` });
    expect(session.state).toBe('connected');
    const visible = JSON.stringify([session.log.events(), session.log.meta, registry.summary(session), await session.auth.status()]);
    expect(visible).not.toContain(key);
    expect(registry.summary(session).url).toBe(`${fx().mcpUrl}?api_key=••••4242`);
  });

  it('reuses the token this browser already holds: a second session connects without a browser round trip', async () => {
    newRegistry();
    const { summary } = await create({ url: fx().mcpUrl });
    expect(summary.state).toBe('connected');
    expect(summary.auth?.usesTokens).toBe(true);
  });

  it('steps up on 403 insufficient_scope: the link asks for the union of scopes, then the call works', async () => {
    newRegistry();
    const { session } = await create({ url: fx().mcpUrl });
    expect(session.state).toBe('connected');
    await expect(callTool(session, ADMIN_TOOL)).rejects.toMatchObject({ code: 'auth_required' });
    const summary = registry.summary(session);
    expect(summary.state).toBe('connected');
    expect(summary.auth).toMatchObject({ needed: 'step_up', requiredScopes: expect.arrayContaining([ADMIN_SCOPE]) });
    const scope = new URL(summary.authorizationUrl as string).searchParams.get('scope')?.split(' ') ?? [];
    expect(scope).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write', ADMIN_SCOPE]));

    const { outcome } = await browserAuthorizes(summary.authorizationUrl as string);
    expect(outcome.kind).toBe('redirect');
    expect(registry.summary(session).auth?.needed).toBeUndefined();
    const result = await callTool(session, ADMIN_TOOL);
    expect(toolText((result as { result: unknown }).result)).toBe('admin action done');
  });

  it('a failed refresh asks for a new authorization and keeps the session log', async () => {
    newRegistry();
    const { session } = await create({ url: fx().mcpUrl });
    expect(session.state).toBe('connected');
    const resource = session.auth.flow!.discovered!.resource;
    const held = (await ts().store.getTokens(OWNER, resource))!;
    // A refresh token the server never issued: the refresh is refused (invalid_grant).
    await ts().store.saveTokens({ ...held, refreshToken: 'not-a-real-refresh-token-0000' });
    fx().expireAccessTokens();
    const before = session.log.lastSeq;
    await expect(callTool(session, 'whoami')).rejects.toMatchObject({ code: 'auth_required' });
    const summary = registry.summary(session);
    expect(summary.state).toBe('auth_required');
    expect(summary.auth?.needed).toBe('reauthorize');
    expect(summary.authorizationUrl).toBeTruthy();
    expect(phases(session, 'oauth:refresh').at(-1)?.status).toBe('failed');
    expect(session.log.events().length).toBeGreaterThan(before);
    expect(session.log.events()[0]?.seq).toBe(1);

    await browserAuthorizes(summary.authorizationUrl as string);
    expect(session.state).toBe('connected');
    const result = await callTool(session, 'add', { a: 2, b: 3 });
    expect(toolText((result as { result: unknown }).result)).toBe('5');
  });

  it('refuses a callback from another browser and explains it', async () => {
    newRegistry();
    await ts().store.forgetTokens(OWNER);
    const { session, summary } = await create({ url: fx().mcpUrl });
    const { outcome } = await browserAuthorizes(summary.authorizationUrl as string, newOwnerId());
    expect(outcome).toMatchObject({ kind: 'error', code: 'invalid_state', message: expect.stringMatching(/another browser/) });
    expect(session.state).toBe('auth_required');
  });

  it('does not start OAuth when the server refused a bearer token the person gave', async () => {
    newRegistry();
    const { session, summary } = await create({ url: fx().mcpUrl, auth: { type: 'bearer', token: 'typed-by-hand-token-1234' } });
    expect(summary.state).toBe('auth_required');
    expect(summary.authorizationUrl).toBeUndefined();
    expect(session.log.events().some((e) => e.kind === 'finding' && e.code === 'oauth_not_started')).toBe(true);
    // "Connect with OAuth" then starts it on request.
    const started = await registry.startOAuth(session, { grant: 'authorization_code', scopes: [], guided: false });
    expect(started.state).toBe('auth_required');
    expect(started.auth).toMatchObject({ type: 'oauth', needed: 'authorize' });
    await browserAuthorizes(started.authorizationUrl as string);
    expect(registry.summary(session)).toMatchObject({ state: 'connected', auth: { type: 'oauth', usesTokens: true } });
    // The token replaces the typed Authorization header on the wire.
    const result = await callTool(session, 'whoami');
    expect(toolText((result as { result: unknown }).result)).toContain('mcp:read');
  });
});

describe('OAuth on a session (other servers and grants)', () => {
  it('uses a pre-registered client and refreshes (with rotation) once the short-lived token nears expiry', async () => {
    const fx = await fixtureForThisTest({ accessTokenTtlSeconds: 4 });
    const { session, summary } = await create({
      url: fx.mcpUrl,
      auth: { type: 'oauth', clientId: fx.preRegisteredClientId, scopes: ['mcp:read'] },
    });
    expect(summary.state).toBe('auth_required');
    const url = new URL(summary.authorizationUrl as string);
    expect(url.searchParams.get('client_id')).toBe(fx.preRegisteredClientId);
    expect(url.searchParams.get('scope')).toBe('mcp:read');
    expect(phases(session, 'oauth:registration')).toHaveLength(0);
    await browserAuthorizes(summary.authorizationUrl as string);
    expect(session.state).toBe('connected');
    const firstRefresh = (await ts().store.getTokens(OWNER, fx.mcpUrl))?.refreshToken;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const result = await callTool(session, 'add', { a: 1, b: 1 });
    expect(toolText((result as { result: unknown }).result)).toBe('2');
    expect(phases(session, 'oauth:refresh').at(-1)?.status).toBe('ok');
    expect((await ts().store.getTokens(OWNER, fx.mcpUrl))?.refreshToken).not.toBe(firstRefresh);
    expect(fx.events.filter((e) => e.kind === 'refresh').length).toBeGreaterThan(0);
  });

  it('retries once after a refresh when the server answers JSON-RPC -32001', async () => {
    const fx = await fixtureForThisTest({ expiredTokenStyle: 'jsonrpc-32001' });
    await ts().store.forgetTokens(OWNER);
    const { session, summary } = await create({ url: fx.mcpUrl });
    await browserAuthorizes(summary.authorizationUrl as string);
    expect(session.state).toBe('connected');
    fx.expireAccessTokens();
    const rejectedBefore = fx.stats.rejectedTokens;
    const result = await callTool(session, 'add', { a: 20, b: 22 });
    expect(toolText((result as { result: unknown }).result)).toBe('42');
    expect(fx.stats.rejectedTokens).toBe(rejectedBefore + 1);
    expect(session.log.events().some((e) => e.kind === 'finding' && e.code === 'token_expired_jsonrpc')).toBe(true);
    expect(phases(session, 'oauth:refresh').at(-1)?.status).toBe('ok');
  });

  it('connects with the client credentials grant, no browser involved', async () => {
    const fx = await fixtureForThisTest();
    const { summary, session } = await create(machineClientSession(fx));
    expect(summary.state).toBe('connected');
    expect(phases(session, 'oauth:client-credentials')[0]?.status).toBe('ok');
    expect(JSON.stringify(session.log.events())).not.toContain(fx.machineClient.clientSecret);
    const result = await callTool(session, 'whoami');
    expect(toolText((result as { result: unknown }).result)).toContain(fx.machineClient.clientId);
  });

  it('connects to a server whose authorization server only has OpenID discovery', async () => {
    const fx = await fixtureForThisTest({ oidcOnly: true });
    const { summary, session } = await create({ url: fx.mcpUrl });
    expect(summary.state).toBe('auth_required');
    expect(session.auth.flow?.discovered?.metadataKind).toBe('oidc');
    await browserAuthorizes(summary.authorizationUrl as string);
    expect(session.state).toBe('connected');
  });

  it('guided mode: one step at a time, each planned before and explained after', async () => {
    const fx = await fixtureForThisTest();
    const { session, summary } = await create({ url: fx.mcpUrl, auth: { type: 'oauth', guided: true } });
    expect(summary.state).toBe('auth_required');
    expect(summary.auth).toMatchObject({ needed: 'authorize', guided: true });
    expect(summary.authorizationUrl).toBeUndefined();
    expect(phases(session, 'oauth:discovery')).toHaveLength(0);

    const connect = async () => {
      const after = await registry.resumeAfterAuthorization(session);
      return { ok: after.state === 'connected', message: after.state };
    };
    let state = await guidedState(session.auth);
    expect(state.next).toBe('discovery');
    expect(state.steps.find((s) => s.id === 'discovery')?.planned?.[0]?.url).toBe(fx.resourceMetadataUrl);
    await expect(runGuidedStep(session.auth, { step: 'authorize' }, connect)).rejects.toThrow(/cannot run yet/);

    state = await runGuidedStep(session.auth, { step: 'discovery' }, connect);
    const discovery = state.steps.find((s) => s.id === 'discovery')!;
    expect(discovery.status).toBe('done');
    expect(discovery.exchanges?.map((x) => x.url)).toContain(fx.resourceMetadataUrl);
    expect(state.next).toBe('client');
    const clientPlan = state.steps.find((s) => s.id === 'client')!.planned?.[0];
    expect(clientPlan?.method).toBe('POST');
    expect(JSON.parse(clientPlan?.body ?? '{}')).toMatchObject({ redirect_uris: [REDIRECT_URI] });

    state = await runGuidedStep(session.auth, { step: 'client' }, connect);
    expect(state.next).toBe('authorize');
    expect(state.settings.scopes).toEqual(['mcp:read', 'mcp:write']);
    state = await runGuidedStep(session.auth, { step: 'authorize', settings: { scopes: ['mcp:read'] } }, connect);
    expect(state.next).toBeUndefined();
    expect(state.steps.find((s) => s.id === 'token')?.status).toBe('waiting');
    expect(new URL(state.authorizationUrl as string).searchParams.get('scope')).toBe('mcp:read');

    const { walk, outcome } = await browserAuthorizes(state.authorizationUrl as string);
    expect(outcome).toEqual({ kind: 'redirect', location: `/inspect/${session.id}/oauth` });
    state = await guidedState(session.auth);
    expect(state.next).toBe('token');
    const tokenPlan = state.steps.find((s) => s.id === 'token')!.planned![0]!;
    expect(tokenPlan.params).toContainEqual(['grant_type', 'authorization_code']);
    expect(JSON.stringify(state)).not.toContain(walk.params.code as string);

    state = await runGuidedStep(session.auth, { step: 'token' }, connect);
    expect(state.steps.find((s) => s.id === 'token')?.status).toBe('done');
    state = await runGuidedStep(session.auth, { step: 'connect' }, connect);
    expect(state.finished).toBe(true);
    expect(session.state).toBe('connected');
    await expectNoSecretsIn(session, state);
  });
});
