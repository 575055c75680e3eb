// The session operations beyond plain JSON-RPC: answering the server's pending requests, the roots
// list, ping with its latency, the log level, and `subscriptions/listen`. Route handlers call these.
import type { ListenFilter, ListenState, LogLevel, LogLevelOutcome, McpConnection, RpcOutcome } from '../mcp';
import {
  elicitationResultSchema,
  listenRequestSchema,
  logLevelRequestSchema,
  pendingErrorAnswerSchema,
  pendingResultAnswerSchema,
  rootsRequestSchema,
  samplingResultSchema,
} from '../contract';
import { isJsonObject } from '../json';
import { SessionError } from './errors';
import { parseBody } from './validate';
import type { PendingAnswer, PendingEntry, Root } from './pending';
import type { Session } from './registry';

const MAX_ROOTS = 100;

function invalid(message: string): never {
  throw new SessionError('invalid_request', message);
}

function liveConnection(session: Session): McpConnection {
  const connection = session.connection;
  if (session.state !== 'connected' || !connection || connection.closed) {
    throw new SessionError(
      'not_connected',
      `The session is ${session.state === 'connected' ? 'disconnected' : session.state}; connect again first.`,
    );
  }
  return connection;
}

// ---- pending server requests ----

export interface PendingList {
  pending: PendingEntry[];
  /** How long each request waits before it is answered with an error. */
  timeoutMs: number;
}

export function listPending(session: Session): PendingList {
  return { pending: session.serverRequests.queue.list(), timeoutMs: session.serverRequests.queue.timeoutMs };
}

/** Checks an answer's shape for its method, so a typo fails here rather than as an error sent to the server. */
export function parsePendingAnswer(method: PendingEntry['method'], body: unknown): PendingAnswer {
  if (isJsonObject(body) && 'error' in body) {
    const { error } = parseBody(pendingErrorAnswerSchema, body);
    return { error: { code: error.code, message: error.message, ...(error.data === undefined ? {} : { data: error.data }) } };
  }
  const { result } = parseBody(pendingResultAnswerSchema, body);
  if (method === 'elicitation/create') parseBody(elicitationResultSchema, result);
  if (method === 'sampling/createMessage') parseBody(samplingResultSchema, result);
  return { result };
}

export function answerPending(session: Session, requestId: string, body: unknown): { answered: true } {
  const entry = session.serverRequests.queue.get(requestId);
  if (!entry) {
    throw new SessionError(
      'not_found',
      `No request "${requestId}" is waiting: it was already answered, timed out, or the server withdrew it.`,
    );
  }
  const answer = parsePendingAnswer(entry.method, body);
  if (!session.serverRequests.queue.answer(requestId, answer)) {
    throw new SessionError('not_found', `The request "${requestId}" stopped waiting before the answer arrived.`);
  }
  return { answered: true };
}

// ---- roots ----

export function parseRoots(body: unknown): Root[] {
  const { roots } = parseBody(rootsRequestSchema, body);
  if (roots.length > MAX_ROOTS) invalid(`At most ${MAX_ROOTS} roots can be set.`);
  const seen = new Set<string>();
  return roots.map((root, index) => {
    if (!isJsonObject(root) || typeof root.uri !== 'string') invalid(`roots[${index}] must be an object with a "uri".`);
    const uri = root.uri.trim();
    // The spec: "uri: ... MUST be a file:// URI in the current specification".
    if (!/^file:\/\//i.test(uri)) invalid(`roots[${index}].uri must be a file:// URI (got "${uri}").`);
    try {
      new URL(uri);
    } catch {
      invalid(`roots[${index}].uri is not a valid URI.`);
    }
    if (seen.has(uri)) invalid(`The root ${uri} is listed twice.`);
    seen.add(uri);
    if (root.name !== undefined && typeof root.name !== 'string') invalid(`roots[${index}].name must be a string.`);
    const name = typeof root.name === 'string' ? root.name.trim() : '';
    return name ? { uri, name } : { uri };
  });
}

export interface RootsState {
  roots: Root[];
  /** Whether `notifications/roots/list_changed` went out (only on a connected session). */
  notified?: boolean;
  /** Why the notification could not be sent. */
  notifyError?: { code: string; message: string };
}

export function getRoots(session: Session): RootsState {
  return { roots: session.serverRequests.roots };
}

export async function setRoots(session: Session, body: unknown): Promise<RootsState> {
  const roots = parseRoots(body);
  session.serverRequests.setRoots(roots);
  const connection = session.connection;
  if (session.state !== 'connected' || !connection || connection.closed) return { roots, notified: false };
  try {
    await connection.notifyRootsChanged();
    return { roots, notified: true };
  } catch (error) {
    const described =
      error instanceof Error
        ? { code: (error as { code?: string }).code ?? 'notify_failed', message: error.message }
        : { code: 'notify_failed', message: String(error) };
    return { roots, notified: false, notifyError: described };
  }
}

// ---- ping ----

export type PingOutcome = RpcOutcome & { latencyMs: number };

export async function ping(session: Session, signal?: AbortSignal): Promise<PingOutcome> {
  const connection = liveConnection(session);
  if (connection.era === 'stateless-2026') {
    throw new SessionError(
      'unsupported_method',
      'The 2026-07-28 protocol has no ping: each request is its own HTTP exchange, so any call (or server/discover) shows whether the server is up.',
    );
  }
  const started = performance.now();
  const outcome = await connection.request('ping', undefined, { signal });
  return { ...outcome, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
}

// ---- log level ----

export function parseLogLevel(body: unknown): LogLevel {
  return parseBody(logLevelRequestSchema, body).level;
}

export interface LogLevelState {
  level?: LogLevel;
  /** `setLevel`: logging/setLevel (2025 eras); `per-request`: `_meta` on every request (2026-07-28). */
  mode: 'setLevel' | 'per-request';
}

export function getLogLevel(session: Session): LogLevelState {
  const connection = session.connection;
  return { level: connection?.logLevel, mode: connection?.era === 'stateless-2026' ? 'per-request' : 'setLevel' };
}

export async function setLogLevel(session: Session, body: unknown): Promise<LogLevelOutcome & { level: LogLevel }> {
  const level = parseLogLevel(body);
  const connection = liveConnection(session);
  return { ...(await connection.setLogLevel(level)), level };
}

// ---- subscriptions/listen ----

const FILTER_FLAGS = ['toolsListChanged', 'promptsListChanged', 'resourcesListChanged'] as const;

export function parseListenFilter(body: unknown): ListenFilter {
  const { filter: raw } = parseBody(listenRequestSchema, body);
  const filter: ListenFilter = {};
  for (const flag of FILTER_FLAGS) if (raw[flag]) filter[flag] = true;
  if (raw.resourceSubscriptions && raw.resourceSubscriptions.length > 0)
    filter.resourceSubscriptions = [...new Set(raw.resourceSubscriptions)];
  return filter;
}

export function getListen(session: Session): { listening: ListenState | null; available: boolean } {
  const connection = session.connection;
  return { listening: connection?.listening ?? null, available: connection?.era === 'stateless-2026' };
}

export async function listen(session: Session, body: unknown): Promise<{ listening: ListenState }> {
  const filter = parseListenFilter(body);
  const connection = liveConnection(session);
  return { listening: await connection.listen(filter) };
}

export async function stopListening(session: Session): Promise<{ listening: null }> {
  await session.connection?.stopListening();
  return { listening: null };
}
