import type { TraceError } from '../trace/types';

export type SessionErrorCode =
  | 'invalid_request'
  | 'invalid_url'
  | 'not_found'
  | 'not_connected'
  | 'too_many_sessions'
  | 'unsupported_method'
  | 'unsupported_format';

/** A failure of the API request itself (bad input, unknown session, wrong state), not of the MCP server. */
export class SessionError extends Error {
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
      return 400;
    case 'not_found':
      return 404;
    case 'not_connected':
      return 409;
    case 'too_many_sessions':
    case 'rate_limited':
      return 429;
    case 'target_forbidden':
      return 403;
    case 'body_too_large':
      return 413;
    case 'cancelled':
    case 'aborted':
      // nginx's "client closed request": the caller gave up, nothing failed.
      return 499;
    case 'timeout':
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
      return 502;
    default:
      return 500;
  }
}
