// The Apps view (every ui:// view of the server, opened with a tool input the person types) and the host's
// less common duties toward a view: streamed partial input, a late result, a cancelled call, display modes
// (picture-in-picture), with the ext-apps project's published example and a hand-written lab view
// (e2e/fixtures/apps-lab.ts).
import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { LAB_UNLINKED_URI, LAB_VIEW_URI, startAppsLab } from './fixtures/apps-lab';
import { startExtAppsExample } from './fixtures/ext-apps-examples';
import { appViewOf, connectTo, serverForAll, sessionEvents } from './helpers';

interface LoggedEvent {
  kind: string;
  method?: string;
  direction?: string;
  message?: { params?: Record<string, unknown> };
  seq: number;
}

async function appMessages(page: Page): Promise<LoggedEvent[]> {
  return (await sessionEvents<LoggedEvent>(page)).filter((e) => e.kind === 'app.message');
}

async function openApps(page: Page, uri: string): Promise<void> {
  await page.getByTestId('tab-apps').click();
  await page.locator(`[data-testid="app-resource-item"][data-uri="${uri}"]`).click();
  await expect(page.getByTestId('app-opener-uri')).toHaveText(uri);
}

test.describe('apps lab', () => {
  const server = serverForAll(startAppsLab);

  test('lists the ui:// views, opens one with typed input streamed as partial input, then the real result', async ({ page }) => {
    await connectTo(page, server().url);
    await page.getByTestId('tab-apps').click();
    const items = page.getByTestId('app-resource-item');
    await expect(items).toHaveCount(2);
    await expect(items.nth(0)).toHaveAttribute('data-uri', LAB_VIEW_URI);
    await expect(items.nth(0)).toContainText('forecast, refresh');
    await expect(items.nth(1)).toHaveAttribute('data-uri', LAB_UNLINKED_URI);
    await expect(page.locator('[data-testid="app-resource-item"][data-uri="file:///lab/readme.txt"]')).toHaveCount(0);

    await openApps(page, LAB_VIEW_URI);
    await page.getByTestId('app-open-tool').selectOption('forecast');
    await page.getByTestId('app-open-args').fill('{"city": "Amsterdam", "days": 3}');
    await page.getByTestId('app-open-stream').check();
    await page.getByTestId('app-open-mode-call').check();
    await page.getByTestId('app-open').click();

    const view = appViewOf(page);
    await expect(page.getByTestId('app-view')).toHaveAttribute('data-status', 'initialized');
    await expect(view.locator('li[data-method="ui/notifications/tool-result"]')).toContainText('forecast for Amsterdam, 3 days');
    const methods = await view.locator('#events li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-method')));
    const firstPartial = methods.indexOf('ui/notifications/tool-input-partial');
    const input = methods.indexOf('ui/notifications/tool-input');
    const result = methods.indexOf('ui/notifications/tool-result');
    expect(firstPartial).toBeGreaterThanOrEqual(0);
    expect(methods.filter((m) => m === 'ui/notifications/tool-input-partial').length).toBe(4);
    expect(firstPartial).toBeLessThan(input);
    expect(input).toBeLessThan(result);
    await expect(view.locator('li[data-method="ui/notifications/tool-input-partial"]').first()).toContainText('{"city":"Ams"}');
    await expect(view.locator('li[data-method="ui/notifications/tool-input"]')).toContainText(
      '{"arguments":{"city":"Amsterdam","days":3}}',
    );
    await expect(page.getByTestId('app-call-state')).toHaveAttribute('data-state', 'result');

    // On the record: the partial steps and the view's resource read, the person's call on the wire.
    await expect
      .poll(async () => (await appMessages(page)).filter((e) => e.method === 'ui/notifications/tool-input-partial').length)
      .toBe(4);
    // An app-only tool is the view's to call, not the person's.
    await page.getByTestId('app-open-tool').selectOption('refresh');
    await expect(page.getByTestId('app-open-mode-call')).toBeDisabled();
  });

  test('a view opened with no result waits; the person cancels the call and the view is told why', async ({ page }) => {
    await connectTo(page, server().url);
    await openApps(page, LAB_UNLINKED_URI);
    await expect(page.getByTestId('app-open-tool')).toHaveValue('');
    await page.getByTestId('app-open-tool').selectOption('forecast');
    await page.getByTestId('app-open-args').fill('{"city": "Oslo", "days": 1}');
    await page.getByTestId('app-open-mode-later').check();
    await page.getByTestId('app-open').click();
    const view = appViewOf(page);
    await expect(view.locator('li[data-method="ui/notifications/tool-input"]')).toContainText('Oslo');
    await expect(page.getByTestId('app-call-state')).toHaveAttribute('data-state', 'waiting');
    await page.getByTestId('app-cancel-reason').fill('timeout');
    await page.getByTestId('app-cancel-call').click();
    await expect(view.locator('li[data-method="ui/notifications/tool-cancelled"]')).toHaveText(
      'ui/notifications/tool-cancelled {"reason":"timeout"}',
    );
    await expect(page.getByTestId('app-call-state')).toHaveAttribute('data-state', 'cancelled');
    await expect(page.getByTestId('app-call-now')).toHaveCount(0);
    expect((await appMessages(page)).some((e) => e.method === 'ui/notifications/tool-result')).toBe(false);

    // Opened again with no result, then the typed one sent by hand.
    await page.getByTestId('app-open').click();
    await expect(view.locator('li[data-method="ui/notifications/tool-input"]')).toContainText('Oslo');
    await page.getByTestId('app-open-result').fill('{"content":[{"type":"text","text":"typed by hand"}]}');
    await page.getByTestId('app-send-result').click();
    await expect(view.locator('li[data-method="ui/notifications/tool-result"]')).toContainText('typed by hand');
    await expect(view.locator('li[data-method="ui/notifications/tool-cancelled"]')).toHaveCount(0);
  });

  test('cancelling a running call cancels it at the server and tells the view', async ({ page }) => {
    await connectTo(page, server().url);
    const id = /\/inspect\/([^/?#]+)/.exec(page.url())?.[1];
    type Logged = LoggedEvent & { id?: string | number; type?: string; exchangeId?: string; aborted?: boolean };
    const events = async (): Promise<Logged[]> =>
      ((await (await page.request.get(`/api/sessions/${id}/log?format=json`)).json()) as { events: Logged[] }).events;
    const sentCall = (all: Logged[]) =>
      all.find(
        (e) => e.kind === 'rpc' && e.direction === 'out' && e.method === 'tools/call' && JSON.stringify(e.message).includes('Bergen'),
      );
    await openApps(page, LAB_VIEW_URI);
    await page.getByTestId('app-open-tool').selectOption('forecast');
    await page.getByTestId('app-open-args').fill('{"city": "Bergen", "days": 2, "delayMs": 20000}');
    await page.getByTestId('app-open-mode-call').check();
    await page.getByTestId('app-open').click();
    await expect(page.getByTestId('app-call-state')).toHaveAttribute('data-state', 'calling');
    // Cancelled once the request is on the wire (a call aborted before it was sent has nothing to cancel).
    await expect.poll(async () => sentCall(await events())?.id).toBeDefined();
    await page.getByTestId('app-cancel-reason').fill('too slow');
    await page.getByTestId('app-cancel-call').click();
    await expect(appViewOf(page).locator('li[data-method="ui/notifications/tool-cancelled"]')).toHaveText(
      'ui/notifications/tool-cancelled {"reason":"too slow"}',
    );
    // The server is told as its era says: notifications/cancelled (2025), or its request stream closed (2026-07-28).
    await expect
      .poll(async () => {
        const all = await events();
        const call = sentCall(all)!;
        const notified = all.some(
          (e) =>
            e.kind === 'rpc' &&
            e.direction === 'out' &&
            e.method === 'notifications/cancelled' &&
            (e.message as { params?: { requestId?: unknown } }).params?.requestId === call.id,
        );
        const closed = all.some((e) => e.kind === 'http.end' && e.exchangeId === call.exchangeId && e.aborted === true);
        return notified || closed;
      })
      .toBe(true);
    const call = sentCall(await events())!;
    expect((await events()).some((e) => e.kind === 'rpc' && e.direction === 'in' && e.type === 'result' && e.id === call.id)).toBe(false);
    // The late answer is not sent to the view: it was told the call was cancelled.
    expect((await appMessages(page)).some((e) => e.method === 'ui/notifications/tool-result')).toBe(false);
  });

  test('display modes: the view declares inline and pip; pip floats, an unknown mode is refused', async ({ page }) => {
    await connectTo(page, server().url);
    await openApps(page, LAB_VIEW_URI);
    await page.getByTestId('app-open-mode-typed').check();
    await page.getByTestId('app-open').click();
    const view = appViewOf(page);
    const appView = page.getByTestId('app-view');
    await expect(appView).toHaveAttribute('data-status', 'initialized');
    await expect(view.locator('#r-modes')).toHaveText('modes: inline,fullscreen,pip');
    await expect(page.getByTestId('app-declared-modes')).toHaveText('modes: inline, pip');
    await expect(page.getByTestId('app-fullscreen')).toContainText('(not declared)');

    await view.locator('#pip').click();
    await expect(view.locator('#r-mode')).toHaveText('mode: pip');
    await expect(appView).toHaveAttribute('data-display-mode', 'pip');
    await expect(page.getByTestId('app-pip-placeholder')).toBeVisible();
    // The host context controls show the mode the view put itself in, not the one last chosen there.
    await expect(page.getByTestId('app-display-mode')).toHaveValue('pip');
    const box = await appView.boundingBox();
    const viewport = page.viewportSize()!;
    expect(box!.x + box!.width).toBeGreaterThan(viewport.width - 40);
    expect(box!.width).toBeLessThan(400);
    await expect(view.locator('li[data-method="ui/notifications/host-context-changed"]').last()).toContainText('"displayMode":"pip"');

    // A mode the spec does not have is invalid params (the SDK's schema); the view stays where it was.
    await view.locator('#bogus-mode').click();
    await expect(view.locator('#r-mode')).toHaveText(/^mode: error Invalid params/);
    await expect(appView).toHaveAttribute('data-display-mode', 'pip');
    await view.locator('#inline').click();
    await expect(view.locator('#r-mode')).toHaveText('mode: inline');
    await expect(appView).toHaveAttribute('data-display-mode', 'inline');
    await expect(page.getByTestId('app-pip-placeholder')).toHaveCount(0);
    await expect(page.getByTestId('app-display-mode')).toHaveValue('inline');
    // The host context panel can put it in pip as well.
    await page.getByTestId('app-display-mode').selectOption('pip');
    await expect(appView).toHaveAttribute('data-display-mode', 'pip');
  });
});

test.describe('published example', () => {
  const server = serverForAll(() => startExtAppsExample('server-basic-vanillajs'));

  test('the Apps view opens the example view with a real call, and its button works through the bridge', async ({ page }) => {
    await connectTo(page, server().url);
    await page.getByTestId('tab-apps').click();
    const item = page.getByTestId('app-resource-item').first();
    await expect(item).toHaveAttribute('data-uri', /^ui:\/\//);
    await expect(item).toContainText('get-time');
    await item.click();
    await expect(page.getByTestId('app-open-mode-call')).toBeChecked();
    await page.getByTestId('app-open').click();
    const time = appViewOf(page).locator('code').first();
    await expect(time).toHaveText(/^\d{4}-\d\d-\d\dT/);
    const first = await time.textContent();
    await appViewOf(page).getByRole('button', { name: 'Get Server Time' }).click();
    await expect(time).not.toHaveText(first ?? '');
  });
});

test.describe('screenshots', () => {
  const server = serverForAll(startAppsLab);

  test('the Apps view with an open view, 1440 and 1024, light and dark', async ({ page }) => {
    const dir = process.env.MCPSCOPE_SHOTS_DIR ?? '/work/shots/s6-apps2';
    fs.mkdirSync(dir, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of [1440, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        await connectTo(page, server().url);
        await openApps(page, LAB_VIEW_URI);
        await page.getByTestId('app-open-tool').selectOption('forecast');
        await page.getByTestId('app-open-args').fill('{"city": "Amsterdam", "days": 3}');
        await page.getByTestId('app-open-mode-later').check();
        await page.getByTestId('app-open').click();
        await expect(appViewOf(page).locator('li[data-method="ui/notifications/tool-input"]')).toBeVisible();
        await page.screenshot({ path: path.join(dir, `apps-view-${width}-${scheme}.png`) });
      }
    }
    await appViewOf(page).locator('#download').click();
    await expect(page.getByTestId('app-download')).toBeVisible();
    await page.screenshot({ path: path.join(dir, 'apps-download-prompt-1024-dark.png') });
    await page.getByTestId('app-download-deny').click();
    await appViewOf(page).locator('#pip').click();
    await expect(page.getByTestId('app-view')).toHaveAttribute('data-display-mode', 'pip');
    await page.screenshot({ path: path.join(dir, 'apps-pip-1024-dark.png') });
    await page.getByTestId('tab-timeline').click();
    await page.getByTestId('timeline-fit-all').click();
    await page.screenshot({ path: path.join(dir, 'apps-timeline-lane-1024-dark.png') });
  });
});
