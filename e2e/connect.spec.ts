import { test, expect } from '@playwright/test';
import { connectTo, fixtureUrl, submitConnectForm } from './helpers';

// Every protocol era, through the real UI, against real servers built with the official SDKs.
const servers: Array<{ fixture: string; era: RegExp; protocol: RegExp; sse: boolean }> = [
  // The v1 SDK's SSE server accepts newer protocol versions, so the legacy transport negotiates 2025-11-25:
  // the era comes from the transport, not the version.
  { fixture: 'legacy-sse', era: /Legacy HTTP\+SSE/, protocol: /^20\d\d-\d\d-\d\d$/, sse: true },
  { fixture: 'stateful', era: /stateful/i, protocol: /^2025-/, sse: true },
  { fixture: 'stateless-2026', era: /stateless/i, protocol: /^2026-07-28$/, sse: false },
  { fixture: 'everything-streamable', era: /stateful/i, protocol: /^2025-/, sse: true },
  { fixture: 'everything-sse', era: /Legacy HTTP\+SSE/, protocol: /^20\d\d-\d\d-\d\d$/, sse: true },
];

for (const server of servers) {
  test(`connects to ${server.fixture} in auto mode and shows era, timeline and traffic`, async ({ page }) => {
    await connectTo(page, fixtureUrl(server.fixture));
    await expect(page.getByTestId('era-badge')).toHaveText(server.era);
    await expect(page.getByTestId('protocol-version')).toHaveText(server.protocol);

    await page.getByTestId('tab-timeline').click();
    await expect(page.getByTestId('timeline-phase-connect')).toBeVisible();
    await expect(page.getByTestId(/^timeline-phase-(initialize|server\/discover)$/).first()).toBeVisible();
    // A server that announces list_changed right after connecting gets listed again: one or more phases.
    await expect(page.getByTestId('timeline-phase-tools/list').first()).toHaveAttribute('data-status', 'ok');

    await page.getByTestId('tab-traffic').click();
    await expect(page.getByTestId('exchange-row').first()).toBeVisible();
    if (server.sse) {
      // Open the first event-stream exchange and see its frames.
      await page
        .getByTestId('exchange-row')
        .filter({ hasText: /event-stream/ })
        .first()
        .click();
      await expect(page.getByTestId('sse-frame').first()).toBeVisible();
    }

    await page.getByTestId('tab-messages').click();
    await expect(page.getByTestId('rpc-row').filter({ hasText: 'tools/list' }).first()).toBeVisible();
  });
}

test('a dead URL shows a clear error and keeps the failed log', async ({ page }) => {
  await submitConnectForm(page, fixtureUrl('dead'));
  const error = page.getByTestId('connect-error');
  await expect(error).toContainText(/refused|Nothing is listening/i);
  await expect(error).toContainText('connection_refused');
});

test('a malformed URL is refused before anything is sent', async ({ page }) => {
  await submitConnectForm(page, 'not a url');
  await expect(page.getByTestId('connect-error')).toContainText(/invalid_url|valid URL/i);
});
