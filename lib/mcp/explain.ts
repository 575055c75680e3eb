// Turns what went wrong (an SDK error plus what the wire saw) into one EngineError a person can act on.
import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError, SseError, UnauthorizedError } from '@modelcontextprotocol/client';
import type { SecretSet } from '../trace';
import { classifyNetworkError, describeBody, EngineError, isEngineError } from './errors';
import type { ResponseObservation, Wire } from './wire';

export interface ExplainContext {
  secrets: SecretSet;
  /** The JSON-RPC method in flight, for the message. */
  method?: string;
  timeoutMs?: number;
  wire?: Wire;
  /** The URL of the event stream the legacy transport listens on, for errors about that stream. */
  streamUrl?: string;
}

type HttpFacts = Pick<ResponseObservation, 'status' | 'statusText' | 'contentType' | 'bodySnippet' | 'wwwAuthenticate' | 'method' | 'url'>;

/** Error messages quote what servers sent, which may echo a credential back: mask like the log does. */
function masked(error: EngineError, secrets: SecretSet): EngineError {
  const message = secrets.maskText(error.message);
  return message === error.message ? error : new EngineError(error.code, message, { status: error.status, cause: error.cause });
}

/** The error an HTTP status means, with the body described. */
export function explainHttpStatus(observation: HttpFacts, secrets: SecretSet): EngineError {
  return masked(describeHttpStatus(observation, secrets), secrets);
}

/** Explains a failure thrown by the SDK (or by fetch underneath it). */
export function explainError(error: unknown, context: ExplainContext): EngineError {
  return masked(describeError(error, context), context.secrets);
}

function describeHttpStatus(observation: HttpFacts, secrets: SecretSet): EngineError {
  const { status } = observation;
  const what = describeBody(observation.contentType, observation.bodySnippet);
  const target = `${observation.method} ${pathOf(observation.url)}`;
  if (status === 401) {
    const challenge = observation.wwwAuthenticate ? ` It answered WWW-Authenticate: ${secrets.maskText(observation.wwwAuthenticate)}` : '';
    return new EngineError(
      'auth_required',
      `The server wants authorization (HTTP 401): add a bearer token or header, or use OAuth.${challenge}`,
      { status },
    );
  }
  if (status === 403) {
    return new EngineError(
      'forbidden',
      `The server refused access (HTTP 403 Forbidden) to ${target}: the credentials were not accepted for this resource, or lack a scope.`,
      { status },
    );
  }
  if (status >= 200 && status < 300) {
    return new EngineError(
      'not_mcp',
      `The server answered ${target} with ${what} instead of MCP (JSON-RPC as JSON or an event stream). Is this the MCP endpoint? It is often at a path like /mcp or /sse.`,
      { status },
    );
  }
  if (status >= 300 && status < 400) {
    return new EngineError('http_error', `The server redirected ${target} (HTTP ${status}); only same-origin redirects are followed.`, {
      status,
    });
  }
  if (status === 404 && /-32001|session not found/i.test(observation.bodySnippet ?? '')) {
    return new EngineError(
      'http_error',
      'The server no longer knows this session (HTTP 404, session not found): it may have restarted or expired it. Reconnect to start a new session.',
      { status },
    );
  }
  const statusText = observation.statusText ? ` ${observation.statusText}` : '';
  return new EngineError('http_error', `The server answered ${target} with HTTP ${status}${statusText} and ${what}.`, { status });
}

function describeError(error: unknown, context: ExplainContext): EngineError {
  if (isEngineError(error)) return error;
  const wire = context.wire;
  const last = wire?.lastObservation;
  const method = context.method ? `${context.method}` : 'the request';

  const network = findNetworkCause(error);
  if (network) return classifyNetworkError(network, last?.url);
  if (error instanceof SseError && error.code === undefined && wire?.lastNetworkError) return wire.lastNetworkError;
  if (error instanceof SseError && error.code === undefined && !hasSseDetail(error)) {
    // EventSource reports "the stream ended" as an error event with no message ("SSE error: undefined").
    return new EngineError(
      'stream_closed',
      `${streamName(context.streamUrl)} ended before the server answered ${method}: the server (or a proxy) closed it.`,
    );
  }

  if (error instanceof ProtocolError) {
    return new EngineError('protocol_error', `The server answered ${method} with JSON-RPC error ${error.code}: ${error.message}`);
  }
  if (error instanceof UnauthorizedError)
    return explainHttpStatus(last?.status === 401 ? last : { ...placeholder(last), status: 401 }, context.secrets);
  if (last?.errorLike && isHttpFailure(error)) return explainHttpStatus(last, context.secrets);
  if (error instanceof SdkHttpError) {
    const data = error.data as { status?: number; statusText?: string; text?: string } | undefined;
    if (typeof data?.status === 'number') {
      return explainHttpStatus(
        { ...placeholder(last), status: data.status, statusText: data.statusText ?? '', bodySnippet: data.text },
        context.secrets,
      );
    }
  }
  if (error instanceof SseError && typeof error.code === 'number') {
    return explainHttpStatus({ ...placeholder(last), method: 'GET', status: error.code, statusText: '' }, context.secrets);
  }
  if (hasParseFailure(error)) {
    return new EngineError('invalid_response', `The server's answer to ${method} is not valid JSON-RPC: ${rootMessage(error)}`);
  }
  if (error instanceof SdkError) {
    switch (error.code) {
      case SdkErrorCode.RequestTimeout: {
        const data = error.data as { timeout?: unknown } | undefined;
        const timeoutMs = context.timeoutMs ?? (typeof data?.timeout === 'number' ? data.timeout : undefined);
        const seconds = timeoutMs ? ` within ${formatSeconds(timeoutMs)}` : '';
        return new EngineError('timeout', `The server did not answer ${method}${seconds}.`);
      }
      case SdkErrorCode.ConnectionClosed:
      case SdkErrorCode.NotConnected:
        return new EngineError('stream_closed', `The connection closed before the server answered ${method}.`);
      case SdkErrorCode.MethodNotSupportedByProtocolVersion:
        return new EngineError('unsupported_method', `${error.message}. The SDK refuses to send it on this connection.`);
      case SdkErrorCode.ClientHttpUnexpectedContent:
        return last ? explainHttpStatus(last, context.secrets) : new EngineError('not_mcp', error.message);
      default:
        return new EngineError('protocol_error', error.message, { cause: error });
    }
  }
  // Keep the original (e.g. an OAuth failure raised inside the transport's fetch) so callers can act on it.
  return new EngineError('protocol_error', error instanceof Error ? error.message : String(error), { cause: error });
}

/** What the MCP client reported out of band, as a finding, or undefined when it is not worth one. */
export interface SdkReport {
  code: string;
  severity: 'info' | 'warning' | 'error';
  message: string;
}

/**
 * Decides what an error the SDK reports out of band (`Client.onerror`) tells a person. Event-stream trouble is
 * dropped: the wire already records it from the bytes themselves (a `stream_dropped` finding on the exchange, a
 * failed `reconnect` phase, `connection_lost` when it gives up), so the SDK's copy would only repeat it, often as
 * a bare "SSE error: undefined". Errors without a message get one that says what was going on.
 */
export function describeSdkReport(error: Error, context: { secrets: SecretSet; wire?: Wire; streamUrl?: string }): SdkReport | undefined {
  const message = error.message ?? '';
  if (error instanceof SseError) return undefined;
  if (/^(SSE stream disconnected|Failed to reconnect SSE stream):/.test(message)) return undefined;
  const givenUp = /^Maximum reconnection attempts \((\d+)\) exceeded/.exec(message);
  if (givenUp) {
    return {
      code: 'stream_given_up',
      severity: 'warning',
      message:
        `An event stream from the server could not be re-opened after ${givenUp[1]} attempts (each a failed reconnect step on the timeline), and the MCP client stopped trying. ` +
        `If it was the standing GET stream${context.streamUrl ? ` (GET ${pathOf(context.streamUrl)})` : ''}, the server's own messages (notifications, requests to mcpscope) can now arrive only inside POST responses; reconnect the session to get it back.`,
    };
  }
  if (message.trim() === '' || /^(undefined|null|\[object Object\])$/.test(message.trim())) {
    const last = context.wire?.lastObservation;
    const during = last ? ` The last exchange was ${last.method} ${pathOf(last.url)} (HTTP ${last.status}).` : '';
    return {
      code: 'client_error',
      severity: 'warning',
      message: `The MCP client reported an error (${error.name || 'Error'}) without any description.${during} The traffic and timeline around this moment show what the server sent.`,
    };
  }
  // "fetch failed" alone names nothing: the system error underneath (refused, DNS, certificate…) does.
  const network = findNetworkCause(error) ?? (/\bfetch failed\b/.test(message) ? error : undefined);
  if (network) {
    const named = classifyNetworkError(network, context.streamUrl);
    return {
      code: named.code,
      severity: 'warning',
      message: `The MCP client could not reach the server: ${context.secrets.maskText(named.message)}`,
    };
  }
  return { code: 'client_error', severity: 'warning', message: `The MCP client reported: ${context.secrets.maskText(message)}` };
}

/** Whether an SseError says anything beyond "SSE error: undefined". */
function hasSseDetail(error: SseError): boolean {
  return !/^SSE error: (undefined|)$/.test(error.message);
}

function streamName(url: string | undefined, fallback = 'The legacy SSE event stream'): string {
  return url ? `${fallback} (GET ${pathOf(url)})` : fallback;
}

function placeholder(last: ResponseObservation | undefined): Omit<ResponseObservation, 'status' | 'errorLike'> {
  return {
    method: last?.method ?? 'POST',
    url: last?.url ?? '',
    statusText: last?.statusText ?? '',
    contentType: last?.contentType,
    bodySnippet: last?.bodySnippet,
    wwwAuthenticate: last?.wwwAuthenticate,
  };
}

/** Errors that came from an HTTP answer (as opposed to a JSON-RPC error or a timeout). */
function isHttpFailure(error: unknown): boolean {
  if (error instanceof SdkHttpError || error instanceof SseError || error instanceof UnauthorizedError) return true;
  if (error instanceof SdkError) {
    return (
      error.code === SdkErrorCode.ClientHttpUnexpectedContent ||
      error.code === SdkErrorCode.EraNegotiationFailed ||
      error.code === SdkErrorCode.ClientHttpNotImplemented ||
      error.code === SdkErrorCode.ClientHttpFailedToOpenStream
    );
  }
  return error instanceof Error && /HTTP \d{3}|Non-200 status code|Invalid content type/i.test(error.message);
}

function chain(error: unknown): unknown[] {
  const out: unknown[] = [];
  let current = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    out.push(current);
    current =
      current instanceof Error || (typeof current === 'object' && current !== null) ? (current as { cause?: unknown }).cause : undefined;
  }
  return out;
}

/** Node's fetch throws `TypeError('fetch failed')` with the system error in `cause`. */
function findNetworkCause(error: unknown): unknown {
  return chain(error).find((item) => item instanceof TypeError && (item.message === 'fetch failed' || item.cause !== undefined));
}

function hasParseFailure(error: unknown): boolean {
  return chain(error).some((item) => item instanceof Error && (item.name === 'SyntaxError' || item.name.includes('ZodError')));
}

function rootMessage(error: unknown): string {
  const items = chain(error).filter((item): item is Error => item instanceof Error);
  const last = items.at(-1);
  const message = last?.message ?? String(error);
  return message.length > 300 ? `${message.slice(0, 297)}...` : message;
}

/** A URL's path and query, as findings and explanations name an exchange (the URL itself when it does not parse). */
export function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
