import { test, expect } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { startSilentServer, type SilentServer } from './fixtures/silent';
import { fixtureUrl, requestFrom, type RawAnswer } from './helpers';
import { startSecondApp, type SecondApp } from './second-app';

// Issue 12, "one client can lock everyone out", through the real server: a client floods session creation,
// each request with a freshly invented owner cookie and a forged X-Forwarded-For, aimed at a server that never
// answers `initialize`, asking for a 30-minute connect timeout. Other clients must still get their sessions.
// Clients are told apart by their real address: the app binds 127.0.0.1, and each client here connects from
// its own loopback address (127.0.0.2, 127.0.0.3); 127.0.0.1 itself plays a reverse proxy listed in
// MCPSCOPE_TRUSTED_PROXIES, whose X-Forwarded-For is believed.

const FLOODER = '127.0.0.2';
const BYSTANDER = '127.0.0.3';
const PROXY = '127.0.0.1';

const inventedCookie = () => `mcpscope_owner=${randomBytes(32).toString('base64url')}`;
const forgedAddress = () => `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
const errorOf = (answer: RawAnswer) => (JSON.parse(answer.text) as { error: { code: string; message: string } }).error;

test.describe('one client cannot lock everyone out (second instance)', () => {
  let app: SecondApp;
  let silent: SilentServer;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    silent = await startSilentServer();
    app = await startSecondApp({
      MCPSCOPE_TRUSTED_PROXIES: PROXY,
      MCPSCOPE_MAX_CONNECTING_PER_ADDRESS: '10',
      MCPSCOPE_MAX_SESSIONS_TOTAL: '14',
      // Rates high enough that the session caps, not the creation rate, are what the flood meets here.
      MCPSCOPE_SESSION_RATE: '600',
      MCPSCOPE_SESSION_BURST: '100',
    });
  });
  test.afterAll(async () => {
    await silent?.close();
    await app?.stop();
  });

  test('a cookie-minting flood with forged X-Forwarded-For is limited by address; the others still get their sessions', async () => {
    test.setTimeout(90_000);
    const api = `http://127.0.0.1:${app.port}/api/sessions`;
    const create = (from: string, body: unknown, headers: Record<string, string> = {}) => requestFrom(from, api, { body, headers });
    const floodBody = (connectMs: number) => ({ url: silent.url, timeouts: { connectMs }, wait: false });

    await test.step('a 30-minute connect timeout is refused as bad input; nothing is sent', async () => {
      for (let i = 0; i < 5; i++) {
        const answer = await create(FLOODER, floodBody(30 * 60_000), { cookie: inventedCookie(), 'x-forwarded-for': forgedAddress() });
        expect(answer.status).toBe(400);
        expect(errorOf(answer)).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('120000 (2 minutes)') });
      }
      expect(silent.waiting()).toBe(0);
    });

    const flooded: Array<{ id: string; sent: string; issued: string }> = [];
    await test.step('at the 2-minute maximum, the flood gets 10 handshakes for its address, then 429 too_many_sessions', async () => {
      const refused: RawAnswer[] = [];
      for (let i = 0; i < 30; i++) {
        const sent = inventedCookie();
        const answer = await create(FLOODER, floodBody(120_000), { cookie: sent, 'x-forwarded-for': forgedAddress() });
        if (answer.status === 202)
          flooded.push({ id: (JSON.parse(answer.text) as { id: string }).id, sent, issued: answer.ownerCookie ?? '' });
        else refused.push(answer);
      }
      expect(flooded).toHaveLength(10);
      expect(refused).toHaveLength(20);
      for (const answer of refused) {
        expect(answer.status).toBe(429);
        expect(errorOf(answer)).toMatchObject({
          code: 'too_many_sessions',
          message: expect.stringContaining('MCPSCOPE_MAX_CONNECTING_PER_ADDRESS'),
        });
      }
      await expect.poll(() => silent.waiting()).toBe(10);
    });

    await test.step('the invented cookies were not taken as identities: each request got a new one, signed by mcpscope', async () => {
      const issued = new Set(flooded.map((f) => f.issued));
      expect(issued.size).toBe(flooded.length);
      for (const { id, sent, issued: cookie } of flooded.slice(0, 3)) {
        expect(cookie).toMatch(/^mcpscope_owner=[\w-]{43}$/);
        expect(cookie).not.toBe(sent);
        expect((await requestFrom(FLOODER, `${api}/${id}`, { headers: { cookie: sent } })).status).toBe(404);
        const own = await requestFrom(FLOODER, `${api}/${id}`, { headers: { cookie } });
        expect(own.status).toBe(200);
        expect(JSON.parse(own.text)).toMatchObject({ state: 'connecting' });
      }
    });

    await test.step('another client, at another address, gets its session at once', async () => {
      const answer = await create(BYSTANDER, { url: fixtureUrl('stateless-2026') });
      expect(answer.status, answer.text).toBe(201);
      expect(JSON.parse(answer.text)).toMatchObject({ state: 'connected' });
    });

    // The oldest handshake of the flood is watched: when it is made to give way, its log says why.
    const oldest = flooded[0]!;
    const events = fetch(`${api}/${oldest.id}/events`, { headers: { cookie: oldest.issued, accept: 'text/event-stream' } }).then(
      (response) => response.text(),
    );

    await test.step('behind the trusted proxy, a second flooder takes handshake slots from the first until they hold alike, then is refused', async () => {
      // 11 sessions of 14 are held. Each request names its client last in X-Forwarded-For (the proxy's
      // addition), after whatever the client itself claimed.
      const statuses: number[] = [];
      let refusal: RawAnswer | undefined;
      for (let i = 0; i < 10; i++) {
        const answer = await create(PROXY, floodBody(120_000), {
          cookie: inventedCookie(),
          'x-forwarded-for': `${forgedAddress()}, 198.51.100.66`,
        });
        statuses.push(answer.status);
        if (answer.status !== 202) refusal = answer;
      }
      // 3 free places, then 3 taken from the first flooder (10 → 7) while it held more than one above this one.
      expect(statuses).toEqual([202, 202, 202, 202, 202, 202, 429, 429, 429, 429]);
      expect(errorOf(refusal!)).toMatchObject({
        code: 'too_many_sessions',
        message: expect.stringContaining('MCPSCOPE_MAX_SESSIONS_TOTAL = 14'),
      });
    });

    await test.step('a client holding nothing behind the same proxy still gets its session (201)', async () => {
      const answer = await create(PROXY, { url: fixtureUrl('stateless-2026') }, { 'x-forwarded-for': '198.51.100.7' });
      expect(answer.status, answer.text).toBe(201);
      expect(JSON.parse(answer.text)).toMatchObject({ state: 'connected' });
    });

    await test.step('the sessions that gave way ended cleanly: the handshake stopped at the server, the log says why', async () => {
      // First flooder 10 - 4 evicted, second flooder 6: 12 handshakes still waiting at the silent server.
      await expect.poll(() => silent.waiting()).toBe(12);
      const stream = await events;
      expect(stream).toContain('session_evicted');
      expect(stream).toMatch(/"state":"closed"/);
      expect(stream).toContain('MCPSCOPE_MAX_SESSIONS_TOTAL');
      expect((await requestFrom(FLOODER, `${api}/${oldest.id}`, { headers: { cookie: oldest.issued } })).status).toBe(404);
    });
  });
});
