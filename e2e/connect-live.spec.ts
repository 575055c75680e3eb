import { test, expect, type Page } from '@playwright/test';
import { startSlowHandshake, type SlowHandshakeServer } from './fixtures/slow-handshake';
import { fixtureUrl, shot, submitConnectForm } from './helpers';

// Clicking Connect opens the workspace at once: the handshake shows on the timeline step by step while the
// session is "connecting", against a real SDK server whose handshake is held at a gate until the test lets it go.

let slow: SlowHandshakeServer | undefined;
test.afterEach(async () => {
  await slow?.close();
  slow = undefined;
});

async function clickConnect(page: Page, url: string): Promise<void> {
  await submitConnectForm(page, url);
}

const phase = (page: Page, name: string) => page.getByTestId(`timeline-phase-${name}`).last();

test('the workspace opens while connecting and the handshake appears phase by phase, then the tools', async ({ page }) => {
  slow = await startSlowHandshake({ hold: ['initialize', 'tools/list'] });
  await clickConnect(page, slow.url);

  // initialize is held by the server: the person is already in the workspace, watching it run.
  await slow.arrived('initialize');
  await expect(page).toHaveURL(/\/inspect\/[^/]+$/);
  const state = page.getByTestId('session-state');
  await expect(state).toHaveAttribute('data-state', 'connecting');
  await expect(page.getByTestId('session-banner')).toContainText('Connecting to');
  await expect(page.getByRole('tab', { name: /Timeline/ })).toHaveAttribute('aria-selected', 'true');
  await expect(phase(page, 'connect')).toHaveAttribute('data-status', 'started');
  await expect(phase(page, 'initialize')).toHaveAttribute('data-status', 'started');
  await expect(page.getByTestId('timeline-phase-tools/list')).toHaveCount(0);
  await page.screenshot({ path: shot('connect-live-initialize.png') });

  // The other views work meanwhile: the traffic already has the held exchange.
  await page.getByTestId('tab-traffic').click();
  await expect(page.getByTestId('exchange-row').first()).toBeVisible();
  await page.getByTestId('tab-timeline').click();

  slow.release('initialize');
  await slow.arrived('tools/list');
  await expect(phase(page, 'initialize')).toHaveAttribute('data-status', 'ok');
  await expect(phase(page, 'tools/list')).toHaveAttribute('data-status', 'started');
  await expect(state).toHaveAttribute('data-state', 'connecting');
  await page.screenshot({ path: shot('connect-live-tools-list.png') });

  // The Tools tab waits for the connection, then lists the tools by itself.
  await page.getByTestId('tab-tools').click();
  await expect(page.getByText('Waiting for the connection…')).toBeVisible();
  slow.release('tools/list');
  await expect(state).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('tool-item-add')).toBeVisible();
  await expect(page.getByTestId('server-name')).toHaveText('fixture-stateful');
  await expect(page.getByTestId('session-banner')).toHaveCount(0);
  await page.getByTestId('tab-timeline').click();
  await expect(phase(page, 'tools/list')).toHaveAttribute('data-status', 'ok');
  await expect(phase(page, 'connect')).toHaveAttribute('data-status', 'ok');
});

test('disconnecting while connecting stops the handshake and keeps the log', async ({ page }) => {
  slow = await startSlowHandshake({ hold: ['initialize'] });
  await clickConnect(page, slow.url);
  await slow.arrived('initialize');
  await expect(phase(page, 'initialize')).toHaveAttribute('data-status', 'started');
  await expect(page.getByTestId('disconnect')).toHaveText('Cancel');
  await page.getByTestId('disconnect').click();
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'closed');
  await expect(page.getByTestId('session-closed')).toBeVisible();
  // The attempt stays on the timeline, ended rather than running forever.
  await expect(phase(page, 'connect')).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId('timeline-phase-probe:sse')).toHaveCount(0);
  await expect(page.getByTestId('new-connection')).toBeVisible();
  await page.screenshot({ path: shot('connect-live-disconnected.png') });
});

test('a dead server: the workspace turns red with the reason, the failed attempt on the timeline', async ({ page }) => {
  await clickConnect(page, fixtureUrl('dead'));
  await expect(page).toHaveURL(/\/inspect\/[^/]+$/);
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'failed');
  const error = page.getByTestId('connect-error');
  await expect(error).toContainText(/refused|Nothing is listening/i);
  await expect(error).toContainText('connection_refused');
  await expect(phase(page, 'connect')).toHaveAttribute('data-status', 'failed');
  await page.screenshot({ path: shot('connect-live-dead.png') });
});
