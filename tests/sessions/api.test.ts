// The HTTP API's route handlers, called directly with web Requests (no Next server needed), against
// real MCP servers on 127.0.0.1.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { POST as createSession } from '@/app/api/sessions/route';
import { DELETE as deleteSession, GET as getSession } from '@/app/api/sessions/[id]/route';
import { POST as rpc } from '@/app/api/sessions/[id]/rpc/route';
import { POST as cancel } from '@/app/api/sessions/[id]/cancel/route';
import { GET as tools } from '@/app/api/sessions/[id]/tools/route';
import { GET as events } from '@/app/api/sessions/[id]/events/route';
import { GET as download } from '@/app/api/sessions/[id]/log/route';
import { getRegistry, OWNER_COOKIE } from '@/lib/sessions';
import { refusedUrl, startModernServer, startStatefulServer, startUnauthorizedServer, type TestServer } from '../mcp/servers';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});
afterAll(async () => {
  await getRegistry().shutdown();
});

async function start<T extends TestServer>(server: Promise<T>): Promise<T> {
  const started = await server;
  servers.push(started);
  return started;
}

const BASE = 'http://localhost:3000';

function post(path: string, body: unknown, cookie?: string): Request {
  return new Request(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

function get(path: string, cookie?: string, init: RequestInit = {}): Request {
  return new Request(`${BASE}${path}`, {
    ...init,
    headers: { ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) },
  });
}

const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function connect(
  url: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; cookie: string; body: Record<string, unknown>; status: number }> {
  const response = await createSession(post('/api/sessions', { url, ...extra }));
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  const body = (await response.json()) as Record<string, unknown>;
  return { id: (body.id ?? body.sessionId) as string, cookie, body, status: response.status };
}

describe('POST /api/sessions', () => {
  it('connects, sets the owner cookie and returns the summary', async () => {
    const server = await start(startModernServer());
    const { status, body, cookie } = await connect(server.url);
    expect(status).toBe(201);
    expect(cookie).toMatch(new RegExp(`^${OWNER_COOKIE}=[A-Za-z0-9_-]{22,}$`));
    expect(body).toMatchObject({
      state: 'connected',
      url: server.url,
      transport: 'auto',
      headerNames: [],
      server: {
        name: 'modern-fixture',
        version: '2.0.0',
        protocolVersion: '2026-07-28',
        era: 'stateless-2026',
        instructions: 'modern instructions',
      },
    });
  });

  it('keeps the owner cookie a browser already has', async () => {
    const server = await start(startModernServer());
    const first = await connect(server.url);
    const response = await createSession(post('/api/sessions', { url: server.url }, first.cookie));
    expect(response.status).toBe(201);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('answers bad input with 400 and a code', async () => {
    const invalidJson = await createSession(new Request(`${BASE}/api/sessions`, { method: 'POST', body: '{nope' }));
    expect(invalidJson.status).toBe(400);
    expect(await invalidJson.json()).toMatchObject({ error: { code: 'invalid_request' } });
    const badUrl = await createSession(post('/api/sessions', { url: 'mailto:x@y.z' }));
    expect(badUrl.status).toBe(400);
    expect(await badUrl.json()).toMatchObject({ error: { code: 'invalid_url', message: expect.stringMatching(/http/) } });
  });

  it('answers 502 for a refused connection and keeps the failed session readable', async () => {
    const { status, body, cookie, id } = await connect(await refusedUrl());
    expect(status).toBe(502);
    expect(body).toMatchObject({ error: { code: 'connection_refused' }, sessionId: expect.any(String) });
    const summary = await getSession(get(`/api/sessions/${id}`, cookie), params(id));
    expect(await summary.json()).toMatchObject({ state: 'failed', error: { code: 'connection_refused' } });
    const log = await download(get(`/api/sessions/${id}/log?format=json`, cookie), params(id));
    const exported = (await log.json()) as { events: Array<{ kind: string; name?: string; status?: string }> };
    expect(exported.events.some((event) => event.kind === 'phase' && event.name === 'connect' && event.status === 'failed')).toBe(true);
  });

  it('returns 201 auth_required with the reason for a 401', async () => {
    const server = await start(startUnauthorizedServer());
    const { status, body } = await connect(server.url, { auth: { type: 'bearer', token: 'expired-token-123' } });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      state: 'auth_required',
      error: { code: 'auth_required', message: expect.stringMatching(/wants authorization/) },
      headerNames: ['Authorization'],
    });
    expect(server.seen[0]?.headers.authorization).toBe('Bearer expired-token-123');
  });
});

describe('a session', () => {
  it('belongs to its browser: another cookie gets 404', async () => {
    const server = await start(startModernServer());
    const { id, cookie } = await connect(server.url);
    expect((await getSession(get(`/api/sessions/${id}`, cookie), params(id))).status).toBe(200);
    const stranger = `${OWNER_COOKIE}=${'Z'.repeat(32)}`;
    expect((await getSession(get(`/api/sessions/${id}`, stranger), params(id))).status).toBe(404);
    expect((await getSession(get(`/api/sessions/${id}`), params(id))).status).toBe(404);
    expect((await rpc(post(`/api/sessions/${id}/rpc`, { method: 'tools/list' }, stranger), params(id))).status).toBe(404);
  });

  it('relays requests, results and JSON-RPC errors', async () => {
    const server = await start(startStatefulServer());
    const { id, cookie } = await connect(server.url);
    const ok = await rpc(
      post(`/api/sessions/${id}/rpc`, { method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } }, cookie),
      params(id),
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ result: { content: [{ type: 'text', text: 'hi' }] } });
    const error = await rpc(post(`/api/sessions/${id}/rpc`, { method: 'nope/nope' }, cookie), params(id));
    expect(error.status).toBe(200);
    expect(await error.json()).toMatchObject({ error: { code: -32601 } });
    const bad = await rpc(post(`/api/sessions/${id}/rpc`, { params: {} }, cookie), params(id));
    expect(bad.status).toBe(400);
  });

  it('lists tools, cached or refreshed', async () => {
    const server = await start(startStatefulServer());
    const { id, cookie } = await connect(server.url);
    const cached = (await (await tools(get(`/api/sessions/${id}/tools`, cookie), params(id))).json()) as { tools: Array<{ name: string }> };
    expect(cached.tools.map((tool) => tool.name)).toEqual(['echo', 'slow']);
    const posts = server.seen.filter((request) => request.method === 'POST').length;
    const refreshed = (await (await tools(get(`/api/sessions/${id}/tools?refresh=1`, cookie), params(id))).json()) as { tools: unknown[] };
    expect(refreshed.tools).toHaveLength(2);
    expect(server.seen.filter((request) => request.method === 'POST').length).toBe(posts + 1);
  });

  it('cancels an in-flight call by callId', async () => {
    const server = await start(startStatefulServer());
    const { id, cookie } = await connect(server.url);
    const call = rpc(
      post(
        `/api/sessions/${id}/rpc`,
        { method: 'tools/call', params: { name: 'slow', arguments: { ms: 5000 } }, callId: 'call-1' },
        cookie,
      ),
      params(id),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    const cancelled = await cancel(post(`/api/sessions/${id}/cancel`, { callId: 'call-1', reason: 'test' }, cookie), params(id));
    expect(await cancelled.json()).toEqual({ cancelled: true });
    const response = await call;
    expect(response.status).toBe(499);
    expect(await response.json()).toMatchObject({
      error: { code: 'cancelled', message: expect.stringMatching(/notifications\/cancelled/) },
    });
    const again = await cancel(post(`/api/sessions/${id}/cancel`, { callId: 'call-1' }, cookie), params(id));
    expect(await again.json()).toEqual({ cancelled: false });
  });

  it('streams the log as SSE with id = seq, resuming after Last-Event-ID', async () => {
    const server = await start(startModernServer());
    const { id, cookie } = await connect(server.url);
    const abort = new AbortController();
    const response = await events(
      get(`/api/sessions/${id}/events`, cookie, { headers: { 'last-event-id': '3' }, signal: abort.signal }),
      params(id),
    );
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const reader = response.body!.getReader();
    const { value } = await reader.read();
    const text = new TextDecoder().decode(value);
    expect(text).toContain('event: summary');
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    expect(ids[0]).toBe(4);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // Live: a call adds events to the open stream.
    const pending = reader.read();
    await rpc(
      post(`/api/sessions/${id}/rpc`, { method: 'tools/call', params: { name: 'echo', arguments: { text: 'live' } } }, cookie),
      params(id),
    );
    const live = new TextDecoder().decode((await pending).value);
    expect(live).toContain('event: trace');
    abort.abort();
    expect((await reader.read()).done).toBe(true);
  });

  it('downloads the log as JSON or HAR and refuses other formats', async () => {
    const server = await start(startModernServer());
    const { id, cookie } = await connect(server.url);
    const response = await download(get(`/api/sessions/${id}/log?format=json`, cookie), params(id));
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="mcpscope-.*\.json"$/);
    expect(await response.json()).toMatchObject({ format: 'mcpscope-session', version: 1, meta: { sessionId: id, era: 'stateless-2026' } });
    const har = await download(get(`/api/sessions/${id}/log?format=har`, cookie), params(id));
    expect(har.headers.get('content-disposition')).toMatch(/^attachment; filename="mcpscope-.*\.har"$/);
    expect(await har.json()).toMatchObject({ log: { version: '1.2', creator: { name: 'mcpscope' } } });
    const xml = await download(get(`/api/sessions/${id}/log?format=xml`, cookie), params(id));
    expect(xml.status).toBe(400);
    expect(await xml.json()).toMatchObject({ error: { code: 'unsupported_format' } });
  });

  it('disconnects with DELETE; afterwards requests get 409 and the log stays', async () => {
    const server = await start(startStatefulServer());
    const { id, cookie } = await connect(server.url);
    const deleted = await deleteSession(new Request(`${BASE}/api/sessions/${id}`, { method: 'DELETE', headers: { cookie } }), params(id));
    expect(await deleted.json()).toMatchObject({ state: 'closed' });
    expect(server.seen.some((request) => request.method === 'DELETE')).toBe(true);
    const after = await rpc(post(`/api/sessions/${id}/rpc`, { method: 'tools/list' }, cookie), params(id));
    expect(after.status).toBe(409);
    expect(await after.json()).toMatchObject({ error: { code: 'not_connected' } });
    expect((await download(get(`/api/sessions/${id}/log`, cookie), params(id))).status).toBe(200);
  });
});
