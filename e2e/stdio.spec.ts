import { test, expect, request as playwrightRequest, type APIRequestContext, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { alive, groupMembers, pidsOf } from './processes';
import { startSecondApp, type SecondApp } from './second-app';

// Local stdio servers through the real app: the connect form's Command kind, the workspace on a stdio session,
// the lifecycle (nothing left running), the attacks that must not start anything, and real servers from npm.

const ROOT = path.resolve(__dirname, '..');
const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const FILESYSTEM = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
const MEMORY = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
const NOISY = path.join(ROOT, 'tests/stdio/fixtures/noisy-server.mjs');

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mcpscope-e2e-stdio-'));
  test.info().attach('dir', { body: dir });
  return dir;
}

async function launchToken(api: APIRequestContext): Promise<string> {
  const response = await api.get('/api/stdio');
  const body = (await response.json()) as { available: boolean; launchToken?: string };
  expect(body.available).toBe(true);
  return body.launchToken!;
}

/** Starts a command session through the API, waits until connected, returns its id. */
async function launch(api: APIRequestContext, body: Record<string, unknown>): Promise<string> {
  const token = await launchToken(api);
  const response = await api.post('/api/sessions', { data: { kind: 'command', ...body }, headers: { 'x-mcpscope-launch': token } });
  expect(response.status(), await response.text()).toBe(201);
  const summary = (await response.json()) as { id: string; state: string };
  expect(summary.state).toBe('connected');
  return summary.id;
}

async function call(api: APIRequestContext, id: string, name: string, args: Record<string, unknown>): Promise<string> {
  const response = await api.post(`/api/sessions/${id}/rpc`, { data: { method: 'tools/call', params: { name, arguments: args } } });
  expect(response.status()).toBe(200);
  return JSON.stringify(await response.json());
}

async function fillCommand(page: Page, line: string): Promise<void> {
  await page.goto('/');
  await page.getByTestId('connect-kind-command').click();
  await page.getByTestId('connect-command').fill(line);
}

test.describe('the connect form', () => {
  test('a new command is shown for confirmation, runs, and the workspace works on it; disconnect leaves nothing running', async ({
    page,
  }) => {
    // The page's own cookie: the session belongs to the browser that started it.
    const request = page.request;
    const line = `${process.execPath} ${EVERYTHING} stdio`;
    await fillCommand(page, line);
    await page.getByTestId('add-env').click();
    await page.getByTestId('env-name').fill('EVERYTHING_TOKEN');
    await page.getByTestId('env-value').fill('e2e-secret-value-42');
    await page.getByTestId('connect-submit').click();

    const confirm = page.getByTestId('stdio-confirm');
    await expect(confirm).toBeVisible();
    await expect(page.getByTestId('stdio-confirm-command')).toHaveText(line);
    await expect(page.getByTestId('stdio-confirm-env')).toHaveText('EVERYTHING_TOKEN');
    await page.getByTestId('stdio-confirm-run').click();

    await expect(page).toHaveURL(/\/inspect\//);
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    await expect(page.getByTestId('server-name')).toContainText(/everything/i);
    const id = decodeURIComponent(page.url().split('/inspect/')[1]!.split(/[?#]/)[0]!);

    // Tools work as on any server.
    await page.getByTestId('tab-tools').click();
    await page.getByTestId('tool-search').fill('echo');
    await page.getByTestId('tool-item-echo').click();
    await page.locator('#root_message').fill('hello over stdio');
    await page.getByTestId('call-tool').click();
    await expect(page.getByTestId('tool-result')).toContainText('hello over stdio');

    // Traffic is the transcript of the pipes.
    await page.getByTestId('tab-traffic').click();
    await expect(page.getByTestId('stdio-traffic')).toBeVisible();
    await expect(page.locator('[data-testid="stdio-row"][data-row="process"]').first()).toContainText('started');
    const stdin = page.locator('[data-testid="stdio-row"][data-row="stdin"]').filter({ hasText: 'tools/call' });
    await expect(stdin).toHaveCount(1);
    await stdin.click();
    await expect(page.getByTestId('stdio-detail')).toContainText('hello over stdio');
    await page.getByTestId('stdio-kind-stdout').click();
    await expect(page.locator('[data-testid="stdio-row"][data-row="stdin"]')).toHaveCount(0);
    await expect(page.locator('[data-testid="stdio-row"][data-row="stdout"]').first()).toBeVisible();

    // The env value never reaches the page or the exports.
    const exportedResponse = await request.get(`/api/sessions/${id}/log?format=json`);
    expect(exportedResponse.status()).toBe(200);
    const exported = await exportedResponse.text();
    expect(exported).toContain('"stdio.line"');
    expect(exported).not.toContain('e2e-secret-value-42');
    const summary = await (await request.get(`/api/sessions/${id}`)).json();
    expect(summary).toMatchObject({ transport: 'stdio', command: { envNames: ['EVERYTHING_TOKEN'] } });

    const [pid] = await pidsOf(request, id);
    expect(alive(pid!)).toBe(true);
    await page.getByTestId('disconnect').click();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'closed');
    await expect.poll(() => alive(pid!)).toBe(false);
    expect(groupMembers(pid!)).toEqual([]);

    // The same command again: no confirmation this time.
    await fillCommand(page, line);
    await page.getByTestId('add-env').click();
    await page.getByTestId('env-name').fill('EVERYTHING_TOKEN');
    await page.getByTestId('env-value').fill('another value');
    await page.getByTestId('connect-submit').click();
    await expect(page).toHaveURL(/\/inspect\//);
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    await page.getByTestId('disconnect').click();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'closed');
  });

  test('a server that exits says so with its stderr, and Reconnect starts it again', async ({ page }) => {
    // The page's own cookie: the session must belong to the browser that opens it.
    const request = page.request;
    const id = await launch(request, { command: process.execPath, args: [NOISY] });
    await page.goto(`/inspect/${id}`);
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    const [first] = await pidsOf(request, id);
    await call(request, id, 'crash', { code: 4 });
    const banner = page.getByTestId('session-banner');
    await expect(banner).toContainText('The server process exited');
    await expect(banner).toContainText('exited with code 4');
    await expect(banner).toContainText('crashing on purpose');
    await page.getByTestId('tab-traffic').click();
    await expect(page.locator('[data-testid="stdio-row"][data-row="process"]').filter({ hasText: 'exited with code 4' })).toBeVisible();
    await expect(page.locator('[data-testid="stdio-row"][data-row="stdout"]').filter({ hasText: 'not JSON-RPC' })).toBeVisible();

    await banner.getByRole('button', { name: /reconnect/i }).click();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    const pids = await pidsOf(request, id);
    expect(pids).toHaveLength(2);
    expect(alive(first!)).toBe(false);
    expect(alive(pids[1]!)).toBe(true);
    await request.delete(`/api/sessions/${id}`);
    await expect.poll(() => alive(pids[1]!)).toBe(false);
  });
});

test.describe('attacks: none of them starts anything', () => {
  let dir: string;
  let marker: string;
  const body = () => ({ kind: 'command', command: process.execPath, args: [NOISY], env: { NOISY_MARKER: marker } });

  test.beforeEach(() => {
    dir = tempDir();
    marker = path.join(dir, 'started');
  });
  test.afterEach(async () => {
    // Give a launch that should not have happened the time to show.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(existsSync(marker), 'a process was started').toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a cross-site form POST (text/plain JSON, the classic CSRF) is refused', async ({ page, baseURL }) => {
    // The attacker's page on another origin, with a form that posts JSON-looking text/plain to mcpscope.
    const json = JSON.stringify(body());
    const attack = http.createServer((_, response) => {
      const [head, tail] = [json.slice(0, -1) + ',"x":"', '"}'];
      response.setHeader('content-type', 'text/html');
      response.end(
        `<form id="f" method="POST" action="${baseURL}/api/sessions" enctype="text/plain">` +
          `<input name='${head.replace(/'/g, '&#39;')}' value='${tail}'></form><script>document.getElementById('f').submit()</script>`,
      );
    });
    await new Promise<void>((resolve) => attack.listen(0, '127.0.0.1', resolve));
    try {
      const answer = page.waitForResponse((response) => response.url().endsWith('/api/sessions'));
      await page.goto(`http://127.0.0.1:${(attack.address() as AddressInfo).port}/`);
      expect((await answer).status()).toBe(403);
    } finally {
      attack.close();
    }
  });

  test('a foreign Origin is refused even with a valid launch token', async ({ request }) => {
    const token = await launchToken(request);
    const response = await request.post('/api/sessions', {
      data: body(),
      headers: { Origin: 'https://attacker.example', 'x-mcpscope-launch': token },
    });
    expect(response.status()).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'forbidden_origin' } });
  });

  test('a DNS-rebinding Host is refused, for the token and the launch alike', async ({ request }) => {
    const token = await launchToken(request);
    const peek = await request.get('/api/stdio', { headers: { Host: 'attacker.example' } });
    expect(peek.status()).toBe(403);
    const response = await request.post('/api/sessions', {
      data: body(),
      headers: { Host: 'attacker.example:80', 'x-mcpscope-launch': token },
    });
    expect(response.status()).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'forbidden_host' } });
  });

  test("same origin without the launch token, or with another browser's, is refused", async ({ request, baseURL }) => {
    const missing = await request.post('/api/sessions', { data: body() });
    expect(missing.status()).toBe(403);
    expect(await missing.json()).toMatchObject({ error: { code: 'launch_token_invalid' } });
    const other = await playwrightRequest.newContext({ baseURL });
    try {
      const otherToken = await launchToken(other);
      const borrowed = await request.post('/api/sessions', { data: body(), headers: { 'x-mcpscope-launch': otherToken } });
      expect(borrowed.status()).toBe(403);
    } finally {
      await other.dispose();
    }
  });
});

test.describe('a hosted instance (second instance)', () => {
  let app: SecondApp;
  const accessToken = 'e2e-stdio-access-token-0123456789';
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    app = await startSecondApp({ MCPSCOPE_MODE: 'hosted', MCPSCOPE_ACCESS_TOKEN: accessToken });
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test('refuses stdio with stdio_hosted, says so in the form, and starts nothing', async ({ page }) => {
    const dir = tempDir();
    const marker = path.join(dir, 'started');
    const api = await playwrightRequest.newContext({ baseURL: app.origin, extraHTTPHeaders: { Authorization: `Bearer ${accessToken}` } });
    try {
      const availability = await (await api.get('/api/stdio')).json();
      expect(availability).toMatchObject({ available: false, code: 'stdio_hosted' });
      expect(availability.launchToken).toBeUndefined();
      const response = await api.post('/api/sessions', {
        data: { kind: 'command', command: process.execPath, args: [NOISY], env: { NOISY_MARKER: marker } },
        headers: { 'x-mcpscope-launch': 'anything' },
      });
      expect(response.status()).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'stdio_hosted' } });

      await page.goto(`${app.origin}/?token=${accessToken}`);
      await page.getByTestId('connect-kind-command').click();
      await expect(page.getByTestId('stdio-unavailable')).toContainText('hosted mode');
      await expect(page.getByTestId('connect-submit')).toBeDisabled();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(existsSync(marker)).toBe(false);
    } finally {
      await api.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test.describe('app shutdown (second instance)', () => {
  test('stopping mcpscope stops every stdio server it started, their helpers included', async () => {
    test.setTimeout(120_000);
    const app = await startSecondApp({});
    let pgids: number[] = [];
    try {
      const api = await playwrightRequest.newContext({ baseURL: app.origin });
      try {
        for (let i = 0; i < 2; i++) {
          const id = await launch(api, { command: process.execPath, args: [NOISY] });
          // Its helper (a child in the same group) must be running before the shutdown for the test to mean anything.
          await expect.poll(async () => (await call(api, id, 'helper_pid', {})).match(/\d+/) !== null).toBe(true);
          pgids.push(...(await pidsOf(api, id)));
        }
      } finally {
        await api.dispose();
      }
      expect(pgids).toHaveLength(2);
      for (const pgid of pgids) expect(groupMembers(pgid).length).toBeGreaterThanOrEqual(2);
    } finally {
      await app.stop();
    }
    await expect.poll(() => pgids.flatMap(groupMembers)).toEqual([]);
    pgids = [];
  });
});

test.describe('real servers from npm over stdio', () => {
  test('the official filesystem server: lists its allowed directory and reads a file', async ({ request }) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'hello.txt'), 'hello from a real stdio server\n');
    const id = await launch(request, { command: process.execPath, args: [FILESYSTEM, dir] });
    expect(await call(request, id, 'list_allowed_directories', {})).toContain(path.basename(dir));
    expect(await call(request, id, 'read_text_file', { path: path.join(dir, 'hello.txt') })).toContain('hello from a real stdio server');
    // Outside its directory it refuses (an error result, not a broken session).
    expect(await call(request, id, 'read_text_file', { path: '/etc/hostname' })).toMatch(/denied|outside|not allowed/i);
    const [pid] = await pidsOf(request, id);
    await request.delete(`/api/sessions/${id}`);
    await expect.poll(() => alive(pid!)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the official memory server: creates entities and reads the graph back', async ({ request }) => {
    const dir = tempDir();
    const file = path.join(dir, 'memory.jsonl');
    const id = await launch(request, { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: file } });
    await call(request, id, 'create_entities', {
      entities: [{ name: 'mcpscope', entityType: 'tool', observations: ['inspects MCP servers over stdio'] }],
    });
    expect(await call(request, id, 'read_graph', {})).toContain('inspects MCP servers over stdio');
    expect(readFileSync(file, 'utf8')).toContain('mcpscope');
    const [pid] = await pidsOf(request, id);
    await request.delete(`/api/sessions/${id}`);
    await expect.poll(() => alive(pid!)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the official everything server: resources and prompts views over stdio', async ({ page }) => {
    const request = page.request;
    const id = await launch(request, { command: process.execPath, args: [EVERYTHING, 'stdio'] });
    await page.goto(`/inspect/${id}`);
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    const resources = await request.post(`/api/sessions/${id}/rpc`, { data: { method: 'resources/list' } });
    expect(JSON.stringify(await resources.json())).toContain('uri');
    const prompts = await request.post(`/api/sessions/${id}/rpc`, { data: { method: 'prompts/list' } });
    expect(JSON.stringify(await prompts.json())).toContain('name');
    await page.getByTestId('tab-resources').click();
    await expect(page.getByTestId('tab-resources')).toHaveAttribute('aria-selected', 'true');
    const [pid] = await pidsOf(request, id);
    await request.delete(`/api/sessions/${id}`);
    await expect.poll(() => alive(pid!)).toBe(false);
  });
});
