import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect, type Browser, type Page } from '@playwright/test';
import { inBatches } from '../scripts/bench/sessions';
import { HAPROXY_ADVICE, HAPROXY_PATH } from '../scripts/haproxy';
import { startPostgres, type PostgresServer } from '../tests/store/postgres-server';
import { startOAuthFixture, type OAuthFixture } from './fixtures/oauth';
import { freeLoopbackPort } from './fixtures/ports';
import { fixtureUrl } from './helpers';
import { loadRunLimits, startSecondApp, type SecondApp } from './second-app';

// Several instances behind an ordinary load balancer (README § Several instances): two production instances
// sharing a throwaway PostgreSQL, Debian's HAProxy in front with deploy/haproxy.cfg, all on loopback. An OAuth
// login whose callback lands on the instance that does not hold the session, share links and tokens served by
// both, an instance killed with SIGKILL (its sessions then say so, and Reconnect lands on the other one with
// the stored token, no new login), a rolling restart of both, and a load run across both (1,000 sessions from 50
// browsers, a tool call on each, nothing lost).

const SESSIONS = 1000;
/** Browsers (owner cookies) the load run's sessions belong to: the balancer spreads browsers, not sessions. */
const OWNERS = 50;
/** Requests in flight at once during the load run: a population of browsers, not one burst of a thousand sockets. */
const CONCURRENCY = 20;
const FORWARDED = { 'x-mcpscope-forwarded-by': 'e2e' };

let postgres: PostgresServer;
let databaseUrl = '';
const secretKey = randomBytes(32).toString('base64');
let lb: { origin: string; port: number; child: ChildProcess; output: () => string } | undefined;
let instances: SecondApp[] = [];
let oauth: OAuthFixture;

async function startHaproxy(port: number, backends: SecondApp[]): Promise<NonNullable<typeof lb>> {
  if (!fs.existsSync(HAPROXY_PATH)) throw new Error(HAPROXY_ADVICE);
  const config = path.resolve(__dirname, '..', 'deploy', 'haproxy.cfg');
  const child = spawn(HAPROXY_PATH, ['-db', '-f', config], {
    env: {
      ...process.env,
      MCPSCOPE_LB_BIND: `127.0.0.1:${port}`,
      MCPSCOPE_A: `127.0.0.1:${backends[0]!.port}`,
      MCPSCOPE_B: `127.0.0.1:${backends[1]!.port}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-6000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const origin = `http://localhost:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`haproxy exited:\n${output}`);
    const up = await fetch(`${origin}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { origin, port, child, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`haproxy did not answer on ${origin}:\n${output}`);
}

async function api<T>(origin: string, owner: string, route: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${origin}${route}`, {
    ...init,
    headers: { cookie: owner, 'content-type': 'application/json', ...init.headers },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Which instance holds the session in its memory: asked directly, marked as already handed over (not forwarded). */
async function holderOf(owner: string, id: string): Promise<SecondApp> {
  // A killed instance does not answer at all.
  const answers = await Promise.all(
    instances.map((app) =>
      api<{ state?: string }>(app.origin, owner, `/api/sessions/${id}`, { headers: FORWARDED }).catch(() => ({
        status: 0,
        body: {} as { state?: string },
      })),
    ),
  );
  const holders = instances.filter((_, i) => answers[i]!.status === 200 && answers[i]!.body.state !== 'closed');
  expect(holders, `session ${id}: ${JSON.stringify(answers)}`).toHaveLength(1);
  return holders[0]!;
}

/** An owner cookie issued through the load balancer (any answer of POST /api/sessions carries one). */
async function issueOwner(origin: string): Promise<string> {
  const issued = await fetch(`${origin}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(issued.status).toBe(400);
  return issued.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith('mcpscope_owner='))!
    .split(';')[0]!;
}

function other(app: SecondApp): SecondApp {
  return instances.find((candidate) => candidate !== app)!;
}

async function ownerCookieOf(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'mcpscope_owner');
  expect(cookie).toBeDefined();
  return `mcpscope_owner=${cookie!.value}`;
}

/** Connects from the home page at `origin`; waits for the page to be live first (a busy machine hydrates late). */
async function connectFrom(page: Page, origin: string, url: string): Promise<void> {
  await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
  await expect(async () => {
    // A click that was slow to navigate counts: the workspace is open.
    if (/\/inspect\/[^/]+$/.test(page.url())) return;
    await page.getByTestId('connect-url').fill(url);
    await expect(page.getByTestId('connect-url')).toHaveValue(url, { timeout: 1000 });
    await page.getByTestId('connect-submit').click();
    await expect(page).toHaveURL(/\/inspect\/[^/]+$/, { timeout: 15_000 });
  }).toPass({ timeout: 60_000 });
}

function sessionIdOf(page: Page): string {
  return /\/inspect\/([^/?#]+)/.exec(page.url())![1]!;
}

async function callWhoami(page: Page) {
  await page.getByTestId('tab-tools').click();
  await page.getByTestId('tool-search').fill('whoami');
  await page.getByTestId('tool-item-whoami').click();
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('tool-result')).toContainText('mcp:read');
}

test.describe.configure({ mode: 'serial' });

test.describe('several instances behind HAProxy, one Postgres store', () => {
  let browser: Browser;
  let page: Page;
  let owner = '';
  let oauthSession = '';
  let shareId = '';

  test.beforeAll(async ({ browser: shared }) => {
    test.setTimeout(180_000);
    browser = shared;
    if (!fs.existsSync(HAPROXY_PATH)) throw new Error(HAPROXY_ADVICE);
    postgres = await startPostgres();
    databaseUrl = await postgres.createDatabase('multi');
    const lbPort = await freeLoopbackPort();
    const lbOrigin = `http://localhost:${lbPort}`;
    oauth = await startOAuthFixture({ redirectUris: [`${lbOrigin}/callback`] });
    const env = {
      DATABASE_URL: databaseUrl,
      MCPSCOPE_SECRET_KEY: secretKey,
      // Every instance says it is reached at the load balancer: the redirect URI, share links.
      PUBLIC_URL: lbOrigin,
      // As deploy/haproxy.cfg asks: the balancer's X-Forwarded-For is believed. Every browser of this test comes from
      // 127.0.0.1 all the same, so the per-address limits are raised to let one address play 50 browsers.
      MCPSCOPE_TRUSTED_PROXIES: '127.0.0.1',
      ...loadRunLimits(SESSIONS + 100),
    };
    instances = await Promise.all([startSecondApp(env), startSecondApp(env)]);
    lb = await startHaproxy(lbPort, instances);
  });

  test.afterAll(async () => {
    // What the balancer saw (one line per request, with how it ended), for a failed run.
    if (test.info().errors.length > 0 || process.env.MCPSCOPE_TEST_VERBOSE) console.log(lb?.output());
    await page?.context().close();
    lb?.child.kill('SIGTERM');
    await Promise.all(instances.map((app) => app.stop()));
    await oauth?.close();
    await postgres?.destroy();
  });

  test('an OAuth login whose callback lands on the other instance, then tokens, the client and a share link from both', async () => {
    test.setTimeout(90_000);
    const context = await browser.newContext();
    page = await context.newPage();
    // A first session fixes which instance holds this browser's sessions (sticky by its owner cookie).
    await connectFrom(page, lb!.origin, fixtureUrl('stateful'));
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    owner = await ownerCookieOf(page);
    const holder = await holderOf(owner, sessionIdOf(page));
    const elsewhere = other(holder);

    // The authorization server sends the browser to <load balancer>/callback: as if the balancer had lost its
    // stickiness, it reaches the instance that does not hold the session. (Through the DevTools protocol: the
    // callback is the end of a redirect chain, which page.route does not see.)
    const callbacks: string[] = [];
    const cdp = await context.newCDPSession(page);
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: `${lb!.origin}/callback*`, requestStage: 'Request' }] });
    cdp.on('Fetch.requestPaused', (event) => {
      const url = new URL(event.request.url);
      callbacks.push(url.pathname);
      void cdp.send('Fetch.continueRequest', { requestId: event.requestId, url: `${elsewhere.origin}${url.pathname}${url.search}` });
    });
    const callbackStatus: number[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(`${lb!.origin}/callback`)) callbackStatus.push(response.status());
    });
    await connectFrom(page, lb!.origin, oauth.mcpUrl);
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
    expect(callbacks).toEqual(['/callback']);
    expect(callbackStatus).toEqual([303]);
    await cdp.detach();
    oauthSession = sessionIdOf(page);
    expect(await holderOf(owner, oauthSession)).toBe(holder);
    await callWhoami(page);
    expect(oauth.events.filter((e) => e.kind === 'registration')).toHaveLength(1);

    // The token is in the shared store: each instance lists it.
    for (const app of instances) {
      const tokens = await api<{ tokens: Array<{ resource: string }> }>(app.origin, owner, '/api/tokens');
      expect(tokens.body.tokens.map((t) => t.resource)).toEqual([oauth.mcpUrl]);
    }

    // Another browser starts on the other instance: the client registered by the first is reused from the store.
    const second = await browser.newContext();
    const page2 = await second.newPage();
    await connectFrom(page2, elsewhere.origin, oauth.mcpUrl);
    await expect(page2.getByTestId('session-state'))
      .toHaveAttribute('data-state', 'connected', { timeout: 30_000 })
      .catch(async (error: unknown) => {
        throw new Error(`${page2.url()}: ${(await page2.locator('body').innerText()).slice(-900)}\n${String(error)}`);
      });
    expect(oauth.events.filter((e) => e.kind === 'registration')).toHaveLength(1);
    expect(oauth.events.filter((e) => e.kind === 'authorization')).toHaveLength(2);
    await second.close();

    // A share link made on one instance is served by both.
    const shared = await api<{ shareId: string }>(lb!.origin, owner, `/api/sessions/${oauthSession}/share`, {
      method: 'POST',
      body: '{}',
    });
    expect(shared.status).toBe(201);
    shareId = shared.body.shareId;
    for (const app of instances) {
      const response = await fetch(`${app.origin}/api/shares/${shareId}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('whoami');
    }
  });

  test('kill -9 of the instance holding a session: the page says it ended with its instance; Reconnect lands on the other one, no new login', async () => {
    test.setTimeout(90_000);
    const holder = await holderOf(owner, oauthSession);
    const authorizations = oauth.events.filter((e) => e.kind === 'authorization').length;
    process.kill(holder.pid()!, 'SIGKILL');

    // The open page learns it from the surviving instance (its events stream reconnects through the balancer).
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'closed', { timeout: 30_000 });
    await expect(page.getByTestId('session-closed')).toContainText('ended when its mcpscope instance stopped');
    // A fresh load of the page says the same.
    await page.reload();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'closed');
    await expect(page.getByTestId('session-closed')).toContainText('ended when its mcpscope instance stopped');

    await page.getByTestId('reconnect').click();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
    expect(sessionIdOf(page)).toBe(oauthSession);
    await callWhoami(page);
    // The stored token was used: the authorization server saw no new login.
    expect(oauth.events.filter((e) => e.kind === 'authorization')).toHaveLength(authorizations);
    expect(await holderOf(owner, oauthSession)).toBe(other(holder));

    // The share link survived, on the surviving instance and through the balancer.
    for (const origin of [other(holder).origin, lb!.origin]) expect((await fetch(`${origin}/api/shares/${shareId}`)).status).toBe(200);
    await holder.restart();
  });

  test('the instance that began a login dies before its callback: the other one finishes the login, no second login', async () => {
    test.setTimeout(120_000);
    const context = await browser.newContext();
    const login = await context.newPage();
    // A first session fixes this browser's instance; the login then starts there.
    await connectFrom(login, lb!.origin, fixtureUrl('stateful'));
    await expect(login.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    const who = await ownerCookieOf(login);
    // The callback is held back at the browser until the instance holding the flow is killed.
    const cdp = await context.newCDPSession(login);
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: `${lb!.origin}/callback*`, requestStage: 'Request' }] });
    let release: (() => Promise<unknown>) | undefined;
    const paused = new Promise<void>((resolve) => {
      cdp.on('Fetch.requestPaused', (event) => {
        release = () => cdp.send('Fetch.continueRequest', { requestId: event.requestId });
        resolve();
      });
    });
    const authorizations = oauth.events.filter((e) => e.kind === 'authorization').length;
    void connectFrom(login, lb!.origin, oauth.mcpUrl).catch(() => undefined);
    await paused;
    const pending = await postgres.query('SELECT session_id FROM mcpscope_oauth_pending ORDER BY created_at DESC LIMIT 1', [], 'multi');
    const id = (pending.rows[0] as { session_id: string }).session_id;
    const began = await holderOf(who, id);
    process.kill(began.pid()!, 'SIGKILL');
    await release!();

    // The balancer sends the callback to the survivor (the sticky instance refuses connections), which finishes it.
    await expect(login).toHaveURL(new RegExp(`/inspect/${id}$`), { timeout: 30_000 });
    await expect(login.getByTestId('session-state')).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
    expect(oauth.events.filter((e) => e.kind === 'authorization')).toHaveLength(authorizations + 1);
    expect(await holderOf(who, id)).toBe(other(began));
    await callWhoami(login);
    await cdp.detach();
    await context.close();
    await began.restart();
  });

  test('a rolling restart of both instances loses nothing but live connections', async () => {
    test.setTimeout(120_000);
    const authorizations = oauth.events.filter((e) => e.kind === 'authorization').length;
    for (const app of instances) await app.restart();
    for (const app of instances) {
      expect((await fetch(`${app.origin}/api/shares/${shareId}`)).status).toBe(200);
      const tokens = await api<{ tokens: Array<{ resource: string }> }>(app.origin, owner, '/api/tokens');
      expect(tokens.body.tokens.map((t) => t.resource)).toEqual([oauth.mcpUrl]);
      // The session's record outlived both: it says where it ended.
      const summary = await api<{ state: string; error?: { code: string } }>(app.origin, owner, `/api/sessions/${oauthSession}`, {
        headers: FORWARDED,
      });
      expect(summary.body).toMatchObject({ state: 'closed', error: { code: 'instance_stopped' } });
    }
    const reconnected = await api<{ state: string }>(lb!.origin, owner, `/api/sessions/${oauthSession}/reconnect`, { method: 'POST' });
    expect(reconnected.body.state).toBe('connected');
    const called = await api<{ result?: { content?: Array<{ text?: string }> } }>(lb!.origin, owner, `/api/sessions/${oauthSession}/rpc`, {
      method: 'POST',
      body: JSON.stringify({ method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
    });
    expect(called.status).toBe(200);
    expect(called.body.result?.content?.[0]?.text).toContain('mcp:read');
    expect(oauth.events.filter((e) => e.kind === 'authorization')).toHaveLength(authorizations);
  });

  test(`load across both: ${SESSIONS} sessions from ${OWNERS} browsers, a tool call on each, nothing lost`, async () => {
    // A ceiling for a busy shared machine: the run prints what each phase took (README § Several instances).
    test.setTimeout(600_000);
    const started = Date.now();
    const owners = await inBatches(Array.from({ length: OWNERS }), 10, () => issueOwner(lb!.origin));
    const target = fixtureUrl('stateless-2026');
    const created = await inBatches(Array.from({ length: SESSIONS }), CONCURRENCY, async (_, i) => {
      const owner = owners[i % OWNERS]!;
      const answer = await api<{ id: string; state: string }>(lb!.origin, owner, '/api/sessions', {
        method: 'POST',
        body: JSON.stringify({ url: target }),
      }).catch((error: unknown) => ({ status: 0, body: { id: '', state: String(error) } }));
      return { answer, owner, i };
    });
    const refused = created.filter(({ answer }) => answer.status !== 201 || answer.body.state !== 'connected');
    expect(refused.map((r) => r.answer).slice(0, 3), `${refused.length} of ${SESSIONS} not connected\n${lb!.output()}`).toEqual([]);
    const connectedAt = Date.now();

    const calls = await inBatches(created, CONCURRENCY, async ({ answer, owner, i }) => {
      const result = await api<{ result?: { content?: Array<{ text?: string }> } }>(
        lb!.origin,
        owner,
        `/api/sessions/${answer.body.id}/rpc`,
        {
          method: 'POST',
          body: JSON.stringify({ method: 'tools/call', params: { name: 'add', arguments: { a: i, b: 1 } } }),
        },
      );
      return { status: result.status, text: result.body.result?.content?.[0]?.text, expected: String(i + 1) };
    });
    const wrong = calls.filter(({ status, text, expected }) => status !== 200 || text !== expected);
    expect(wrong.slice(0, 3), `${wrong.length} of ${SESSIONS} calls failed`).toEqual([]);
    const calledAt = Date.now();

    // Nothing lost: every session is in the store, held by a running instance, and still answers as connected.
    const ids = created.map(({ answer }) => answer.body.id);
    const rows = await postgres.query(
      `SELECT i.address, COUNT(*)::int AS n FROM mcpscope_sessions s JOIN mcpscope_instances i ON i.id = s.instance_id
        WHERE s.id = ANY($1) AND s.state = 'connected' AND i.stopped_at IS NULL GROUP BY i.address`,
      [ids],
      'multi',
    );
    const split = new Map(rows.rows.map((row: { address: string; n: number }) => [row.address, row.n]));
    const perInstance = instances.map((app) => split.get(`http://127.0.0.1:${app.port}`) ?? 0);
    expect(perInstance.reduce((a, b) => a + b, 0)).toBe(SESSIONS);
    // Sticky by browser, round robin over browsers: both instances hold a fair part.
    expect(Math.min(...perInstance)).toBeGreaterThan(SESSIONS / 4);
    const states = await inBatches(created, CONCURRENCY, async ({ answer, owner }) => {
      const summary = await api<{ state: string }>(lb!.origin, owner, `/api/sessions/${answer.body.id}`);
      return summary.status === 200 ? summary.body.state : `HTTP ${summary.status}`;
    });
    expect(states.filter((state) => state !== 'connected')).toEqual([]);
    const checkedAt = Date.now();

    const load = os
      .loadavg()
      .map((v) => v.toFixed(1))
      .join(' ');
    const report = `${SESSIONS} sessions (${CONCURRENCY} requests in flight) connected in ${((connectedAt - started) / 1000).toFixed(1)} s, ${SESSIONS} tool calls in ${((calledAt - connectedAt) / 1000).toFixed(1)} s, all checked in ${((checkedAt - calledAt) / 1000).toFixed(1)} s; per instance ${perInstance.join(' / ')}; ${os.cpus().length} cores, load ${load}`;
    test.info().annotations.push({ type: 'load', description: report });
    console.log(`multi load: ${report}`);

    const closed = await inBatches(created, CONCURRENCY, ({ answer, owner }) =>
      api(lb!.origin, owner, `/api/sessions/${answer.body.id}`, { method: 'DELETE' }),
    );
    expect(closed.filter((c) => c.status !== 200)).toEqual([]);
  });
});
