import { test, expect, type Page } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectTo, fixtureUrl, shootWidths } from './helpers';

// The split view (/compare): two live sessions of this browser side by side, opened from the session switcher,
// each in its own same-origin frame that shares nothing with the other; and what must still never happen: another
// origin framing mcpscope, another browser's session id opened.

const SHOTS = '/work/shots/s6-split';

async function shoot(page: Page, name: string): Promise<void> {
  // The frames load their own pages: a little longer to settle than a single page.
  await shootWidths(page, SHOTS, name, 300);
}

function sessionIdOf(page: Page): string {
  const match = /\/inspect\/([^/?#]+)/.exec(page.url());
  if (!match) throw new Error(`not on a workspace: ${page.url()}`);
  return decodeURIComponent(match[1]!);
}

/** A page on another origin (127.0.0.1, its own port) that tries to frame `target`. */
async function foreignFramer(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><title>foreign</title><iframe id="victim" src="${target}" width="800" height="600"></iframe>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('two sessions side by side from the switcher: each frame its own server, a call in one leaves the other alone', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const api = page.request;
  await connectTo(page, fixtureUrl('stateless-2026'));
  const stateless = sessionIdOf(page);
  await connectTo(page, `${baseURL}/demo/mcp`);
  const demo = sessionIdOf(page);
  expect(demo).not.toBe(stateless);

  try {
    // The switcher: "Open side by side…", then the second session.
    await page.getByTestId('session-switcher').click();
    const menu = page.getByTestId('session-switcher-menu');
    await menu.getByTestId('session-switcher-split').click();
    await expect(menu.getByTestId('session-switcher-caption')).toContainText('choose the session to show beside this one');
    // Picking lists the others only, not the session itself.
    await expect(menu.locator(`[data-session="${demo}"]`)).toHaveCount(0);
    await shoot(page, 'switcher-pick');
    await menu.locator(`[data-session="${stateless}"]`).click();
    await expect(page).toHaveURL(new RegExp(`/compare\\?a=${demo}&b=${stateless}$`));

    // The header names both, with their state.
    await expect(page.getByTestId('split-label-left')).toHaveAttribute('data-state', 'connected');
    await expect(page.getByTestId('split-label-right')).toHaveAttribute('data-state', 'connected');
    await expect(page.getByTestId('split-label-left')).toContainText('/demo/mcp');
    await expect(page.getByTestId('split-label-right')).toContainText(fixtureUrl('stateless-2026'));
    await expect(page.getByTestId('split-name-right')).toHaveText('fixture-stateless-2026');

    // Each frame shows its own server's tools.
    const left = page.frameLocator('[data-testid="split-frame-left"]');
    const right = page.frameLocator('[data-testid="split-frame-right"]');
    await expect(left.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    await expect(right.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    await expect(right.getByTestId('server-name')).toHaveText('fixture-stateless-2026');
    await right.getByTestId('tab-tools').click();
    await expect(right.getByTestId('tool-item-add')).toBeVisible();
    await expect(right.getByTestId('tool-item-echo')).toHaveCount(0);
    await left.getByTestId('tab-tools').click();
    await expect(left.getByTestId('tool-item-echo')).toBeVisible();
    await expect(left.getByTestId('tool-item-add')).toHaveCount(0);

    // A call in the left frame: the right one's log, tab and tools stay as they were.
    const rightMessages = await right.getByTestId('messages-count').textContent();
    await left.getByTestId('tool-search').fill('echo');
    await left.getByTestId('tool-item-echo').click();
    await left.locator('#root_message').fill('only-on-the-left');
    await left.getByTestId('call-tool').click();
    await expect(left.getByTestId('tool-result')).toContainText('only-on-the-left');
    await left.getByTestId('tab-messages').click();
    await expect(left.getByTestId('rpc-row').filter({ hasText: 'tools/call' }).first()).toBeVisible();
    await expect(right.getByTestId('tab-tools')).toHaveAttribute('aria-selected', 'true');
    await expect(right.getByTestId('messages-count')).toHaveText(rightMessages!);
    await right.getByTestId('tab-messages').click();
    await expect(right.getByTestId('rpc-row').first()).toBeVisible();
    await expect(right.getByTestId('rpc-row').filter({ hasText: 'tools/call' })).toHaveCount(0);
    await expect(right.getByText('only-on-the-left')).toHaveCount(0);
    // Below 1024 px the Tools view shows one pane at a time: picking the tool again shows its form and result.
    await left.getByTestId('tab-tools').click();
    await left.getByTestId('tool-item-echo').click();
    await expect(left.getByTestId('tool-result')).toBeVisible();
    await shoot(page, 'split');

    // Swap: the sides change places, and neither frame reloads (the left's result is still on screen).
    await page.getByTestId('split-swap').click();
    await expect(page).toHaveURL(new RegExp(`/compare\\?a=${stateless}&b=${demo}$`));
    await expect(page.getByTestId('split-frame-left')).toHaveAttribute('data-session', stateless);
    await expect(page.getByTestId('split-name-left')).toHaveText('fixture-stateless-2026');
    await expect(page.frameLocator('[data-testid="split-frame-right"]').getByTestId('tool-result')).toContainText('only-on-the-left');
    const leftBox = (await page.getByTestId('split-frame-left').boundingBox())!;
    const rightBox = (await page.getByTestId('split-frame-right').boundingBox())!;
    expect(leftBox.x).toBeLessThan(rightBox.x);

    // At 1024 px each side is about 512 px wide and its tab row scrolls rather than hiding tabs.
    await page.setViewportSize({ width: 1024, height: 800 });
    const narrow = page.frameLocator('[data-testid="split-frame-right"]');
    const width = (await page.getByTestId('split-frame-right').boundingBox())!.width;
    expect(width).toBeGreaterThan(480);
    expect(width).toBeLessThan(530);
    await narrow.getByTestId('tab-history').click();
    await expect(narrow.getByTestId('tab-history')).toHaveAttribute('aria-selected', 'true');
    await expect(narrow.getByTestId('tab-history')).toBeInViewport();
    await page.setViewportSize({ width: 1280, height: 800 });

    // Close split: back to the left session's own workspace.
    await page.getByTestId('split-close').click();
    await expect(page).toHaveURL(new RegExp(`/inspect/${stateless}$`));
    await expect(page.getByTestId('server-name')).toHaveText('fixture-stateless-2026');
  } finally {
    for (const id of [demo, stateless]) await api.delete(`/api/sessions/${id}`);
  }
});

test('with one session the switcher says a second is needed; unknown and foreign ids get a message, never a frame', async ({
  page,
  baseURL,
  browser,
}) => {
  test.setTimeout(90_000);
  const api = page.request;
  const created = await (await api.post('/api/sessions', { data: { url: `${baseURL}/demo/mcp` } })).json();
  expect(created.state).toBe('connected');
  const mine = created.id as string;
  // Another browser's session: a context with its own cookies.
  const other = await browser.newContext({ baseURL });
  const theirs = (await (await other.request.post('/api/sessions', { data: { url: `${baseURL}/demo/mcp` } })).json()).id as string;
  try {
    const live = ((await (await api.get('/api/sessions')).json()) as { sessions: Array<{ id: string }> }).sessions;
    for (const session of live) if (session.id !== mine) await api.delete(`/api/sessions/${session.id}`);

    await page.goto(`/inspect/${mine}`);
    await page.getByTestId('session-switcher').click();
    const split = page.getByTestId('session-switcher-split');
    await expect(split).toBeDisabled();
    await expect(split).toHaveText(/connect a second session first/);

    // Another browser's session id: refused with a message naming it, no frame at all.
    await page.goto(`/compare?a=${mine}&b=${theirs}`);
    await expect(page.getByTestId('split-unknown')).toBeVisible();
    await expect(page.getByTestId('split-unknown')).toContainText('not a live session of this browser');
    await expect(page.getByTestId('split-unknown-id')).toHaveText([theirs]);
    await expect(page.getByTestId('split-open-known')).toHaveAttribute('href', `/inspect/${mine}`);
    await expect(page.locator('iframe')).toHaveCount(0);
    await shoot(page, 'refused');
    // A made-up one, both ids unknown, the same id twice, none at all.
    await page.goto('/compare?a=nope-1&b=nope-2');
    await expect(page.getByTestId('split-unknown-id')).toHaveText(['nope-1', 'nope-2']);
    await page.goto(`/compare?a=${mine}&b=${mine}`);
    await expect(page.getByTestId('split-same')).toBeVisible();
    await page.goto('/compare');
    await expect(page.getByTestId('split-missing')).toBeVisible();
    await expect(page.locator('iframe')).toHaveCount(0);
    // The other browser is refused the same way for this browser's session.
    const otherPage = await other.newPage();
    await otherPage.goto(`/compare?a=${theirs}&b=${mine}`);
    await expect(otherPage.getByTestId('split-unknown-id')).toHaveText([mine]);
    await expect(otherPage.locator('iframe')).toHaveCount(0);
  } finally {
    await other.request.delete(`/api/sessions/${theirs}`);
    await other.close();
    await api.delete(`/api/sessions/${mine}`);
  }
});

test('mcpscope frames itself only: another origin cannot frame a workspace', async ({ page, baseURL }) => {
  const api = page.request;
  await page.goto('/');
  const created = await (await api.post('/api/sessions', { data: { url: `${baseURL}/demo/mcp` } })).json();
  const target = `${baseURL}/inspect/${created.id}`;
  const foreign = await foreignFramer(target);
  try {
    // The headers that say so: CSP frame-ancestors 'self' alone, X-Frame-Options SAMEORIGIN.
    const headers = (await api.get(`/inspect/${created.id}`)).headers();
    const ancestors = /(?:^|;)\s*frame-ancestors([^;]*)/.exec(headers['content-security-policy'] ?? '')?.[1]?.trim();
    expect(ancestors).toBe("'self'");
    expect(headers['x-frame-options']).toBe('SAMEORIGIN');

    // And the browser obeys them: the foreign page's frame never shows the workspace.
    await page.goto(foreign.url);
    await page.waitForLoadState('load');
    const victim = page.frameLocator('#victim');
    await page.waitForTimeout(1500);
    await expect(victim.getByTestId('server-name')).toHaveCount(0);
    const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
    expect(frame?.url()).not.toBe(target);

    // The same frame in a page of mcpscope itself shows the workspace (the control: the check above can fail).
    await page.goto('/');
    await page.evaluate((src) => {
      const iframe = document.createElement('iframe');
      iframe.id = 'victim';
      iframe.src = src;
      iframe.style.cssText = 'position:fixed;inset:0;width:800px;height:600px;z-index:1000';
      document.body.append(iframe);
    }, target);
    await expect(page.frameLocator('#victim').getByTestId('server-name')).toBeVisible();
  } finally {
    await foreign.close();
    await api.delete(`/api/sessions/${created.id}`);
  }
});
