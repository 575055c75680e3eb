// The latency the Tools view shows for a call is the server's time as mcpscope's engine saw it, without mcpscope's
// own hop: proven against a tool that sleeps a known time, with the hop between the browser and mcpscope made
// slow on purpose (every /rpc answer held 1.2 s on its way to the page).
import { test, expect } from '@playwright/test';
import { connectTo, fixtureUrl, openTool } from './helpers';

const SLEEP_MS = 300;
/** Added to mcpscope's hop to the browser by the test, so the two figures cannot be mistaken for one another. */
const HOP_DELAY_MS = 1_200;
/**
 * What may come on top of the sleep inside the engine: the fixture's timer, the SDK, the loopback wire, and a
 * machine shared with other builds (seen: +281 ms at a load average of 30). Kept below the added hop, so a figure
 * that included the hop could not pass.
 */
const ENGINE_MARGIN_MS = 700;

test('the shown latency of a call is the server time seen by the engine, not the browser round trip', async ({ page }) => {
  await connectTo(page, fixtureUrl('stateful'));
  const sessionId = /\/inspect\/([^/?#]+)/.exec(page.url())?.[1];
  expect(sessionId).toBeTruthy();

  const timings: string[] = [];
  await page.route('**/api/sessions/*/rpc', async (route) => {
    const response = await route.fetch();
    timings.push(response.headers()['server-timing'] ?? '');
    await new Promise((resolve) => setTimeout(resolve, HOP_DELAY_MS));
    await route.fulfill({ response });
  });

  await openTool(page, 'slow');
  await page.locator('#root_seconds').fill(String(SLEEP_MS / 1000));
  await page.locator('#root_steps').fill('1');
  const browserStarted = Date.now();
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('tool-result')).toContainText('Done: 1 steps', { timeout: 15_000 });
  const browserRoundTrip = Date.now() - browserStarted;

  const latency = page.getByTestId('result-latency');
  await expect(latency).toContainText('server time');
  const engineMs = Number(await latency.getAttribute('data-engine-ms'));
  const roundTripMs = Number(await latency.getAttribute('data-round-trip-ms'));
  expect(engineMs).toBeGreaterThanOrEqual(SLEEP_MS);
  expect(engineMs).toBeLessThan(SLEEP_MS + ENGINE_MARGIN_MS);
  // The browser's own round trip holds the (slowed) hop; the figure shown does not.
  expect(roundTripMs).toBeGreaterThanOrEqual(SLEEP_MS + HOP_DELAY_MS);
  expect(browserRoundTrip).toBeGreaterThan(roundTripMs - 50);
  expect(roundTripMs - engineMs).toBeGreaterThanOrEqual(HOP_DELAY_MS);
  // It is what mcpscope sent as Server-Timing, and the person is told what it measures.
  expect(timings.at(-1)).toMatch(/^engine;dur=\d+(\.\d+)?;desc=/);
  expect(Number(/dur=([\d.]+)/.exec(timings.at(-1)!)?.[1])).toBe(engineMs);
  await expect(latency).toHaveAttribute('title', /server time as seen by mcpscope's engine, excluding the browser↔mcpscope hop/);

  // The log's recorded latency of the same call tells the same story.
  const log = await page.request.get(`/api/sessions/${sessionId}/log?format=json`);
  const events = ((await log.json()) as { events: Array<Record<string, unknown>> }).events;
  const answer = events.filter((e) => e.kind === 'rpc' && e.direction === 'in' && e.method === 'tools/call' && e.type === 'result').at(-1);
  const recorded = answer?.latencyMs as number;
  expect(recorded).toBeGreaterThanOrEqual(SLEEP_MS);
  expect(recorded).toBeLessThan(SLEEP_MS + ENGINE_MARGIN_MS);
  expect(recorded).toBeLessThanOrEqual(engineMs + 1);

  // The Messages view shows that recorded figure with the same words.
  await page.getByTestId('tab-messages').click();
  await page.getByTestId('rpc-row').filter({ hasText: 'tools/call' }).last().click();
  await expect(page.getByTestId('rpc-latency').first()).toHaveAttribute('title', /server time as seen by mcpscope's engine/);
});
