// The session log: numbered, timed, append-only, capped. Views subscribe to it; nothing else stores events.
import type { JwtNote } from './jwt';
import { payloadSize, skeletonSize } from './size';
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
  /** Header and claims of the JWT the finding is about; its strings pass through the session's known secrets. */
  jwt?: JwtNote;
}

export interface TraceStats {
  /** Events currently kept (in memory or released to disk). */
  events: number;
  /** Events removed by the caps (`maxEvents`, `maxBytes`) or the process budget. */
  droppedEvents: number;
  /** Bodies, frame texts and messages emptied by the byte cap or the process budget. */
  droppedPayloads: number;
  /** Estimated bytes of bodies, frame texts and messages held in memory. */
  payloadBytes: number;
  /** Estimated bytes of everything the log holds in memory (what `maxBytes` limits and the budget counts). */
  heldBytes: number;
  /** Events moved out of memory (see `TraceLog.release`). */
  releasedEvents: number;
}

/** What the byte cap or the budget dropped in one go. */
export interface DroppedData {
  /** Bodies, frame texts and messages emptied, and their estimated bytes. */
  payloads: number;
  payloadBytes: number;
  /** Whole events removed, and their estimated bytes. */
  events: number;
  eventBytes: number;
}

const NOTHING_DROPPED: DroppedData = { payloads: 0, payloadBytes: 0, events: 0, eventBytes: 0 };

/** Events moved out of memory (a closed session's log on disk), read back when asked for. */
export interface ReleasedEvents {
  /** How many events it holds. */
  readonly count: number;
  /** The highest seq among them: every event after it is in memory. */
  readonly lastSeq: number;
  /** Its events with `seq > afterSeq`, in order, at most `limit`. Synchronous, as the log's readers are. */
  read(afterSeq: number, limit?: number): TraceEvent[];
}

/** Told of every change to the memory a log holds (the process-wide budget for session logs). */
export interface MemoryAccountant {
  changed(log: TraceLog, deltaBytes: number): void;
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

  // Kept events in memory, in seq order: `pinned` (early phases kept past the caps) then `store[head..]`.
  private store: TraceEvent[] = [];
  private head = 0;
  private pinned: TraceEvent[] = [];
  // Events moved out of memory (a closed session's log on disk): all of them come before the ones in memory.
  private releasedTo: ReleasedEvents | undefined;

  // Memory held, estimated (./size): every kept event's skeleton, plus the payloads not emptied yet. Events
  // still holding a payload wait in `payloadQueue`, oldest first, with what each was charged in `charged`.
  private skeletonBytes = 0;
  private payloadBytes = 0;
  private payloadQueue: TraceEvent[] = [];
  private payloadHead = 0;
  private readonly charged = new Map<TraceEvent, number>();
  private accountant: MemoryAccountant | undefined;
  private reportedBytes = 0;

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

  /** Events currently kept (in memory or released). */
  get size(): number {
    return this.memorySize + (this.releasedTo?.count ?? 0);
  }

  /** Estimated bytes the log holds in memory: what `maxBytes` limits and the process budget counts. */
  get heldBytes(): number {
    return this.skeletonBytes + this.payloadBytes;
  }

  get stats(): TraceStats {
    return {
      events: this.size,
      droppedEvents: this.droppedEvents,
      droppedPayloads: this.droppedPayloads,
      payloadBytes: this.payloadBytes,
      heldBytes: this.heldBytes,
      releasedEvents: this.releasedTo?.count ?? 0,
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

  /**
   * Kept events with `seq > afterSeq`, in order; at most `limit` of them. Released events are read back
   * (from disk) as needed, so a caller that pages with `limit` never holds a whole released log at once.
   */
  events(afterSeq = 0, limit = Number.POSITIVE_INFINITY): TraceEvent[] {
    const out: TraceEvent[] = [];
    if (limit <= 0) return out;
    const released = this.releasedTo;
    if (released && afterSeq < released.lastSeq) {
      for (const e of released.read(afterSeq, limit)) out.push(e);
      if (out.length >= limit) return out;
    }
    // What is in memory comes after what was released (a release under way may still hold both).
    if (released && released.lastSeq > afterSeq) afterSeq = released.lastSeq;
    for (const p of this.pinned) {
      if (p.seq <= afterSeq) continue;
      out.push(p);
      if (out.length >= limit) return out;
    }
    // Binary search the first kept event past afterSeq: seqs in the store only grow.
    let lo = this.head;
    let hi = this.store.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.store[mid].seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.store.length && out.length < limit; i++) out.push(this.store[i]);
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
    if (refs.jwt !== undefined) e.jwt = this.maskJwtNote(refs.jwt);
    return this.append(e) as FindingEvent;
  }

  /** A JWT note with every string in it (header and claim values, keys, the signature detail) passed through maskText. */
  private maskJwtNote(note: JwtNote): JwtNote {
    const mask = (value: unknown, depth: number): unknown => {
      if (typeof value === 'string') return this.maskText(value);
      if (depth > 8 || value === null || typeof value !== 'object') return typeof value === 'object' && value !== null ? '…' : value;
      if (Array.isArray(value)) return value.slice(0, 100).map((item) => mask(item, depth + 1));
      return Object.fromEntries(
        Object.entries(value)
          .slice(0, 100)
          .map(([k, v]) => [this.maskText(k), mask(v, depth + 1)]),
      );
    };
    return {
      label: this.maskText(note.label),
      header: mask(note.header, 0) as Record<string, unknown>,
      claims: mask(note.claims, 0) as Record<string, unknown>,
      signature: mask(note.signature, 0) as JwtNote['signature'],
    };
  }

  /**
   * Reports the memory this log holds to `accountant` from now on (the process-wide budget), and every
   * change to it; `undefined` stops (the accountant is told the log holds nothing any more).
   */
  setAccountant(accountant: MemoryAccountant | undefined): void {
    if (this.accountant === accountant) return;
    const previous = this.accountant;
    this.accountant = undefined;
    if (previous && this.reportedBytes !== 0) previous.changed(this, -this.reportedBytes);
    this.reportedBytes = 0;
    this.accountant = accountant;
    this.report();
  }

  /**
   * Frees about `bytes` of memory for the process-wide budget: the oldest bodies, frame texts and messages
   * first, then the oldest whole events (never the newest one, nor the first phases). The caller says why in
   * a finding (one per round of shedding, however many steps it took).
   */
  shed(bytes: number): DroppedData {
    const dropped = bytes > 0 ? this.free(bytes) : { ...NOTHING_DROPPED };
    this.report();
    return dropped;
  }

  /** True while the log's older events live outside memory (see `release`). */
  get isReleased(): boolean {
    return this.releasedTo !== undefined;
  }

  /**
   * Lets go of every event in memory up to `released.lastSeq`: they now live in `released` (a file) and are
   * read back from it when asked for. Events recorded meanwhile stay in memory, after them.
   */
  release(released: ReleasedEvents): void {
    // Released again (events recorded since were appended to the same place) or for the first time.
    if (this.releasedTo && this.releasedTo !== released) throw new Error('this log is released elsewhere; restore it first');
    const kept = this.memoryEvents().filter((e) => e.seq > released.lastSeq);
    this.releasedTo = released;
    this.rebuild(kept);
    this.report();
  }

  /** Brings released events back into memory (a session that connects again records on). */
  restore(): void {
    const released = this.releasedTo;
    if (!released) return;
    const back = released.read(0);
    const since = this.memoryEvents();
    this.releasedTo = undefined;
    for (const e of since) if (e.seq > released.lastSeq) back.push(e);
    this.rebuild(back);
    const notes = this.enforceLimits();
    for (const note of notes) this.finding('warning', 'log_capped', note);
    this.report();
  }

  private get memorySize(): number {
    return this.pinned.length + this.store.length - this.head;
  }

  private memoryEvents(): TraceEvent[] {
    return this.pinned.concat(this.head === 0 ? this.store : this.store.slice(this.head));
  }

  /** Makes `events` (in seq order) the whole content held in memory, counting their sizes afresh. */
  private rebuild(events: TraceEvent[]): void {
    this.store = events;
    this.head = 0;
    this.pinned = [];
    this.payloadQueue = [];
    this.payloadHead = 0;
    this.charged.clear();
    this.skeletonBytes = 0;
    this.payloadBytes = 0;
    for (const e of events) this.hold(e);
  }

  private appendAt(e: NewTraceEvent, t: number): TraceEvent {
    this.seqCounter += 1;
    if (t > this.lastT) this.lastT = t;
    // Object.assign, not a spread: V8 gives `{...e, seq, t}` a dictionary-backed shape about three times
    // the size (measured: ~450 vs ~135 bytes for an rpc event), and a flood keeps hundreds of thousands.
    const event = Object.assign({}, e, { seq: this.seqCounter, t: this.lastT }) as TraceEvent;
    this.store.push(event);
    this.hold(event);
    // Caps first, so subscribers see the event as it is kept; the findings they cause come after it.
    const notes = this.enforcing ? [] : this.enforceLimits();
    this.deliver(event);
    for (const note of notes) this.finding('warning', 'log_capped', note);
    this.report();
    return event;
  }

  /** Counts a newly kept event's memory. */
  private hold(event: TraceEvent): void {
    this.skeletonBytes += skeletonSize(event);
    const payload = payloadSize(event);
    if (payload > 0) {
      this.charged.set(event, payload);
      this.payloadQueue.push(event);
      this.payloadBytes += payload;
    }
  }

  /** Tells the accountant what changed since it last heard. */
  private report(): void {
    if (!this.accountant) return;
    const delta = this.heldBytes - this.reportedBytes;
    if (delta === 0) return;
    this.reportedBytes += delta;
    this.accountant.changed(this, delta);
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
      if (this.heldBytes > maxBytes) {
        this.free(this.heldBytes - maxBytes);
        if (!this.bytesCapNoted) {
          this.bytesCapNoted = true;
          notes.push(
            `The session log reached its memory limit (maxBytes = ${formatBytes(maxBytes)}, MCPSCOPE_LOG_MAX_BYTES, counting ` +
              'every event it keeps as well as bodies and messages). The oldest request and response bodies, SSE frame texts ' +
              'and JSON-RPC message payloads are being emptied as new ones arrive (each stays listed with its method, ids, ' +
              'status and timings); when none is left to empty, the oldest events go. Export the log regularly to keep everything.',
          );
        }
      }
      // The finding about to be appended counts too.
      const reserve = notes.length;
      if (this.memorySize + reserve > maxEvents) {
        // Never the event being appended: its subscribers are about to see it.
        while (this.memorySize + reserve > maxEvents && this.head < this.store.length - 1) this.removeOldest();
        this.tidy();
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

  /**
   * Frees at least `target` bytes when it can. Bodies, frame texts and messages go first, oldest first (every
   * event stays listed), as long as they take more than half of what is left; then the oldest whole events
   * (with whatever payload they still hold), so the newest events keep theirs; last, when only the newest event
   * and the pinned first phases are left, their payloads. Never the newest event itself, which its subscribers
   * may be about to see.
   */
  private free(target: number): DroppedData {
    const dropped: DroppedData = { ...NOTHING_DROPPED };
    const goal = this.heldBytes - target;
    const freed = () => dropped.payloadBytes + dropped.eventBytes;
    this.dropPayloads(dropped, () => freed() < target && this.payloadBytes > goal / 2);
    while (freed() < target && this.head < this.store.length - 1) {
      const bytes = this.removeOldest();
      if (bytes === undefined) continue;
      dropped.events += 1;
      dropped.eventBytes += bytes;
    }
    this.dropPayloads(dropped, () => freed() < target);
    this.tidy();
    return dropped;
  }

  /** Empties payloads, oldest first, while `more()` says so. */
  private dropPayloads(dropped: DroppedData, more: () => boolean): void {
    while (this.payloadHead < this.payloadQueue.length && more()) {
      const victim = this.payloadQueue[this.payloadHead++];
      const w = this.charged.get(victim);
      if (w === undefined) continue; // already gone with its event
      this.charged.delete(victim);
      this.payloadBytes -= w;
      dropPayload(victim);
      dropped.payloads += 1;
      dropped.payloadBytes += w;
      this.droppedPayloads += 1;
    }
  }

  /** Takes the oldest event out of the store: pinned (undefined) or dropped (the bytes it freed). */
  private removeOldest(): number | undefined {
    const oldest = this.store[this.head];
    this.head += 1;
    if (isPinnable(oldest) && this.pinned.length < Math.floor(this.limits.maxEvents * PINNED_SHARE)) {
      this.pinned.push(oldest);
      return undefined;
    }
    const skeleton = skeletonSize(oldest);
    this.skeletonBytes -= skeleton;
    let freed = skeleton;
    const w = this.charged.get(oldest);
    if (w !== undefined) {
      this.charged.delete(oldest);
      this.payloadBytes -= w;
      freed += w;
    }
    this.droppedEvents += 1;
    return freed;
  }

  /** Lets go of dead slots at the head of the backing arrays. */
  private tidy(): void {
    if (this.head > COMPACT_AFTER && this.head * 2 > this.store.length) {
      this.store = this.store.slice(this.head);
      this.head = 0;
    }
    // Dropped events are the oldest, so their payload entries sit at the front of the queue: let them go.
    while (this.payloadHead < this.payloadQueue.length && !this.charged.has(this.payloadQueue[this.payloadHead])) {
      this.payloadHead += 1;
    }
    if (this.payloadHead > COMPACT_AFTER && this.payloadHead * 2 > this.payloadQueue.length) {
      this.payloadQueue = this.payloadQueue.slice(this.payloadHead);
      this.payloadHead = 0;
    }
  }
}

function isPinnable(e: TraceEvent): boolean {
  return e.kind === 'phase' || (e.kind === 'finding' && e.code === 'log_capped');
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
    case 'app.message':
      e.message = undefined;
      e.dropped = true;
      return;
    case 'stdio.line':
    case 'stdio.stderr':
      if (e.text !== undefined) e.text = '';
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
  for (const key of ['maxEvents', 'maxBytes', 'maxBodyBytes', 'notificationRate', 'notificationBurst'] as const) {
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
