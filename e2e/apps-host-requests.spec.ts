// What a view may ask that touches the person's machine: ui/download-file and ui/open-link. Nothing happens
// without the person's yes; script and data links are refused without asking; the saved file is bytes with a
// clean name (never rendered on mcpscope's origin); a view that floods the person with questions gets the excess
// refused. The lab view (e2e/fixtures/apps-lab.ts) makes each request.
import { test, expect, type Page, type FrameLocator } from '@playwright/test';
import fs from 'node:fs';
import { LAB_VIEW_URI, startAppsLab } from './fixtures/apps-lab';
import { appViewOf, connectTo, serverForAll } from './helpers';

const server = serverForAll(startAppsLab);

async function openLab(page: Page): Promise<FrameLocator> {
  await connectTo(page, server().url);
  await page.getByTestId('tab-apps').click();
  await page.locator(`[data-testid="app-resource-item"][data-uri="${LAB_VIEW_URI}"]`).click();
  await page.getByTestId('app-open-mode-typed').check();
  await page.getByTestId('app-open').click();
  await expect(page.getByTestId('app-view')).toHaveAttribute('data-status', 'initialized');
  return appViewOf(page);
}

test('download-file asks first: refused saves nothing, allowed saves bytes under a clean name and opens the link', async ({ page }) => {
  const view = await openLab(page);
  const workspace = page.url();
  const title = await page.title();
  let downloads = 0;
  page.on('download', () => (downloads += 1));
  const popups: string[] = [];
  page.on('popup', (popup) => popups.push(popup.url()));

  await view.locator('#download').click();
  const prompt = page.getByTestId('app-download');
  await expect(prompt).toContainText('evil_report.html');
  await expect(prompt).toContainText('saved as a file, not opened');
  await expect(prompt).toContainText(`${server().origin}/report.txt`);
  await page.getByTestId('app-download-deny').click();
  await expect(view.locator('#r-download')).toHaveText('download: refused');
  await expect(prompt).toHaveCount(0);
  expect(downloads).toBe(0);
  expect(popups).toEqual([]);

  await view.locator('#download').click();
  const [download, popup] = await Promise.all([
    page.waitForEvent('download'),
    page.waitForEvent('popup'),
    page.getByTestId('app-download-allow').click(),
  ]);
  expect(download.suggestedFilename()).toBe('evil_report.html');
  const saved = fs.readFileSync((await download.path())!, 'utf8');
  expect(saved).toContain('<script>');
  await expect(view.locator('#r-download')).toHaveText('download: saved');
  await popup.waitForLoadState('domcontentloaded').catch(() => undefined);
  expect(popup.url()).toBe(`${server().origin}/report.txt`);
  // Opened without an opener: the new tab cannot reach back into mcpscope.
  expect(await popup.evaluate(() => window.opener === null)).toBe(true);
  await popup.close();
  // The HTML was saved, never rendered here.
  expect(page.url()).toBe(workspace);
  expect(await page.title()).toBe(title);
});

test('download-file of only script and data links is refused without asking', async ({ page }) => {
  const view = await openLab(page);
  let downloads = 0;
  page.on('download', () => (downloads += 1));
  await view.locator('#download-js').click();
  await expect(view.locator('#r-download-js')).toHaveText('download-js: refused');
  await expect(page.getByTestId('app-download')).toHaveCount(0);
  expect(downloads).toBe(0);
});

test('a flood of open-link requests: at most three wait for the person, the rest are refused at once', async ({ page }) => {
  const view = await openLab(page);
  let popups = 0;
  page.on('popup', () => (popups += 1));
  await view.locator('#flood').click();
  await expect(view.locator('#r-flood')).toHaveText('flood: refused 3, opened 0');
  for (let i = 0; i < 3; i += 1) {
    await expect(page.getByTestId('app-open-link')).toContainText(`${server().origin}/page-`);
    await page.getByTestId('app-open-link-deny').click();
  }
  await expect(view.locator('#r-flood')).toHaveText('flood: refused 6, opened 0');
  await expect(page.getByTestId('app-open-link')).toHaveCount(0);
  expect(popups).toBe(0);
});
