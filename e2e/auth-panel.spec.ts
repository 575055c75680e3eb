import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { ADMIN_SCOPE, ADMIN_TOOL, startOAuthFixture, type OAuthFixture } from './fixtures/oauth';
import { callAddInForm, connectThroughOAuth, fixtureUrl, shot, submitConnectForm } from './helpers';
import { ownerSigningKey, verifyOwner } from '@/lib/security';
import { loadOrCreateSecretKey, openStore, type Store, type StoredTokens } from '@/lib/store';

// The Session tab's Authorization panel, through the real UI, against a real authorization server (oidc-provider,
// auto-approving) protecting a real MCP server. The clear tokens are read from mcpscope's own encrypted store
// (the server's data directory, the owner this browser's signed cookie names), so the test can prove none of them
// reaches the page.

const port = process.env.MCPSCOPE_TEST_PORT as string;
const appOrigin = `http://localhost:${port}`;
// As playwright.config.ts starts the app.
const dataDir = path.resolve(`.data/e2e-${port}`);

let store: Store;
test.beforeAll(async () => {
  store = await openStore({ dataDir, databaseUrl: '', secretKey: '' });
});
test.afterAll(async () => {
  await store?.close();
});

let fx: OAuthFixture;
test.beforeEach(async () => {
  fx = await startOAuthFixture({ redirectUris: [`${appOrigin}/callback`] });
});
test.afterEach(async () => {
  await fx.close();
});

async function openSessionTab(page: Page) {
  await page.getByTestId('tab-session').click();
  await expect(page.getByTestId('auth-panel')).toBeVisible();
}

/** What the mcpscope server holds for this browser and server, in clear. */
/** The owner id the browser's cookie proves to the app (signed with a key derived from the app's secret key). */
async function ownerOf(page: Page): Promise<string | undefined> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'mcpscope_owner')?.value;
  return verifyOwner(cookie, ownerSigningKey(loadOrCreateSecretKey(dataDir)));
}

async function heldTokens(page: Page, resource: string): Promise<StoredTokens> {
  const owner = await ownerOf(page);
  expect(owner, 'the owner cookie').toBeTruthy();
  const tokens = await store.getTokens(owner as string, resource);
  // Said in full when it fails, so a miss can be told from a wrong owner or resource.
  const held = tokens ? '' : ` (this owner holds: ${JSON.stringify((await store.listTokens(owner as string)).map((t) => t.resource))})`;
  expect(tokens, `tokens in the store for ${resource}${held}`).toBeDefined();
  return tokens as StoredTokens;
}

const secretsOf = (tokens: StoredTokens): string[] => [tokens.accessToken, ...(tokens.refreshToken ? [tokens.refreshToken] : [])];

/** Neither the page nor anything the browser can ask the API for holds one of these in clear. */
async function expectNowhereInClear(page: Page, sessionId: string, secrets: string[]) {
  const bodies = [
    await page.content(),
    await page.evaluate(() => document.body.innerText),
    await (await page.request.get(`/api/sessions/${sessionId}/auth`)).text(),
    await (await page.request.get(`/api/sessions/${sessionId}`)).text(),
    await (await page.request.get('/api/tokens')).text(),
    await (await page.request.get(`/api/sessions/${sessionId}/log?format=json`)).text(),
  ];
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(8);
    for (const body of bodies) expect(body).not.toContain(secret);
  }
}

const sessionIdOf = (page: Page) => decodeURIComponent(new URL(page.url()).pathname.split('/')[2] as string);

test('the Authorization panel shows the OAuth token masked with its scopes and a live expiry; "Refresh now" renews it; no token in clear', async ({
  page,
}) => {
  await connectThroughOAuth(page, fx.mcpUrl);
  const id = sessionIdOf(page);
  await openSessionTab(page);
  const panel = page.getByTestId('auth-panel');

  await expect(panel.getByTestId('auth-method')).toHaveText('OAuth 2.1');
  await expect(panel.getByTestId('auth-issuer')).toContainText(fx.issuer);
  await expect(panel.getByTestId('auth-resource')).toContainText(fx.mcpUrl);
  await expect(panel.getByTestId('auth-client')).toContainText('dynamic client registration');
  await expect(panel.getByTestId('auth-scopes')).toContainText('mcp:read');
  await expect(panel.getByTestId('auth-scopes')).toContainText('mcp:write');
  await expect(panel.getByTestId('auth-token-health')).toHaveText('valid');
  await expect(panel.getByTestId('auth-last-refresh')).toContainText('none in this session');

  const first = await heldTokens(page, fx.mcpUrl);
  const access = panel.getByTestId('auth-access-token');
  await expect(access).toHaveText(`••••${first.accessToken.slice(-4)}`);
  await expect(panel.getByTestId('auth-refresh-token')).toHaveText(`••••${(first.refreshToken as string).slice(-4)}`);
  // The expiry counts down while one watches (the fixture's tokens live an hour).
  const expiry = panel.getByTestId('auth-expiry');
  await expect(expiry).toContainText(/in (59 min|1 h 00 min) \d\d s/);
  const shown = await expiry.innerText();
  await expect(expiry).not.toHaveText(shown, { timeout: 3000 });
  await expectNowhereInClear(page, id, secretsOf(first));

  const refreshesBefore = fx.events.filter((event) => event.kind === 'refresh').length;
  await panel.getByTestId('auth-refresh').click();
  await expect(panel.getByTestId('auth-action-result')).toHaveAttribute('data-tone', 'ok');
  await expect(panel.getByTestId('auth-action-result')).toContainText('Refreshed: new access token ••••');
  const second = await heldTokens(page, fx.mcpUrl);
  expect(second.accessToken).not.toBe(first.accessToken);
  expect(second.refreshToken).not.toBe(first.refreshToken);
  await expect(access).toHaveText(`••••${second.accessToken.slice(-4)}`);
  await expect(panel.getByTestId('auth-refresh-token')).toHaveText(`••••${(second.refreshToken as string).slice(-4)}`);
  await expect(panel.getByTestId('auth-last-refresh')).toContainText(/ok.*(\d+ s ago|now)/);
  await expect(panel.getByTestId('auth-last-refresh')).toContainText('rotated');
  expect(fx.events.filter((event) => event.kind === 'refresh').length).toBe(refreshesBefore + 1);
  await expectNowhereInClear(page, id, [...secretsOf(first), ...secretsOf(second)]);

  // The session goes on with the new token; the timeline shows the refresh.
  await callAddInForm(page, 40, 2);
  await page.getByTestId('tab-timeline').click();
  await expect(page.getByTestId('timeline-phase-oauth:refresh').last()).toHaveAttribute('data-status', 'ok');
});

test('step up, re-authorize and forget from the panel, each with its outcome', async ({ page }) => {
  await connectThroughOAuth(page, fx.mcpUrl);
  const id = sessionIdOf(page);
  // A call that needs more scope: the panel shows the need and fills the step-up in.
  await page.getByTestId('tab-tools').click();
  await page.getByTestId('tool-search').fill(ADMIN_TOOL);
  await page.getByTestId(`tool-item-${ADMIN_TOOL}`).click();
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('step-up-banner')).toBeVisible();
  await openSessionTab(page);
  const panel = page.getByTestId('auth-panel');
  await expect(panel.getByTestId('auth-need')).toContainText(ADMIN_SCOPE);
  await expect(panel.getByTestId('auth-step-up-scopes')).toHaveValue(new RegExp(ADMIN_SCOPE));
  await page.screenshot({ path: shot('auth-panel-step-up.png') });

  await panel.getByTestId('auth-step-up').click();
  await expect(page).toHaveURL(new RegExp(`/inspect/${id}$`));
  await expect(page.getByTestId('server-name')).toBeVisible();
  await expect(page.getByTestId('step-up-banner')).toHaveCount(0);
  await openSessionTab(page);
  await expect(panel.getByTestId('auth-scopes')).toContainText(ADMIN_SCOPE);
  const afterStepUp = await heldTokens(page, fx.mcpUrl);
  await expect(panel.getByTestId('auth-access-token')).toHaveText(`••••${afterStepUp.accessToken.slice(-4)}`);
  expect(
    fx.events
      .filter((event) => event.kind === 'authorization')
      .at(-1)
      ?.detail.scope?.split(' '),
  ).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write', ADMIN_SCOPE]));

  // Re-authorize: a round trip to the authorization server with the same client, a new token.
  const authorizations = fx.events.filter((event) => event.kind === 'authorization').length;
  await panel.getByTestId('auth-reauthorize').click();
  await expect(page).toHaveURL(new RegExp(`/inspect/${id}$`));
  await openSessionTab(page);
  await expect.poll(() => fx.events.filter((event) => event.kind === 'authorization').length).toBe(authorizations + 1);
  // The authorization server counts the authorization before mcpscope has exchanged the code: wait for the store.
  await expect.poll(async () => (await heldTokens(page, fx.mcpUrl)).accessToken).not.toBe(afterStepUp.accessToken);
  const afterReauthorize = await heldTokens(page, fx.mcpUrl);
  await expect(panel.getByTestId('auth-access-token')).toHaveText(`••••${afterReauthorize.accessToken.slice(-4)}`);
  await expectNowhereInClear(page, id, [...secretsOf(afterStepUp), ...secretsOf(afterReauthorize)]);

  // Forget: the store no longer holds them, and the panel says so.
  await panel.getByTestId('auth-forget').click();
  await expect(panel.getByTestId('auth-action-result')).toContainText('Forgotten');
  await expect(panel.getByTestId('auth-no-token')).toBeVisible();
  await expect(panel.getByTestId('auth-refresh')).toBeDisabled();
  const owner = (await ownerOf(page)) as string;
  expect(owner, 'the owner cookie').toBeTruthy();
  expect(await store.getTokens(owner, fx.mcpUrl)).toBeUndefined();
});

test('refreshing the tools list with an expired token refreshes it first, as a call does', async ({ page }) => {
  await connectThroughOAuth(page, fx.mcpUrl);
  const before = await heldTokens(page, fx.mcpUrl);
  fx.expireAccessTokens();
  const rejected = fx.stats.rejectedTokens;
  await page.getByTestId('tab-tools').click();
  await page.getByTestId('tools-refresh').click();
  await expect.poll(() => fx.stats.rejectedTokens).toBe(rejected + 1);
  await expect(page.getByTestId(`tool-item-${ADMIN_TOOL}`)).toBeVisible();
  await expect(page.getByTestId('session-banner')).toHaveCount(0);
  expect((await heldTokens(page, fx.mcpUrl)).accessToken).not.toBe(before.accessToken);
  await openSessionTab(page);
  await expect(page.getByTestId('auth-last-refresh')).toContainText('ok');
});

test('an API-key session: the panel names the header and shows its value masked, as sent', async ({ page }) => {
  const apiKey = 'canary-panel-apikey-5d1e7b3f9a2c';
  await submitConnectForm(page, fixtureUrl('stateful'), { header: { name: 'X-Api-Key', value: apiKey } });
  await expect(page.getByTestId('server-name')).toBeVisible();
  await openSessionTab(page);
  const panel = page.getByTestId('auth-panel');
  await expect(panel.getByTestId('auth-method')).toHaveText('API key header');
  await expect(panel.getByTestId('auth-sent')).toContainText(`X-Api-Key: ••••${apiKey.slice(-4)}`);
  await expect(panel.getByTestId('auth-refresh')).toHaveCount(0);
  expect(await page.content()).not.toContain(apiKey);
});

test('the Authorization panel, as a person sees it (light and dark)', async ({ page }) => {
  await connectThroughOAuth(page, fx.mcpUrl);
  await openSessionTab(page);
  await page.getByTestId('auth-refresh').click();
  await expect(page.getByTestId('auth-action-result')).toContainText('Refreshed');
  await page.screenshot({ path: shot('auth-panel-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await openSessionTab(page);
  await expect(page.getByTestId('auth-access-token')).toHaveText(/^••••.{4}$/);
  await expect(page.locator('html')).toHaveClass(/dark/);
  await page.screenshot({ path: shot('auth-panel-dark.png') });
});
