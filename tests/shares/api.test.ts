// The export and share routes, called directly with web Requests against a real MCP server on 127.0.0.1
// and a real SQLite store in a temporary data directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as createSession } from '@/app/api/sessions/route';
import { GET as download } from '@/app/api/sessions/[id]/log/route';
import { POST as share } from '@/app/api/sessions/[id]/share/route';
import { DELETE as unshare, GET as readShare } from '@/app/api/shares/[id]/route';
import { getRegistry } from '@/lib/sessions';
import { getSharedStore } from '@/lib/store';
import { fromHar, parseJsonExport, validateHar } from '@/lib/trace';
import { apiRequest } from '../fixtures/helpers';
import { startStatefulServer, type TestServer } from '../mcp/servers';

const BASE = 'http://localhost:3999';
const CANARY_TOKEN = 'canary-bearer-7f3a9c1e5b2d4f60';
const CANARY_HEADER = 'canary-header-d41d8cd98f00b204';

let dataDir: string;
let server: TestServer;
let sessionId: string;
let cookie: string;
const previousEnv = { dir: process.env.MCPSCOPE_DATA_DIR, url: process.env.PUBLIC_URL };

const params = (id: string) => ({ params: Promise.resolve({ id }) });

function request(method: string, pathname: string, body?: unknown, withCookie: string | null = cookie): Request {
  return apiRequest(`${BASE}${pathname}`, method, body, withCookie);
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-share-api-'));
  process.env.MCPSCOPE_DATA_DIR = dataDir;
  delete process.env.PUBLIC_URL;
  server = await startStatefulServer();
  const response = await createSession(
    request(
      'POST',
      '/api/sessions',
      { url: server.url, headers: { 'X-Canary': CANARY_HEADER }, auth: { type: 'bearer', token: CANARY_TOKEN } },
      null,
    ),
  );
  expect(response.status).toBe(201);
  cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
  sessionId = ((await response.json()) as { id: string }).id;
});

afterAll(async () => {
  await getRegistry().shutdown();
  await server.close();
  await (await getSharedStore()).close();
  process.env.MCPSCOPE_DATA_DIR = previousEnv.dir;
  if (previousEnv.url !== undefined) process.env.PUBLIC_URL = previousEnv.url;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function expectNoCanary(text: string): void {
  expect(text).not.toContain(CANARY_TOKEN);
  expect(text).not.toContain(CANARY_HEADER);
}

describe('GET /api/sessions/:id/log', () => {
  it('downloads JSON as an attachment named after the server and time, readable again', async () => {
    const response = await download(request('GET', `/api/sessions/${sessionId}/log?format=json`), params(sessionId));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="mcpscope-stateful-fixture-\d{8}-\d{6}Z\.json"$/);
    const text = await response.text();
    expectNoCanary(text);
    const parsed = JSON.parse(text) as { mcpscopeVersion?: string };
    expect(parsed.mcpscopeVersion).toMatch(/^\d+\.\d+\.\d+/);
    const { meta, events } = parseJsonExport(parsed);
    expect(meta.serverInfo?.name).toBe('stateful-fixture');
    expect(events.some((e) => e.kind === 'rpc' && e.method === 'initialize')).toBe(true);
  });

  it('downloads a valid HAR 1.2 that reopens as the same log', async () => {
    const response = await download(request('GET', `/api/sessions/${sessionId}/log?format=har`), params(sessionId));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/filename="mcpscope-stateful-fixture-.*\.har"$/);
    const text = await response.text();
    expectNoCanary(text);
    const har = JSON.parse(text) as unknown;
    expect(validateHar(har)).toEqual([]);
    const json = parseJsonExport(await (await download(request('GET', `/api/sessions/${sessionId}/log`), params(sessionId))).json());
    const reopened = fromHar(har);
    // Events recorded after the HAR was written (none expected, but a ping could come) are not compared.
    const upTo = reopened.events[reopened.events.length - 1].seq;
    expect(reopened.events).toEqual(json.events.filter((e) => e.seq <= upTo));
  });

  it('refuses other formats and other browsers', async () => {
    const bad = await download(request('GET', `/api/sessions/${sessionId}/log?format=xml`), params(sessionId));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'unsupported_format' } });
    const stranger = await download(
      request('GET', `/api/sessions/${sessionId}/log`, undefined, 'mcpscope_owner=someone_else_entirely_123456'),
      params(sessionId),
    );
    expect(stranger.status).toBe(404);
  });
});

describe('share links', () => {
  it('POST creates a link, GET reads the redacted log, DELETE ends it', async () => {
    const created = await share(request('POST', `/api/sessions/${sessionId}/share`, { maskQuery: true }), params(sessionId));
    expect(created.status).toBe(201);
    const body = (await created.json()) as { shareId: string; url: string; expiresAt: number; bytes: number };
    expect(body.shareId).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(body.url).toBe(`${BASE}/share/${body.shareId}`);
    expect(body.expiresAt - Date.now()).toBeGreaterThan(29 * 24 * 60 * 60 * 1000);

    const anonymous = await readShare(request('GET', `/api/shares/${body.shareId}`, undefined, null), params(body.shareId));
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get('x-robots-tag')).toContain('noindex');
    const text = await anonymous.text();
    expectNoCanary(text);
    const document = JSON.parse(text) as { share: { owned: boolean; masking: { query: boolean } } };
    expect(document.share).toMatchObject({ owned: false, masking: { query: true } });
    expect(parseJsonExport(document).events.length).toBeGreaterThan(5);

    const mine = (await (await readShare(request('GET', `/api/shares/${body.shareId}`), params(body.shareId))).json()) as typeof document;
    expect(mine.share.owned).toBe(true);

    const strangerDelete = await unshare(
      request('DELETE', `/api/shares/${body.shareId}`, undefined, 'mcpscope_owner=someone_else_entirely_123456'),
      params(body.shareId),
    );
    expect(strangerDelete.status).toBe(403);
    expect(await strangerDelete.json()).toMatchObject({ error: { code: 'share_forbidden' } });

    const deleted = await unshare(request('DELETE', `/api/shares/${body.shareId}`), params(body.shareId));
    expect(deleted.status).toBe(200);
    const gone = await readShare(request('GET', `/api/shares/${body.shareId}`, undefined, null), params(body.shareId));
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchObject({ error: { code: 'share_deleted' } });
  });

  it('a short-lived link answers 410 share_expired once it has expired', async () => {
    const created = await share(request('POST', `/api/sessions/${sessionId}/share`, { expiresInSeconds: 0.2 }), params(sessionId));
    const { shareId } = (await created.json()) as { shareId: string };
    await new Promise((resolve) => setTimeout(resolve, 300));
    const expired = await readShare(request('GET', `/api/shares/${shareId}`), params(shareId));
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({ error: { code: 'share_expired' } });
  });

  it('an unknown link is 404 share_not_found', async () => {
    const missing = await readShare(request('GET', '/api/shares/AAAAAAAAAAAAAAAAAAAAAAAA'), params('AAAAAAAAAAAAAAAAAAAAAAAA'));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'share_not_found' } });
  });

  it('refuses a share over MCPSCOPE_SHARE_MAX_BYTES with 413 share_too_large', async () => {
    process.env.MCPSCOPE_SHARE_MAX_BYTES = '1000';
    try {
      const refused = await share(request('POST', `/api/sessions/${sessionId}/share`, {}), params(sessionId));
      expect(refused.status).toBe(413);
      const { error } = (await refused.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('share_too_large');
      expect(error.message).toContain('MCPSCOPE_SHARE_MAX_BYTES=1000');
    } finally {
      delete process.env.MCPSCOPE_SHARE_MAX_BYTES;
    }
  });

  it('answers bad input with 400 and a code, and another browser’s session with 404', async () => {
    const bad = await share(request('POST', `/api/sessions/${sessionId}/share`, { range: 'all' }), params(sessionId));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request' } });
    const notJson = await share(
      new Request(`${BASE}/api/sessions/${sessionId}/share`, { method: 'POST', headers: { cookie }, body: '{nope' }),
      params(sessionId),
    );
    expect(notJson.status).toBe(400);
    const stranger = await share(
      request('POST', `/api/sessions/${sessionId}/share`, {}, 'mcpscope_owner=someone_else_entirely_123456'),
      params(sessionId),
    );
    expect(stranger.status).toBe(404);
  });

  it('uses PUBLIC_URL for the link when it is set', async () => {
    process.env.PUBLIC_URL = 'https://scope.example.com/';
    try {
      const created = await share(request('POST', `/api/sessions/${sessionId}/share`, {}), params(sessionId));
      const { url, shareId } = (await created.json()) as { url: string; shareId: string };
      expect(url).toBe(`https://scope.example.com/share/${shareId}`);
    } finally {
      delete process.env.PUBLIC_URL;
    }
  });
});
