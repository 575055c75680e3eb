import { describe, expect, it } from 'vitest';
import {
  createRecordingFetch,
  NotificationFold,
  notificationFoldFor,
  SecretSet,
  TraceLog,
  type FindingEvent,
  type RpcEvent,
  type TraceMeta,
} from '@/lib/trace';
import { notificationFloodText, streamingFetch } from './flood';

const META: TraceMeta = { sessionId: 's', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: 1_000_000, transport: 'auto' };

/** A log on a hand-driven clock, and a fold whose report timer the test fires. */
function setup(limits: { notificationRate: number; notificationBurst: number }) {
  const clock = { now: META.startedAt };
  const log = new TraceLog(META, limits, { clock: () => clock.now });
  const timers: Array<() => void> = [];
  const fold = new NotificationFold(log, { setTimer: (fn) => timers.push(fn), clearTimer: () => timers.splice(0) });
  const fire = () => {
    for (const fn of timers.splice(0)) fn();
  };
  return { clock, log, fold, fire };
}

function foldFindings(log: TraceLog): FindingEvent[] {
  return log.events().filter((e): e is FindingEvent => e.kind === 'finding' && e.code === 'notifications_folded');
}

describe('NotificationFold', () => {
  it('keeps a burst, then the rate, and counts the rest per method with first and last times', () => {
    const { clock, log, fold, fire } = setup({ notificationRate: 100, notificationBurst: 50 });
    let kept = 0;
    // 1,000 notifications in one second (one per ms): 50 from the burst + ~100 from the rate.
    for (let i = 0; i < 1_000; i++) {
      clock.now = META.startedAt + i;
      if (fold.admit({ method: 'notifications/message' })) kept += 1;
    }
    expect(kept).toBeGreaterThanOrEqual(145);
    expect(kept).toBeLessThanOrEqual(151);
    expect(fold.folded).toBe(1_000 - kept);
    expect(foldFindings(log)).toHaveLength(0); // reported on the timer, not per notification
    fire();
    const [report] = foldFindings(log);
    expect(report).toMatchObject({ severity: 'warning', code: 'notifications_folded' });
    expect(report.folded).toEqual([{ method: 'notifications/message', count: 1_000 - kept, firstT: expect.any(Number), lastT: 999 }]);
    expect(report.folded?.[0].firstT).toBeGreaterThanOrEqual(50);
    expect(report.message).toContain(`${1_000 - kept} were counted but not kept`);
    expect(report.message).toContain('MCPSCOPE_NOTIFICATION_RATE');
  });

  it('gives each method its own bucket: a flood of log messages does not fold a list change', () => {
    const { clock, fold } = setup({ notificationRate: 10, notificationBurst: 20 });
    for (let i = 0; i < 500; i++) {
      clock.now = META.startedAt + i;
      fold.admit({ method: 'notifications/message' });
    }
    expect(fold.admit({ method: 'notifications/tools/list_changed' })).toBe(true);
    expect(fold.admit({ method: 'notifications/progress' })).toBe(true);
    expect(fold.admit({ method: 'notifications/message' })).toBe(false);
  });

  it('keeps everything again once the flood stops and the bucket refills', () => {
    const { clock, fold } = setup({ notificationRate: 100, notificationBurst: 10 });
    for (let i = 0; i < 100; i++) fold.admit({ method: 'm' });
    expect(fold.admit({ method: 'm' })).toBe(false);
    clock.now += 1_000; // 100 tokens back, capped at the burst
    let kept = 0;
    for (let i = 0; i < 20; i++) if (fold.admit({ method: 'm' })) kept += 1;
    expect(kept).toBe(10);
  });

  it('shares one bucket among methods past the first 32, so invented method names cannot dodge the fold', () => {
    const { fold } = setup({ notificationRate: 1, notificationBurst: 5 });
    for (let m = 0; m < 32; m++) fold.admit({ method: `m${m}` });
    let kept = 0;
    for (let m = 32; m < 1_000; m++) if (fold.admit({ method: `m${m}` })) kept += 1;
    expect(kept).toBe(5);
  });

  it('reports again for each window, and flush writes what is pending at once', () => {
    const { clock, log, fold, fire } = setup({ notificationRate: 1, notificationBurst: 1 });
    fold.admit({ method: 'a' });
    fold.admit({ method: 'a' });
    fold.admit({ method: 'b' });
    fold.admit({ method: 'b' });
    fire();
    clock.now += 10;
    fold.admit({ method: 'a' });
    expect(fold.flush()?.folded).toEqual([{ method: 'a', count: 1, firstT: 10, lastT: 10 }]);
    expect(foldFindings(log).map((f) => f.folded?.map((x) => `${x.method}×${x.count}`))).toEqual([['a×1', 'b×1'], ['a×1']]);
    expect(fold.flush()).toBeUndefined();
  });

  it('tells subscribers what was folded, with the SSE id of its frame', () => {
    const { fold } = setup({ notificationRate: 1, notificationBurst: 0 });
    const seen: unknown[] = [];
    fold.subscribe((notice) => seen.push(notice));
    fold.admit({ method: 'm', exchangeId: 'ex4', frameId: '77' });
    expect(seen).toEqual([{ method: 'm', exchangeId: 'ex4', frameId: '77', t: 0 }]);
  });
});

describe('recording a notification flood', () => {
  it('keeps neither the frame nor the message of a folded notification, and never folds the answer', async () => {
    const log = new TraceLog({ ...META, startedAt: Date.now() }, { notificationRate: 1, notificationBurst: 100 });
    const recording = createRecordingFetch(log, { baseFetch: streamingFetch(notificationFloodText(5_000, { answer: true }), 16_384) });
    const response = await recording('http://127.0.0.1:1/mcp', {
      method: 'POST',
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"flood"}}',
    });
    await response.text();
    const fold = notificationFoldFor(log);
    fold.flush();
    const events = log.events();
    const notifications = events.filter((e): e is RpcEvent => e.kind === 'rpc' && e.type === 'notification');
    const frames = events.filter((e) => e.kind === 'sse.frame');
    expect(notifications.length).toBeGreaterThanOrEqual(100);
    expect(notifications.length).toBeLessThan(110);
    expect(notifications.length + fold.folded).toBe(5_000);
    // One frame per kept notification, plus the answer's; the answer is paired with its request.
    expect(frames).toHaveLength(notifications.length + 1);
    const answer = events.find((e): e is RpcEvent => e.kind === 'rpc' && e.type === 'result');
    expect(answer).toMatchObject({ id: 1, method: 'tools/call' });
    // The kept ones are the first of the flood, in order.
    expect(notifications.slice(0, 3).map((e) => (e.message as { params: { data: { n: number } } }).params.data.n)).toEqual([1, 2, 3]);
    const reports = foldFindings(log);
    expect(reports.length).toBeGreaterThanOrEqual(1);
    expect(reports.reduce((n, f) => n + (f.folded?.reduce((m, x) => m + x.count, 0) ?? 0), 0)).toBe(fold.folded);
  });

  it('folds nothing unless a rate is set: a log rebuilt from a file keeps what the file holds', async () => {
    const log = new TraceLog({ ...META, startedAt: Date.now() });
    const recording = createRecordingFetch(log, { baseFetch: streamingFetch(notificationFloodText(12_000, { answer: true })) });
    await (
      await recording('http://127.0.0.1:1/mcp', {
        method: 'POST',
        body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"flood"}}',
      })
    ).text();
    expect(log.events().filter((e) => e.kind === 'rpc' && e.type === 'notification')).toHaveLength(12_000);
    expect(notificationFoldFor(log).folded).toBe(0);
  });

  it('masks the notifications it keeps while folding the rest', async () => {
    const secret = 'sk-live-0123456789abcdef';
    const secrets = new SecretSet();
    secrets.add(secret);
    const text = Array.from(
      { length: 3_000 },
      (_, i) =>
        `data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: `n${i} key ${secret}` } })}\n\n`,
    ).join('');
    const log = new TraceLog({ ...META, startedAt: Date.now() }, { notificationRate: 5_000, notificationBurst: 50 });
    const recording = createRecordingFetch(log, { baseFetch: streamingFetch(text, 4_096), secrets });
    await (await recording('http://127.0.0.1:1/mcp', { method: 'POST', body: '{}' })).text();
    const fold = notificationFoldFor(log);
    const kept = log.events().filter((e) => e.kind === 'rpc' && e.type === 'notification');
    // Folding, and keeping again as the (fast) rate refills: both paths ran.
    expect(fold.folded).toBeGreaterThan(0);
    expect(kept.length).toBeGreaterThan(50);
    expect(JSON.stringify(log.events())).not.toContain(secret);
    expect(JSON.stringify(kept.at(-1))).toContain('cdef');
  });
});
