// An MCP App view's bridge on the record beyond Messages: its own lane on the Timeline (a row per view, a bar per
// request to its answer; a click opens the message), and in a shared session, read-only: the messages, never the
// view's code run again.
import { test, expect, type Page } from '@playwright/test';
import { LAB_VIEW_URI, startAppsLab } from './fixtures/apps-lab';
import { connectTo, serverForAll } from './helpers';

const server = serverForAll(startAppsLab);

async function openLabView(page: Page): Promise<string> {
  await connectTo(page, server().url);
  await page.getByTestId('tab-apps').click();
  await page.locator(`[data-testid="app-resource-item"][data-uri="${LAB_VIEW_URI}"]`).click();
  await page.getByTestId('app-open-tool').selectOption('forecast');
  await page.getByTestId('app-open-args').fill('{"city": "Lima", "days": 2}');
  await page.getByTestId('app-open-mode-call').check();
  await page.getByTestId('app-open').click();
  const view = page.frameLocator('[data-testid="app-frame"]').frameLocator('iframe');
  await expect(view.locator('li[data-method="ui/notifications/tool-result"]')).toContainText('forecast for Lima');
  const sessionId = /\/inspect\/([^/?#]+)/.exec(page.url())![1]!;
  // Wait until the recorder has sent the result notification to the log.
  await expect
    .poll(async () => {
      const log = (await (await page.request.get(`/api/sessions/${sessionId}/log?format=json`)).json()) as {
        events: Array<{ kind: string; method?: string }>;
      };
      return log.events.some((e) => e.kind === 'app.message' && e.method === 'ui/notifications/tool-result');
    })
    .toBe(true);
  return sessionId;
}

test('the Timeline has an App bridge lane: the view, its requests paired with answers; a row opens the message', async ({ page }) => {
  await openLabView(page);
  await page.getByTestId('tab-timeline').click();
  const lane = page.getByTestId('timeline-app-view');
  await expect(lane).toHaveCount(1);
  await expect(lane).toContainText(LAB_VIEW_URI);
  const initialize = page.locator('[data-testid="timeline-app-message"][data-method="ui/initialize"]');
  await expect(initialize).toHaveCount(1);
  // Answered: a duration, not the open "…".
  await expect(initialize).toContainText(/\d+(\.\d+)?\s?(ms|s)/);
  await expect(page.locator('[data-testid="timeline-app-message"][data-method="ui/notifications/tool-result"]')).toHaveCount(1);

  // Unticked, the lane goes.
  await page.getByTestId('timeline-include-apps').uncheck();
  await expect(page.getByTestId('timeline-app-view')).toHaveCount(0);
  await page.getByTestId('timeline-include-apps').check();

  await page.locator('[data-testid="timeline-app-message"][data-method="ui/initialize"]').click();
  await expect(page.getByTestId('tab-messages')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('messages-source-app')).toHaveAttribute('aria-checked', 'true');
  await expect(page.locator('[data-testid="rpc-row"][data-kind="app.message"][data-method="ui/initialize"]').first()).toBeVisible();
});

test('a shared session shows each view’s messages read-only and runs no view', async ({ page, browser }) => {
  const sessionId = await openLabView(page);
  const created = await page.request.post(`/api/sessions/${encodeURIComponent(sessionId)}/share`, { data: { expiresInDays: 1 } });
  expect(created.status()).toBe(201);
  const { url } = (await created.json()) as { url: string };

  const visitorContext = await browser.newContext();
  try {
    const visitor = await visitorContext.newPage();
    const frames: string[] = [];
    visitor.on('frameattached', (frame) => frames.push(frame.url()));
    let labRequests = 0;
    visitor.on('request', (request) => {
      if (request.url().startsWith(server().origin) || /\.localhost:\d+/.test(request.url())) labRequests += 1;
    });
    await visitor.goto(url);
    await expect(visitor.getByTestId('session-viewer')).toBeVisible();
    await visitor.getByTestId('tab-apps').click();
    await expect(visitor.getByTestId('recorded-apps-note')).toContainText('Recorded, not running');
    await expect(visitor.getByTestId('recorded-app-view')).toHaveCount(1);
    await expect(visitor.getByTestId('recorded-app-view')).toContainText(LAB_VIEW_URI);
    const messages = visitor.getByTestId('recorded-app-message');
    for (const method of ['ui/initialize', 'ui/notifications/initialized', 'ui/notifications/tool-input', 'ui/notifications/tool-result']) {
      await expect(messages.and(visitor.locator(`[data-method="${method}"]`)).first()).toBeVisible();
    }
    await messages.and(visitor.locator('[data-method="ui/notifications/tool-result"]')).first().click();
    await expect(visitor.getByTestId('recorded-app-message-body')).toContainText('forecast for Lima');
    // Nothing ran: no frame, nothing asked of the sandbox or the server().
    expect(await visitor.locator('iframe').count()).toBe(0);
    expect(frames).toEqual([]);
    expect(labRequests).toBe(0);
  } finally {
    await visitorContext.close();
  }
});
