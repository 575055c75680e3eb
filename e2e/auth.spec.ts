import { test, expect, type Page } from '@playwright/test';
import { ADMIN_TOOL, PUBLIC_CLIENT_ID, startOAuthFixture, type OAuthFixture, type OAuthFixtureOptions } from './fixtures/oauth';
import { connectThroughOAuth, fixtureUrl, shot, submitConnectForm } from './helpers';

// OAuth through the real UI: a real authorization server (oidc-provider, auto-approving) protects a real MCP
// server; the browser goes to it and comes back to /callback like a person's would.

const port = process.env.MCPSCOPE_TEST_PORT as string;
const appOrigin = `http://localhost:${port}`;

/** A fixture only this spec uses (it needs to expire tokens, or a short token lifetime). */
async function ownFixture(options: OAuthFixtureOptions = {}): Promise<OAuthFixture> {
  return startOAuthFixture({ ...options, redirectUris: [`${appOrigin}/callback`] });
}

async function callTool(page: Page, name: string, args: Record<string, string> = {}) {
  await page.getByTestId('tab-tools').click();
  await page.getByTestId('tool-search').fill(name);
  await page.getByTestId(`tool-item-${name}`).click();
  for (const [field, value] of Object.entries(args)) await page.locator(`#root_${field}`).fill(value);
  await page.getByTestId('call-tool').click();
}

async function expectPhase(page: Page, name: string, status = 'ok') {
  await page.getByTestId('tab-timeline').click();
  await expect(page.getByTestId(`timeline-phase-${name}`).last()).toHaveAttribute('data-status', status);
}

test('a 401 starts OAuth by itself: discovery from WWW-Authenticate, registration, PKCE, callback, connected', async ({ page }) => {
  await connectThroughOAuth(page, fixtureUrl('oauth'));
  await callTool(page, 'whoami');
  await expect(page.getByTestId('tool-result')).toContainText('mcp:read mcp:write');

  for (const name of [
    'oauth:resource-metadata',
    'oauth:server-metadata',
    'oauth:registration',
    'oauth:authorize',
    'oauth:callback',
    'oauth:token',
  ]) {
    await expectPhase(page, name);
  }
  // The authorization request carried PKCE S256 and the resource indicator (the traffic shows the registration too).
  await page.getByTestId('tab-traffic').click();
  await expect(
    page
      .getByTestId('exchange-row')
      .filter({ hasText: /register|reg/ })
      .first(),
  ).toBeVisible();

  // The tokens screen lists the token masked, and forgets it.
  await page.goto('/tokens');
  const row = page.getByTestId('token-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(fixtureUrl('oauth'));
  await expect(row).toContainText('mcp:read');
  await expect(row.getByTestId('token-access')).toHaveText(/^••••.{4}$/);
  await expect(row.getByTestId('token-expiry')).toContainText(/in \d+ (min|h)/);
  await page.getByTestId('token-forget').click();
  await expect(page.getByTestId('tokens-empty')).toBeVisible();
});

test('a pre-registered client: the client ID entered is used, no registration', async ({ page }) => {
  await submitConnectForm(page, fixtureUrl('oauth'), { oauth: { clientId: PUBLIC_CLIENT_ID, scopes: 'mcp:read' } });
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
  await expect(page).toHaveURL(/\/inspect\/[^/]+$/);
  await expect(page.getByTestId('server-name')).toBeVisible();
  await callTool(page, 'whoami');
  await expect(page.getByTestId('tool-result')).toContainText(new RegExp(`"client_id":\\s*"${PUBLIC_CLIENT_ID}"`));
  await page.getByTestId('tab-timeline').click();
  await expect(page.getByTestId('timeline-phase-oauth:client')).toContainText(`pre-registered client ${PUBLIC_CLIENT_ID}`);
  await expect(page.getByTestId('timeline-phase-oauth:registration')).toHaveCount(0);
});

test('scope step-up: a 403 insufficient_scope asks to authorize again with the union of scopes, then the call works', async ({ page }) => {
  await connectThroughOAuth(page, fixtureUrl('oauth'));
  await callTool(page, ADMIN_TOOL);
  const banner = page.getByTestId('step-up-banner');
  await expect(banner).toContainText('mcp:admin');
  const link = page.getByTestId('step-up-link');
  const scope = new URL((await link.getAttribute('href')) as string).searchParams.get('scope')?.split(' ');
  expect(scope).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write', 'mcp:admin']));
  await expectPhase(page, 'oauth:step-up');

  await link.click();
  await expect(page).toHaveURL(/\/inspect\/[^/]+$/);
  await expect(page.getByTestId('server-name')).toBeVisible();
  await expect(page.getByTestId('step-up-banner')).toHaveCount(0);
  await callTool(page, ADMIN_TOOL);
  await expect(page.getByTestId('tool-result')).toContainText('admin action done');
});

test('refresh with rotation: after a short token lifetime a call still works, and the timeline shows the refresh', async ({ page }) => {
  const fx = await ownFixture({ accessTokenTtlSeconds: 4 });
  try {
    await connectThroughOAuth(page, fx.mcpUrl);
    await page.waitForTimeout(2500);
    await callTool(page, 'add', { a: '19', b: '23' });
    await expect(page.getByTestId('tool-result')).toContainText('42');
    await expectPhase(page, 'oauth:refresh');
    await expect(page.getByTestId('timeline-phase-oauth:refresh').last()).toContainText(/rotated/);
    expect(fx.events.filter((e) => e.kind === 'refresh').length).toBeGreaterThan(0);
  } finally {
    await fx.close();
  }
});

test('JSON-RPC -32001 (token expired) is refreshed and retried exactly once', async ({ page }) => {
  const fx = await ownFixture({ expiredTokenStyle: 'jsonrpc-32001' });
  try {
    await connectThroughOAuth(page, fx.mcpUrl);
    fx.expireAccessTokens();
    const rejected = fx.stats.rejectedTokens;
    await callTool(page, 'add', { a: '2', b: '3' });
    await expect(page.getByTestId('tool-result')).toContainText('5');
    expect(fx.stats.rejectedTokens).toBe(rejected + 1);
    await expectPhase(page, 'oauth:refresh');
    await page.getByTestId('tab-findings').click();
    await expect(page.getByText(/JSON-RPC error -32001/).first()).toBeVisible();
  } finally {
    await fx.close();
  }
});

test('guided mode: each step shows what it will send, runs on request and shows the answer', async ({ page }) => {
  await submitConnectForm(page, fixtureUrl('oauth'), { oauth: { guided: true } });
  await expect(page).toHaveURL(/\/inspect\/[^/]+\/oauth$/);

  const step = (id: string) => page.getByTestId(`guided-step-${id}`);
  await expect(step('discovery')).toHaveAttribute('data-status', 'ready');
  await expect(step('discovery').getByTestId('guided-planned')).toContainText('/.well-known/oauth-protected-resource/mcp');
  await expect(step('client')).toHaveAttribute('data-status', 'pending');
  await step('discovery').getByTestId('guided-run').click();
  await expect(step('discovery')).toHaveAttribute('data-status', 'done');
  await expect(step('discovery').getByTestId('guided-facts')).toContainText('token endpoint');
  await expect(step('discovery').getByTestId('guided-exchanges')).toContainText('200');

  await expect(step('client')).toHaveAttribute('data-status', 'ready');
  await expect(step('client')).toContainText(/POST|No request/);
  await step('client').getByTestId('guided-run').click();
  await expect(step('client')).toHaveAttribute('data-status', 'done');
  await expect(step('client').getByTestId('guided-facts')).toContainText('client_id');

  // Edit the scopes before the authorization request is built.
  await expect(step('authorize').getByTestId('guided-planned')).toContainText('code_challenge_method');
  await page.getByTestId('guided-scopes').fill('mcp:read');
  await step('authorize').getByTestId('guided-run').click();
  await expect(step('authorize')).toHaveAttribute('data-status', 'done');
  await expect(step('token')).toHaveAttribute('data-status', 'waiting');
  const open = page.getByTestId('guided-open-authorization');
  expect(new URL((await open.getAttribute('href')) as string).searchParams.get('scope')).toBe('mcp:read');
  await open.click();

  // Back from the authorization server: the code waits for the token step.
  await expect(page).toHaveURL(/\/oauth$/);
  await expect(step('token')).toHaveAttribute('data-status', 'ready');
  await expect(step('token').getByTestId('guided-planned')).toContainText('authorization_code');
  await expect(step('token').getByTestId('guided-planned')).toContainText('code_verifier');
  await step('token').getByTestId('guided-run').click();
  await expect(step('token')).toHaveAttribute('data-status', 'done');
  await expect(step('token').getByTestId('guided-facts')).toContainText(/••••/);

  await step('connect').getByTestId('guided-run').click();
  await expect(page.getByTestId('guided-finished')).toBeVisible();
  await page.getByTestId('guided-open-workspace').click();
  await expect(page.getByTestId('server-name')).toBeVisible();
  await callTool(page, 'whoami');
  await expect(page.getByTestId('tool-result')).toContainText(/"scope":\s*"mcp:read"/);
});

test('an authorization server with only OpenID discovery (Keycloak style) connects', async ({ page }) => {
  await connectThroughOAuth(page, fixtureUrl('oauth-oidc'));
  await callTool(page, 'add', { a: '1', b: '2' });
  await expect(page.getByTestId('tool-result')).toContainText('3');
  // RFC 8414 URLs answer 404; the metadata comes from OpenID discovery appended to the realm path.
  await expectPhase(page, 'oauth:server-metadata');
  await expect(page.getByTestId('timeline-phase-oauth:server-metadata').first()).toHaveAttribute('data-status', 'skipped');
  await expect(page.getByText('/realms/mcpscope/.well-known/openid-configuration').first()).toBeVisible();
});

test('a bearer token and a custom header: sent, but never shown or returned in clear', async ({ page, request }) => {
  const bearer = 'canary-bearer-7f3a9c2e5b1d';
  const apiKey = 'canary-apikey-4e8b0d6f2a9c';
  await submitConnectForm(page, fixtureUrl('stateful'), { token: bearer, header: { name: 'X-Api-Key', value: apiKey } });
  await expect(page).toHaveURL(/\/inspect\//);
  await expect(page.getByTestId('server-name')).toBeVisible();
  const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] as string);

  // The traffic shows the headers, masked to their last 4 characters.
  await page.getByTestId('tab-traffic').click();
  await page.getByTestId('exchange-row').first().click();
  await expect(page.getByText(`••••${bearer.slice(-4)}`).first()).toBeVisible();

  const html = await page.content();
  expect(html).not.toContain(bearer);
  expect(html).not.toContain(apiKey);

  // The same browser (cookie) asking the API directly: summary, log download, the events stream.
  const summary = await page.request.get(`/api/sessions/${id}`);
  const summaryText = await summary.text();
  expect(summaryText).toContain('X-Api-Key');
  const bodies = [summaryText, await (await page.request.get(`/api/sessions/${id}/log?format=json`)).text()];
  const events = await page.evaluate(async (sessionId) => {
    const controller = new AbortController();
    const response = await fetch(`/api/sessions/${sessionId}/events`, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = Date.now() + 1500;
    while (Date.now() < until) {
      const next = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), until - Date.now()))]);
      if (!next || next.done) break;
      text += decoder.decode(next.value, { stream: true });
    }
    controller.abort();
    return text;
  }, id);
  expect(events).toContain('http.request');
  bodies.push(events);
  for (const body of bodies) {
    expect(body).not.toContain(bearer);
    expect(body).not.toContain(apiKey);
  }
  // Another browser sees nothing at all.
  expect((await request.get(`/api/sessions/${id}`)).status()).toBe(404);
});

test('opened at 127.0.0.1, the connect page moves to the public origin first (the OAuth cookie lives there)', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${port}/`);
  await expect(page).toHaveURL(`${appOrigin}/`);
  await expect(page.getByTestId('connect-url')).toBeVisible();
});

test('the authorization UI, as a person sees it', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('connect-url').fill(fixtureUrl('oauth'));
  await page.getByTestId('connect-oauth').check();
  await page.getByTestId('oauth-scopes').fill('mcp:read mcp:write');
  await page.getByTestId('oauth-guided').check();
  await page.screenshot({ path: shot('auth-connect.png') });
  await page.getByTestId('connect-submit').click();
  await expect(page.getByTestId('guided-step-discovery')).toHaveAttribute('data-status', 'ready');
  await page.getByTestId('guided-run').click();
  await expect(page.getByTestId('guided-step-client')).toHaveAttribute('data-status', 'ready');
  await page.screenshot({ path: shot('auth-guided.png') });

  await connectThroughOAuth(page, fixtureUrl('oauth'));
  await callTool(page, ADMIN_TOOL);
  await expect(page.getByTestId('step-up-banner')).toBeVisible();
  await page.screenshot({ path: shot('auth-step-up.png') });
  await page.goto('/tokens');
  await expect(page.getByTestId('token-row')).toHaveCount(1);
  await page.screenshot({ path: shot('auth-tokens.png') });

  // A typed bearer token the server refuses: OAuth does not start by itself, the banner offers it.
  await submitConnectForm(page, fixtureUrl('oauth-oidc'), { token: 'wrong-token-typed-by-hand' });
  await expect(page.getByTestId('start-oauth-form')).toBeVisible();
  await page.screenshot({ path: shot('auth-required.png') });
  await page.getByTestId('start-oauth').click();
  await expect(page).toHaveURL(/\/inspect\/[^/]+$/);
  await expect(page.getByTestId('server-name')).toBeVisible();
});
