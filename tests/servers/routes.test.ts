// The saved-servers routes through withOwner (lib/sessions/http.ts): a first visit gets its owner cookie with the
// answer, a bad body the API's error shape (and still its cookie), and what one owner saves only that owner lists.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-server-routes-'));
let routes: typeof import('@/app/api/servers/route');
let importRoute: typeof import('@/app/api/servers/import/route');

beforeAll(async () => {
  process.env.MCPSCOPE_DATA_DIR = dataDir;
  routes = await import('@/app/api/servers/route');
  importRoute = await import('@/app/api/servers/import/route');
});

afterAll(async () => {
  const { getSharedStore } = await import('@/lib/store');
  await (await getSharedStore()).close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function request(method: 'GET' | 'POST', url: string, body?: unknown, cookie?: string): Request {
  return new Request(`http://localhost:3000${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const ownerCookieOf = (response: Response): string => (response.headers.get('set-cookie') ?? '').split(';')[0]!;

describe('saved-servers routes (withOwner)', () => {
  it('a first visit gets an empty list and its owner cookie; a known owner gets no new cookie', async () => {
    const first = await routes.GET(request('GET', '/api/servers'));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ servers: [] });
    const cookie = ownerCookieOf(first);
    expect(cookie).toMatch(/^[^=]+=.+/);
    const again = await routes.GET(request('GET', '/api/servers', undefined, cookie));
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('a bad body is the API error body, and a first visit still gets its cookie', async () => {
    const response = await routes.POST(request('POST', '/api/servers', { name: '' }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toContain('"name" must not be empty');
    expect(typeof body.error.code).toBe('string');
    expect(ownerCookieOf(response)).not.toBe('');
  });

  it('what an owner saves (or imports) that owner lists, and no one else', async () => {
    const cookie = ownerCookieOf(await routes.GET(request('GET', '/api/servers')));
    const saved = await routes.POST(
      request('POST', '/api/servers', { name: 'Demo', target: { kind: 'url', url: 'https://a.example/mcp' } }, cookie),
    );
    expect(saved.status).toBeLessThan(300);
    const imported = await importRoute.POST(
      request('POST', '/api/servers/import', { text: JSON.stringify({ mcpServers: { other: { url: 'https://b.example/mcp' } } }) }, cookie),
    );
    expect(imported.status).toBeLessThan(300);
    const mine = (await (await routes.GET(request('GET', '/api/servers', undefined, cookie))).json()) as { servers: { name: string }[] };
    expect(mine.servers.map((server) => server.name).sort()).toEqual(['Demo', 'other']);
    const theirs = (await (await routes.GET(request('GET', '/api/servers'))).json()) as { servers: unknown[] };
    expect(theirs.servers).toEqual([]);
  });

  it("a minted or tampered owner cookie proves no one: the caller gets a fresh owner, not the victim's list", async () => {
    const victim = ownerCookieOf(await routes.GET(request('GET', '/api/servers')));
    await routes.POST(request('POST', '/api/servers', { name: 'Private', target: { kind: 'url', url: 'https://c.example/mcp' } }, victim));
    const [name, value] = victim.split('=') as [string, string];
    const flipped = `${value.slice(0, -2)}${value.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const forged of [`${name}=${Buffer.alloc(48, 7).toString('base64url')}`, `${name}=${flipped}`, `${name}=victim`]) {
      const response = await routes.GET(request('GET', '/api/servers', undefined, forged));
      expect(await response.json()).toEqual({ servers: [] });
      expect(ownerCookieOf(response)).not.toBe('');
      expect(ownerCookieOf(response)).not.toBe(victim);
    }
  });
});
