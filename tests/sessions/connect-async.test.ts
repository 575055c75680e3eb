// Connecting without waiting (`wait: false`, `Prefer: respond-async`): the session exists at once in state
// `connecting`, and the handshake goes on in its log, against real servers whose handshake is held at a gate.
import { afterAll, describe, expect, it } from 'vitest';
import { POST as createSession } from '@/app/api/sessions/route';
import { DELETE as deleteSession, GET as getSession } from '@/app/api/sessions/[id]/route';
import { GET as events } from '@/app/api/sessions/[id]/events/route';
import { readConfig } from '@/lib/config';
import type { SessionState, SessionSummary } from '@/lib/contract';
import {
  getRegistry,
  newOwnerId,
  OWNER_COOKIE,
  parseCreateSession,
  prefersRespondAsync,
  SessionError,
  SessionRegistry,
  signOwner,
  type Session,
} from '@/lib/sessions';
import type { PhaseEvent, TraceEvent } from '@/lib/trace/types';
import { startSlowHandshake, type SlowHandshakeServer } from '@/e2e/fixtures/slow-handshake';
import {
  refusedUrl,
  startModernServer,
  startSilentServer,
  startStatefulServer,
  startUnauthorizedServer,
  type TestServer,
} from '../mcp/servers';
import { waitFor } from '../fixtures/helpers';
import { cleanupsAfterEach } from '../fixtures/suite';

const cleanups = cleanupsAfterEach();
afterAll(async () => {
  await getRegistry().shutdown();
});

function registry(env: Record<string, string> = {}): SessionRegistry {
  const instance = new SessionRegistry({ config: readConfig(env) });
  cleanups.push(() => instance.shutdown());
  return instance;
}

async function server<T extends { close(): Promise<void> }>(start: Promise<T>): Promise<T> {
  const started = await start;
  cleanups.push(() => started.close());
  return started;
}

async function slow(hold: string[], upstream: () => Promise<TestServer>): Promise<SlowHandshakeServer> {
  return server(startSlowHandshake({ hold, upstream: await upstream() }));
}

function phases(session: Session): PhaseEvent[] {
  return session.log.events().filter((event): event is PhaseEvent => event.kind === 'phase');
}

/** The phase's latest status (a phase opens as `started` and a later event with its id closes it). */
function phaseStatus(session: Session, name: string): string | undefined {
  return phases(session)
    .filter((event) => event.name === name)
    .at(-1)?.status;
}

function created(outcome: Awaited<ReturnType<SessionRegistry['create']>>): { session: Session; summary: SessionSummary } {
  if (!outcome.ok) throw new Error(`create failed: ${JSON.stringify(outcome.body)}`);
  return outcome;
}

describe('SessionRegistry.create without waiting', () => {
  it('answers in state connecting, and each step of the handshake reaches the log while it happens', async () => {
    const instance = registry();
    const gate = await slow(['initialize', 'tools/list'], () => startStatefulServer());
    const { session, summary } = created(await instance.create('owner-a', { url: gate.url, wait: false }));
    expect(summary).toMatchObject({ id: session.id, state: 'connecting', url: gate.url });
    expect(summary.server).toBeUndefined();
    const states: SessionState[] = [];
    instance.subscribeSummary(session, (next) => states.push(next.state));

    await gate.arrived('initialize');
    expect(session.state).toBe('connecting');
    expect(phaseStatus(session, 'connect')).toBe('started');
    await waitFor(() => phaseStatus(session, 'initialize') === 'started', 'the initialize phase');

    gate.release('initialize');
    await gate.arrived('tools/list');
    await waitFor(() => phaseStatus(session, 'tools/list') === 'started', 'the tools/list phase');
    expect(phaseStatus(session, 'initialize')).toBe('ok');
    expect(session.state).toBe('connecting');

    gate.release('tools/list');
    await waitFor(() => session.state === 'connected', 'connected');
    expect(states).toEqual(['connected']);
    expect(instance.summary(session).server?.era).toBe('stateful-2025');
    expect((await instance.tools(session, false)).map((tool) => tool.name)).toContain('echo');
  });

  it('keeps a session whose server is dead: it fails in the background with the reason, its log intact', async () => {
    const instance = registry();
    const dead = await refusedUrl();
    const { session, summary } = created(await instance.create('owner-a', { url: dead, wait: false }));
    expect(summary.state).toBe('connecting');
    const failed = await new Promise<SessionSummary>((resolve) => instance.subscribeSummary(session, resolve));
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'connection_refused' } });
    expect(instance.get('owner-a', session.id)).toBe(session);
    expect(phaseStatus(session, 'connect')).toBe('failed');
    expect(session.log.events().some((event: TraceEvent) => event.kind === 'http.request')).toBe(true);
  });

  it('stops the handshake when the session is closed meanwhile, and stays closed', async () => {
    const instance = registry();
    const gate = await slow(['initialize'], () => startStatefulServer());
    const { session } = created(await instance.create('owner-a', { url: gate.url, wait: false, timeouts: { connectMs: 20_000 } }));
    await gate.arrived('initialize');
    const startedAt = Date.now();
    expect((await instance.close(session)).state).toBe('closed');
    // The abort reaches the engine long before the 20 s connect timeout would.
    await waitFor(() => phaseStatus(session, 'connect') === 'failed', 'the connect phase to end', 5_000);
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(session.state).toBe('closed');
    expect(session.connection).toBeUndefined();
    // Cancelled is not "this server does not speak Streamable HTTP": no fallback to legacy SSE, no such diagnosis.
    expect(phases(session).map((event) => event.name)).not.toContain('probe:sse');
    expect(phases(session).find((event) => event.name === 'connect' && event.status === 'failed')?.error?.message).toMatch(
      /^Connecting was cancelled\.$/,
    );
    await expect(instance.rpc(session, { method: 'tools/list' })).rejects.toMatchObject({ code: 'not_connected' });
  });

  it('counts sessions still connecting as live at the per-owner limit', async () => {
    const instance = registry({ MCPSCOPE_MAX_SESSIONS: '2' });
    const silent = await server(startSilentServer());
    const first = created(await instance.create('owner-a', { url: silent.url, wait: false }));
    created(await instance.create('owner-a', { url: silent.url, wait: false }));
    expect(await instance.create('owner-a', { url: silent.url, wait: false })).toMatchObject({
      ok: false,
      status: 429,
      body: { error: { code: 'too_many_sessions' } },
    });
    // A session that is over gives way again.
    await instance.close(first.session);
    expect((await instance.create('owner-a', { url: silent.url, wait: false })).ok).toBe(true);
    expect(instance.countFor('owner-a')).toBe(2);
  });

  it('ends in auth_required when the server wants authorization', async () => {
    const instance = registry();
    const unauthorized = await server(startUnauthorizedServer());
    const { session } = created(
      await instance.create('owner-a', { url: unauthorized.url, auth: { type: 'bearer', token: 'expired-1234' }, wait: false }),
    );
    const next = await new Promise<SessionSummary>((resolve) => instance.subscribeSummary(session, resolve));
    expect(next).toMatchObject({ state: 'auth_required', error: { code: 'auth_required' } });
  });

  it('still waits by default, and when the body says wait: true over a Prefer header', async () => {
    const instance = registry();
    const modern = await server(startModernServer());
    expect(created(await instance.create('owner-a', { url: modern.url })).summary.state).toBe('connected');
    expect(created(await instance.create('owner-a', { url: modern.url, wait: true }, { respondAsync: true })).summary.state).toBe(
      'connected',
    );
    expect(created(await instance.create('owner-a', { url: modern.url }, { respondAsync: true })).summary.state).toBe('connecting');
  });
});

describe('parsing the option', () => {
  it('accepts a boolean wait and refuses anything else', () => {
    expect(parseCreateSession({ url: 'http://a.example/mcp', wait: false }).wait).toBe(false);
    expect(parseCreateSession({ url: 'http://a.example/mcp' })).not.toHaveProperty('wait');
    expect(() => parseCreateSession({ url: 'http://a.example/mcp', wait: 'no' })).toThrow(SessionError);
    expect(() => parseCreateSession({ url: 'http://a.example/mcp', wait: 'no' })).toThrow(/"wait" must be true or false/);
  });

  it('reads respond-async among other preferences', () => {
    expect(prefersRespondAsync('respond-async')).toBe(true);
    expect(prefersRespondAsync('return=minimal, Respond-Async; wait=10')).toBe(true);
    expect(prefersRespondAsync('return=representation')).toBe(false);
    expect(prefersRespondAsync('respond-asynchronously')).toBe(false);
    expect(prefersRespondAsync(null)).toBe(false);
  });
});

const BASE = 'http://localhost:3000';
const params = (id: string) => ({ params: Promise.resolve({ id }) });

function post(body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${BASE}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

interface Frame {
  event: string;
  data: string;
}

/** Reads SSE frames from a stream until `done(frames)` says enough. */
async function readFrames(body: ReadableStream<Uint8Array>, done: (frames: Frame[]) => boolean): Promise<Frame[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  let buffer = '';
  while (!done(frames)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data !== undefined) frames.push({ event, data });
    }
  }
  await reader.cancel().catch(() => undefined);
  return frames;
}

describe('POST /api/sessions without waiting', () => {
  it('answers 202 connecting at once; the events stream shows the handshake, then the connected summary', async () => {
    const gate = await slow(['tools/list'], () => startModernServer());
    const response = await createSession(post({ url: gate.url }, { prefer: 'respond-async' }));
    expect(response.status).toBe(202);
    expect(response.headers.get('preference-applied')).toBe('respond-async');
    const body = (await response.json()) as SessionSummary;
    expect(body).toMatchObject({ state: 'connecting', url: gate.url });
    expect(response.headers.get('location')).toBe(`/api/sessions/${body.id}`);
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;

    await gate.arrived('tools/list');
    const summaryNow = (await (
      await getSession(new Request(`${BASE}/api/sessions/${body.id}`, { headers: { cookie } }), params(body.id))
    ).json()) as SessionSummary;
    expect(summaryNow.state).toBe('connecting');

    const abort = new AbortController();
    const stream = await events(
      new Request(`${BASE}/api/sessions/${body.id}/events`, { headers: { cookie }, signal: abort.signal }),
      params(body.id),
    );
    const release = setTimeout(() => gate.release('tools/list'), 200);
    const frames = await readFrames(stream.body!, (seen) =>
      seen.some((frame) => frame.event === 'summary' && frame.data.includes('"state":"connected"')),
    );
    clearTimeout(release);
    abort.abort();

    const summaries = frames.filter((frame) => frame.event === 'summary').map((frame) => (JSON.parse(frame.data) as SessionSummary).state);
    expect(summaries[0]).toBe('connecting');
    expect(summaries.at(-1)).toBe('connected');
    const traceBeforeConnected = frames
      .slice(
        0,
        frames.findIndex((frame) => frame.data.includes('"state":"connected"')),
      )
      .filter((frame) => frame.event === 'trace')
      .map((frame) => JSON.parse(frame.data) as TraceEvent);
    // The phases of the handshake went out while the session was still connecting.
    expect(traceBeforeConnected.some((event) => event.kind === 'phase' && event.name === 'tools/list' && event.status === 'started')).toBe(
      true,
    );
    expect(traceBeforeConnected.some((event) => event.kind === 'phase' && event.name === 'tools/list' && event.status === 'ok')).toBe(true);
  });

  it('answers 202 for a dead server too; the failure is in the summary and the log afterwards', async () => {
    const dead = await refusedUrl();
    const response = await createSession(post({ url: dead, wait: false }));
    expect(response.status).toBe(202);
    expect(response.headers.get('preference-applied')).toBeNull();
    const { id } = (await response.json()) as SessionSummary;
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
    const read = async () =>
      (await (await getSession(new Request(`${BASE}/api/sessions/${id}`, { headers: { cookie } }), params(id))).json()) as SessionSummary;
    let summary = await read();
    for (let tries = 0; summary.state === 'connecting' && tries < 200; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      summary = await read();
    }
    expect(summary).toMatchObject({
      state: 'failed',
      error: { code: 'connection_refused', message: expect.stringMatching(/refused|listening/i) },
    });
  });

  it('still refuses bad input with a 4xx and creates nothing', async () => {
    const owner = newOwnerId();
    const cookie = { cookie: `${OWNER_COOKIE}=${signOwner(owner)}` };
    const response = await createSession(post({ url: 'not a url', wait: false }, cookie));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_url' } });
    const wrong = await createSession(post({ url: 'http://127.0.0.1:9/mcp', wait: 'later' }, cookie));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringMatching(/wait/) } });
    expect(getRegistry().countFor(owner)).toBe(0);
  });

  it('a DELETE while connecting ends it as closed', async () => {
    const silent = await server(startSilentServer());
    const response = await createSession(post({ url: silent.url, wait: false }));
    const { id } = (await response.json()) as SessionSummary;
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
    await waitFor(() => silent.seen.length > 0, 'the first request');
    const closed = await deleteSession(new Request(`${BASE}/api/sessions/${id}`, { method: 'DELETE', headers: { cookie } }), params(id));
    expect(((await closed.json()) as SessionSummary).state).toBe('closed');
  });
});
