// Reads the session log as it grows to learn what the SDK does not tell us: which request an answer
// belongs to, when a response stream ended without the answer, and the last SSE event id of the
// standing stream (for Last-Event-ID on reconnection).
import { notificationFoldFor, type TraceLog } from '../trace';
import type { TraceError, TraceEvent } from '../trace/types';

type RpcId = string | number;

interface ExchangeState {
  method: string;
  purpose: string;
  status?: number;
  contentType?: string;
  /** The stream carried event ids, so the SDK will try to resume it rather than give up. */
  resumable: boolean;
  pending: Set<RpcId>;
}

export interface WatchListener {
  /** A JSON-RPC response for `id` arrived. */
  answered?(id: RpcId, type: 'result' | 'error', message: unknown): void;
  /** The response to these requests was due on this exchange, and it ended without them (`error`: how it broke, if it did). */
  streamClosed?(ids: RpcId[], exchangeId: string, error?: TraceError): void;
  /** A legacy SSE `endpoint` event arrived. */
  endpoint?(data: string): void;
}

export class LogWatcher {
  /** The last `id:` seen on a standing (GET) event stream. */
  lastStreamEventId: string | undefined;
  private readonly exchanges = new Map<string, ExchangeState>();
  private readonly unsubscribe: () => void;
  private readonly unsubscribeFolds: () => void;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    log: TraceLog,
    private readonly listener: WatchListener,
    afterSeq: number,
  ) {
    // Catch up with anything recorded between the attempt's start and this subscription.
    for (const event of log.events(afterSeq)) this.onEvent(event);
    this.unsubscribe = log.subscribe((event) => this.onEvent(event));
    // A notification folded in a flood is not in the log, but its SSE id still counts for resuming the stream.
    this.unsubscribeFolds = notificationFoldFor(log).subscribe((notice) => {
      if (notice.exchangeId === undefined || notice.frameId === undefined || notice.frameId === '') return;
      const exchange = this.exchanges.get(notice.exchangeId);
      if (!exchange) return;
      exchange.resumable = true;
      if (exchange.method === 'GET') this.lastStreamEventId = notice.frameId;
    });
  }

  dispose(): void {
    this.unsubscribe();
    this.unsubscribeFolds();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.exchanges.clear();
  }

  private onEvent(event: TraceEvent): void {
    switch (event.kind) {
      case 'http.request':
        this.exchanges.set(event.exchangeId, { method: event.method, purpose: event.purpose, resumable: false, pending: new Set() });
        break;
      case 'http.response': {
        const exchange = this.exchanges.get(event.exchangeId);
        if (exchange) {
          exchange.status = event.status;
          exchange.contentType = event.headers.find(([name]) => name === 'content-type')?.[1];
        }
        break;
      }
      case 'sse.frame': {
        const exchange = this.exchanges.get(event.exchangeId);
        if (!exchange) break;
        if (event.id !== undefined && event.id !== '') {
          exchange.resumable = true;
          if (exchange.method === 'GET') this.lastStreamEventId = event.id;
        }
        if (event.event === 'endpoint' && event.data !== undefined) this.listener.endpoint?.(event.data);
        break;
      }
      case 'rpc':
        if (event.direction === 'out' && event.type === 'request' && event.id !== undefined && event.exchangeId) {
          this.exchanges.get(event.exchangeId)?.pending.add(event.id);
        } else if (event.direction === 'in' && (event.type === 'result' || event.type === 'error') && event.id !== undefined) {
          for (const exchange of this.exchanges.values()) exchange.pending.delete(event.id);
          this.listener.answered?.(event.id, event.type, event.message);
        }
        break;
      case 'http.end':
        this.onExchangeEnd(event.exchangeId, event.error);
        break;
      default:
        break;
    }
  }

  private onExchangeEnd(exchangeId: string, error: TraceError | undefined): void {
    const exchange = this.exchanges.get(exchangeId);
    if (!exchange) return;
    if (exchange.method !== 'POST' || exchange.status !== 200 || exchange.resumable) {
      this.exchanges.delete(exchangeId);
      return;
    }
    // The recorder may log the last message of a body just after its end; give it a turn before
    // deciding the answer never came.
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.exchanges.delete(exchangeId);
      if (exchange.pending.size > 0) this.listener.streamClosed?.([...exchange.pending], exchangeId, error);
    }, 0);
    this.timers.add(timer);
  }
}
