import { expect, test, type FrameLocator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/** URL of a fixture server started by global-setup. */
export function fixtureUrl(name: string): string {
  const urls = JSON.parse(process.env.MCPSCOPE_FIXTURES ?? '{}') as Record<string, string>;
  const url = urls[name];
  if (!url) throw new Error(`fixture "${name}" was not started; known: ${Object.keys(urls).join(', ')}`);
  return url;
}

/** What a person fills in on the connect form besides the URL; what is left out stays as the form has it. */
export interface ConnectForm {
  transport?: 'auto' | 'streamable-http' | 'sse';
  /** The bearer token field. */
  token?: string;
  /** One extra header (Add header). */
  header?: { name: string; value: string };
  oauth?: { grant?: 'client_credentials'; clientId?: string; clientKey?: string; scopes?: string; guided?: boolean };
}

/** Opens the home page, fills the connect form as a person does and submits it; the caller checks what follows. */
export async function submitConnectForm(page: Page, url: string, form: ConnectForm = {}): Promise<void> {
  await page.goto('/');
  await page.getByTestId('connect-url').fill(url);
  if (form.transport) await page.getByTestId('connect-transport').selectOption(form.transport);
  if (form.token !== undefined) await page.getByTestId('connect-token').fill(form.token);
  if (form.header) {
    await page.getByTestId('add-header').click();
    await page.getByTestId('header-name').fill(form.header.name);
    await page.getByTestId('header-value').fill(form.header.value);
  }
  const oauth = form.oauth;
  if (oauth) {
    await page.getByTestId('connect-oauth').check();
    // The grant first: it decides which client fields the form shows.
    if (oauth.grant) await page.getByTestId('oauth-grant').selectOption(oauth.grant);
    if (oauth.clientId !== undefined) await page.getByTestId('oauth-client-id').fill(oauth.clientId);
    if (oauth.clientKey !== undefined) await page.getByTestId('oauth-client-key').fill(oauth.clientKey);
    if (oauth.scopes !== undefined) await page.getByTestId('oauth-scopes').fill(oauth.scopes);
    if (oauth.guided) await page.getByTestId('oauth-guided').check();
  }
  await page.getByTestId('connect-submit').click();
}

/** Connects through the UI the way a person does, and waits for the workspace. */
export async function connectTo(page: Page, url: string, transport: 'auto' | 'streamable-http' | 'sse' = 'auto'): Promise<void> {
  await submitConnectForm(page, url, { transport });
  await expect(page).toHaveURL(/\/inspect\//);
  await expect(page.getByTestId('server-name')).toBeVisible();
  // The workspace opens while the handshake is still running; callers expect it over.
  await expect(page.getByTestId('session-state')).not.toHaveAttribute('data-state', 'connecting');
}

/** Connects to the built-in demo server with the home page's button, and waits for the handshake to be over. */
export async function connectToDemo(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('demo-button').click();
  await expect(page.getByTestId('server-name')).toBeVisible();
  await expect(page.getByTestId('session-state')).not.toHaveAttribute('data-state', 'connecting');
}

/**
 * Starts a fixture server before the tests of the enclosing describe (or file) and closes it after them; the
 * returned function gives the tests the running server.
 */
export function serverForAll<T extends { close(): Promise<void> }>(start: () => Promise<T>): () => T {
  return serverAround(start, 'all');
}

/** Like serverForAll, but a fresh fixture server for each test of the enclosing describe (or file). */
export function serverForEach<T extends { close(): Promise<void> }>(start: () => Promise<T>): () => T {
  return serverAround(start, 'each');
}

function serverAround<T extends { close(): Promise<void> }>(start: () => Promise<T>, scope: 'all' | 'each'): () => T {
  let server: T | undefined;
  (scope === 'all' ? test.beforeAll : test.beforeEach)(async () => {
    server = await start();
  });
  (scope === 'all' ? test.afterAll : test.afterEach)(async () => {
    await server?.close();
    server = undefined;
  });
  return () => {
    if (!server) throw new Error(`the fixture server is not running: serverFor${scope === 'all' ? 'All' : 'Each'} gives it to tests only`);
    return server;
  };
}

/** Where a screenshot goes: MCPSCOPE_SCREENSHOT_DIR when set (to keep them), else the test's output folder. */
export function shot(name: string): string {
  const dir = process.env.MCPSCOPE_SCREENSHOT_DIR;
  return dir ? path.join(dir, name) : test.info().outputPath(name);
}

/** An MCP App's view: the sandbox proxy (its own origin), then the view's frame inside it. */
export function appViewOf(page: Page): FrameLocator {
  return page.frameLocator('[data-testid="app-frame"]').frameLocator('iframe');
}

/** The events of the session the page shows, from its JSON export (the log as the API gives it). */
export async function sessionEvents<Event = Record<string, unknown>>(page: Page): Promise<Event[]> {
  const id = /\/inspect\/([^/?#]+)/.exec(page.url())?.[1];
  if (!id) throw new Error(`not on a session page: ${page.url()}`);
  const response = await page.request.get(`/api/sessions/${id}/log?format=json`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { events: Event[] }).events;
}

/** Opens a tool in the Tools view (searched by name, then selected). */
export async function openTool(page: Page, name: string): Promise<void> {
  await page.getByTestId('tab-tools').click();
  await page.getByTestId('tool-search').fill(name);
  await page.getByTestId(`tool-item-${name}`).click();
}

/** Calls the fixtures' `add` tool with `a` and `b` from its form and waits for the sum in the result. */
export async function callAddInForm(page: Page, a: number, b: number): Promise<void> {
  await openTool(page, 'add');
  await page.locator('#root_a').fill(String(a));
  await page.locator('#root_b').fill(String(b));
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('tool-result')).toContainText(String(a + b));
}

/** Fills the fixtures' `configure` tool with a font size past its schema's maximum and calls: the form refuses it. */
export async function callConfigureOverLimit(page: Page): Promise<void> {
  await openTool(page, 'configure');
  await page.locator('#root_profile_name').fill('Ada');
  await page.locator('#root_profile_settings_theme').selectOption('light');
  await page.locator('#root_profile_settings_fontSize').fill('99');
  await page.getByTestId('call-tool').click();
  await expect(page.getByText('Must be at most 32.')).toBeVisible();
}

/** Plain connect to an OAuth-protected server: its 401 starts OAuth, the (auto-approving) authorization server sends the browser back, the workspace opens. */
export async function connectThroughOAuth(page: Page, url: string): Promise<void> {
  await submitConnectForm(page, url);
  await expect(page).toHaveURL(/\/inspect\/[^/]+$/);
  await expect(page.getByTestId('server-name')).toBeVisible();
  // The workspace opens while connecting, before the trip to the authorization server: wait for the end of it.
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The owner cookie the answer sets (`mcpscope_owner=…`), if it sets one. */
  ownerCookie: string | undefined;
}

/**
 * An HTTP request sent from a chosen loopback address (127.0.0.2, 127.0.0.3, …): to a server bound to 127.0.0.1
 * it is another client machine, by the connection's peer address, which no header can change.
 */
export function requestFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<RawAnswer> {
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: init.method ?? (body === undefined ? 'GET' : 'POST'),
        localAddress,
        agent: false,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }),
          ...init.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const setCookie = response.headers['set-cookie'] ?? [];
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            ownerCookie: setCookie.find((cookie) => cookie.startsWith('mcpscope_owner='))?.split(';')[0],
          });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Screenshots of the page as it is at 1440 and 1024 px, light and dark, as `<dir>/<name>-<width>-<scheme>.png`. */
export async function shootWidths(page: Page, dir: string, name: string, settle = 150): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const width of [1440, 1024]) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: 900 });
      await page.emulateMedia({ colorScheme: scheme });
      await page.waitForTimeout(settle);
      await page.screenshot({ path: path.join(dir, `${name}-${width}-${scheme}.png`) });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 800 });
}
