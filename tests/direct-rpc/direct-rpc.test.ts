// lib/direct-rpc behind a real node:http server, calling a real SDK server through the process's session
// registry: what it answers itself, and every case it must leave to Next.js (where proxy.ts refuses it).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEngineServerTiming } from '@/lib/contract';
import { DIRECT_RPC_KEY, installDirectRpc, serveRpcDirectly } from '@/lib/direct-rpc';
import { EngineError, isEngineError } from '@/lib/mcp';
import { errorAnswer, getRegistry, newOwnerId, OWNER_COOKIE, isSessionError, SessionError, signOwner, type Session } from '@/lib/sessions';
import { startStatefulServer, type TestServer } from '../mcp/servers';

const OWNER = newOwnerId();
const STRANGER = newOwnerId();
const FALLBACK_STATUS = 599;

let mcp: TestServer & { cancelled: () => number };
let front: http.Server;
let origin: string;
let session: Session;

beforeAll(async () => {
  let cancelled = 0;
  const server = await startStatefulServer({ onCancelled: () => cancelled++ });
  mcp = Object.assign(server, { cancelled: () => cancelled });
  const outcome = await getRegistry().create(OWNER, { url: mcp.url });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.body));
  session = outcome.session;
  // What Next.js would do with whatever the direct path declines: here, a recognisable answer.
  front = http.createServer((request, response) =>
    serveRpcDirectly(request, response, () => {
      request.resume();
      response.writeHead(FALLBACK_STATUS).end('next');
    }),
  );
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await getRegistry().close(session);
  front.closeAllConnections();
  await new Promise((resolve) => front.close(resolve));
  await mcp.close();
});

function call(
  body: string,
  options: { owner?: string; headers?: Record<string, string>; path?: string; method?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  return fetch(`${origin}${options.path ?? `/api/sessions/${session.id}/rpc`}`, {
    method: options.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: `${OWNER_COOKIE}=${signOwner(options.owner ?? OWNER)}`,
      origin,
      ...options.headers,
    },
    body: options.method === 'GET' ? undefined : body,
    signal: options.signal,
  });
}

const echo = (text: string) => JSON.stringify({ method: 'tools/call', params: { name: 'echo', arguments: { text } } });

describe('direct rpc', () => {
  it('answers a call to an existing session itself, as the route would, with the admitted headers', async () => {
    const response = await call(echo('hello'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ result: { content: [{ type: 'text', text: 'hello' }] } });
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store, no-transform');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    // …and the call is in the session's log like any other.
    const logged = session.log.events().filter((event) => event.kind === 'rpc' && JSON.stringify(event).includes('hello'));
    expect(logged.length).toBeGreaterThan(0);
  });

  it("says how long the engine waited for the server (Server-Timing): the sleep, without the caller's hop", async () => {
    const sentAt = performance.now();
    const response = await call(JSON.stringify({ method: 'tools/call', params: { name: 'slow', arguments: { ms: 300 } } }));
    await response.json();
    const roundTrip = performance.now() - sentAt;
    expect(response.status).toBe(200);
    const engineMs = parseEngineServerTiming(response.headers.get('server-timing'));
    expect(engineMs).toBeGreaterThanOrEqual(300);
    expect(engineMs).toBeLessThan(300 + 200);
    expect(engineMs).toBeLessThan(roundTrip);
    // The log's recorded latency of the call (taken on the wire, inside the engine) is within it.
    const answer = session.log
      .events()
      .filter((event) => event.kind === 'rpc' && event.direction === 'in' && event.method === 'tools/call')
      .at(-1) as { latencyMs?: number } | undefined;
    expect(answer?.latencyMs).toBeGreaterThanOrEqual(300);
    expect(answer!.latencyMs!).toBeLessThanOrEqual(engineMs! + 0.5);
  });

  it('answers a malformed body and an unknown method with the API error shapes', async () => {
    const malformed = await call('{"method":');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    const missing = await call(JSON.stringify({ params: {} }));
    expect(missing.status).toBe(400);
  });

  it('leaves to Next.js whatever proxy.ts must judge or the route must refuse', async () => {
    const declined = [
      await call(echo('x'), { owner: STRANGER }), // another browser's session: the route's 404
      await call(echo('x'), { headers: { origin: 'http://evil.example' } }), // cross-site: proxy's 403
      await call(echo('x'), { path: `/api/sessions/${session.id}/rpc?token=abc` }),
      await call(echo('x'), { path: `/api/sessions/${session.id}/rpc/` }),
      await call(echo('x'), { path: `/api/sessions/${session.id}/cancel` }),
      await call('', { method: 'GET' }),
      await call(JSON.stringify({ method: 'tools/call', params: { name: 'echo', arguments: { text: 'x'.repeat(2 * 1024 * 1024) } } })), // over the body limit: proxy's 413
    ];
    expect(declined.map((response) => response.status)).toEqual(declined.map(() => FALLBACK_STATUS));
  });

  // fetch neither sends a Host of our choosing nor a chunked body of a known string: node:http does.
  function rawStatus(headers: Record<string, string>): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const request = http.request(`${origin}/api/sessions/${session.id}/rpc`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `${OWNER_COOKIE}=${signOwner(OWNER)}`, ...headers },
      });
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end(echo('raw'));
    });
  }

  it('leaves a foreign Host (DNS rebinding) and a body of unknown length (chunked) to Next.js', async () => {
    expect(await rawStatus({ 'transfer-encoding': 'chunked' })).toBe(FALLBACK_STATUS);
    expect(await rawStatus({ host: 'rebind.attacker.example', 'content-length': String(Buffer.byteLength(echo('raw'))) })).toBe(
      FALLBACK_STATUS,
    );
    // The same request with a proper Host is answered directly: the refusals above are about the header.
    expect(await rawStatus({ 'content-length': String(Buffer.byteLength(echo('raw'))) })).toBe(200);
  });

  it('cancels the call at the server when the browser goes away', async () => {
    const before = mcp.cancelled();
    const controller = new AbortController();
    const pending = call(JSON.stringify({ method: 'tools/call', params: { name: 'slow', arguments: { ms: 5000 } }, callId: 'gone-1' }), {
      signal: controller.signal,
    });
    await expect.poll(() => session.inFlight.has('gone-1'), { timeout: 5000 }).toBe(true);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await expect.poll(() => mcp.cancelled(), { timeout: 5000 }).toBeGreaterThan(before);
    expect(session.inFlight.has('gone-1')).toBe(false);
  });

  it('is where the server in scripts/start.mjs looks for it once installed', () => {
    installDirectRpc();
    expect((globalThis as Record<symbol, unknown>)[DIRECT_RPC_KEY]).toBe(serveRpcDirectly);
    expect(DIRECT_RPC_KEY).toBe(Symbol.for('mcpscope.direct-rpc'));
  });
});

describe('errors made by another copy of the modules', () => {
  // In the built app the session (and the errors it throws) may come from the routes' copy of lib while the
  // direct path runs the instrumentation's copy: the answer must still carry the error's own code.
  it('are recognised by their name and code, not by which class object made them', () => {
    // Stand-ins for the other copy's classes: same names and codes, different class objects.
    class ForeignError extends Error {
      constructor(
        name: string,
        readonly code: string,
        message: string,
      ) {
        super(message);
        this.name = name;
      }
    }
    const foreignEngineError = new ForeignError('EngineError', 'cancelled', 'The call was cancelled.');
    const foreignSessionError = new ForeignError('SessionError', 'not_connected', 'The session is closed.');
    const foreignStoreError = new ForeignError('StoreError', 'store_unavailable', 'The database cannot be reached.');
    expect(foreignEngineError instanceof EngineError).toBe(false);
    expect(isEngineError(foreignEngineError)).toBe(true);
    expect(errorAnswer(foreignEngineError)).toEqual({
      status: 499,
      body: { error: { code: 'cancelled', message: 'The call was cancelled.' } },
    });
    expect(errorAnswer(foreignSessionError)).toEqual({
      status: 409,
      body: { error: { code: 'not_connected', message: 'The session is closed.' } },
    });
    expect(errorAnswer(foreignStoreError).status).toBe(503);
    // A name alone is not enough: an unknown code is not an API error, and neither is a plain error.
    expect(isSessionError(new ForeignError('SessionError', 'made_up', 'x'))).toBe(false);
    expect(errorAnswer(new ForeignError('EngineError', 'made_up', 'internal detail')).status).toBe(500);
    expect(errorAnswer(new Error('plain')).status).toBe(500);
    expect(new Error('plain') instanceof SessionError).toBe(false);
  });
});

describe('direct rpc with a session that lost its server', () => {
  it('says the session is not connected (the engine error keeps its code)', async () => {
    const server = await startStatefulServer();
    const outcome = await getRegistry().create(OWNER, { url: server.url });
    if (!outcome.ok) throw new Error('connect failed');
    await getRegistry().close(outcome.session);
    const response = await fetch(`${origin}/api/sessions/${outcome.session.id}/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${OWNER_COOKIE}=${signOwner(OWNER)}` },
      body: echo('late'),
    });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_connected');
    await server.close();
  });
});

describe('store failures', () => {
  it('reach the caller with their own code and advice, as 503', async () => {
    const { StoreError } = await import('@/lib/store');
    const answer = errorAnswer(
      new StoreError('secret_key_mismatch', 'Start mcpscope with the MCPSCOPE_SECRET_KEY the other instances use.'),
    );
    expect(answer).toEqual({
      status: 503,
      body: { error: { code: 'secret_key_mismatch', message: 'Start mcpscope with the MCPSCOPE_SECRET_KEY the other instances use.' } },
    });
  });
});
