import { test, expect, type Page } from '@playwright/test';
import { startAnnotated } from '../e2e/fixtures/annotated';
import { connectTo, connectThroughOAuth, fixtureUrl } from '../e2e/helpers';

const OUT = '/work/shots/s4-wire';

async function shoot(page: Page, name: string, prepare?: () => Promise<void>) {
  for (const width of [1440, 1024]) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 700 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(300);
      if (prepare) await prepare();
      await page.screenshot({ path: `${OUT}/${name}-${width}-${scheme}.png` });
    }
  }
}
const sid = (page: Page) => new URL(page.url()).pathname.split('/').pop()!;

test('traffic and messages (stateful)', async ({ page }) => {
  await connectTo(page, fixtureUrl('stateful'));
  for (const [a, b] of [[2, 3], [40, 2]]) await page.request.post(`/api/sessions/${sid(page)}/rpc`, { data: { method: 'tools/call', params: { name: 'add', arguments: { a, b } } } });
  await page.request.post(`/api/sessions/${sid(page)}/rpc`, { data: { method: 'tools/call', params: { name: 'slow', arguments: { seconds: 0.3, steps: 3 }, _meta: { progressToken: 'p1' } } } });
  await page.getByTestId('tab-traffic').click();
  await shoot(page, 'traffic');
  await page.getByTestId('exchange-row').filter({ hasText: 'tools/call' }).first().click();
  await shoot(page, 'traffic-detail');
  await page.getByTestId('tab-messages').click();
  await page.locator('[data-testid="rpc-row"][data-method="server/discover"][data-type="error"]').click();
  await shoot(page, 'messages');
  await page.getByTestId('tab-timeline').click();
  await shoot(page, 'timeline-stateful');
});

test('legacy sse timeline and traffic', async ({ page }) => {
  await connectTo(page, fixtureUrl('legacy-sse'));
  await page.request.post(`/api/sessions/${sid(page)}/rpc`, { data: { method: 'tools/call', params: { name: 'add', arguments: { a: 1, b: 2 } } } });
  await page.getByTestId('tab-timeline').click();
  await shoot(page, 'timeline-legacy');
  await page.getByTestId('tab-traffic').click();
  await shoot(page, 'traffic-legacy');
});

test('oauth timeline', async ({ page }) => {
  await connectThroughOAuth(page, fixtureUrl('oauth'));
  await page.getByTestId('tab-timeline').click();
  await shoot(page, 'timeline-oauth');
});

test('demo elicitation timeline and broken structured', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('demo-button').click();
  await expect(page.getByTestId('server-name')).toBeVisible();
  await page.getByTestId('tab-tools').click();
  await page.getByTestId('tool-search').fill('confirm_action');
  await page.getByTestId('tool-item-confirm_action').click();
  await page.getByTestId('call-tool').click();
  const card = page.getByTestId('pending-request');
  await expect(card).toContainText('Really delete');
  await page.waitForTimeout(4000);
  await card.locator('input[id$="_confirm"]').check();
  await page.getByTestId('elicit-accept').click();
  await expect(page.getByTestId('tool-result')).toContainText('Confirmed');
  await page.getByTestId('tab-timeline').click();
  await shoot(page, 'timeline-elicitation');
  await shoot(page, 'timeline-elicitation-all', async () => { await page.getByTestId('timeline-fit-all').click(); });
  await page.getByTestId('timeline-include-unphased').check();
  await shoot(page, 'timeline-elicitation-later');
  await page.getByTestId('tab-tools').click();
  await page.getByTestId('tool-search').fill('broken_structured');
  await page.getByTestId('tool-item-broken_structured').click();
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('result-status')).toBeVisible();
  await shoot(page, 'result-broken-structured');
});

test('annotations', async ({ page }) => {
  const server = await startAnnotated();
  try {
    await connectTo(page, server.url);
    await page.getByTestId('tab-tools').click();
    await page.getByTestId('tool-search').fill('annotated_report');
    await page.getByTestId('tool-item-annotated_report').click();
    await page.getByTestId('call-tool').click();
    await expect(page.getByTestId('content-annotations').first()).toBeVisible();
    await shoot(page, 'result-annotations');
  } finally {
    await server.close();
  }
});
