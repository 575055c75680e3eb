// The session log ("trace"): one append-only list of events per session. Every view in the UI,
// every export and every share is derived from it. Plain TypeScript: no React, no Node-only imports,
// so the same code runs on the server, in the browser and on an imported file.
import type { JwtNote } from './jwt';
import type { SseFrame } from './sse';
export type { JwtNote, JwtSignature } from './jwt';

/** A captured HTTP body. `text` is UTF-8 text, or base64 when `encoding` says so; capped at capture. */
export interface BodyCapture {
  text: string;
  encoding: 'utf8' | 'base64';
  /** Full size in bytes as seen on the wire (decoded), even when `text` was cut. */
  size: number;
  /** True when `text` holds less than the whole body (capture cap, or dropped by the log's byte cap). */
  truncated: boolean;
  /** True when the log's byte cap dropped this body after capture (the skeleton stays). */
  dropped?: boolean;
}

/** Headers as an ordered list of [name, value] pairs, names lower-cased, secrets already masked. */
export type HeaderList = Array<[string, string]>;

/** What an HTTP exchange was for; set by whoever issued it (the engine tags its phases). */
export type ExchangePurpose = 'mcp' | 'mcp-stream' | 'oauth' | 'probe' | 'other';

export interface TraceError {
  /** Stable machine code, e.g. `connection_refused`, `timeout`, `not_mcp`, `http_401`. */
  code: string;
  /** One or two plain sentences a person can act on. */
  message: string;
}

interface EventBase {
  /** Monotonic per session, starting at 1. Also the SSE `id` on the events stream. */
  seq: number;
  /** Milliseconds since the session's log started (`TraceMeta.startedAt`). */
  t: number;
}

export interface HttpRequestEvent extends EventBase {
  kind: 'http.request';
  exchangeId: string;
  /** The phase this exchange belongs to, when the engine had one open. */
  phaseId?: string;
  purpose: ExchangePurpose;
  method: string;
  url: string;
  headers: HeaderList;
  body?: BodyCapture;
}

export interface HttpResponseEvent extends EventBase {
  kind: 'http.response';
  exchangeId: string;
  status: number;
  statusText: string;
  headers: HeaderList;
  /** Milliseconds from the request to the response headers (time to first byte). */
  ttfbMs: number;
}

export interface HttpEndEvent extends EventBase {
  kind: 'http.end';
  exchangeId: string;
  /** Response body for non-SSE responses (SSE bodies are recorded frame by frame instead). */
  body?: BodyCapture;
  /** Response bytes received. */
  bytes: number;
  /** Milliseconds from the request to the end (or failure) of the exchange. */
  durationMs: number;
  /** Set when the exchange failed: no response at all, or the body stream broke. */
  error?: TraceError;
  /** True when the client gave up on the exchange (abort, disconnect) rather than the server ending it. */
  aborted?: boolean;
}

/**
 * A captured frame (lib/trace/sse.ts: its fields, `raw` capped, `truncated` when `raw` and `data` were cut) as the
 * log holds it.
 */
export interface SseFrameEvent extends EventBase, SseFrame {
  kind: 'sse.frame';
  exchangeId: string;
  /** 0-based position of this frame on its stream. */
  index: number;
  /** True when the log's byte cap emptied `raw` and `data` after capture (the frame's fields stay). */
  dropped?: boolean;
}

export type RpcMessageType = 'request' | 'notification' | 'result' | 'error';

export interface RpcEvent extends EventBase {
  kind: 'rpc';
  /** `out`: mcpscope sent it to the server; `in`: the server sent it. */
  direction: 'out' | 'in';
  type: RpcMessageType;
  /** For requests and notifications; for responses, copied from the paired request when known. */
  method?: string;
  id?: string | number;
  /** The exchange that carried it (a POST body, a JSON response, or an SSE frame's stream). */
  exchangeId?: string;
  /** For responses: the seq of the paired request event. For requests: unset. */
  pairSeq?: number;
  /** For responses: milliseconds since the paired request. */
  latencyMs?: number;
  /** The whole JSON-RPC message, secrets masked. Dropped (undefined) by the log's byte cap when old. */
  message?: unknown;
  /** Size of the serialized message in bytes. */
  size: number;
  /** True when the log's byte cap dropped `message` after capture. */
  dropped?: boolean;
}

export type PhaseStatus = 'started' | 'ok' | 'failed' | 'skipped';

/** Lifecycle step. A phase is opened with status `started` and closed by a later event with the same `phaseId`. */
export interface PhaseEvent extends EventBase {
  kind: 'phase';
  phaseId: string;
  /** e.g. `probe:streamable-http`, `server/discover`, `initialize`, `initialized`, `get-stream`, `tools/list`, `disconnect`. */
  name: string;
  status: PhaseStatus;
  /** A short human line: what was tried, what came back. */
  detail?: string;
  error?: TraceError;
  /** Set on the closing event. */
  durationMs?: number;
  /** Parent phase, for steps nested under another (e.g. probes under `connect`). */
  parentId?: string;
}

export type FindingSeverity = 'info' | 'warning' | 'error';

export interface FindingEvent extends EventBase {
  kind: 'finding';
  severity: FindingSeverity;
  /** Stable code, e.g. `log_capped`, `sse_without_data`, `legacy_fallback`. */
  code: string;
  message: string;
  exchangeId?: string;
  phaseId?: string;
  /** `notifications_folded` only: the notifications counted but not kept, per method. */
  folded?: FoldedNotifications[];
  /** A JWT the finding is about (an assertion, an ID-JAG), decoded: header, claims, signature status; never the JWT. */
  jwt?: JwtNote;
}

/** Notifications of one method that arrived faster than the log keeps them: counted, not kept. */
export interface FoldedNotifications {
  method: string;
  count: number;
  /** Log time of the first and the last one folded in this report. */
  firstT: number;
  lastT: number;
}

/**
 * One JSON-RPC message on an MCP App's bridge (SEP-1865, `io.modelcontextprotocol/ui`): between mcpscope (the
 * host) and a view rendered in its sandbox. Not on the wire to the server: what a view asks the server for is
 * proxied through the session and recorded again as `rpc` events.
 */
export interface AppMessageEvent extends EventBase {
  kind: 'app.message';
  /** `out`: mcpscope sent it to the view (or its sandbox proxy); `in`: the view sent it. */
  direction: 'out' | 'in';
  type: RpcMessageType;
  method?: string;
  id?: string | number;
  /** One rendering of a view (one iframe); requests pair with answers within it. */
  viewId: string;
  /** The `ui://` resource the view was read from. */
  resourceUri: string;
  /** For responses: the seq of the paired request event. */
  pairSeq?: number;
  /** For responses: milliseconds since the paired request (as the browser measured them). */
  latencyMs?: number;
  /** The whole message, secrets masked. Dropped (undefined) by the log's byte cap when old. */
  message?: unknown;
  size: number;
  dropped?: boolean;
}

/**
 * One line a stdio server was sent on its stdin (`out`) or wrote on its stdout (`in`): the stdio counterpart of an
 * HTTP exchange. The `rpc` events parsed from the line carry its `exchangeId`.
 */
export interface StdioLineEvent extends EventBase {
  kind: 'stdio.line';
  /** Names the line (`ln12`); the rpc events it carried name it as their `exchangeId`. */
  exchangeId: string;
  /** `out`: mcpscope wrote it to the server's stdin; `in`: the server wrote it to its stdout. */
  direction: 'out' | 'in';
  /** The phase open for it, when the engine had one. */
  phaseId?: string;
  /** Bytes of the line (UTF-8, without its line break). */
  size: number;
  /** The line's text, capped, when it is not JSON-RPC (a JSON-RPC line's content is in its rpc events). */
  text?: string;
  /** True when `text` held more than the capture cap and was cut. */
  truncated?: boolean;
  /** True when the log's byte cap emptied `text` after capture. */
  dropped?: boolean;
}

/** Text a stdio server wrote to its stderr: whole lines, gathered for a moment; the stream is capped per process. */
export interface StdioStderrEvent extends EventBase {
  kind: 'stdio.stderr';
  text: string;
  /** Bytes received in this chunk (even when `text` was cut). */
  size: number;
  truncated?: boolean;
  dropped?: boolean;
}

/** A stdio server's process: started (its pid) or ended (exit code, signal), with the command line as shown. */
export interface StdioProcessEvent extends EventBase {
  kind: 'stdio.process';
  state: 'started' | 'exited' | 'failed';
  /** The command line as shown (environment values never appear in it). */
  command: string;
  pid?: number;
  /** Set when `state` is `exited`: the exit code (null when a signal ended it) and the signal. */
  code?: number | null;
  signal?: string | null;
  /** True when mcpscope stopped it (disconnect, expiry, shutdown), not the server on its own. */
  stopped?: boolean;
  /** Set when `state` is `failed`: it could not be started. */
  error?: TraceError;
  /** The last lines of its stderr, when it exited on its own. */
  stderrTail?: string[];
}

export type TraceEvent =
  | HttpRequestEvent
  | HttpResponseEvent
  | HttpEndEvent
  | SseFrameEvent
  | RpcEvent
  | PhaseEvent
  | FindingEvent
  | AppMessageEvent
  | StdioLineEvent
  | StdioStderrEvent
  | StdioProcessEvent;

export type TraceEventKind = TraceEvent['kind'];

/** An event before the log numbers it. */
export type NewTraceEvent = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq' | 't'> : never) : never;

export type ProtocolEraName = 'legacy-sse' | 'stateful-2025' | 'stateless-2026';

/** What the log says about the session as a whole (first entry of every export). */
export interface TraceMeta {
  sessionId: string;
  /** The server URL as shown (credentials masked); for a stdio server (`transport: 'stdio'`), its command line. */
  serverUrl: string;
  /** Epoch milliseconds when the log started; event `t` is relative to it. */
  startedAt: number;
  transport: 'auto' | 'streamable-http' | 'sse' | 'stdio';
  era?: ProtocolEraName;
  protocolVersion?: string;
  serverInfo?: { name: string; version: string; title?: string };
  capabilities?: Record<string, unknown>;
  instructions?: string;
}

export interface TraceLimits {
  /** Most events kept; past it the oldest events are removed (the first phases stay). */
  maxEvents: number;
  /**
   * Most memory the log may hold, in estimated bytes of everything it keeps (events, headers, bodies, frame
   * texts, messages); past it the oldest bodies and messages are emptied first, then the oldest events go.
   */
  maxBytes: number;
  /** Largest single body captured, in bytes. */
  maxBodyBytes: number;
  /**
   * Server notifications kept per second (per method) once the burst is spent; the rest are counted, not kept
   * (lib/trace/fold). Unlimited unless set: the live server sets it (MCPSCOPE_NOTIFICATION_RATE), an import keeps
   * what its file holds.
   */
  notificationRate: number;
  /** Server notifications of one method kept at once before the rate applies. */
  notificationBurst: number;
}

export const DEFAULT_TRACE_LIMITS: TraceLimits = {
  maxEvents: 200_000,
  maxBytes: 64 * 1024 * 1024,
  maxBodyBytes: 1024 * 1024,
  notificationRate: Number.POSITIVE_INFINITY,
  notificationBurst: Number.POSITIVE_INFINITY,
};
