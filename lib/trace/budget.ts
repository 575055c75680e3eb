// The process-wide memory budget for session logs. Every live session's log reports what it holds; when
// all of them together pass the budget, the heaviest logs give back their oldest data (bodies and
// messages first, then whole old events) until the total is back under it, and each says so in a finding.
import { formatBytes, type DroppedData, type MemoryAccountant, type TraceLog } from './log';

export interface LogBudgetOptions {
  /** Most estimated bytes all tracked logs may hold together. */
  limitBytes: number;
  /**
   * Share of the limit freed below it when the budget is exceeded, so that a flood pays for one rebalance
   * per step of this size rather than one per event. Default 0.1.
   */
  headroom?: number;
  /** Names the setting in findings. */
  settingName?: string;
}

/** Rounds of shedding per rebalance: a log that cannot give more (only pinned phases left) is skipped. */
const MAX_ROUNDS = 4;

export class LogBudget implements MemoryAccountant {
  readonly limitBytes: number;
  private readonly headroom: number;
  private readonly settingName: string;
  private readonly logs = new Map<TraceLog, number>();
  private total = 0;
  private rebalancing = false;
  private rebalances = 0;

  constructor(options: LogBudgetOptions) {
    this.limitBytes = options.limitBytes;
    this.headroom = Math.min(0.5, Math.max(0, options.headroom ?? 0.1));
    this.settingName = options.settingName ?? 'MCPSCOPE_LOG_BUDGET_BYTES';
  }

  /** Estimated bytes all tracked logs hold together. */
  get totalBytes(): number {
    return this.total;
  }

  get trackedLogs(): number {
    return this.logs.size;
  }

  /** How many times the budget was exceeded and logs were made to shed. */
  get rebalanceCount(): number {
    return this.rebalances;
  }

  isTracking(log: TraceLog): boolean {
    return this.logs.has(log);
  }

  /** Counts `log` from now on (it reports every change). */
  track(log: TraceLog): void {
    if (!this.logs.has(log)) this.logs.set(log, 0);
    log.setAccountant(this);
  }

  /** Stops counting `log` (a closed session whose log left memory, a forgotten one). */
  untrack(log: TraceLog): void {
    if (!this.logs.has(log)) return;
    log.setAccountant(undefined);
    this.total -= this.logs.get(log) ?? 0;
    this.logs.delete(log);
  }

  changed(log: TraceLog, deltaBytes: number): void {
    const held = this.logs.get(log);
    if (held === undefined) return;
    this.logs.set(log, held + deltaBytes);
    this.total += deltaBytes;
    if (this.total > this.limitBytes && !this.rebalancing) this.rebalance();
  }

  /**
   * Brings the total back to the limit minus the headroom, taking from the heaviest logs first: they are
   * cut down to a common level (water-filling), so a light session loses nothing while a heavier one has
   * more than it.
   */
  private rebalance(): void {
    this.rebalancing = true;
    this.rebalances += 1;
    const totalBefore = this.total;
    const shed = new Map<TraceLog, { held: number; dropped: DroppedData }>();
    try {
      const target = this.limitBytes * (1 - this.headroom);
      const exhausted = new Set<TraceLog>();
      for (let round = 0; round < MAX_ROUNDS && this.total > target; round++) {
        const candidates = [...this.logs].filter(([log]) => !exhausted.has(log)).sort((a, b) => b[1] - a[1]);
        if (candidates.length === 0) break;
        const level = waterLevel(
          candidates.map(([, held]) => held),
          this.total - target,
        );
        for (const [log, held] of candidates) {
          if (held <= level) break;
          const dropped = log.shed(held - level);
          if (dropped.payloadBytes + dropped.eventBytes === 0) {
            exhausted.add(log);
            continue;
          }
          const entry = shed.get(log);
          if (entry) addDropped(entry.dropped, dropped);
          else shed.set(log, { held, dropped });
        }
      }
      // One finding per log and rebalance, written once the shedding is over (it is kept too).
      for (const [log, { held, dropped }] of shed) log.finding('warning', 'log_budget', this.explain(dropped, held, totalBefore));
    } finally {
      this.rebalancing = false;
    }
  }

  private explain(dropped: DroppedData, held: number, total: number): string {
    const parts: string[] = [];
    if (dropped.payloads > 0)
      parts.push(`${dropped.payloads} bodies, frame texts and messages emptied (${formatBytes(dropped.payloadBytes)})`);
    if (dropped.events > 0) parts.push(`${dropped.events} whole events removed, oldest first (${formatBytes(dropped.eventBytes)})`);
    return (
      `mcpscope keeps at most ${formatBytes(this.limitBytes)} of session logs in memory for all sessions together ` +
      `(${this.settingName}); they held ${formatBytes(total)}, and this session was among the heaviest ` +
      `(${formatBytes(held)}). To make room, its oldest data went: ${parts.join('; ')}. Sessions holding less were ` +
      'not touched. Export the log regularly to keep everything.'
    );
  }
}

function addDropped(into: DroppedData, more: DroppedData): void {
  into.payloads += more.payloads;
  into.payloadBytes += more.payloadBytes;
  into.events += more.events;
  into.eventBytes += more.eventBytes;
}

/**
 * The level L such that cutting every value above L down to L removes `excess` in total (values sorted from
 * the largest). 0 when even that is not enough.
 */
export function waterLevel(sortedDescending: readonly number[], excess: number): number {
  let sum = 0;
  for (let k = 1; k <= sortedDescending.length; k++) {
    sum += sortedDescending[k - 1]!;
    const level = (sum - excess) / k;
    const next = sortedDescending[k] ?? 0;
    if (level >= next) return Math.max(0, level);
  }
  return 0;
}
