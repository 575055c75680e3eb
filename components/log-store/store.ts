// The browser's copy of one session log: an external store fed by the events stream. Events are queued
// and applied once per animation frame, so a server flooding notifications costs one render per frame,
// not one per event. Indexes are built incrementally; lists are append-only and read by index.
import type { SessionSummary } from '@/lib/contract';
import { addToRpcSummary, emptyRpcSummary } from '@/lib/trace/exchange-summary';
import type {
  AppMessageEvent,
  FindingEvent,
  FoldedNotifications,
  PhaseEvent,
  RpcEvent,
  SseFrameEvent,
  TraceEvent,
} from '@/lib/trace/types';
import { headerValue } from '../ui';
import type { ExchangeView, LogSnapshot, PhaseView, ProgressInfo, StdioLineView, StdioRowView, StreamConnection } from './views';
import { isJsonObject } from '@/lib/json';

type Listener = () => void;

const EMPTY_FRAMES: readonly SseFrameEvent[] = Object.freeze([]);

export class LogStore {
  readonly sessionId: string;

  private listeners = new Set<Listener>();
  private pending: TraceEvent[] = [];
  private frameHandle: number | null = null;
  private timerHandle: ReturnType<typeof setTimeout> | null = null;
  private seen = new Set<number>();
  private highestSeq = 0;

  readonly events: TraceEvent[] = [];
  readonly exchanges: ExchangeView[] = [];
  private exchangeIndex = new Map<string, number>();
  private frames = new Map<string, SseFrameEvent[]>();
  /** A stdio server's transcript, in log order (lib/stdio records it). */
  readonly stdioRows: StdioRowView[] = [];
  private stdioLineIndex = new Map<string, number>();
  readonly rpc: RpcEvent[] = [];
  private rpcIndexBySeq = new Map<number, number>();
  /** MCP Apps bridge messages (host ↔ view), a lane of their own: never mixed into `rpc`, which is the server's wire. */
  readonly appMessages: AppMessageEvent[] = [];
  private appIndexBySeq = new Map<number, number>();
  readonly appMethods = new Map<string, number>();
  /** request seq → response seq, and back. */
  private pairs = new Map<number, number>();
  readonly methods = new Map<string, number>();
  /** Seq of the newest notification the server sent, per method (what a list's freshness is judged by). */
  private lastNotification = new Map<string, number>();
  readonly phases: PhaseView[] = [];
  private phaseIndex = new Map<string, number>();
  readonly findings: FindingEvent[] = [];
  /** Server notifications counted but not kept (a flood past the rate), per method. */
  readonly folded = new Map<string, number>();
  private foldedTotal = 0;
  private progress = new Map<string, ProgressInfo>();
  private toolsListChanged = 0;
  private severityCounts: LogSnapshot['findingsBySeverity'] = { info: 0, warning: 0, error: 0 };
  private connection: StreamConnection = 'connecting';
  private lastT = 0;
  private snapshot: LogSnapshot;
  summary: SessionSummary | null = null;
  private summaryListeners = new Set<(summary: SessionSummary) => void>();

  constructor(sessionId: string) {
    this.sessionId = sessionId;
    this.snapshot = this.buildSnapshot(0);
  }

  /** A read-only store holding a finished log (an imported file, a shared link): applied at once, never live. */
  static fromEvents(sessionId: string, events: readonly TraceEvent[]): LogStore {
    const store = new LogStore(sessionId);
    for (const event of events) store.push(event);
    store.connection = 'closed';
    store.flush();
    return store;
  }

  // ---- feeding ----

  push(event: TraceEvent): void {
    if (this.seen.has(event.seq)) return;
    this.seen.add(event.seq);
    if (event.seq > this.highestSeq) this.highestSeq = event.seq;
    this.pending.push(event);
    this.schedule();
  }

  setConnection(connection: StreamConnection): void {
    if (connection === this.connection) return;
    this.connection = connection;
    this.schedule();
  }

  setSummary(summary: SessionSummary): void {
    this.summary = summary;
    for (const listener of this.summaryListeners) listener(summary);
  }

  /** Records the latest summary from elsewhere (the summary query) without echoing it to listeners. */
  rememberSummary(summary: SessionSummary): void {
    this.summary = summary;
  }

  onSummary(listener: (summary: SessionSummary) => void): () => void {
    this.summaryListeners.add(listener);
    return () => this.summaryListeners.delete(listener);
  }

  private schedule(): void {
    if (this.frameHandle !== null || this.timerHandle !== null) return;
    // rAF pauses in background tabs; the timer keeps the log moving there at a gentler pace.
    if (typeof requestAnimationFrame === 'function') {
      this.frameHandle = requestAnimationFrame(() => this.flush());
    }
    this.timerHandle = setTimeout(() => this.flush(), 250);
  }

  /** Applies queued events and notifies subscribers once. Public for tests and imports. */
  flush(): void {
    if (this.frameHandle !== null && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(this.frameHandle);
    if (this.timerHandle !== null) clearTimeout(this.timerHandle);
    this.frameHandle = null;
    this.timerHandle = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 1) batch.sort((a, b) => a.seq - b.seq);
    for (const event of batch) this.apply(event);
    this.snapshot = this.buildSnapshot(this.snapshot.version + 1);
    for (const listener of this.listeners) listener();
  }

  // ---- subscription (useSyncExternalStore) ----

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LogSnapshot => this.snapshot;

  // ---- reads ----

  /** Highest seq received so far (applied or queued). */
  get maxSeq(): number {
    return this.highestSeq;
  }

  exchange(exchangeId: string): ExchangeView | undefined {
    const index = this.exchangeIndex.get(exchangeId);
    return index === undefined ? undefined : this.exchanges[index];
  }

  framesOf(exchangeId: string): readonly SseFrameEvent[] {
    return this.frames.get(exchangeId) ?? EMPTY_FRAMES;
  }

  /** The stdio line with this id (its rpc events name it as their exchangeId). */
  stdioLine(exchangeId: string): StdioLineView | undefined {
    const index = this.stdioLineIndex.get(exchangeId);
    const row = index === undefined ? undefined : this.stdioRows[index];
    return row?.row === 'line' ? row : undefined;
  }

  phase(phaseId: string): PhaseView | undefined {
    const index = this.phaseIndex.get(phaseId);
    return index === undefined ? undefined : this.phases[index];
  }

  rpcBySeq(seq: number): RpcEvent | undefined {
    const index = this.rpcIndexBySeq.get(seq);
    return index === undefined ? undefined : this.rpc[index];
  }

  /** A server message or an app bridge message by seq (the Messages view shows either). */
  messageBySeq(seq: number): RpcEvent | AppMessageEvent | undefined {
    const app = this.appIndexBySeq.get(seq);
    return app !== undefined ? this.appMessages[app] : this.rpcBySeq(seq);
  }

  rpcIndexOf(seq: number): number | undefined {
    return this.rpcIndexBySeq.get(seq);
  }

  /** Seq of the newest notification of `method` from the server (applied events only). */
  lastNotificationSeq(method: string): number | undefined {
    return this.lastNotification.get(method);
  }

  /** The newest phase named `name` (most recently started), if any. */
  lastPhaseNamed(name: string, accept: (phase: PhaseView) => boolean = () => true): PhaseView | undefined {
    for (let i = this.phases.length - 1; i >= 0; i--) {
      const phase = this.phases[i]!;
      if (phase.name === name && accept(phase)) return phase;
    }
    return undefined;
  }

  /** The other half of a request/response pair. */
  pairOf(seq: number): number | undefined {
    return this.pairs.get(seq);
  }

  progressFor(token: string | number): ProgressInfo | undefined {
    return this.progress.get(String(token));
  }

  // ---- applying ----

  private apply(event: TraceEvent): void {
    this.events.push(event);
    if (event.t > this.lastT) this.lastT = event.t;
    switch (event.kind) {
      case 'http.request': {
        const view: ExchangeView = {
          exchangeId: event.exchangeId,
          index: this.exchanges.length,
          requestSeq: event.seq,
          t: event.t,
          phaseId: event.phaseId,
          purpose: event.purpose,
          method: event.method,
          url: event.url,
          requestHeaders: event.headers,
          requestBody: event.body,
          isEventStream: false,
          frameCount: 0,
          findingCount: 0,
        };
        this.exchangeIndex.set(event.exchangeId, view.index);
        this.exchanges.push(view);
        break;
      }
      case 'http.response': {
        this.updateExchange(event.exchangeId, (view) => {
          const contentType = headerValue(event.headers, 'content-type');
          const isEventStream = /text\/event-stream/i.test(contentType ?? '');
          return {
            ...view,
            response: {
              status: event.status,
              statusText: event.statusText,
              headers: event.headers,
              ttfbMs: event.ttfbMs,
              t: event.t,
            },
            contentType,
            isEventStream,
            streamKind: isEventStream ? (view.method === 'GET' ? 'get-stream' : 'post-stream') : undefined,
          };
        });
        break;
      }
      case 'http.end': {
        this.updateExchange(event.exchangeId, (view) => ({
          ...view,
          end: {
            bytes: event.bytes,
            durationMs: event.durationMs,
            error: event.error,
            aborted: event.aborted,
            body: event.body,
            t: event.t,
          },
        }));
        break;
      }
      case 'sse.frame': {
        let list = this.frames.get(event.exchangeId);
        if (!list) {
          list = [];
          this.frames.set(event.exchangeId, list);
        }
        list.push(event);
        this.updateExchange(event.exchangeId, (view) => ({
          ...view,
          frameCount: view.frameCount + 1,
          // The legacy transport announces its POST endpoint on the GET stream; that names the stream.
          streamKind: event.event === 'endpoint' && view.method === 'GET' ? 'legacy-sse' : view.streamKind,
        }));
        break;
      }
      case 'stdio.line': {
        const view: StdioLineView = {
          row: 'line',
          exchangeId: event.exchangeId,
          seq: event.seq,
          t: event.t,
          direction: event.direction,
          size: event.size,
          phaseId: event.phaseId,
          text: event.text,
          truncated: event.truncated,
          findingCount: 0,
        };
        this.stdioLineIndex.set(event.exchangeId, this.stdioRows.length);
        this.stdioRows.push(view);
        break;
      }
      case 'stdio.stderr':
        this.stdioRows.push({ row: 'stderr', seq: event.seq, t: event.t, event });
        break;
      case 'stdio.process':
        this.stdioRows.push({ row: 'process', seq: event.seq, t: event.t, event });
        break;
      case 'rpc':
        this.applyRpc(event);
        break;
      case 'phase':
        this.applyPhase(event);
        break;
      case 'app.message':
        this.appIndexBySeq.set(event.seq, this.appMessages.length);
        this.appMessages.push(event);
        if (event.method) this.appMethods.set(event.method, (this.appMethods.get(event.method) ?? 0) + 1);
        if (event.pairSeq !== undefined) {
          this.pairs.set(event.pairSeq, event.seq);
          this.pairs.set(event.seq, event.pairSeq);
        }
        break;
      case 'finding':
        this.findings.push(event);
        this.severityCounts[event.severity] = (this.severityCounts[event.severity] ?? 0) + 1;
        if (event.code === 'notifications_folded' && Array.isArray(event.folded)) this.applyFolded(event.folded);
        if (event.exchangeId) {
          this.updateExchange(event.exchangeId, (view) => ({ ...view, findingCount: view.findingCount + 1 }));
          this.updateStdioLine(event.exchangeId, (view) => ({ ...view, findingCount: view.findingCount + 1 }));
        }
        break;
    }
  }

  private applyFolded(folded: readonly FoldedNotifications[]): void {
    for (const entry of folded) {
      if (typeof entry?.method !== 'string' || !Number.isFinite(entry.count) || entry.count <= 0) continue;
      this.folded.set(entry.method, (this.folded.get(entry.method) ?? 0) + entry.count);
      this.foldedTotal += entry.count;
    }
  }

  private updateExchange(exchangeId: string, update: (view: ExchangeView) => ExchangeView): void {
    const index = this.exchangeIndex.get(exchangeId);
    if (index === undefined) return;
    // Replace, never mutate: memoised rows compare by identity.
    this.exchanges[index] = update(this.exchanges[index]);
  }

  private updateStdioLine(exchangeId: string, update: (view: StdioLineView) => StdioLineView): void {
    const index = this.stdioLineIndex.get(exchangeId);
    const row = index === undefined ? undefined : this.stdioRows[index];
    // Replace, never mutate: memoised rows compare by identity.
    if (row?.row === 'line') this.stdioRows[index!] = update(row);
  }

  private applyRpc(event: RpcEvent): void {
    if (event.exchangeId !== undefined) {
      this.updateExchange(event.exchangeId, (view) => {
        const summary = view.rpc ?? emptyRpcSummary();
        addToRpcSummary(summary, event);
        return { ...view, rpc: summary };
      });
      this.updateStdioLine(event.exchangeId, (view) => {
        const summary = view.rpc ?? emptyRpcSummary();
        addToRpcSummary(summary, event);
        return { ...view, rpc: summary };
      });
    }
    this.rpcIndexBySeq.set(event.seq, this.rpc.length);
    this.rpc.push(event);
    if (event.method) this.methods.set(event.method, (this.methods.get(event.method) ?? 0) + 1);
    if (event.pairSeq !== undefined) {
      this.pairs.set(event.pairSeq, event.seq);
      this.pairs.set(event.seq, event.pairSeq);
    }
    if (event.direction !== 'in' || event.type !== 'notification') return;
    if (event.method) this.lastNotification.set(event.method, event.seq);
    if (event.method === 'notifications/tools/list_changed') this.toolsListChanged += 1;
    if (event.method === 'notifications/progress' && isJsonObject(event.message) && isJsonObject(event.message.params)) {
      const params = event.message.params;
      const token = params.progressToken;
      if ((typeof token === 'string' || typeof token === 'number') && typeof params.progress === 'number') {
        const previous = this.progress.get(String(token));
        this.progress.set(String(token), {
          progress: params.progress,
          total: typeof params.total === 'number' ? params.total : undefined,
          message: typeof params.message === 'string' ? params.message : undefined,
          t: event.t,
          count: (previous?.count ?? 0) + 1,
        });
      }
    }
  }

  private applyPhase(event: PhaseEvent): void {
    const index = this.phaseIndex.get(event.phaseId);
    if (index === undefined) {
      const closed = event.status !== 'started';
      const start = closed && event.durationMs !== undefined ? event.t - event.durationMs : event.t;
      this.phaseIndex.set(event.phaseId, this.phases.length);
      this.phases.push({
        phaseId: event.phaseId,
        name: event.name,
        parentId: event.parentId,
        status: event.status,
        t: Math.max(0, start),
        endT: closed ? event.t : undefined,
        durationMs: event.durationMs,
        detail: event.detail,
        error: event.error,
        seq: event.seq,
      });
      return;
    }
    const previous = this.phases[index];
    this.phases[index] = {
      ...previous,
      name: event.name || previous.name,
      parentId: event.parentId ?? previous.parentId,
      status: event.status,
      endT: event.status === 'started' ? previous.endT : event.t,
      durationMs: event.durationMs ?? (event.status === 'started' ? undefined : event.t - previous.t),
      detail: event.detail ?? previous.detail,
      error: event.error ?? previous.error,
    };
  }

  private buildSnapshot(version: number): LogSnapshot {
    return {
      version,
      eventCount: this.events.length,
      exchangeCount: this.exchanges.length,
      rpcCount: this.rpc.length,
      appMessageCount: this.appMessages.length,
      phaseCount: this.phases.length,
      findingCount: this.findings.length,
      findingsBySeverity: { ...this.severityCounts },
      foldedNotifications: this.foldedTotal,
      lastT: this.lastT,
      connection: this.connection,
      toolsListChanged: this.toolsListChanged,
      stdioRowCount: this.stdioRows.length,
    };
  }
}
