// Wire findings: reads a session log as it grows and names what a server did wrong on the wire that neither
// the SDK nor the recorder reports: HTML or unexpected content types, SSE events without data, responses to
// ids never sent (or sent twice), a result and an error in one message, notification floods, redirect loops
// and cross-origin redirects, 401s without a usable WWW-Authenticate, responses cut off or never finished,
// and a server that forgot its session. Each finding names the violation with a stable code.
// Findings are about the server: a stream or response that ends because mcpscope disconnected (the DELETE
// that ends the server session, closing the transport) is mcpscope's own doing and is never reported.
import type { TraceLog } from '../trace';
import type { HeaderList, TraceError, TraceEvent } from '../trace/types';
import { checkServerUrl, UNSAFE_URL_CODE } from '../url-policy';
import { pathOf } from './explain';

export interface WireFindingsOptions {
  /**
   * The server answered 404 to a request carrying its session id: the server session is gone (restart or
   * expiry). Called once per lost session id.
   */
  onServerSessionLost?: (error: TraceError) => void;
  /** Incoming notifications within one second that count as a flood. Default 200. */
  floodPerSecond?: number;
}

interface Exchange {
  method: string;
  url: string;
  purpose: string;
  startT: number;
  sessionId?: string;
  /** The Last-Event-ID a GET stream was re-opened with. */
  resumeFrom?: string;
  status?: number;
  responseT?: number;
  contentType?: string;
  ended: boolean;
  framesWithoutData: number;
  noted: Set<string>;
}

type RpcId = string | number;

const MAX_TRACKED = 2_000;
/** JSON-RPC error code of URLElicitationRequiredError (MCP 2025-11-25, client/elicitation). */
const URL_ELICITATION_REQUIRED = -32042;
const MCP_PURPOSES = new Set(['mcp', 'mcp-stream', 'probe']);

function header(headers: HeaderList, name: string): string | undefined {
  return headers.find(([n]) => n === name)?.[1];
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function idKey(id: RpcId): string {
  return `${typeof id}:${String(id)}`;
}

/** Starts watching; returns the function that stops. Findings go into the same log. */
export function watchWireFindings(log: TraceLog, options: WireFindingsOptions = {}): () => void {
  const exchanges = new Map<string, Exchange>();
  const outstanding = new Set<string>();
  /** Answered request ids: the answer's JSON and the exchange it came on (a second copy may be a POST-body echo). */
  const answered = new Map<string, { json: string; exchangeId: string | undefined }>();
  /** HTTP method by exchange, kept past the exchange's end (a POST body's messages are read after it ends). */
  const methodOf = new Map<string, string>();
  const redirects = new Map<string, string>();
  const reportedLoops = new Set<string>();
  const lostSessions = new Set<string>();
  const floodLimit = options.floodPerSecond ?? 200;
  let notificationTimes: number[] = [];
  let floodNoted = false;
  const once = new Set<string>();
  /**
   * Set from the moment mcpscope starts disconnecting until it connects again: streams and responses that end
   * then were ended by us (DELETE, closing the transport), so they say nothing about the server.
   */
  let closingByUs = false;
  /** Server sessions mcpscope asked to end with DELETE: the server closing their streams is the expected answer. */
  const endedByUs = new Set<string>();

  const note = (severity: 'info' | 'warning' | 'error', code: string, message: string, exchangeId?: string) => {
    log.finding(severity, code, message, exchangeId !== undefined ? { exchangeId } : {});
  };
  const remember = <K, V>(map: Map<K, V> | Set<K>, limit = MAX_TRACKED) => {
    if (map.size <= limit) return;
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  };

  const onResponse = (event: Extract<TraceEvent, { kind: 'http.response' }>) => {
    const exchange = exchanges.get(event.exchangeId);
    if (!exchange) return;
    exchange.status = event.status;
    exchange.responseT = event.t;
    exchange.contentType = header(event.headers, 'content-type');
    const where = `${exchange.method} ${pathOf(exchange.url)}`;
    const type = mediaType(exchange.contentType);
    const status = event.status;

    if (exchange.purpose === 'oauth') {
      if (status >= 200 && status < 300 && type === 'text/html') {
        note(
          'error',
          'oauth_html_response',
          `The authorization server answered ${where} with an HTML page (HTTP ${status}) where OAuth requires JSON (RFC 6749 §5.1 for tokens, RFC 8414 for metadata). It is often a login page, a proxy's error page or a wrong URL.`,
          event.exchangeId,
        );
      }
      return;
    }
    if (!MCP_PURPOSES.has(exchange.purpose)) return;

    if (exchange.resumeFrom !== undefined && status === 200 && type === 'text/event-stream') {
      note(
        'info',
        'stream_resumed',
        `The event stream ${where} was re-opened with Last-Event-ID ${exchange.resumeFrom} and the server accepted it: events sent after ${exchange.resumeFrom} while the stream was down are replayed, so none is lost.`,
        event.exchangeId,
      );
    }
    if (status === 401) checkChallenge(header(event.headers, 'www-authenticate'), where, event.exchangeId);
    if (status >= 300 && status < 400) onRedirect(exchange, header(event.headers, 'location'), where, event.exchangeId);
    // A 404 for a session we ended ourselves is the server agreeing, not the server forgetting it.
    if (status === 404 && exchange.method !== 'DELETE' && !(exchange.sessionId !== undefined && endedByUs.has(exchange.sessionId))) {
      onNotFound(exchange, where, event.exchangeId);
    }

    if (type === 'text/html' && (status >= 500 || (status >= 200 && status < 300))) {
      if (status >= 500) {
        note(
          'error',
          'html_error_page',
          `${where} was answered with an HTML error page (HTTP ${status}${event.statusText ? ` ${event.statusText}` : ''}) instead of JSON-RPC: a proxy or gateway in front of the server answered, or the server crashed.`,
          event.exchangeId,
        );
      } else {
        note(
          'warning',
          'html_instead_of_mcp',
          `${where} was answered with an HTML page (HTTP ${status}) instead of JSON-RPC: this URL serves a web page, not an MCP endpoint.`,
          event.exchangeId,
        );
      }
      return;
    }
    if (status >= 500) {
      note(
        'warning',
        'server_error_status',
        `${where} failed on the server with HTTP ${status}${event.statusText ? ` ${event.statusText}` : ''}.`,
        event.exchangeId,
      );
      return;
    }
    const expectsBody = status === 200 || status === 201;
    if (expectsBody && exchange.method === 'POST' && type !== 'application/json' && type !== 'text/event-stream') {
      note(
        'warning',
        'unexpected_content_type',
        `${where} was answered with HTTP ${status} and Content-Type ${exchange.contentType ? `"${exchange.contentType}"` : '(none)'}; Streamable HTTP allows only application/json or text/event-stream for a response carrying JSON-RPC.`,
        event.exchangeId,
      );
    } else if (expectsBody && exchange.method === 'GET' && exchange.purpose === 'mcp-stream' && type !== 'text/event-stream') {
      note(
        'warning',
        'unexpected_content_type',
        `The event stream ${where} was answered with Content-Type ${exchange.contentType ? `"${exchange.contentType}"` : '(none)'} instead of text/event-stream.`,
        event.exchangeId,
      );
    }
  };

  const checkChallenge = (value: string | undefined, where: string, exchangeId: string) => {
    if (value === undefined) {
      note(
        'warning',
        'missing_www_authenticate',
        `${where} was answered HTTP 401 without a WWW-Authenticate header. HTTP requires one with every 401 (RFC 9110 §11.6.1), and MCP clients learn where to authorize from it (resource_metadata); only the well-known metadata URLs are left to try.`,
        exchangeId,
      );
      return;
    }
    const problem = challengeProblem(value);
    if (problem) {
      note(
        'warning',
        'malformed_www_authenticate',
        `${where} was answered HTTP 401 with a WWW-Authenticate header that does not parse (${problem}): ${value.length > 200 ? `${value.slice(0, 197)}...` : value}`,
        exchangeId,
      );
    }
  };

  const onRedirect = (exchange: Exchange, location: string | undefined, where: string, exchangeId: string) => {
    if (!location) {
      note(
        'warning',
        'redirect_without_location',
        `${where} was answered with a redirect (HTTP ${exchange.status}) but no Location header.`,
        exchangeId,
      );
      return;
    }
    let target: URL;
    let from: URL;
    try {
      from = new URL(exchange.url);
      target = new URL(location, from);
    } catch {
      note('warning', 'redirect_without_location', `${where} was redirected to "${location}", which is not a URL.`, exchangeId);
      return;
    }
    if (target.origin !== from.origin && !once.has(`cross:${from.origin}>${target.origin}`)) {
      once.add(`cross:${from.origin}>${target.origin}`);
      note(
        'warning',
        'redirect_cross_origin',
        `${where} was redirected to another origin, ${target.origin}. mcpscope does not follow cross-origin redirects for MCP traffic (messages and credentials stay with the server you chose); if that server is the intended one, connect to ${target.origin}${target.pathname} directly.`,
        exchangeId,
      );
    }
    redirects.set(from.href, target.href);
    remember(redirects, 200);
    // Walk the redirects seen so far from the target: coming back to the start is a loop.
    const chain = [from.href, target.href];
    let current = target.href;
    for (let step = 0; step < 20; step++) {
      const next = redirects.get(current);
      if (next === undefined) return;
      chain.push(next);
      if (next === from.href || chain.indexOf(next) < chain.length - 1) {
        const key = [...new Set(chain)].sort().join(' ');
        if (reportedLoops.has(key)) return;
        reportedLoops.add(key);
        note(
          'error',
          'redirect_loop',
          `The server redirects in a loop: ${chain.map(pathOf).join(' → ')}. The request can never reach an MCP endpoint.`,
          exchangeId,
        );
        return;
      }
      current = next;
    }
  };

  const onNotFound = (exchange: Exchange, where: string, exchangeId: string) => {
    let legacySession: string | undefined;
    try {
      legacySession = new URL(exchange.url).searchParams.get('sessionId') ?? undefined;
    } catch {
      legacySession = undefined;
    }
    const sessionId = exchange.sessionId ?? (exchange.method === 'POST' ? legacySession : undefined);
    if (sessionId === undefined || lostSessions.has(sessionId)) return;
    lostSessions.add(sessionId);
    const message =
      `The server answered ${where} with HTTP 404 for its own session id: it no longer knows this session (it restarted, or expired the session). ` +
      'The log so far is kept; reconnect to start a new server session.';
    note('error', 'server_session_lost', message, exchangeId);
    options.onServerSessionLost?.({ code: 'server_session_lost', message });
  };

  const onRpc = (event: Extract<TraceEvent, { kind: 'rpc' }>) => {
    if (event.direction === 'out') {
      if (event.type === 'request' && event.id !== undefined) {
        const key = idKey(event.id);
        outstanding.add(key);
        answered.delete(key);
        remember(outstanding);
      }
      return;
    }
    const message = event.message as Record<string, unknown> | undefined;
    if (message && typeof message === 'object' && 'result' in message && 'error' in message && !once.has(`both:${String(event.id)}`)) {
      once.add(`both:${String(event.id)}`);
      note(
        'error',
        'result_and_error',
        `The server's response to id ${JSON.stringify(event.id ?? null)} carries both "result" and "error"; JSON-RPC 2.0 (§5) says exactly one of them. mcpscope reads it as an error.`,
        event.exchangeId,
      );
    }
    if (event.type === 'notification') {
      onNotification(event.t, event.exchangeId);
      return;
    }
    if (event.type === 'error') onUrlElicitationRequired(message, event.exchangeId);
    if ((event.type !== 'result' && event.type !== 'error') || event.id === undefined) return;
    const key = idKey(event.id);
    if (outstanding.delete(key)) {
      answered.set(key, { json: JSON.stringify(answerPart(message)), exchangeId: event.exchangeId });
      remember(answered);
      return;
    }
    const first = answered.get(key);
    if (first) {
      if (isPostBodyEcho(first, event.exchangeId, JSON.stringify(answerPart(message)))) {
        if (!once.has('answer_in_post_body')) {
          once.add('answer_in_post_body');
          note(
            'info',
            'answer_in_post_body',
            `The server answers each request twice: on the SSE stream, as the legacy HTTP+SSE transport (2024-11-05) says, and again in the body of the POST that carried it (the transport expects 202 Accepted with no JSON-RPC there). The two copies are identical, so mcpscope shows both against their request and uses one; clients that read only the stream are unaffected.`,
            event.exchangeId,
          );
        }
        return;
      }
      note(
        'error',
        'duplicate_response_id',
        `The server sent a second response for id ${JSON.stringify(event.id)}, which was already answered. Each request gets exactly one response (JSON-RPC 2.0 §5); the duplicate is ignored.`,
        event.exchangeId,
      );
      return;
    }
    note(
      'error',
      'unknown_response_id',
      `The server sent a response for id ${JSON.stringify(event.id)}, but mcpscope never sent a request with that id. A response must carry the id of the request it answers (JSON-RPC 2.0 §5); this one cannot be matched and is dropped.`,
      event.exchangeId,
    );
  };

  /** JSON-RPC -32042: the pages the person is asked to open must be https/http pages (lib/url-policy). */
  const onUrlElicitationRequired = (message: Record<string, unknown> | undefined, exchangeId: string | undefined) => {
    const error = message?.error as { code?: unknown; data?: { elicitations?: unknown } } | undefined;
    if (error?.code !== URL_ELICITATION_REQUIRED || !Array.isArray(error.data?.elicitations)) return;
    error.data.elicitations.forEach((entry: unknown, index) => {
      const url = (entry as { url?: unknown } | null)?.url;
      const verdict = checkServerUrl(url, { what: `elicitations[${index}].url of the -32042 (URL elicitation required) error` });
      if (!verdict.ok) note('error', UNSAFE_URL_CODE, `${verdict.message} mcpscope lists it but offers no link to open.`, exchangeId);
    });
  };

  /** A repeated answer that is the same answer, one copy on a stream and the other in a POST response body. */
  const isPostBodyEcho = (
    first: { json: string; exchangeId: string | undefined },
    exchangeId: string | undefined,
    json: string,
  ): boolean => {
    if (first.json !== json || first.exchangeId === undefined || exchangeId === undefined || first.exchangeId === exchangeId) return false;
    const a = methodOf.get(first.exchangeId);
    const b = methodOf.get(exchangeId);
    return (a === 'GET' && b === 'POST') || (a === 'POST' && b === 'GET');
  };

  const onNotification = (t: number, exchangeId: string | undefined) => {
    if (floodNoted) return;
    notificationTimes.push(t);
    const cutoff = t - 1000;
    if (notificationTimes.length > floodLimit * 2) notificationTimes = notificationTimes.filter((time) => time >= cutoff);
    let inWindow = 0;
    for (let i = notificationTimes.length - 1; i >= 0 && notificationTimes[i]! >= cutoff; i--) inWindow += 1;
    if (inWindow > floodLimit) {
      floodNoted = true;
      note(
        'warning',
        'notification_flood',
        `The server sent more than ${floodLimit} notifications within one second. mcpscope handles every one, but past a burst the session log keeps only some of them and counts the rest (see notifications_folded); a client this busy is a client that stops responding.`,
        exchangeId,
      );
    }
  };

  const onFrame = (event: Extract<TraceEvent, { kind: 'sse.frame' }>) => {
    if (event.data !== undefined || event.comment !== undefined || event.retry !== undefined || event.incomplete) return;
    const exchange = exchanges.get(event.exchangeId);
    if (!exchange) return;
    exchange.framesWithoutData += 1;
    if (exchange.noted.has('sse_without_data')) return;
    exchange.noted.add('sse_without_data');
    note(
      'warning',
      'sse_without_data',
      `The event stream of ${exchange.method} ${pathOf(exchange.url)} sent an event with no data field (${JSON.stringify(event.raw.slice(0, 80))}). An SSE event without data is never delivered, so it carries no JSON-RPC message.`,
      event.exchangeId,
    );
  };

  const onEnd = (event: Extract<TraceEvent, { kind: 'http.end' }>) => {
    const exchange = exchanges.get(event.exchangeId);
    if (!exchange) return;
    exchange.ended = true;
    exchanges.delete(event.exchangeId);
    if (event.aborted || exchange.status === undefined || !MCP_PURPOSES.has(exchange.purpose)) return;
    if (closingByUs || (exchange.sessionId !== undefined && endedByUs.has(exchange.sessionId))) return;
    if (exchange.method === 'GET' && exchange.status === 200 && mediaType(exchange.contentType) === 'text/event-stream') {
      note(
        'warning',
        'stream_dropped',
        `The server's event stream ${exchange.method} ${pathOf(exchange.url)} ended after ${event.bytes} bytes${event.error ? ` (${event.error.message})` : ''}. ` +
          'mcpscope reconnects with Last-Event-ID and backoff; each attempt is a reconnect step on the timeline.',
        event.exchangeId,
      );
      return;
    }
    if (!event.error) return;
    // The guard already named a response it cut short on purpose.
    if (event.error.message.includes('MCPSCOPE_MAX_MESSAGE_BYTES')) return;
    note(
      'error',
      'response_cut_off',
      `The server's response to ${exchange.method} ${pathOf(exchange.url)} (HTTP ${exchange.status}) broke off after ${event.bytes} bytes: ${event.error.message}`,
      event.exchangeId,
    );
  };

  const onPhase = (event: Extract<TraceEvent, { kind: 'phase' }>) => {
    if (event.status === 'started' && event.name === 'disconnect') closingByUs = true;
    if (event.status === 'started' && event.name === 'connect') closingByUs = false;
    if (event.status !== 'failed' || event.error?.code !== 'timeout') return;
    for (const [exchangeId, exchange] of exchanges) {
      if (exchange.ended || !MCP_PURPOSES.has(exchange.purpose) || exchange.noted.has('timeout')) continue;
      if (exchange.method === 'GET' && exchange.purpose === 'mcp-stream' && exchange.status !== undefined) continue; // a standing stream is meant to stay open
      exchange.noted.add('timeout');
      const where = `${exchange.method} ${pathOf(exchange.url)}`;
      const waited = ((event.t - exchange.startT) / 1000).toFixed(1);
      if (exchange.status === undefined) {
        note(
          'error',
          'no_response',
          `${where} got no response at all within ${waited} s: the server accepted the connection and never answered.`,
          exchangeId,
        );
      } else {
        note(
          'error',
          'response_stalled',
          `${where} was answered (HTTP ${exchange.status}) after ${((exchange.responseT! - exchange.startT) / 1000).toFixed(1)} s, but its body had not finished ${waited} s after the request: the server sends it too slowly (or stalls mid-way).`,
          exchangeId,
        );
      }
    }
  };

  const onEvent = (event: TraceEvent) => {
    switch (event.kind) {
      case 'http.request': {
        const sessionId = header(event.headers, 'mcp-session-id');
        const resumeFrom = event.method === 'GET' ? header(event.headers, 'last-event-id') : undefined;
        exchanges.set(event.exchangeId, {
          ...(resumeFrom !== undefined ? { resumeFrom } : {}),
          method: event.method,
          url: event.url,
          purpose: event.purpose,
          startT: event.t,
          ...(sessionId !== undefined ? { sessionId } : {}),
          ended: false,
          framesWithoutData: 0,
          noted: new Set(),
        });
        remember(exchanges);
        if (event.method === 'DELETE' && sessionId !== undefined && MCP_PURPOSES.has(event.purpose)) {
          endedByUs.add(sessionId);
          remember(endedByUs, 200);
        }
        methodOf.set(event.exchangeId, event.method);
        remember(methodOf);
        break;
      }
      case 'http.response':
        onResponse(event);
        break;
      case 'http.end':
        onEnd(event);
        break;
      case 'sse.frame':
        onFrame(event);
        break;
      case 'rpc':
        onRpc(event);
        break;
      case 'phase':
        onPhase(event);
        break;
      default:
        break;
    }
  };

  const safe = (event: TraceEvent) => {
    try {
      onEvent(event);
    } catch (error) {
      console.error('wire findings failed', error);
    }
  };
  for (const event of log.events()) safe(event);
  return log.subscribe(safe);
}

const TCHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/**
 * What is wrong with a WWW-Authenticate value (RFC 9110 §11.6.1 challenge grammar), or undefined when it
 * parses. A Bearer challenge's resource_metadata must also be an absolute URL (RFC 9728 §5.1).
 */
export function challengeProblem(value: string): string | undefined {
  let pos = 0;
  const text = value;
  const at = () => text[pos];
  const skip = (chars: RegExp) => {
    while (pos < text.length && chars.test(text[pos]!)) pos++;
  };
  const token = (): string => {
    const start = pos;
    while (pos < text.length && TCHAR.test(text[pos]!)) pos++;
    return text.slice(start, pos);
  };
  const quoted = (): string | undefined => {
    pos++; // opening quote
    let out = '';
    while (pos < text.length) {
      const c = text[pos++]!;
      if (c === '\\') {
        if (pos >= text.length) return undefined;
        out += text[pos++];
      } else if (c === '"') return out;
      else out += c;
    }
    return undefined;
  };
  let scheme: string | undefined;
  let sawScheme = false;
  const params = new Map<string, string>();
  while (pos < text.length) {
    skip(/[ \t,]/);
    if (pos >= text.length) break;
    const name = token();
    if (!name) return `unexpected character ${JSON.stringify(at())} at position ${pos}`;
    skip(/[ \t]/);
    if (at() === '=') {
      if (!sawScheme) return `a parameter (${name}) comes before any auth scheme`;
      pos++;
      skip(/[ \t]/);
      let paramValue: string | undefined;
      if (at() === '"') {
        paramValue = quoted();
        if (paramValue === undefined) return `the quoted value of ${name} is never closed`;
      } else {
        paramValue = token();
        if (!paramValue) return `${name}= has no value`;
      }
      if (scheme?.toLowerCase() === 'bearer') params.set(name.toLowerCase(), paramValue);
      skip(/[ \t]/);
      if (pos < text.length && at() !== ',') return `unexpected ${JSON.stringify(at())} after the value of ${name}`;
      continue;
    }
    // An auth scheme, optionally followed by a token68.
    scheme = name;
    sawScheme = true;
    skip(/[ \t]/);
    const token68 = /^[A-Za-z0-9\-._~+/]+=*(?=[ \t]*(,|$))/.exec(text.slice(pos));
    if (
      token68 &&
      !text
        .slice(pos + token68[0].length)
        .trimStart()
        .startsWith('=')
    )
      pos += token68[0].length;
    skip(/[ \t]/);
  }
  if (!sawScheme) return 'it names no auth scheme';
  const metadata = params.get('resource_metadata');
  if (metadata !== undefined) {
    try {
      const url = new URL(metadata);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return `resource_metadata is not an http(s) URL: ${metadata}`;
    } catch {
      return `resource_metadata is not an absolute URL: ${metadata}`;
    }
  }
  return undefined;
}

/** The part of a response that answers: its result or error, whatever else differs. */
function answerPart(message: Record<string, unknown> | undefined): unknown {
  if (!message || typeof message !== 'object') return null;
  return 'error' in message ? { error: message.error } : { result: message.result };
}
