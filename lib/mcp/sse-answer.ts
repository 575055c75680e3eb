// A POST's answer that came as an event stream but is, once it has all arrived, one JSON-RPC response and nothing
// else: handed to the SDK as the `application/json` answer it is equivalent to. The SDK's JSON path is a
// `response.json()`; its event-stream path pipes the body through a TextDecoderStream and an EventSourceParserStream
// (two TransformStreams, promises per chunk), which was the largest share of the engine's cost per call.
//
// The SDK must not be able to tell: the conversion happens only when both of its paths would deliver the same
// single message and nothing else (no resumption token, no retry, no stream-end callback, no event it would skip
// or report), and only when the stream has already ended after its first chunks. A stream still open is handed on
// as it is, its first bytes replayed, so progress notifications flow live. The recorder sits below this and has
// already seen (and logged) the original bytes.
import { parseJSONRPCMessage } from '@modelcontextprotocol/client';
import { createSseFrameReader, type SseFrame } from '../trace';
import type { RpcId } from './phases';

/** Bigger answers are handed on as they came: converting would parse their JSON a second time. */
export const SSE_ANSWER_LIMIT = 64 * 1024;

/**
 * The id of the one JSON-RPC request a POST carries, when its answer may be converted: not a batch, not a
 * notification, and not `subscriptions/listen` (the one request the SDK gives a stream-end callback, which only
 * its event-stream path calls).
 */
export function convertibleRequestId(method: string, body: unknown): RpcId | undefined {
  if (method !== 'POST' || typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const request = body as { method?: unknown; id?: unknown };
  if (typeof request.method !== 'string' || request.method === 'subscriptions/listen') return undefined;
  return typeof request.id === 'string' || typeof request.id === 'number' ? request.id : undefined;
}

/**
 * The answer to hand the SDK: `response` (a 2xx `text/event-stream` answer to a request with id `requestId`) as
 * an `application/json` Response when it qualifies, else a Response that replays what was read and goes on with
 * the rest of the original body. Rejects with the signal's reason if `signal` aborts before the first chunk.
 */
export async function settleSseAnswer(response: Response, requestId: RpcId, signal?: AbortSignal | null): Promise<Response> {
  const body = response.body;
  // The SDK treats these statuses by status alone (202: drained unread) or they cannot carry a body.
  if (!body || response.status === 202 || response.status === 204 || response.status === 205) return response;
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    // The SDK would wait for the first chunk too; only this wait can be aborted, the rest never waits on the network.
    const first = await readOrAbort(reader, signal);
    if (first.done) return handOn(response, reader, chunks, { done: true });
    chunks.push(first.value);
    bytes += first.value.byteLength;
    for (;;) {
      if (bytes > SSE_ANSWER_LIMIT) return handOn(response, reader, chunks);
      // Whatever already arrived is there by the next turn of the event loop; a stream still open is not held longer.
      const next = reader.read();
      let immediate: ReturnType<typeof setImmediate> | undefined;
      const turn = new Promise<typeof NOT_YET>((resolve) => {
        immediate = setImmediate(resolve, NOT_YET);
      });
      const result = await Promise.race([next, turn]);
      clearImmediate(immediate);
      if (result === NOT_YET) return handOn(response, reader, chunks, { pending: next });
      if (result.done) break;
      chunks.push(result.value);
      bytes += result.value.byteLength;
    }
  } catch (error) {
    if (signal?.aborted && chunks.length === 0) {
      await reader.cancel(signal.reason).catch(() => undefined);
      throw signal.reason;
    }
    return handOn(response, reader, chunks, { error });
  }
  const data = singleMessage(chunks);
  if (data === undefined || !isResponseTo(data, requestId)) return handOn(response, reader, chunks, { done: true });
  return asJson(response, data);
}

/** The data of the stream's only event, when the SDK would read exactly that one message from it and nothing else. */
function singleMessage(chunks: readonly Uint8Array[]): string | undefined {
  let data: string | undefined;
  let refused = false;
  const reader = createSseFrameReader((frame: SseFrame) => {
    if (refused || frame.comment !== undefined) return;
    // An id is a resumption token and a retry a reconnection delay: the SDK keeps both, only on this path.
    if (frame.id !== undefined || frame.retry !== undefined || frame.incomplete || frame.truncated) {
      refused = true;
      return;
    }
    // Events without data are skipped by the SDK.
    if (frame.data === undefined || frame.data === '') return;
    if (data !== undefined || (frame.event !== undefined && frame.event !== 'message')) {
      refused = true;
      return;
    }
    data = frame.data;
  });
  for (const chunk of chunks) reader.push(chunk);
  reader.end();
  return refused ? undefined : data;
}

/**
 * Whether `data` is a JSON-RPC response to `requestId` that the SDK's own schema accepts (a message it would reject
 * is reported on the event-stream path but thrown from `send` on the JSON path).
 */
function isResponseTo(data: string, requestId: RpcId): boolean {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return false;
  }
  // An array would be a batch on the JSON path and a schema failure on the event-stream path.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const message = value as { id?: unknown; result?: unknown; error?: unknown };
  if (message.id !== requestId || (!('result' in message) && !('error' in message))) return false;
  try {
    parseJSONRPCMessage(value);
  } catch {
    return false;
  }
  return true;
}

function asJson(response: Response, data: string): Response {
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  headers.set('content-type', 'application/json');
  const converted = new Response(data, { status: response.status, statusText: response.statusText, headers });
  // A constructed Response has an empty url; keep what the caller would have seen (redirect targets etc.).
  Object.defineProperty(converted, 'url', { value: response.url, configurable: true });
  Object.defineProperty(converted, 'redirected', { value: response.redirected, configurable: true });
  return converted;
}

type Rest = { done: true } | { error: unknown } | { pending: Promise<ReadableStreamReadResult<Uint8Array>> } | undefined;

/** The original answer, its body replaying `chunks` and then going on as the original does (or ended, or failing). */
function handOn(response: Response, reader: ReadableStreamDefaultReader<Uint8Array>, chunks: Uint8Array[], rest?: Rest): Response {
  let pending = rest && 'pending' in rest ? rest.pending : undefined;
  // Read again only by the body below, maybe never (the SDK may cancel it first): no unhandled rejection meanwhile.
  pending?.catch(() => undefined);
  let replay = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (replay < chunks.length) {
          controller.enqueue(chunks[replay]!);
          chunks[replay++] = EMPTY;
          return;
        }
        if (rest && 'done' in rest) {
          controller.close();
          return;
        }
        if (rest && 'error' in rest) {
          controller.error(rest.error);
          return;
        }
        try {
          const read = pending ?? reader.read();
          pending = undefined;
          const result = await read;
          if (result.done) controller.close();
          else controller.enqueue(result.value);
        } catch (error) {
          controller.error(error);
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  const replayed = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(replayed, 'url', { value: response.url, configurable: true });
  Object.defineProperty(replayed, 'redirected', { value: response.redirected, configurable: true });
  return replayed;
}

const EMPTY = new Uint8Array(0);
const NOT_YET = Symbol('not yet');

function readOrAbort(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  signal?: AbortSignal | null,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  if (!signal) return reader.read();
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    reader.read().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
