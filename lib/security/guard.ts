// The fetch underneath every server-side request to an MCP or OAuth server (the recorder wraps it). It
// enforces where requests may go (hosted mode: after DNS resolution, at connect time, and on every redirect
// it follows) and how much of a response mcpscope will read (after decompression), so a hostile server can
// neither aim mcpscope at an internal network nor exhaust its memory. Server-side only.
import { isUtf8 } from 'node:buffer';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { CodedError } from '../errors';
import { createHttpFetch, encodedBytesRead, filterBody, httpFetch } from '../http-client';
import { DEFAULT_SECURITY_LIMITS, type SecurityLimits } from './settings';
import { decideAddresses, decideTargetUrl, type ResolvedAddress, type TargetDecision, type TargetPolicy } from './targets';
import { formatSize } from './limits';

export type GuardErrorCode =
  'ETARGETFORBIDDEN' | 'ERESPONSETOOLARGE' | 'EREDIRECTLOOP' | 'ETOOMANYREDIRECTS' | 'EHEADERSTOOLARGE' | 'EREDIRECTBODY';

/** A refusal by the guard. `code` reads like a system error code so network-error classifiers can name it. */
export class GuardError extends CodedError<GuardErrorCode> {
  constructor(code: GuardErrorCode, message: string) {
    super('GuardError', code, message);
  }
}

export interface GuardFinding {
  severity: 'info' | 'warning' | 'error';
  code: string;
  message: string;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface GuardOptions {
  policy: TargetPolicy;
  /** `maxCompressionRatio` defaults to DEFAULT_SECURITY_LIMITS'. */
  limits: Pick<SecurityLimits, 'maxMessageBytes' | 'maxRedirects'> & Partial<Pick<SecurityLimits, 'maxCompressionRatio'>>;
  /**
   * The fetch that sends; default lib/http-client's (node:http), whose connections in hosted mode resolve names
   * through the target policy. A fetch given here gets the pre-connect check only.
   */
  fetch?: typeof fetch;
  /** Name resolution; default node:dns lookup (every address). Tests pass a fake. */
  resolve?: Resolver;
  /** Told about every refusal and every response cut short (the session log turns them into findings). */
  report?: (finding: GuardFinding) => void;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
      if (error) reject(error);
      else resolve(addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })));
    });
  });

/** What fetch itself throws for a network failure, so callers that read `cause` chains see the guard's reason. */
function fetchFailed(cause: GuardError): TypeError {
  return new TypeError('fetch failed', { cause });
}

function urlOf(input: RequestInfo | URL): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

export function createGuardedFetch(options: GuardOptions): typeof fetch {
  const { policy, limits } = options;
  const resolve = options.resolve ?? systemResolver;
  const report = (finding: GuardFinding) => {
    try {
      options.report?.(finding);
    } catch {
      // reporting must never break the request
    }
  };
  const pinned = () => sharedPinnedFetch(policy, resolve);

  const checkTarget = async (url: URL): Promise<TargetDecision> => {
    let decision: TargetDecision | undefined = decideTargetUrl(url, policy);
    if (!decision) {
      let addresses: ResolvedAddress[];
      try {
        addresses = await resolve(url.hostname);
      } catch {
        // Unresolvable names fail in fetch itself with the usual "host not found" explanation.
        return { allowed: true, reason: 'public' };
      }
      decision = decideAddresses(url.hostname, addresses, policy);
    }
    if (!decision.allowed) {
      report({ severity: 'error', code: 'target_forbidden', message: `${decision.message} (URL: ${url.origin}${url.pathname})` });
      throw fetchFailed(new GuardError('ETARGETFORBIDDEN', decision.message));
    }
    return decision;
  };

  /** The response, and `release` to call once it is done with (its body read, cancelled or failed). */
  const send = async (url: URL, init: RequestInit): Promise<{ response: Response; release: () => void }> => {
    const decision = policy.mode === 'hosted' ? await checkTarget(url) : undefined;
    // Connect-time checks see only a host name; mcpscope's own demo server is allowed by its URL, not its address.
    const pin = decision && decision.allowed && decision.reason !== 'self-demo';
    const base = options.fetch ?? (pin ? pinned() : httpFetch);
    const followed = followSignal(init.signal);
    try {
      return { response: await base(url.href, { ...init, signal: followed.signal }), release: followed.release };
    } catch (error) {
      followed.release();
      if (hasCode(error, 'HPE_HEADER_OVERFLOW') || hasCode(error, 'UND_ERR_HEADERS_OVERFLOW')) {
        const message = `The server at ${url.host} sent response headers larger than Node's limit (about 16 KB), so the response was refused before reading it.`;
        report({ severity: 'error', code: 'headers_too_large', message });
        throw fetchFailed(new GuardError('EHEADERSTOOLARGE', message));
      }
      throw error;
    }
  };

  const guarded = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const mode = init?.redirect ?? request?.redirect ?? 'follow';
    let url = new URL(urlOf(input));
    let method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    let current: RequestInit = { ...init, method, redirect: 'manual' };
    if (request && !init?.headers) current.headers = request.headers;
    if (request && init?.body === undefined && request.body) {
      current.body = request.body;
      (current as RequestInit & { duplex?: string }).duplex = 'half';
    }
    const visited = [url.href];
    for (let hops = 0; ; hops++) {
      const { response, release } = await send(url, current);
      const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null;
      if (mode !== 'follow' || !location) {
        if (mode === 'error' && location) {
          release();
          throw new TypeError('fetch failed', { cause: new Error(`redirect to ${location} refused (redirect: "error")`) });
        }
        return capResponse(response, limits.maxMessageBytes, report, visited.length > 1, release, limits.maxCompressionRatio);
      }
      const next = new URL(location, url);
      await response.body?.cancel().catch(() => undefined);
      release();
      if (visited.includes(next.href)) {
        const chain = [...visited, next.href].join(' → ');
        report({ severity: 'error', code: 'redirect_loop', message: `The server redirects in a loop: ${chain}.` });
        throw fetchFailed(new GuardError('EREDIRECTLOOP', `The server redirects in a loop (${chain}).`));
      }
      if (hops + 1 > limits.maxRedirects) {
        const message = `The server redirected more than ${limits.maxRedirects} times (MCPSCOPE_MAX_REDIRECTS); the last hop was to ${next.href}.`;
        report({ severity: 'error', code: 'too_many_redirects', message });
        throw fetchFailed(new GuardError('ETOOMANYREDIRECTS', message));
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw fetchFailed(
          new GuardError('ETARGETFORBIDDEN', `The server redirected to a ${next.protocol} URL, which mcpscope does not follow.`),
        );
      }
      current = redirectedInit(current, response.status, method, url, next);
      method = (current.method ?? 'GET').toUpperCase();
      url = next;
      visited.push(next.href);
    }
  };
  return guarded as typeof fetch;
}

/**
 * A signal for one request that follows `outer` only while the request lives. undici keeps its abort listener
 * on a request's signal until the Request object is garbage-collected, and the SDK passes its transport's
 * long-lived signal to every fetch: left as is, that signal gathers thousands of listeners (each new request
 * then pays to count them, and memory grows until a major GC).
 */
function followSignal(outer: AbortSignal | null | undefined): { signal: AbortSignal | undefined; release: () => void } {
  if (!outer || outer.aborted) return { signal: outer ?? undefined, release: () => undefined };
  const controller = new AbortController();
  const onAbort = () => controller.abort(outer.reason);
  outer.addEventListener('abort', onAbort, { once: true });
  return { signal: controller.signal, release: () => outer.removeEventListener('abort', onAbort) };
}

/** As fetch does: 303 (and 301/302 after a POST) become a GET without a body; credentials stay on their origin. */
function redirectedInit(init: RequestInit, status: number, method: string, from: URL, to: URL): RequestInit {
  const headers = new Headers(init.headers);
  const next: RequestInit = { ...init, headers };
  if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
    next.method = 'GET';
    delete next.body;
    for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(name);
  } else if (init.body instanceof ReadableStream) {
    throw fetchFailed(
      new GuardError('EREDIRECTBODY', `The server redirected a ${method} with a streamed body (HTTP ${status}); it cannot be sent again.`),
    );
  }
  if (from.origin !== to.origin) {
    headers.delete('authorization');
    headers.delete('cookie');
    headers.delete('proxy-authorization');
  }
  return next;
}

function hasCode(error: unknown, code: string): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    if ((current as { code?: unknown }).code === code) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

const pinnedFetches = new WeakMap<TargetPolicy, WeakMap<Resolver, typeof fetch>>();

/** One connection pool per policy and resolver (per process, in practice), not one per session. */
function sharedPinnedFetch(policy: TargetPolicy, resolve: Resolver): typeof fetch {
  let byResolver = pinnedFetches.get(policy);
  if (!byResolver) pinnedFetches.set(policy, (byResolver = new WeakMap()));
  let pinned = byResolver.get(resolve);
  if (!pinned) byResolver.set(resolve, (pinned = createHttpFetch({ lookup: pinnedLookup(policy, resolve) })));
  return pinned;
}

/**
 * Name resolution that applies the target policy, used for every connection the pinned fetch opens: the address
 * checked is the address connected to (no window for DNS rebinding between check and connect).
 */
function pinnedLookup(policy: TargetPolicy, resolve: Resolver): LookupFunction {
  type Callback = (
    error: NodeJS.ErrnoException | null,
    address: string | Array<{ address: string; family: number }>,
    family?: number,
  ) => void;
  return ((hostname: string, opts: { all?: boolean }, callback: Callback) => {
    resolve(hostname).then(
      (addresses) => {
        const decision = decideAddresses(hostname, addresses, policy);
        if (!decision.allowed) {
          callback(new GuardError('ETARGETFORBIDDEN', decision.message), '');
          return;
        }
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
          return;
        }
        if (opts?.all)
          callback(
            null,
            addresses.map((a) => ({ address: a.address, family: a.family })),
          );
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  }) as unknown as LookupFunction;
}

/**
 * Reads at most `maxBytes` of a response body, or of each SSE event on an event stream, after
 * decompression; past that it stops reading (the source is cancelled, so decompression stops too) and
 * the body errors. An event stream is handed on whole events at a time, so none of an event past the cap is.
 * Also reports, once, text that is not valid UTF-8.
 */
export function capResponse(
  response: Response,
  maxBytes: number,
  report: (finding: GuardFinding) => void,
  redirected = false,
  /** Called once the body is done: read to the end, failed, cut short or cancelled (at once if there is none). */
  onDone: () => void = () => undefined,
  /** How many times its compressed size the body may expand to (0: unchecked); see `expandsTooFar`. */
  maxRatio: number = DEFAULT_SECURITY_LIMITS.maxCompressionRatio,
): Response {
  const source = response.body;
  if (!source || NULL_BODY_STATUSES.has(response.status)) {
    onDone();
    return response;
  }
  const contentType = (response.headers.get('content-type') ?? '').toLowerCase();
  const encoding = (response.headers.get('content-encoding') ?? '').toLowerCase().trim();
  const isSse = contentType.startsWith('text/event-stream');
  // Only a content-encoded body has a compression ratio: the others never ask the pump for it, chunk after chunk.
  const encoded = encoding !== '' && encoding !== 'identity' && maxRatio > 0;
  const isText = isSse || /json|^text\//.test(contentType);
  const utf8 = isText ? new Utf8Check() : undefined;
  let utf8Checked = !utf8;
  const counter = isSse ? new SseEventCounter() : undefined;
  // On an event stream, each event is handed on only once its blank line came: an event past the cap is refused
  // before any of it went further, so neither the recorder nor the SDK ever decodes (and keeps as text) the first
  // megabytes of an event they could not use anyway. What is held is the chunks as they came, not a copy.
  let held: Uint8Array[] = [];
  let total = 0;
  /** The refusal of a chunk that takes the body past the cap (reported here), or the chunks to hand on now. */
  const check = (chunk: Uint8Array): GuardError | Uint8Array[] => {
    total += chunk.byteLength;
    const size = counter ? counter.push(chunk) : total;
    if (size > maxBytes) {
      held = [];
      const error = tooLarge(size, maxBytes, encoding, isSse);
      report({ severity: 'error', code: error.findingCode, message: error.message });
      return new GuardError('ERESPONSETOOLARGE', error.message);
    }
    const bomb = encoded ? expandsTooFar(total, encodedBytesRead(response), maxRatio, encoding) : undefined;
    if (bomb) {
      held = [];
      report({ severity: 'error', code: 'decompression_bomb', message: bomb });
      return new GuardError('ERESPONSETOOLARGE', bomb);
    }
    if (!utf8Checked && !utf8!.push(chunk)) {
      utf8Checked = true;
      reportUtf8(report, contentType);
    }
    if (!counter) return [chunk];
    const boundary = counter.lastEventEnd;
    if (boundary === -1) {
      held.push(chunk);
      return [];
    }
    const ready = held;
    held = boundary === chunk.byteLength ? [] : [chunk.subarray(boundary)];
    ready.push(boundary === chunk.byteLength ? chunk : chunk.subarray(0, boundary));
    return ready;
  };
  /** What is still held: an event cut short by the end of the body or by an error still goes on (the recorder shows it incomplete). */
  const release = (): Uint8Array[] => held.splice(0);
  const ended = (): Uint8Array[] => {
    if (!utf8Checked && !utf8!.end()) reportUtf8(report, contentType);
    return release();
  };
  // A body lib/http-client is reading: checked in its pump, with no stream of our own in between.
  if (filterBody(response, { chunk: check, end: ended, failed: release, settled: onDone })) {
    if (redirected) Object.defineProperty(response, 'redirected', { value: true, configurable: true });
    return response;
  }
  const reader = source.getReader();
  let failure: { error: unknown } | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // Read until there is something to hand on: a pull that enqueues nothing is not called again.
        for (;;) {
          if (failure) {
            onDone();
            controller.error(failure.error);
            return;
          }
          let result: ReadableStreamReadResult<Uint8Array>;
          try {
            result = await reader.read();
          } catch (error) {
            const cut = release();
            if (cut.length > 0) {
              // The error follows the event cut short, at the next pull (erroring now would drop what is queued).
              failure = { error };
              for (const part of cut) controller.enqueue(part);
              return;
            }
            onDone();
            controller.error(error);
            return;
          }
          if (result.done) {
            onDone();
            for (const part of ended()) controller.enqueue(part);
            controller.close();
            return;
          }
          const outcome = check(result.value);
          if (outcome instanceof GuardError) {
            await reader.cancel(outcome.message).catch(() => undefined);
            onDone();
            controller.error(outcome);
            return;
          }
          if (outcome.length === 0) continue;
          for (const part of outcome) controller.enqueue(part);
          return;
        }
      },
      cancel(reason) {
        held = [];
        onDone();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  const capped = new Response(stream, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(capped, 'url', { value: response.url, configurable: true });
  Object.defineProperty(capped, 'redirected', { value: redirected || response.redirected, configurable: true });
  return capped;
}

/** Decompressed bytes a body may reach before its compression ratio is judged: small bodies are never refused for it. */
export const COMPRESSION_CHECK_FLOOR_BYTES = 1024 * 1024;

/**
 * Why a compressed body is refused as a bomb, or undefined. A bomb of a few KB expands to the message cap before
 * the cap can stop it, and each attempt leaves megabytes of decompressed garbage for the collector; past the first
 * MB, a body that has grown more than `maxRatio` times the compressed bytes its decoder took in is stopped there.
 */
function expandsTooFar(decoded: number, encoded: number | undefined, maxRatio: number, encoding: string): string | undefined {
  if (maxRatio <= 0 || encoded === undefined || encoded <= 0 || decoded <= COMPRESSION_CHECK_FLOOR_BYTES) return undefined;
  const ratio = decoded / encoded;
  if (ratio <= maxRatio) return undefined;
  return (
    `The server sent a ${encoding || 'compressed'} response that expands ${Math.floor(ratio)} times its compressed size ` +
    `(${formatSize(encoded)} became ${formatSize(decoded)}): a decompression bomb, so mcpscope stopped reading it there. ` +
    `If this is a real answer, raise MCPSCOPE_MAX_COMPRESSION_RATIO (now ${maxRatio}; 0 turns the check off).`
  );
}

function reportUtf8(report: (finding: GuardFinding) => void, contentType: string): void {
  report({
    severity: 'warning',
    code: 'invalid_utf8',
    message: `The server sent ${contentType.split(';')[0] || 'text'} that is not valid UTF-8 (JSON-RPC over HTTP must be UTF-8). Invalid bytes were read as U+FFFD replacement characters, so text in the message may be garbled.`,
  });
}

function tooLarge(size: number, maxBytes: number, encoding: string, isSse: boolean): { findingCode: string; message: string } {
  const limit = `${formatSize(maxBytes)} (MCPSCOPE_MAX_MESSAGE_BYTES)`;
  if (encoding && encoding !== 'identity') {
    return {
      findingCode: 'decompression_bomb',
      message: `The server sent a ${encoding}-compressed response that expands past ${limit} once decompressed (a decompression bomb); mcpscope stopped reading it after ${formatSize(size)}.`,
    };
  }
  return {
    findingCode: 'message_too_large',
    message: isSse
      ? `The server sent a single SSE event larger than ${limit}; mcpscope stopped reading the stream after ${formatSize(size)} of it.`
      : `The server sent a response body larger than ${limit}; mcpscope stopped reading it after ${formatSize(size)}.`,
  };
}

/**
 * Whether a body read chunk by chunk is valid UTF-8, without decoding it: a TextDecoder made a string of every
 * chunk only to throw it away (as many bytes of garbage as the body, up to the message cap, for each response).
 * A sequence cut at a chunk's end is carried into the next chunk.
 */
class Utf8Check {
  private carried: Uint8Array | undefined;

  /** False once the bytes so far cannot be UTF-8. */
  push(chunk: Uint8Array): boolean {
    let bytes = chunk;
    if (this.carried) {
      bytes = new Uint8Array(this.carried.length + chunk.length);
      bytes.set(this.carried);
      bytes.set(chunk, this.carried.length);
      this.carried = undefined;
    }
    let end = bytes.length;
    let lead = end - 1;
    while (lead >= 0 && end - lead < 4 && (bytes[lead]! & 0xc0) === 0x80) lead--;
    if (lead >= 0) {
      const byte = bytes[lead]!;
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      if (end - lead < length) end = lead;
    }
    if (end < bytes.length) this.carried = bytes.slice(end);
    return isUtf8(bytes.subarray(0, end));
  }

  /** False when the body ended inside a sequence. */
  end(): boolean {
    return this.carried === undefined;
  }
}

/** Bytes of the SSE event being read: reset at every blank line (LF LF, CR CR, CRLF CRLF). */
class SseEventCounter {
  private size = 0;
  private lineLength = 0;
  private afterCr = false;
  /** Where in the last chunk pushed the last event ended (just past its blank line); -1 when none did. */
  lastEventEnd = -1;

  push(chunk: Uint8Array): number {
    let largest = this.size;
    this.lastEventEnd = -1;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === 0x0a && this.afterCr) {
        this.afterCr = false;
        // The LF of a CRLF: the event (if the CR ended one) ends after it.
        if (this.lastEventEnd === i) this.lastEventEnd = i + 1;
        continue;
      }
      this.afterCr = byte === 0x0d;
      if (byte === 0x0a || byte === 0x0d) {
        if (this.lineLength === 0) {
          this.size = 0;
          this.lastEventEnd = i + 1;
        }
        this.lineLength = 0;
        continue;
      }
      this.lineLength += 1;
      this.size += 1;
      if (this.size > largest) largest = this.size;
    }
    return largest;
  }
}
