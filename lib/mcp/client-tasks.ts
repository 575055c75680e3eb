// Client-side tasks (MCP 2025-11-25 "Tasks", experimental): a server may send `elicitation/create` or
// `sampling/createMessage` with `params.task` to a client that declares
// `capabilities.tasks.requests.{elicitation.create, sampling.createMessage}`. The client answers at once with
// a CreateTaskResult and the server polls with `tasks/get`, `tasks/result`, `tasks/list`, `tasks/cancel`.
//
// The SDK v2 client (2.4) knows the task schemas and routes `tasks/*` requests to handlers, but has no task
// store, and its `elicitation/create` / `sampling/createMessage` wrapper rejects a CreateTaskResult as an
// invalid result. So the store is ours (small: one map and promises), and `TaskingClient` reroutes only
// task-augmented requests: the SDK's wrapped handler (request and result validation, form defaults) still
// runs, in the background, and its outcome becomes the task's result.
import {
  Client,
  ProtocolError,
  ProtocolErrorCode,
  type ClientContext,
  type JSONRPCRequest,
  type Result,
} from '@modelcontextprotocol/client';
import { isJsonObject } from '../json';

export type ClientTaskMethod = 'elicitation/create' | 'sampling/createMessage';

/** The spec's task statuses; a client task here is `working` until the person answers. */
export type ClientTaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

export interface ClientTask {
  taskId: string;
  status: ClientTaskStatus;
  statusMessage?: string;
  /** ISO 8601. */
  createdAt: string;
  lastUpdatedAt: string;
  /** Ms from creation after which the task and its result are forgotten. */
  ttl: number | null;
  /** Ms the server should wait between `tasks/get` polls. */
  pollInterval?: number;
}

/** What mcpscope declares for tasks: it receives task-augmented sampling and elicitation, lists and cancels them. */
export const CLIENT_TASKS_CAPABILITY = {
  list: {},
  cancel: {},
  requests: { elicitation: { create: {} }, sampling: { createMessage: {} } },
} as const;

/** The `_meta` key that ties a `tasks/result` answer to its task. */
export const RELATED_TASK_META_KEY = 'io.modelcontextprotocol/related-task';

const TERMINAL: ReadonlySet<ClientTaskStatus> = new Set(['completed', 'failed', 'cancelled']);

type Outcome = { result: Record<string, unknown> } | { error: { code: number; message: string; data?: unknown } };

interface Tracked {
  task: ClientTask;
  method: ClientTaskMethod;
  outcome?: Outcome;
  done: Promise<void>;
  markDone: () => void;
  abort: AbortController;
  expiry?: ReturnType<typeof setTimeout>;
}

export interface ClientTaskStoreOptions {
  /** The poll interval suggested to servers. */
  pollIntervalMs?: number;
  /** Upper bound for a server's requested ttl (and the ttl when it asks for none). */
  maxTtlMs?: number;
  now?: () => number;
}

export interface StartedTask {
  task: ClientTask;
  /** Aborted when the server cancels the task, its ttl runs out, or the connection closes. */
  signal: AbortSignal;
}

/** The tasks this client holds for one connection. Pure bookkeeping: no transport, no person. */
export class ClientTaskStore {
  readonly pollIntervalMs: number;
  readonly maxTtlMs: number;
  private readonly now: () => number;
  private readonly tasks = new Map<string, Tracked>();
  private counter = 0;

  constructor(options: ClientTaskStoreOptions = {}) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.maxTtlMs = options.maxTtlMs ?? 60 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Creates a task and runs `work` for it. The task completes with what `work` resolves, fails with what it
   * rejects (a `code` on the error is kept, as the server would have seen it without a task).
   */
  start(
    method: ClientTaskMethod,
    requestedTtl: number | undefined,
    work: (started: StartedTask) => Promise<Record<string, unknown>>,
  ): ClientTask {
    this.counter += 1;
    const at = new Date(this.now()).toISOString();
    const ttl = Math.min(requestedTtl ?? this.maxTtlMs, this.maxTtlMs);
    const taskId = `mcpscope-task-${this.counter}-${Math.random().toString(36).slice(2, 10)}`;
    let markDone!: () => void;
    const done = new Promise<void>((resolve) => (markDone = resolve));
    const tracked: Tracked = {
      task: {
        taskId,
        status: 'working',
        statusMessage: 'Waiting for the person in mcpscope',
        createdAt: at,
        lastUpdatedAt: at,
        ttl,
        pollInterval: this.pollIntervalMs,
      },
      method,
      done,
      markDone,
      abort: new AbortController(),
    };
    this.tasks.set(taskId, tracked);
    tracked.expiry = setTimeout(() => this.expire(taskId), ttl);
    (tracked.expiry as { unref?: () => void }).unref?.();
    void work({ task: { ...tracked.task }, signal: tracked.abort.signal }).then(
      (result) => this.settle(taskId, 'completed', { result }),
      (error: unknown) => this.settle(taskId, 'failed', { error: toRpcError(error) }),
    );
    return { ...tracked.task };
  }

  get(taskId: string): ClientTask {
    return { ...this.require(taskId).task };
  }

  list(): ClientTask[] {
    return [...this.tasks.values()].map((tracked) => ({ ...tracked.task }));
  }

  /** The method a task was created for (undefined once forgotten). */
  methodOf(taskId: string): ClientTaskMethod | undefined {
    return this.tasks.get(taskId)?.method;
  }

  /** `tasks/result`: waits until the task is terminal, then gives exactly what the plain request would have. */
  async result(taskId: string): Promise<Record<string, unknown>> {
    const tracked = this.require(taskId);
    await tracked.done;
    const outcome = tracked.outcome;
    const related = { [RELATED_TASK_META_KEY]: { taskId } };
    if (outcome && 'result' in outcome) {
      const meta = (outcome.result._meta as Record<string, unknown> | undefined) ?? {};
      return { ...outcome.result, _meta: { ...meta, ...related } };
    }
    const error = outcome?.error ?? { code: ProtocolErrorCode.InternalError, message: `Task ${taskId} ended without a result` };
    throw new ProtocolError(error.code, error.message, { ...(isJsonObject(error.data) ? error.data : {}), ...related });
  }

  /** `tasks/cancel`: refuses a finished task with -32602, as the spec says. */
  cancel(taskId: string): ClientTask {
    const tracked = this.require(taskId);
    if (TERMINAL.has(tracked.task.status)) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Cannot cancel task ${taskId}: it is already ${tracked.task.status}`);
    }
    this.settle(
      taskId,
      'cancelled',
      { error: { code: ProtocolErrorCode.InvalidParams, message: `Task ${taskId} was cancelled` } },
      'Cancelled by the server',
    );
    return { ...tracked.task };
  }

  /** The connection ended: nothing can poll any more. */
  closeAll(reason: string): void {
    for (const taskId of [...this.tasks.keys()]) {
      this.settle(taskId, 'cancelled', { error: { code: ProtocolErrorCode.InternalError, message: reason } }, reason);
      this.forget(taskId);
    }
  }

  private settle(taskId: string, status: ClientTaskStatus, outcome: Outcome, statusMessage?: string): void {
    const tracked = this.tasks.get(taskId);
    if (!tracked || TERMINAL.has(tracked.task.status)) return;
    tracked.outcome = outcome;
    tracked.task = {
      ...tracked.task,
      status,
      statusMessage: statusMessage ?? ('error' in outcome ? outcome.error.message : undefined),
      lastUpdatedAt: new Date(this.now()).toISOString(),
    };
    if (tracked.task.statusMessage === undefined) delete tracked.task.statusMessage;
    // The question the person sees goes away with the task.
    if (status === 'cancelled') tracked.abort.abort(new Error(statusMessage ?? 'the task was cancelled'));
    tracked.markDone();
  }

  private expire(taskId: string): void {
    this.settle(
      taskId,
      'cancelled',
      { error: { code: ProtocolErrorCode.InternalError, message: `Task ${taskId} expired` } },
      'Its ttl ran out',
    );
    this.forget(taskId);
  }

  private forget(taskId: string): void {
    const tracked = this.tasks.get(taskId);
    if (!tracked) return;
    clearTimeout(tracked.expiry);
    this.tasks.delete(taskId);
  }

  private require(taskId: string): Tracked {
    const tracked = this.tasks.get(taskId);
    if (!tracked) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown task: ${taskId}`);
    return tracked;
  }
}

function toRpcError(error: unknown): { code: number; message: string; data?: unknown } {
  const record = isJsonObject(error) ? error : {};
  const code = typeof record.code === 'number' && Number.isSafeInteger(record.code) ? record.code : ProtocolErrorCode.InternalError;
  const message = error instanceof Error ? error.message : String(error);
  return record.data === undefined ? { code, message } : { code, message, data: record.data };
}

/** What a handler learns about the task its request belongs to (on `ctx.mcpReq.task`). */
export interface TaskContext {
  taskId: string;
  ttl: number | null;
}

type WrappedHandler = (request: JSONRPCRequest, ctx: ClientContext) => Promise<Result>;

/**
 * The SDK client plus client-side tasks. Plain requests go through the SDK as before; a task-augmented one
 * is answered with a CreateTaskResult and its handler runs on as the task's work.
 */
export class TaskingClient extends Client {
  // Not a field initialiser: the base constructor registers `ping` through `_wrapHandler` before fields exist.
  private taskStore: ClientTaskStore | undefined;

  get tasks(): ClientTaskStore {
    this.taskStore ??= new ClientTaskStore();
    return this.taskStore;
  }

  /** Serves `tasks/get`, `tasks/result`, `tasks/list` and `tasks/cancel` from the store. */
  installTaskHandlers(): void {
    const register = this.setRequestHandler.bind(this) as (
      method: string,
      handler: (request: { params?: { taskId?: unknown } }) => Promise<Record<string, unknown>>,
    ) => void;
    const idOf = (request: { params?: { taskId?: unknown } }) => String(request.params?.taskId ?? '');
    register('tasks/get', async (request) => ({ ...this.tasks.get(idOf(request)) }));
    register('tasks/result', (request) => this.tasks.result(idOf(request)));
    register('tasks/list', async () => ({ tasks: this.tasks.list() }));
    register('tasks/cancel', async (request) => ({ ...this.tasks.cancel(idOf(request)) }));
  }

  protected override _wrapHandler(method: string, handler: WrappedHandler): WrappedHandler {
    const wrapped = super._wrapHandler(method, handler);
    if (method !== 'elicitation/create' && method !== 'sampling/createMessage') return wrapped;
    return async (request, ctx) => {
      const taskParams = (request.params as { task?: { ttl?: unknown } } | undefined)?.task;
      if (!taskParams || typeof taskParams !== 'object') return wrapped(request, ctx);
      const requestedTtl = typeof taskParams.ttl === 'number' && taskParams.ttl > 0 ? taskParams.ttl : undefined;
      const task = this.tasks.start(method, requestedTtl, ({ task: started, signal }) => {
        const taskContext: TaskContext = { taskId: started.taskId, ttl: started.ttl };
        return wrapped(request, { ...ctx, mcpReq: { ...ctx.mcpReq, signal, task: taskContext } as typeof ctx.mcpReq });
      });
      return { task };
    };
  }
}
