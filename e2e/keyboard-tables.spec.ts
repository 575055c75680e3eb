import { test, expect, type Page } from '@playwright/test';
import { connectTo, fixtureUrl } from './helpers';

const CALLS = 40;

async function makeTraffic(page: Page): Promise<void> {
  const sessionId = new URL(page.url()).pathname.split('/').pop()!;
  for (let i = 0; i < CALLS; i++) {
    const response = await page.request.post(`/api/sessions/${sessionId}/rpc`, {
      data: { method: 'tools/call', params: { name: 'add', arguments: { a: i, b: 1 } } },
    });
    expect(response.status()).toBe(200);
  }
}

/** The position (0-based) of the selected row among the rows of the table, read from the row's own index. */
async function selectedPosition(page: Page, rowTestId: string): Promise<number> {
  const rows = page.getByTestId(rowTestId);
  const selected = rows.and(page.locator('[aria-selected="true"]'));
  await expect(selected).toHaveCount(1);
  return selected.evaluate(
    (row) => Number(row.style.transform.match(/translateY\((\d+(?:\.\d+)?)px\)/)?.[1] ?? Number.NaN) / row.getBoundingClientRect().height,
  );
}

test('Traffic rows: arrows, PageDown/PageUp, Home and End move the selection and keep it in view', async ({ page }) => {
  await connectTo(page, fixtureUrl('stateful'));
  await makeTraffic(page);
  await page.getByTestId('tab-traffic').click();
  const rows = page.getByTestId('exchange-row');
  await rows.first().click();
  expect(await selectedPosition(page, 'exchange-row')).toBe(0);
  const list = page.getByTestId('exchange-list');
  await list.focus();
  await page.keyboard.press('ArrowDown');
  expect(await selectedPosition(page, 'exchange-row')).toBe(1);
  await page.keyboard.press('PageDown');
  expect(await selectedPosition(page, 'exchange-row')).toBe(21);
  await page.keyboard.press('PageUp');
  expect(await selectedPosition(page, 'exchange-row')).toBe(1);
  await page.keyboard.press('End');
  const last = await selectedPosition(page, 'exchange-row');
  expect(last).toBeGreaterThanOrEqual(CALLS);
  await expect(rows.and(page.locator('[aria-selected="true"]'))).toBeInViewport();
  await page.keyboard.press('ArrowDown'); // already the last: stays
  expect(await selectedPosition(page, 'exchange-row')).toBe(last);
  await page.keyboard.press('Home');
  expect(await selectedPosition(page, 'exchange-row')).toBe(0);
  await expect(rows.and(page.locator('[aria-selected="true"]'))).toBeInViewport();
});

test('Messages rows: arrows, Home and End move the selection', async ({ page }) => {
  await connectTo(page, fixtureUrl('stateful'));
  await makeTraffic(page);
  await page.getByTestId('tab-messages').click();
  const rows = page.getByTestId('rpc-row');
  // The list follows the newest messages, so the first row in the page is somewhere near the end.
  await rows.first().click();
  const clicked = await selectedPosition(page, 'rpc-row');
  await page.getByTestId('rpc-list').focus();
  await page.keyboard.press('ArrowDown');
  expect(await selectedPosition(page, 'rpc-row')).toBe(clicked + 1);
  await page.keyboard.press('ArrowUp');
  expect(await selectedPosition(page, 'rpc-row')).toBe(clicked);
  await page.keyboard.press('Home');
  expect(await selectedPosition(page, 'rpc-row')).toBe(0);
  await expect(rows.and(page.locator('[aria-selected="true"]'))).toBeInViewport();
  await page.keyboard.press('End');
  expect(await selectedPosition(page, 'rpc-row')).toBeGreaterThanOrEqual(CALLS * 2);
  await expect(rows.and(page.locator('[aria-selected="true"]'))).toBeInViewport();
});
