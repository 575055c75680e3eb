// A hostile MCP App view (e2e/fixtures/hostile-app.ts) attacks mcpscope from its sandbox: each attempt fails, and
// what the app did wrong is in Findings (request before initialized, a tool not visible to apps, undeclared origins).
import { test, expect } from '@playwright/test';
import { startHostileApp } from './fixtures/hostile-app';
import { connectTo, serverForAll } from './helpers';

const server = serverForAll(startHostileApp);

test('a hostile view cannot read cookies, call the API, navigate the top, open popups or reach undeclared origins', async ({
  page,
  baseURL,
}) => {
  await connectTo(page, server().url);
  const workspace = page.url();
  // The person's cookie the view would want (mcpscope_owner is HttpOnly; this one is readable by mcpscope's own pages).
  await page.evaluate(() => {
    document.cookie = 'mcpscope-probe=secret-value; path=/';
  });
  let popups = 0;
  page.on('popup', () => (popups += 1));

  await page.getByTestId('tab-tools').click();
  await page.getByTestId('tool-search').fill('hostile');
  await page.getByTestId('tool-item-hostile').click();
  await page.locator('#root_target').fill(new URL(baseURL!).origin);
  await page.getByTestId('call-tool').click();

  const view = page.frameLocator('[data-testid="app-frame"]').frameLocator('iframe');
  await expect(view.locator('#r-cookie')).toHaveText('cookie: empty');
  await expect(view.locator('#r-top-cookie')).toHaveText('top-cookie: blocked');
  await expect(view.locator('#r-api')).toHaveText('api: blocked');
  await expect(view.locator('#r-undeclared')).toHaveText('undeclared: blocked');
  await expect(view.locator('#r-popup')).toHaveText('popup: blocked');
  await expect(view.locator('#r-top-nav')).toHaveText(/top-nav: (blocked|attempted)/);
  await expect(view.locator('#r-js-link')).toHaveText('js-link: refused');
  await expect(view.locator('#r-model-only')).toHaveText('model-only: refused');
  // A legitimate call from the view still works.
  await expect(view.locator('#r-echo')).toHaveText('echo: echo: from the view');

  // Nothing left the sandbox: no request reached the undeclared origin (fetch, image or top navigation), no popup,
  // the workspace is where it was, and mcpscope never asked to open the javascript: link.
  await page.waitForTimeout(500);
  expect(server().recorded).toEqual([]);
  expect(popups).toBe(0);
  expect(page.url()).toBe(workspace);
  await expect(page.getByTestId('app-open-link')).toHaveCount(0);
  await expect(page.getByTestId('server-name')).toBeVisible();

  // The app's mistakes are findings.
  const id = /\/inspect\/([^/?#]+)/.exec(page.url())![1];
  await expect
    .poll(async () => {
      const log = (await (await page.request.get(`/api/sessions/${id}/log?format=json`)).json()) as {
        events: Array<{ kind: string; code?: string }>;
      };
      return [...new Set(log.events.filter((e) => e.kind === 'finding' && e.code?.startsWith('app_')).map((e) => e.code))].sort();
    })
    .toEqual(['app_csp_violation', 'app_request_before_initialized', 'app_tool_not_visible']);
  await page.getByTestId('tab-findings').click();
  await expect(page.getByText(/called the tool "model-only", which is not visible to apps/)).toBeVisible();
});
