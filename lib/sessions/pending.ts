// Requests the server sent to mcpscope (elicitation, sampling) wait here until the person at the UI
// answers them, or until a timeout answers for them with a clean JSON-RPC error. Roots are answered at
// once from the session's roots list. Every request is a phase in the session log, so the timeline shows
// when it arrived, how long it waited and how it was answered.
import { CLIENT_CAPABILITIES, ServerRequestRejection, type ClientFeatures, type ServerRequest, type ServerRequestMethod } from '../mcp';
import { capJsonDepth, type TraceLog } from '../trace';
import { checkServerUrl, UNSAFE_URL_CODE } from '../url-policy';

export const DEFAULT_ANSWER_TIMEOUT_MS = 5 * 60_000;

/** JSON-RPC code sent when nobody answered in time (the SDKs' "request timed out"). */
export const ANSWER_TIMEOUT_CODE = -32001;

export interface PendingEntry {
  /** mcpscope's handle for the request, unique within the session (the API's `:requestId`). */
  requestId: string;
  method: ServerRequestMethod;
  params: Record<string, unknown>;
  /** Epoch ms. */
  receivedAt: number;
  /** Epoch ms at which the timeout answers it. */
  expiresAt: number;
  /** `request`: a JSON-RPC request; `input_required`: embedded in a 2026-07-28 `input_required` result. */
  via: ServerRequest['via'];
  /** The server's JSON-RPC id (or the `inputRequests` key of an embedded request). */
  rpcId: string | number;
  /** Set for a task-augmented request (2025-11-25): the server holds a task id and polls `tasks/*` for the answer. */
  task?: { taskId: string };
}

export type PendingAnswer = { result: Record<string, unknown> } | { error: { code: number; message: string; data?: unknown } };

export type PendingSettlement =
  | { kind: 'answered'; answer: PendingAnswer }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'cancelled'; reason: string }
  | { kind: 'closed'; reason: string };

export interface PendingQueueOptions {
  timeoutMs?: number;
  now?: () => number;
}

interface Waiting {
  entry: PendingEntry;
  settle: (settlement: PendingSettlement) => void;
  timer: ReturnType<typeof setTimeout>;
  stopListening: () => void;
}

/** The queue itself: pure bookkeeping and timers, no MCP. */
export class PendingQueue {
  readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly waiting = new Map<string, Waiting>();
  private counter = 0;
  private closedReason: string | undefined;

  constructor(options: PendingQueueOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  /** Queues a request; the promise settles exactly once (answer, timeout, server cancel or close). */
  add(input: Omit<PendingEntry, 'requestId' | 'receivedAt' | 'expiresAt'> & { signal?: AbortSignal }): {
    entry: PendingEntry;
    settled: Promise<PendingSettlement>;
  } {
    this.counter += 1;
    const receivedAt = this.now();
    const entry: PendingEntry = {
      requestId: `r${this.counter}`,
      method: input.method,
      params: input.params,
      receivedAt,
      expiresAt: receivedAt + this.timeoutMs,
      via: input.via,
      rpcId: input.rpcId,
      ...(input.task ? { task: { taskId: input.task.taskId } } : {}),
    };
    if (this.closedReason !== undefined) {
      return { entry, settled: Promise.resolve({ kind: 'closed', reason: this.closedReason }) };
    }
    if (input.signal?.aborted) {
      return { entry, settled: Promise.resolve({ kind: 'cancelled', reason: abortReason(input.signal) }) };
    }
    let resolve!: (settlement: PendingSettlement) => void;
    const settled = new Promise<PendingSettlement>((r) => (resolve = r));
    const onAbort = () => this.finish(entry.requestId, { kind: 'cancelled', reason: abortReason(input.signal) });
    input.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => this.finish(entry.requestId, { kind: 'timeout', afterMs: this.timeoutMs }), this.timeoutMs);
    // A forgotten question must never keep the process alive on its own.
    (timer as { unref?: () => void }).unref?.();
    this.waiting.set(entry.requestId, {
      entry,
      settle: resolve,
      timer,
      stopListening: () => input.signal?.removeEventListener('abort', onAbort),
    });
    return { entry, settled };
  }

  /** Oldest first. */
  list(): PendingEntry[] {
    return [...this.waiting.values()].map((waiting) => waiting.entry);
  }

  get(requestId: string): PendingEntry | undefined {
    return this.waiting.get(requestId)?.entry;
  }

  /** Answers one request; false when it is not waiting (any more). */
  answer(requestId: string, answer: PendingAnswer): boolean {
    return this.finish(requestId, { kind: 'answered', answer });
  }

  /** Settles everything still waiting (the session closed) and refuses what comes later. */
  closeAll(reason: string): void {
    this.closedReason = reason;
    for (const requestId of [...this.waiting.keys()]) this.finish(requestId, { kind: 'closed', reason });
  }

  /** Accepts requests again (a new connection in the same session). */
  reopen(): void {
    this.closedReason = undefined;
  }

  private finish(requestId: string, settlement: PendingSettlement): boolean {
    const waiting = this.waiting.get(requestId);
    if (!waiting) return false;
    this.waiting.delete(requestId);
    clearTimeout(waiting.timer);
    waiting.stopListening();
    waiting.settle(settlement);
    return true;
  }
}

function abortReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? 'the server cancelled the request' : String(reason);
}

export interface Root {
  uri: string;
  name?: string;
}

const VIA_LABEL: Record<ServerRequest['via'], string> = {
  request: 'the server sent a request',
  input_required: 'embedded in an input_required result (2026-07-28)',
};

function formatDuration(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** One line saying what the person answered, for the timeline. */
export function describeAnswer(method: ServerRequestMethod, result: Record<string, unknown>): string {
  if (method === 'elicitation/create') return `answered: ${String(result.action ?? '?')}`;
  if (method === 'sampling/createMessage') {
    const content = result.content as { type?: unknown } | undefined;
    return `answered with an ${String(result.role ?? 'assistant')} message (${String(content?.type ?? 'content')}, model ${String(result.model ?? '?')})`;
  }
  return 'answered';
}

/**
 * The session's client side: declares the capabilities, keeps the roots list, and turns each server
 * request into a pending entry (or, for roots, an immediate answer). It is the `ClientFeatures` the
 * engine gets at connect, so it outlives reconnects of the same session.
 */
export class ServerRequests implements ClientFeatures {
  readonly capabilities = CLIENT_CAPABILITIES;
  readonly queue: PendingQueue;
  private rootsList: Root[] = [];

  constructor(
    private readonly log: TraceLog,
    options: PendingQueueOptions = {},
  ) {
    this.queue = new PendingQueue(options);
  }

  get roots(): Root[] {
    return this.rootsList.map((root) => ({ ...root }));
  }

  setRoots(roots: Root[]): void {
    this.rootsList = roots.map((root) => ({ ...root }));
  }

  async answer(request: ServerRequest): Promise<Record<string, unknown>> {
    if (request.method === 'roots/list') {
      const roots = this.roots;
      const phase = this.log.beginPhase('server asks: roots/list', { detail: VIA_LABEL[request.via] });
      phase.ok(`answered automatically from the roots list: ${roots.length} root${roots.length === 1 ? '' : 's'}`);
      return { roots };
    }
    const asTask = request.task ? `; as task ${request.task.taskId} (the server polls tasks/get and tasks/result)` : '';
    const phase = this.log.beginPhase(`server asks: ${request.method}`, {
      detail: `${VIA_LABEL[request.via]}${asTask}; waiting for an answer in mcpscope (times out after ${formatDuration(this.queue.timeoutMs)})`,
    });
    if (request.method === 'elicitation/create' && request.params.mode === 'url') {
      // Still offered to the person (who can decline it), but never as something to open.
      const verdict = checkServerUrl(request.params.url, { what: 'The URL this URL-mode elicitation asks the person to open' });
      if (!verdict.ok) {
        this.log.finding(
          'error',
          UNSAFE_URL_CODE,
          `${verdict.message} mcpscope shows the request but will not open the URL; decline or cancel it.`,
          { phaseId: phase.id },
        );
      }
    }
    const { settled } = this.queue.add({
      method: request.method,
      // Shown to the browser as JSON: cut as the log cuts server JSON (lib/trace/depth.ts).
      params: capJsonDepth(request.params).value as Record<string, unknown>,
      via: request.via,
      rpcId: request.rpcId,
      signal: request.signal,
      ...(request.task ? { task: { taskId: request.task.taskId } } : {}),
    });
    const outcome = await settled;
    switch (outcome.kind) {
      case 'answered': {
        if ('result' in outcome.answer) {
          phase.ok(describeAnswer(request.method, outcome.answer.result));
          return outcome.answer.result;
        }
        const { code, message, data } = outcome.answer.error;
        phase.fail({ code: 'rejected', message: `answered with JSON-RPC error ${code}: ${message}` });
        throw new ServerRequestRejection(code, message, data);
      }
      case 'timeout': {
        const message = `Nobody answered ${request.method} in mcpscope within ${formatDuration(outcome.afterMs)}.`;
        phase.fail({ code: 'timeout', message: `${message} The server was sent JSON-RPC error ${ANSWER_TIMEOUT_CODE}.` });
        throw new ServerRequestRejection(ANSWER_TIMEOUT_CODE, message);
      }
      case 'cancelled':
        // The SDK sends no response to a request the server cancelled; the rejection only ends the handler.
        phase.skip(
          request.task ? `the task ended before an answer (${outcome.reason})` : `the server withdrew the request (${outcome.reason})`,
        );
        throw new ServerRequestRejection(-32800, `Cancelled: ${outcome.reason}`);
      case 'closed':
        phase.skip(`not answered: ${outcome.reason}`);
        throw new ServerRequestRejection(-32603, `Not answered: ${outcome.reason}`);
    }
  }
}
