// Every chaos behaviour through the API layer (the session registry, as the routes use it): mcpscope stays up,
// explains the failure, keeps the whole exchange in the session log, and logs a finding naming the violation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
import { followAuthorizationRedirects, isTolerableCheck } from '@/lib/oauth';
import { completeAuthorization, newOwnerId, OWNER_COOKIE, SessionRegistry, signOwner, type Session } from '@/lib/sessions';
import type { FindingEvent, TraceEvent } from '@/lib/trace';
import { CHAOS_BEHAVIOURS, startChaosServer, type ChaosBehaviour, type ChaosServer } from '@/e2e/fixtures/chaos';
import { tempStore, type TestStore } from '../oauth/helpers';

/** The API error each behaviour that breaks the connect must produce (anything but a bare internal error). */
const CONNECT_ERRORS: Record<string, string> = {
  '/non-json': 'invalid_response',
  '/html-502': 'http_error',
  '/wrong-content-type': 'not_mcp',
  '/truncated-sse': 'stream_closed',
  '/sse-no-data': 'stream_closed',
  '/huge-frame': 'message_too_large',
  '/drip': 'timeout',
  '/never': 'timeout',
  '/close-mid-stream': 'stream_closed',
  '/no-jsonrpc': 'invalid_response',
  '/unknown-id': 'stream_closed',
  '/result-and-error': 'invalid_response',
  '/redirect-loop': 'http_error',
  '/redirect-other-host': 'http_error',
  '/gzip-bomb': 'protocol_error',
  '/huge-headers': 'invalid_response',
};

let chaos: ChaosServer;
let store: TestStore;
let registry: SessionRegistry;
const owner = newOwnerId();

beforeAll(async () => {
  chaos = await startChaosServer();
  store = await tempStore();
  registry = new SessionRegistry({ config: readConfig({ PUBLIC_URL: 'http://localhost:3999' }), store: async () => store.store });
});

afterAll(async () => {
  await registry.shutdown();
  await chaos.close();
  await store.close();
});

function findings(session: Session): FindingEvent[] {
  return session.log.events().filter((e): e is FindingEvent => e.kind === 'finding');
}

function exchangesTo(events: readonly TraceEvent[], url: string): { requests: number; responses: number; ends: number } {
  const ids = new Set(
    events.filter((e) => e.kind === 'http.request' && e.url.startsWith(url)).map((e) => (e as { exchangeId: string }).exchangeId),
  );
  const count = (kind: TraceEvent['kind']) =>
    events.filter((e) => e.kind === kind && ids.has((e as { exchangeId: string }).exchangeId)).length;
  return { requests: ids.size, responses: count('http.response'), ends: count('http.end') };
}

async function connect(behaviour: ChaosBehaviour, extra: Record<string, unknown> = {}) {
  const outcome = await registry.create(owner, {
    url: chaos.url(behaviour.path),
    timeouts: { connectMs: 2000, requestMs: 3000 },
    ...extra,
  });
  const sessionId = outcome.ok ? outcome.session.id : outcome.body.sessionId;
  expect(sessionId, `a session (with its log) exists for ${behaviour.path}`).toBeDefined();
  const session = registry.get(owner, sessionId!);
  expect(session).toBeDefined();
  return { outcome, session: session! };
}

function expectFinding(session: Session, behaviour: ChaosBehaviour): FindingEvent {
  const found = findings(session).find((f) => f.code === behaviour.finding);
  expect(
    found,
    `finding ${behaviour.finding} for ${behaviour.path}; got ${findings(session)
      .map((f) => f.code)
      .join(', ')}`,
  ).toBeDefined();
  expect(found!.message.length).toBeGreaterThan(40);
  return found!;
}

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the chaos server', () => {
  it('has at least 25 behaviours, each at its own path with its own finding code', () => {
    expect(CHAOS_BEHAVIOURS.length).toBeGreaterThanOrEqual(25);
    expect(new Set(CHAOS_BEHAVIOURS.map((b) => b.path)).size).toBe(CHAOS_BEHAVIOURS.length);
    expect(new Set(CHAOS_BEHAVIOURS.map((b) => b.finding)).size).toBe(CHAOS_BEHAVIOURS.length);
    for (const behaviour of CHAOS_BEHAVIOURS.filter((b) => b.outcome === 'fails')) expect(CONNECT_ERRORS[behaviour.path]).toBeDefined();
  });
});

describe.each(CHAOS_BEHAVIOURS.filter((b) => (b.driver ?? 'connect') === 'connect'))('chaos $path', (behaviour) => {
  it(`${behaviour.violation}: explained, logged, and found as ${behaviour.finding}`, async () => {
    const { outcome, session } = await connect(behaviour);
    const events = session.log.events();

    if (behaviour.outcome === 'fails') {
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.body.error.code).toBe(CONNECT_ERRORS[behaviour.path]);
      expect(outcome.status).toBeGreaterThanOrEqual(400);
      expect(outcome.body.error.message).not.toMatch(/Something went wrong inside mcpscope/);
      expect(outcome.body.error.message.length).toBeGreaterThan(30);
      expect(session.state).toBe('failed');
      expect(session.error?.code).toBe(CONNECT_ERRORS[behaviour.path]);
      // The size cap is named as the cause, with the setting that raises it.
      if (behaviour.path === '/huge-frame') expect(outcome.body.error.message).toContain('MCPSCOPE_MAX_MESSAGE_BYTES');
    } else {
      expect(outcome.ok).toBe(true);
      expect(session.state).toBe(behaviour.outcome === 'connects' ? 'connected' : 'auth_required');
    }

    // The log keeps the exchange with the misbehaving server: the request, and its answer when there was one.
    const seen = exchangesTo(events, chaos.url(behaviour.path));
    expect(seen.requests).toBeGreaterThan(0);
    if (behaviour.path !== '/never' && behaviour.path !== '/huge-headers') expect(seen.responses).toBeGreaterThan(0);
    await waitFor(
      () =>
        exchangesTo(session.log.events(), chaos.url(behaviour.path)).ends >=
        exchangesTo(session.log.events(), chaos.url(behaviour.path)).requests,
      3000,
    );

    expectFinding(session, behaviour);
  });
});

describe('chaos faults that need more than a connect', () => {
  it('/session-expires: the session says the server forgot it, keeps its log, and reconnects', async () => {
    const behaviour = CHAOS_BEHAVIOURS.find((b) => b.path === '/session-expires')!;
    const { outcome, session } = await connect(behaviour);
    expect(outcome.ok).toBe(true);
    const call = await registry
      .rpc(session, { method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } })
      .catch((error: unknown) => error);
    expect(call).toMatchObject({ code: 'http_error' });
    expect((call as Error).message).toMatch(/no longer knows this session/);
    expectFinding(session, behaviour);
    expect(session.state).toBe('closed');
    expect(session.error?.code).toBe('server_session_lost');
    const before = session.log.lastSeq;
    const firstSeq = session.log.events()[0]!.seq;

    const summary = await registry.reconnect(session);
    expect(summary.state).toBe('connected');
    expect(await registry.rpc(session, { method: 'ping' })).toEqual({ result: {} });
    // One log, continued: the events from before the loss are still there, numbered before the new ones.
    expect(session.log.events()[0]!.seq).toBe(firstSeq);
    expect(session.log.lastSeq).toBeGreaterThan(before);
  });

  it('/drop-stream: reconnects the GET stream with Last-Event-ID and backoff, on the timeline, and loses nothing', async () => {
    const behaviour = CHAOS_BEHAVIOURS.find((b) => b.path === '/drop-stream')!;
    const { outcome, session } = await connect(behaviour);
    expect(outcome.ok).toBe(true);
    const messages = () =>
      session.log
        .events()
        .filter((e) => e.kind === 'rpc' && e.direction === 'in' && e.method === 'notifications/message')
        .map((e) => (e as { message?: { params?: { data?: string } } }).message?.params?.data ?? '');
    await waitFor(() => messages().includes('after the resume'), 10_000);
    // Nothing lost: the notification sent while the stream was down arrived on the resumed stream, in order.
    expect(messages()).toEqual(['before the drop', 'sent while the stream was down', 'after the resume']);

    const reconnects = session.log.events().filter((e) => e.kind === 'phase' && e.name === 'reconnect' && e.status === 'started');
    expect(reconnects.length).toBeGreaterThanOrEqual(2);
    for (const phase of reconnects) expect((phase as { detail?: string }).detail).toMatch(/Last-Event-ID 1/);
    // Backoff: the second attempt waits longer after the first failed one than the first waited after the drop.
    const dropT = session.log.events().find((e) => e.kind === 'finding' && e.code === 'stream_dropped')!.t;
    const firstWait = reconnects[0]!.t - dropT;
    const secondWait = reconnects[1]!.t - reconnects[0]!.t;
    expect(firstWait).toBeGreaterThan(500);
    expect(secondWait).toBeGreaterThan(firstWait);
    expect(findings(session).map((f) => f.code)).toEqual(expect.arrayContaining(['stream_dropped', 'stream_resumed']));
    expect(session.state).toBe('connected');
  });

  it('OAuth behaviours: each is found during discovery, and the session waits for authorization', async () => {
    for (const behaviour of CHAOS_BEHAVIOURS.filter((b) => b.driver === 'oauth' && b.path !== '/token-html')) {
      // An identity check (RFC 8414 §3.3 issuer, RFC 9728 §3.3 resource) refuses by default: no authorization
      // link, the rule and both values in the summary. Only a session that tolerates it goes on.
      const tolerable = isTolerableCheck(behaviour.finding);
      if (tolerable) {
        const strict = await connect(behaviour, { auth: { type: 'oauth' } });
        expect(strict.outcome.ok, behaviour.path).toBe(true);
        expect(strict.session.state).toBe('auth_required');
        const summary = registry.summary(strict.session);
        expect(summary.authorizationUrl).toBeUndefined();
        expect(summary.auth?.error?.code).toBe(behaviour.finding);
        expect(summary.auth?.refusal).toMatchObject({
          check: behaviour.finding,
          expected: expect.any(String),
          received: expect.any(String),
        });
        expect(exchangesTo(strict.session.log.events(), `${chaos.origin}${behaviour.path}/as/authorize`).requests).toBe(0);
      }
      const { outcome, session } = await connect(behaviour, {
        auth: { type: 'oauth', ...(tolerable ? { tolerate: [behaviour.finding] } : {}) },
      });
      expect(outcome.ok, behaviour.path).toBe(true);
      expect(session.state).toBe('auth_required');
      expect(registry.summary(session).authorizationUrl).toMatch(new RegExp(`^${chaos.origin}${behaviour.path}/as/authorize`));
      expectFinding(session, behaviour);
      expect(exchangesTo(session.log.events(), `${chaos.origin}/.well-known/oauth-protected-resource`).responses).toBeGreaterThan(0);
    }
  });

  it('/token-html: the failed token exchange is explained, logged, and found as oauth_html_response', async () => {
    const behaviour = CHAOS_BEHAVIOURS.find((b) => b.path === '/token-html')!;
    const { session } = await connect(behaviour, { auth: { type: 'oauth' } });
    expect(session.state).toBe('auth_required');
    const authorizationUrl = registry.summary(session).authorizationUrl!;
    const walk = await followAuthorizationRedirects(authorizationUrl, { redirectUri: 'http://localhost:3999/callback' });
    expect(walk.kind).toBe('callback');
    if (walk.kind !== 'callback') return;
    const result = await completeAuthorization(
      new Request(walk.callbackUrl, { headers: { cookie: `${OWNER_COOKIE}=${signOwner(owner)}` } }),
      {
        registry,
        store: async () => store.store,
      },
    );
    expect(result).toMatchObject({ kind: 'error', code: 'token_request_failed' });
    if (result.kind === 'error') expect(result.message.length).toBeGreaterThan(30);
    expectFinding(session, behaviour);
    const tokenExchange = exchangesTo(session.log.events(), `${chaos.origin}${behaviour.path}/as/token`);
    expect(tokenExchange.requests).toBe(1);
    expect(tokenExchange.responses).toBe(1);
  });

  it('stays up: after every behaviour, a correct server still connects and answers', async () => {
    const outcome = await registry.create(owner, { url: chaos.url('/ok') });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(
      await registry.rpc(outcome.session, { method: 'tools/call', params: { name: 'echo', arguments: { text: 'still here' } } }),
    ).toEqual({
      result: { content: [{ type: 'text', text: 'still here' }] },
    });
  });
});
