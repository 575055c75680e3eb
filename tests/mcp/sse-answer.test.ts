// A POST's event-stream answer that is one complete JSON-RPC response reaches the SDK as the equivalent JSON
// answer; anything else (a stream still open, ids, retries, other events, a mismatch) is handed on unchanged,
// its bytes replayed. Unit tests with streams the test controls, then the engine against a real SDK server.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { connect } from '@/lib/mcp';
import { convertibleRequestId, settleSseAnswer, SSE_ANSWER_LIMIT } from '@/lib/mcp/sse-answer';
import { Wire } from '@/lib/mcp/wire';
import { SecretSet, TraceLog } from '@/lib/trace';
import type { RpcEvent, SseFrameEvent } from '@/lib/trace/types';
import { cleanupsAfterEach } from '../fixtures/suite';
import { startStatefulServer } from './servers';

const cleanups = cleanupsAfterEach({ tolerant: true });
const encoder = new TextEncoder();

/** A body the test feeds chunk by chunk. */
function controlled() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled: unknown = 'not cancelled';
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel(reason) {
      cancelled = reason;
    },
  });
  return {
    stream,
    push: (text: string) => controller.enqueue(encoder.encode(text)),
    close: () => controller.close(),
    fail: (error: unknown) => controller.error(error),
    cancelled: () => cancelled,
  };
}

function sseResponse(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status: 200,
    statusText: 'OK',
    headers: { 'content-type': 'text/event-stream', 'mcp-session-id': 's-1', 'content-length': '999', ...headers },
  });
}

const RESULT = { jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'hi' }] } };
const frame = (data: unknown, extra = '') => `${extra}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/** The whole stream given at once, ended. */
async function settleWhole(text: string | string[], requestId: string | number = 7, headers?: Record<string, string>) {
  const body = controlled();
  for (const chunk of Array.isArray(text) ? text : [text]) body.push(chunk);
  body.close();
  return settleSseAnswer(sseResponse(body.stream, headers), requestId);
}

async function expectHandedOn(response: Response, text: string): Promise<void> {
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  expect(await response.text()).toBe(text);
}

describe('settleSseAnswer', () => {
  it('converts a complete one-response stream into the JSON answer', async () => {
    const original = sseResponse(new ReadableStream());
    Object.defineProperty(original, 'url', { value: 'http://127.0.0.1:1/mcp' });
    const body = controlled();
    body.push(': a comment the SDK ignores\n\n');
    body.push(frame(RESULT, 'event: message\n'));
    body.close();
    const source = sseResponse(body.stream);
    Object.defineProperty(source, 'url', { value: 'http://127.0.0.1:1/mcp' });
    Object.defineProperty(source, 'redirected', { value: true });
    const converted = await settleSseAnswer(source, 7);
    expect(converted.status).toBe(200);
    expect(converted.statusText).toBe('OK');
    expect(converted.headers.get('content-type')).toBe('application/json');
    expect(converted.headers.get('content-length')).toBeNull();
    expect(converted.headers.get('mcp-session-id')).toBe('s-1');
    expect(converted.url).toBe('http://127.0.0.1:1/mcp');
    expect(converted.redirected).toBe(true);
    expect(await converted.json()).toEqual(RESULT);
  });

  it('converts an error response and one split over chunks (CRLF lines, a string id)', async () => {
    const error = { jsonrpc: '2.0', id: 'a', error: { code: -32602, message: 'bad' } };
    const converted = await settleWhole(['data: {"jsonrpc":"2.0",', `"id":"a","error":${JSON.stringify(error.error)}}\r\n\r\n`], 'a');
    expect(converted.headers.get('content-type')).toBe('application/json');
    expect(await converted.json()).toEqual(error);
  });

  it('hands on a stream still open after its first chunk, replaying it, and lets later chunks flow', async () => {
    const body = controlled();
    const progress = frame({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 7, progress: 1 } });
    body.push(progress);
    const handed = await settleSseAnswer(sseResponse(body.stream), 7);
    expect(handed.headers.get('content-type')).toBe('text/event-stream');
    const reader = handed.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe(progress);
    // Nothing more has arrived: the reader waits for the network like the SDK's would.
    const next = reader.read();
    body.push(frame(RESULT));
    expect((await next).value).toBe(frame(RESULT));
    body.close();
    expect((await reader.read()).done).toBe(true);
  });

  it('does not convert a complete one-response stream that has not ended yet', async () => {
    const body = controlled();
    body.push(frame(RESULT));
    const handed = await settleSseAnswer(sseResponse(body.stream), 7);
    expect(handed.headers.get('content-type')).toBe('text/event-stream');
    setTimeout(() => body.close(), 5);
    expect(await handed.text()).toBe(frame(RESULT));
  });

  const refused: Array<[string, string, (string | number)?]> = [
    ['an id line (a resumption token)', frame(RESULT, 'id: 1\n')],
    ['an id on an event without data', `id: 5\n\n${frame(RESULT)}`],
    ['a retry line', frame(RESULT, 'retry: 1000\n')],
    ['a retry on its own', `retry: 1000\n\n${frame(RESULT)}`],
    ['an event name other than message', frame(RESULT, 'event: other\n')],
    ['two data events', `${frame(RESULT)}${frame(RESULT)}`],
    [
      'a notification before the response',
      `${frame({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } })}${frame(RESULT)}`,
    ],
    ['another named event with data', `${frame('x', 'event: ping\n')}${frame(RESULT)}`],
    ['invalid JSON', frame('{"jsonrpc":"2.0","id":7,')],
    ['an id that does not match', frame({ ...RESULT, id: 8 })],
    ['an id of another type', frame({ ...RESULT, id: '7' })],
    ['a notification alone', frame({ jsonrpc: '2.0', method: 'notifications/message', params: {} })],
    ['a batch in the data', frame([RESULT])],
    ['a response the SDK schema refuses', frame({ jsonrpc: '2.0', id: 7, result: {}, extra: 1 })],
    ['an error without a code', frame({ jsonrpc: '2.0', id: 7, error: { message: 'x' } })],
    ['an event cut off before its blank line', `data: ${JSON.stringify(RESULT)}`],
    ['no event at all', ': only a comment\n\n'],
  ];
  for (const [what, text, id] of refused) {
    it(`hands on, unchanged, a stream with ${what}`, async () => {
      await expectHandedOn(await settleWhole(text, id ?? 7), text);
    });
  }

  it('hands on an answer over the size limit', async () => {
    const big = { ...RESULT, result: { content: [{ type: 'text', text: 'x'.repeat(SSE_ANSWER_LIMIT) }] } };
    await expectHandedOn(await settleWhole(frame(big)), frame(big));
  });

  it('replays what was read, then fails as the original did, when the body breaks after its first chunk', async () => {
    const body = controlled();
    body.push('data: {"jsonrpc":"2.0",');
    const broken = new TypeError('terminated');
    queueMicrotask(() => body.fail(broken));
    const handed = await settleSseAnswer(sseResponse(body.stream), 7);
    expect(handed.headers.get('content-type')).toBe('text/event-stream');
    const reader = handed.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: {"jsonrpc":"2.0",');
    await expect(reader.read()).rejects.toBe(broken);
  });

  it('hands on an empty body as it was', async () => {
    await expectHandedOn(await settleWhole([]), '');
  });

  it("rejects with the signal's reason and cancels the body when aborted before the first chunk", async () => {
    const body = controlled();
    const controller = new AbortController();
    const settled = settleSseAnswer(sseResponse(body.stream), 7, controller.signal);
    const reason = new DOMException('stop', 'AbortError');
    controller.abort(reason);
    await expect(settled).rejects.toBe(reason);
    expect(body.cancelled()).toBe(reason);
  });

  it('cancels the original body when the SDK cancels a handed-on one', async () => {
    const body = controlled();
    body.push(frame(RESULT, 'id: 1\n'));
    const handed = await settleSseAnswer(sseResponse(body.stream), 7);
    await handed.body!.cancel('done');
    expect(body.cancelled()).toBe('done');
  });
});

describe('convertibleRequestId', () => {
  it('takes one request with an id, not a batch, a notification, subscriptions/listen or a GET', () => {
    expect(convertibleRequestId('POST', { jsonrpc: '2.0', id: 3, method: 'tools/call' })).toBe(3);
    expect(convertibleRequestId('POST', { jsonrpc: '2.0', id: 'x', method: 'tools/list' })).toBe('x');
    expect(convertibleRequestId('POST', [{ jsonrpc: '2.0', id: 3, method: 'tools/call' }])).toBeUndefined();
    expect(convertibleRequestId('POST', { jsonrpc: '2.0', method: 'notifications/initialized' })).toBeUndefined();
    expect(convertibleRequestId('POST', { jsonrpc: '2.0', id: 4, method: 'subscriptions/listen' })).toBeUndefined();
    expect(convertibleRequestId('POST', { jsonrpc: '2.0', id: 3, result: {} })).toBeUndefined();
    expect(convertibleRequestId('GET', { jsonrpc: '2.0', id: 3, method: 'tools/call' })).toBeUndefined();
    expect(convertibleRequestId('POST', undefined)).toBeUndefined();
  });
});

describe('Wire', () => {
  function wireOver(answer: () => Response) {
    const log = new TraceLog({ sessionId: 't', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: Date.now(), transport: 'auto' });
    const wire = new Wire({
      log,
      secrets: new SecretSet(),
      secretHeaderNames: [],
      baseFetch: (async () => answer()) as typeof fetch,
      planner: () => ({ context: { purpose: 'mcp' } }),
    });
    const post = (body: unknown) =>
      wire.fetch('http://127.0.0.1:1/mcp', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { log, wire, post };
  }
  const complete = () => {
    const body = controlled();
    body.push(frame(RESULT));
    body.close();
    return sseResponse(body.stream);
  };

  it('converts a tools/call answer and the log still has its frame and both messages', async () => {
    const { log, wire, post } = wireOver(complete);
    const response = await post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'x' } });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual(RESULT);
    expect(wire.lastObservation).toMatchObject({ status: 200, contentType: 'text/event-stream', errorLike: false });
    const frames = log.events().filter((e): e is SseFrameEvent => e.kind === 'sse.frame');
    expect(frames.map((f) => f.data)).toEqual([JSON.stringify(RESULT)]);
    const rpc = log.events().filter((e): e is RpcEvent => e.kind === 'rpc');
    expect(rpc.map((e) => [e.direction, e.type, e.id])).toEqual([
      ['out', 'request', 7],
      ['in', 'result', 7],
    ]);
    expect(log.events().some((e) => e.kind === 'http.end')).toBe(true);
  });

  it('hands on the answer to a batch, to subscriptions/listen, and when switched off', async () => {
    const batch = wireOver(complete);
    const toBatch = await batch.post([{ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'x' } }]);
    await expectHandedOn(toBatch, frame(RESULT));
    const listen = wireOver(complete);
    await expectHandedOn(await listen.post({ jsonrpc: '2.0', id: 7, method: 'subscriptions/listen', params: {} }), frame(RESULT));
    const off = wireOver(complete);
    off.wire.sseAnswersAsJson = false;
    await expectHandedOn(await off.post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'x' } }), frame(RESULT));
  });
});

describe('against a real SDK server', () => {
  async function statefulServer() {
    const server = await startStatefulServer();
    cleanups.push(() => server.close());
    return server;
  }

  it('the engine still gets the result, logs the frame and both messages, and hears progress sent before the result', async () => {
    const server = await statefulServer();
    const log = new TraceLog({ sessionId: 'test', serverUrl: server.url, startedAt: Date.now(), transport: 'auto' });
    const connection = await connect({
      url: server.url,
      transport: 'auto',
      headers: {},
      log,
      secrets: new SecretSet(),
      connectTimeoutMs: 10_000,
      requestTimeoutMs: 10_000,
    });
    cleanups.push(() => connection.close());
    const before = log.lastSeq;
    const outcome = await connection.request('tools/call', { name: 'echo', arguments: { text: 'hello' } });
    expect(outcome).toMatchObject({ result: { content: [{ type: 'text', text: 'hello' }] } });
    const events = log.events().filter((e) => e.seq > before);
    const frames = events.filter((e): e is SseFrameEvent => e.kind === 'sse.frame' && e.data !== undefined);
    expect(frames).toHaveLength(1);
    expect(JSON.parse(frames[0]!.data!)).toMatchObject({ result: { content: [{ text: 'hello' }] } });
    const rpc = events.filter((e): e is RpcEvent => e.kind === 'rpc');
    expect(rpc.map((e) => [e.direction, e.type, e.method])).toEqual([
      ['out', 'request', 'tools/call'],
      ['in', 'result', 'tools/call'],
    ]);

    const seen: number[] = [];
    const slow = await connection.request(
      'tools/call',
      { name: 'slow', arguments: { ms: 200 } },
      { onProgress: (p) => seen.push(p.progress) },
    );
    expect(slow).toMatchObject({ result: { content: [{ type: 'text', text: 'waited 200 ms' }] } });
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('the SDK client is given JSON for a complete answer and the live stream for one with progress', async () => {
    const server = await statefulServer();
    const log = new TraceLog({ sessionId: 'test', serverUrl: server.url, startedAt: Date.now(), transport: 'auto' });
    const wire = new Wire({ log, secrets: new SecretSet(), secretHeaderNames: [], planner: () => ({ context: { purpose: 'mcp' } }) });
    const handed: Array<{ method: unknown; contentType: string | null }> = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const response = await wire.fetch(input, init);
      const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { method?: unknown }) : undefined;
      handed.push({ method: body?.method, contentType: response.headers.get('content-type') });
      return response;
    }) as typeof globalThis.fetch;
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { fetch }));
    cleanups.push(() => client.close());
    const echoed = await client.callTool({ name: 'echo', arguments: { text: 'hi' } });
    expect(echoed.content).toEqual([{ type: 'text', text: 'hi' }]);
    expect(handed.filter((h) => h.method === 'tools/call')).toEqual([{ method: 'tools/call', contentType: 'application/json' }]);

    const progress: number[] = [];
    const slow = await client.callTool({ name: 'slow', arguments: { ms: 200 } }, { onprogress: (p) => progress.push(p.progress) });
    expect(slow.content).toEqual([{ type: 'text', text: 'waited 200 ms' }]);
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(handed.filter((h) => h.method === 'tools/call').at(-1)).toEqual({ method: 'tools/call', contentType: 'text/event-stream' });
    // The recorder saw every frame of the live stream.
    const progressFrames = log.events().filter((e) => e.kind === 'sse.frame' && e.data?.includes('notifications/progress'));
    expect(progressFrames).toHaveLength(4);
  });
});
