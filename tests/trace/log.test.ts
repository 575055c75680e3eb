import { describe, expect, it } from 'vitest';
import {
  captureText,
  TraceLog,
  type FindingEvent,
  type HttpEndEvent,
  type HttpRequestEvent,
  type RpcEvent,
  type SseFrameEvent,
  type TraceEvent,
  type TraceMeta,
  payloadSize,
  skeletonSize,
} from '@/lib/trace';

const META: TraceMeta = { sessionId: 's1', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: 1_000_000, transport: 'auto' };

function fakeClock(start = META.startedAt) {
  const c = { now: start, fn: () => c.now };
  return c;
}

function request(exchangeId: string, bodyText?: string): Omit<HttpRequestEvent, 'seq' | 't'> {
  return {
    kind: 'http.request',
    exchangeId,
    purpose: 'mcp',
    method: 'POST',
    url: 'http://127.0.0.1:1/mcp',
    headers: [['content-type', 'application/json']],
    ...(bodyText !== undefined ? { body: captureText(bodyText, 1 << 20) } : {}),
  };
}

function findings(log: TraceLog): FindingEvent[] {
  return log.events().filter((e): e is FindingEvent => e.kind === 'finding');
}

describe('TraceLog basics', () => {
  it('numbers events from 1 and times them from startedAt, never going backwards', () => {
    const clock = fakeClock(META.startedAt + 5);
    const log = new TraceLog(META, {}, { clock: clock.fn });
    const a = log.append(request('ex1'));
    clock.now = META.startedAt + 12.5;
    const b = log.finding('info', 'x', 'y');
    clock.now = META.startedAt + 3; // the wall clock stepped back
    const c = log.finding('info', 'x', 'z');
    expect([a.seq, b.seq, c.seq]).toEqual([1, 2, 3]);
    expect([a.t, b.t, c.t]).toEqual([5, 12.5, 12.5]);
    expect(log.lastSeq).toBe(3);
  });

  it('uses a real clock by default, monotonic and relative to startedAt', () => {
    const log = new TraceLog({ ...META, startedAt: Date.now() });
    const times = Array.from({ length: 50 }, () => log.append(request('x')).t);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    expect(times[0]).toBeGreaterThanOrEqual(0);
    expect(times[0]).toBeLessThan(5_000);
  });

  it('delivers events in seq order even when a subscriber appends while being notified', () => {
    const log = new TraceLog({ sessionId: 's', serverUrl: 'http://x', startedAt: Date.now(), transport: 'auto' });
    log.subscribe((e) => {
      if (e.kind === 'phase' && e.name === 'trigger' && e.status === 'started') log.finding('info', 'nested', 'added while notifying');
    });
    const seen: number[] = [];
    log.subscribe((e) => seen.push(e.seq));
    log.beginPhase('trigger');
    log.beginPhase('after');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('notifies subscribers synchronously, in order, until they unsubscribe', () => {
    const log = new TraceLog(META);
    const seen: number[] = [];
    const off = log.subscribe((e) => seen.push(e.seq));
    log.append(request('ex1'));
    expect(seen).toEqual([1]);
    log.append(request('ex2'));
    off();
    log.append(request('ex3'));
    expect(seen).toEqual([1, 2]);
  });

  it('keeps recording when a subscriber throws', () => {
    const log = new TraceLog(META);
    const seen: number[] = [];
    const origError = console.error;
    console.error = () => {};
    try {
      log.subscribe(() => {
        throw new Error('bad view');
      });
      log.subscribe((e) => seen.push(e.seq));
      log.append(request('ex1'));
    } finally {
      console.error = origError;
    }
    expect(seen).toEqual([1]);
    expect(log.lastSeq).toBe(1);
  });

  it('returns events after a given seq', () => {
    const log = new TraceLog(META);
    for (let i = 0; i < 10; i++) log.append(request(`ex${i}`));
    expect(log.events(7).map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(log.events().length).toBe(10);
    expect(log.events(10)).toEqual([]);
  });

  it('patches meta and tells meta subscribers', () => {
    const log = new TraceLog(META);
    const seen: string[] = [];
    log.subscribeMeta((m) => seen.push(m.protocolVersion ?? '-'));
    log.setMeta({ protocolVersion: '2025-06-18', era: 'stateful-2025' });
    expect(log.meta).toMatchObject({ sessionId: 's1', protocolVersion: '2025-06-18', era: 'stateful-2025' });
    expect(seen).toEqual(['2025-06-18']);
  });
});

describe('phases and findings', () => {
  it('opens and closes a phase with its duration; closing twice is a no-op', () => {
    const clock = fakeClock();
    const log = new TraceLog(META, {}, { clock: clock.fn });
    const connect = log.beginPhase('connect');
    clock.now += 10;
    const probe = log.beginPhase('probe:streamable-http', { parentId: connect.id, detail: 'POST initialize' });
    clock.now += 30;
    probe.fail({ code: 'http_404', message: 'Not found' });
    probe.ok('ignored');
    connect.ok('connected');
    const phases = log.events().filter((e) => e.kind === 'phase');
    expect(phases).toEqual([
      expect.objectContaining({ phaseId: connect.id, name: 'connect', status: 'started' }),
      expect.objectContaining({ phaseId: probe.id, status: 'started', parentId: connect.id, detail: 'POST initialize' }),
      expect.objectContaining({
        phaseId: probe.id,
        status: 'failed',
        durationMs: 30,
        error: { code: 'http_404', message: 'Not found' },
        parentId: connect.id,
      }),
      expect.objectContaining({ phaseId: connect.id, status: 'ok', durationMs: 40, detail: 'connected' }),
    ]);
    expect(connect.id).not.toBe(probe.id);
  });

  it('skip closes a phase as skipped', () => {
    const log = new TraceLog(META);
    const p = log.beginPhase('get-stream');
    p.skip('server has no GET stream');
    p.fail({ code: 'x', message: 'y' });
    const last = log.events().at(-1);
    expect(last).toMatchObject({ kind: 'phase', status: 'skipped', detail: 'server has no GET stream' });
    expect(log.lastSeq).toBe(2);
  });

  it('records findings with references', () => {
    const log = new TraceLog(META);
    const f = log.finding('error', 'not_mcp', 'An HTML page came back', { exchangeId: 'ex3', phaseId: 'ph1' });
    expect(f).toMatchObject({ kind: 'finding', severity: 'error', code: 'not_mcp', exchangeId: 'ex3', phaseId: 'ph1', seq: 1 });
  });
});

/** What the log charges for `events` (skeletons and payloads), measured on a log with no caps. */
function costOf(events: ReadonlyArray<Parameters<TraceLog['append']>[0]>): { skeleton: number[]; payload: number[] } {
  const probe = new TraceLog(META, { maxEvents: Infinity, maxBytes: Infinity });
  const kept = events.map((e) => probe.append(e));
  return { skeleton: kept.map(skeletonSize), payload: kept.map(payloadSize) };
}

/** The estimated size of the `log_capped` finding a byte cap writes (it is kept too). */
function cappedFindingSize(): number {
  const probe = new TraceLog(META, { maxBytes: 1 });
  probe.append(request('ex1'));
  const finding = probe.events().find((e) => e.kind === 'finding');
  return skeletonSize(finding!);
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Appends `count` http.response events that carry no body (exchange ids ex0, ex1, …). */
function appendBodilessResponses(log: TraceLog, count: number): void {
  for (let i = 0; i < count; i++)
    log.append({
      kind: 'http.response',
      exchangeId: `ex${i}`,
      status: 200,
      statusText: 'OK',
      headers: [['content-type', 'application/json']],
      ttfbMs: 1.5,
    });
}

describe('log caps', () => {
  it('counts every event it keeps against maxBytes, skeletons included, not only bodies', () => {
    const log = new TraceLog(META, { maxEvents: Infinity, maxBytes: Infinity });
    // Events with no body at all still hold memory: 1,000 of them are not free.
    appendBodilessResponses(log, 1_000);
    expect(log.stats.payloadBytes).toBe(0);
    expect(log.heldBytes).toBeGreaterThan(1_000 * 100);
    // So a cap that bodies alone would never reach removes them.
    const capped = new TraceLog(META, { maxBytes: 20_000 });
    appendBodilessResponses(capped, 1_000);
    expect(capped.heldBytes).toBeLessThanOrEqual(20_000);
    expect(capped.size).toBeLessThan(200);
    expect(capped.stats.droppedEvents).toBeGreaterThan(800);
    expect(findings(capped).map((f) => f.code)).toEqual(['log_capped']);
    expect(findings(capped)[0].message).toMatch(/maxBytes = 19\.5 KB.*counting every event/);
  });

  it('drops the oldest bodies first when over maxBytes, keeps the skeleton, and says so once', () => {
    const body = (n: number) => `{"n":${n},"pad":"${'x'.repeat(2_000)}"}`; // bodies outweigh skeletons
    const events = Array.from({ length: 6 }, (_, i) => request(`ex${i + 1}`, body(i + 1)));
    const cost = costOf(events);
    // Room for every skeleton, the finding, and the two newest bodies (plus a little).
    const maxBytes = sum(cost.skeleton) + cappedFindingSize() + cost.payload[4] + cost.payload[5] + 100;
    const log = new TraceLog(META, { maxBytes });
    for (const e of events) log.append(e);
    const reqs = log.events().filter((e): e is HttpRequestEvent => e.kind === 'http.request');
    expect(reqs).toHaveLength(6);
    // The newest two fit; the older four were emptied, oldest first.
    expect(reqs.map((r) => r.body?.dropped ?? false)).toEqual([true, true, true, true, false, false]);
    for (const r of reqs.slice(0, 4)) {
      expect(r.body).toMatchObject({ text: '', dropped: true, truncated: true });
      expect(r.body?.size).toBeGreaterThan(2_000); // the size it had stays
      expect(r).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:1/mcp' });
    }
    expect(reqs[5].body?.text).toBe(body(6));
    const capped = findings(log);
    expect(capped).toHaveLength(1);
    expect(capped[0]).toMatchObject({ code: 'log_capped', severity: 'warning' });
    expect(capped[0].message).toMatch(/maxBytes/);
    expect(log.heldBytes).toBeLessThanOrEqual(maxBytes);
    expect(log.stats.droppedPayloads).toBe(4);
    expect(log.stats.droppedEvents).toBe(0);
  });

  it('when skeletons fill the room, removes the oldest events whole and keeps the newest bodies', () => {
    const events = Array.from({ length: 40 }, (_, i) => request(`ex${i + 1}`, `{"n":${i}}`));
    const cost = costOf(events);
    const perEvent = cost.skeleton[10] + cost.payload[10];
    const log = new TraceLog(META, { maxBytes: cappedFindingSize() + perEvent * 10 });
    for (const e of events) log.append(e);
    const reqs = log.events().filter((e): e is HttpRequestEvent => e.kind === 'http.request');
    expect(reqs.length).toBeGreaterThanOrEqual(8);
    expect(reqs.length).toBeLessThanOrEqual(11);
    expect(reqs.at(-1)?.exchangeId).toBe('ex40');
    // The kept ones are the newest, in order, and the newest still have their bodies.
    expect(reqs.map((r) => r.exchangeId)).toEqual(Array.from({ length: reqs.length }, (_, i) => `ex${41 - reqs.length + i}`));
    expect(reqs.slice(-5).every((r) => r.body?.text.startsWith('{"n":'))).toBe(true);
    expect(log.stats.droppedEvents).toBeGreaterThanOrEqual(29);
  });

  it('drops rpc messages and SSE frame text as payload too, keeping ids and methods', () => {
    const message = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { pad: 'y'.repeat(3_000) } };
    const rpcEvent = { kind: 'rpc', direction: 'out', type: 'request', method: 'tools/call', id: 1, message, size: 3_060 } as const;
    const frameEvent = {
      kind: 'sse.frame',
      exchangeId: 'ex1',
      index: 0,
      id: 'e1',
      data: 'z'.repeat(400),
      raw: `data: ${'z'.repeat(400)}`,
    } as const;
    const cost = costOf([rpcEvent, frameEvent]);
    // Room for both skeletons, the finding and the frame's text, not the message too.
    const log = new TraceLog(META, { maxBytes: sum(cost.skeleton) + cappedFindingSize() + cost.payload[1] + 50 });
    log.append(rpcEvent);
    log.append(frameEvent);
    const rpc = log.events().find((e): e is RpcEvent => e.kind === 'rpc');
    const frame = log.events().find((e): e is SseFrameEvent => e.kind === 'sse.frame');
    expect(rpc).toMatchObject({ message: undefined, dropped: true, method: 'tools/call', id: 1, size: 3_060 });
    expect(frame).toMatchObject({ id: 'e1', index: 0, data: 'z'.repeat(400) });
    expect(frame?.dropped).toBeUndefined();
    // An emptied frame keeps its fields.
    const tight = new TraceLog(META, { maxBytes: sum(cost.skeleton) + cappedFindingSize() + 50 });
    tight.append(rpcEvent);
    tight.append(frameEvent);
    expect(tight.events().find((e) => e.kind === 'sse.frame')).toMatchObject({ id: 'e1', index: 0, raw: '', data: '', dropped: true });
  });

  it('tells subscribers about the finding after the event that triggered it', () => {
    const log = new TraceLog(META, { maxBytes: 10 });
    const kinds: string[] = [];
    log.subscribe((e) => kinds.push(`${e.seq}:${e.kind}`));
    log.append(request('ex1', 'x'.repeat(50)));
    expect(kinds).toEqual(['1:http.request', '2:finding']);
  });

  it('drops the oldest events past maxEvents but keeps the first phases, and says so once', () => {
    const log = new TraceLog(META, { maxEvents: 20 });
    const connect = log.beginPhase('connect');
    connect.ok();
    for (let i = 0; i < 100; i++) log.append(request(`ex${i}`));
    const kept = log.events();
    expect(kept.length).toBeLessThanOrEqual(20);
    expect(kept.slice(0, 2).map((e) => e.kind)).toEqual(['phase', 'phase']);
    const last = kept.at(-1) as TraceEvent;
    expect(last.seq).toBe(log.lastSeq);
    const capped = findings(log);
    expect(capped).toHaveLength(1);
    expect(capped[0].message).toMatch(/maxEvents/);
    // seqs stay increasing with no duplicates
    for (let i = 1; i < kept.length; i++) expect(kept[i].seq).toBeGreaterThan(kept[i - 1].seq);
    expect(log.events(kept[5].seq)[0].seq).toBe(kept[6].seq);
    expect(log.stats.droppedEvents).toBeGreaterThan(70);
  });

  it('drops in amortized time under sustained pressure, not by rescanning', () => {
    const text = 'b'.repeat(1_000);
    const fill = (appends: number) => {
      const log = new TraceLog(META, { maxEvents: 1_000, maxBytes: 500_000 });
      const started = performance.now();
      for (let i = 0; i < appends; i++) {
        log.append({ kind: 'http.end', exchangeId: `ex${i}`, bytes: 1_000, durationMs: 1, body: captureText(text, 10_000) });
      }
      return { log, ms: performance.now() - started };
    };
    const { log } = fill(100_000);
    expect(log.size).toBeLessThanOrEqual(1_000);
    expect(log.heldBytes).toBeLessThanOrEqual(500_000);
    const ends = log.events().filter((e): e is HttpEndEvent => e.kind === 'http.end');
    expect(ends.at(-1)?.body?.text).toBe(text);
    expect(ends[0].body?.dropped).toBe(true);
    expect(findings(log)).toHaveLength(2);
    // Cost per append stays flat as the dropped history grows: 10× the appends costs about 10× the time (a rescan
    // per drop would be ~100×). A ratio in one run, best of three, so a loaded machine does not decide.
    const best = (appends: number) => Math.min(fill(appends).ms, fill(appends).ms, fill(appends).ms);
    const ratio = best(40_000) / Math.max(best(4_000), 0.5);
    expect(ratio).toBeLessThan(30);
  });

  it('does not keep references to events the event cap removed', () => {
    // Only the event cap bites here (bytes stay under maxBytes), the case where stale payload entries could pile up.
    const log = new TraceLog(META, { maxEvents: 100, maxBytes: 1_000_000 });
    for (let i = 0; i < 10_000; i++) {
      log.append({ kind: 'http.end', exchangeId: `ex${i}`, bytes: 1, durationMs: 1, body: captureText('b', 10) });
    }
    const internals = log as unknown as { payloadQueue: unknown[]; payloadHead: number; charged: Map<unknown, number> };
    expect(internals.charged.size).toBeLessThanOrEqual(100);
    expect(internals.payloadQueue.length - internals.payloadHead).toBeLessThanOrEqual(100);
    expect(internals.payloadQueue.length).toBeLessThan(2_500);
    expect(log.stats.payloadBytes).toBe(sum([...internals.charged.values()]));
    // What the log says it holds is what its kept events weigh, to the byte.
    expect(log.heldBytes).toBe(sum(log.events().map((e) => skeletonSize(e) + payloadSize(e))));
  });
});

describe('TraceLog.fromEvents', () => {
  it('rebuilds a log from exported events as they were', () => {
    const src = new TraceLog(META);
    const p = src.beginPhase('initialize');
    src.append(request('ex1', '{"a":1}'));
    p.ok();
    const copy = TraceLog.fromEvents(src.meta, src.events());
    expect(copy.imported).toBe(true);
    expect(copy.events()).toEqual(src.events());
    expect(copy.lastSeq).toBe(3);
    expect(copy.events(1).map((e) => e.seq)).toEqual([2, 3]);
    // New ids do not collide with recorded ones.
    expect(copy.newId('ph')).not.toBe(p.id);
  });
});
