// MCP Apps (SEP-1865) with the ext-apps project's published example servers from npm, over HTTP on loopback:
// the view renders in the sandbox proxy, a button in it calls a tool through the bridge, the answer reaches the
// view, and every bridge message is in the session log (Messages' App bridge lane, the JSON export).
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { EXT_APPS_EXAMPLES, startExtAppsExample } from './fixtures/ext-apps-examples';
import { appViewOf, connectTo, openTool, serverForAll, sessionEvents } from './helpers';

const SHOTS = process.env.MCPSCOPE_SHOTS_DIR ?? '/work/shots/s5-apps';

interface LoggedEvent {
  kind: string;
  method?: string;
  direction?: string;
  code?: string;
  severity?: string;
  viewId?: string;
  pairSeq?: number;
  message?: unknown;
  seq: number;
}

for (const example of EXT_APPS_EXAMPLES) {
  test.describe(example, () => {
    const server = serverForAll(() => startExtAppsExample(example));

    test('renders the view, a button in it calls a tool through the bridge, every message is logged', async ({ page }) => {
      await connectTo(page, server().url);
      await page.getByTestId('tab-tools').click();
      await expect(page.getByTestId('tool-item-get-time').getByTestId('tool-app')).toBeVisible();
      await openTool(page, 'get-time');
      await page.getByTestId('call-tool').click();

      const appView = page.getByTestId('app-view');
      await expect(appView).toHaveAttribute('data-status', 'initialized');
      const view = appViewOf(page);
      const time = view.locator('code').first();
      // The tool result reached the view (ui/notifications/tool-result): it shows the server's time.
      await expect(time).toHaveText(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
      const first = await time.textContent();

      // The view's own button: tools/call over the bridge, proxied through the session, answer back in the view.
      await view.getByRole('button', { name: 'Get Server Time' }).click();
      await expect(time).not.toHaveText(first ?? '');
      await expect(time).toHaveText(/^\d{4}-\d\d-\d\dT/);

      // ui/message: no model here, so it is shown.
      await view.getByRole('button', { name: 'Send Message' }).click();
      await expect(page.getByTestId('app-shown-message')).toContainText('This is message text.');

      // ui/open-link asks the person first; refused here, nothing opens.
      let popups = 0;
      page.on('popup', () => (popups += 1));
      await view.getByRole('button', { name: 'Open Link' }).click();
      await expect(page.getByTestId('app-open-link')).toContainText('https://modelcontextprotocol.io/');
      await page.getByTestId('app-open-link-deny').click();
      await expect(page.getByTestId('app-open-link')).toHaveCount(0);
      expect(popups).toBe(0);

      // Messages: the App bridge lane holds the handshake and the view's requests, paired.
      await page.getByTestId('tab-messages').click();
      await page.getByTestId('messages-source-app').click();
      for (const method of [
        'ui/initialize',
        'ui/notifications/initialized',
        'ui/notifications/tool-input',
        'ui/notifications/tool-result',
        'tools/call',
        'ui/message',
        'ui/open-link',
      ]) {
        await expect(page.locator(`[data-testid="rpc-row"][data-kind="app.message"][data-method="${method}"]`).first()).toBeAttached();
      }
      await expect(page.locator('[data-testid="rpc-row"][data-kind="rpc"]')).toHaveCount(0);

      // The log (what exports and shares are made of) has both directions and the view's call on the wire too.
      await expect
        .poll(
          async () => (await sessionEvents<LoggedEvent>(page)).filter((e) => e.kind === 'app.message' && e.method === 'tools/call').length,
        )
        .toBe(2);
      const events = await sessionEvents<LoggedEvent>(page);
      const app = events.filter((e) => e.kind === 'app.message');
      expect(app.some((e) => e.direction === 'in')).toBe(true);
      expect(app.some((e) => e.direction === 'out')).toBe(true);
      expect(new Set(app.map((e) => e.viewId)).size).toBe(1);
      const callAnswer = app.find((e) => e.method === 'tools/call' && e.pairSeq !== undefined);
      expect(callAnswer).toBeDefined();
      const wire = events.filter((e) => e.kind === 'rpc' && e.direction === 'out');
      expect(wire.filter((e) => e.method === 'tools/call').length).toBe(2);
      expect(wire.filter((e) => e.method === 'resources/read').length).toBe(1);
      // Nothing wrong with the example: at most the note that its SDK probed for eval (zod does, and falls back).
      expect(events.filter((e) => e.kind === 'finding' && e.code?.startsWith('app_') && e.severity !== 'info')).toEqual([]);

      // HAR carries them too (in log._mcpscope).
      const id = /\/inspect\/([^/?#]+)/.exec(page.url())![1];
      const har = (await (await page.request.get(`/api/sessions/${id}/log?format=har`)).json()) as {
        log: { _mcpscope: { events: LoggedEvent[] } };
      };
      // The view may still be talking (size changes): compare the same stretch of the log, up to the JSON's last event.
      const lastSeq = Math.max(...events.map((e) => e.seq));
      expect(har.log._mcpscope.events.filter((e) => e.kind === 'app.message' && e.seq <= lastSeq).length).toBe(app.length);
    });

    test('host context follows the panel: theme and width reach the view', async ({ page }) => {
      await connectTo(page, server().url);
      await openTool(page, 'get-time');
      await page.getByTestId('call-tool').click();
      await expect(page.getByTestId('app-view')).toHaveAttribute('data-status', 'initialized');
      await page.getByTestId('app-theme').selectOption('dark');
      // Only the vanilla example applies the host's theme to its document (applyDocumentTheme); the React one ignores it.
      if (example === 'server-basic-vanillajs') await expect(appViewOf(page).locator('html')).toHaveAttribute('data-theme', 'dark');
      await page.getByTestId('app-theme').selectOption('light');
      if (example === 'server-basic-vanillajs') await expect(appViewOf(page).locator('html')).toHaveAttribute('data-theme', 'light');
      await page.getByTestId('app-width').selectOption('480');
      await expect(page.getByTestId('app-frame')).toHaveJSProperty('offsetWidth', 480);
      // Each change went to the view as ui/notifications/host-context-changed, with only what changed.
      await expect
        .poll(async () =>
          (await sessionEvents<LoggedEvent>(page))
            .filter((e) => e.kind === 'app.message' && e.method === 'ui/notifications/host-context-changed')
            .map((e) => (e.message as { params?: Record<string, unknown> }).params),
        )
        .toEqual([{ theme: 'dark' }, { theme: 'light' }, { containerDimensions: { width: 480, maxHeight: 4000 } }]);
    });
  });
}

test.describe('screenshots', () => {
  const server = serverForAll(() => startExtAppsExample('server-basic-vanillajs'));

  test('the app view beside its result, 1440 and 1024, light and dark', async ({ page }) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of [1440, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        await connectTo(page, server().url);
        await openTool(page, 'get-time');
        await page.getByTestId('call-tool').click();
        await expect(page.getByTestId('app-view')).toHaveAttribute('data-status', 'initialized');
        await expect(appViewOf(page).locator('code').first()).toHaveText(/^\d{4}-/);
        await page.screenshot({ path: path.join(SHOTS, `apps-view-${width}-${scheme}.png`) });
      }
    }
    await page.getByTestId('tab-messages').click();
    await page.getByTestId('messages-source-app').click();
    await page.screenshot({ path: path.join(SHOTS, 'apps-messages-1024-dark.png') });
  });
});
