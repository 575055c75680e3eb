// The tool list of a server with tens of thousands of tools (issue 12: 50,000 froze the page for ~15 s), in real
// Chromium through the real UI: from the click on the Tools tab to the first row on screen, and to the first key
// press answered (the selection moved). Times are taken inside the page.
import type { Browser } from '@playwright/test';
import { newContext } from './browser';
import { max } from './stats';

export interface ToolListMeasurement {
  firstRowMs: number;
  interactiveMs: number;
  /** Tool rows in the DOM once the list shows (only those in view should be). */
  domRows: number;
  longestTaskMs: number;
}

export async function measureToolList(
  browser: Browser,
  origin: string,
  mcpUrl: string,
  firstTool: string,
  secondTool: string,
): Promise<ToolListMeasurement> {
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
    await page.getByTestId('connect-url').fill(mcpUrl);
    await page.getByTestId('connect-submit').click();
    await page.waitForURL(/\/inspect\//, { timeout: 60_000 });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="session-state"]')?.getAttribute('data-state') === 'connected',
      undefined,
      {
        timeout: 120_000,
      },
    );
    // Out of the Tools tab first (the workspace may open on it), so the measure starts from a click on it.
    await page.getByTestId('tab-timeline').click();
    await page.evaluate(() => {
      const w = window as unknown as { benchTasks: number[] };
      w.benchTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.benchTasks.push(entry.duration);
      }).observe({ type: 'longtask' });
    });
    const clickedAt = (await page.evaluate(() => performance.now())) as number;
    await page.getByTestId('tab-tools').click();
    const first = `[data-testid="tool-item-${firstTool}"]`;
    const firstRowAt = (await (
      await page.waitForFunction((selector) => (document.querySelector(selector) ? performance.now() : null), first, {
        timeout: 120_000,
        polling: 'raf',
      })
    ).jsonValue()) as number;
    await page.getByTestId('tool-search').focus();
    const pressedAt = (await page.evaluate(() => performance.now())) as number;
    await page.keyboard.press('ArrowDown');
    const second = `[data-testid="tool-item-${secondTool}"][aria-selected="true"]`;
    const answeredAt = (await (
      await page.waitForFunction((selector) => (document.querySelector(selector) ? performance.now() : null), second, {
        timeout: 120_000,
        polling: 'raf',
      })
    ).jsonValue()) as number;
    const facts = await page.evaluate(() => ({
      rows: document.querySelectorAll('[data-tool-name]').length,
      tasks: (window as unknown as { benchTasks: number[] }).benchTasks,
    }));
    return {
      firstRowMs: firstRowAt - clickedAt,
      // The page was busy until it could take the key press: the wait for it counts, the press itself barely.
      interactiveMs: firstRowAt - clickedAt + (answeredAt - pressedAt),
      domRows: facts.rows,
      longestTaskMs: max(facts.tasks),
    };
  } finally {
    await context.close();
  }
}
