import { test, expect, type Page } from '@playwright/test';
import { PLANTED, startAuditViolations } from './fixtures/audit-violations';
import { connectTo, fixtureUrl, serverForAll } from './helpers';

// The server audit in the workspace's Audit view: the demo server audits clean (its structured tool called only
// once the person ticks it), server-everything's real gaps are found, and every planted violation of the
// violations fixture is reported with its level and spec reference, its evidence one click from Traffic.

async function runAudit(page: Page): Promise<void> {
  await page.getByTestId('tab-audit').click();
  await page.getByTestId('audit-run').click();
  await expect(page.getByTestId('audit-report')).toBeVisible({ timeout: 45_000 });
}

function check(page: Page, id: string) {
  return page.locator(`[data-testid="audit-check"][data-check="${id}"]`);
}

test('the demo server audits clean; its structured tool is called only with consent', async ({ page }) => {
  test.setTimeout(90_000);
  await connectTo(page, await demoUrl(page));
  await runAudit(page);
  await expect(check(page, 'structured-results')).toHaveAttribute('data-result', 'consent');
  await page.locator('[data-testid="audit-consent-tool"][data-tool="structured_weather"]').check();
  await page.getByTestId('audit-consent-args').fill('{"city": "Lyon"}');
  await page.getByTestId('audit-run').click();
  await expect(check(page, 'structured-results')).toHaveAttribute('data-result', 'pass', { timeout: 45_000 });
  await expect(page.getByTestId('audit-must-failures')).toHaveText('0 MUST failures');
  await expect(page.getByTestId('audit-should-failures')).toHaveText('0 SHOULD failures');
  await expect(page.locator('[data-testid="audit-check"][data-result="fail"]')).toHaveCount(0);
});

async function demoUrl(page: Page): Promise<string> {
  await page.goto('/');
  return `${new URL(page.url()).origin}/demo/mcp`;
}

test('server-everything: a foreign Host answered on loopback, 400 instead of 404 for an ended session', async ({ page }) => {
  test.setTimeout(90_000);
  await connectTo(page, fixtureUrl('everything-streamable'));
  await runAudit(page);
  await expect(check(page, 'dns-rebinding')).toHaveAttribute('data-result', 'fail');
  await expect(check(page, 'dns-rebinding')).toContainText('Host: mcpscope-audit.example: HTTP 200');
  await expect(check(page, 'session-lifecycle')).toHaveAttribute('data-result', 'fail');
  await expect(check(page, 'session-lifecycle')).toContainText('HTTP 400 (MUST be 404)');
  // The evidence opens in Traffic.
  await check(page, 'session-lifecycle').getByTestId('audit-evidence').click();
  await expect(page.getByTestId('tab-traffic')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('exchange-detail')).toBeVisible();
  // The failures are findings of the session too (exports and shares carry them).
  await page.getByTestId('tab-findings').click();
  await expect(page.locator('[data-testid="finding-row"][data-code="audit_session_lifecycle"]')).toBeVisible();
});

test.describe('a server with planted violations', () => {
  const server = serverForAll(startAuditViolations);

  test('each violation is reported with its level and spec reference', async ({ page }) => {
    test.setTimeout(90_000);
    await connectTo(page, server().url);
    await page.getByTestId('tab-audit').click();
    await page.locator('[data-testid="audit-consent-tool"][data-tool="weather"]').check();
    await page.getByTestId('audit-run').click();
    await expect(page.getByTestId('audit-report')).toBeVisible({ timeout: 45_000 });
    for (const id of Object.keys(PLANTED)) {
      const row = check(page, id);
      await expect(row, id).toHaveAttribute('data-result', 'fail');
      await expect(row.getByTestId('audit-spec')).toContainText(/MCP 2025-11-25|JSON-RPC 2\.0/);
    }
    await expect(page.getByTestId('audit-must-failures')).not.toHaveText('0 MUST failures');
    await expect(page.getByTestId('audit-passive')).toContainText('pagination_loop');
  });
});
