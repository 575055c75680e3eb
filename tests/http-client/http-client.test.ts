// lib/http-client against real node:http servers on 127.0.0.1: the parts of fetch's behaviour mcpscope relies on.
import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createHttpFetch, filterBody, httpFetch } from '@/lib/http-client';
import { httpServersClosedAfterEach } from '../fixtures/http-servers';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

const servers = httpServersClosedAfterEach();

async function serve(
  handler: Handler,
): Promise<{ url: string; seen: Array<{ method: string; headers: http.IncomingHttpHeaders; body: string; port: number }> }> {
  const seen: Array<{ method: string; headers: http.IncomingHttpHeaders; body: string; port: number }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', headers: req.headers, body, port: req.socket.remotePort ?? 0 });
      handler(req, res, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, seen };
}

describe('http-client fetch', () => {
  it('sends a JSON body with its length and reads the answer; connections are kept alive', async () => {
    const server = await serve((_req, res, body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ echoed: JSON.parse(body) }));
    });
    const first = await httpFetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(first.status).toBe(200);
    expect(first.ok).toBe(true);
    expect(first.url).toBe(server.url);
    expect(await first.json()).toEqual({ echoed: { a: 1 } });
    const second = await httpFetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":2}' });
    expect(await second.json()).toEqual({ echoed: { a: 2 } });
    expect(server.seen[0]!.headers['content-length']).toBe('7');
    expect(server.seen[0]!.headers['user-agent']).toBe('mcpscope');
    expect(server.seen[1]!.port).toBe(server.seen[0]!.port); // the same socket, reused
  });

  it('sends a request again on a new connection when the kept-alive one it was written to had been closed by the server', async () => {
    // The race of an idle keep-alive timeout, made certain: the server drops every connection at its second request
    // unread, as a server whose idle timer fired just as the request arrived.
    const connections: number[] = [];
    const server = http.createServer((req, res) => {
      const socket = req.socket as typeof req.socket & { served?: number };
      socket.served = (socket.served ?? 0) + 1;
      if (socket.served === 1) connections.push(socket.remotePort ?? 0);
      if (socket.served > 1) {
        socket.destroy();
        return;
      }
      req.resume();
      req.on('end', () => res.end(JSON.stringify({ served: connections.length })));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
    const pooled = createHttpFetch();
    expect(await (await pooled(url, { method: 'POST', body: '{"a":1}' })).json()).toEqual({ served: 1 });
    expect(await (await pooled(url, { method: 'POST', body: '{"a":2}' })).json()).toEqual({ served: 2 });
    expect(connections).toHaveLength(2);
    // A streamed body cannot be sent twice: that failure is the caller's.
    const streamed = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{}'));
        controller.close();
      },
    });
    await expect(pooled(url, { method: 'POST', body: streamed, duplex: 'half' } as RequestInit)).rejects.toThrow('fetch failed');
  });

  it('encodes form bodies and byte bodies as fetch does', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    await httpFetch(server.url, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'a b' }) });
    await httpFetch(server.url, { method: 'POST', body: new TextEncoder().encode('bytes') });
    await httpFetch(server.url, {
      method: 'POST',
      body: new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode('streamed')), c.close()) }),
      duplex: 'half',
    } as RequestInit);
    expect(server.seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(server.seen[0]!.body).toBe('grant_type=client_credentials&scope=a+b');
    expect(server.seen[1]!.body).toBe('bytes');
    expect(server.seen[2]!.body).toBe('streamed');
  });

  it('passes each chunk of a stream on as it arrives (the server sends the second only after the first was read)', async () => {
    let sendSecond: (() => void) | undefined;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      sendSecond = () => res.end('data: two\n\n');
    });
    const response = await httpFetch(server.url);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: one\n\n');
    sendSecond!();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: two\n\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('decodes gzip and br, keeping Content-Encoding, and keeps every Set-Cookie and the status text', async () => {
    const server = await serve((req, res) => {
      const payload = JSON.stringify({ big: 'x'.repeat(10_000) });
      const br = req.headers['x-want'] === 'br';
      res.writeHead(201, 'Made It', [
        ['content-type', 'application/json'],
        ['content-encoding', br ? 'br' : 'gzip'],
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
      ]);
      res.end(br ? zlib.brotliCompressSync(payload) : zlib.gzipSync(payload));
    });
    const gzip = await httpFetch(server.url);
    expect(server.seen[0]!.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(gzip.status).toBe(201);
    expect(gzip.statusText).toBe('Made It');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gzip.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(((await gzip.json()) as { big: string }).big).toHaveLength(10_000);
    const br = await httpFetch(server.url, { headers: { 'x-want': 'br' } });
    expect(((await br.json()) as { big: string }).big).toHaveLength(10_000);
  });

  it('gives no body for HEAD and 204, and any status a server sends', async () => {
    const server = await serve((req, res) => {
      res.writeHead(req.method === 'HEAD' ? 200 : req.headers['x-status'] ? Number(req.headers['x-status']) : 204);
      res.end();
    });
    expect((await httpFetch(server.url, { method: 'HEAD' })).body).toBeNull();
    expect((await httpFetch(server.url)).body).toBeNull();
    const odd = await httpFetch(server.url, { headers: { 'x-status': '599' } });
    expect(odd.status).toBe(599);
    const outOfRange = await httpFetch(server.url, { headers: { 'x-status': '600' } });
    expect(outOfRange.status).toBe(600);
    expect(outOfRange.ok).toBe(false);
  });

  it('fails as fetch fails: TypeError "fetch failed" with the system error as cause', async () => {
    const server = await serve((_req, res) => res.end());
    const url = server.url;
    servers.splice(0).forEach((s) => s.close());
    await new Promise((resolve) => setTimeout(resolve, 50));
    const error = await httpFetch(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('fetch failed');
    expect(((error as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('aborts: before the answer the promise rejects with the reason, after it the body errors; no listener stays', async () => {
    const server = await serve((req, res) => {
      if (req.headers['x-hang'] === 'head') return; // never answers
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
    });
    const before = new AbortController();
    const pending = httpFetch(server.url, { headers: { 'x-hang': 'head' }, signal: before.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    before.abort(new Error('gave up'));
    await expect(pending).rejects.toThrow('gave up');
    expect(getEventListeners(before.signal, 'abort')).toHaveLength(0);

    const during = new AbortController();
    const response = await httpFetch(server.url, { signal: during.signal });
    const reader = response.body!.getReader();
    await reader.read();
    during.abort();
    await expect(reader.read()).rejects.toThrow();
    expect(getEventListeners(during.signal, 'abort')).toHaveLength(0);
    await expect(httpFetch(server.url, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('lets a layer above check each chunk in its one pump (filterBody): it sees every byte, can end the body with an error, and is told once when the body is done', async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('abc');
      setTimeout(() => res.end(req.url === '/mcp?long' ? 'd'.repeat(100) : 'def'), 20);
    });
    const seen: string[] = [];
    let ended = 0;
    let settled = 0;
    const filter = (limit: number) => ({
      chunk(chunk: Uint8Array) {
        seen.push(Buffer.from(chunk).toString('utf8'));
        return seen.join('').length > limit ? new Error('over the limit') : [chunk];
      },
      end: () => (ended++, []),
      failed: () => [],
      settled: () => void settled++,
    });
    const whole = await httpFetch(server.url);
    expect(filterBody(whole, filter(1000))).toBe(true);
    expect(await whole.text()).toBe('abcdef');
    expect(seen.join('')).toBe('abcdef');
    expect([ended, settled]).toEqual([1, 1]);

    seen.length = 0;
    const cut = await httpFetch(`${server.url}?long`);
    expect(filterBody(cut, filter(50))).toBe(true);
    await expect(cut.text()).rejects.toThrow('over the limit');
    expect([ended, settled]).toEqual([1, 2]);

    // Too late once bytes were handed on (the caller must wrap the body itself), and never for another fetch's Response.
    const late = await httpFetch(server.url);
    const reader = late.body!.getReader();
    await reader.read();
    expect(filterBody(late, filter(1000))).toBe(false);
    await reader.cancel();
    expect(filterBody(new Response('x'), filter(1000))).toBe(false);
  });

  it('lets a filter hold chunks back and hand them on later: at the end, or before the error of a body cut short', async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('abc');
      setTimeout(() => (req.url === '/mcp?cut' ? res.socket?.destroy() : res.end('def')), 20);
    });
    const holding = () => {
      let held: Uint8Array[] = [];
      return {
        chunk(chunk: Uint8Array) {
          held.push(chunk);
          return [];
        },
        end: () => held.splice(0),
        failed: () => held.splice(0),
        settled: () => {
          held = held.slice();
        },
      };
    };
    const whole = await httpFetch(server.url);
    expect(filterBody(whole, holding())).toBe(true);
    expect(await whole.text()).toBe('abcdef');

    const cut = await httpFetch(`${server.url}?cut`);
    expect(filterBody(cut, holding())).toBe(true);
    const reader = cut.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value!).toString('utf8')).toBe('abc');
    // Then the error of the connection that went away (Node calls it "aborted").
    await expect(reader.read()).rejects.toThrow(/aborted|terminated/);
  });

  it('lets a filter pace the body: pieces no larger than it grants, none while it makes the pump wait, the rest told how the body was settled', async () => {
    const body = 'x'.repeat(300_000);
    const server = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(req.url === '/mcp?refused' ? 'abcdef' : body);
    });
    const pieces: number[] = [];
    let asked = 0;
    let waits = 0;
    let waitingNow = false;
    const pacing = {
      chunk(chunk: Uint8Array) {
        // Nothing goes through while the pump waits for the pace.
        expect(waitingNow).toBe(false);
        pieces.push(chunk.byteLength);
        return [chunk];
      },
      end: () => [],
      failed: () => [],
      settled: () => undefined,
      pace(bytes: number) {
        asked++;
        if (asked % 3 === 0) {
          waits++;
          waitingNow = true;
          return new Promise<void>((resolve) => setImmediate(() => ((waitingNow = false), resolve())));
        }
        return Math.min(bytes, 4096);
      },
    };
    const paced = await httpFetch(server.url);
    expect(filterBody(paced, pacing)).toBe(true);
    expect(await paced.text()).toBe(body);
    expect(Math.max(...pieces)).toBeLessThanOrEqual(4096);
    expect(pieces.reduce((a, b) => a + b, 0)).toBe(body.length);
    expect(waits).toBeGreaterThan(10);

    // A refusal is told to the other filters as the body's failure; a reader's cancel as a cancel.
    const told: string[] = [];
    const listening = (name: string, refuse = false) => ({
      chunk: (chunk: Uint8Array) => (refuse ? new Error('refused here') : [chunk]),
      end: () => [],
      failed: (error: unknown) => (told.push(`${name} failed: ${(error as Error).message}`), []),
      settled: (how: string) => void told.push(`${name} ${how}`),
    });
    const refused = await httpFetch(`${server.url}?refused`);
    expect(filterBody(refused, listening('first', true))).toBe(true);
    expect(filterBody(refused, listening('second'))).toBe(true);
    await expect(refused.text()).rejects.toThrow('refused here');
    expect(told).toEqual(['second failed: refused here', 'first failed', 'second failed']);

    told.length = 0;
    const cancelled = await httpFetch(server.url);
    expect(filterBody(cancelled, listening('only'))).toBe(true);
    const reader = cancelled.body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(told).toEqual(['only cancelled']);
  });

  it('paces only what the filters ahead of the pacing hand on: a filter that holds the body and refuses it sees it unpaced', async () => {
    const body = 'y'.repeat(1024 * 1024);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(body);
    });
    // Ahead of the pacing: holds every byte, and refuses the body past 512 KB (as the guard does an event past the cap).
    let seen = 0;
    const capping = {
      chunk(chunk: Uint8Array) {
        seen += chunk.byteLength;
        return seen > 512 * 1024 ? new Error('past the cap') : [];
      },
      end: () => [],
      failed: () => [],
      settled: () => undefined,
    };
    // Grants nothing at all without a wait of a turn per 1 KB: pacing the capping filter too would take hundreds of turns.
    let turns = 0;
    const slow = {
      chunk: (chunk: Uint8Array) => [chunk],
      end: () => [],
      failed: () => [],
      settled: () => undefined,
      pace(bytes: number) {
        return turns++ % 2 === 0 ? new Promise<void>((resolve) => setImmediate(resolve)) : Math.min(bytes, 1024);
      },
    };
    const response = await httpFetch(server.url);
    expect(filterBody(response, capping)).toBe(true);
    expect(filterBody(response, slow)).toBe(true);
    await expect(response.text()).rejects.toThrow('past the cap');
    expect(seen).toBeGreaterThan(512 * 1024);
    // The pacer was never asked: nothing got past the capping filter.
    expect(turns).toBe(0);
  });

  it('resolves names through the lookup it was given (the guard pins hosted-mode connections this way)', async () => {
    const server = await serve((_req, res) => res.end('pinned'));
    const asked: string[] = [];
    const pinned = createHttpFetch({
      lookup: ((
        hostname: string,
        _options: unknown,
        callback: (error: Error | null, address: string | Array<{ address: string; family: number }>, family?: number) => void,
      ) => {
        asked.push(hostname);
        if ((_options as { all?: boolean })?.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
      }) as never,
    });
    const port = new URL(server.url).port;
    expect(await (await pinned(`http://mcp.example.test:${port}/mcp`)).text()).toBe('pinned');
    expect(asked).toEqual(['mcp.example.test']);
  });
});
