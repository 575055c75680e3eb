// The session log: numbered, timed, append-only, capped. Views subscribe to it; nothing else stores events.
import { utf8ByteLength } from './bytes';
import {
  DEFAULT_TRACE_LIMITS,
  type FindingEvent,
  type FindingSeverity,
  type NewTraceEvent,
  type PhaseEvent,
  type PhaseStatus,
  type TraceError,
  type TraceEvent,
  type TraceLimits,
  type TraceMeta,
} from './types';

export interface PhaseHandle {
  id: string;
  ok(detail?: string): void;
  fail(error: TraceError, detail?: string): void;
  skip(detail?: string): void;
}

export interface BeginPhaseOptions {
  parentId?: string;
  detail?: string;
}

export interface FindingRefs {
  exchangeId?: string;
  phaseId?: string;
}

export interface TraceStats {
  /** Events currently kept. */
  events: number;
  /** Events removed by the `maxEvents` cap. */
  droppedEvents: number;
  /** Bodies, frame texts and messages emptied by the `maxBytes` cap. */
  droppedPayloads: number;
  /** Body/message bytes currently kept (what `maxBytes` limits). */
  payloadBytes: number;
}

export interface TraceLogOptions {
  /** Epoch milliseconds; injectable for tests. Default: `Date.now()` refined with `performance.now()`. */
  clock?: () => number;
  /**
   * Applied to the text of phases and findings, which quote URLs and server answers: the session's known secrets
   * are masked there as in the traffic (e.g. `SecretSet.maskText`).
   */
  maskText?: (text: string) => string;
}

type Listener = (e: TraceEvent) => void;
type MetaListener = (meta: TraceMeta) => void;

/** Share of `maxEvents` that early phase events may keep when old events are dropped (the handshake stays visible). */
const PINNED_SHARE = 0.25;
/** Compact the backing arrays when this many dead slots sit at their head. */
const COMPACT_AFTER = 1024;

export class TraceLog {
  readonly limits: TraceLimits;
  /** True for logs rebuilt from an export or share: they are for reading. */
  readonly imported: boolean;

  private metaValue: TraceMeta;
  private readonly clock: () => number;
  private readonly maskText: (text: string) => string;
  private seqCounter = 0;
  private lastT = 0;
  private idCounter = 0;

  // Kept events in seq order: `pinned` (early phases kept past the event cap) then `store[head..]`.
  private store: TraceEvent[] = [];
  private head = 0;
  private readonly pinned: TraceEvent[] = [];

  // Byte cap: events still holding payload, oldest first, and what each one is charged.
  private payloadQueue: TraceEvent[] = [];
  private payloadHead = 0;
  private readonly charged = new Map<TraceEvent, number>();
  private payloadBytes = 0;

  private droppedEvents = 0;
  private droppedPayloads = 0;
  private bytesCapNoted = false;
  private eventsCapNoted = false;
  private enforcing = false;
  // Events waiting to reach the subscribers, and whether a delivery loop is running (see `deliver`).
  private deliveryQueue: TraceEvent[] = [];
  private delivering = false;

  private readonly listeners = new Set<Listener>();
  private readonly metaListeners = new Set<MetaListener>();

  constructor(meta: TraceMeta, limits?: Partial<TraceLimits>, options: TraceLogOptions = {}) {
    this.metaValue = { ...meta };
    this.limits = { ...DEFAULT_TRACE_LIMITS, ...definedOnly(limits) };
    this.clock = options.clock ?? defaultClock();
    this.maskText = options.maskText ?? ((text) => text);
    this.imported = false;
  }

  /** A log rebuilt from exported events, kept as they are (no caps, no renumbering). */
  static fromEvents(meta: TraceMeta, events: readonly TraceEvent[]): TraceLog {
    const log = new TraceLog(meta, {
      maxEvents: Number.POSITIVE_INFINITY,
      maxBytes: Number.POSITIVE_INFINITY,
      maxBodyBytes: Number.POSITIVE_INFINITY,
    });
    (log as { imported: boolean }).imported = true;
    const sorted = [...events].sort((a, b) => a.seq - b.seq);
    log.store = sorted;
    const last = sorted[sorted.length - 1];
    log.seqCounter = last ? last.seq : 0;
    log.lastT = last ? last.t : 0;
    // Ids minted here count up from the last seq, which is past any id minted while recording.
    log.idCounter = log.seqCounter;
    return log;
  }

  get meta(): TraceMeta {
    return this.metaValue;
  }

  setMeta(patch: Partial<TraceMeta>): void {
    this.metaValue = { ...this.metaValue, ...patch };
    for (const fn of this.metaListeners) safeCall(fn, this.metaValue);
  }

  get lastSeq(): number {
    return this.seqCounter;
  }

  /** Events currently kept. */
  get size(): number {
    return this.pinned.length + this.store.length - this.head;
  }

  get stats(): TraceStats {
    return {
      events: this.size,
      droppedEvents: this.droppedEvents,
      droppedPayloads: this.droppedPayloads,
      payloadBytes: this.payloadBytes,
    };
  }

  /** Milliseconds since `meta.startedAt` as the next event would get it (monotonic). */
  now(): number {
    const t = round(this.clock() - this.metaValue.startedAt);
    return t > this.lastT ? t : this.lastT;
  }

  /** A short id unique within this log, e.g. `ex12`, `ph3`. */
  newId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}${this.idCounter}`;
  }

  append(e: NewTraceEvent): TraceEvent {
    return this.appendAt(e, this.now());
  }

  /** Kept events with `seq > afterSeq`, in order. */
  events(afterSeq = 0): TraceEvent[] {
    const out: TraceEvent[] = [];
    for (const p of this.pinned) if (p.seq > afterSeq) out.push(p);
    // Binary search the first kept event past afterSeq: seqs in the store only grow.
    let lo = this.head;
    let hi = this.store.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.store[mid].seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.store.length; i++) out.push(this.store[i]);
    return out;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  subscribeMeta(fn: MetaListener): () => void {
    this.metaListeners.add(fn);
    return () => {
      this.metaListeners.delete(fn);
    };
  }

  beginPhase(name: string, opts: BeginPhaseOptions = {}): PhaseHandle {
    const phaseId = this.newId('ph');
    const start = this.append({
      kind: 'phase',
      phaseId,
      name,
      status: 'started',
      ...(opts.detail !== undefined ? { detail: this.maskText(opts.detail) } : {}),
      ...(opts.parentId !== undefined ? { parentId: opts.parentId } : {}),
    });
    let closed = false;
    const close = (status: Exclude<PhaseStatus, 'started'>, detail?: string, error?: TraceError): void => {
      if (closed) return;
      closed = true;
      const t = this.now();
      const end: Omit<PhaseEvent, 'seq' | 't'> = {
        kind: 'phase',
        phaseId,
        name,
        status,
        durationMs: round(t - start.t),
      };
      if (detail !== undefined) end.detail = this.maskText(detail);
      if (error !== undefined) end.error = { ...error, message: this.maskText(error.message) };
      if (opts.parentId !== undefined) end.parentId = opts.parentId;
      this.appendAt(end, t);
    };
    return {
      id: phaseId,
      ok: (detail) => close('ok', detail),
      fail: (error, detail) => close('failed', detail ?? error.message, error),
      skip: (detail) => close('skipped', detail),
    };
  }

  finding(severity: FindingSeverity, code: string, message: string, refs: FindingRefs = {}): FindingEvent {
    const e: Omit<FindingEvent, 'seq' | 't'> = { kind: 'finding', severity, code, message: this.maskText(message) };
    if (refs.exchangeId !== undefined) e.exchangeId = refs.exchangeId;
    if (refs.phaseId !== undefined) e.phaseId = refs.phaseId;
    return this.append(e) as FindingEvent;
  }

  private appendAt(e: NewTraceEvent, t: number): TraceEvent {
    this.seqCounter += 1;
    if (t > this.lastT) this.lastT = t;
    const event = { ...e, seq: this.seqCounter, t: this.lastT } as TraceEvent;
    this.store.push(event);
    const weight = payloadWeight(event);
    if (weight > 0 && Number.isFinite(this.limits.maxBytes)) {
      this.charged.set(event, weight);
      this.payloadQueue.push(event);
      this.payloadBytes += weight;
    }
    // Caps first, so subscribers see the event as it is kept; the findings they cause come after it.
    const notes = this.enforcing ? [] : this.enforceLimits();
    this.deliver(event);
    for (const note of notes) this.finding('warning', 'log_capped', note);
    return event;
  }

  /**
   * Hands an event to every subscriber, in seq order. A subscriber may append while it is being told
   * (the wire findings do); that event waits until every subscriber has seen this one, otherwise the
   * subscribers after it would see seq N+1 before seq N (and the events stream, which skips seqs it has
   * passed, would drop N).
   */
  private deliver(event: TraceEvent): void {
    this.deliveryQueue.push(event);
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let i = 0; i < this.deliveryQueue.length; i++) {
        const next = this.deliveryQueue[i];
        for (const fn of this.listeners) safeCall(fn, next);
      }
    } finally {
      this.deliveryQueue = [];
      this.delivering = false;
    }
  }

  /** Returns the messages of `log_capped` findings to append (each cap is reported once). */
  private enforceLimits(): string[] {
    this.enforcing = true;
    const notes: string[] = [];
    try {
      const { maxBytes, maxEvents } = this.limits;
      if (this.payloadBytes > maxBytes) {
        while (this.payloadBytes > maxBytes && this.payloadHead < this.payloadQueue.length) {
          const victim = this.payloadQueue[this.payloadHead++];
          const w = this.charged.get(victim);
          if (w === undefined) continue; // already gone with its event
          this.charged.delete(victim);
          this.payloadBytes -= w;
          dropPayload(victim);
          this.droppedPayloads += 1;
        }
        this.compactPayloadQueue();
        if (!this.bytesCapNoted) {
          this.bytesCapNoted = true;
          notes.push(
            `The session log reached its byte limit (maxBytes = ${formatBytes(maxBytes)}). The oldest request and response ` +
              'bodies, SSE frame texts and JSON-RPC message payloads are being emptied as new ones arrive; every ' +
              'exchange, frame and message stays listed with its method, ids, status and timings.',
          );
        }
      }
      // The finding about to be appended counts too.
      const reserve = notes.length;
      if (this.size + reserve > maxEvents) {
        const pinBudget = Math.floor(maxEvents * PINNED_SHARE);
        // Never the event being appended: its subscribers are about to see it.
        while (this.size + reserve > maxEvents && this.head < this.store.length - 1) {
          const oldest = this.store[this.head];
          this.head += 1;
          if (isPinnable(oldest) && this.pinned.length < pinBudget) {
            this.pinned.push(oldest);
            continue;
          }
          const w = this.charged.get(oldest);
          if (w !== undefined) {
            this.charged.delete(oldest);
            this.payloadBytes -= w;
          }
          this.droppedEvents += 1;
        }
        if (this.head > COMPACT_AFTER && this.head * 2 > this.store.length) {
          this.store = this.store.slice(this.head);
          this.head = 0;
        }
        // Dropped events are the oldest, so their payload entries sit at the front of the queue: let them go.
        while (this.payloadHead < this.payloadQueue.length && !this.charged.has(this.payloadQueue[this.payloadHead])) {
          this.payloadHead += 1;
        }
        this.compactPayloadQueue();
        if (!this.eventsCapNoted) {
          this.eventsCapNoted = true;
          notes.push(
            `The session log reached its event limit (maxEvents = ${maxEvents}). The oldest events are being removed as ` +
              'new ones arrive (the first phases of the session are kept); export the log regularly to keep everything.',
          );
        }
      }
    } finally {
      this.enforcing = false;
    }
    return notes;
  }

  private compactPayloadQueue(): void {
    if (this.payloadHead > COMPACT_AFTER && this.payloadHead * 2 > this.payloadQueue.length) {
      this.payloadQueue = this.payloadQueue.slice(this.payloadHead);
      this.payloadHead = 0;
    }
  }
}

function isPinnable(e: TraceEvent): boolean {
  return e.kind === 'phase' || (e.kind === 'finding' && e.code === 'log_capped');
}

/** Bytes an event holds in bodies, frame text and message payloads (what `maxBytes` limits). */
export function payloadWeight(e: TraceEvent): number {
  switch (e.kind) {
    case 'http.request':
    case 'http.end':
      return e.body && !e.body.dropped ? utf8ByteLength(e.body.text) : 0;
    case 'sse.frame':
      if (e.dropped) return 0;
      return utf8ByteLength(e.raw) + (e.data ? utf8ByteLength(e.data) : 0);
    case 'rpc':
      return e.message !== undefined ? e.size : 0;
    default:
      return 0;
  }
}

function dropPayload(e: TraceEvent): void {
  switch (e.kind) {
    case 'http.request':
    case 'http.end':
      if (e.body) {
        e.body.text = '';
        e.body.truncated = true;
        e.body.dropped = true;
      }
      return;
    case 'sse.frame':
      e.raw = '';
      if (e.data !== undefined) e.data = '';
      e.dropped = true;
      return;
    case 'rpc':
      e.message = undefined;
      e.dropped = true;
      return;
    default:
      return;
  }
}

function defaultClock(): () => number {
  const perf = globalThis.performance;
  if (!perf || typeof perf.now !== 'function') return () => Date.now();
  // Wall time at start plus a monotonic delta: immune to clock adjustments while the session runs.
  const epoch0 = Date.now();
  const perf0 = perf.now();
  return () => epoch0 + (perf.now() - perf0);
}

function round(ms: number): number {
  return Math.max(0, Math.round(ms * 1000) / 1000);
}

function safeCall<T>(fn: (v: T) => void, v: T): void {
  try {
    fn(v);
  } catch (err) {
    // A broken view must not break recording (or the other views).
    console.error('trace subscriber failed', err);
  }
}

function definedOnly(limits: Partial<TraceLimits> | undefined): Partial<TraceLimits> {
  const out: Partial<TraceLimits> = {};
  if (!limits) return out;
  for (const key of ['maxEvents', 'maxBytes', 'maxBodyBytes'] as const) {
    const v = limits[key];
    if (typeof v === 'number' && v >= 0) out[key] = v;
  }
  return out;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return 'unlimited';
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} B`;
}
