import { test, expect, type Page } from '@playwright/test';
import { connectTo, fixtureUrl, submitConnectForm } from './helpers';
import { startSecondApp, type SecondApp } from './second-app';

// The chaos server through the real UI: a broken server is explained on screen and named in the findings,
// the app stays up, a server that forgets its session can be reconnected, and an app restart ends live
// sessions cleanly while share links survive.

function chaos(path: string): string {
  return `${fixtureUrl('chaos')}${path}`;
}

async function connectExpectingFailure(page: Page, url: string): Promise<void> {
  await submitConnectForm(page, url);
}

async function expectFinding(page: Page, code: string): Promise<void> {
  await page.getByTestId('tab-findings').click();
  const row = page.locator(`[data-testid="finding-row"][data-code="${code}"]`).first();
  await expect(row).toBeVisible();
  await expect(row).toContainText(/\w{10,}/);
}

const failing: Array<{ path: string; error: RegExp; finding: string }> = [
  { path: '/html-502', error: /HTTP 502.*502 Bad Gateway/, finding: 'html_error_page' },
  { path: '/huge-frame', error: /MCPSCOPE_MAX_MESSAGE_BYTES/, finding: 'message_too_large' },
  { path: '/gzip-bomb', error: /decompression bomb/, finding: 'decompression_bomb' },
  { path: '/redirect-loop', error: /redirect/i, finding: 'redirect_loop' },
];

for (const behaviour of failing) {
  test(`chaos ${behaviour.path}: the failure is explained on screen and named in the findings`, async ({ page }) => {
    await connectExpectingFailure(page, chaos(behaviour.path));
    const error = page.getByTestId('connect-error');
    await expect(error).toContainText(behaviour.error);
    await expectFinding(page, behaviour.finding);
    // The log kept the exchange with the broken server.
    await page.getByTestId('tab-traffic').click();
    await expect(page.getByTestId('exchange-row').filter({ hasText: behaviour.path }).first()).toBeVisible();
  });
}

test('chaos /flood and /invalid-utf8: the session works and the findings say what was wrong', async ({ page }) => {
  await connectTo(page, chaos('/flood'));
  await expectFinding(page, 'notification_flood');
  await connectTo(page, chaos('/invalid-utf8'));
  await expect(page.getByTestId('server-name')).toContainText('chaos-');
  await expectFinding(page, 'invalid_utf8');
});

test('chaos /session-expires: the session says the server forgot it, keeps its log, and reconnects', async ({ page }) => {
  await connectTo(page, chaos('/session-expires'));
  const sessionId = new URL(page.url()).pathname.split('/').pop()!;
  const call = await page.request.post(`/api/sessions/${sessionId}/rpc`, {
    data: { method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } },
  });
  expect(call.status()).toBe(502);
  expect(((await call.json()) as { error: { message: string } }).error.message).toMatch(/no longer knows this session/);

  await expect(page.getByTestId('session-closed')).toContainText(/no longer knows this session/);
  await expectFinding(page, 'server_session_lost');
  const findingsBefore = await page.getByTestId('finding-row').count();

  await page.getByTestId('reconnect').click();
  // Connected again: the banner (closed, then connecting) goes away.
  await expect(page.getByTestId('session-banner')).toBeHidden();
  const ping = await page.request.post(`/api/sessions/${sessionId}/rpc`, { data: { method: 'ping' } });
  expect(await ping.json()).toEqual({ result: {} });
  // The log continued: what was found before the reconnect is still listed.
  await page.getByTestId('tab-findings').click();
  expect(await page.getByTestId('finding-row').count()).toBeGreaterThanOrEqual(findingsBefore);
  await page.getByTestId('tab-timeline').click();
  await expect(page.getByTestId('timeline-phase-connect')).toHaveCount(2);
});

test.describe('an app restart (second instance)', () => {
  let app: SecondApp;
  test.beforeAll(async () => {
    test.setTimeout(90_000);
    app = await startSecondApp({});
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test('live sessions show as ended by the restart; share links survive', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(`${app.origin}/`);
    await page.getByTestId('connect-url').fill(`${app.origin}/demo/mcp`);
    await page.getByTestId('connect-submit').click();
    await expect(page).toHaveURL(/\/inspect\//);
    await expect(page.getByTestId('server-name')).toBeVisible();
    const sessionId = new URL(page.url()).pathname.split('/').pop()!;
    const shared = await page.request.post(`${app.origin}/api/sessions/${sessionId}/share`, { data: {} });
    expect(shared.status()).toBe(201);
    const { shareId } = (await shared.json()) as { shareId: string };

    await app.restart();

    await page.reload();
    await expect(page.getByTestId('session-ended-restart')).toContainText('This session ended when mcpscope restarted');
    const share = await page.request.get(`${app.origin}/api/shares/${shareId}`);
    expect(share.status()).toBe(200);
    expect(JSON.stringify(await share.json())).toContain('/demo/mcp');
  });
});
