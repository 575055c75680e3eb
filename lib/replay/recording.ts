// A recorded session read as a script: the requests the client sent, in order, each with the answer it got, the
// requests the server sent (and what the client answered), and the server's notifications. Read from an mcpscope
// JSON export or a HAR (mcpscope's own or another tool's), through lib/trace's importers.
import { isJsonObject } from '../json';
import { fromHar, parseJsonExport, type RpcEvent, type TraceEvent, type TraceMeta } from '../trace';
import { ReplayError } from './errors';

/** What a request got back: a result or a JSON-RPC error (the same shape lib/mcp answers with). */
export type RecordedOutcome = { result: unknown } | { error: { code: number; message: string; data?: unknown } };

export interface RecordedRequest {
  /** Position among the replayable requests (0-based). */
  index: number;
  /** The request's event in the source log. */
  seq: number;
  method: string;
  /** As sent, without the protocol envelope the client library adds (see `stripEnvelope`). */
  params?: Record<string, unknown>;
  /** Undefined when the log holds no answer (cancelled, timed out, the session ended, or dropped by the log cap). */
  outcome?: RecordedOutcome;
  latencyMs?: number;
}

export interface RecordedServerRequest {
  method: string;
  params?: Record<string, unknown>;
  /** What the client answered. */
  outcome?: RecordedOutcome;
}

export interface RecordedNotification {
  method: string;
  params?: Record<string, unknown>;
  /** Milliseconds since the log started. */
  t: number;
}

export interface Recording {
  meta: TraceMeta;
  requests: RecordedRequest[];
  serverRequests: RecordedServerRequest[];
  /** Server→client notifications, in order. */
  notifications: RecordedNotification[];
  /** The handshake's answer (initialize, or server/discover on 2026-07-28), for a mock to serve as recorded. */
  handshake: { initialize?: RecordedOutcome; discover?: RecordedOutcome };
  /** Client requests the log mentions but whose message the log no longer holds (its byte cap dropped them). */
  droppedRequests: number;
}

/**
 * Methods the connection makes on its own to establish or keep the session; replaying them by hand would
 * duplicate (or break) what the target's own connect does. Their answers still feed a mock's handshake.
 */
export const LIFECYCLE_METHODS: ReadonlySet<string> = new Set(['initialize', 'server/discover', 'subscriptions/listen']);

/** `_meta` keys the client library adds to every request (the 2026-07-28 envelope, progress tokens). */
const ENVELOPE_META = /^(io\.modelcontextprotocol\/|progressToken$)/;

/** Reads an mcpscope JSON export or a HAR (parsed value or text). Throws `ReplayError` (`invalid_recording`). */
export function readRecordingFile(value: unknown, name = 'the recording'): Recording {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch (error) {
      throw new ReplayError('invalid_recording', `${name} is not JSON (${error instanceof Error ? error.message : String(error)}).`);
    }
  }
  try {
    if (isJsonObject(v) && 'format' in v) return recordingFromLog(parseJsonExport(v));
    if (isJsonObject(v) && isJsonObject(v.log)) return recordingFromLog(fromHar(v));
  } catch (error) {
    throw new ReplayError('invalid_recording', `${name} could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  throw new ReplayError(
    'invalid_recording',
    `${name} is neither an mcpscope session export (a JSON object with "format": "mcpscope-session") nor a HAR file (a JSON object with "log").`,
  );
}

/** The script of a session log (a live one, or one read from a file). */
export function recordingFromLog(log: { meta: TraceMeta; events: readonly TraceEvent[] }): Recording {
  return { meta: log.meta, ...requestScript(log.events) };
}

/** The script part of a recording from a log's events (the History view reads a live session's this way). */
export function requestScript(events: readonly TraceEvent[]): Omit<Recording, 'meta'> {
  const rpc = events.filter((e): e is RpcEvent => e.kind === 'rpc');
  // A response names its request by pairSeq; index the responses once.
  const answers = new Map<number, RpcEvent>();
  for (const event of rpc)
    if ((event.type === 'result' || event.type === 'error') && event.pairSeq !== undefined) answers.set(event.pairSeq, event);

  const recording: Omit<Recording, 'meta'> = {
    requests: [],
    serverRequests: [],
    notifications: [],
    handshake: {},
    droppedRequests: 0,
  };
  for (const event of rpc) {
    if (event.type === 'request' && event.direction === 'out') {
      const message = event.message;
      if (!isJsonObject(message) || typeof message.method !== 'string') {
        recording.droppedRequests += 1;
        continue;
      }
      const method = message.method;
      const answer = answers.get(event.seq);
      const outcome = answer ? outcomeOf(answer.message) : undefined;
      if (method === 'initialize') {
        if (outcome && 'result' in outcome) recording.handshake.initialize = outcome;
        continue;
      }
      if (method === 'server/discover') {
        if (outcome && 'result' in outcome) recording.handshake.discover = outcome;
        continue;
      }
      if (LIFECYCLE_METHODS.has(method)) continue;
      const params = stripEnvelope(message.params);
      recording.requests.push({
        index: recording.requests.length,
        seq: event.seq,
        method,
        ...(params ? { params } : {}),
        ...(outcome ? { outcome } : {}),
        ...(answer?.latencyMs !== undefined ? { latencyMs: answer.latencyMs } : {}),
      });
    } else if (event.type === 'request' && event.direction === 'in') {
      const message = event.message;
      if (!isJsonObject(message) || typeof message.method !== 'string') continue;
      const answer = answers.get(event.seq);
      const outcome = answer ? outcomeOf(answer.message) : undefined;
      const params = stripEnvelope(message.params);
      recording.serverRequests.push({ method: message.method, ...(params ? { params } : {}), ...(outcome ? { outcome } : {}) });
    } else if (event.type === 'notification' && event.direction === 'in') {
      const message = event.message;
      if (!isJsonObject(message) || typeof message.method !== 'string') continue;
      const params = isJsonObject(message.params) ? message.params : undefined;
      recording.notifications.push({ method: message.method, ...(params ? { params } : {}), t: event.t });
    }
  }
  return recording;
}

/** The JSON-RPC message of a response as an outcome; undefined when the log dropped it or it is not a response. */
export function outcomeOf(message: unknown): RecordedOutcome | undefined {
  if (!isJsonObject(message)) return undefined;
  if ('result' in message) return { result: message.result };
  if (isJsonObject(message.error)) {
    const error = message.error;
    return {
      error: {
        code: typeof error.code === 'number' ? error.code : 0,
        message: typeof error.message === 'string' ? error.message : '',
        ...(error.data !== undefined ? { data: error.data } : {}),
      },
    };
  }
  return undefined;
}

/**
 * Params without what the client library adds on its own (protocol version, client info and capabilities on
 * 2026-07-28, progress tokens): the target's client adds its own, for its era.
 */
export function stripEnvelope(params: unknown): Record<string, unknown> | undefined {
  if (!isJsonObject(params)) return undefined;
  const { _meta, ...rest } = params;
  if (!isJsonObject(_meta)) return params;
  const kept = Object.fromEntries(Object.entries(_meta).filter(([key]) => !ENVELOPE_META.test(key)));
  return Object.keys(kept).length > 0 ? { ...rest, _meta: kept } : rest;
}

/** A short name for a request: the method, and the tool, prompt or resource it is about. */
export function requestLabel(method: string, params: Record<string, unknown> | undefined): string {
  const subject = params && (typeof params.name === 'string' ? params.name : typeof params.uri === 'string' ? params.uri : undefined);
  if (subject) return `${method} ${subject}`;
  if (params && typeof params.cursor === 'string') return `${method} (next page)`;
  return method;
}
