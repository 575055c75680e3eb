import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { shootWidths } from './helpers';
import { alive, groupMembers, pidsOf } from './processes';
import { parseServerConfig } from '@/lib/servers';

// Saved servers through the real app: importing each client's config file, the list on the home screen, connecting
// from it (a URL server and a real stdio server from npm), exporting, saving from the connect form, the session
// switcher, and what must never happen: a header or env value in an answer or the page, a hostile name run as HTML,
// a command started without the launch token, a process outliving its session.

const ROOT = path.resolve(__dirname, '..');
const SAMPLES = path.join(ROOT, 'tests/servers/samples');
const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const NOISY = path.join(ROOT, 'tests/stdio/fixtures/noisy-server.mjs');
const SHOTS = '/work/shots/s6-saved2';

interface SavedView {
  id: string;
  name: string;
  target: { kind: string };
  needs: Array<{ field: string; name: string }>;
  lastOutcome?: { state: string };
}

/** Every header and env value a file holds that is a real value (not a `${...}` placeholder). */
function secretValues(text: string): string[] {
  const values: string[] = [];
  for (const server of parseServerConfig(text).servers) {
    const target = server.target;
    const map = target.kind === 'url' ? (target.headers ?? {}) : target.env;
    for (const value of Object.values(map)) if (value.length >= 6 && !/\$\{/.test(value)) values.push(value);
  }
  return values;
}

async function clearSaved(api: APIRequestContext): Promise<void> {
  const { servers } = (await (await api.get('/api/servers')).json()) as { servers: SavedView[] };
  for (const server of servers) expect((await api.delete(`/api/servers/${server.id}`)).status()).toBe(200);
}

async function shoot(page: Page, name: string): Promise<void> {
  await shootWidths(page, SHOTS, name);
}

test.describe('saved servers', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/');
    await clearSaved(page.request);
  });

  test("each client's sample file imports through the API; no header or env value comes back, even kept", async ({ page }) => {
    const api = page.request;
    for (const file of readdirSync(SAMPLES)) {
      const text = readFileSync(path.join(SAMPLES, file), 'utf8');
      const secrets = secretValues(text);
      const preview = await api.post('/api/servers/import', { data: { text, preview: true } });
      expect(preview.status(), file).toBe(200);
      const previewed = (await preview.json()) as { servers: Array<{ name: string }>; problems: unknown[] };
      expect(previewed.servers.length, file).toBeGreaterThan(0);
      expect((await (await api.get('/api/servers')).json()).servers, 'a preview saves nothing').toEqual([]);

      const imported = await api.post('/api/servers/import', { data: { text, keepSecrets: true } });
      expect(imported.status(), file).toBe(201);
      const listed = await (await api.get('/api/servers')).text();
      const answers = [await preview.text(), await imported.text(), listed];
      const names = (JSON.parse(listed) as { servers: SavedView[] }).servers.map((server) => server.name).sort();
      expect(names, file).toEqual(previewed.servers.map((server) => server.name).sort());
      for (const format of ['claude-desktop', 'cursor', 'vscode', 'claude-code']) {
        const exported = await api.post('/api/servers/export', { data: { format } });
        expect(exported.status(), `${file} ${format}`).toBe(200);
        answers.push(await exported.text());
      }
      for (const secret of secrets) for (const answer of answers) expect(answer, `${file}: a value in clear`).not.toContain(secret);
      // Asked for explicitly, the kept values are what the snippet holds.
      if (secrets.length > 0) {
        const kept = await (await api.post('/api/servers/export', { data: { format: 'cursor', keepSecrets: true } })).text();
        expect(kept).toContain(secrets[0]!);
      }
      await clearSaved(api);
    }
  });

  test('the import dialog shows what will be imported and each problem; hostile names are text; the list shows kind', async ({ page }) => {
    const secret = 'ctx7sk-8e2d1c0b-aaaa-bbbb-cccc-0123456789ab';
    const text = JSON.stringify({
      mcpServers: {
        context7: { url: 'https://mcp.context7.com/mcp', headers: { CONTEXT7_API_KEY: secret } },
        '<img src=x onerror="window.__pwned=1">': { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] },
        local: { command: process.execPath, args: [EVERYTHING, 'stdio'], env: { EVERYTHING_TOKEN: 'tok-e2e-12345678' } },
        broken: { url: 'file:///etc/passwd' },
      },
    });
    await page.goto('/');
    await page.getByTestId('saved-import-open').click();
    const dialog = page.getByTestId('import-dialog');
    await dialog.getByTestId('import-text').fill(text);
    await expect(dialog.getByTestId('import-entry')).toHaveCount(3);
    await expect(dialog.getByTestId('import-rejected-entry')).toHaveAttribute('data-name', 'broken');
    await expect(dialog.getByTestId('import-rejected-entry').getByTestId('import-problem')).toContainText('broken');
    await expect(dialog.getByText('<img src=x onerror="window.__pwned=1">', { exact: true })).toBeVisible();
    await expect(dialog).toContainText('CONTEXT7_API_KEY');
    await shoot(page, 'import-dialog');
    await dialog.getByTestId('import-save').click();
    await expect(dialog).toBeHidden();

    const rows = page.getByTestId('saved-server');
    await expect(rows).toHaveCount(3);
    await expect(page.locator('[data-testid="saved-server"][data-name="context7"] [data-testid="saved-kind"]')).toHaveText('URL');
    await expect(page.locator('[data-testid="saved-server"][data-name="local"] [data-testid="saved-kind"]')).toHaveText('command');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.content()).not.toContain(secret);
    expect(await page.content()).not.toContain('tok-e2e-12345678');
    await shoot(page, 'saved-list');

    // Export: placeholders by default; nothing was kept here, so nothing to include.
    await page.locator('[data-testid="saved-server"][data-name="context7"] [data-testid="saved-export"]').click();
    const exportDialog = page.getByTestId('export-dialog');
    await expect(exportDialog.getByTestId('export-snippet')).toContainText('"mcpServers"');
    await expect(exportDialog.getByTestId('export-snippet')).toContainText('${CONTEXT7_API_KEY}');
    await exportDialog.getByTestId('export-format-claude-code').click();
    await expect(exportDialog.getByTestId('export-snippet')).toContainText('claude mcp add');
    await exportDialog.getByTestId('export-format-vscode').click();
    await expect(exportDialog.getByTestId('export-snippet')).toContainText('"inputs"');
    await expect(exportDialog.getByTestId('export-keep')).toBeDisabled();
    await shoot(page, 'export-dialog');
    expect(await page.content()).not.toContain(secret);
  });

  test('save from the connect form, connect in one click, the last outcome is listed', async ({ page, baseURL }) => {
    const demo = `${baseURL}/demo/mcp`;
    await page.goto('/');
    await page.getByTestId('connect-url').fill(demo);
    await page.getByTestId('connect-token').fill('demo-bearer-secret-123');
    await page.getByTestId('save-server-open').click();
    await expect(page.getByTestId('save-server-name')).toHaveValue(/localhost/);
    await page.getByTestId('save-server-name').fill('Demo');
    await page.getByTestId('save-server-submit').click();
    await expect(page.getByTestId('save-server-done')).toBeVisible();
    const row = page.locator('[data-testid="saved-server"][data-name="Demo"]');
    await expect(row).toBeVisible();
    // The form still holds what the person typed; the list and the API answer do not.
    expect(await page.getByTestId('saved-servers').innerHTML()).not.toContain('demo-bearer-secret-123');
    expect(await (await page.request.get('/api/servers')).text()).not.toContain('demo-bearer-secret-123');

    // The token was not kept: the connect asks for it.
    await row.getByTestId('saved-connect').click();
    await expect(row.getByTestId('saved-value')).toHaveAttribute('data-name', 'Authorization');
    await shoot(page, 'saved-connect-ask');
    await row.getByTestId('saved-value').fill('Bearer demo-bearer-secret-123');
    await row.getByTestId('saved-connect-submit').click();
    await expect(page).toHaveURL(/\/inspect\//);
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    const id = decodeURIComponent(page.url().split('/inspect/')[1]!);
    const summary = await (await page.request.get(`/api/sessions/${id}`)).json();
    expect(summary.headerNames).toEqual(['Authorization']);

    await page.goto('/');
    await expect(row.getByTestId('saved-outcome')).toHaveAttribute('data-outcome', 'connected');
    await page.request.delete(`/api/sessions/${id}`);
  });

  test('a saved stdio server: the API refuses without the launch token and starts nothing; the UI asks, confirms, runs, and disconnect leaves nothing', async ({
    page,
  }) => {
    const api = page.request;
    const dir = mkdtempSync(path.join(tmpdir(), 'mcpscope-e2e-saved-'));
    const marker = path.join(dir, 'started');
    try {
      const noisy = await api.post('/api/servers', {
        data: {
          name: 'noisy',
          target: { kind: 'command', command: process.execPath, args: [NOISY], env: { NOISY_MARKER: marker } },
          keepSecrets: true,
        },
      });
      expect(noisy.status()).toBe(201);
      const noisyId = ((await noisy.json()) as SavedView).id;
      for (const headers of [{}, { 'x-mcpscope-launch': 'not-the-token' }] as Array<Record<string, string>>) {
        const refused = await api.post(`/api/servers/${noisyId}/connect`, { data: {}, headers });
        expect(refused.status()).toBe(403);
        expect(await refused.json()).toMatchObject({ error: { code: 'launch_token_invalid' } });
      }
      // Another site's page: the Origin check refuses before anything runs.
      const token = ((await (await api.get('/api/stdio')).json()) as { launchToken: string }).launchToken;
      const foreign = await api.post(`/api/servers/${noisyId}/connect`, {
        data: {},
        headers: { 'x-mcpscope-launch': token, Origin: 'https://evil.example' },
      });
      expect(foreign.status()).toBe(403);
      await page.waitForTimeout(500);
      expect(existsSync(marker)).toBe(false);
      expect((await (await api.get('/api/servers')).json()).servers[0].lastOutcome).toBeUndefined();

      await api.post('/api/servers/import', {
        data: {
          text: JSON.stringify({
            mcpServers: {
              everything: { command: process.execPath, args: [EVERYTHING, 'stdio'], env: { EVERYTHING_TOKEN: 'tok-e2e-secret-99' } },
            },
          }),
        },
      });
      await page.goto('/');
      const row = page.locator('[data-testid="saved-server"][data-name="everything"]');
      await row.getByTestId('saved-connect').click();
      await row.getByTestId('saved-value').fill('tok-e2e-secret-99');
      await row.getByTestId('saved-connect-submit').click();
      await expect(row.getByTestId('stdio-confirm-command')).toContainText(EVERYTHING);
      await expect(row.getByTestId('stdio-confirm-env')).toHaveText('EVERYTHING_TOKEN');
      await row.getByTestId('stdio-confirm-run').click();
      await expect(page).toHaveURL(/\/inspect\//);
      await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
      await expect(page.getByTestId('server-name')).toContainText(/everything/i);
      const id = decodeURIComponent(page.url().split('/inspect/')[1]!);
      const log = await (await api.get(`/api/sessions/${id}/log?format=json`)).text();
      expect(log).not.toContain('tok-e2e-secret-99');
      const [pid] = await pidsOf(api, id);
      expect(alive(pid!)).toBe(true);
      await page.getByTestId('disconnect').click();
      await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'closed');
      await expect.poll(() => alive(pid!)).toBe(false);
      expect(groupMembers(pid!)).toEqual([]);
      await page.goto('/');
      await expect(row.getByTestId('saved-outcome')).toHaveAttribute('data-outcome', 'connected');
      await shoot(page, 'saved-list-outcome');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test.describe('session switcher', () => {
  test('lists the live sessions of this browser with their state and switches in one click', async ({ page, baseURL }) => {
    const api = page.request;
    await page.goto('/');
    const token = ((await (await api.get('/api/stdio')).json()) as { launchToken: string }).launchToken;
    const http = await (await api.post('/api/sessions', { data: { url: `${baseURL}/demo/mcp` } })).json();
    const stdio = await (
      await api.post('/api/sessions', {
        data: { kind: 'command', command: process.execPath, args: [EVERYTHING, 'stdio'] },
        headers: { 'x-mcpscope-launch': token },
      })
    ).json();
    expect([http.state, stdio.state]).toEqual(['connected', 'connected']);
    // Another browser sees none of them.
    const other = await page.context().browser()!.newContext();
    try {
      expect((await (await other.request.get(`${baseURL}/api/sessions`)).json()).sessions).toEqual([]);
    } finally {
      await other.close();
    }

    await page.goto(`/inspect/${http.id}`);
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    await page.getByTestId('session-switcher').click();
    const menu = page.getByTestId('session-switcher-menu');
    await expect(menu.locator(`[data-session="${stdio.id}"]`)).toHaveAttribute('data-state', 'connected');
    await expect(menu.locator(`[data-session="${http.id}"]`)).toHaveAttribute('aria-current', 'page');
    await shoot(page, 'switcher');
    await menu.locator(`[data-session="${stdio.id}"]`).click();
    await expect(page).toHaveURL(new RegExp(`/inspect/${stdio.id}$`));
    await expect(page.getByTestId('server-name')).toContainText(/everything/i);
    // The one left behind is still live.
    expect((await (await api.get(`/api/sessions/${http.id}`)).json()).state).toBe('connected');

    const [pid] = await pidsOf(api, stdio.id);
    for (const id of [http.id, stdio.id]) await api.delete(`/api/sessions/${id}`);
    await expect.poll(() => alive(pid!)).toBe(false);
    expect(groupMembers(pid!)).toEqual([]);
  });
});
