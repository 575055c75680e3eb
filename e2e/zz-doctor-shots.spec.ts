import { test, expect, type Page } from '@playwright/test';
import { startAuditViolations, type ViolationsServer } from './fixtures/audit-violations';
import { connectTo, fixtureUrl } from './helpers';

const OUT = '/work/shots/s5-doctor';
let server: ViolationsServer;
test.beforeAll(async () => {
  server = await startAuditViolations();
});
test.afterAll(async () => {
  await server?.close();
});

async function theme(page: Page, mode: 'light' | 'dark') {
  await page.emulateMedia({ colorScheme: mode });
}

for (const width of [1440, 1024]) {
  for (const mode of ['light', 'dark'] as const) {
    test(`shots ${width} ${mode}`, async ({ page }) => {
      test.setTimeout(120_000);
      await page.setViewportSize({ width, height: 900 });
      await theme(page, mode);
      await page.goto('/');
      await page.getByTestId('connect-url').fill(`${fixtureUrl('chaos')}/html-502`);
      await page.getByTestId('connect-submit').click();
      await expect(page.getByTestId('connect-error')).toBeVisible();
      await page.screenshot({ path: `${OUT}/failed-connect-${width}-${mode}.png` });
      await page.getByTestId('diagnose').click();
      await expect(page.getByTestId('doctor-report')).toBeVisible();
      await page.screenshot({ path: `${OUT}/doctor-${width}-${mode}.png` });
      await connectTo(page, server.url);
      await page.getByTestId('tab-audit').click();
      await page.locator('[data-testid="audit-consent-tool"][data-tool="weather"]').check();
      await page.getByTestId('audit-run').click();
      await expect(page.getByTestId('audit-report')).toBeVisible({ timeout: 45_000 });
      await page.getByTestId('audit-panel').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${OUT}/audit-${width}-${mode}.png`, fullPage: false });
      await page.getByTestId('audit-score').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${OUT}/audit-report-${width}-${mode}.png` });
    });
  }
}
