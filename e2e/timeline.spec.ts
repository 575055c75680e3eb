import { test, expect } from '@playwright/test';
import { connectTo, fixtureUrl } from './helpers';

const CALLS = 400;

test('the timeline keeps only the rows in view in the page, however many exchanges there are', async ({ page }) => {
  await connectTo(page, fixtureUrl('stateful'));
  const sessionId = new URL(page.url()).pathname.split('/').pop()!;
  // The browser's own cookie, so the calls land in this session.
  for (let i = 0; i < CALLS; i++) {
    const response = await page.request.post(`/api/sessions/${sessionId}/rpc`, {
      data: { method: 'tools/call', params: { name: 'add', arguments: { a: i, b: 1 } } },
    });
    expect(response.status()).toBe(200);
  }

  await page.getByTestId('tab-timeline').click();
  await page.getByTestId('timeline-include-unphased').check();
  await expect(page.getByText(new RegExp(`Show later traffic \\((\\d{3,})\\)`))).toBeVisible();
  const later = Number((await page.getByText(/Show later traffic/).textContent())!.match(/\((\d+)\)/)![1]);
  expect(later).toBeGreaterThanOrEqual(CALLS);

  const rendered = page.getByTestId('timeline-exchange');
  await expect(rendered.first()).toBeVisible();
  expect(await rendered.count()).toBeLessThan(120);
  await expect(page.getByTestId('timeline-phase-connect')).toBeVisible();

  // Scrolled to the end: the last rows exist now, the first ones do not.
  const table = page.getByRole('table', { name: 'Timeline of phases and exchanges' });
  await table.evaluate((element) => element.scrollTo(0, element.scrollHeight));
  await expect(page.getByTestId('timeline-phase-connect')).toHaveCount(0);
  const lastIndex = await page
    .locator('[data-index]')
    .evaluateAll((rows) => Math.max(...rows.map((row) => Number(row.getAttribute('data-index')))));
  expect(lastIndex).toBeGreaterThanOrEqual(CALLS);
  expect(await rendered.count()).toBeLessThan(120);
  await expect(rendered.last()).toBeInViewport();
});
