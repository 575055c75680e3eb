import type { Tool } from '@modelcontextprotocol/client';
import type { SecretSet, TraceLog } from '../trace';
import type { ProtocolEraName, TraceError } from '../trace/types';

export type TransportMode = 'auto' | 'streamable-http' | 'sse';
export type WireTransport = 'streamable-http' | 'sse';

export interface ConnectOptions {
  url: string;
  transport: TransportMode;
  /** Sent with every request to the server, bearer token included; values are already in `secrets`. */
  headers: Record<string, string>;
  log: TraceLog;
  secrets: SecretSet;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  signal?: AbortSignal;
  /** The fetch underneath the recorder; defaults to the global fetch. */
  baseFetch?: typeof fetch;
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
}
