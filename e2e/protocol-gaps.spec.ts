// The gaps between the big features, through the real UI against a 2025 stateful server (e2e/fixtures/
// protocol-gaps.ts): no findings about our own disconnect, resource subscriptions carried over a reconnect,
// lists that changed while their tab was hidden, and the -32042 URL elicitation error shown as links.
import { test, expect, type Page } from '@playwright/test';
import { startProtocolGaps } from './fixtures/protocol-gaps';
import { connectTo, openTool, shot, serverForEach } from './helpers';

const fx = serverForEach(startProtocolGaps);

function finding(page: Page, code: string) {
  return page.locator(`[data-testid="finding-row"][data-code="${code}"]`);
}

async function disconnectAndReconnect(page: Page): Promise<void> {
  await page.getByTestId('disconnect').click();
  await page.getByTestId('reconnect').click();
  await expect(page.getByTestId('session-banner')).toBeHidden();
}

test('disconnecting adds no finding about the server: the stream our DELETE closed is not "stream_dropped"', async ({ page }) => {
  await connectTo(page, fx().url);
  await page.getByTestId('tab-timeline').click();
  await expect(page.getByTestId('timeline-phase-get-stream').first()).toBeVisible();

  await page.getByTestId('disconnect').click();
  await expect(page.getByTestId('reconnect')).toBeVisible();
  await page.getByTestId('tab-traffic').click();
  await expect(page.getByTestId('exchange-row').filter({ hasText: 'DELETE' })).toHaveCount(1);
  await page.getByTestId('tab-findings').click();
  // Give a late stream end the time to be (wrongly) reported before checking it was not.
  await page.waitForTimeout(500);
  await expect(finding(page, 'stream_dropped')).toHaveCount(0);
  await expect(finding(page, 'client_error')).toHaveCount(0);
  await expect(page.getByTestId('findings-empty')).toBeVisible();
});

test('a subscription survives a reconnect: subscribed again on the new server session, and the person is told', async ({ page }) => {
  await connectTo(page, fx().url);
  await page.getByTestId('tab-resources').click();
  await page.locator('[data-testid="resource-item"][data-uri="gaps://notes/today"]').click();
  await page.getByTestId('subscribe-resource').click();
  await expect(page.getByTestId('subscribed-badge')).toBeVisible();
  await expect.poll(() => fx().subscribes.length).toBe(1);

  await disconnectAndReconnect(page);

  await page.getByTestId('tab-resources').click();
  const notice = page.getByTestId('subscriptions-restored');
  await expect(notice).toHaveAttribute('data-status', 'ok');
  await expect(notice).toContainText('subscribed again to gaps://notes/today (resources/subscribe on the new connection)');
  await page.locator('[data-testid="resource-item"][data-uri="gaps://notes/today"]').click();
  await expect(page.getByTestId('subscribed-badge')).toBeVisible();
  await expect(page.getByTestId('subscribe-resource')).toHaveText('Unsubscribe');
  // The server really has it again, on the new server session.
  expect(fx().subscribes.map((entry) => entry.uri)).toEqual(['gaps://notes/today', 'gaps://notes/today']);
  expect(new Set(fx().subscribes.map((entry) => entry.sessionId)).size).toBe(2);
  await page.screenshot({ path: shot('protocol-gaps-resubscribed.png') });

  // A subscription the new connection could not get back is not shown as one.
  fx().refuse.add('gaps://notes/today');
  await disconnectAndReconnect(page);
  await page.getByTestId('tab-resources').click();
  await expect(page.getByTestId('subscriptions-restored')).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId('subscriptions-restored')).toContainText('the server refused resources/subscribe for gaps://notes/today');
  await page.locator('[data-testid="resource-item"][data-uri="gaps://notes/today"]').click();
  await expect(page.getByTestId('subscribed-badge')).toHaveCount(0);
  await expect(page.getByTestId('subscribe-resource')).toHaveText('Subscribe');
  await page.screenshot({ path: shot('protocol-gaps-resubscribe-refused.png') });
});

test('tools, resources and prompts that changed while their tab was hidden are fresh when it is shown again, and say what changed', async ({
  page,
}) => {
  await connectTo(page, fx().url);
  // Each list is on screen once, so there is a list to compare the new one with.
  await page.getByTestId('tab-resources').click();
  await expect(page.getByTestId('resource-item')).toHaveCount(2);
  await page.getByTestId('tab-prompts').click();
  await expect(page.getByTestId('prompt-item-greeting')).toBeVisible();

  await openTool(page, 'grow');
  await page.locator('#root_afterMs').fill('1500');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('tool-result')).toContainText('in 1500 ms');
  // Away from all three lists while the server changes them.
  await page.getByTestId('tab-messages').click();
  await expect(page.locator('[data-testid="rpc-row"][data-method="notifications/tools/list_changed"]')).toHaveCount(1, { timeout: 10_000 });
  await expect(page.locator('[data-testid="rpc-row"][data-method="notifications/prompts/list_changed"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="rpc-row"][data-method="notifications/resources/list_changed"]')).toHaveCount(1);
  // The Tools tab's count is fresh while the tab is hidden: the workspace listed the tools again.
  await expect(page.getByTestId('tools-count')).toHaveText('3');

  await page.getByTestId('tab-tools').click();
  await page.getByTestId('tool-search').fill('');
  await expect(page.getByTestId('tool-item-extra_1')).toBeVisible();
  await expect(page.getByTestId('tool-item-extra_1').getByTestId('tool-new')).toBeVisible();
  await expect(page.getByTestId('tools-changed-added')).toContainText('extra_1');
  await page.screenshot({ path: shot('protocol-gaps-tools-changed.png') });

  await page.getByTestId('tab-resources').click();
  await expect(page.locator('[data-testid="resource-item"][data-uri="gaps://extra/1"]')).toBeVisible();
  await expect(page.getByTestId('resources-changed-added')).toContainText('gaps://extra/1');
  await page.screenshot({ path: shot('protocol-gaps-resources-changed.png') });

  await page.getByTestId('tab-prompts').click();
  await expect(page.getByTestId('prompt-item-extra-prompt-1')).toBeVisible();
  await expect(page.getByTestId('prompts-changed-added')).toContainText('extra-prompt-1');

  // One tools/list for the change (asked when the Tools tab came back), besides the one at connect.
  await page.getByTestId('tab-messages').click();
  await expect(page.locator('[data-testid="rpc-row"][data-direction="out"][data-method="tools/list"]')).toHaveCount(2);
});

test("-32042 URL elicitation required: the message, each page's domain and full URL, links that open in a new tab without an opener", async ({
  page,
  context,
}) => {
  await connectTo(page, fx().url);
  await openTool(page, 'connect_account');
  await page.getByTestId('call-tool').click();

  const panel = page.getByTestId('url-elicitation');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('result-status')).toHaveText('Needs you in the browser');
  // As the server sent it (SDK v1 servers prefix "MCP error <code>:" to every error message).
  await expect(page.getByTestId('url-elicitation-message')).toHaveText('MCP error -32042: This request requires more information.');
  const items = page.getByTestId('url-elicitation-item');
  await expect(items).toHaveCount(2);
  const origin = new URL(fx().origin);
  const first = items.first();
  await expect(first).toContainText('Authorization is required to access your Example Co files.');
  await expect(first.getByTestId('url-elicitation-domain')).toHaveText(origin.host);
  await expect(first.getByTestId('url-elicitation-url')).toContainText(`${fx().origin}/connect?elicitationId=elic-files-1`);
  const second = items.nth(1);
  await expect(second.getByTestId('url-elicitation-domain')).toHaveText('xn--exmple-cua.test');
  await expect(second.getByTestId('url-elicitation-warning')).toContainText('Punycode');
  // Nothing was opened or fetched before the person chose to.
  expect(fx().connectPageVisits).toBe(0);
  await page.screenshot({ path: shot('protocol-gaps-url-elicitation.png') });

  const link = first.getByTestId('url-elicitation-open');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', /noopener/);
  await expect(link).toHaveText(`Open ${origin.host} in a new tab ↗`);
  const [popup] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await popup.waitForLoadState();
  expect(popup.url()).toBe(`${fx().origin}/connect?elicitationId=elic-files-1`);
  await expect(popup.getByRole('heading')).toHaveText('Example Co account connected');
  expect(await popup.evaluate(() => window.opener)).toBeNull();
  await popup.close();
  expect(fx().connectPageVisits).toBe(1);

  // The server's notifications/elicitation/complete marks that step done; the call can be made again.
  await expect(first.getByTestId('url-elicitation-completed')).toBeVisible();
  await expect(second.getByTestId('url-elicitation-completed')).toHaveCount(0);
  await page.getByTestId('url-elicitation-retry').click();
  await page.getByTestId('tab-messages').click();
  await expect(page.locator('[data-testid="rpc-row"][data-direction="out"][data-method="tools/call"]')).toHaveCount(2);
});
