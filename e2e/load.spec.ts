import { test, expect } from '@playwright/test';
import { fixtureUrl } from './helpers';
import { loadRunLimits, startSecondApp, type SecondApp } from './second-app';

// A bounded load test on loopback, through the real server: 200 sessions at once, each calling tools while its
// events stream is open. No request may fail, and every session's stream must deliver every event of its log
// (same seqs, none missing, none twice). Bounded: 200 sessions, 2 calls each, 4 minutes at most.
const SESSIONS = 200;
const CALLS = 2;
/** The owner cookie of every request: one browser. mcpscope issues it (beforeAll asks for it). */
let OWNER = '';

interface Stream {
  seqs: number[];
  done: Promise<void>;
  stop(): void;
}

/** Reads a session's events stream from the start, keeping the seq of every trace frame. */
async function openStream(origin: string, id: string): Promise<Stream> {
  const controller = new AbortController();
  const response = await fetch(`${origin}/api/sessions/${id}/events`, {
    headers: { cookie: OWNER, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const seqs: number[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const done = (async () => {
    try {
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) return;
        buffer += value;
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          if (/^event: trace$/m.test(frame)) seqs.push(Number(/^id: (\d+)$/m.exec(frame)![1]));
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  return { seqs, done, stop: () => controller.abort() };
}

async function api<T>(origin: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${origin}${path}`, {
    ...init,
    headers: { cookie: OWNER, 'content-type': 'application/json', ...init.headers },
  });
  return { status: response.status, body: (await response.json()) as T };
}

test.describe('load', () => {
  let app: SecondApp;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    app = await startSecondApp({
      MCPSCOPE_MAX_SESSIONS: String(SESSIONS + 50),
      MCPSCOPE_MAX_SESSIONS_TOTAL: String(SESSIONS + 50),
      // All from this machine's one address, all connecting at once.
      ...loadRunLimits(SESSIONS + 50),
    });
    // Owner identities are issued, not made up: any answer of POST /api/sessions carries one, a refusal included.
    const issued = await fetch(`${app.origin}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(issued.status).toBe(400);
    OWNER = issued.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith('mcpscope_owner='))!
      .split(';')[0]!;
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test(`${SESSIONS} concurrent sessions, each calling tools: no errors, no lost events`, async () => {
    test.setTimeout(240_000);
    const targets = [fixtureUrl('stateful'), fixtureUrl('stateless-2026')];
    const started = Date.now();

    const created = await Promise.all(
      Array.from({ length: SESSIONS }, (_, i) =>
        api<{ id: string; state: string }>(app.origin, '/api/sessions', { method: 'POST', body: JSON.stringify({ url: targets[i % 2] }) }),
      ),
    );
    const failures = created.filter((c) => c.status !== 201 || c.body.state !== 'connected');
    expect(failures, JSON.stringify(failures.slice(0, 3))).toEqual([]);
    const ids = created.map((c) => c.body.id);

    const streams = await Promise.all(ids.map((id) => openStream(app.origin, id)));
    const calls = await Promise.all(
      ids.flatMap((id, i) =>
        Array.from({ length: CALLS }, (_, k) =>
          api<{ result?: { content?: Array<{ text?: string }> } }>(app.origin, `/api/sessions/${id}/rpc`, {
            method: 'POST',
            body: JSON.stringify({ method: 'tools/call', params: { name: 'add', arguments: { a: i, b: k } } }),
          }).then((answer) => ({ answer, expected: String(i + k) })),
        ),
      ),
    );
    const wrong = calls.filter(({ answer, expected }) => answer.status !== 200 || answer.body.result?.content?.[0]?.text !== expected);
    expect(wrong, JSON.stringify(wrong.slice(0, 3))).toEqual([]);

    // Every event in each log reaches its stream: the same seqs, 1..last, in order, none twice.
    for (const [index, id] of ids.entries()) {
      const log = await api<{ events: Array<{ seq: number; kind: string; type?: string; direction?: string }> }>(
        app.origin,
        `/api/sessions/${id}/log?format=json`,
      );
      expect(log.status).toBe(200);
      const logSeqs = log.body.events.map((e) => e.seq);
      expect(logSeqs).toEqual(Array.from({ length: logSeqs.length }, (_, i) => i + 1));
      const results = log.body.events.filter((e) => e.kind === 'rpc' && e.direction === 'in' && e.type === 'result');
      // initialize or server/discover, tools/list, and the calls: all answered.
      expect(results.length).toBeGreaterThanOrEqual(CALLS + 1);
      const stream = streams[index]!;
      await expect.poll(() => stream.seqs.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(logSeqs.length);
      expect(stream.seqs.slice(0, logSeqs.length)).toEqual(logSeqs);
    }
    for (const stream of streams) stream.stop();
    await Promise.all(streams.map((s) => s.done));

    const closed = await Promise.all(ids.map((id) => api<{ state: string }>(app.origin, `/api/sessions/${id}`, { method: 'DELETE' })));
    expect(closed.filter((c) => c.status !== 200)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(240_000);
  });
});
