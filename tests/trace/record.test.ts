// The recording fetch against a real HTTP server on 127.0.0.1 (no mocked fetch).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordingFetch, SecretSet, TraceLog, type HttpEndEvent, type TraceEvent } from '@/lib/trace';
import { notificationFoldFor } from '@/lib/trace/fold';
import { parseSseFrames } from '@/lib/trace/sse';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void | Promise<void>;

const routes = new Map<string, Handler>();
let server: http.Server;
let base: string;

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const handler = routes.get(`${req.method} ${req.url?.split('?')[0]}`);
      if (!handler) {
        res.writeHead(404).end('no route');
        return;
      }
      void handler(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function newLog(limits?: ConstructorParameters<typeof TraceLog>[1]) {
  return new TraceLog({ sessionId: 't', serverUrl: base, startedAt: Date.now(), transport: 'auto' }, limits);
}

function ofKind<K extends TraceEvent['kind']>(log: TraceLog, kind: K): Extract<TraceEvent, { kind: K }>[] {
  return log.events().filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}

/** Waits for the exchange's http.end (the stream wrapper records it when the body finishes). */
async function waitForEnd(log: TraceLog, exchangeId?: string): Promise<HttpEndEvent> {
  for (let i = 0; i < 200; i++) {
    const end = ofKind(log, 'http.end').find((e) => exchangeId === undefined || e.exchangeId === exchangeId);
    if (end) return end;
    await sleep(10);
  }
  throw new Error('no http.end recorded');
}

describe('createRecordingFetch', () => {
  it('records a JSON response: request, response headers and timing, body at the end', async () => {
    routes.set('GET /.well-known/oauth-protected-resource', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-trace': 'yes' });
      res.end(JSON.stringify({ resource: `${base}/mcp`, authorization_servers: ['https://as.example'] }));
    });
    const log = newLog();
    const f = createRecordingFetch(log, { context: () => ({ phaseId: 'ph9', purpose: 'oauth' }) });
    const res = await f(`${base}/.well-known/oauth-protected-resource`, { headers: { Accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-trace')).toBe('yes');
    expect(res.url).toBe(`${base}/.well-known/oauth-protected-resource`);
    const json = (await res.json()) as { resource: string };
    expect(json.resource).toBe(`${base}/mcp`);

    const [req] = ofKind(log, 'http.request');
    expect(req).toMatchObject({ method: 'GET', purpose: 'oauth', phaseId: 'ph9', headers: [['accept', 'application/json']] });
    const [resp] = ofKind(log, 'http.response');
    expect(resp).toMatchObject({ exchangeId: req.exchangeId, status: 200, statusText: 'OK' });
    expect(resp.headers).toContainEqual(['x-trace', 'yes']);
    expect(resp.ttfbMs).toBeGreaterThanOrEqual(0);
    const end = await waitForEnd(log);
    expect(end.exchangeId).toBe(req.exchangeId);
    expect(JSON.parse(end.body?.text ?? '')).toEqual(json);
    expect(end.body).toMatchObject({ encoding: 'utf8', truncated: false });
    expect(end.bytes).toBe(end.body?.size);
    expect(end.durationMs).toBeGreaterThanOrEqual(resp.ttfbMs);
    expect(ofKind(log, 'rpc')).toHaveLength(0);
    expect(log.events().map((e) => e.kind)).toEqual(['http.request', 'http.response', 'http.end']);
  });

  it('records and pairs a JSON-RPC answer in a POST response body, with secrets masked', async () => {
    routes.set('POST /messages', (_req, res, body) => {
      const msg = JSON.parse(body) as { id: number };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { tools: [{ name: 'echo' }] } }));
    });
    const log = newLog();
    const secrets = new SecretSet();
    const f = createRecordingFetch(log, { secrets, secretHeaderNames: ['X-Tenant-Key'] });
    const token = 'tok_live_0123456789ABCDEF';
    const res = await f(`${base}/messages?api_key=AKIA99998888`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'X-Tenant-Key': 'tenant-secret-42' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list', params: { note: `token is ${token}` } }),
    });
    expect(((await res.json()) as { result: unknown }).result).toEqual({ tools: [{ name: 'echo' }] });
    await waitForEnd(log);

    const [req] = ofKind(log, 'http.request');
    expect(req.purpose).toBe('mcp');
    expect(req.url).toBe(`${base}/messages?api_key=••••8888`);
    expect(new Map(req.headers).get('authorization')).toBe('Bearer ••••CDEF');
    expect(new Map(req.headers).get('x-tenant-key')).toBe('••••t-42');
    expect(req.body?.text).toContain('token is ••••CDEF');
    expect(JSON.stringify(log.events())).not.toContain(token);

    const rpc = ofKind(log, 'rpc');
    expect(rpc).toHaveLength(2);
    const [out, inn] = rpc;
    expect(out).toMatchObject({ direction: 'out', type: 'request', method: 'tools/list', id: 5, exchangeId: req.exchangeId });
    expect((out.message as { params: { note: string } }).params.note).toBe('token is ••••CDEF');
    expect(inn).toMatchObject({ direction: 'in', type: 'result', id: 5, method: 'tools/list', pairSeq: out.seq });
    expect(inn.latencyMs).toBeGreaterThanOrEqual(0);
    expect(log.events().map((e) => e.kind)).toEqual(['http.request', 'rpc', 'http.response', 'http.end', 'rpc']);
  });

  it('streams SSE without buffering: the consumer gets frame 1 before the server writes frame 2', async () => {
    const firstFrameConsumed = deferred();
    let secondWrittenAt = 0;
    routes.set('POST /mcp', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      res.write('id: 1\nevent: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}\n\n');
      // The server goes on only once the consumer has seen frame 1: a buffering wrapper would deadlock here.
      await firstFrameConsumed.promise;
      await sleep(30);
      res.write(': keep-alive\n\n');
      await sleep(30);
      secondWrittenAt = performance.now();
      res.write('id: 2\nevent: message\ndata: {"jsonrpc":"2.0",');
      await sleep(30);
      res.write('"id":11,"result":{"content":[]}}\r\n\r\n');
      res.end();
    });
    const log = newLog();
    const f = createRecordingFetch(log);
    const res = await f(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 11, method: 'tools/call', params: { name: 'slow' } }),
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const readFirstFrame = async () => {
      while (!text.includes('\n\n')) {
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended before frame 1');
        text += value;
      }
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('frame 1 did not reach the consumer: the recording fetch holds chunks back')), 3000);
    });
    await Promise.race([readFirstFrame(), stalled]).finally(() => clearTimeout(timer));
    const firstFrameAt = performance.now();
    // Recorded synchronously: frame 1 is in the log by the time the consumer has it.
    expect(ofKind(log, 'sse.frame').map((f) => f.id)).toEqual(['1']);
    firstFrameConsumed.resolve();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    expect(firstFrameAt).toBeLessThan(secondWrittenAt);
    expect(text).toContain('"id":11,"result"');
    const end = await waitForEnd(log);
    expect(end.error).toBeUndefined();
    expect(end.aborted).toBeUndefined();
    expect(end.body).toBeUndefined();
    expect(end.bytes).toBe(new TextEncoder().encode(text).byteLength);

    const frames = ofKind(log, 'sse.frame');
    expect(frames.map((f) => [f.index, f.id ?? f.comment])).toEqual([
      [0, '1'],
      [1, 'keep-alive'],
      [2, '2'],
    ]);
    expect(frames[2]).toMatchObject({ event: 'message', data: '{"jsonrpc":"2.0","id":11,"result":{"content":[]}}' });
    expect(frames[2].raw).toBe('id: 2\nevent: message\ndata: {"jsonrpc":"2.0","id":11,"result":{"content":[]}}');

    const rpc = ofKind(log, 'rpc');
    expect(rpc.map((r) => [r.direction, r.type, r.method])).toEqual([
      ['out', 'request', 'tools/call'],
      ['in', 'notification', 'notifications/progress'],
      ['in', 'result', 'tools/call'],
    ]);
    expect(rpc[2].pairSeq).toBe(rpc[0].seq);
    expect(rpc[2].latencyMs).toBeGreaterThan(50);
  });

  it('records a consumer cancelling a standing SSE stream as aborted', async () => {
    routes.set('GET /stream', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': hello\n\n');
      // never ends on its own
    });
    const log = newLog();
    const f = createRecordingFetch(log);
    const res = await f(`${base}/stream`, { headers: { accept: 'text/event-stream' } });
    const reader = res.body!.getReader();
    await reader.read();
    await reader.cancel();
    const end = await waitForEnd(log);
    expect(end.aborted).toBe(true);
    expect(end.error).toBeUndefined();
    expect(ofKind(log, 'http.request')[0].purpose).toBe('mcp-stream');
    expect(ofKind(log, 'sse.frame')[0]).toMatchObject({ comment: 'hello', raw: ': hello' });
  });

  it('records the client aborting a stream mid-way as aborted, not as a failure', async () => {
    routes.set('GET /stream2', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': hello\n\n');
    });
    const log = newLog();
    const f = createRecordingFetch(log);
    const ctl = new AbortController();
    const res = await f(`${base}/stream2`, { signal: ctl.signal });
    const reader = res.body!.getReader();
    await reader.read();
    ctl.abort();
    await expect(reader.read()).rejects.toThrow();
    const end = await waitForEnd(log);
    expect(end.aborted).toBe(true);
    expect(end.error).toBeUndefined();
    expect(end.bytes).toBeGreaterThan(0);
  });

  it('records a stream that breaks off as stream_error, with the incomplete frame', async () => {
    routes.set('GET /broken', async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: whole\n\ndata: half');
      await sleep(20);
      res.socket?.destroy();
    });
    const log = newLog();
    const f = createRecordingFetch(log);
    const res = await f(`${base}/broken`);
    await expect(res.text()).rejects.toThrow();
    const end = await waitForEnd(log);
    expect(end.error?.code).toBe('stream_error');
    expect(end.error?.message).toMatch(/broke off after \d+ bytes/);
    const frames = ofKind(log, 'sse.frame');
    expect(frames.map((f) => [f.data, f.incomplete ?? false])).toEqual([
      ['whole', false],
      ['half', true],
    ]);
  });

  it('records a refused connection as connection_refused and rethrows the original error', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));

    const log = newLog();
    const f = createRecordingFetch(log);
    const err = await f(`http://127.0.0.1:${port}/mcp`, { method: 'POST', body: '{}' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError); // undici's own "fetch failed", untouched
    const [end] = ofKind(log, 'http.end');
    expect(end.error?.code).toBe('connection_refused');
    expect(end.error?.message).toBe(`Nothing is listening at 127.0.0.1:${port} — is the server running, and is the port right?`);
    expect(end.bytes).toBe(0);
    expect(ofKind(log, 'http.response')).toHaveLength(0);
  });

  it('records an aborted request as aborted', async () => {
    routes.set('GET /slow', async (_req, res) => {
      await sleep(2000);
      if (!res.destroyed) res.end('late');
    });
    const log = newLog();
    const f = createRecordingFetch(log);
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 30);
    await expect(f(`${base}/slow`, { signal: ctl.signal })).rejects.toThrow();
    const [end] = ofKind(log, 'http.end');
    expect(end).toMatchObject({ aborted: true, error: { code: 'aborted' } });
  });

  it('records a timed-out request as timeout', async () => {
    const log = newLog();
    const f = createRecordingFetch(log);
    await expect(f(`${base}/slow`, { signal: AbortSignal.timeout(30) })).rejects.toThrow();
    expect(ofKind(log, 'http.end')[0].error?.code).toBe('timeout');
  });

  it('captures binary bodies as base64 and caps big bodies while the consumer still gets everything', async () => {
    const binary = new Uint8Array([0, 1, 2, 0xff, 0xfe, 0x80, 10, 13]);
    routes.set('GET /bin', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.from(binary));
    });
    routes.set('GET /big', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 10; i++) res.write('é'.repeat(500)); // 1000 bytes each
      res.end();
    });
    const log = newLog({ maxBodyBytes: 2501 });
    const f = createRecordingFetch(log);
    const bin = new Uint8Array(await (await f(`${base}/bin`)).arrayBuffer());
    expect([...bin]).toEqual([...binary]);
    const binEnd = await waitForEnd(log);
    expect(binEnd.body).toEqual({ text: Buffer.from(binary).toString('base64'), encoding: 'base64', size: 8, truncated: false });

    const big = await (await f(`${base}/big`)).text();
    expect(big.length).toBe(5000);
    const bigEnd = await waitForEnd(log, ofKind(log, 'http.request')[1].exchangeId);
    expect(bigEnd.body).toMatchObject({ encoding: 'utf8', size: 10_000, truncated: true });
    // Cut at the cap, never in the middle of a two-byte character.
    expect(bigEnd.body?.text).toBe('é'.repeat(1250));
  });

  it('returns bodiless responses as they are (204) and still ends the exchange', async () => {
    routes.set('DELETE /mcp', (_req, res) => {
      res.writeHead(204).end();
    });
    const log = newLog();
    const f = createRecordingFetch(log);
    const res = await f(`${base}/mcp`, { method: 'DELETE', headers: { 'mcp-session-id': 'abc' } });
    expect(res.status).toBe(204);
    expect(log.events().map((e) => e.kind)).toEqual(['http.request', 'http.response', 'http.end']);
    expect(ofKind(log, 'http.request')[0].headers).toEqual([['mcp-session-id', 'abc']]);
  });

  it('pairs a server→client request on a stream with the answer the client POSTs back', async () => {
    routes.set('GET /listen', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"jsonrpc":"2.0","id":0,"method":"elicitation/create","params":{}}\n\n');
    });
    routes.set('POST /answer', (_req, res) => {
      res.writeHead(202).end();
    });
    const log = newLog();
    const f = createRecordingFetch(log);
    await (await f(`${base}/listen`)).text();
    const res = await f(`${base}/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, result: { action: 'accept' } }),
    });
    await res.text();
    const answerEnd = await waitForEnd(log, ofKind(log, 'http.request')[1].exchangeId);
    expect(answerEnd).toMatchObject({ bytes: 0 });
    expect(answerEnd.body).toBeUndefined();
    expect(answerEnd.aborted).toBeUndefined();
    const rpc = ofKind(log, 'rpc');
    expect(rpc.map((r) => [r.direction, r.type])).toEqual([
      ['in', 'request'],
      ['out', 'result'],
    ]);
    expect(rpc[1]).toMatchObject({ pairSeq: rpc[0].seq, method: 'elicitation/create' });
  });

  it('notes a JSON content type whose body is not JSON', async () => {
    routes.set('GET /notjson', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>oops</html>');
    });
    const log = newLog();
    const f = createRecordingFetch(log);
    await (await f(`${base}/notjson`)).text();
    await waitForEnd(log);
    expect(ofKind(log, 'finding')).toEqual([expect.objectContaining({ code: 'invalid_json_body', severity: 'warning' })]);
  });

  describe('a stream whose notifications go unheard (a handshake: notificationsUnheard)', () => {
    const message = (i: number) => ({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: `flood ${i}` } });
    const events = [
      ...Array.from({ length: 40 }, (_, i) => `event: message\ndata: ${JSON.stringify(message(i))}\n\n`),
      `data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } })}\r\n\r\n`,
      `id: 7\ndata: ${JSON.stringify(message(40))}\n\n`,
      ': keep-alive\n\n',
      `data: ${JSON.stringify(message(41))}\n\n`,
      `data: ${JSON.stringify({ jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-06-18' } })}\n\n`,
    ];
    const text = events.join('');
    /** The stream's bytes in pieces of `size` (the whole text at once when undefined). */
    const serving =
      (size?: number): typeof fetch =>
      async () => {
        const bytes = new TextEncoder().encode(text);
        const step = size ?? bytes.byteLength;
        return new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              for (let at = 0; at < bytes.byteLength; at += step) controller.enqueue(bytes.slice(at, at + step));
              controller.close();
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        );
      };
    const read = async (size: number | undefined, notificationsUnheard: boolean) => {
      const log = newLog({ notificationBurst: 10, notificationRate: 1 });
      const f = createRecordingFetch(log, { baseFetch: serving(size), context: () => ({ notificationsUnheard }) });
      const handed = await (await f(`${base}/mcp`, { method: 'POST', body: '{}' })).text();
      await waitForEnd(log);
      return { log, handed, frames: parseSseFrames([handed]) };
    };
    const kept = (log: TraceLog) => ofKind(log, 'rpc').filter((e) => e.method === 'notifications/message').length;

    it('records every notification (kept + folded = sent) and hands on only what the client acts on', async () => {
      const { log, handed, frames } = await read(undefined, true);
      expect(kept(log) + notificationFoldFor(log).folded).toBe(42);
      expect(notificationFoldFor(log).folded).toBeGreaterThan(0);
      // Handed on: the progress, the event with an id, the comment and the answer; no other notifications/message.
      expect(frames.filter((f) => f.data?.includes('notifications/message')).map((f) => f.id)).toEqual(['7']);
      expect(frames.some((f) => f.data?.includes('notifications/progress'))).toBe(true);
      expect(frames.at(-1)!.data).toContain('"result"');
      expect(frames.some((f) => f.comment?.includes('keep-alive'))).toBe(true);
      expect(handed.length).toBeLessThan(text.length / 5);
    });

    it('hands on events that span chunks whole, and the stream stays well formed in any chunking', async () => {
      for (const size of [1, 7, 64, 300]) {
        const { log, handed, frames } = await read(size, true);
        expect(kept(log) + notificationFoldFor(log).folded).toBe(42);
        // What is handed on is whole events of the stream, in order.
        const all = parseSseFrames([text]).map((f) => f.raw);
        let at = 0;
        for (const frame of frames) {
          at = all.indexOf(frame.raw, at) + 1;
          expect(at).toBeGreaterThan(0);
        }
        expect(handed.endsWith(events.at(-1)!)).toBe(true);
        expect(frames.some((f) => f.data?.includes('notifications/progress'))).toBe(true);
      }
    });

    it('hands every event on when the client hears notifications', async () => {
      const { log, handed } = await read(13, false);
      expect(handed).toBe(text);
      expect(kept(log) + notificationFoldFor(log).folded).toBe(42);
    });
  });

  it('lets the event loop through while it works off a flood that is already buffered, and answers short responses at once', async () => {
    // 16 MB of notifications available at once, as when a flooding server is ahead of the process: worked off in
    // promise callbacks alone, none of it would let a timer or another session's response through until the end.
    const frame = `data: ${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x'.repeat(200) } })}\n\n`;
    const chunk = new TextEncoder().encode(frame.repeat(Math.floor(65_536 / frame.length)));
    const chunks = Math.ceil((16 * 1024 * 1024) / chunk.byteLength);
    const flood: typeof fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (let i = 0; i < chunks; i++) controller.enqueue(chunk);
            controller.close();
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      );
    const short: typeof fetch = async () =>
      new Response('{"jsonrpc":"2.0","id":7,"result":{}}', { headers: { 'content-type': 'application/json' } });
    const order: string[] = [];
    const flooded = createRecordingFetch(newLog(), { baseFetch: flood });
    const quiet = createRecordingFetch(newLog(), { baseFetch: short });
    const reading = (async () => {
      await (await flooded(`${base}/flood`, { method: 'POST', body: '{}' })).arrayBuffer();
      order.push('flood read');
    })();
    await sleep(0);
    setTimeout(() => order.push('timer'), 0);
    const answered = (async () => {
      await (await quiet(`${base}/short`, { method: 'POST', body: '{}' })).text();
      order.push('short answer');
    })();
    await Promise.all([reading, answered]);
    expect(order.indexOf('timer')).toBeLessThan(order.indexOf('flood read'));
    expect(order.indexOf('short answer')).toBeLessThan(order.indexOf('flood read'));
  });
});
