// Issue 14, "Reading the wire" (items 5–8) and the Traffic layout at 1024 px, through the real UI against real
// servers: Traffic rows name their JSON-RPC methods and ids, the Timeline keeps the handshake readable, normal
// fallbacks are not failures, and results show annotations and flag a broken outputSchema.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { recordRpc, TraceLog, toJsonExport } from '@/lib/trace';
import { startAnnotated, ANNOTATED_MODIFIED } from './fixtures/annotated';
import { connectThroughOAuth, connectTo, connectToDemo, fixtureUrl, openTool, submitConnectForm } from './helpers';

function sessionIdOf(page: Page): string {
  return new URL(page.url()).pathname.split('/').pop()!;
}

async function callAdd(page: Page, a: number, b: number): Promise<void> {
  const response = await page.request.post(`/api/sessions/${sessionIdOf(page)}/rpc`, {
    data: { method: 'tools/call', params: { name: 'add', arguments: { a, b } } },
  });
  expect(response.status()).toBe(200);
}

async function widthOf(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not laid out');
  return box.width;
}

test.describe('5. Traffic rows name the JSON-RPC methods, tools and ids', () => {
  test('requests, SSE answers and the GET stream, and a filter by method, tool name and id', async ({ page }) => {
    await connectTo(page, fixtureUrl('stateful'));
    await callAdd(page, 2, 3);
    await callAdd(page, 40, 2);
    await page.getByTestId('tab-traffic').click();

    const rows = page.getByTestId('exchange-row');
    await expect(rows.filter({ hasText: 'initialize' }).first()).toBeVisible();
    await expect(rows.filter({ hasText: 'notifications/initialized' })).toHaveCount(1);
    const calls = rows.filter({ has: page.getByTestId('exchange-methods').filter({ hasText: /^tools\/call add$/ }) });
    await expect(calls).toHaveCount(2);
    // Each call shows its own id; the two differ.
    const ids = await calls.getByTestId('exchange-ids').allTextContents();
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^id \d+$/);
    expect(new Set(ids).size).toBe(2);
    // The standing GET stream: the notification the fixture sends when it opens.
    const stream = rows.filter({ has: page.getByTestId('stream-badge').filter({ hasText: 'GET stream' }) });
    await expect(stream.getByTestId('exchange-methods')).toContainText('notifications/message');

    const filter = page.getByTestId('traffic-filter');
    await filter.fill('tools/call');
    await expect(rows).toHaveCount(2);
    await filter.fill('add');
    await expect(rows).toHaveCount(2);
    const id = ids[1]!.replace('id ', '');
    await filter.fill(`#${id}`);
    await expect(rows).toHaveCount(1);
    await expect(rows.getByTestId('exchange-ids')).toHaveText(`id ${id}`);
    await filter.fill('tools/list');
    await expect(rows.first()).toContainText('tools/list');
    await filter.fill('no/such_method');
    await expect(rows).toHaveCount(0);
  });

  test('a POST answered by an event stream names its request and the notifications on it', async ({ page }) => {
    await connectTo(page, fixtureUrl('stateful'));
    await page.request.post(`/api/sessions/${sessionIdOf(page)}/rpc`, {
      data: { method: 'tools/call', params: { name: 'slow', arguments: { seconds: 0.3, steps: 3 }, _meta: { progressToken: 'p1' } } },
    });
    await page.getByTestId('tab-traffic').click();
    const row = page
      .getByTestId('exchange-row')
      .filter({ has: page.getByTestId('stream-badge').filter({ hasText: /^SSE/ }) })
      .filter({ hasText: 'slow' });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId('exchange-methods')).toHaveText(/^tools\/call slow, notifications\/progress ×3$/);
  });

  test('a batch of 10,000 requests reads as a count in an imported log, not 10,000 names', async ({ page }) => {
    const log = new TraceLog({
      sessionId: 'batch',
      serverUrl: 'http://127.0.0.1:9/mcp',
      startedAt: Date.now(),
      transport: 'streamable-http',
    });
    const batch = Array.from({ length: 10_000 }, (_, index) => ({
      jsonrpc: '2.0',
      id: index + 1,
      method: 'tools/call',
      params: { name: `tool_${index % 3}`, arguments: {} },
    }));
    const text = JSON.stringify(batch);
    log.append({
      kind: 'http.request',
      exchangeId: 'x1',
      purpose: 'mcp',
      method: 'POST',
      url: 'http://127.0.0.1:9/mcp',
      headers: [['content-type', 'application/json']],
      body: { text: text.slice(0, 1000), encoding: 'utf8', size: text.length, truncated: true },
    });
    recordRpc(log, 'out', batch, { exchangeId: 'x1' });
    log.append({ kind: 'http.response', exchangeId: 'x1', status: 202, statusText: 'Accepted', headers: [], ttfbMs: 3 });
    log.append({ kind: 'http.end', exchangeId: 'x1', bytes: 0, durationMs: 4 });
    await page.goto('/');
    await page.getByTestId('import-file-input').setInputFiles({
      name: 'batch.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(toJsonExport(log))),
    });
    await expect(page).toHaveURL(/\/view$/);
    await page.getByTestId('tab-traffic').click();
    const row = page.getByTestId('exchange-row');
    await expect(row.getByTestId('exchange-methods')).toHaveText('batch of 10,000: tools/call ×10,000 tool_0, tool_1, …');
    await expect(row.getByTestId('exchange-ids')).toHaveText('ids 1, 2, 3 +9,997');
    await page.getByTestId('traffic-filter').fill('tool_2');
    await expect(row).toHaveCount(1);
  });

  test('at 1024 px with the detail open, badges stay in their column and the filter bar stays on one line', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await connectTo(page, fixtureUrl('legacy-sse'));
    await callAdd(page, 1, 2);
    await page.getByTestId('tab-traffic').click();
    await page.getByTestId('exchange-row').filter({ hasText: 'tools/call' }).first().click();
    const streamRow = page
      .getByTestId('exchange-row')
      .filter({ has: page.getByTestId('stream-badge') })
      .first();
    const badge = await streamRow.getByTestId('stream-badge').boundingBox();
    // The status cell is the fourth cell of the row; the badge must end before it starts.
    const status = await streamRow.locator(':scope > span').nth(3).boundingBox();
    expect(badge && status).toBeTruthy();
    expect(badge!.x + badge!.width).toBeLessThanOrEqual(status!.x + 0.5);
    // Every filter chip on one line: all at the same height, none wrapped.
    const chips = page.getByRole('radiogroup', { name: 'Exchange kind' }).getByRole('radio');
    const boxes = await chips.evaluateAll((elements) =>
      elements.map((element) => element.getBoundingClientRect()).map((r) => ({ top: r.top, height: r.height })),
    );
    expect(boxes.length).toBe(5);
    for (const box of boxes) {
      expect(box.top).toBe(boxes[0]!.top);
      expect(box.height).toBeLessThanOrEqual(24);
    }
  });
});

test.describe('6. The Timeline keeps the handshake readable', () => {
  test('a long elicitation: the default scale fits the handshake, idle time is a labelled break, the axis zooms', async ({ page }) => {
    await connectToDemo(page);
    await openTool(page, 'confirm_action');
    await page.getByTestId('call-tool').click();
    const card = page.getByTestId('pending-request');
    await expect(card).toContainText('Really delete the staging database?');
    // The person takes their time: 4 s, about a hundred times the handshake against this local server.
    await page.waitForTimeout(4_000);
    await card.locator('input[id$="_confirm"]').check();
    await page.getByTestId('elicit-accept').click();
    await expect(page.getByTestId('tool-result')).toContainText('Confirmed');

    await page.getByTestId('tab-timeline').click();
    const axis = page.getByTestId('timeline-axis');
    const connectBar = page.getByTestId('timeline-phase-connect').first().getByTestId('timeline-bar');
    // Before this change the connect bar was 1–2 % of the chart (a few pixels). The default scale is the handshake (the
    // connect and the list calls right after it), or the whole session when the handshake already takes most of it
    // once idle time is collapsed. How the handshake splits between connect and tools/list depends on the machine, so
    // the span of the two is measured, and the connect bar against a floor far above the old few pixels.
    const listBar = page.getByTestId('timeline-phase-tools/list').first().getByTestId('timeline-bar');
    const axisBox = (await axis.boundingBox())!;
    const connectBox = (await connectBar.boundingBox())!;
    const listBox = (await listBar.boundingBox())!;
    expect((listBox.x + listBox.width - connectBox.x) / axisBox.width).toBeGreaterThan(0.8);
    expect(connectBox.width / axisBox.width).toBeGreaterThan(0.1);
    await expect(page.locator('[data-testid^="timeline-fit-"][aria-pressed="true"]')).toHaveCount(1);
    await expect(page.getByTestId('timeline-tick').first()).toBeVisible();

    // The whole session: the wait is collapsed into a break that says how long it was.
    await page.getByTestId('timeline-fit-all').click();
    const longest = await page
      .getByTestId('timeline-break')
      .evaluateAll((elements) => Math.max(0, ...elements.map((element) => Number(element.getAttribute('data-duration')))));
    expect(longest).toBeGreaterThanOrEqual(3_500);
    await expect(page.getByTestId('timeline-break').last()).toContainText(/\d s/);
    expect((await widthOf(connectBar)) / (await widthOf(axis))).toBeGreaterThan(0.15);

    // Brushing across the axis zooms into that stretch; zoom out goes back.
    const box = (await axis.boundingBox())!;
    const before = await axis.getAttribute('data-view');
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const zoomed = await axis.getAttribute('data-view');
    expect(zoomed).not.toBe(before);
    const [from, to] = zoomed!.split('-').map(Number);
    expect(to! - from!).toBeCloseTo(0.2, 1);
    await expect(page.getByTestId('timeline-fit-all')).toHaveAttribute('aria-pressed', 'false');
    await page.getByTestId('timeline-fit-all').click();
    await expect(axis).toHaveAttribute('data-view', '0.0000-1.0000');
  });
});

test.describe('7. Normal fallbacks are not failures', () => {
  test('legacy SSE: the Streamable HTTP probe reads "probed: not supported", no failed steps', async ({ page }) => {
    await connectTo(page, fixtureUrl('legacy-sse'));
    await page.getByTestId('tab-timeline').click();
    const probe = page.getByTestId('timeline-phase-probe:streamable-http');
    await expect(probe).toHaveAttribute('data-verdict', 'not-supported');
    await expect(probe.getByTestId('timeline-expected')).toHaveText('probed: not supported');
    await expect(page.getByTestId('timeline-phase-probe:sse')).toHaveAttribute('data-verdict', 'ok');
    await expect(page.getByTestId('timeline-failed-count')).toHaveCount(0);
    await expect(page.getByTestId('timeline-phase-error')).toHaveCount(0);
    await expect(page.getByTestId('timeline-expected-count')).toContainText('expected answer');
    // The 404 to the Streamable HTTP POST is neutral in Traffic too.
    await page.getByTestId('tab-traffic').click();
    const refused = page.getByTestId('exchange-row').filter({ hasText: '404' });
    await expect(refused.first()).toHaveAttribute('data-verdict', 'not-supported');
    await expect(page.locator('[data-testid="exchange-row"][data-verdict="failed"]')).toHaveCount(0);
    await refused.filter({ hasText: 'initialize' }).click();
    await expect(page.getByTestId('exchange-detail-expected')).toContainText('probed: not supported');
    await expect(page.getByTestId('exchange-detail-rpc')).toContainText('initialize');
  });

  test('OAuth: the 401 that starts the flow is a challenge, not three failed steps', async ({ page }) => {
    await connectThroughOAuth(page, fixtureUrl('oauth'));
    await page.getByTestId('tab-timeline').click();
    const first = page.getByTestId('timeline-phase-connect').first();
    await expect(first).toHaveAttribute('data-verdict', 'challenge');
    await expect(first.getByTestId('timeline-expected')).toHaveText('challenge');
    await expect(page.getByTestId('timeline-phase-connect').last()).toHaveAttribute('data-verdict', 'ok');
    await expect(page.getByTestId('timeline-failed-count')).toHaveCount(0);
  });

  test('a 2025 server: the server/discover error in Messages is "probed: not supported", not a red error', async ({ page }) => {
    await connectTo(page, fixtureUrl('stateful'));
    await page.getByTestId('tab-messages').click();
    const row = page.locator('[data-testid="rpc-row"][data-method="server/discover"][data-type="error"]');
    await expect(row).toHaveAttribute('data-verdict', 'not-supported');
    await expect(row.getByTestId('rpc-expected')).toHaveText('probed: not supported');
    await row.click();
    await expect(page.getByTestId('rpc-error')).toHaveAttribute('data-verdict', 'not-supported');
    await expect(page.getByTestId('rpc-error')).toContainText('went on without it');
  });

  test('a real failure still counts: a dead server', async ({ page }) => {
    await submitConnectForm(page, fixtureUrl('dead'));
    await expect(page).toHaveURL(/\/inspect\//);
    await page.getByTestId('tab-timeline').click();
    await expect(page.getByTestId('timeline-failed-count')).toBeVisible();
    await expect(page.getByTestId('timeline-phase-connect')).toHaveAttribute('data-verdict', 'failed');
  });
});

test.describe('8. Results: annotations beside each block, a broken outputSchema flagged', () => {
  test('audience, priority and lastModified show on each content block', async ({ page }) => {
    const server = await startAnnotated();
    try {
      await connectTo(page, server.url);
      await openTool(page, 'annotated_report');
      await page.getByTestId('call-tool').click();
      const result = page.getByTestId('tool-result');
      await expect(result.getByTestId('content-annotations')).toHaveCount(4);
      const text = result.locator('[data-kind="text"]');
      await expect(text.getByTestId('annotation-audience')).toHaveText('for user');
      await expect(text.getByTestId('annotation-priority')).toHaveText('priority 0.9');
      await expect(text.getByTestId('annotation-modified')).toHaveText(`modified ${ANNOTATED_MODIFIED}`);
      const image = result.locator('[data-kind="image"]');
      await expect(image.getByTestId('annotation-audience')).toHaveText('for assistant');
      await expect(image.getByTestId('annotation-priority')).toHaveText('priority 0.1');
      await expect(result.getByTestId('resource-link').getByTestId('annotation-audience')).toHaveText('for user, assistant');
      await expect(result.getByTestId('embedded-resource').getByTestId('annotation-modified')).toContainText('2026-12-01');
    } finally {
      await server.close();
    }
  });

  test('broken_structured is not a green Success: flagged, and a finding in the log and its export', async ({ page }) => {
    await connectToDemo(page);
    await openTool(page, 'broken_structured');
    await page.getByTestId('call-tool').click();
    const result = page.getByTestId('tool-result');
    await expect(result).toHaveAttribute('data-status', 'schema-mismatch');
    await expect(page.getByTestId('result-status')).toHaveText('Breaks outputSchema');
    await expect(page.getByTestId('output-schema-warning')).toContainText('id: must be integer');

    await page.getByTestId('tab-findings').click();
    const finding = page.locator('[data-testid="finding-row"][data-code="output_schema_mismatch"]');
    await expect(finding).toHaveCount(1);
    await expect(finding).toContainText('broken_structured');
    const exported = await page.request.get(`/api/sessions/${sessionIdOf(page)}/log?format=json`);
    const doc = (await exported.json()) as { events: Array<{ kind: string; code?: string }> };
    expect(doc.events.filter((event) => event.kind === 'finding' && event.code === 'output_schema_mismatch')).toHaveLength(1);

    // A result that matches stays a plain Success.
    await openTool(page, 'structured_weather');
    await page.getByTestId('call-tool').click();
    await expect(page.getByTestId('output-schema-valid')).toBeVisible();
    await expect(page.getByTestId('result-status')).toHaveText('Success');
  });
});
