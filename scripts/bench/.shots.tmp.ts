// one-off: screenshots of the Tools result latency label (not committed)
import { launchBrowser } from './browser';
import { freePortInRange, startAppWithRetry, startFixture } from './processes';
import { ApiClient } from './api';

async function main() {
  const port = await freePortInRange(3800, 3899);
  const app = await startAppWithRetry({ port, skipBuild: true }, 1);
  const fixture = await startFixture();
  const browser = await launchBrowser();
  try {
    for (const width of [1440, 1024]) {
      for (const scheme of ['light', 'dark'] as const) {
        const context = await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
        const page = await context.newPage();
        await page.goto(`${app.origin}/`);
        await page.getByTestId('connect-url').fill(fixture.url);
        await page.getByTestId('connect-submit').click();
        await page.waitForURL(/\/inspect\//, { timeout: 60_000 });
        await page.getByTestId('tab-tools').click();
        await page.getByTestId('tool-search').fill('add');
        await page.getByTestId('tool-item-add').click();
        await page.locator('#root_a').fill('2');
        await page.locator('#root_b').fill('40');
        await page.getByTestId('call-tool').click();
        await page.getByTestId('result-latency').waitFor();
        await page.getByTestId('result-latency').hover();
        await page.waitForTimeout(1200);
        await page.screenshot({ path: `/work/shots/s6-bench/tools-latency-${width}-${scheme}.png` });
        await page.getByTestId('tab-messages').click();
        await page.getByTestId('rpc-row').filter({ hasText: 'tools/call' }).last().click();
        await page.getByTestId('rpc-latency').first().hover();
        await page.waitForTimeout(1200);
        await page.screenshot({ path: `/work/shots/s6-bench/messages-latency-${width}-${scheme}.png` });
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await fixture.stop();
    await app.stop();
  }
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
