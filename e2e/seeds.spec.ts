// The five real servers of shared/seeds, each as a fixture that behaves as its public doc says
// (e2e/fixtures/seeds), driven through mcpscope's UI: connected, authenticated, tools listed, a tool call that
// works, and each tolerated quirk named in the Findings tab.
import { test, expect, type Page } from '@playwright/test';
import {
  AQUEDUCT_TOKEN,
  CADDEY_CLIENT_ID,
  CADDEY_SCOPES,
  CARAMEL_SUBMIT_SCOPE,
  CARAMEL_SUBMIT_TOOL,
  OBSERVEE_API_KEY,
  PRAISON_API_KEY,
  startAqueduct,
  startCaddey,
  startCaramel,
  startObservee,
  startPraisonAi,
} from './fixtures/seeds';
import { openTool, submitConnectForm } from './helpers';

const port = process.env.MCPSCOPE_TEST_PORT as string;
const appOrigin = `http://localhost:${port}`;

async function callTool(page: Page, name: string, args: Record<string, string> = {}): Promise<void> {
  await openTool(page, name);
  for (const [field, value] of Object.entries(args)) await page.locator(`#root_${field}`).fill(value);
  await page.getByTestId('call-tool').click();
}

async function expectConnected(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/inspect\/[^/]+$/);
  await expect(page.getByTestId('server-name')).toBeVisible();
  // The workspace opens while connecting (and before any trip to an authorization server): wait for the end of it.
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('connect-error')).toHaveCount(0);
}

function finding(page: Page, code: string) {
  return page.locator(`[data-testid="finding-row"][data-code="${code}"]`);
}

test('000 Caddey: legacy SSE with an absolute endpoint URL, OIDC login, a dropped stream resumed with Last-Event-ID', async ({ page }) => {
  const fx = await startCaddey({ redirectUris: [`${appOrigin}/callback`] });
  try {
    await submitConnectForm(page, fx.url, { oauth: { clientId: CADDEY_CLIENT_ID, scopes: CADDEY_SCOPES.join(' ') } });
    await expectConnected(page);

    // The first tools/call makes the server drop its stream before answering; the answer comes on the resumed one.
    await callTool(page, 'send_email', { to: 'someone@example.test', subject: 'Hello from Caddey', body: 'via MCP' });
    await expect(page.getByTestId('tool-result')).toContainText('Email "Hello from Caddey" sent to someone@example.test');
    expect(fx.stats.drops).toBe(1);
    expect(fx.stats.resumes).toBeGreaterThanOrEqual(1);
    expect(fx.stats.replayed).toBeGreaterThanOrEqual(1);
    await callTool(page, 'list_apps');
    await expect(page.getByTestId('tool-result')).toContainText('gmail, slack');

    // Every request got its answer: initialize, tools/list and both calls.
    await page.getByTestId('tab-messages').click();
    await expect(page.locator('[data-testid="rpc-row"][data-direction="in"][data-method="tools/call"]')).toHaveCount(2);

    await page.getByTestId('tab-findings').click();
    await expect(finding(page, 'legacy_fallback')).toHaveCount(1);
    await expect(finding(page, 'oidc_discovery_only')).toHaveCount(1);
    await expect(finding(page, 'stream_dropped')).toHaveCount(1);
    await expect(finding(page, 'stream_resumed').first()).toContainText('none is lost');
    // The drop is named once, from the wire: the SDK's own "SSE error: undefined" adds no finding.
    await expect(finding(page, 'client_error')).toHaveCount(0);
    await page.getByTestId('tab-timeline').click();
    await expect(page.getByText('/realms/caddey/.well-known/openid-configuration').first()).toBeVisible();
  } finally {
    await fx.close();
  }
});

test('001 Observee: bearer API key, initialize as an event stream, JSON tool answers, namespaced tools grouped', async ({ page }) => {
  const fx = await startObservee();
  try {
    await submitConnectForm(page, fx.url, { token: OBSERVEE_API_KEY });
    await expectConnected(page);

    await page.getByTestId('tab-tools').click();
    const gmail = page.getByRole('group', { name: 'Gmail' });
    const everything = page.getByRole('group', { name: 'Everything' });
    await expect(gmail.getByTestId('tool-item-Gmail__search_emails')).toBeVisible();
    await expect(gmail.getByTestId('tool-item-Gmail__send_email')).toBeVisible();
    await expect(everything.getByTestId('tool-item-Everything__add')).toBeVisible();

    await callTool(page, 'Everything__add', { a: '5', b: '2' });
    await expect(page.getByTestId('tool-result')).toContainText('The sum of 5 and 2 is 7.');

    await page.getByTestId('tab-traffic').click();
    // initialize came back as an event stream, the notification as 202 with no body, the rest as JSON.
    const rows = page.getByTestId('exchange-row').filter({ hasText: /POST\s*\/mcp/ });
    const streamed = rows.filter({ has: page.getByTestId('stream-badge').filter({ hasText: /^SSE ·/ }) });
    await expect(streamed.filter({ hasText: 'event-stream' })).toHaveCount(1);
    await expect(streamed.getByTestId('exchange-methods')).toHaveText('initialize');
    await expect(rows.filter({ hasText: /202\s*0 B/ })).toHaveCount(1);
    await expect(rows.filter({ hasText: /200\s*json/ })).toHaveCount(2);
    await page.getByTestId('tab-findings').click();
    await expect(finding(page, 'no_get_stream')).toHaveCount(1);
    await expect(page.locator('[data-testid="finding-row"][data-severity="error"]')).toHaveCount(0);
  } finally {
    await fx.close();
  }
});

test('002 PraisonAI: /sse + /messages/ with X-API-Key, answers in the POST body shown, JSON-RPC errors named', async ({ page }) => {
  const fx = await startPraisonAi();
  try {
    await submitConnectForm(page, fx.url, { header: { name: 'X-API-Key', value: PRAISON_API_KEY } });
    await expectConnected(page);

    await callTool(page, 'search', { query: 'AI news' });
    await expect(page.getByTestId('tool-result')).toContainText('Results for: AI news');
    expect(fx.stats.bodyAnswers).toBeGreaterThanOrEqual(3);

    // -32603 from the server: the Messages tab names the code.
    await callTool(page, 'execute_assistant_task', { prompt: 'crash' });
    await page.getByTestId('tab-messages').click();
    await expect(page.getByTestId('rpc-row').filter({ hasText: 'tools/call' }).filter({ hasText: 'Internal error' }).first()).toBeVisible();

    // The POST /messages/ response carried the JSON-RPC answer in its body, and the Traffic tab shows it.
    await page.getByTestId('tab-traffic').click();
    // Answers in order: initialize, tools/list, search, the failed call.
    await page
      .getByTestId('exchange-row')
      .filter({ hasText: '/messages/' })
      .filter({ hasText: /200\s*json/ })
      .nth(2)
      .click();
    await page.getByRole('tab', { name: 'Response' }).click();
    await page.getByRole('button', { name: 'Raw' }).click();
    await expect(page.getByText(/Results for: AI news/).first()).toBeVisible();

    // Both copies of each answer (stream and POST body) are shown against their request, and the quirk named once.
    await page.getByTestId('tab-messages').click();
    await expect(page.locator('[data-testid="rpc-row"][data-direction="in"][data-method="tools/call"]')).toHaveCount(4);
    await expect(page.locator('[data-testid="rpc-row"][data-direction="in"][data-method=""]')).toHaveCount(0);
    await page.getByTestId('tab-findings').click();
    await expect(finding(page, 'answer_in_post_body')).toContainText('in the body of the POST');
    await expect(finding(page, 'duplicate_response_id')).toHaveCount(0);
    await expect(finding(page, 'legacy_fallback')).toHaveCount(1);
  } finally {
    await fx.close();
  }
});

test('003 Aqueduct gateway: /mcp-servers/{name}/mcp, server requests on the GET stream answered, DELETE on disconnect', async ({
  page,
}) => {
  const fx = await startAqueduct();
  try {
    await submitConnectForm(page, fx.url, { token: AQUEDUCT_TOKEN });
    await expectConnected(page);

    const form = page.getByTestId('elicitation-form');
    await expect(form).toBeVisible();
    await expect(page.getByTestId('elicitation-message')).toContainText('project name');
    await form.locator('input[id$="_project"]').fill('apollo');
    await page.getByTestId('elicit-accept').click();
    await expect(page.getByTestId('pending-badge')).toHaveCount(0);

    await callTool(page, 'last_answers');
    const result = page.getByTestId('tool-result');
    await expect(result).toContainText('gw-roots-1');
    await expect(result).toContainText('apollo');
    await page.getByTestId('tab-messages').click();
    await expect(page.getByTestId('rpc-row').filter({ hasText: 'roots/list' }).first()).toBeVisible();

    await page.getByTestId('disconnect').click();
    await expect.poll(() => fx.stats.deletes).toBe(1);
    await page.getByTestId('tab-traffic').click();
    const del = page.getByTestId('exchange-row').filter({ hasText: 'DELETE' });
    await expect(del.filter({ hasText: '200' })).toHaveCount(1);
    await del.click();
    await page.getByRole('tab', { name: 'Response' }).click();
    await page.getByRole('button', { name: 'Raw' }).click();
    await expect(page.getByText(/Session terminated/).first()).toBeVisible();
    // The gateway closed its GET stream because we ended the session: that is not a finding about it.
    await page.getByTestId('tab-findings').click();
    await expect(finding(page, 'stream_dropped')).toHaveCount(0);
  } finally {
    await fx.close();
  }
});

test('004 Caramel: POST-only, OAuth with DCR allow-list and a foreign issuer (past the refusal, knowingly), -32001 refresh, scope_required step-up, "messsage"', async ({
  page,
}) => {
  const fx = await startCaramel();
  try {
    await submitConnectForm(page, fx.url);
    // The metadata's issuer is on another origin (RFC 8414 §3.3): refused by default, nothing registered yet.
    // Caramel works only through the explicit override: "Continue anyway for this session".
    const refusal = page.getByTestId('auth-refusal');
    await expect(refusal).toBeVisible();
    await expect(refusal).toHaveAttribute('data-check', 'issuer_mismatch');
    await expect(page.getByTestId('auth-refusal-rule')).toContainText('RFC 8414 §3.3');
    await expect(page.getByTestId('auth-refusal-expected')).toHaveText(new URL(fx.url).origin);
    await expect(page.getByTestId('auth-refusal-received')).toHaveText(fx.issuer);
    expect(fx.stats.registrations).toEqual([]);
    await page.getByTestId('auth-refusal-continue').click();
    await expectConnected(page);
    expect(fx.stats.registrations).toEqual([{ redirect_uris: [`${appOrigin}/callback`], accepted: true }]);
    expect(fx.stats.authorizations[0]?.code_challenge_method).toBe('S256');

    await callTool(page, 'caramel.v1.business.list');
    await expect(page.getByTestId('tool-result')).toContainText('Sweet Shop');

    // An expired token is answered with JSON-RPC -32001: refreshed (rotating) and retried once.
    fx.expireAccessTokens();
    await callTool(page, 'caramel.v1.meta.capabilities');
    await expect(page.getByTestId('tool-result')).toContainText('caramel.v1.business.list');
    expect(fx.stats.expiredTokenAnswers).toBe(1);
    expect(fx.stats.refreshes).toBe(1);
    expect(fx.stats.staleRefreshReuse).toBe(0);

    // A tool needing forms:write: 403 scope_required, re-authorization offered with the scope added.
    await callTool(page, CARAMEL_SUBMIT_TOOL, { form: 'contact' });
    await expect(page.getByTestId('step-up-banner')).toContainText(CARAMEL_SUBMIT_SCOPE);

    await page.getByTestId('tab-findings').click();
    // The override is in the log: the person's choice, and the mismatch itself each time it was gone past.
    await expect(finding(page, 'checks_tolerated')).toHaveCount(1);
    await expect(finding(page, 'issuer_mismatch')).toHaveCount(1);
    await expect(finding(page, 'no_get_stream')).toContainText('POST-only');
    await expect(finding(page, 'token_expired_jsonrpc')).toHaveCount(1);
    await expect(finding(page, 'oauth_error_misspelled_key').first()).toContainText('messsage');
    await expect(page.locator('[data-testid="finding-row"][data-severity="error"]')).toHaveCount(0);

    await page.getByTestId('step-up-link').click();
    await expectConnected(page);
    await callTool(page, CARAMEL_SUBMIT_TOOL, { form: 'contact' });
    await expect(page.getByTestId('tool-result')).toContainText('form contact submitted');
    expect(fx.stats.authorizations.at(-1)?.scope.split(' ')).toEqual(expect.arrayContaining(['meta:read', CARAMEL_SUBMIT_SCOPE]));
  } finally {
    await fx.close();
  }
});
