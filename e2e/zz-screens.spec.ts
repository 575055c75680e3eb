import { test, expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import { fixtureUrl } from './helpers';

const OUT = '/tmp/share-shots';

async function connect(page: Page) {
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  await expect(async () => {
    if ((await page.getByTestId('header-name').count()) === 0) await page.getByTestId('add-header').click();
    await expect(page.getByTestId('header-name')).toBeVisible({ timeout: 1000 });
  }).toPass();
  await page.getByTestId('connect-url').fill(fixtureUrl('stateful'));
  await page.getByTestId('connect-token').fill('some-bearer-token-1234abcd');
  await page.getByTestId('header-name').fill('X-Team');
  await page.getByTestId('header-value').fill('team-secret-value-99');
  await page.getByTestId('connect-submit').click();
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
  await page.getByTestId('tab-tools').click();
  await page.getByTestId('tool-search').fill('add');
  await page.getByTestId('tool-item-add').click();
  await page.locator('#root_a').fill('2');
  await page.locator('#root_b').fill('40');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('tool-result')).toContainText('42');
}

for (const scheme of ['light', 'dark'] as const) {
  test(`screens ${scheme}`, async ({ page, browser }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const shot = (name: string, p: Page = page) => p.screenshot({ path: `${OUT}/${scheme}-${name}.png` });
    await page.goto('/');
    await page.waitForLoadState('networkidle');
    await shot('home');
    await page.getByTestId('import-file-input').setInputFiles({ name: 'broken.har', mimeType: 'application/json', buffer: Buffer.from('{"log": ') });
    await expect(page.getByTestId('import-error')).toBeVisible();
    await shot('home-error');

    await connect(page);
    await page.getByTestId('copy-ts').click();
    await expect(page.getByTestId('ts-snippet')).toBeVisible();
    await shot('tool-ts');
    await page.getByTestId('export-menu').click();
    await shot('export-menu');
    await page.getByTestId('copy-handshake').click();
    await expect(page.getByTestId('handshake-script')).toBeVisible();
    await shot('handshake');
    await page.keyboard.press('Escape');

    await page.getByTestId('tab-traffic').click();
    await page.getByTestId('exchange-row').filter({ hasText: 'POST' }).first().click();
    await page.getByTestId('copy-curl').click();
    await expect(page.getByTestId('curl-panel')).toBeVisible();
    await shot('curl');

    await page.getByTestId('share-open').click();
    await expect(page.getByTestId('share-preview-stats')).toBeVisible();
    await shot('share-dialog');
    await page.getByTestId('share-mode-exchanges').check();
    await page.getByTestId('share-exchange-choice').nth(2).check();
    await page.getByTestId('share-exchange-choice').nth(3).check();
    await page.getByTestId('share-mask-query').check();
    await page.getByTestId('share-mask-results').check();
    await shot('share-dialog-exchanges');
    await page.getByTestId('share-mode-whole').check();
    await page.getByTestId('share-show-json').click();
    await shot('share-dialog-json');
    await page.getByTestId('share-create').click();
    const url = await page.getByTestId('share-url').inputValue();
    await shot('share-created');

    const ctx = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 800 } });
    const v = await ctx.newPage();
    await v.goto(url);
    await expect(v.getByTestId('session-viewer')).toBeVisible();
    await shot('share-page-timeline', v);
    await v.getByTestId('tab-traffic').click();
    await v.getByTestId('exchange-row').filter({ hasText: 'event-stream' }).first().click();
    await shot('share-page-traffic', v);
    await v.getByTestId('tab-tools').click();
    await shot('share-page-tools', v);
    await v.getByTestId('tab-messages').click();
    await shot('share-page-messages', v);

    const har = await (async () => {
      await page.keyboard.press('Escape');
      await page.getByTestId('export-menu').click();
      const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-har').click()]);
      return d.path();
    })();
    await v.goto('/');
    await v.getByTestId('import-file-input').setInputFiles(har);
    await expect(v.getByTestId('session-viewer')).toBeVisible();
    await shot('view-har', v);
    await v.goto('/share/AAAAAAAAAAAAAAAAAAAAAAAA');
    await expect(v.getByTestId('share-unavailable')).toBeVisible();
    await shot('share-missing', v);
    await ctx.close();
    expect(fs.existsSync(`${OUT}/${scheme}-home.png`)).toBe(true);
  });
}
