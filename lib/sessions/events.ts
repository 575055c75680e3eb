// The events stream of one session (GET /api/sessions/:id/events): the log as Server-Sent Events with
// `id` = seq, so a browser's EventSource resumes with Last-Event-ID after a drop. Events appended in
// the same turn of the event loop go out in one write, so a server flooding notifications costs one
// chunk per turn rather than one per event.
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

export function createEventStream(source: EventStreamSource): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let pending: string[] = [];
  let scheduled = false;
  let lastSent = source.afterSeq;
  let closed = false;
  const cleanups: Array<() => void> = [];
  let finished = false;
  const finish = () => {
    closed = true;
    if (finished) return;
    finished = true;
    for (const cleanup of cleanups.splice(0)) cleanup();
    source.onClose?.();
  };

  return new ReadableStream<Uint8Array>({
    start(controller) {
      source.onOpen?.();
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
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
      const stop = () => {
        if (closed) return;
        finish();
        try {
          controller.close();
        } catch {
          // already closed or errored by the consumer
        }
      };
      const onTrace = (event: TraceEvent) => {
        // Subscribing before the replay means an event can arrive both ways; seq decides.
        if (event.seq <= lastSent) return;
        lastSent = event.seq;
        queue(formatTraceFrame(event));
      };

      cleanups.push(source.log.subscribe(onTrace));
      cleanups.push(source.subscribeSummary((summary) => queue(formatSummaryFrame(summary))));
      cleanups.push(source.onEnd(() => {
        flush();
        stop();
      }));
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

      // Replay: the retry hint, the current summary, then the backlog in one write.
      const replay = [`retry: 2000\n\n`, formatSummaryFrame(source.summary())];
      for (const event of source.log.events(source.afterSeq)) {
        if (event.seq <= lastSent) continue;
        lastSent = event.seq;
        replay.push(formatTraceFrame(event));
      }
      write(replay.join(''));
    },
    cancel() {
      finish();
    },
  });
}
