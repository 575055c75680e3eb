import type { TraceError } from '../trace/types';

export type SessionErrorCode =
  | 'invalid_request'
  | 'invalid_url'
  | 'not_found'
  | 'not_connected'
  | 'too_many_sessions'
  | 'unsupported_method'
  | 'unsupported_format'
  /** The session has no OAuth flow (it uses no auth, a typed bearer token or headers), so there is nothing to refresh. */
  | 'no_oauth'
  /** The session holds no token (or no refresh token) for what was asked. */
  | 'no_token'
  | 'no_refresh_token';

/** A failure of the API request itself (bad input, unknown session, wrong state), not of the MCP server. */
const SESSION_ERROR = Symbol.for('mcpscope.SessionError');

export class SessionError extends Error {
  /**
   * Next.js may load this module more than once in one process (instrumentation and the routes have their own
   * copies), and an error made by one copy is answered by another (lib/direct-rpc): `instanceof` goes by a
   * brand shared through the global symbol registry, not by which copy of the class made the error.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SESSION_ERROR] === true;
  }
  readonly [SESSION_ERROR] = true;
  readonly code: SessionErrorCode;
  constructor(code: SessionErrorCode, message: string) {
    super(message);
    this.name = 'SessionError';
    this.code = code;
  }
  toTraceError(): TraceError {
    return { code: this.code, message: this.message };
  }
}

/**
 * The HTTP status for an error code. Failures of the upstream MCP server are 502 (504 for timeouts):
 * the request reached mcpscope fine, the server behind it did not answer well.
 */
export function statusForCode(code: string): number {
  switch (code) {
    case 'invalid_request':
    case 'invalid_url':
    case 'unsupported_format':
    case 'unsupported_method':
    case 'tool_excluded':
      return 400;
    case 'not_found':
      return 404;
    case 'not_connected':
    case 'no_oauth':
    case 'no_token':
    case 'no_refresh_token':
      return 409;
    case 'too_many_sessions':
    case 'rate_limited':
    // Ended to make room for another client's session: this client held the most (fair share).
    case 'session_evicted':
      return 429;
    case 'target_forbidden':
    // Starting a local process was refused (lib/stdio/policy.ts).
    case 'stdio_disabled':
    case 'stdio_hosted':
    case 'stdio_not_loopback':
    case 'launch_token_invalid':
      return 403;
    case 'spawn_failed':
      // The command given cannot be run: the caller's input, not a server's answer.
      return 422;
    case 'body_too_large':
      return 413;
    case 'cancelled':
    case 'aborted':
      // nginx's "client closed request": the caller gave up, nothing failed.
      return 499;
    case 'timeout':
    case 'request_time_limit':
      return 504;
    case 'input_not_provided':
      // The server asked for input (2026-07-28 input_required) and the person refused or never answered.
      return 422;
    case 'connection_refused':
    case 'host_not_found':
    case 'tls_error':
    case 'network_error':
    case 'not_mcp':
    case 'invalid_response':
    case 'stream_closed':
    case 'http_error':
    case 'protocol_error':
    case 'auth_required':
    case 'forbidden':
    case 'process_exited':
      return 502;
    default:
      return 500;
  }
}

/**
 * A failure of the store, whose message says what to fix (a key that does not match the database, DATABASE_URL
 * unreachable). By name: the store may come from another copy of the modules than this one (see lib/direct-rpc).
 */
export function storeFailure(error: unknown): TraceError | undefined {
  if (!(error instanceof Error) || error.name !== 'StoreError') return undefined;
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' ? { code, message: error.message } : undefined;
}
