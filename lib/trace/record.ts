// The recording fetch: a drop-in `fetch` that writes every exchange (and every SSE frame, and every JSON-RPC
// message on it) into a session log, masking secrets at capture, without delaying a single byte.
// Types only: lib/trace runs in the browser too, and reaches lib/http-client's pump through the Response itself.
import type { BodyFilter, BodyPump } from '../http-client';
import { BodyCollector, captureBytes, captureText } from './body';
import { truncateUtf8, utf8ByteLength } from './bytes';
import { describeFetchError, describeStreamError } from './errors';
import { parseJsonRpcText, type RpcClassification } from './jsonrpc';
import type { TraceLog } from './log';
import { notificationFoldFor } from './fold';
import { nonconformanceNoted, recordRpc } from './rpc-log';
import { headerEntries, maskBodyText, maskUrl, redactHeaders, SecretSet, type HeadersInputLike } from './secrets';
import { createSseFrameReader, SseEventBoundaries, type SseFrame } from './sse';
import type { BodyCapture, ExchangePurpose, HttpEndEvent, HttpRequestEvent, SseFrameEvent } from './types';

export interface RecordingContext {
  phaseId?: string;
  purpose?: ExchangePurpose;
  /**
   * The client acts on no server notification this exchange's event stream brings but progress and cancellation
   * (a handshake's): the others are recorded (kept or folded) and not handed on, so a flood costs the client
   * nothing (see `handsOn`).
   */
  notificationsUnheard?: boolean;
}

export interface RecordingFetchOptions {
  /** The fetch that really sends. Default: the global `fetch`, looked up at each call. */
  baseFetch?: typeof fetch;
  /** Asked at the start of each exchange: which phase it belongs to and what it is for. */
  context?: () => RecordingContext;
  /** Known secrets, masked everywhere; credentials seen in headers and bodies are added to it. */
  secrets?: SecretSet;
  /** Extra header names whose values are secret (e.g. custom API-key headers a user configured). */
  secretHeaderNames?: Iterable<string>;
}

/** Statuses whose responses never have a body; `new Response(body, {status})` refuses them with one. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function createRecordingFetch(log: TraceLog, options: RecordingFetchOptions = {}): typeof fetch {
  const secrets = options.secrets ?? new SecretSet();
  const secretHeaderNames = options.secretHeaderNames ? [...options.secretHeaderNames] : [];
  const maxBody = log.limits.maxBodyBytes;
  const redact = (h: HeadersInputLike) => redactHeaders(h, { secrets, secretHeaderNames, learn: true });

  const recordingFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const baseFetch = options.baseFetch ?? globalThis.fetch;
    const exchangeId = log.newId('ex');
    const started = log.now();
    const request = describeRequest(input, init);
    const since = () => round(log.now() - started);

    let context: RecordingContext = {};
    safely(() => {
      try {
        context = options.context?.() ?? {};
      } catch {
        // a context provider that throws only loses the tag
      }
      // Headers first: they teach `secrets` the credentials the URL and body may repeat.
      const headers = redact(request.headers);
      const url = maskUrl(request.url, secrets);
      const body = captureRequestBody(request.body, request.contentType, maxBody, secrets);
      const rpc = body.text !== undefined ? parseJsonRpcText(body.text) : null;
      const event: Omit<HttpRequestEvent, 'seq' | 't'> = {
        kind: 'http.request',
        exchangeId,
        purpose: context.purpose ?? inferPurpose(request.method, request.headers, rpc !== null),
        method: request.method,
        url,
        headers,
      };
      if (context.phaseId !== undefined) event.phaseId = context.phaseId;
      if (body.capture) event.body = body.capture;
      log.append(event);
      if (rpc && body.text !== undefined) {
        recordRpc(log, 'out', undefined, { exchangeId, size: utf8ByteLength(body.text) }, rpc);
      }
    });

    let response: Response;
    try {
      response = await baseFetch(input, init);
    } catch (err) {
      safely(() => {
        const error = describeFetchError(err, request.url, request.signal);
        const end: Omit<HttpEndEvent, 'seq' | 't'> = { kind: 'http.end', exchangeId, bytes: 0, durationMs: since(), error };
        if (error.code === 'aborted') end.aborted = true;
        log.append(end);
      });
      throw err;
    }

    safely(() => {
      log.append({
        kind: 'http.response',
        exchangeId,
        status: response.status,
        statusText: response.statusText,
        headers: redact(response.headers),
        ttfbMs: since(),
      });
    });

    const body = response.body;
    if (!body || NULL_BODY_STATUSES.has(response.status) || response.status < 200 || response.status > 599) {
      safely(() => log.append({ kind: 'http.end', exchangeId, bytes: 0, durationMs: since() }));
      return response;
    }

    const contentType = response.headers.get('content-type');
    const tap =
      mediaType(contentType) === 'text/event-stream'
        ? sseTap(log, exchangeId, secrets, since, request.signal, context.notificationsUnheard === true)
        : bodyTap(log, exchangeId, secrets, since, request.signal, contentType, response.headers.get('content-length'));
    // A body lib/http-client's pump is reading (under the guard's caps): recorded in that pump, with no stream of
    // our own in between (README § Latency budget). The Response goes on as it is, url and redirected included.
    if (pumpOf(response)?.add(recordingFilter(tap)) === true) return response;
    const recorded = new Response(passThrough(body, tap), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    // A constructed Response has an empty url; keep what the caller would have seen (redirect targets etc.).
    Object.defineProperty(recorded, 'url', { value: response.url, configurable: true });
    Object.defineProperty(recorded, 'redirected', { value: response.redirected, configurable: true });
    return recorded;
  };
  return recordingFetch as typeof fetch;
}

// ---------------------------------------------------------------------------------------------------
// Requests

interface RequestFacts {
  method: string;
  url: string;
  headers: HeadersInputLike;
  contentType: string | null;
  body: BodyInit | null | undefined;
  signal: AbortSignal | null | undefined;
}

function describeRequest(input: RequestInfo | URL, init: RequestInit | undefined): RequestFacts {
  const asRequest = typeof input === 'object' && !(input instanceof URL) ? (input as Request) : undefined;
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const method = (init?.method ?? asRequest?.method ?? 'GET').toUpperCase();
  // As fetch does: headers in init replace the Request's headers entirely.
  const headers: HeadersInputLike = init?.headers ? normalizeHeadersInit(init.headers) : asRequest ? asRequest.headers : [];
  const contentType =
    findHeader(headers, 'content-type') ?? (init?.body instanceof URLSearchParams ? 'application/x-www-form-urlencoded' : null);
  // A Request object's own body is a stream we would have to tee and drain first; it is not captured.
  return { method, url, headers, contentType, body: init?.body, signal: init?.signal ?? asRequest?.signal };
}

function normalizeHeadersInit(h: HeadersInit): HeadersInputLike {
  if (Array.isArray(h)) return h.map((pair) => [String(pair[0]), String(pair[1])] as [string, string]);
  return h as Headers | Record<string, string>;
}

function findHeader(headers: HeadersInputLike, name: string): string | null {
  for (const [n, v] of headerEntries(headers)) if (n.toLowerCase() === name) return v;
  return null;
}

interface RequestBodyCapture {
  capture?: BodyCapture;
  /** The whole body as masked text, when it is text (for JSON-RPC parsing). */
  text?: string;
}

function captureRequestBody(
  body: BodyInit | null | undefined,
  contentType: string | null,
  maxBytes: number,
  secrets: SecretSet,
): RequestBodyCapture {
  if (body === null || body === undefined) return {};
  let text: string | undefined;
  if (typeof body === 'string') text = body;
  else if (body instanceof URLSearchParams) text = body.toString();
  else if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    const bytes = body instanceof ArrayBuffer ? new Uint8Array(body) : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return { capture: captureBytes(bytes, maxBytes) };
    }
  } else if (typeof Blob !== 'undefined' && body instanceof Blob) {
    // Reading a Blob is async and would delay the request; record its size only.
    return { capture: { text: '', encoding: 'utf8', size: body.size, truncated: body.size > 0 } };
  } else {
    return {}; // FormData, streams: not captured
  }
  const masked = maskBodyText(text, contentType, secrets);
  const capture = captureText(masked, maxBytes);
  // The wire size is the unmasked one.
  capture.size = utf8ByteLength(text);
  return { capture, text: masked };
}

function inferPurpose(method: string, headers: HeadersInputLike, carriesRpc: boolean): ExchangePurpose {
  if (carriesRpc) return 'mcp';
  const accept = findHeader(headers, 'accept') ?? '';
  if (method === 'GET' && accept.includes('text/event-stream')) return 'mcp-stream';
  return 'other';
}

// ---------------------------------------------------------------------------------------------------
// Responses

interface Tap {
  /** Records `chunk`; what to hand on instead of it, when not all of it (undefined: the whole chunk). */
  chunk(chunk: Uint8Array): readonly Uint8Array[] | undefined;
  done(): void;
  failed(err: unknown): void;
  cancelled(): void;
}

/**
 * Hands every chunk to the consumer as soon as the source yields it, recording it on the way. Pull-based
 * with no queue of its own (highWaterMark 0), so nothing is buffered or delayed; and unlike a TransformStream
 * on Node 20 it sees a consumer's cancel, which is how a closed SSE stream ends.
 */
function passThrough(source: ReadableStream<Uint8Array>, tap: Tap): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let finished = false;
  let carried = 0;
  // What is left of a chunk handed on in pieces (see the fair turns below).
  let rest: Uint8Array | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // A piece the tap keeps entirely back hands on nothing: read on (a pull that enqueues nothing is not called again).
        for (;;) {
          let chunk: Uint8Array;
          try {
            // A response's first bytes never wait (most answers fit in them); past them, the turn decides.
            if (carried >= FIRST_BYTES) while (turnSpent()) await nextTurn();
            if (rest) {
              chunk = rest;
            } else {
              const result = await reader.read();
              if (result.done) {
                if (!finished) {
                  finished = true;
                  safely(() => tap.done());
                }
                controller.close();
                return;
              }
              chunk = result.value;
            }
          } catch (err) {
            if (!finished) {
              finished = true;
              safely(() => tap.failed(err));
            }
            controller.error(err);
            return;
          }
          if (carried >= FIRST_BYTES && chunk.byteLength > TURN_SHARE_BYTES) {
            rest = chunk.subarray(TURN_SHARE_BYTES);
            chunk = chunk.subarray(0, TURN_SHARE_BYTES);
          } else {
            rest = undefined;
          }
          carried += chunk.byteLength;
          spend(chunk.byteLength);
          const piece = chunk;
          let handed: readonly Uint8Array[] | undefined;
          safely(() => {
            handed = tap.chunk(piece);
          });
          if (!handed) {
            controller.enqueue(piece);
            return;
          }
          if (handed.length === 0) continue;
          for (const part of handed) controller.enqueue(part);
          return;
        }
      },
      cancel(reason) {
        if (!finished) {
          finished = true;
          safely(() => tap.cancelled());
        }
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

/** The pump lib/http-client reads `response`'s body with, while none of it was read (see its `BODY_PUMP_KEY`). */
const BODY_PUMP = Symbol.for('mcpscope.http-client.body-pump');

function pumpOf(response: Response): BodyPump | undefined {
  return (response as unknown as Record<symbol, BodyPump | undefined>)[BODY_PUMP];
}

/** `passThrough`'s work as a filter in lib/http-client's pump: the same tap, the same fair turns. */
function recordingFilter(tap: Tap): BodyFilter {
  let carried = 0;
  let finished = false;
  const none: readonly Uint8Array[] = [];
  return {
    chunk(chunk) {
      let handed: readonly Uint8Array[] | undefined;
      safely(() => {
        handed = tap.chunk(chunk);
      });
      return handed ?? [chunk];
    },
    end() {
      finished = true;
      safely(() => tap.done());
      return none;
    },
    failed(error) {
      finished = true;
      safely(() => tap.failed(error));
      return none;
    },
    settled(how) {
      if (how !== 'cancelled' || finished) return;
      finished = true;
      safely(() => tap.cancelled());
    },
    pace(bytes) {
      // As in `passThrough`: a response's first bytes never wait; past them, the turn decides, a piece at a time.
      if (carried < FIRST_BYTES) {
        carried += bytes;
        spend(bytes);
        return bytes;
      }
      if (turnSpent()) return nextTurn();
      const piece = Math.min(bytes, TURN_SHARE_BYTES);
      carried += piece;
      spend(piece);
      return piece;
    },
  };
}

// Fair turns. Recording a chunk and handing it on (the SDK parses it next) runs in promise callbacks, which
// never let the event loop through: a server flooding faster than the process keeps up had every chunk
// waiting behind it handled in one go, for seconds, while timers and every other session's requests waited.
// So past its first FIRST_BYTES, a response is handed on in pieces of at most TURN_SHARE_BYTES, and only while
// the responses of all sessions together have carried less than that in this turn of the event loop; otherwise
// at the next turn (its socket stays paused meanwhile: the flood waits in TCP, not in memory). A turn then holds
// a few milliseconds of flood work, and short answers never wait.
const FIRST_BYTES = 64 * 1024;
const TURN_SHARE_BYTES = 8 * 1024;
let turnBytes = 0;
let turnResetScheduled = false;
const turnWaiters: Array<() => void> = [];
const schedule: (fn: () => void) => void =
  typeof setImmediate === 'function' ? (fn) => void setImmediate(fn) : (fn) => void setTimeout(fn, 0);

function newTurn(): void {
  turnResetScheduled = false;
  turnBytes = 0;
  // Waiters resume in arrival order; the first ones take this turn's share and the rest wait again.
  for (const wake of turnWaiters.splice(0)) wake();
}

function spend(bytes: number): void {
  turnBytes += bytes;
  if (!turnResetScheduled) {
    turnResetScheduled = true;
    schedule(newTurn);
  }
}

function turnSpent(): boolean {
  return turnBytes >= TURN_SHARE_BYTES;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => turnWaiters.push(resolve));
}

function sseTap(
  log: TraceLog,
  exchangeId: string,
  secrets: SecretSet,
  since: () => number,
  signal: AbortSignal | null | undefined,
  notificationsUnheard: boolean,
): Tap {
  const maxBody = log.limits.maxBodyBytes;
  let bytes = 0;
  // Set while recording an event whose notification the client need not see (see `handsOn`).
  let droppable = false;
  let index = 0;
  let sawIncomplete = false;
  const fold = notificationFoldFor(log);
  /**
   * Asks the fold about the frame's message if it is one server notification: false when the fold keeps it
   * (or it is not one), true when it was folded. A message that breaks JSON-RPC is kept until the log has said
   * so once.
   */
  const folded = (rpc: RpcClassification | null, frame: SseFrame): boolean => {
    const only = rpc && !rpc.batch && rpc.messages.length === 1 ? rpc.messages[0]! : undefined;
    if (only?.type !== 'notification' || only.method === undefined || (only.problems && !nonconformanceNoted(log))) return false;
    return !fold.admit({ method: only.method, exchangeId, ...(frame.id !== undefined ? { frameId: frame.id } : {}) });
  };
  const record = (frame: SseFrame) => {
    const frameIndex = index++;
    // Clients discard an incomplete event, so it carried no message as far as the session is concerned.
    const carriesMessage = frame.data !== undefined && !frame.incomplete;
    // While a flood is being folded, the method decides before any masking: a folded notification costs one
    // parse, and nothing of it is kept (the method name is all that is read from it).
    let asked = false;
    if (carriesMessage && fold.folding) {
      const rpc = parseJsonRpcText(frame.data!);
      if (folded(rpc, frame)) {
        droppable = unheard(rpc, frame);
        return;
      }
      asked = true;
    }
    // The data first: it teaches `secrets` the credentials it holds, which the raw text repeats.
    const fullData = frame.data !== undefined ? maskBodyText(frame.data, null, secrets) : undefined;
    const rpc = carriesMessage && fullData !== undefined ? parseJsonRpcText(fullData) : null;
    // A flood past the rate is counted, not kept: neither the frame nor its message.
    if (!asked && folded(rpc, frame)) {
      droppable = unheard(rpc, frame);
      return;
    }
    const event: Omit<SseFrameEvent, 'seq' | 't'> = {
      kind: 'sse.frame',
      exchangeId,
      index: frameIndex,
      raw: maskBodyText(frame.raw, null, secrets),
    };
    if (frame.id !== undefined) event.id = frame.id;
    if (frame.event !== undefined) event.event = frame.event;
    if (fullData !== undefined) {
      const kept = truncateUtf8(fullData, maxBody);
      event.data = kept;
      if (kept.length < fullData.length) event.truncated = true;
    }
    if (frame.retry !== undefined) event.retry = frame.retry;
    if (frame.comment !== undefined) event.comment = frame.comment;
    if (frame.truncated) event.truncated = true;
    if (frame.incomplete) {
      event.incomplete = true;
      sawIncomplete = true;
    }
    log.append(event);
    if (rpc && fullData !== undefined) recordRpc(log, 'in', undefined, { exchangeId, size: utf8ByteLength(fullData) }, rpc);
    droppable = unheard(rpc, frame);
  };
  const reader = createSseFrameReader((f) => safely(() => record(f)), { maxRawChars: maxBody });
  const boundaries = new SseEventBoundaries();
  // Whether the event being read started in the chunk being read (only such an event can be left out of it whole).
  let eventStartsInChunk = true;
  /**
   * Records `chunk` event by event, and leaves out of what is handed on each notification event it holds whole
   * that the client would only parse and schema-check to act on nothing (thousands of times in a flood before the
   * handshake's answer). The log has it all the same, kept or folded.
   */
  const handsOn = (chunk: Uint8Array): readonly Uint8Array[] | undefined => {
    const kept: Uint8Array[] = [];
    let start = 0;
    let keptFrom = 0;
    for (const end of boundaries.ends(chunk)) {
      droppable = false;
      reader.push(chunk.subarray(start, end));
      if (droppable && eventStartsInChunk) {
        if (start > keptFrom) kept.push(chunk.subarray(keptFrom, start));
        keptFrom = end;
      }
      droppable = false;
      eventStartsInChunk = true;
      start = end;
    }
    if (start < chunk.byteLength) {
      reader.push(chunk.subarray(start));
      eventStartsInChunk = false;
    }
    if (keptFrom === 0) return undefined;
    if (keptFrom < chunk.byteLength) kept.push(chunk.subarray(keptFrom));
    return kept;
  };
  const end = (extra: Partial<Omit<HttpEndEvent, 'kind' | 'seq' | 't'>>) => {
    reader.end();
    log.append({ kind: 'http.end', exchangeId, bytes, durationMs: since(), ...extra });
  };
  return {
    chunk(chunk) {
      bytes += chunk.byteLength;
      if (notificationsUnheard) return handsOn(chunk);
      reader.push(chunk);
      return undefined;
    },
    done() {
      end({});
      if (sawIncomplete) {
        log.finding(
          'warning',
          'sse_incomplete_frame',
          'The event stream ended in the middle of an event (no blank line after it), so clients discard that event.',
          { exchangeId },
        );
      }
    },
    failed(err) {
      const error = describeStreamError(err, bytes, signal);
      // The client aborting its own stream (closing a session) is not a failure of the exchange.
      end(error.code === 'aborted' ? { aborted: true } : { error });
    },
    cancelled() {
      end({ aborted: true });
    },
  };
}

function bodyTap(
  log: TraceLog,
  exchangeId: string,
  secrets: SecretSet,
  since: () => number,
  signal: AbortSignal | null | undefined,
  contentType: string | null,
  contentLength: string | null,
): Tap {
  const collector = new BodyCollector(log.limits.maxBodyBytes);
  const capture = (): BodyCapture => {
    const c = collector.finish();
    if (c.encoding === 'utf8') c.text = maskBodyText(c.text, contentType, secrets);
    return c;
  };
  const isJson = /[/+]json\b/i.test(mediaType(contentType));
  return {
    chunk(chunk) {
      collector.push(chunk);
      return undefined;
    },
    done() {
      const body = capture();
      const end: Omit<HttpEndEvent, 'seq' | 't'> = { kind: 'http.end', exchangeId, bytes: body.size, durationMs: since() };
      if (body.size > 0) end.body = body;
      log.append(end);
      if (body.size === 0) return;
      if (body.encoding !== 'utf8') {
        // Not valid UTF-8 (a server bug; the guarded fetch reports it): read it as clients do, invalid bytes as
        // U+FFFD, so a JSON-RPC message in it is still listed and paired with its request.
        if (!isJson || body.truncated) return;
        const lenient = maskBodyText(
          new TextDecoder().decode(Uint8Array.from(atob(body.text), (c) => c.charCodeAt(0))),
          contentType,
          secrets,
        );
        try {
          recordRpc(log, 'in', JSON.parse(lenient) as unknown, { exchangeId, size: body.size });
        } catch {
          // not JSON either: the body stays as captured
        }
        return;
      }
      if (body.truncated) {
        if (isJson || /^\s*[[{]/.test(body.text)) {
          log.finding(
            'info',
            'body_over_capture_limit',
            `This response body (${body.size} bytes) is larger than the capture limit (maxBodyBytes = ${log.limits.maxBodyBytes}), ` +
              'so it is shown cut and any JSON-RPC message in it is not listed.',
            { exchangeId },
          );
        }
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.text);
      } catch (err) {
        if (isJson) {
          log.finding(
            'warning',
            'invalid_json_body',
            `The response says Content-Type ${contentType} but its body is not valid JSON (${(err as Error).message}).`,
            { exchangeId },
          );
        }
        return;
      }
      recordRpc(log, 'in', parsed, { exchangeId, size: utf8ByteLength(body.text) });
    },
    failed(err) {
      const body = capture();
      const error = describeStreamError(err, body.size, signal);
      const end: Omit<HttpEndEvent, 'seq' | 't'> = { kind: 'http.end', exchangeId, bytes: body.size, durationMs: since() };
      if (body.size > 0) end.body = body;
      if (error.code === 'aborted') end.aborted = true;
      else end.error = error;
      log.append(end);
    },
    cancelled() {
      const body = capture();
      const end: Omit<HttpEndEvent, 'seq' | 't'> = { kind: 'http.end', exchangeId, bytes: body.size, durationMs: since() };
      if (body.size > 0) end.body = body;
      // Cancelling an announced-empty body (a 202's) is tidying up, not giving up.
      if (contentLength !== '0') end.aborted = true;
      log.append(end);
    },
  };
}

/** Notifications that act on requests in flight: always handed on. */
const ACTING_NOTIFICATIONS = new Set(['notifications/progress', 'notifications/cancelled']);

/**
 * Whether an event on a stream whose notifications go unheard may be left out of what the client reads: one
 * well-formed notification other than progress and cancellation (they act on requests in flight), in an event
 * with no `id` or `retry` (the client resumes and reconnects by them).
 */
function unheard(rpc: RpcClassification | null, frame: SseFrame): boolean {
  const only = rpc && !rpc.batch && rpc.messages.length === 1 ? rpc.messages[0]! : undefined;
  return (
    only?.type === 'notification' &&
    only.method !== undefined &&
    !only.problems &&
    !ACTING_NOTIFICATIONS.has(only.method) &&
    frame.id === undefined &&
    frame.retry === undefined &&
    !frame.incomplete
  );
}

/** `text/event-stream; charset=utf-8` → `text/event-stream`. */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

function round(ms: number): number {
  return Math.max(0, Math.round(ms * 1000) / 1000);
}

/** Recording must never break the traffic it records. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    console.error('trace recording failed', err);
  }
}
