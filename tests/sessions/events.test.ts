import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '@/lib/contract';
import { CATCH_UP_EVENTS, createEventStream, replayStart, STREAM_HIGH_WATER_BYTES } from '@/lib/sessions';
import { TraceLog, type TraceLimits } from '@/lib/trace';

interface Frame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

function parseFrames(text: string): Frame[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const frame: Frame = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        const [field, ...rest] = line.split(': ');
        const value = rest.join(': ');
        if (field === 'id') frame.id = value;
        if (field === 'event') frame.event = value;
        if (field === 'data') frame.data = value;
      }
      return frame;
    });
}

function setup(afterSeq = 0, keepAliveMs?: number, limits?: Partial<TraceLimits>) {
  const log = new TraceLog({ sessionId: 's', serverUrl: 'http://x.example/mcp', startedAt: Date.now(), transport: 'auto' }, limits);
  let summary: SessionSummary = {
    id: 's',
    state: 'connecting',
    url: 'http://x.example/mcp',
    transport: 'auto',
    createdAt: 0,
    headerNames: [],
  };
  const summaryListeners = new Set<(s: SessionSummary) => void>();
  const endListeners = new Set<() => void>();
  const abort = new AbortController();
  let open = 0;
  let closed = 0;
  const make = () =>
    createEventStream({
      log,
      afterSeq,
      summary: () => summary,
      subscribeSummary: (fn) => {
        summaryListeners.add(fn);
        return () => summaryListeners.delete(fn);
      },
      onEnd: (fn) => {
        endListeners.add(fn);
        return () => endListeners.delete(fn);
      },
      signal: abort.signal,
      keepAliveMs,
      onOpen: () => (open += 1),
      onClose: () => (closed += 1),
    });
  return {
    log,
    make,
    abort,
    setSummary(next: SessionSummary) {
      summary = next;
      for (const fn of summaryListeners) fn(next);
    },
    end: () => {
      for (const fn of endListeners) fn();
    },
    counts: () => ({ open, closed, summaryListeners: summaryListeners.size, endListeners: endListeners.size }),
  };
}

const decoder = new TextDecoder();
async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const { value, done } = await reader.read();
  return done ? '' : decoder.decode(value);
}

describe('events stream', () => {
  it('replays the backlog after the given seq, with the summary first, in one write', async () => {
    const ctx = setup(2);
    for (const name of ['a', 'b', 'c', 'd']) ctx.log.finding('info', name, name);
    const reader = ctx.make().getReader();
    const frames = parseFrames(await readChunk(reader));
    expect(frames[0]).toEqual({});
    expect(frames[1]?.event).toBe('summary');
    expect(JSON.parse(frames[1]!.data!)).toMatchObject({ id: 's', state: 'connecting' });
    expect(frames.slice(2).map((frame) => [frame.id, frame.event, JSON.parse(frame.data!).code])).toEqual([
      ['3', 'trace', 'c'],
      ['4', 'trace', 'd'],
    ]);
    await reader.cancel();
  });

  it('coalesces events appended in the same tick into one chunk, then streams later ones', async () => {
    const ctx = setup();
    const reader = ctx.make().getReader();
    await readChunk(reader); // replay (empty log)
    for (let i = 0; i < 50; i++) ctx.log.finding('info', `n${i}`, 'flood');
    const burst = parseFrames(await readChunk(reader));
    expect(burst.map((frame) => frame.id)).toEqual(Array.from({ length: 50 }, (_, i) => String(i + 1)));
    ctx.log.finding('warning', 'later', 'later');
    expect(parseFrames(await readChunk(reader)).map((frame) => frame.id)).toEqual(['51']);
    await reader.cancel();
  });

  it('sends summary frames when the session changes', async () => {
    const ctx = setup();
    const reader = ctx.make().getReader();
    await readChunk(reader);
    ctx.setSummary({ id: 's', state: 'connected', url: 'http://x.example/mcp', transport: 'auto', createdAt: 0, headerNames: [] });
    const [frame] = parseFrames(await readChunk(reader));
    expect(frame?.event).toBe('summary');
    expect(frame?.id).toBeUndefined();
    expect(JSON.parse(frame!.data!).state).toBe('connected');
    await reader.cancel();
  });

  it('writes keep-alive comments', async () => {
    const ctx = setup(0, 20);
    const reader = ctx.make().getReader();
    await readChunk(reader);
    expect(parseFrames(await readChunk(reader))).toEqual([{ comment: 'keep-alive' }]);
    await reader.cancel();
  });

  it('cleans up when the client goes away', async () => {
    const ctx = setup();
    const reader = ctx.make().getReader();
    await readChunk(reader);
    expect(ctx.counts()).toMatchObject({ open: 1, closed: 0, summaryListeners: 1, endListeners: 1 });
    ctx.abort.abort();
    expect(await reader.read()).toEqual({ done: true, value: undefined });
    expect(ctx.counts()).toMatchObject({ open: 1, closed: 1, summaryListeners: 0, endListeners: 0 });
    // Events after the disconnect go nowhere and do not throw.
    ctx.log.finding('info', 'after', 'after');
  });

  it('ends when the session ends', async () => {
    const ctx = setup();
    const reader = ctx.make().getReader();
    await readChunk(reader);
    ctx.end();
    expect((await reader.read()).done).toBe(true);
    expect(ctx.counts().closed).toBe(1);
  });
});

/** Reads the stream until `lastSeq` has arrived; the trace ids, in the order received. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, lastSeq: number): Promise<number[]> {
  const ids: number[] = [];
  let text = '';
  while (ids.at(-1) !== lastSeq) {
    const chunk = await readChunk(reader);
    if (chunk === '') break;
    text += chunk;
    const end = text.lastIndexOf('\n\n');
    if (end < 0) continue;
    for (const frame of parseFrames(text.slice(0, end + 2))) if (frame.event === 'trace') ids.push(Number(frame.id));
    text = text.slice(end + 2);
  }
  return ids;
}

/** A server flooding: `count` events in batches of `perTick`, a turn of the event loop between batches. */
async function flood(log: TraceLog, count: number, perTick = 2_000): Promise<void> {
  for (let i = 0; i < count; i += perTick) {
    for (let j = i; j < Math.min(count, i + perTick); j++) log.finding('info', 'n', `flood message ${j} ${'x'.repeat(100)}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('events stream and a slow reader', () => {
  it('queues no more than its high-water mark for a reader that does not keep up; the rest waits in the log', async () => {
    // The log keeps only its newest 1,000 events: whatever else the reader gets was queued in the stream.
    const ctx = setup(0, undefined, { maxEvents: 1_000 });
    const reader = ctx.make().getReader();
    await readChunk(reader);
    await flood(ctx.log, 100_000);
    const ids = await readUntil(reader, ctx.log.lastSeq);
    const frameBytes = 250;
    // Unbounded, all 100,000 would have been buffered for this reader (~25 MB); bounded, about 1 MB of them.
    expect(ids.length).toBeLessThan(1_000 + (2 * STREAM_HIGH_WATER_BYTES) / frameBytes + 2_000);
    expect(ids.length).toBeGreaterThan(1_000);
    expect(ids.at(-1)).toBe(ctx.log.lastSeq);
    // In order, no duplicates, across the switch from queued events to the catch-up from the log.
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]!);
    await reader.cancel();
  });

  it('gives a reader that fell behind every event the log still holds, in order, once', async () => {
    const ctx = setup();
    const reader = ctx.make().getReader();
    await readChunk(reader);
    await flood(ctx.log, 30_000);
    const ids = await readUntil(reader, 30_000);
    expect(ids).toEqual(Array.from({ length: 30_000 }, (_, i) => i + 1));
    // Then live again.
    ctx.log.finding('info', 'later', 'later');
    expect(parseFrames(await readChunk(reader)).map((frame) => frame.id)).toEqual(['30001']);
    await reader.cancel();
  });

  it('replays a long backlog a slice at a time, not in one write', async () => {
    const ctx = setup();
    for (let i = 0; i < CATCH_UP_EVENTS * 3; i++) ctx.log.finding('info', 'n', 'backlog');
    const reader = ctx.make().getReader();
    const first = parseFrames(await readChunk(reader)).filter((frame) => frame.event === 'trace');
    expect(first).toHaveLength(CATCH_UP_EVENTS);
    expect(await readUntil(reader, CATCH_UP_EVENTS * 3)).toEqual(
      Array.from({ length: CATCH_UP_EVENTS * 2 }, (_, i) => CATCH_UP_EVENTS + i + 1),
    );
    await reader.cancel();
  });
});

describe('replayStart', () => {
  it('prefers Last-Event-ID over ?after= and ignores garbage', () => {
    expect(replayStart(new Request('http://l/api/sessions/x/events?after=5', { headers: { 'last-event-id': '9' } }))).toBe(9);
    expect(replayStart(new Request('http://l/api/sessions/x/events?after=5'))).toBe(5);
    expect(replayStart(new Request('http://l/api/sessions/x/events?after=-1'))).toBe(0);
    expect(replayStart(new Request('http://l/api/sessions/x/events', { headers: { 'last-event-id': 'abc' } }))).toBe(0);
  });
});
