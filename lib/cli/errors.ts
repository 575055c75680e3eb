// How the command fails: a stable code, one line a person can act on, and the exit code scripts branch on.
import { isEngineError, type EngineError } from '../mcp';
import { OAuthFlowError } from '../oauth';
import { CodedError } from '../errors';

/** The exit codes are part of the command's contract (documented in the usage text). */
export const EXIT = {
  ok: 0,
  /** Something unexpected: a bug, or the disk refused to save the log. */
  internal: 1,
  usage: 2,
  connection: 3,
  authorization: 4,
  /** The tool call answered with `isError: true`, or the server answered a request with a JSON-RPC error. */
  callFailed: 5,
  /** replay / diff: something differs beyond the ignore rules, or a replayed request failed. */
  differs: 6,
  /** `audit`: the server failed checks at the --fail-on level. */
  auditFailed: 6,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends CodedError {
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super('CliError', code, message, options);
    this.exitCode = exitCode;
  }
}

export function usageError(message: string): CliError {
  return new CliError('usage', message, EXIT.usage);
}

const AUTHORIZATION_ENGINE_CODES = new Set(['auth_required', 'forbidden']);
/** Failures of the call itself, after connecting: the server refused or could not do it. */
const CALL_ENGINE_CODES = new Set(['input_not_provided', 'unsupported_method', 'tool_excluded']);

/** What the user did to authenticate, so a 401 can say what to try next. */
export type AuthMode = 'none' | 'bearer' | 'header' | 'oauth' | 'client_credentials';

/**
 * Any failure as a CliError. `stage` says whether the connection was up: a transport failure before it is
 * "connection failed" (3); after it, most failures still are (the server went away), except those of the call.
 */
export function toCliError(error: unknown, context: { auth: AuthMode; stage: 'connect' | 'request' }): CliError {
  if (error instanceof CliError) return error;
  const oauth = findOAuthError(error);
  if (oauth) return new CliError(oauth.code, oauth.message, EXIT.authorization, { cause: error });
  if (isEngineError(error)) {
    if (error.code === 'invalid_url') return new CliError(error.code, error.message, EXIT.usage, { cause: error });
    if (AUTHORIZATION_ENGINE_CODES.has(error.code)) {
      return new CliError(error.code, explainAuthFailure(error, context.auth), EXIT.authorization, { cause: error });
    }
    if (context.stage === 'request' && CALL_ENGINE_CODES.has(error.code))
      return new CliError(error.code, error.message, EXIT.callFailed, { cause: error });
    return new CliError(error.code, error.message, EXIT.connection, { cause: error });
  }
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'internal_error';
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(code, message, EXIT.internal, { cause: error });
}

function explainAuthFailure(error: EngineError, auth: AuthMode): string {
  if (error.code === 'forbidden') {
    return auth === 'none'
      ? 'The server refused access (HTTP 403). If it needs credentials, use --oauth or --bearer <token>.'
      : 'The server refused access (HTTP 403): the credentials were not accepted for this resource, or lack a scope (try --scope).';
  }
  switch (auth) {
    case 'none':
      return 'The server requires authorization (HTTP 401). Run again with --oauth to authorize (or --grant client_credentials with --client-id and --client-secret), or pass a token with --bearer <token>.';
    case 'bearer':
      return 'The server refused the bearer token (HTTP 401): it is wrong, expired, or for another server. Try --oauth to get a fresh one.';
    case 'header':
      return 'The server requires authorization (HTTP 401) and did not accept the headers given. Use --oauth to authorize, or --bearer <token>.';
    default:
      return 'The server still answers HTTP 401 with the token from the authorization server; it may not trust that issuer for this resource.';
  }
}

/** The OAuth failure behind an error, if any (the engine wraps what the authorizing fetch threw). */
export function findOAuthError(error: unknown): OAuthFlowError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof OAuthFlowError) return current;
    current = current.cause;
  }
  return undefined;
}

/** The one line printed on stderr. */
export function errorLine(error: CliError): string {
  return `mcpscope: ${error.code}: ${oneLine(error.message)}`;
}

export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
