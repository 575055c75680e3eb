import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '@/lib/contract';
import { createEventStream, replayStart } from '@/lib/sessions';
import { TraceLog } from '@/lib/trace';

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

function setup(afterSeq = 0, keepAliveMs?: number) {
  const log = new TraceLog({ sessionId: 's', serverUrl: 'http://x.example/mcp', startedAt: Date.now(), transport: 'auto' });
  let summary: SessionSummary = { id: 's', state: 'connecting', url: 'http://x.example/mcp', transport: 'auto', createdAt: 0, headerNames: [] };
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

describe('replayStart', () => {
  it('prefers Last-Event-ID over ?after= and ignores garbage', () => {
    expect(replayStart(new Request('http://l/api/sessions/x/events?after=5', { headers: { 'last-event-id': '9' } }))).toBe(9);
    expect(replayStart(new Request('http://l/api/sessions/x/events?after=5'))).toBe(5);
    expect(replayStart(new Request('http://l/api/sessions/x/events?after=-1'))).toBe(0);
    expect(replayStart(new Request('http://l/api/sessions/x/events', { headers: { 'last-event-id': 'abc' } }))).toBe(0);
  });
});
