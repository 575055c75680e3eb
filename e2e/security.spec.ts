import { test, expect, request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { fixtureUrl, requestFrom } from './helpers';
import { startSecondApp, type SecondApp } from './second-app';

// The access rules, through the real server: Host and Origin checks (DNS rebinding, cross-site requests),
// ownership by cookie, and, on a second instance in hosted mode, the access token, the target policy and limits.

async function createSession(api: APIRequestContext, url: string): Promise<string> {
  const response = await api.post('/api/sessions', { data: { url } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

test.describe('Host and Origin', () => {
  test('a foreign Host gets 403 forbidden_host on pages and API alike (DNS rebinding)', async ({ request }) => {
    for (const path of ['/', '/api/health', '/api/sessions/x']) {
      const response = await request.get(path, { headers: { Host: 'attacker.example' } });
      expect(response.status(), path).toBe(403);
      if (path !== '/') expect(await response.json()).toMatchObject({ error: { code: 'forbidden_host' } });
    }
    const create = await request.post('/api/sessions', { headers: { Host: 'attacker.example:80' }, data: { url: fixtureUrl('stateful') } });
    expect(create.status()).toBe(403);
  });

  test('a foreign Origin gets 403 forbidden_origin and changes nothing', async ({ request, baseURL }) => {
    const id = await createSession(request, fixtureUrl('stateless-2026'));
    const foreign = { Origin: 'https://attacker.example' };

    const created = await request.post('/api/sessions', { headers: foreign, data: { url: fixtureUrl('stateful') } });
    expect(created.status()).toBe(403);
    expect(await created.json()).toMatchObject({ error: { code: 'forbidden_origin' } });

    const deleted = await request.delete(`/api/sessions/${id}`, { headers: foreign });
    expect(deleted.status()).toBe(403);
    const called = await request.post(`/api/sessions/${id}/rpc`, {
      headers: { Origin: 'http://localhost:1' },
      data: { method: 'tools/list' },
    });
    expect(called.status()).toBe(403);
    const events = await request.get(`/api/sessions/${id}/events`, { headers: foreign, timeout: 5_000 });
    expect(events.status()).toBe(403);
    const opaque = await request.post(`/api/sessions/${id}/rpc`, { headers: { Origin: 'null' }, data: { method: 'tools/list' } });
    expect(opaque.status()).toBe(403);

    // Nothing changed: the session is still connected, and its log has no request from those calls.
    const summary = await request.get(`/api/sessions/${id}`);
    expect(await summary.json()).toMatchObject({ state: 'connected' });
    const log = await (await request.get(`/api/sessions/${id}/log?format=json`)).text();
    expect(log).not.toContain('"method":"DELETE"');

    // The same requests from mcpscope's own origin work.
    const own = await request.post(`/api/sessions/${id}/rpc`, { headers: { Origin: baseURL! }, data: { method: 'tools/list' } });
    expect(own.status()).toBe(200);
  });
});

test.describe('ownership', () => {
  test('another cookie cannot see, drive, export or end a session, nor delete its share link', async ({ request, baseURL }) => {
    const id = await createSession(request, fixtureUrl('stateless-2026'));
    const shared = await request.post(`/api/sessions/${id}/share`, { data: {} });
    expect(shared.status()).toBe(201);
    const { shareId } = (await shared.json()) as { shareId: string };
    const stranger = await playwrightRequest.newContext({ baseURL });
    try {
      // A share link is for whoever holds it to read, but only its owner may delete it.
      expect((await stranger.get(`/api/shares/${shareId}`)).status()).toBe(200);
      const deleteShare = await stranger.delete(`/api/shares/${shareId}`);
      expect(deleteShare.status()).toBe(403);
      expect((await request.get(`/api/shares/${shareId}`)).status()).toBe(200);

      const attempts = [
        stranger.get(`/api/sessions/${id}`),
        stranger.post(`/api/sessions/${id}/rpc`, { data: { method: 'tools/list' } }),
        stranger.get(`/api/sessions/${id}/log?format=json`),
        stranger.get(`/api/sessions/${id}/tools`),
        stranger.post(`/api/sessions/${id}/share`, { data: {} }),
        stranger.post(`/api/sessions/${id}/reconnect`),
        stranger.delete(`/api/sessions/${id}`),
      ];
      for (const response of await Promise.all(attempts)) {
        expect(response.status(), response.url()).toBe(404);
        expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
      }
      const events = await stranger.get(`/api/sessions/${id}/events`, { timeout: 5_000 });
      expect(events.status()).toBe(404);
      // A forged owner cookie of the right shape is just another stranger.
      const forged = await stranger.get(`/api/sessions/${id}`, { headers: { Cookie: 'mcpscope_owner=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
      expect(forged.status()).toBe(404);
    } finally {
      await stranger.dispose();
    }
    // The owner still has it, untouched.
    expect(await (await request.get(`/api/sessions/${id}`)).json()).toMatchObject({ state: 'connected' });
  });

  test('the owner cookie is httpOnly and SameSite=Lax', async ({ baseURL }) => {
    const fresh = await playwrightRequest.newContext({ baseURL });
    try {
      const response = await fresh.post('/api/sessions', { data: { url: fixtureUrl('stateless-2026') } });
      const cookie = response.headersArray().find((h) => h.name.toLowerCase() === 'set-cookie')?.value ?? '';
      expect(cookie).toMatch(/^mcpscope_owner=[\w-]{22,64};/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
    } finally {
      await fresh.dispose();
    }
  });
});

test.describe('hosted mode with an access token (second instance)', () => {
  let app: SecondApp;
  const token = 'e2e-access-token-0123456789';

  test.beforeAll(async () => {
    test.setTimeout(90_000);
    app = await startSecondApp({
      MCPSCOPE_MODE: 'hosted',
      MCPSCOPE_ACCESS_TOKEN: token,
      MCPSCOPE_SESSION_RATE: '3',
      MCPSCOPE_SESSION_BURST: '3',
      MCPSCOPE_MAX_BODY_BYTES: '4096',
      // The demo server lives on this very origin; it is the one loopback target hosted mode may reach.
    });
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test('every page and API call needs the token: 401 without it', async () => {
    const anonymous = await playwrightRequest.newContext({ baseURL: app.origin });
    try {
      for (const path of ['/', '/api/sessions/x', '/inspect/x', '/tokens']) {
        const response = await anonymous.get(path, { maxRedirects: 0 });
        expect(response.status(), path).toBe(401);
      }
      expect((await anonymous.post('/api/sessions', { data: { url: 'https://example.com/mcp' } })).status()).toBe(401);
      expect((await anonymous.get('/api/sessions/x', { headers: { Authorization: 'Bearer wrong' } })).status()).toBe(401);
      // The liveness probe stays open.
      expect((await anonymous.get('/api/health')).status()).toBe(200);
    } finally {
      await anonymous.dispose();
    }
  });

  test('?token= once sets an httpOnly cookie and drops the token from the address; the browser then works', async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(`${app.origin}/?token=${token}`);
      await expect(page).toHaveURL(`${app.origin}/`);
      await expect(page.getByTestId('connect-url')).toBeVisible();
      const cookie = (await context.cookies()).find((c) => c.name === 'mcpscope_access');
      expect(cookie?.httpOnly).toBe(true);
      expect(cookie?.value).not.toContain(token);
      // The demo server is mcpscope's own: reachable in hosted mode, through the UI.
      await page.getByTestId('connect-url').fill(`${app.origin}/demo/mcp`);
      await page.getByTestId('connect-submit').click();
      await expect(page).toHaveURL(/\/inspect\//);
      await expect(page.getByTestId('server-name')).toBeVisible();
    } finally {
      await context.close();
    }
  });

  test('a bearer token works for API clients, and hosted mode refuses loopback targets with target_forbidden', async () => {
    const api = await playwrightRequest.newContext({ baseURL: app.origin, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
    try {
      const refused = await api.post('/api/sessions', { data: { url: fixtureUrl('stateless-2026') } });
      expect(refused.status()).toBe(403);
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('target_forbidden');
      expect(body.error.message).toContain('"loopback"');
      const metadata = await api.post('/api/sessions', { data: { url: 'http://169.254.169.254/latest/meta-data/' } });
      expect(await metadata.json()).toMatchObject({ error: { code: 'target_forbidden' } });
    } finally {
      await api.dispose();
    }
  });

  test('limits: body size (413 body_too_large) and session creation rate (429 rate_limited), each naming its setting', async () => {
    const api = await playwrightRequest.newContext({ baseURL: app.origin, extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
    try {
      const big = await api.post('/api/sessions', { data: { url: 'https://example.com/mcp', padding: 'x'.repeat(5000) } });
      expect(big.status()).toBe(413);
      const bigBody = (await big.json()) as { error: { code: string; message: string } };
      expect(bigBody.error).toMatchObject({ code: 'body_too_large' });
      expect(bigBody.error.message).toContain('MCPSCOPE_MAX_BODY_BYTES');

      const statuses: number[] = [];
      let limited: { error: { code: string; message: string } } | undefined;
      for (let i = 0; i < 5; i++) {
        // Refused targets are cheap to ask for: nothing is sent, but each request counts against the rate. From a
        // client address of its own (the earlier tests used 127.0.0.1's), with a made-up owner cookie: that buys
        // no budget of its own, the address's one browser budget applies.
        const response = await requestFrom('127.0.0.4', `http://127.0.0.1:${app.port}/api/sessions`, {
          headers: { Authorization: `Bearer ${token}`, Cookie: 'mcpscope_owner=RateLimitOwner000000000000' },
          body: { url: 'http://10.0.0.1/mcp' },
        });
        statuses.push(response.status);
        if (response.status === 429) limited = JSON.parse(response.text) as typeof limited;
      }
      expect(statuses.slice(0, 3)).toEqual([403, 403, 403]);
      expect(statuses.slice(3)).toEqual([429, 429]);
      expect(limited?.error.code).toBe('rate_limited');
      expect(limited?.error.message).toContain('MCPSCOPE_SESSION_RATE');
    } finally {
      await api.dispose();
    }
  });
});
