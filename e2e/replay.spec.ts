// History, the raw JSON-RPC console, edit-and-resend and Replay in the workspace, against the replay-target fixture
// (official SDK server) whose release the tests switch between record and replay.
import { expect, test, type Page } from '@playwright/test';
import { startReplayTarget, type ReplayTarget } from './fixtures/replay-target';
import { connectTo } from './helpers';

let target: ReplayTarget;
test.beforeAll(async () => {
  target = await startReplayTarget('2026', 'before');
});
test.afterAll(async () => {
  await target.close();
});
test.beforeEach(() => {
  target.release = 'before';
});

async function openHistory(page: Page) {
  await page.getByTestId('tab-history').click();
  await expect(page.getByTestId('history-view')).toBeVisible();
}

async function consoleSend(page: Page, method: string, params: unknown) {
  await page.getByTestId('history-tab-console').click();
  await page.getByTestId('rpc-console-method').fill(method);
  await page.getByTestId('rpc-console-params').fill(JSON.stringify(params));
  await page.getByTestId('rpc-console-send').click();
  await expect(page.getByTestId('rpc-console-answer')).toContainText(method);
}

test('the console sends any method, recorded like the rest; History lists requests newest first with outcome and latency', async ({
  page,
}) => {
  await connectTo(page, target.url);
  await openHistory(page);
  // The connect's own tools/list is the first request the client sent.
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await expect(page.getByTestId('history-row').first()).toHaveAttribute('data-method', 'tools/list');

  await consoleSend(page, 'tools/call', { name: 'greet', arguments: { name: 'Ada' } });
  await expect(page.getByTestId('rpc-console-answer')).toContainText('Hello, Ada.');
  await consoleSend(page, 'no/such/method', {});
  await expect(page.getByTestId('rpc-console-answer')).toContainText('error -32601');
  // Params that are not a JSON object cannot be sent.
  await page.getByTestId('rpc-console-params').fill('[1, 2');
  await expect(page.getByTestId('rpc-console-invalid')).toBeVisible();
  await expect(page.getByTestId('rpc-console-send')).toBeDisabled();

  await page.getByTestId('history-tab-requests').click();
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toHaveAttribute('data-method', 'no/such/method');
  await expect(rows.nth(0)).toContainText('error -32601');
  await expect(rows.nth(1)).toContainText('tools/call greet');
  await expect(rows.nth(1)).toContainText('{"name":"Ada"}');
  await expect(rows.nth(1)).toContainText('ok');
  await expect(rows.nth(1)).toContainText(/\d+ ms/);
  // The same requests are in Messages: the console's request is recorded like every other.
  await page.getByTestId('tab-messages').click();
  // Its method filter counts the request and the server's error answer.
  await expect(page.locator('option[value="no/such/method"]')).toHaveText('no/such/method (2)');
});

test('pin, re-run, and edit-and-resend (a tool call opens its form with the arguments; anything else the console)', async ({ page }) => {
  await connectTo(page, target.url);
  await openHistory(page);
  await consoleSend(page, 'tools/call', { name: 'greet', arguments: { name: 'Grace' } });
  await consoleSend(page, 'resources/read', { uri: 'note://readme' });
  await page.getByTestId('history-tab-requests').click();
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(3);

  // Pinning the greet call keeps it on top.
  await rows.nth(1).getByTestId('history-pin').click();
  await expect(rows.nth(0)).toContainText('tools/call greet');
  await expect(rows.nth(0).getByTestId('history-pin')).toHaveAttribute('aria-pressed', 'true');
  // A pin outlives a reload.
  await page.reload();
  await openHistory(page);
  await expect(rows.nth(0)).toContainText('tools/call greet');
  await expect(rows.nth(0).getByTestId('history-pin')).toHaveAttribute('aria-pressed', 'true');

  // Re-run sends it again: one more row, and the pinned one stays first.
  await rows.nth(0).getByTestId('history-rerun').click();
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(0)).toContainText('tools/call greet');
  await expect(page.getByTestId('history-count')).toHaveText('4 requests');

  // Edit the read: the console with its method and params.
  await page.locator('[data-testid="history-row"][data-method="resources/read"]').getByTestId('history-edit').click();
  await expect(page.getByTestId('rpc-console-method')).toHaveValue('resources/read');
  await expect(page.getByTestId('rpc-console-params')).toHaveValue(/note:\/\/readme/);

  // Edit the tool call: the Tools view, greet selected, its form filled with Grace.
  await page.getByTestId('history-tab-requests').click();
  await rows.nth(0).getByTestId('history-edit').click();
  await expect(page.getByTestId('tool-title')).toContainText('greet');
  await expect(page.locator('#root_name')).toHaveValue('Grace');
  await page.locator('#root_name').fill('Linus');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('result-pane')).toContainText('Hello, Linus.');
  await page.getByTestId('tab-history').click();
  await expect(page.getByTestId('history-row').first()).toContainText('tools/call greet');
  // Two pinned Grace calls stay on top; the new call is the newest of the rest.
  await expect(page.getByTestId('history-row').nth(2)).toContainText('{"name":"Linus"}');
});

test('the history export holds no secret the session was given', async ({ page }) => {
  await connectTo(page, target.url);
  await openHistory(page);
  await consoleSend(page, 'tools/call', { name: 'greet', arguments: { name: 'Ada', password: 'hunter2-very-secret-value' } });
  await page.getByTestId('history-tab-requests').click();
  const download = page.waitForEvent('download');
  await page.getByTestId('history-export').click();
  const file = await (await download).path();
  const text = await import('node:fs').then((fs) => fs.readFileSync(file, 'utf8'));
  expect(JSON.parse(text).requests.map((r: { method: string }) => r.method)).toEqual(['tools/call', 'tools/list']);
  expect(text).not.toContain('hunter2-very-secret-value');
});

test('replay this session against the changed server: exactly the changed schema and result; unchanged: no differences', async ({
  page,
}) => {
  await connectTo(page, target.url);
  await openHistory(page);
  await consoleSend(page, 'tools/call', { name: 'greet', arguments: { name: 'Ada' } });
  await consoleSend(page, 'tools/call', { name: 'stamp', arguments: {} });
  await page.getByTestId('history-tab-replay').click();
  await expect(page.getByTestId('replay-target')).toHaveValue(target.url);

  await page.getByTestId('replay-run').click();
  await expect(page.getByTestId('replay-summary')).toHaveAttribute('data-differs', 'false');
  await expect(page.getByTestId('replay-summary')).toContainText('3 identical, 0 differ, 0 failed');

  target.release = 'after';
  await page.getByTestId('replay-run').click();
  await expect(page.getByTestId('replay-summary')).toHaveAttribute('data-differs', 'true');
  await expect(page.getByTestId('replay-summary')).toContainText('1 identical, 2 differ, 0 failed; 1 interface change (1 breaking)');
  const differing = page.locator('[data-testid="replay-result"][data-verdict="differs"]');
  await expect(differing).toHaveCount(2);
  await expect(differing.nth(0)).toContainText('tools/list');
  await expect(differing.nth(0).getByTestId('replay-change')).toHaveText([
    /added\s*\$\.result\.tools\[name="search"\]\.inputSchema\.properties\.limit/,
    /added\s*\$\.result\.tools\[name="search"\]\.inputSchema\.required\[1\]/,
  ]);
  await expect(differing.nth(1).getByTestId('replay-change')).toHaveText([
    /changed\s*\$\.result\.content\[0\]\.text: "Hello, Ada\." → "Hello, Ada!"/,
  ]);
  await expect(page.getByTestId('replay-interface-change')).toHaveCount(1);
  await expect(page.getByTestId('replay-interface-change')).toContainText('search');
  await expect(page.getByTestId('replay-interface-change')).toContainText('breaking');
  await expect(page.getByTestId('replay-interface-change')).toContainText('new required argument "limit" (integer)');

  // An ignore rule for the greeting's text leaves the schema alone.
  await page.getByTestId('replay-ignore').fill('$.result.content[*].text');
  await page.getByTestId('replay-run').click();
  await expect(page.getByTestId('replay-summary')).toContainText('2 identical, 1 differ, 0 failed');
});

test('replay a session file against the target', async ({ page }) => {
  await connectTo(page, target.url);
  await openHistory(page);
  await consoleSend(page, 'tools/call', { name: 'greet', arguments: { name: 'Ada' } });
  // The session's own export, as a person would download it.
  const exported = await page.evaluate(async () => {
    const id = location.pathname.split('/').pop();
    return (await fetch(`/api/sessions/${id}/log?format=json`)).text();
  });
  target.release = 'after';
  await page.getByTestId('history-tab-replay').click();
  await page.getByTestId('replay-source-file').check();
  await page
    .getByTestId('replay-file')
    .setInputFiles({ name: 'recorded.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await page.getByTestId('replay-run').click();
  await expect(page.getByTestId('replay-summary')).toContainText('0 identical, 2 differ, 0 failed');
});
