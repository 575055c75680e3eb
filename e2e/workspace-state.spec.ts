import { test, expect, type Page } from '@playwright/test';
import { deadUrl } from './fixtures/dead';
import { startOddShapes } from './fixtures/odd-shapes';
import { startRestartable, type RestartableServer } from './fixtures/restartable';
import { callAddInForm, connectTo, openTool, submitConnectForm, serverForEach } from './helpers';

// Issue 14, "State and recovery": the header follows the real state of the server (a killed server is not
// "connected", a restarted one is "session gone"), Reconnect and Retry are offered where they help, recent
// servers remember how their last connect ended, deep links fill the connect form without ever taking a
// secret, and the header stays readable at 1024 px. Against real servers: a stateful sdk v1 server this file
// kills and restarts on the same port (e2e/fixtures/restartable.ts).

let server: RestartableServer;

test.beforeEach(async () => {
  server = await startRestartable();
});
test.afterEach(async () => {
  await server.close();
});

function sessionIdOf(page: Page): string {
  return new URL(page.url()).pathname.split('/').pop()!;
}

async function callAdd(page: Page, a: number, b: number): Promise<{ status: number; body: unknown }> {
  const response = await page.request.post(`/api/sessions/${sessionIdOf(page)}/rpc`, {
    data: { method: 'tools/call', params: { name: 'add', arguments: { a, b } } },
  });
  return { status: response.status(), body: await response.json() };
}

async function expectFindings(page: Page, codes: string[]): Promise<void> {
  await page.getByTestId('tab-findings').click();
  // The Findings view loads on first use, and the log reaches it a frame later.
  await expect
    .poll(() => page.getByTestId('finding-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-code') ?? '')))
    .toEqual(expect.arrayContaining(codes));
}

test('a killed server is not "connected"; after its restart the session is gone; Reconnect starts a new one in the same log', async ({
  page,
}) => {
  await connectTo(page, server.url);
  const state = page.getByTestId('session-state');
  await expect(state).toHaveAttribute('data-display', 'connected');
  expect((await callAdd(page, 1, 2)).body).toMatchObject({ result: { content: [{ text: '3' }] } });

  await server.kill();
  // The standing stream breaks, and calls fail: the header says so, with Reconnect at hand.
  await expect(state).toHaveAttribute('data-display', 'degraded');
  await expect(state).toHaveText('degraded');
  await expect(page.getByTestId('session-degraded')).toContainText(/degraded/i);
  await expect(page.getByTestId('reconnect')).toBeVisible();
  const failed = await callAdd(page, 2, 2);
  expect(failed.status).toBeGreaterThanOrEqual(400);
  await expect(state).toHaveAttribute('data-display', 'degraded');

  await server.restart();
  // The server is back but knows nothing of the session: "400 No valid session ID".
  await callAdd(page, 3, 3);
  await expect(state).toHaveAttribute('data-display', 'session_lost');
  await expect(state).toHaveText('session gone');
  await expect(page.getByTestId('session-closed')).toContainText(/no longer knows this session/);

  await expectFindings(page, ['connection_degraded', 'server_session_gone']);

  await page.getByTestId('reconnect').click();
  await expect(state).toHaveAttribute('data-display', 'connected');
  await expect(page.getByTestId('session-banner')).toHaveCount(0);
  expect((await callAdd(page, 20, 22)).body).toMatchObject({ result: { content: [{ text: '42' }] } });
  // One log: both connects are on the timeline.
  await page.getByTestId('tab-timeline').click();
  await expect(page.getByTestId('timeline-phase-connect')).toHaveCount(2);
});

test('Reconnect is offered while degraded, not only once closed, and starts a new MCP session', async ({ page }) => {
  await connectTo(page, server.url, 'streamable-http');
  const state = page.getByTestId('session-state');
  await server.kill();
  await expect(state).toHaveAttribute('data-display', 'degraded');
  // Reconnect while degraded: a new MCP session once the server is back.
  await server.restart();
  await page.getByTestId('reconnect').click();
  await expect(state).toHaveAttribute('data-display', 'connected');
  expect((await callAdd(page, 1, 1)).body).toMatchObject({ result: { content: [{ text: '2' }] } });
  await expectFindings(page, ['connection_degraded']);
});

test('a failed connect offers Retry with the same settings, and recent servers show how each ended', async ({ page }) => {
  await server.kill();
  await page.goto('/');
  await page.evaluate(() => localStorage.removeItem('mcpscope.recent'));
  await page.getByTestId('connect-url').fill(server.url);
  await page.getByTestId('connect-transport').selectOption('streamable-http');
  await page.getByTestId('connect-submit').click();
  await expect(page.getByTestId('connect-error')).toContainText(/refused|reach/i);
  await server.restart();
  await page.getByTestId('retry-connect').click();
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-display', 'connected');
  await expect(page.getByTestId('server-name')).toHaveText('fixture-restartable');
  // Same settings: the transport asked for stays.
  await expect(page.getByTestId('server-url')).toHaveText(server.url);

  const dead = await deadUrl();
  await submitConnectForm(page, dead);
  await expect(page.getByTestId('connect-error')).toBeVisible();

  await page.goto('/');
  const rows = page.getByTestId('recent-server');
  await expect(rows.filter({ hasText: server.url }).getByTestId('recent-outcome')).toHaveAttribute('data-outcome', 'connected');
  await expect(rows.filter({ hasText: dead }).getByTestId('recent-outcome')).toHaveAttribute('data-outcome', 'failed');
  await rows.filter({ hasText: dead }).getByTestId('recent-remove').click();
  await expect(rows.filter({ hasText: dead })).toHaveCount(0);
  await page.reload();
  await expect(rows.filter({ hasText: dead })).toHaveCount(0);
  await expect(rows.filter({ hasText: server.url })).toHaveCount(1);
});

test('"Did you mean" is a button that connects to the suggested URL', async ({ page }) => {
  const typed = server.url.replace(/^http:\/\//, '');
  await submitConnectForm(page, typed);
  const suggestion = page.getByTestId('connect-suggestion');
  await expect(suggestion).toContainText(`Did you mean ${server.url}?`);
  await suggestion.click();
  await expect(page).toHaveURL(/\/inspect\//);
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-display', 'connected');
});

test('deep links fill the connect form and connect when asked; never with a secret from the link', async ({ page }) => {
  await page.goto(`/?url=${encodeURIComponent(server.url)}&transport=sse`);
  await expect(page.getByTestId('connect-url')).toHaveValue(server.url);
  await expect(page.getByTestId('connect-transport')).toHaveValue('sse');
  // The address bar no longer carries the link's parameters.
  expect(new URL(page.url()).search).toBe('');

  await page.goto(`/?url=${encodeURIComponent(server.url)}&transport=streamable-http&connect=1`);
  await expect(page).toHaveURL(/\/inspect\//);
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-display', 'connected');

  const withUserinfo = server.url.replace('http://', 'http://alice:hunter2@');
  await page.goto(`/?url=${encodeURIComponent(withUserinfo)}&connect=1`);
  await expect(page.getByTestId('deep-link-notice')).toContainText(/never takes a secret from a link/);
  await expect(page.getByTestId('connect-url')).toHaveValue(server.url);
  await page.waitForTimeout(500);
  await expect(page).toHaveURL(/\/$/);

  await page.goto(`/?url=${encodeURIComponent(`${server.url}?api_key=sk-live-abcdef123456`)}&connect=1`);
  await expect(page.getByTestId('deep-link-notice')).toContainText(/secret-looking/);
  await expect(page.getByTestId('connect-url')).not.toHaveValue(/sk-live-abcdef123456/);
  await page.waitForTimeout(500);
  await expect(page).toHaveURL(/\/$/);
});

test('at 1024 px the header keeps the title and a readable, truncated server name with its full name on hover', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  const long = await startRestartable('fixture-with-a-rather-long-server-name-that-will-not-fit-the-header');
  try {
    await connectTo(page, long.url);
    await expect(page.getByRole('link', { name: 'mcpscope' })).toBeVisible();
    const name = page.getByTestId('server-name');
    await expect(name).toHaveAttribute('title', /fixture-with-a-rather-long-server-name-that-will-not-fit-the-header/);
    const box = (await name.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(120);
    // Truncated with an ellipsis, not clipped: the element knows its text is cut.
    expect(await name.evaluate((el) => getComputedStyle(el).textOverflow)).toBe('ellipsis');
    // Nothing in the header's first row overflows the window.
    const overflow = await page
      .locator('header')
      .first()
      .evaluate((header) => {
        const row = header.firstElementChild as HTMLElement;
        return [...row.querySelectorAll<HTMLElement>('*')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1).length;
      });
    expect(overflow).toBe(0);
  } finally {
    await long.close();
  }
});

test.describe('against a server whose data takes odd shapes', () => {
  const odd = serverForEach(startOddShapes);

  test("a view that cannot draw a server's data shows the error and a way back; the rest of the workspace works", async ({ page }) => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await connectTo(page, odd().url);
    await openTool(page, 'odd');
    // An image block whose data is a number, not base64 text: a real crash in the result view today (dataUrl calls
    // .replace on it). When that is fixed, pick another shape of e2e/fixtures/odd-shapes.ts that still breaks a view.
    await page.locator('#root_shape').selectOption('image-number');
    await page.getByTestId('call-tool').click();
    const crashed = page.getByTestId('view-error');
    await expect(crashed).toHaveAttribute('data-view', 'Tools');
    await expect(page.getByTestId('view-error-message')).toContainText(/Error/);
    // Header, tabs and the other views still work.
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-display', 'connected');
    await page.getByTestId('view-error-leave').click();
    await expect(page.getByTestId('tab-timeline')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('view-error')).toHaveCount(0);
    await page.getByTestId('tab-messages').click();
    await expect(page.getByTestId('rpc-row').filter({ hasText: 'tools/call' }).first()).toBeVisible();
    // Back to Tools: still the same data, still the error; Try again drops that result and shows the tool again.
    await page.getByTestId('tab-tools').click();
    await expect(crashed).toBeVisible();
    await page.getByTestId('view-error-retry').click();
    await expect(crashed).toHaveCount(0);
    await expect(page.locator('#root_shape')).toBeVisible();
    await page.locator('#root_shape').selectOption('text-number');
    await page.getByTestId('call-tool').click();
    await expect(page.getByTestId('tool-result')).toBeVisible();
    expect(pageErrors).toEqual([]);
  });

  test('a reload keeps the arguments typed, never a password, and shows the last result', async ({ page }) => {
    await connectTo(page, odd().url);
    await openTool(page, 'login');
    await page.locator('#root_user').fill('ada');
    await page.locator('#root_password').fill('hunter2-very-secret');
    await page.getByTestId('call-tool').click();
    await expect(page.getByTestId('tool-result')).toContainText('signed in as ada');
    await page.waitForTimeout(600);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(stored).toContain('ada');
    expect(stored).not.toContain('hunter2-very-secret');

    await page.reload();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-display', 'connected');
    await openTool(page, 'login');
    await expect(page.locator('#root_user')).toHaveValue('ada');
    await expect(page.locator('#root_password')).toHaveValue('');
    await expect(page.getByTestId('tool-result')).toContainText('signed in as ada');
  });
});

test("a reload of a stateful session keeps each tool's arguments and its last result", async ({ page }) => {
  await connectTo(page, server.url);
  await callAddInForm(page, 7, 8);
  await page.waitForTimeout(600);
  await page.reload();
  await openTool(page, 'add');
  await expect(page.locator('#root_a')).toHaveValue('7');
  await expect(page.locator('#root_b')).toHaveValue('8');
  await expect(page.getByTestId('tool-result')).toContainText('15');
});
