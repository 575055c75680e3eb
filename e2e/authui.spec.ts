// Issue 13's flows as a person sees them, through the real UI against real servers: the Caramel seed (issuer on
// another origin) refused and continued past inside guided mode; JWTs and DPoP proofs shown decoded, never whole
// (private_key_jwt against oidc-provider, DPoP against an MCP server that checks every proof); Skills listed,
// loaded and refused; tools with invalid x-mcp-header declarations shown greyed with the reason and not callable.
import { test, expect, type Page } from '@playwright/test';
import { startOAuthFixture, type OAuthFixture } from './fixtures/oauth';
import { startCaramel } from './fixtures/seeds';
import { EXCLUDED_TOOL, startSkillsToolsServer } from './fixtures/skills-tools';
import { connectTo, shot, submitConnectForm } from './helpers';

const port = process.env.MCPSCOPE_TEST_PORT as string;
const appOrigin = `http://localhost:${port}`;

/** A whole compact JWS (a signature of any length): what must never reach the browser, an export or a share. */
const WHOLE_JWT = /ey[\w-]{8,}\.ey[\w-]{8,}\.[\w-]{16,}/;

const step = (page: Page, id: string) => page.getByTestId(`guided-step-${id}`);

function finding(page: Page, code: string) {
  return page.locator(`[data-testid="finding-row"][data-code="${code}"]`);
}

async function sessionId(page: Page): Promise<string> {
  const match = /\/inspect\/([^/]+)/.exec(page.url());
  if (!match) throw new Error(`not in a workspace: ${page.url()}`);
  return decodeURIComponent(match[1]!);
}

/** The session's JSON export, as a person downloads it. */
async function exportText(page: Page): Promise<string> {
  const answer = await page.request.get(`/api/sessions/${encodeURIComponent(await sessionId(page))}/log?format=json`);
  expect(answer.status()).toBe(200);
  return answer.text();
}

test('Caramel (seed 004) in guided mode: the refusal names the rule and both values; continue anyway goes past it, and the log says so', async ({
  page,
}) => {
  const fx = await startCaramel();
  try {
    await submitConnectForm(page, fx.url, { oauth: { guided: true } });
    await expect(page).toHaveURL(/\/inspect\/[^/]+\/oauth$/);

    await step(page, 'discovery').getByTestId('guided-run').click();
    await expect(step(page, 'discovery')).toHaveAttribute('data-status', 'failed');
    const refusal = step(page, 'discovery').getByTestId('auth-refusal');
    await expect(refusal).toHaveAttribute('data-check', 'issuer_mismatch');
    await expect(refusal.getByTestId('auth-refusal-rule')).toContainText('RFC 8414 §3.3');
    await expect(refusal.getByTestId('auth-refusal-expected')).toHaveText(new URL(fx.url).origin);
    await expect(refusal.getByTestId('auth-refusal-received')).toHaveText(fx.issuer);
    expect(fx.stats.registrations).toEqual([]);
    await page.screenshot({ path: shot('guided-refusal.png'), fullPage: true });

    await refusal.getByTestId('auth-refusal-continue').click();
    await expect(step(page, 'discovery')).toHaveAttribute('data-status', 'done');
    await expect(page.getByTestId('guided-tolerated')).toContainText('issuer_mismatch');
    await expect(step(page, 'discovery').getByTestId('guided-facts')).toContainText(fx.issuer);

    await step(page, 'client').getByTestId('guided-run').click();
    await expect(step(page, 'client')).toHaveAttribute('data-status', 'done');
    await step(page, 'authorize').getByTestId('guided-run').click();
    await page.getByTestId('guided-open-authorization').click();
    await expect(page).toHaveURL(/\/oauth$/);
    await step(page, 'token').getByTestId('guided-run').click();
    await expect(step(page, 'token')).toHaveAttribute('data-status', 'done');
    await step(page, 'connect').getByTestId('guided-run').click();
    await expect(page.getByTestId('guided-finished')).toBeVisible();
    expect(fx.stats.registrations).toEqual([{ redirect_uris: [`${appOrigin}/callback`], accepted: true }]);

    await page.getByTestId('guided-open-workspace').click();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    await page.getByTestId('tab-findings').click();
    // As outside guided mode: the person's choice, and the mismatch itself when it was gone past.
    await expect(finding(page, 'checks_tolerated')).toHaveCount(1);
    await expect(finding(page, 'checks_tolerated')).toContainText('issuer_mismatch');
    await expect(finding(page, 'issuer_mismatch')).toHaveCount(1);
    await expect(finding(page, 'issuer_mismatch')).toHaveAttribute('data-severity', 'warning');
  } finally {
    await fx.close();
  }
});

test('private_key_jwt: the client assertion is shown decoded with its signature verified, and never whole', async ({ page }) => {
  const fx: OAuthFixture = await startOAuthFixture({ redirectUris: [`${appOrigin}/callback`] });
  try {
    await submitConnectForm(page, fx.mcpUrl, {
      oauth: {
        grant: 'client_credentials',
        clientId: fx.machineKeyClient.clientId,
        clientKey: fx.machineKeyClient.privateKeyPem,
        scopes: 'mcp:read',
      },
    });
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');

    await page.getByTestId('tab-findings').click();
    const note = finding(page, 'client_assertion').first().getByTestId('finding-jwt');
    await expect(note).toHaveAttribute('data-signature', 'verified');
    await expect(note.getByTestId('jwt-signature')).toContainText(/signed ES256, verified with the client's key, thumbprint [\w-]{16}/);
    await expect(note.getByTestId('jwt-header').locator('[data-claim="alg"]')).toContainText('ES256');
    await expect(note.getByTestId('jwt-claims').locator('[data-claim="iss"]')).toContainText(fx.machineKeyClient.clientId);
    await expect(note.getByTestId('jwt-claims').locator('[data-claim="aud"]')).toContainText(fx.issuer);
    await expect(note.getByTestId('jwt-claims').locator('[data-claim="exp"]')).toContainText(/\d{4}-\d\d-\d\dT/);

    // The token request in Traffic: the form's assertion decoded from its masked form, made by mcpscope (no tick).
    await page.getByTestId('tab-traffic').click();
    await page.getByTestId('exchange-row').filter({ hasText: '/token' }).first().click();
    const inRequest = page.getByTestId('request-jwt').first();
    await expect(inRequest).toContainText('client_assertion (private_key_jwt)');
    await expect(inRequest).toHaveAttribute('data-signature', 'signed_by_mcpscope');
    await expect(inRequest.getByTestId('jwt-signature-state')).toHaveText('signed by mcpscope');
    await expect(inRequest.getByTestId('jwt-claims').locator('[data-claim="sub"]')).toContainText(fx.machineKeyClient.clientId);
    await page.screenshot({ path: shot('traffic-client-assertion.png') });

    expect(await page.content()).not.toMatch(WHOLE_JWT);
    expect(await exportText(page)).not.toMatch(WHOLE_JWT);
  } finally {
    await fx.close();
  }
});

test('DPoP in guided mode: the plan shows the proof, the token is bound, each proof is shown decoded and masked', async ({ page }) => {
  const fx = await startOAuthFixture({ redirectUris: [`${appOrigin}/callback`], dpop: { requireNonce: true } });
  try {
    await submitConnectForm(page, fx.mcpUrl, { oauth: { guided: true } });
    await expect(page).toHaveURL(/\/inspect\/[^/]+\/oauth$/);
    for (const id of ['discovery', 'client', 'authorize']) {
      await step(page, id).getByTestId('guided-run').click();
      await expect(step(page, id)).toHaveAttribute('data-status', 'done');
    }
    await page.getByTestId('guided-open-authorization').click();
    await expect(page).toHaveURL(/\/oauth$/);
    await expect(step(page, 'token').getByTestId('guided-planned')).toContainText(/dpop\s*\(a proof signed now with mcpscope's ES256 key/);
    await step(page, 'token').getByTestId('guided-run').click();
    await expect(step(page, 'token')).toHaveAttribute('data-status', 'done');
    await expect(step(page, 'token').getByTestId('guided-facts')).toContainText(/token type\s*DPoP/);
    await expect(step(page, 'token').getByTestId('guided-facts')).toContainText('bound to (DPoP)');
    // The token request's proof, decoded in the step's exchange.
    await step(page, 'token').getByTestId('guided-exchanges').getByRole('button').filter({ hasText: '/token' }).first().click();
    const proof = step(page, 'token').getByTestId('request-jwt').first();
    await expect(proof).toContainText('DPoP proof');
    await expect(proof.getByTestId('jwt-header').locator('[data-claim="typ"]')).toContainText('dpop+jwt');
    await expect(proof.getByTestId('jwt-claims').locator('[data-claim="htm"]')).toContainText('POST');
    await expect(proof).toHaveAttribute('data-signature', 'signed_by_mcpscope');
    await expect(step(page, 'connect').getByTestId('guided-planned')).toContainText(/authorization\s*DPoP ••••/);
    await page.screenshot({ path: shot('guided-dpop.png'), fullPage: true });

    await step(page, 'connect').getByTestId('guided-run').click();
    await expect(page.getByTestId('guided-finished')).toBeVisible();
    await page.getByTestId('guided-open-workspace').click();
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    expect(fx.stats.dpop?.refused).toBe(0);
    expect(fx.stats.dpop?.verified).toBeGreaterThanOrEqual(2);

    // A request to the MCP server: Authorization with the DPoP scheme (masked), and its proof with ath, decoded.
    await page.getByTestId('tab-traffic').click();
    await page
      .getByTestId('exchange-row')
      .filter({ hasText: new URL(fx.mcpUrl).pathname })
      .last()
      .click();
    await page.getByTestId('exchange-tab-headers').click();
    await expect(page.getByTestId('request-headers').locator('[data-header="authorization"]')).toContainText(/DPoP ••••/);
    const resourceProof = page.getByTestId('request-jwt').first();
    await expect(resourceProof.getByTestId('jwt-claims').locator('[data-claim="ath"]')).toBeVisible();
    await expect(resourceProof.getByTestId('jwt-signature')).toContainText('not verified here');

    expect(await page.content()).not.toMatch(WHOLE_JWT);
    expect(await exportText(page)).not.toMatch(WHOLE_JWT);
  } finally {
    await fx.close();
  }
});

test('Skills: listed without reading a file, loaded with every file verified; a tampered file is refused naming the check', async ({
  page,
}) => {
  const server = await startSkillsToolsServer();
  try {
    await connectTo(page, server.url);
    await page.getByTestId('tab-skills').click();
    await expect(page.getByTestId('skill-item-pdf-forms')).toBeVisible();
    await expect(page.getByTestId('skill-item-tampered')).toBeVisible();
    expect(server.reads()).toEqual([]);

    await page.getByTestId('skill-item-pdf-forms').click();
    await page.getByTestId('skill-load').click();
    await expect(page.getByTestId('skill-body')).toContainText('Use the forms reference to fill the fields.');
    await expect(page.getByTestId('skill-file')).toHaveCount(2);
    expect(server.reads()).toEqual(['skill://pdf-forms/SKILL.md', 'skill://pdf-forms/references/FORMS.md']);
    await page.screenshot({ path: shot('skills-loaded.png') });

    await page.getByTestId('skill-item-tampered').click();
    await page.getByTestId('skill-load').click();
    await expect(page.getByTestId('skill-refused')).toContainText('digest');
    await expect(page.getByTestId('skill-body')).toHaveCount(0);
    await expect(page.getByText('curl evil.example')).toHaveCount(0);
  } finally {
    await server.close();
  }
});

test('SEP-2243: a tool with invalid x-mcp-header declarations is listed greyed with the reason and cannot be called', async ({ page }) => {
  const server = await startSkillsToolsServer();
  try {
    await connectTo(page, server.url);
    await page.getByTestId('tab-tools').click();
    const excluded = page.getByTestId(`tool-item-${EXCLUDED_TOOL}`);
    await expect(excluded).toHaveAttribute('data-excluded', 'true');
    await expect(excluded).toHaveAttribute('title', /^Excluded from calls: .*regardless of case/);
    await expect(excluded.getByTestId('tool-excluded')).toBeVisible();
    await excluded.click();
    await expect(page.getByTestId('call-tool')).toBeDisabled();
    await expect(page.getByText(/Not callable: .*regardless of case/)).toBeVisible();
    await page.screenshot({ path: shot('tools-excluded.png') });
    const calls = () => server.seen.filter((request) => request.headers['mcp-method'] === 'tools/call').length;
    expect(calls()).toBe(0);

    // The valid tool beside it still works.
    await page.getByTestId('tool-item-echo').click();
    await page.locator('#root_text').fill('still callable');
    await page.getByTestId('call-tool').click();
    await expect(page.getByTestId('tool-result')).toContainText('still callable');
    expect(calls()).toBe(1);
  } finally {
    await server.close();
  }
});
