// Back-pressure on notification floods. Each method of server notification has a token bucket (`burst`
// kept at once, then `rate` per second); past it a notification is folded: counted per method with the
// times of the first and last one, but neither it nor the SSE frame that carried it is kept in the log.
// Every couple of seconds while folding, a `notifications_folded` finding reports the counts (its
// `folded` field holds them for the views). The SDK client still receives and handles every notification it acts
// on (during a handshake it acts on none but progress and cancellation, and the recorder hands it no others, folded
// or kept: lib/trace/record.ts): only what the log keeps (and so the views, exports and shares) is thinned.
import type { TraceLog } from './log';
import type { FindingEvent, FoldedNotifications } from './types';

/** What a folded notification would have been recorded with (the SSE id matters to stream resumption). */
export interface FoldNotice {
  method: string;
  t: number;
  exchangeId?: string;
  /** The `id:` of the SSE frame that carried it. */
  frameId?: string;
}

export interface NotificationFoldOptions {
  /** How often a report is written while folding. Default 2 s. */
  reportEveryMs?: number;
  /** Timers, injectable for tests. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Distinct methods with a bucket (and a line in reports) of their own; the rest share one. */
const MAX_METHODS = 32;
const OTHER_METHODS = '(other methods)';
const DEFAULT_REPORT_EVERY_MS = 2_000;

export class NotificationFold {
  private readonly buckets = new Map<string, Bucket>();
  private window = new Map<string, FoldedNotifications>();
  private windowCount = 0;
  private totalFolded = 0;
  private lastFoldT: number | undefined;
  private timer: unknown;
  private readonly listeners = new Set<(notice: FoldNotice) => void>();
  private readonly reportEveryMs: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(
    private readonly log: TraceLog,
    options: NotificationFoldOptions = {},
  ) {
    this.reportEveryMs = options.reportEveryMs ?? DEFAULT_REPORT_EVERY_MS;
    this.setTimer =
      options.setTimer ??
      ((fn, ms) => {
        const handle = setTimeout(fn, ms);
        // A pending report must never keep a process alive on its own.
        (handle as { unref?: () => void }).unref?.();
        return handle;
      });
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  }

  /** Notifications folded since the log started. */
  get folded(): number {
    return this.totalFolded;
  }

  /** True while a flood is being folded (the last notification folded less than a second ago). */
  get folding(): boolean {
    return this.lastFoldT !== undefined && this.log.now() - this.lastFoldT < 1_000;
  }

  /**
   * Whether to keep a server notification of `method`: true to record it, false when it is folded (the
   * caller records nothing; the fold counts it).
   */
  admit(notice: Omit<FoldNotice, 't'>): boolean {
    const { notificationRate: rate, notificationBurst: burst } = this.log.limits;
    if (!Number.isFinite(rate) || !Number.isFinite(burst)) return true;
    const t = this.log.now();
    const key = this.buckets.has(notice.method) || this.buckets.size < MAX_METHODS ? notice.method : OTHER_METHODS;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: burst, at: t };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) * rate) / 1000);
      bucket.at = t;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    this.count(key, t);
    const full: FoldNotice = { ...notice, t };
    for (const fn of this.listeners) {
      try {
        fn(full);
      } catch (error) {
        console.error('fold listener failed', error);
      }
    }
    return false;
  }

  /** Told of every folded notification (the engine learns SSE ids from it, as from recorded frames). */
  subscribe(fn: (notice: FoldNotice) => void): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  /** Writes the report of what was folded since the last one now (a session closing). */
  flush(): FindingEvent | undefined {
    if (this.timer !== undefined) this.clearTimer(this.timer);
    this.timer = undefined;
    return this.report();
  }

  private count(method: string, t: number): void {
    this.totalFolded += 1;
    this.lastFoldT = t;
    this.windowCount += 1;
    const entry = this.window.get(method);
    if (entry) {
      entry.count += 1;
      entry.lastT = t;
    } else {
      this.window.set(method, { method, count: 1, firstT: t, lastT: t });
    }
    if (this.timer === undefined) {
      this.timer = this.setTimer(() => {
        this.timer = undefined;
        this.report();
      }, this.reportEveryMs);
    }
  }

  private report(): FindingEvent | undefined {
    if (this.windowCount === 0) return undefined;
    const folded = [...this.window.values()].sort((a, b) => b.count - a.count);
    const count = this.windowCount;
    this.window = new Map();
    this.windowCount = 0;
    const { notificationRate: rate, notificationBurst: burst } = this.log.limits;
    const first = Math.min(...folded.map((f) => f.firstT));
    const last = Math.max(...folded.map((f) => f.lastT));
    const lines = folded.map((f) => `${f.method} ×${f.count} (first at ${seconds(f.firstT)}, last at ${seconds(f.lastT)})`);
    const message =
      `The server sent notifications faster than the session log keeps them (past a burst of ${burst} per method, ` +
      `${rate} per second; MCPSCOPE_NOTIFICATION_BURST / MCPSCOPE_NOTIFICATION_RATE). ${count} were counted but not kept ` +
      `between ${seconds(first)} and ${seconds(last)}: ${lines.join('; ')}. mcpscope still received every one and handled each it acts on; ` +
      `only the log, and so the views, exports and shares, holds fewer (${this.totalFolded} folded in all so far).`;
    return this.log.append({ kind: 'finding', severity: 'warning', code: 'notifications_folded', message, folded }) as FindingEvent;
  }
}

function seconds(t: number): string {
  return `${(t / 1000).toFixed(3)} s`;
}

const folds = new WeakMap<TraceLog, NotificationFold>();

/** The fold shared by everything that records into `log` (`options` apply when it is made, on first use). */
export function notificationFoldFor(log: TraceLog, options?: NotificationFoldOptions): NotificationFold {
  let fold = folds.get(log);
  if (!fold) {
    fold = new NotificationFold(log, options);
    folds.set(log, fold);
  }
  return fold;
}
