import { CodedError, isCodedError } from '../errors';
import { isEngineError } from '../mcp/errors';
import { isStoreError } from '../store/errors';
import type { TraceError } from '../trace/types';

export const SESSION_ERROR_CODES = [
  'invalid_request',
  'invalid_url',
  'not_found',
  'not_connected',
  'too_many_sessions',
  'unsupported_method',
  'unsupported_format',
  /** The session has no OAuth flow (it uses no auth, a typed bearer token or headers), so there is nothing to refresh. */
  'no_oauth',
  /** The session holds no token (or no refresh token) for what was asked. */
  'no_token',
  'no_refresh_token',
] as const;

export type SessionErrorCode = (typeof SESSION_ERROR_CODES)[number];

/** A failure of the API request itself (bad input, unknown session, wrong state), not of the MCP server. */
export class SessionError extends CodedError<SessionErrorCode> {
  constructor(code: SessionErrorCode, message: string) {
    super('SessionError', code, message);
  }
}

/** Recognised by name and code, not by class (see isCodedError in lib/errors for why). */
export function isSessionError(value: unknown): value is SessionError {
  return isCodedError(value, 'SessionError', SESSION_ERROR_CODES);
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
    // An answer past MCPSCOPE_MAX_MESSAGE_BYTES: the upstream sent what this gateway does not take.
    case 'message_too_large':
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
 * The code and message of an error the API answers with as they are (a session, engine or store error, whichever
 * copy of the modules made it); undefined for anything else, which becomes a 500 without internals.
 */
export function apiErrorOf(error: unknown): TraceError | undefined {
  if (isSessionError(error) || isEngineError(error) || isStoreError(error)) return { code: error.code, message: error.message };
  return undefined;
}
