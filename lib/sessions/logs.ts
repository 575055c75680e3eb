// Where the sessions' logs live over their lifetime. A live session's log is in memory and counts against
// the process-wide budget (lib/trace/budget). Once the session is disconnected (closed, failed, expired) its
// log leaves the budget and memory for a file in the data directory, read back when exported, shared or
// streamed; it comes back into memory if the session connects again, and the file goes when the session
// is forgotten.
import { LogBudget, notificationFoldFor, type TraceLog } from '../trace';
import { SpillFile, SpillFolder } from './spill';

export interface SessionLogsOptions {
  dataDir: string;
  /** Most estimated bytes the logs of live sessions hold together. */
  budgetBytes: number;
}

interface LogState {
  sessionId: string;
  /** The spills and restores of this log, one after the other. */
  queue: Promise<void>;
  file?: SpillFile;
  forgotten: boolean;
}

export class SessionLogs {
  readonly budget: LogBudget;
  private readonly folder: SpillFolder;
  private readonly states = new Map<TraceLog, LogState>();
  /** Spills and removals under way, forgotten logs' included (shutdown waits for them). */
  private readonly underWay = new Set<Promise<void>>();
  private shutDown = false;

  constructor(options: SessionLogsOptions) {
    this.budget = new LogBudget({ limitBytes: options.budgetBytes });
    this.folder = new SpillFolder(options.dataDir);
  }

  /** A new session's log: in memory, counted against the budget. */
  opened(log: TraceLog, sessionId: string): void {
    this.states.set(log, { sessionId, queue: Promise.resolve(), forgotten: false });
    this.budget.track(log);
  }

  /**
   * The session is disconnected: what the fold still counts is reported, the log stops counting against the
   * budget and moves to disk (in the background; until it is written it stays readable in memory). Called again,
   * it moves what was recorded since.
   */
  disconnected(log: TraceLog): void {
    const state = this.states.get(log);
    if (!state || state.forgotten || this.shutDown) return;
    notificationFoldFor(log).flush();
    this.budget.untrack(log);
    this.enqueue(state, () => this.spill(log, state));
  }

  /** The session connects again: its log back in memory (read from disk) and in the budget. */
  async reconnecting(log: TraceLog): Promise<void> {
    const state = this.states.get(log);
    if (!state || state.forgotten) return;
    await this.enqueue(state, async () => {
      if (log.isReleased) log.restore();
      state.file?.remove();
      state.file = undefined;
    });
    this.budget.track(log);
  }

  /** The session is gone: its file is removed (once any write under way is over), and the budget forgets it. */
  forget(log: TraceLog): Promise<void> {
    const state = this.states.get(log);
    this.budget.untrack(log);
    if (!state) return Promise.resolve();
    state.forgotten = true;
    this.states.delete(log);
    return this.enqueue(state, async () => {
      state.file?.remove();
      state.file = undefined;
    });
  }

  /** Waits for the writes and removals under way (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.underWay.size > 0) await Promise.all([...this.underWay]);
  }

  /** Process shutdown: every file goes with this process's folder, once the writes under way are over. */
  async shutdown(): Promise<void> {
    this.shutDown = true;
    await Promise.all([...this.states.keys()].map((log) => this.forget(log)));
    await this.settled();
    this.folder.remove();
  }

  private async spill(log: TraceLog, state: LogState): Promise<void> {
    if (state.forgotten) return;
    // The events in memory now; anything recorded while they are written stays in memory, after them.
    const events = log.events(state.file?.lastSeq ?? 0);
    if (events.length === 0) return;
    state.file ??= this.folder.fileFor(state.sessionId);
    await state.file.append(events);
    // Connected again (or forgotten) while writing: the log stays in memory.
    if (state.forgotten || this.budget.isTracking(log)) return;
    log.release(state.file);
  }

  private enqueue(state: LogState, work: () => Promise<void>): Promise<void> {
    const next = state.queue.then(work).catch((error: unknown) => {
      // The log stays in memory, readable as before: a full disk must not lose a session.
      console.error(`moving the log of session ${state.sessionId} to disk failed`, error);
    });
    state.queue = next;
    this.underWay.add(next);
    void next.then(() => this.underWay.delete(next));
    return next;
  }
}
