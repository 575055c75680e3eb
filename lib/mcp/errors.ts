// Engine errors: every failure the engine reports carries a stable `code` and a sentence a person can
// act on. The codes are part of the HTTP API (lib/sessions maps them to statuses).
import { CodedError, isCodedError } from '../errors';

export const ENGINE_ERROR_CODES = [
  'invalid_url',
  'connection_refused',
  'host_not_found',
  'timeout',
  /** A request ran longer than the most one may take in all (MCPSCOPE_REQUEST_MAX_MS), progress or not. */
  'request_time_limit',
  'tls_error',
  'network_error',
  'aborted',
  'auth_required',
  'forbidden',
  'not_mcp',
  'invalid_response',
  'stream_closed',
  'http_error',
  'protocol_error',
  'cancelled',
  'unsupported_method',
  'input_not_provided',
  'not_connected',
  /** SEP-2243: the tool's x-mcp-header declarations are invalid, so a client must not call it. */
  'tool_excluded',
  /** lib/security refused the target (hosted mode: loopback, link-local, private ranges). */
  'target_forbidden',
  /** A stdio server's program could not be started. */
  'spawn_failed',
  /** A stdio server's process ended on its own. */
  'process_exited',
  /** A message from the server was larger than mcpscope reads (MCPSCOPE_MAX_MESSAGE_BYTES). */
  'message_too_large',
] as const;

export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

export class EngineError extends CodedError<EngineErrorCode> {
  /** The HTTP status behind the failure, when there was one. */
  readonly status?: number;

  constructor(code: EngineErrorCode, message: string, options?: { status?: number; cause?: unknown }) {
    super('EngineError', code, message, options);
    this.status = options?.status;
  }
}

/** Recognised by name and code, not by class (see isCodedError in lib/errors for why). */
export function isEngineError(value: unknown): value is EngineError {
  return isCodedError(value, 'EngineError', ENGINE_ERROR_CODES);
}

/** Node's fetch (undici) hides the reason in `cause` chains; walk them for a system error code. */
function systemErrorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const record = current as { code?: unknown; errors?: unknown; cause?: unknown; name?: unknown };
    if (typeof record.code === 'string') codes.push(record.code);
    if (typeof record.name === 'string') codes.push(record.name);
    // `AggregateError` (happy eyeballs: IPv4 and IPv6 both refused) keeps the reasons in `errors`.
    if (Array.isArray(record.errors)) for (const inner of record.errors) codes.push(...systemErrorCodes(inner));
    current = record.cause;
  }
  return codes;
}

const TLS_CODE = /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/;

/**
 * Names a network failure (fetch threw before or while reading a response). `target` is the URL,
 * used to make the message concrete.
 */
export function classifyNetworkError(error: unknown, target?: string): EngineError {
  const codes = systemErrorCodes(error);
  const where = target ? describeTarget(target) : 'the server';
  const has = (...wanted: string[]) => codes.some((code) => wanted.includes(code));
  if (has('AbortError')) return new EngineError('aborted', `The request to ${where} was cancelled.`, { cause: error });
  // The guarded fetch (lib/security) refused the address, a redirect or an oversized reply: its message says which rule.
  if (has('ETARGETFORBIDDEN')) return new EngineError('target_forbidden', rootMessage(error), { cause: error });
  if (has('ERESPONSETOOLARGE')) return messageTooLarge(rootMessage(error), undefined, error);
  if (has('EREDIRECTLOOP', 'ETOOMANYREDIRECTS', 'EHEADERSTOOLARGE'))
    return new EngineError('invalid_response', rootMessage(error), { cause: error });
  if (has('ECONNREFUSED')) {
    return new EngineError(
      'connection_refused',
      `Connection refused by ${where}: nothing is listening on that port. Is the server running, and is the port right?`,
      { cause: error },
    );
  }
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL')) {
    return new EngineError(
      'host_not_found',
      `The host of ${where} could not be found (DNS lookup failed). Check the spelling of the host name.`,
      {
        cause: error,
      },
    );
  }
  if (has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'TimeoutError')) {
    return new EngineError('timeout', `${capitalize(where)} did not answer in time (the connection timed out).`, { cause: error });
  }
  if (codes.some((code) => TLS_CODE.test(code))) {
    return new EngineError('tls_error', `The TLS (https) handshake with ${where} failed: ${rootMessage(error)}.`, { cause: error });
  }
  if (has('ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE')) {
    return new EngineError('network_error', `${capitalize(where)} closed the connection unexpectedly (${rootMessage(error)}).`, {
      cause: error,
    });
  }
  return new EngineError('network_error', `The request to ${where} failed: ${rootMessage(error)}.`, { cause: error });
}

/**
 * A message past the per-message cap, which mcpscope stopped reading. `detail` is the guard's sentence (it names the
 * cap and MCPSCOPE_MAX_MESSAGE_BYTES); the error adds what the person can do about it.
 */
export function messageTooLarge(detail: string, method?: string, cause?: unknown): EngineError {
  const what = method ? `The server's answer to ${method} was not read: ` : '';
  return new EngineError(
    'message_too_large',
    `${what}${detail} If messages this large are expected, raise the cap: set MCPSCOPE_MAX_MESSAGE_BYTES (in bytes, e.g. 33554432 for 32 MB) in mcpscope's environment and restart it.`,
    cause === undefined ? undefined : { cause },
  );
}

function rootMessage(error: unknown): string {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    if (current.message && current.message !== 'fetch failed') message = current.message;
    current = current.cause;
  }
  return message;
}

function describeTarget(target: string): string {
  try {
    return new URL(target).host;
  } catch {
    return target;
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A short, human description of a response body for error messages: the HTML title, or the first line. */
export function describeBody(contentType: string | undefined, snippet: string | undefined): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase() || 'no content type';
  if (!snippet) return type === 'no content type' ? 'an empty body' : `an empty ${type} body`;
  if (looksLikeHtml(contentType, snippet)) {
    const title = /<title[^>]*>([^<]{1,120})<\/title>/i.exec(snippet)?.[1]?.trim();
    return title ? `an HTML page titled "${title}"` : 'an HTML page';
  }
  const firstLine = snippet.trim().split(/\r?\n/)[0]!.slice(0, 120);
  return `a ${type} body starting "${firstLine}"`;
}

export function looksLikeHtml(contentType: string | undefined, snippet: string | undefined): boolean {
  if ((contentType ?? '').toLowerCase().includes('text/html')) return true;
  const start = (snippet ?? '').trimStart().slice(0, 64).toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html');
}
