// A `fetch` over node:http and node:https: the transport under every request mcpscope sends to an MCP or OAuth
// server from the web app (lib/security's guard wraps it; the recorder wraps the guard).
//
// Why not Node's own fetch (undici)? On the machines measured, its WHATWG machinery (a Request object, a body
// stream, a request clone with a tee per call) costs ~3x more CPU per request than node:http with the same
// Response handed back (README § Performance): for an inspector sitting between the person and the server,
// that is latency it adds to every call. Semantics kept: what fetch resolves and rejects with (`TypeError:
// fetch failed` with the system error as cause; the signal's reason on abort), decoded bodies (gzip, deflate,
// br) with Content-Encoding kept, and a streamed body that passes each chunk on as it arrives.
// Redirects are never followed here (the guard follows them itself, checking each hop).
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

export interface HttpFetchOptions {
  /** Name resolution for every connection (the guard's pinned lookup in hosted mode); default the system's. */
  lookup?: LookupFunction;
  /** Sent when the caller sets no User-Agent. */
  userAgent?: string;
  /**
   * Certificates (PEM) to trust for https instead of the system's roots: the Connection Doctor's explicit
   * "trust this self-signed certificate for this run only" (lib/doctor). Names and expiry are still checked.
   */
  ca?: string[];
}

/** Statuses whose responses never have a body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const DEFAULT_USER_AGENT = 'mcpscope';

function urlOf(input: RequestInfo | URL): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** The body as bytes or a stream, with the Content-Type fetch would add for it. */
async function encodeBody(body: BodyInit | null | undefined, headers: Headers): Promise<Uint8Array | Readable | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8');
    return Buffer.from(body, 'utf8');
  }
  if (body instanceof URLSearchParams) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    return Buffer.from(body.toString(), 'utf8');
  }
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Blob) {
    if (!headers.has('content-type') && body.type) headers.set('content-type', body.type);
    return new Uint8Array(await body.arrayBuffer());
  }
  if (body instanceof ReadableStream) return Readable.fromWeb(body as import('node:stream/web').ReadableStream);
  // FormData and the rest: let Node's fetch encode it (multipart boundaries and all).
  throw new UnsupportedBody();
}

class UnsupportedBody extends Error {}

/** Decoders for a Content-Encoding list, in the order to apply them (the last encoding applied is undone first). */
function decoders(contentEncoding: string | undefined): NodeJS.ReadWriteStream[] | undefined {
  if (!contentEncoding) return [];
  const codings = contentEncoding
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  const out: NodeJS.ReadWriteStream[] = [];
  for (const coding of codings.reverse()) {
    // Lenient like fetch: servers send truncated gzip and raw deflate more often than one would hope.
    if (coding === 'gzip' || coding === 'x-gzip')
      out.push(zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }));
    else if (coding === 'deflate')
      out.push(zlib.createInflate({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }));
    else if (coding === 'br')
      out.push(
        zlib.createBrotliDecompress({ flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }),
      );
    else return undefined; // an encoding we cannot undo: hand the bytes on as they came, as fetch does
  }
  return out;
}

function responseHeaders(rawHeaders: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    try {
      headers.append(rawHeaders[i]!, rawHeaders[i + 1]!);
    } catch {
      // a header value fetch would refuse too (e.g. control characters): dropped, as undici does
    }
  }
  return headers;
}

/** A Response for any status a server may send (the Response constructor accepts only 200-599). */
function makeResponse(
  body: ReadableStream<Uint8Array> | null,
  status: number,
  statusText: string,
  headers: Headers,
  url: string,
): Response {
  const inRange = status >= 200 && status <= 599;
  const response = new Response(body, { status: inRange ? status : 200, statusText, headers });
  if (!inRange) {
    Object.defineProperty(response, 'status', { value: status, configurable: true });
    Object.defineProperty(response, 'ok', { value: false, configurable: true });
  }
  Object.defineProperty(response, 'url', { value: url, configurable: true });
  return response;
}

export function createHttpFetch(options: HttpFetchOptions = {}): typeof fetch {
  const agentOptions = { keepAlive: true, ...(options.lookup ? { lookup: options.lookup } : {}) };
  const agents = {
    'http:': new http.Agent(agentOptions),
    'https:': new https.Agent({ ...agentOptions, ...(options.ca ? { ca: options.ca } : {}) }),
  };
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;

  const httpFetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(urlOf(input));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return fetch(input, init);
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers ?? request?.headers);
    let body: Uint8Array | Readable | undefined;
    try {
      body = await encodeBody(init.body !== undefined ? init.body : (request?.body ?? null), headers);
    } catch (error) {
      if (error instanceof UnsupportedBody) return fetch(input, init);
      throw error;
    }
    if (!headers.has('accept')) headers.set('accept', '*/*');
    if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'gzip, deflate, br');
    if (!headers.has('user-agent')) headers.set('user-agent', userAgent);
    if (body instanceof Uint8Array) headers.set('content-length', String(body.byteLength));
    const signal = init.signal ?? request?.signal ?? undefined;
    if (signal?.aborted) throw abortReason(signal);

    // A kept-alive connection the server closed while idle fails the next request written to it before any answer
    // (ECONNRESET, "socket hang up"): the server never read that request, so it is sent again on another connection,
    // as browsers do and Node's docs advise (`request.reusedSocket`). Only with a body that can be sent twice.
    const send = (retriesLeft: number): Promise<Response> =>
      new Promise<Response>((resolve, reject) => {
        const outgoing = (url.protocol === 'https:' ? https : http).request(url, {
          method,
          headers: Object.fromEntries(headers),
          agent: agents[url.protocol as 'http:' | 'https:'],
        });
        let settled = false;
        let incoming: http.IncomingMessage | undefined;
        const onAbort = () => {
          const reason = abortReason(signal!);
          if (body instanceof Readable) body.destroy();
          // Before the response: the promise rejects with the reason; after it: the body errors with it.
          if (incoming) incoming.destroy(reason instanceof Error ? reason : new Error(String(reason)));
          outgoing.destroy();
          if (!settled) {
            settled = true;
            reject(reason);
          }
        };
        const release = () => signal?.removeEventListener('abort', onAbort);
        signal?.addEventListener('abort', onAbort, { once: true });

        outgoing.once('error', (error) => {
          if (settled) return;
          settled = true;
          release();
          if (
            retriesLeft > 0 &&
            outgoing.reusedSocket &&
            !incoming &&
            !(body instanceof Readable) &&
            !signal?.aborted &&
            isStaleConnection(error)
          ) {
            resolve(send(retriesLeft - 1));
            return;
          }
          reject(new TypeError('fetch failed', { cause: error }));
        });
        outgoing.once('response', (response) => {
          incoming = response;
          const status = response.statusCode ?? 0;
          const headerList = responseHeaders(response.rawHeaders);
          response.once('close', release);
          let stream: ReadableStream<Uint8Array> | null = null;
          let pump: Pump | undefined;
          if (method === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
            response.resume();
          } else {
            const steps = decoders(response.headers['content-encoding']);
            let source: Readable = response;
            for (const step of steps ?? []) {
              const from = source;
              source = from.pipe(step as unknown as NodeJS.WritableStream) as unknown as Readable;
              // An error anywhere in the chain (the connection reset, corrupt gzip) errors the body.
              from.once('error', (error) => source.destroy(error));
              source.once('close', () => from.destroy());
            }
            pump = new Pump();
            // zlib counts what it has consumed before it pushes what that produced: read at a chunk, it is the
            // compressed size of the body so far, even when the whole compressed body arrived in one read.
            const first = steps?.[0] as (NodeJS.ReadWriteStream & { bytesWritten?: number }) | undefined;
            if (first) pump.encodedBytes = () => first.bytesWritten ?? 0;
            stream = webStreamOf(source, pump);
          }
          settled = true;
          const made = makeResponse(stream, status, response.statusMessage ?? '', headerList, url.href);
          if (pump) Object.defineProperty(made, BODY_PUMP, { value: pump });
          resolve(made);
        });

        if (body instanceof Readable) {
          body.once('error', (error) => outgoing.destroy(error));
          body.pipe(outgoing);
        } else {
          outgoing.end(body);
        }
      });
    return send(STALE_CONNECTION_RETRIES);
  };
  return httpFetch as typeof fetch;
}

/**
 * What a layer above (lib/security's size caps, lib/trace's recorder) does to each chunk of a body as the one pump
 * that reads it hands it on, instead of wrapping the body in a web stream of its own: each such layer cost a
 * ReadableStream, a reader, a Response and a promise per chunk on every exchange (README § Latency budget).
 */
export interface BodyFilter {
  /**
   * Sees each chunk before it is handed on: an error returned ends the body with it and stops the download;
   * otherwise the chunks to hand on in its place (none while it holds the chunk back, e.g. until an SSE event ends).
   */
  chunk(chunk: Uint8Array): Error | readonly Uint8Array[];
  /** The body was read to its end (before the reader sees the end): what the filter still held, to hand on first. */
  end(): readonly Uint8Array[];
  /**
   * The body failed or was cut short before its end, or another filter refused it (`error` is then that refusal and
   * nothing more is handed on): what the filter still held, handed on before the error.
   */
  failed(error: unknown): readonly Uint8Array[];
  /** The body is done with, however: read to the end, failed (or refused), or cancelled by its reader. Called once. */
  settled(how: BodySettlement): void;
  /**
   * Optional: asked before the next `bytes` of the body go through the filters, so that a layer can spread a large
   * body over turns of the event loop. Either how many of them go now (a piece: the rest is asked about again; the
   * filter counts what it grants as handed on), or a promise to wait for first: the pump pauses its source meanwhile,
   * so what the server sends waits in TCP, not in memory.
   */
  pace?(bytes: number): number | Promise<void>;
}

export type BodySettlement = 'end' | 'failed' | 'cancelled';

/**
 * How a layer that may not import this module (lib/trace runs in the browser too) reaches the pump of a Response
 * this module made: under this registered symbol, which also spans the two copies of lib/ Next loads in one process.
 */
export const BODY_PUMP_KEY = 'mcpscope.http-client.body-pump';
const BODY_PUMP = Symbol.for(BODY_PUMP_KEY);

/** What a Response of this module carries under `Symbol.for(BODY_PUMP_KEY)`. */
export interface BodyPump {
  /** As `filterBody`: false when the body was read from already. */
  add(filter: BodyFilter): boolean;
}

class Pump implements BodyPump {
  readonly filters: BodyFilter[] = [];
  /** The filters that pace the body (most bodies: one, the recorder's). */
  readonly pacers: BodyFilter[] = [];
  /** Bytes the first content decoder has taken in so far (undefined for a body that is not content-encoded). */
  encodedBytes?: () => number;
  /** Set at the first chunk: a filter added later would miss bytes already handed on. */
  started = false;

  add(filter: BodyFilter): boolean {
    if (this.started) return false;
    this.filters.push(filter);
    if (filter.pace) this.pacers.push(filter);
    return true;
  }
}

/**
 * Adds `filter` to the pump of a body this fetch is reading; false (nothing done) when `response` is not one of
 * this module's, has no body, or its body was read from already: the caller then wraps the body itself.
 */
export function filterBody(response: Response, filter: BodyFilter): boolean {
  const pump = (response as unknown as Record<symbol, BodyPump | undefined>)[BODY_PUMP];
  return pump !== undefined && pump.add(filter);
}

/**
/**
 * How many compressed bytes of `response`'s body its decoder has taken in so far; undefined when the body is not
 * content-encoded or not one this module is reading. Asked by a filter at a chunk, for the body's compression ratio.
 */
export function encodedBytesRead(response: Response): number | undefined {
  // Not `instanceof Pump`: the Response may come from another copy of this module (see BODY_PUMP_KEY).
  const pump = (response as unknown as Record<symbol, Pick<Pump, 'encodedBytes'> | undefined>)[BODY_PUMP];
  return pump?.encodedBytes?.();
}

/**
 * A Node stream as a web stream, chunk by chunk, read only as fast as the reader pulls (and the pacing filters
 * allow). Not `Readable.toWeb`: its adapter enqueues whatever the source still emits after the web stream was
 * cancelled (a gunzip flushes a last chunk while being destroyed), and that throws ERR_INVALID_STATE outside any
 * promise, an uncaught exception that a hostile server could trigger at will by sending a compressed body the
 * reader gives up on.
 */
function webStreamOf(source: Readable, pump: Pump): ReadableStream<Uint8Array> {
  let finished = false;
  let settled = false;
  /** An error that waits for the chunks queued before it (erroring the stream at once would drop them). */
  let deferred: { error: unknown } | undefined;
  /** Set while a pacing filter makes the pump wait: the source stays paused. */
  let pacing = false;
  /** What the source gave that waits for the pacing (its order kept), and how the source ended meanwhile. */
  const waiting: Uint8Array[] = [];
  let ending: { error: unknown } | 'end' | undefined;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const settle = (how: BodySettlement) => {
    if (settled) return;
    settled = true;
    for (const filter of pump.filters) filter.settled(how);
  };
  /**
   * `parts` passed through the filters from the `from`-th up to (not including) the `to`-th: the chunks to hand on,
   * or the first refusal.
   */
  const filtered = (
    parts: readonly Uint8Array[],
    from = 0,
    to = pump.filters.length,
  ): readonly Uint8Array[] | { refusal: Error; by: number } => {
    let current = parts;
    for (let index = from; index < to; index++) {
      const filter = pump.filters[index]!;
      // The usual case, one chunk in: the filter's own answer is the list, with no copy of it.
      if (current.length === 1) {
        const outcome = filter.chunk(current[0]!);
        if (outcome instanceof Error) return { refusal: outcome, by: index };
        current = outcome;
        continue;
      }
      const next: Uint8Array[] = [];
      for (const part of current) {
        const outcome = filter.chunk(part);
        if (outcome instanceof Error) return { refusal: outcome, by: index };
        next.push(...outcome);
      }
      current = next;
    }
    return current;
  };
  /** What the filters still hold at the end (`end`) or at a failure (`failed`), in order, through the later filters. */
  const flushed = (how: 'end' | 'failed', error?: unknown): Uint8Array[] => {
    const out: Uint8Array[] = [];
    pump.filters.forEach((filter, index) => {
      const rest = filtered(how === 'end' ? filter.end() : filter.failed(error), index + 1);
      if (!('refusal' in rest)) out.push(...rest);
    });
    return out;
  };
  /** A filter refused the body: it ends with the refusal, the other filters told of it. */
  const refused = (refusal: Error, by: number) => {
    finished = true;
    waiting.length = 0;
    source.destroy();
    pump.filters.forEach((filter, index) => {
      if (index !== by) filter.failed(refusal);
    });
    settle('failed');
    controller.error(refusal);
  };
  /**
   * Where the pacing applies: before the first pacing filter, so the filters ahead of it (the guard's caps) see the
   * body as fast as it comes and only what they hand on is paced. Otherwise a body the guard holds and then refuses
   * (an event past the cap) would be read at the pace's few KB a turn, every attempt holding its megabytes for as long.
   */
  let pacedFrom = -1;
  const pacingIndex = () => {
    if (pacedFrom < 0) {
      const first = pump.filters.findIndex((filter) => filter.pace !== undefined);
      pacedFrom = first < 0 ? pump.filters.length : first;
    }
    return pacedFrom;
  };
  /** One piece of the body (past the filters ahead of the pacing) through the rest of them and on to the reader. */
  const pass = (piece: Uint8Array) => {
    const from = pacingIndex();
    const outcome = from >= pump.filters.length ? [piece] : filtered([piece], from);
    if ('refusal' in outcome) {
      refused(outcome.refusal, outcome.by);
      return;
    }
    for (const part of outcome) controller.enqueue(part);
  };
  /** How much of `bytes` the pacing filters let go now, or what to wait for first. */
  const paced = (bytes: number): number | Promise<void> => {
    let grant = bytes;
    for (const filter of pump.pacers) {
      const answer = filter.pace!(grant);
      if (typeof answer !== 'number') return answer;
      // Never nothing: a pacer that has nothing to give now says so with a promise. A later pacer that grants less
      // leaves an earlier one counting more than went, which errs on the slow side.
      grant = Math.max(1, Math.min(grant, Math.floor(answer)));
    }
    return grant;
  };
  /** `chunk` handed on as the pacing allows; what it does not allow yet waits (first in `waiting`) for the pace. */
  const take = (chunk: Uint8Array) => {
    let rest = chunk;
    while (!finished) {
      const grant = pump.pacers.length === 0 ? rest.byteLength : paced(rest.byteLength);
      if (typeof grant !== 'number') {
        waiting.unshift(rest);
        pacing = true;
        source.pause();
        void grant.then(resumePacing, resumePacing);
        return;
      }
      if (grant >= rest.byteLength) {
        pass(rest);
        return;
      }
      pass(rest.subarray(0, grant));
      rest = rest.subarray(grant);
    }
  };
  const resumePacing = () => {
    pacing = false;
    while (!finished && !pacing && waiting.length > 0) take(waiting.shift()!);
    if (finished || pacing) return;
    if (ending !== undefined) {
      const how = ending;
      ending = undefined;
      if (how === 'end') end();
      else fail(how.error);
      return;
    }
    if ((controller.desiredSize ?? 0) > 0) source.resume();
  };
  const end = () => {
    if (finished) return;
    if (pacing) {
      ending ??= 'end';
      return;
    }
    finished = true;
    settle('end');
    for (const part of flushed('end')) controller.enqueue(part);
    controller.close();
  };
  const fail = (error: unknown) => {
    if (finished) return;
    if (pacing) {
      ending ??= { error };
      return;
    }
    finished = true;
    const cut = flushed('failed', error);
    settle('failed');
    if (cut.length === 0) {
      controller.error(error);
      return;
    }
    for (const part of cut) controller.enqueue(part);
    deferred = { error };
  };
  return new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
        source.pause();
        source.on('data', (chunk: Buffer) => {
          if (finished) return;
          pump.started = true;
          const ahead = pacingIndex() === 0 ? [chunk] : filtered([chunk], 0, pacingIndex());
          if ('refusal' in ahead) {
            refused(ahead.refusal, ahead.by);
            return;
          }
          for (const part of ahead) {
            if (pacing) waiting.push(part);
            else take(part);
            if (finished) return;
          }
          if (!finished && !pacing && (controller.desiredSize ?? 0) <= 0) source.pause();
        });
        source.once('end', end);
        source.once('error', fail);
        // Closed with neither an end nor an error: the connection went away mid-body.
        source.once('close', () => {
          if (ending === undefined) fail(new TypeError('terminated', { cause: new Error('the response body ended early') }));
        });
      },
      pull(streamController) {
        if (deferred) {
          streamController.error(deferred.error);
          return;
        }
        if (!pacing) source.resume();
      },
      cancel() {
        finished = true;
        waiting.length = 0;
        source.destroy();
        settle('cancelled');
      },
    },
    { highWaterMark: 1 },
  );
}

/** How many stale kept-alive connections one request may meet in a row (each one found is closed). */
const STALE_CONNECTION_RETRIES = 3;

/** The errors of a request written to a connection the server had already closed. */
function isStaleConnection(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

/** One keep-alive pool per process for requests that need no pinned lookup. */
export const httpFetch: typeof fetch = createHttpFetch();
