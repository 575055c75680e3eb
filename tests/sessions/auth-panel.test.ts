// What the workspace's Authorization panel asks of a session, against a real authorization server (oidc-provider)
// protecting a real MCP server: refresh now, authorize again, step up; and a refreshed tools list that runs into
// an expired token, a dead one, or a missing scope behaves like any other request.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_SCOPE, ADMIN_TOOL, startOAuthFixture, type OAuthFixture } from '@/e2e/fixtures/oauth';
import { readConfig } from '@/lib/config';
import type { SessionSummary } from '@/lib/contract';
import { EngineError } from '@/lib/mcp';
import { newOwnerId, SessionError, SessionRegistry, statusForCode, type Session } from '@/lib/sessions';
import { tokenView } from '@/lib/store';
import type { PhaseEvent } from '@/lib/trace';
import { tempStore, toolText, type TestStore } from '../oauth/helpers';
import { browserAuthorizes as authorizeInBrowser, createdSession, machineClientSession } from './helpers';

const PUBLIC_URL = 'http://localhost:3000';
const OWNER = newOwnerId();

let ts: TestStore;
let fx: OAuthFixture;
let registry: SessionRegistry;
/** When set, the network answers tools/list with this response instead of asking the server. */
let toolsListAnswer: (() => Response) | undefined;

const networkFetch: typeof fetch = async (input, init) => {
  if (toolsListAnswer && typeof init?.body === 'string' && init.body.includes('"tools/list"')) return toolsListAnswer();
  return fetch(input, init);
};

beforeAll(async () => {
  ts = await tempStore();
  fx = await startOAuthFixture();
});
afterAll(async () => {
  await fx.close();
  await ts.close();
});
beforeEach(async () => {
  toolsListAnswer = undefined;
  await ts.store.forgetTokens(OWNER);
  registry = new SessionRegistry({
    config: { ...readConfig({}), publicUrl: PUBLIC_URL },
    store: async () => ts.store,
    baseFetch: networkFetch,
  });
});
afterEach(async () => {
  await registry.shutdown();
});

const create = (body: Record<string, unknown>) => createdSession(registry, OWNER, body);

/** What the browser does: follow the auto-approving authorization URL to the callback, with the owner cookie. */
const browserAuthorizes = async (authorizationUrl: string) =>
  (await authorizeInBrowser(authorizationUrl, OWNER, { registry, store: async () => ts.store, publicUrl: PUBLIC_URL })).outcome;

/** A session connected with a token from a full authorization (dynamic registration). */
async function connectedSession(): Promise<Session> {
  const { session, summary } = await create({ url: fx.mcpUrl });
  expect(summary.state).toBe('auth_required');
  await browserAuthorizes(summary.authorizationUrl as string);
  expect(session.state).toBe('connected');
  return session;
}

function closedPhases(session: Session, name: string): PhaseEvent[] {
  return session.log.events().filter((e): e is PhaseEvent => e.kind === 'phase' && e.name === name && e.status !== 'started');
}

const held = () => ts.store.getTokens(OWNER, fx.mcpUrl);

describe('refresh now', () => {
  it('trades the refresh token at once: a new access token, the refresh token rotated, a phase in the log, nothing in clear', async () => {
    const session = await connectedSession();
    const before = (await held())!;
    const refreshesBefore = fx.events.filter((e) => e.kind === 'refresh').length;

    const token = await session.auth.refreshNow();

    const after = (await held())!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).toBeDefined();
    expect(after.refreshToken).not.toBe(before.refreshToken);
    // What the store holds, masked (the saved-at time may differ by the millisecond between two clocks).
    expect({ ...token, updatedAt: 0 }).toEqual({ ...tokenView(after, Date.now()), updatedAt: 0 });
    expect(token.accessToken).toMatch(/^••••.{4}$/);
    expect(token.accessToken.slice(-4)).toBe(after.accessToken.slice(-4));
    expect(JSON.stringify(token)).not.toContain(after.accessToken);
    expect(JSON.stringify(token)).not.toContain(after.refreshToken as string);
    expect(fx.events.filter((e) => e.kind === 'refresh').length).toBe(refreshesBefore + 1);
    expect(closedPhases(session, 'oauth:refresh').at(-1)?.status).toBe('ok');
    // The status the panel reads shows the new token, and the session goes on with it.
    expect((await session.auth.status()).token?.accessToken).toBe(token.accessToken);
    const result = await registry.rpc(session, { method: 'tools/call', params: { name: 'add', arguments: { a: 2, b: 2 } } });
    expect(toolText((result as { result: unknown }).result)).toBe('4');
  });

  it('a refused refresh is an error that says so, and the dead tokens are dropped', async () => {
    const session = await connectedSession();
    await ts.store.saveTokens({ ...(await held())!, refreshToken: 'never-issued-refresh-token-0000' });
    const failure = await session.auth.refreshNow().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EngineError);
    expect(failure).toMatchObject({ code: 'auth_required', message: expect.stringMatching(/refuse/i) });
    expect(await held()).toBeUndefined();
    expect(closedPhases(session, 'oauth:refresh').at(-1)?.status).toBe('failed');
  });

  it('without a refresh token it refuses before sending anything (409 no_refresh_token)', async () => {
    const session = await connectedSession();
    const { refreshToken: _dropped, ...rest } = (await held())!;
    await ts.store.saveTokens(rest);
    const phases = closedPhases(session, 'oauth:refresh').length;
    const failure = await session.auth.refreshNow().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SessionError);
    expect((failure as SessionError).code).toBe('no_refresh_token');
    expect(statusForCode('no_refresh_token')).toBe(409);
    expect(closedPhases(session, 'oauth:refresh')).toHaveLength(phases);
  });

  it('a session without OAuth has nothing to refresh or re-authorize (409 no_oauth)', async () => {
    const { session } = await create({ url: fx.mcpUrl, auth: { type: 'bearer', token: 'typed-by-hand-token-9876' } });
    await expect(session.auth.refreshNow()).rejects.toMatchObject({ code: 'no_oauth' });
    await expect(session.auth.authorizeAgain()).rejects.toMatchObject({ code: 'no_oauth' });
    expect(statusForCode('no_oauth')).toBe(409);
  });
});

describe('authorize again and step up', () => {
  it('re-authorize: a fresh link with the same client; the callback replaces the token while the session stays connected', async () => {
    const session = await connectedSession();
    const clientId = session.auth.flow?.clientIdentity?.clientId;
    const before = (await held())!;
    const answer = await session.auth.authorizeAgain();
    if (answer.kind !== 'redirect') throw new Error('expected a redirect');
    const url = new URL(answer.authorizationUrl);
    expect(url.searchParams.get('client_id')).toBe(clientId);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(answer.scopes).toEqual(['mcp:read', 'mcp:write']);
    expect(session.state).toBe('connected');

    expect(await browserAuthorizes(answer.authorizationUrl)).toEqual({ kind: 'redirect', location: `/inspect/${session.id}` });
    expect(session.state).toBe('connected');
    expect((await held())!.accessToken).not.toBe(before.accessToken);
  });

  it('step up: asks for the union of the scopes held and those added; afterwards the scoped tool works', async () => {
    const session = await connectedSession();
    const answer = await session.auth.authorizeAgain([ADMIN_SCOPE]);
    if (answer.kind !== 'redirect') throw new Error('expected a redirect');
    const scope = new URL(answer.authorizationUrl).searchParams.get('scope')?.split(' ');
    expect(scope).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write', ADMIN_SCOPE]));
    expect(closedPhases(session, 'oauth:step-up').at(-1)?.status).toBe('ok');
    await browserAuthorizes(answer.authorizationUrl);
    expect((await held())!.scopes).toEqual(expect.arrayContaining([ADMIN_SCOPE]));
    const result = await registry.rpc(session, { method: 'tools/call', params: { name: ADMIN_TOOL, arguments: {} } });
    expect(toolText((result as { result: unknown }).result)).toBe('admin action done');
  });

  it('client credentials: authorizing again needs no browser and answers the new token', async () => {
    const { session, summary } = await create(machineClientSession(fx));
    expect(summary.state).toBe('connected');
    const before = (await held())!;
    const answer = await session.auth.authorizeAgain();
    if (answer.kind !== 'token') throw new Error('expected a token');
    const after = (await held())!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(answer.token.accessToken).toBe(tokenView(after, Date.now()).accessToken);
    expect(JSON.stringify(answer)).not.toContain(after.accessToken);
  });
});

describe('refreshing the tools list with OAuth', () => {
  it('an expired token is refreshed and the list comes back', async () => {
    const session = await connectedSession();
    fx.expireAccessTokens();
    const tools = await registry.tools(session, true);
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['whoami', 'add', ADMIN_TOOL]));
    expect(closedPhases(session, 'oauth:refresh').at(-1)?.status).toBe('ok');
    expect(session.state).toBe('connected');
  });

  it('a token that cannot be renewed asks for a new authorization, as a call would', async () => {
    const session = await connectedSession();
    await ts.store.saveTokens({ ...(await held())!, refreshToken: 'never-issued-refresh-token-1111' });
    fx.expireAccessTokens();
    await expect(registry.tools(session, true)).rejects.toMatchObject({ code: 'auth_required' });
    const summary = registry.summary(session);
    expect(summary.state).toBe('auth_required');
    expect(summary.auth?.needed).toBe('reauthorize');
    expect(summary.authorizationUrl).toBeTruthy();
  });

  it('a 403 insufficient_scope on tools/list leads to the step-up prompt; the session stays connected', async () => {
    const session = await connectedSession();
    const summaries: SessionSummary[] = [];
    registry.subscribeSummary(session, (summary) => summaries.push(summary));
    toolsListAnswer = () =>
      new Response(JSON.stringify({ error: 'insufficient_scope' }), {
        status: 403,
        headers: {
          'content-type': 'application/json',
          'www-authenticate': `Bearer error="insufficient_scope", scope="mcp:read mcp:write ${ADMIN_SCOPE}"`,
        },
      });
    await expect(registry.tools(session, true)).rejects.toMatchObject({
      code: 'auth_required',
      message: expect.stringContaining(ADMIN_SCOPE),
    });
    const summary = registry.summary(session);
    expect(summary.state).toBe('connected');
    expect(summary.auth).toMatchObject({ needed: 'step_up', requiredScopes: expect.arrayContaining([ADMIN_SCOPE]) });
    expect(new URL(summary.authorizationUrl as string).searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining([ADMIN_SCOPE]),
    );
    // The browser hears of it at once (the step-up banner), not on its next poll.
    expect(summaries.at(-1)?.auth?.needed).toBe('step_up');
  });
});
