// Server-side tasks (SEP-2663, the `io.modelcontextprotocol/tasks` extension of 2026-07-28): a client that
// declares the extension in a request's clientCapabilities gets a CreateTaskResult from a task-supporting tool
// at once, while the work goes on here; it polls `tasks/get` (status, then the result inlined) and may stop it
// with `tasks/cancel`. A client that does not declare it gets the plain result, and `tasks/*` answers -32021.
//
// The SDK (2.4) routes these names on the 2026-07-28 wire but has no task store, so this is the store: one per
// demo handler (the handler makes a server per HTTP request, and a task outlives the request that made it),
// bounded in number and in time, with unguessable ids.
import {
  CLIENT_CAPABILITIES_META_KEY,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
  type CallToolResult,
  type McpServer,
} from '@modelcontextprotocol/server';
import * as z from 'zod';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

export type TaskStatus = 'working' | 'completed' | 'failed' | 'cancelled';

export interface TaskLimits {
  /** Most tasks kept at once; the oldest finished ones go first, and a full store of running ones refuses new tasks. */
  maxTasks: number;
  /** How long a task (and its result) stays readable after it was created. */
  ttlMs: number;
  /** How often a client should poll `tasks/get`. */
  pollIntervalMs: number;
}

/** The task fields every answer about it carries (SEP-2663 `Task`). */
export interface TaskInfo {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt: string;
  lastUpdatedAt: string;
  ttlMs: number;
  pollIntervalMs: number;
}

interface Tracked {
  info: TaskInfo;
  result?: CallToolResult;
  error?: { code: number; message: string };
  abort: AbortController;
  expiresAt: number;
}

const TERMINAL: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'cancelled']);

const DEFAULT_LIMITS: TaskLimits = { maxTasks: 200, ttlMs: 10 * 60_000, pollIntervalMs: 500 };

/** What a running task may do: see whether it was cancelled, and say how far it got. */
export interface TaskControl {
  signal: AbortSignal;
  setStatusMessage(message: string): void;
}

export class DemoTaskStore {
  private readonly tasks = new Map<string, Tracked>();
  readonly limits: TaskLimits;

  constructor(
    limits: Partial<TaskLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  get size(): number {
    return this.tasks.size;
  }

  /**
   * Starts `work` as a task and returns its first state. The task is in the store before this returns, so a
   * `tasks/get` sent the moment the CreateTaskResult arrives finds it.
   */
  start(work: (control: TaskControl) => Promise<CallToolResult>): TaskInfo {
    this.sweep();
    if (this.tasks.size >= this.limits.maxTasks) {
      throw new ProtocolError(
        ProtocolErrorCode.InternalError,
        `Too many tasks at once (${this.limits.maxTasks}); try again when some have finished.`,
      );
    }
    const created = new Date(this.now()).toISOString();
    const tracked: Tracked = {
      info: {
        taskId: crypto.randomUUID(),
        status: 'working',
        createdAt: created,
        lastUpdatedAt: created,
        ttlMs: this.limits.ttlMs,
        pollIntervalMs: this.limits.pollIntervalMs,
      },
      abort: new AbortController(),
      expiresAt: this.now() + this.limits.ttlMs,
    };
    this.tasks.set(tracked.info.taskId, tracked);
    const control: TaskControl = {
      signal: tracked.abort.signal,
      setStatusMessage: (message) => {
        if (TERMINAL.has(tracked.info.status)) return;
        tracked.info.statusMessage = message;
        this.touch(tracked);
      },
    };
    void Promise.resolve()
      .then(() => work(control))
      .then(
        (result) => this.settle(tracked, tracked.abort.signal.aborted ? { status: 'cancelled' } : { status: 'completed', result }),
        (error: unknown) =>
          this.settle(
            tracked,
            tracked.abort.signal.aborted
              ? { status: 'cancelled' }
              : {
                  status: 'failed',
                  error: {
                    code: error instanceof ProtocolError ? error.code : ProtocolErrorCode.InternalError,
                    message: error instanceof Error ? error.message : String(error),
                  },
                },
          ),
      );
    return { ...tracked.info };
  }

  /** The task as `tasks/get` shows it: its fields, plus the result (completed) or the error (failed). */
  get(taskId: string): TaskInfo & { result?: CallToolResult; error?: { code: number; message: string } } {
    const tracked = this.find(taskId);
    return { ...tracked.info, ...(tracked.result ? { result: tracked.result } : {}), ...(tracked.error ? { error: tracked.error } : {}) };
  }

  /** Asks a running task to stop; a finished one is left as it is (cancelling twice is not an error). */
  cancel(taskId: string): void {
    const tracked = this.find(taskId);
    if (TERMINAL.has(tracked.info.status)) return;
    tracked.abort.abort(new Error('cancelled by the client (tasks/cancel)'));
    // Settled now: the status a client reads next is `cancelled`, whatever the work does with the signal.
    this.settle(tracked, { status: 'cancelled' });
  }

  /** Stops every running task (the handler is closing). */
  close(): void {
    for (const tracked of this.tasks.values()) if (!TERMINAL.has(tracked.info.status)) tracked.abort.abort(new Error('server closing'));
    this.tasks.clear();
  }

  private find(taskId: string): Tracked {
    this.sweep();
    const tracked = this.tasks.get(taskId);
    if (!tracked)
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Unknown task ${JSON.stringify(taskId.slice(0, 100))} (never created here, or expired).`,
      );
    return tracked;
  }

  private settle(
    tracked: Tracked,
    outcome:
      | { status: 'cancelled' }
      | { status: 'completed'; result: CallToolResult }
      | { status: 'failed'; error: { code: number; message: string } },
  ): void {
    if (TERMINAL.has(tracked.info.status)) return;
    tracked.info.status = outcome.status;
    if (outcome.status === 'completed') tracked.result = outcome.result;
    if (outcome.status === 'failed') tracked.error = outcome.error;
    if (outcome.status === 'cancelled') tracked.info.statusMessage = 'Cancelled by the client.';
    this.touch(tracked);
  }

  private touch(tracked: Tracked): void {
    tracked.info.lastUpdatedAt = new Date(this.now()).toISOString();
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, tracked] of this.tasks) {
      if (now < tracked.expiresAt) continue;
      tracked.abort.abort(new Error('task expired'));
      this.tasks.delete(id);
    }
    // Over the bound: drop the oldest finished tasks (running ones are never dropped here).
    for (const [id, tracked] of this.tasks) {
      if (this.tasks.size < this.limits.maxTasks) break;
      if (TERMINAL.has(tracked.info.status)) this.tasks.delete(id);
    }
  }
}

/** The request's `_meta` envelope, as the SDK lifted it (2026-07-28 only; a 2025 request has none). */
interface EnvelopeContext {
  mcpReq: { envelope?: Record<string, unknown> };
}

/** Whether this request's client declared the tasks extension (per request, in its clientCapabilities). */
export function clientDeclaresTasks(ctx: EnvelopeContext): boolean {
  const capabilities = ctx.mcpReq.envelope?.[CLIENT_CAPABILITIES_META_KEY] as { extensions?: Record<string, unknown> } | undefined;
  const declared = capabilities?.extensions?.[TASKS_EXTENSION];
  return typeof declared === 'object' && declared !== null;
}

function requireTasks(ctx: EnvelopeContext): void {
  if (!clientDeclaresTasks(ctx)) {
    throw new MissingRequiredClientCapabilityError(
      { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
      `This method needs the ${TASKS_EXTENSION} extension, which the request's clientCapabilities do not declare.`,
    );
  }
}

/** The CreateTaskResult a task-supporting tool answers with: flat (Result & Task), no `result` yet. */
export function createTaskResult(info: TaskInfo): CallToolResult {
  return { resultType: 'task', ...info } as unknown as CallToolResult;
}

const taskIdParams = z.object({ taskId: z.string().min(1).max(200) }).passthrough();

/** `tasks/get`, `tasks/update` and `tasks/cancel`, answered from `store`. */
export function registerTaskMethods(server: McpServer, store: DemoTaskStore): void {
  server.server.setRequestHandler('tasks/get', { params: taskIdParams }, async (params, ctx) => {
    requireTasks(ctx as unknown as EnvelopeContext);
    return store.get(params.taskId) as unknown as Record<string, unknown>;
  });
  server.server.setRequestHandler('tasks/update', { params: taskIdParams }, async (params, ctx) => {
    requireTasks(ctx as unknown as EnvelopeContext);
    const task = store.get(params.taskId);
    // No demo task ever waits for input (none reaches `input_required`), so there is nothing to deliver to.
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Task ${task.taskId} is ${task.status}, not waiting for input.`);
  });
  server.server.setRequestHandler('tasks/cancel', { params: taskIdParams }, async (params, ctx) => {
    requireTasks(ctx as unknown as EnvelopeContext);
    store.cancel(params.taskId);
    return {};
  });
}
