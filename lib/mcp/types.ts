import type { LOG_LEVELS } from '../contract';
import type { Tool } from '@modelcontextprotocol/client';
import type { SecretSet, TraceLog } from '../trace';
import type { ProtocolEraName, TraceError } from '../trace/types';
import type { ClientFeatures } from './client-features';
import type { LaunchSpec } from '../stdio';

export type TransportMode = 'auto' | 'streamable-http' | 'sse';

/** Given the fetch that records one exchange, the fetch to send it with (called once per request). */
export type ExchangeAuthorizer = (send: typeof fetch) => typeof fetch;
/** How the engine reaches a server: over HTTP (Streamable HTTP, legacy SSE), or a local process's stdin/stdout. */
export type WireTransport = 'streamable-http' | 'sse' | 'stdio';

/** A local server to start and speak to over its stdin/stdout (lib/stdio). */
export interface StdioLaunch {
  spec: LaunchSpec;
  /** The command line as shown in the log and the UI (environment values never in it). */
  shown: string;
}

export interface ConnectOptions {
  /** The server URL; for a stdio server (`stdio` set) its command line as shown. */
  url: string;
  /** Set for a local stdio server: the process to start instead of an HTTP URL to reach (`transport` is ignored). */
  stdio?: StdioLaunch;
  transport: TransportMode;
  /** Sent with every request to the server, bearer token included; values are already in `secrets`. */
  headers: Record<string, string>;
  log: TraceLog;
  secrets: SecretSet;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /**
   * The most one request may take in all, progress or not (default `DEFAULT_REQUEST_MAX_MS`): past it the request
   * is cancelled (notifications/cancelled) and fails with `request_time_limit`.
   */
  requestMaxMs?: number;
  signal?: AbortSignal;
  /** The fetch underneath the recorder; defaults to the global fetch. */
  baseFetch?: typeof fetch;
  /**
   * Wraps the recording fetch of every exchange (OAuth: adds the bearer token, refreshes and retries once), so
   * each attempt is recorded on its own with its phase. See `ExchangeAuthorizer`.
   */
  authorize?: ExchangeAuthorizer;
  /** Declares elicitation, sampling and roots, and answers the server's requests for them. */
  clientFeatures?: ClientFeatures;
}

export type LogLevel = (typeof LOG_LEVELS)[number];

/** How a log level took effect: a `logging/setLevel` request (2025 eras) or per-request `_meta` (2026-07-28). */
export type LogLevelOutcome = { mode: 'setLevel'; outcome: RpcOutcome } | { mode: 'per-request' };

/** Notification kinds a 2026-07-28 client opts in to on `subscriptions/listen`. */
export interface ListenFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
}

/** What a connection is subscribed to, so the next connection of the same session can subscribe again. */
export interface SubscriptionSnapshot {
  /** Resource URIs: accepted `resources/subscribe` calls (2025 eras), or the listen filter's URIs (2026-07-28). */
  resources: string[];
  /** The `subscriptions/listen` filter last asked for (2026-07-28). */
  listen?: ListenFilter;
}

export interface ListenState {
  requested: ListenFilter;
  /** What the server agreed to send (its acknowledgement). */
  honored: ListenFilter;
  /** Epoch ms. */
  since: number;
}

export interface RpcProgress {
  progress: number;
  total?: number;
  message?: string;
}

export interface RpcRequestOptions {
  signal?: AbortSignal;
  /** Overrides the session's request timeout; the timer restarts on every progress notification. */
  timeoutMs?: number;
  onProgress?: (progress: RpcProgress) => void;
}

export interface JsonRpcErrorBody {
  code: number;
  message: string;
  data?: unknown;
}

/** The server's answer: a result or its JSON-RPC error. Failures before an answer throw `EngineError`. */
export type RpcOutcome = { result: unknown } | { error: JsonRpcErrorBody };

export interface ServerIdentity {
  name: string;
  version: string;
  title?: string;
}

export interface McpConnection {
  readonly era: ProtocolEraName;
  readonly transport: WireTransport;
  readonly protocolVersion: string;
  readonly serverInfo: ServerIdentity;
  readonly capabilities: Record<string, unknown>;
  readonly instructions?: string;
  /** The tools listed at connect (or by the last `refreshTools`), exactly as the server described them. */
  readonly tools: Tool[];
  /**
   * Tools mcpscope will not call, by name, with the reason: on 2026-07-28, those whose x-mcp-header declarations
   * break SEP-2243 (a client MUST exclude them). They stay in `tools`, so a person sees what the server sent.
   */
  readonly excludedTools: ReadonlyMap<string, string>;
  /** The Mcp-Session-Id of a stateful Streamable HTTP session. */
  readonly sessionId?: string;
  readonly closed: boolean;
  request(method: string, params: Record<string, unknown> | undefined, opts?: RpcRequestOptions): Promise<RpcOutcome>;
  /** Lists tools again (a `tools/list` phase); a failure throws `EngineError` and keeps the old list. */
  refreshTools(): Promise<Tool[]>;
  /** Ends the server session (DELETE where there is one) and stops every stream. Idempotent. */
  close(): Promise<void>;
  /** Called once if the connection ends on its own (the server went away for good). */
  onUnexpectedClose(listener: (error: TraceError) => void): () => void;
  /** The level chosen with `setLogLevel`, if any. */
  readonly logLevel?: LogLevel;
  setLogLevel(level: LogLevel): Promise<LogLevelOutcome>;
  /** Sends `notifications/roots/list_changed`. */
  notifyRootsChanged(): Promise<void>;
  /** The open `subscriptions/listen` stream (2026-07-28 only). */
  readonly listening?: ListenState;
  /** Opens (or replaces) the `subscriptions/listen` stream; throws `EngineError` on 2025-era connections. */
  listen(filter: ListenFilter): Promise<ListenState>;
  stopListening(): Promise<void>;
  /** The resources this connection receives `notifications/resources/updated` for (what the server accepted). */
  readonly resourceSubscriptions: readonly string[];
  subscriptionSnapshot(): SubscriptionSnapshot;
  /**
   * Subscribes again, on this new connection, to what the session's previous connection was subscribed to: a
   * `restore subscriptions` phase with each request under it; what the server refuses is a finding. Never throws.
   */
  restoreSubscriptions(previous: SubscriptionSnapshot): Promise<void>;
}
