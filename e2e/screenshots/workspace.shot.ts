import { test, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startOddShapes, type OddShapesServer } from '../fixtures/odd-shapes';
import { startRestartable, type RestartableServer } from '../fixtures/restartable';
import { callAddInForm, connectTo, fixtureUrl } from '../helpers';

// Every view of the workspace, at 1440×900 and 1024×700, light and dark, into docs/screenshots/<view>-<width>-<theme>.png:
// the connect screen, Tools with a result, Resources, Prompts, Traffic with an exchange open, Messages, Timeline,
// Findings, Session, guided OAuth, the share view, and the error states (failed connect, degraded, session gone,
// a view that could not draw a server's data). Run with `npm run screenshots`.

const OUT = path.join(process.cwd(), 'docs', 'screenshots');
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const;

for (const theme of ['light', 'dark'] as const) {
  test.describe(`${theme} theme`, () => {
    test.use({ colorScheme: theme });
    let restartable: RestartableServer;
    let odd: OddShapesServer;
    test.beforeAll(async () => {
      mkdirSync(OUT, { recursive: true });
      restartable = await startRestartable('fixture-restartable');
      odd = await startOddShapes();
    });
    test.afterAll(async () => {
      await restartable.close();
      await odd.close();
    });

    async function shoot(page: Page, name: string): Promise<void> {
      for (const size of SIZES) {
        await page.setViewportSize(size);
        // Let layout, virtualised lists and charts settle at the new size.
        await page.waitForTimeout(400);
        await page.screenshot({ path: path.join(OUT, `${name}-${size.width}-${theme}.png`) });
      }
      await page.setViewportSize(SIZES[0]);
    }

    async function tab(page: Page, key: string): Promise<void> {
      await page.getByTestId(`tab-${key}`).click();
      await page.waitForTimeout(300);
    }

    test('connect screen, tools, wire views, share view', async ({ page }) => {
      await page.setViewportSize(SIZES[0]);
      await page.goto('/');
      await expect(page.getByTestId('connect-url')).toBeVisible();
      await shoot(page, '01-connect');

      await connectTo(page, fixtureUrl('stateful'));
      await callAddInForm(page, 2, 40);
      await page.getByTestId('tool-search').fill('');
      await shoot(page, '02-tools-result');

      await tab(page, 'traffic');
      await page.getByTestId('exchange-row').filter({ hasText: 'POST' }).last().click();
      await shoot(page, '05-traffic-exchange');
      await tab(page, 'messages');
      await shoot(page, '06-messages');
      await tab(page, 'timeline');
      await shoot(page, '07-timeline');
      await tab(page, 'findings');
      await shoot(page, '08-findings');
      await tab(page, 'session');
      await shoot(page, '09-session');

      const sessionId = new URL(page.url()).pathname.split('/').pop()!;
      const share = await page.request.post(`/api/sessions/${sessionId}/share`, { data: {} });
      expect(share.ok()).toBe(true);
      const { url } = (await share.json()) as { url: string };
      await page.goto(new URL(url).pathname);
      await expect(page.getByTestId('server-name')).toBeVisible();
      await shoot(page, '11-share-view');
    });

    test('resources and prompts', async ({ page }) => {
      await page.setViewportSize(SIZES[0]);
      await connectTo(page, fixtureUrl('everything-streamable'));
      await tab(page, 'resources');
      await page.waitForTimeout(700);
      await shoot(page, '03-resources');
      await tab(page, 'prompts');
      await page.waitForTimeout(700);
      await shoot(page, '04-prompts');
    });

    test('guided OAuth', async ({ page }) => {
      await page.setViewportSize(SIZES[0]);
      await page.goto('/');
      await page.getByTestId('connect-url').fill(fixtureUrl('oauth'));
      await page.getByTestId('connect-oauth').check();
      await page.getByTestId('oauth-guided').check();
      await page.getByTestId('connect-submit').click();
      await expect(page.getByTestId('guided-step-discovery')).toBeVisible();
      await page.getByTestId('guided-step-discovery').getByTestId('guided-run').click();
      await expect(page.getByTestId('guided-step-discovery').getByTestId('guided-facts')).toBeVisible();
      await shoot(page, '10-auth-guided');
    });

    test('error states', async ({ page }) => {
      await page.setViewportSize(SIZES[0]);
      await page.goto('/');
      await page.getByTestId('connect-url').fill(fixtureUrl('dead'));
      await page.getByTestId('connect-submit').click();
      await expect(page.getByTestId('retry-connect')).toBeVisible();
      await shoot(page, '12-error-connect-failed');

      await page.goto('/');
      await page.getByTestId('connect-url').fill('127.0.0.1:9/mcp');
      await page.getByTestId('connect-submit').click();
      await expect(page.getByTestId('connect-suggestion')).toBeVisible();
      await shoot(page, '13-error-did-you-mean');

      await restartable.restart();
      await connectTo(page, restartable.url);
      await restartable.kill();
      await expect(page.getByTestId('session-state')).toHaveAttribute('data-display', 'degraded');
      await shoot(page, '14-error-degraded');
      await restartable.restart();
      const sessionId = new URL(page.url()).pathname.split('/').pop()!;
      await page.request.post(`/api/sessions/${sessionId}/rpc`, { data: { method: 'ping' } });
      await expect(page.getByTestId('session-state')).toHaveAttribute('data-display', 'session_lost');
      await shoot(page, '15-error-session-gone');

      await connectTo(page, odd.url);
      await tab(page, 'tools');
      await page.getByTestId('tool-item-odd').click();
      // An image block whose data is a number: the Tools view cannot draw it and says so.
      await page.locator('#root_shape').selectOption('image-number');
      await page.getByTestId('call-tool').click();
      await expect(page.getByTestId('view-error')).toBeVisible();
      await shoot(page, '16-error-view-boundary');
    });
  });
}
