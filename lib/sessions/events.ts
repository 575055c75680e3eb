// The events stream of one session (GET /api/sessions/:id/events): the log as Server-Sent Events with
// `id` = seq, so a browser's EventSource resumes with Last-Event-ID after a drop. Events appended in
// the same turn of the event loop go out in one write, so a server flooding notifications costs one
// chunk per turn rather than one per event; a reader that falls behind is served from the log as it
// reads, so nothing piles up per watcher.
import type { SessionSummary } from '../contract';
import type { TraceLog } from '../trace';
import type { TraceEvent } from '../trace/types';

export const KEEP_ALIVE_MS = 15_000;

export interface EventStreamSource {
  log: TraceLog;
  /** Replay starts after this seq (0 = from the beginning). */
  afterSeq: number;
  summary: () => SessionSummary;
  subscribeSummary: (listener: (summary: SessionSummary) => void) => () => void;
  /** Called when the session goes away for good; the stream then ends. */
  onEnd: (listener: () => void) => () => void;
  /** The HTTP request's signal: the stream stops when the client disconnects. */
  signal?: AbortSignal;
  keepAliveMs?: number;
  /** Told when the stream starts and stops (the registry counts watchers). */
  onOpen?: () => void;
  onClose?: () => void;
}

export const EVENT_STREAM_HEADERS: Record<string, string> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
};

export function formatTraceFrame(event: TraceEvent): string {
  return `id: ${event.seq}\nevent: trace\ndata: ${JSON.stringify(event)}\n\n`;
}

export function formatSummaryFrame(summary: SessionSummary): string {
  return `event: summary\ndata: ${JSON.stringify(summary)}\n\n`;
}

/** Where replay starts: `Last-Event-ID` (a reconnecting EventSource) wins over `?after=`. */
export function replayStart(request: Request): number {
  const header = request.headers.get('last-event-id');
  const query = new URL(request.url).searchParams.get('after');
  for (const candidate of [header, query]) {
    if (candidate === null || candidate.trim() === '') continue;
    const value = Number(candidate);
    if (Number.isInteger(value) && value >= 0) return value;
  }
  return 0;
}

/**
 * Bytes the stream queues for a reader before it stops taking live events: a slow reader (a browser on a
 * thin connection, a paused tab) then catches up from the log itself, a slice at a time, as it reads.
 * Memory per watcher stays bounded however fast the server floods; the log is the only buffer.
 */
export const STREAM_HIGH_WATER_BYTES = 1024 * 1024;
/** Events read from the log per step of a replay or a catch-up. */
export const CATCH_UP_EVENTS = 500;

// One serialisation per event however many watch it live: they are told of it one after the other, so the
// last frame made is the one the next watcher needs. (A cache per event would hold a copy of every event the
// log keeps, outside its memory cap.)
let lastFramed: TraceEvent | undefined;
let lastFrame = '';
function frameOf(event: TraceEvent): string {
  if (event !== lastFramed) {
    lastFrame = formatTraceFrame(event);
    lastFramed = event;
  }
  return lastFrame;
}

export function createEventStream(source: EventStreamSource): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let pending: string[] = [];
  let scheduled = false;
  let lastSent = source.afterSeq;
  // Live: events are queued as they are appended. Not live (replaying, or the reader fell behind): the
  // stream reads them from the log when the reader asks for more.
  let live = false;
  let closed = false;
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const cleanups: Array<() => void> = [];
  let finished = false;
  const finish = () => {
    closed = true;
    if (finished) return;
    finished = true;
    for (const cleanup of cleanups.splice(0)) cleanup();
    source.onClose?.();
  };
  const stop = () => {
    if (closed) return;
    finish();
    try {
      controller?.close();
    } catch {
      // already closed or errored by the consumer
    }
  };
  const write = (text: string) => {
    if (closed || !controller) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      stop();
      return;
    }
    // The reader is not keeping up: stop queueing, let it come back for the rest.
    if ((controller.desiredSize ?? 1) <= 0) live = false;
  };
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    write(text);
  };
  const queue = (text: string) => {
    pending.push(text);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  /** One slice of what the reader has not had yet, straight from the log (after `prefix`, in the same write). */
  const catchUp = (prefix = '') => {
    if (live || closed) return;
    const events = source.log.events(lastSent, CATCH_UP_EVENTS);
    if (events.length < CATCH_UP_EVENTS) live = true;
    const parts: string[] = [prefix];
    for (const event of events) parts.push(frameOf(event));
    if (events.length > 0) lastSent = events[events.length - 1]!.seq;
    const text = parts.join('');
    if (text !== '') write(text);
  };

  return new ReadableStream<Uint8Array>(
    {
      start(ctl) {
        controller = ctl;
        source.onOpen?.();
        const onTrace = (event: TraceEvent) => {
          // Subscribing before the replay means an event can arrive both ways; seq decides.
          if (!live || event.seq <= lastSent) return;
          lastSent = event.seq;
          queue(frameOf(event));
        };

        cleanups.push(source.log.subscribe(onTrace));
        cleanups.push(source.subscribeSummary((summary) => queue(formatSummaryFrame(summary))));
        cleanups.push(
          source.onEnd(() => {
            flush();
            // The last events before the end, when the reader was behind.
            while (!live && !closed) catchUp();
            stop();
          }),
        );
        const keepAlive = setInterval(() => write(': keep-alive\n\n'), source.keepAliveMs ?? KEEP_ALIVE_MS);
        keepAlive.unref?.();
        cleanups.push(() => clearInterval(keepAlive));
        if (source.signal) {
          if (source.signal.aborted) {
            stop();
            return;
          }
          const onAbort = () => stop();
          source.signal.addEventListener('abort', onAbort, { once: true });
          cleanups.push(() => source.signal?.removeEventListener('abort', onAbort));
        }

        // The retry hint, the current summary and the first slice of the backlog in one write; the rest of it
        // as the reader pulls it.
        catchUp(`retry: 2000\n\n${formatSummaryFrame(source.summary())}`);
      },
      pull() {
        // What was queued goes first, so the catch-up never overtakes it.
        flush();
        catchUp();
      },
      cancel() {
        finish();
      },
    },
    { highWaterMark: STREAM_HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
  );
}
