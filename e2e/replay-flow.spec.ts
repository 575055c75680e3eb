// Issue 18's "done when", end to end: a session recorded in the app against the replay-target fixture (official SDK
// server), the fixture changed (a tool's schema and one result), then replayed in the app (list and side by side) and
// with `mcpscope replay` (exit 6 naming exactly those; unchanged: exit 0); the share of the recording served as a mock
// by the app ("Serve as mock"), which the official SDK client, `mcpscope replay` and mcpscope's own UI connect to with
// no difference. Also: resend and edit-and-resend from Messages, the replay's credentials (this session's, or typed:
// never returned to the browser, nowhere in the exports), and the server's requests answered from the recording.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startFormsServer } from './fixtures/forms';
import { AFTER_RELEASE_DIFF, startReplayTarget, type ReplayTarget } from './fixtures/replay-target';
import { connectTo } from './helpers';

const BIN = path.resolve(__dirname, '../bin/mcpscope.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-replay-flow-'));

let target: ReplayTarget;
test.beforeAll(async () => {
  target = await startReplayTarget('2026', 'before');
});
test.afterAll(async () => {
  await target.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
test.beforeEach(() => {
  target.release = 'before';
});

/** The real command, asynchronously (the servers it talks to run in this process). */
function mcpscope(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH ?? '', HOME: dir, MCPSCOPE_DATA_DIR: dir, NO_COLOR: '1' } as Record<
        string,
        string
      > as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const sessionIdOf = (page: Page) => new URL(page.url()).pathname.split('/').pop() as string;

async function consoleSend(page: Page, method: string, params: unknown) {
  await page.getByTestId('tab-history').click();
  await page.getByTestId('history-tab-console').click();
  await page.getByTestId('rpc-console-method').fill(method);
  await page.getByTestId('rpc-console-params').fill(JSON.stringify(params));
  await page.getByTestId('rpc-console-send').click();
  await expect(page.getByTestId('rpc-console-answer')).toContainText(method);
}

/** Records greet and stamp calls and a read against the target; returns the session's JSON export. */
async function record(page: Page): Promise<string> {
  await connectTo(page, target.url);
  await consoleSend(page, 'tools/call', { name: 'greet', arguments: { name: 'Ada' } });
  await consoleSend(page, 'tools/call', { name: 'stamp', arguments: {} });
  await consoleSend(page, 'resources/read', { uri: 'note://readme' });
  const response = await page.request.get(`/api/sessions/${sessionIdOf(page)}/log?format=json`);
  expect(response.ok()).toBe(true);
  return response.text();
}

test('record, change the server, replay: the app and `mcpscope replay` report exactly the schema and the result (exit 6); unchanged: exit 0', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const file = path.join(dir, 'recorded.json');
  fs.writeFileSync(file, await record(page));

  // Unchanged: nothing differs, exit 0.
  const same = await mcpscope(['replay', file, '--against', target.url]);
  expect(same.stderr).toBe('');
  expect(same.code).toBe(0);
  expect(same.stdout).toMatch(/^4 identical, 0 differ, 0 failed/m);

  target.release = 'after';
  const changed = await mcpscope(['replay', file, '--against', target.url, '--json']);
  expect(changed.code).toBe(6);
  const report = JSON.parse(changed.stdout);
  const differing = report.requests.filter((r: { verdict: string }) => r.verdict !== 'identical');
  expect(differing.map((r: { label: string }) => r.label)).toEqual(AFTER_RELEASE_DIFF.labels);
  expect(differing[0].changes.map((c: { kind: string; path: string }) => `${c.kind} ${c.path}`)).toEqual(
    AFTER_RELEASE_DIFF.toolsListChanges,
  );
  expect(differing[1].changes).toEqual(AFTER_RELEASE_DIFF.greetChanges);
  expect(report.interface.map((c: { name: string; change: string; breaking: boolean }) => [c.name, c.change, c.breaking])).toEqual([
    ['search', 'changed', true],
  ]);

  // The app, on the same recording, says the same; side by side shows both columns.
  await page.getByTestId('tab-history').click();
  await page.getByTestId('history-tab-replay').click();
  await page.getByTestId('replay-source-file').check();
  await page.getByTestId('replay-file').setInputFiles(file);
  await page.getByTestId('replay-run').click();
  const summary = page.getByTestId('replay-summary');
  await expect(summary).toHaveAttribute('data-differs', 'true');
  await expect(summary).toContainText('2 identical, 2 differ, 0 failed; 1 interface change (1 breaking)');
  await expect(page.locator('[data-testid="replay-result"][data-verdict="differs"]')).toHaveCount(2);

  await page.getByTestId('replay-layout-columns').click();
  const columns = page.getByTestId('replay-side-by-side');
  await expect(columns.getByTestId('replay-columns-target')).toContainText(target.url);
  const entries = columns.getByTestId('replay-columns-entry');
  await expect(entries).toHaveCount(3);
  const search = entries.filter({ hasText: 'search' });
  await expect(search).toHaveAttribute('data-change', 'changed');
  await expect(search).toContainText('new required argument "limit" (integer)');
  await expect(search).toContainText('breaking');
  await expect(entries.filter({ hasText: 'greet' })).toHaveAttribute('data-change', 'same');
  const greet = columns.locator('[data-testid="replay-columns-request"]').filter({ hasText: 'tools/call greet' });
  await expect(greet).toHaveAttribute('data-verdict', 'differs');
  // Recorded on the left, the target's answer on the right.
  const [left, right] = await greet.getByTestId('json-code').allTextContents();
  expect(left).toContain('Hello, Ada.');
  expect(right).toContain('Hello, Ada!');
  await expect(greet.getByTestId('replay-columns-changes')).toHaveText(/changed \$\.result\.content\[0\]\.text/);

  await page.getByTestId('replay-layout-list').click();
  await expect(page.getByTestId('replay-results')).toBeVisible();
});

test('a shared recording served as a mock by the app: the SDK client, `mcpscope replay` and mcpscope itself connect, no difference', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const exported = await record(page);
  const file = path.join(dir, 'for-mock.json');
  fs.writeFileSync(file, exported);
  const created = await page.request.post(`/api/sessions/${sessionIdOf(page)}/share`, { data: {} });
  expect(created.status()).toBe(201);
  const { url: shareUrl, shareId } = (await created.json()) as { url: string; shareId: string };

  // Someone else with the link reads it but cannot serve it.
  const visitor = await browser.newContext({ baseURL: new URL(shareUrl).origin });
  const refused = await visitor.request.post(`/api/shares/${shareId}/mock`, { data: {} });
  expect(refused.status()).toBe(404);
  expect((await refused.json()).error.code).toBe('mock_not_found');
  await visitor.close();

  await page.goto(new URL(shareUrl).pathname);
  const bar = page.getByTestId('mock-bar');
  await expect(bar).toHaveAttribute('data-running', 'false');
  await bar.getByTestId('mock-start').click();
  await expect(bar).toHaveAttribute('data-running', 'true');
  const mockUrl = (await bar.getByTestId('mock-url').textContent())!.trim();
  expect(mockUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

  // The official SDK client (v2): handshake, list and call as recorded.
  const client = new Client({ name: 'sdk-client', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(mockUrl)));
  try {
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(['greet', 'search', 'stamp']);
    const greeting = await client.callTool({ name: 'greet', arguments: { name: 'Ada' } });
    expect(greeting.content).toEqual([{ type: 'text', text: 'Hello, Ada.' }]);
  } finally {
    await client.close();
  }

  // `mcpscope replay` of the recording against its mock: nothing differs.
  const replayed = await mcpscope(['replay', file, '--against', mockUrl]);
  expect(replayed.stderr).toBe('');
  expect(replayed.code).toBe(0);
  expect(replayed.stdout).toMatch(/^4 identical, 0 differ, 0 failed/m);

  // mcpscope itself connects to it, and the app's replay of the same recording finds no difference.
  await connectTo(page, mockUrl);
  await expect(page.getByTestId('server-name')).toContainText('fixture-replay-target');
  await page.getByTestId('tab-history').click();
  await page.getByTestId('history-tab-replay').click();
  await page.getByTestId('replay-source-file').check();
  await page.getByTestId('replay-file').setInputFiles(file);
  await page.getByTestId('replay-run').click();
  await expect(page.getByTestId('replay-summary')).toHaveAttribute('data-differs', 'false');
  await expect(page.getByTestId('replay-summary')).toContainText('4 identical, 0 differ, 0 failed');

  // The owner stops it: the port no longer answers.
  await page.goto(new URL(shareUrl).pathname);
  await expect(bar).toHaveAttribute('data-running', 'true');
  await expect(bar.getByTestId('mock-requests')).not.toHaveText('0 requests answered');
  await bar.getByTestId('mock-stop').click();
  await expect(bar).toHaveAttribute('data-running', 'false');
  await expect(fetch(mockUrl, { method: 'POST', body: '{}' })).rejects.toThrow();
});

test('resend and edit-and-resend from a row of Messages', async ({ page }) => {
  await connectTo(page, target.url);
  await consoleSend(page, 'tools/call', { name: 'greet', arguments: { name: 'Grace' } });
  await consoleSend(page, 'resources/read', { uri: 'note://readme' });
  await page.getByTestId('tab-messages').click();
  const methodFilter = page.getByTestId('messages-method-filter');
  await expect(methodFilter.locator('option[value="tools/call"]')).toHaveText('tools/call (2)');

  // The handshake is the connection's own: nothing to resend.
  await page
    .locator(
      '[data-testid="rpc-row"][data-direction="out"][data-method="initialize"], [data-testid="rpc-row"][data-direction="out"][data-method="server/discover"]',
    )
    .first()
    .click();
  await expect(page.getByTestId('rpc-detail')).toBeVisible();
  await expect(page.getByTestId('message-resend')).toHaveCount(0);

  // The answer of the call shows the actions of its request; Resend sends it again as it was.
  await page.locator('[data-testid="rpc-row"][data-direction="in"][data-method="tools/call"]').first().click();
  await page.getByTestId('message-resend').click();
  await expect(page.getByTestId('message-resent')).toBeVisible();
  await expect(methodFilter.locator('option[value="tools/call"]')).toHaveText('tools/call (4)');
  await page.getByTestId('tab-history').click();
  await page.getByTestId('history-tab-requests').click();
  await expect(page.getByTestId('history-row').first()).toContainText('tools/call greet');
  await expect(page.getByTestId('history-row').first()).toContainText('{"name":"Grace"}');

  // Edit & resend of the read: the console with its method and params.
  await page.getByTestId('tab-messages').click();
  await page.locator('[data-testid="rpc-row"][data-direction="out"][data-method="resources/read"]').first().click();
  await page.getByTestId('message-edit-resend').click();
  await expect(page.getByTestId('rpc-console-method')).toHaveValue('resources/read');
  await expect(page.getByTestId('rpc-console-params')).toHaveValue(/"uri": "note:\/\/readme"/);

  // Edit & resend of the call: the tool's form with its arguments.
  await page.getByTestId('tab-messages').click();
  await page.locator('[data-testid="rpc-row"][data-direction="out"][data-method="tools/call"]').first().click();
  await page.getByTestId('message-edit-resend').click();
  await expect(page.getByTestId('tool-title')).toContainText('greet');
  await expect(page.locator('#root_name')).toHaveValue('Grace');
  await page.locator('#root_name').fill('Hopper');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('result-pane')).toContainText('Hello, Hopper.');
});

test('replay credentials: this session’s reused on the server side, or typed once; never returned, nowhere in the exports', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const secret = 'k-9f2c-very-secret-api-key';
  const guarded = await startReplayTarget('2026', 'before', { requireHeader: { name: 'x-api-key', value: secret } });
  try {
    // A session given the key (as the connect form sends it), opened in the workspace.
    const created = await page.request.post('/api/sessions', { data: { url: guarded.url, headers: { 'X-API-Key': secret } } });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await page.goto(`/inspect/${id}`);
    await expect(page.getByTestId('server-name')).toBeVisible();
    await consoleSend(page, 'tools/call', { name: 'greet', arguments: { name: 'Ada' } });
    await page.getByTestId('history-tab-replay').click();

    // This session's server and credentials: the browser never has the key, the replay connects.
    await expect(page.getByTestId('replay-auth-session')).toBeChecked();
    const twin = page.waitForResponse((r) => r.url().endsWith('/twin'));
    await page.getByTestId('replay-run').click();
    const twinBody = await (await twin).text();
    expect(twinBody).not.toContain(secret);
    expect(JSON.parse(twinBody).headerNames).toEqual(['X-API-Key']);
    await expect(page.getByTestId('replay-summary')).toContainText('2 identical, 0 differ, 0 failed');

    // Another URL without credentials: the target refuses.
    await page.getByTestId('replay-auth-none').check();
    await page.getByTestId('replay-target').fill(guarded.url);
    await page.getByTestId('replay-run').click();
    await expect(page.getByTestId('replay-failed')).toContainText('did not connect');

    // The key typed in the API key fields: it connects; the answer holds the header's name only.
    await page.getByTestId('replay-auth-header').check();
    await page.getByTestId('replay-header-name').fill('X-API-Key');
    await page.getByTestId('replay-header-value').fill(secret);
    const typed = page.waitForResponse((r) => r.url().endsWith('/api/sessions') && r.request().method() === 'POST');
    await page.getByTestId('replay-run').click();
    expect(await (await typed).text()).not.toContain(secret);
    await expect(page.getByTestId('replay-summary')).toContainText('2 identical, 0 differ, 0 failed');

    // Nothing secret in the session's summary, its log export or its history export.
    expect(await (await page.request.get(`/api/sessions/${id}`)).text()).not.toContain(secret);
    expect(await (await page.request.get(`/api/sessions/${id}/log?format=json`)).text()).not.toContain(secret);
    expect(await (await page.request.get(`/api/sessions/${id}/log?format=har`)).text()).not.toContain(secret);
    await page.getByTestId('history-tab-requests').click();
    const download = page.waitForEvent('download');
    await page.getByTestId('history-export').click();
    const history = fs.readFileSync((await (await download).path())!, 'utf8');
    expect(JSON.parse(history).requests.length).toBeGreaterThan(0);
    expect(history).not.toContain(secret);
  } finally {
    await guarded.close();
  }
});

test('the server’s requests during an in-app replay are answered as the recording answered them', async ({ page }) => {
  test.setTimeout(120_000);
  const forms = await startFormsServer();
  try {
    await connectTo(page, forms.url);
    await page.getByTestId('tool-search').fill('ask_form');
    await page.getByTestId('tool-item-ask_form').click();
    await page.getByTestId('call-tool').click();
    const drawer = page.getByTestId('pending-drawer');
    await drawer.getByRole('checkbox', { name: 'Go ahead?' }).check();
    await drawer.getByTestId('elicit-accept').click();
    await expect(page.getByTestId('tool-result')).toContainText('The person chose accept: {"confirm":true}');

    await page.getByTestId('tab-history').click();
    await page.getByTestId('history-tab-replay').click();
    await page.getByTestId('replay-run').click();
    await expect(page.getByTestId('replay-summary')).toHaveAttribute('data-differs', 'false');
    const asked = page.getByTestId('replay-server-request');
    await expect(asked).toHaveCount(1);
    await expect(asked).toHaveAttribute('data-how', 'recorded');
    await expect(asked).toContainText('elicitation/create');
    // Nobody was asked in this page: the replay session's request never reached the drawer.
    await expect(drawer).toBeHidden();
  } finally {
    await forms.close();
  }
});
