// Cluster.forward against holders that fail the way a dying or stuck instance does, each a real loopback server:
// one that refuses, one that accepts and never answers, one that resets mid-request, one that answers and then
// cuts its stream. The caller must always get an answer: the orphan's when the request did not reach the holder,
// a coded 502 when a non-GET may have run, an errored body when a stream stops; never a hang or a throw.
import http from 'node:http';
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cluster, type HandOver } from '@/lib/cluster';
import { handOver, HOLDER_STOPPED_ANSWERING } from '@/lib/sessions/elsewhere';
import type { Store } from '@/lib/store';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

/** A holder on loopback; `handle` decides what it does with each request. */
async function holder(handle: (request: http.IncomingMessage, response: http.ServerResponse) => void) {
  const seen: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    handle(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as net.AddressInfo;
  return { address: `http://127.0.0.1:${port}`, seen };
}

/** A port nothing listens on: a holder whose process is gone and whose machine says so (connection refused). */
async function refusedAddress(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * A holder whose process is stuck (its event loop blocked) with its accept queue full: the machine no longer
 * completes connections to it, so a connect waits for as long as the caller lets it.
 */
async function stuckAddress(): Promise<string> {
  const worker = new Worker(
    `const net = require('node:net');
     const { parentPort } = require('node:worker_threads');
     const server = net.createServer();
     server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
       parentPort.postMessage(server.address().port);
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20000);
     });`,
    { eval: true },
  );
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  // Two connections fill a queue of one (Linux keeps backlog + 1); they complete, later ones do not.
  const fillers = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<net.Socket>((resolve) => {
          const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
        }),
    ),
  );
  cleanups.push(async () => {
    for (const socket of fillers) socket.destroy();
    await worker.terminate();
  });
  return `http://127.0.0.1:${port}`;
}

function cluster(idleMs = 60_000): Cluster {
  // forward never touches the store.
  return new Cluster({ store: async () => ({}) as Store, instanceId: 'inst-caller', idleMs, connectTimeoutMs: 1_000 });
}

const call = () =>
  new Request('http://mcpscope.example/api/sessions/s1/tools/call', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"name":"slow"}',
  });
const events = () => new Request('http://mcpscope.example/api/sessions/s1/events');

/** The hand-over, or 'hung' when it has not settled within `ms`. */
async function within(ms: number, handed: Promise<HandOver>): Promise<HandOver | 'hung'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), ms)));
  try {
    return await Promise.race([handed, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads a body to its end; 'errored' when the stream fails, 'hung' when it neither ends nor fails within `ms`. */
async function readBody(response: Response, ms: number): Promise<{ text: string; end: 'done' | 'errored' | 'hung' }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const deadline = Date.now() + ms;
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), Math.max(0, deadline - Date.now()))));
    try {
      const read = await Promise.race([reader.read(), hung]);
      if (read === 'hung') {
        void reader.cancel().catch(() => undefined);
        return { text, end: 'hung' };
      }
      if (read.done) return { text, end: 'done' };
      text += decoder.decode(read.value, { stream: true });
    } catch {
      return { text, end: 'errored' };
    } finally {
      clearTimeout(timer);
    }
  }
}

describe('handing a request to a holder that fails', () => {
  it('a holder that refuses the connection is unreached, for any method: the caller answers as for an orphan', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const address = await refusedAddress();
    const c = cluster();
    expect(await within(3_000, c.forward(call(), address))).toMatchObject({ kind: 'unreached' });
    expect(await within(3_000, c.forward(events(), address))).toMatchObject({ kind: 'unreached' });
    // The route then gives the orphan's answer (undefined here means "answer as orphaned").
    expect(await handOver(c, call(), address, 's1')).toBeUndefined();
  });

  it('a holder that does not accept the connection within the connect timeout is unreached, for any method', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const address = await stuckAddress();
    const c = cluster();
    const started = Date.now();
    const handed = await within(4_000, c.forward(call(), address));
    expect(handed).toMatchObject({ kind: 'unreached' });
    expect((handed as { reason: string }).reason).toContain('did not accept a connection within 1000 ms');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await within(4_000, c.forward(events(), address))).toMatchObject({ kind: 'unreached' });
  });

  it('a holder that accepts and never answers: waited for up to the idle bound, then a coded 502 for a call, the orphan for a GET', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const silent = await holder(() => undefined);
    const c = cluster(400);
    const started = Date.now();
    const handed = await within(5_000, c.forward(call(), silent.address));
    expect(handed).toMatchObject({ kind: 'lost' });
    // No short bound on the answer: the whole idle bound was waited for.
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(await within(5_000, c.forward(events(), silent.address))).toMatchObject({ kind: 'unreached' });

    const answer = await handOver(c, call(), silent.address, 's1');
    expect(answer?.status).toBe(502);
    const body = (await answer!.json()) as { error: { code: string; message: string }; sessionId: string };
    expect(body).toMatchObject({ error: { code: HOLDER_STOPPED_ANSWERING }, sessionId: 's1' });
    expect(body.error.message).toContain('may or may not have run');
    expect(errors.mock.calls.some(([line]) => String(line).includes('may or may not have run'))).toBe(true);
    // Each call reached the holder once: nothing is sent again.
    expect(silent.seen.filter((line) => line.startsWith('POST'))).toHaveLength(2);

    // The browser going away ends the wait too, quietly: nothing is answered as the holder's failure.
    errors.mockClear();
    const browser = new AbortController();
    const abandoned = c.forward(new Request(call(), { signal: browser.signal }), silent.address);
    setTimeout(() => browser.abort(), 50);
    expect(await within(300, abandoned)).toMatchObject({ kind: 'lost' });
    expect(errors).not.toHaveBeenCalled();

    // A holder that answers later than any header timeout would allow, but within the idle bound, is waited for.
    const slow = await holder((_request, response) => setTimeout(() => response.end('done'), 250));
    const late = await within(5_000, c.forward(call(), slow.address));
    if (late === 'hung' || late.kind !== 'answered') throw new Error(JSON.stringify(late));
    expect(await late.response.text()).toBe('done');
  });

  it('a holder that resets mid-request: a call that may have run is lost (502, logged, not resent); a GET is unreached', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const dying = await holder((request) => request.socket.resetAndDestroy());
    const c = cluster();
    expect(await within(3_000, c.forward(call(), dying.address))).toMatchObject({ kind: 'lost' });
    expect(await within(3_000, c.forward(events(), dying.address))).toMatchObject({ kind: 'unreached' });
    expect(await handOver(c, events(), dying.address, 's1')).toBeUndefined();
    const answer = await handOver(c, call(), dying.address, 's1');
    expect(answer?.status).toBe(502);
    expect(((await answer!.json()) as { error: { code: string } }).error.code).toBe(HOLDER_STOPPED_ANSWERING);
    expect(errors).toHaveBeenCalled();
    expect(dying.seen.filter((line) => line.startsWith('POST'))).toHaveLength(2);
  });

  it('a holder that answers and then cuts its stream, or falls silent, ends the answer rather than leaving it open', async () => {
    const c = cluster(400);
    const streamHead = { 'content-type': 'text/event-stream' };
    // Cut: the holder dies mid-stream (its connection reset).
    const cut = await holder((request, response) => {
      response.writeHead(200, streamHead);
      response.write('data: 1\n\n');
      setTimeout(() => request.socket.resetAndDestroy(), 50);
    });
    const cutHanded = await within(3_000, c.forward(events(), cut.address));
    if (cutHanded === 'hung' || cutHanded.kind !== 'answered') throw new Error(JSON.stringify(cutHanded));
    expect(await readBody(cutHanded.response, 3_000)).toEqual({ text: 'data: 1\n\n', end: 'errored' });
    // Silent: the holder's machine is gone without a word (no reset, no close), the connection stays open.
    const silent = await holder((_request, response) => {
      response.writeHead(200, streamHead);
      response.write('data: 1\n\n');
    });
    const silentHanded = await within(3_000, c.forward(events(), silent.address));
    if (silentHanded === 'hung' || silentHanded.kind !== 'answered') throw new Error(JSON.stringify(silentHanded));
    expect(await readBody(silentHanded.response, 3_000)).toEqual({ text: 'data: 1\n\n', end: 'errored' });
  });
});
