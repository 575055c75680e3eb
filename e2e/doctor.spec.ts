import { test, expect, type Page } from '@playwright/test';
import { adviceFor } from '../lib/doctor/advice';
import { DOCTOR_EXPECTED } from './fixtures/doctor-expected';
import { startSelfSigned } from './fixtures/self-signed';
import { fixtureUrl, serverForAll, submitConnectForm } from './helpers';

// The Connection Doctor through the app: every chaos behaviour it can see is diagnosed at the right step with its
// advice (through the API, each on its own session); in the browser, a failed connect offers Diagnose and the
// checklist links to Traffic; a slow connect can be diagnosed while it hangs; a self-signed certificate is
// explained and can be trusted for one run.

function chaos(path: string): string {
  return `${fixtureUrl('chaos')}${path}`;
}

interface Step {
  id: string;
  status: string;
  code?: string;
  advice?: string;
  exchangeIds: string[];
}

for (const [path, expected] of Object.entries(DOCTOR_EXPECTED)) {
  test(`doctor: chaos ${path} → ${expected.step} ${expected.status} (${expected.code})`, async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto('/');
    const created = await page.request.post('/api/sessions', { data: { url: chaos(path), wait: false, timeouts: { connectMs: 4_000 } } });
    expect(created.status()).toBe(202);
    const { id } = (await created.json()) as { id: string };
    // Diagnose once the connect is over, as the Diagnose button on a failed connect does.
    await expect
      .poll(async () => ((await (await page.request.get(`/api/sessions/${id}`)).json()) as { state: string }).state, { timeout: 30_000 })
      .not.toBe('connecting');
    const answer = await page.request.post(`/api/sessions/${id}/doctor`, { data: {}, timeout: 45_000 });
    expect(answer.status()).toBe(200);
    const { report } = (await answer.json()) as { report: { outcome: string; failedStep?: string; steps: Step[] } };
    const step = report.steps.find((candidate) => candidate.id === expected.step)!;
    expect(step.status, `${step.code}: ${JSON.stringify(step)}`).toBe(expected.status);
    expect(step.code).toBe(expected.code);
    expect(step.advice).toBe(adviceFor(expected.code));
    if (expected.status === 'fail') expect(report.failedStep).toBe(expected.step);
    // The step's exchanges are in the session's log, where Traffic reads them.
    const log = (await (await page.request.get(`/api/sessions/${id}/log?format=json`)).json()) as {
      events: Array<{ kind: string; exchangeId?: string }>;
    };
    const logged = new Set(log.events.filter((event) => event.kind === 'http.request').map((event) => event.exchangeId));
    for (const exchangeId of step.exchangeIds) expect(logged.has(exchangeId)).toBe(true);
  });
}

async function openFailedSession(page: Page, url: string): Promise<void> {
  await submitConnectForm(page, url);
  await expect(page).toHaveURL(/\/inspect\//);
}

test('a failed connect: Diagnose shows the checklist, stopped at the failing step, which links to Traffic', async ({ page }) => {
  await openFailedSession(page, chaos('/html-502'));
  await expect(page.getByTestId('connect-error')).toBeVisible();
  await page.getByTestId('diagnose').click();
  await expect(page.getByTestId('tab-audit')).toHaveAttribute('aria-selected', 'true');
  const report = page.getByTestId('doctor-report');
  await expect(report).toHaveAttribute('data-failed-step', 'http');
  const failing = page.locator('[data-testid="doctor-step"][data-step="http"]');
  await expect(failing).toHaveAttribute('data-status', 'fail');
  await expect(failing.getByTestId('doctor-advice')).toContainText(/proxy/);
  await expect(page.locator('[data-testid="doctor-step"][data-step="tcp"]')).toHaveAttribute('data-status', 'pass');
  await expect(page.locator('[data-testid="doctor-step"][data-step="list"]')).toHaveAttribute('data-status', 'skipped');
  await failing.getByTestId('doctor-exchange').first().click();
  await expect(page.getByTestId('tab-traffic')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('exchange-detail')).toContainText('502');
});

test('a connect that hangs can be diagnosed while it hangs', async ({ page }) => {
  test.setTimeout(90_000);
  await openFailedSession(page, chaos('/never'));
  await expect(page.getByTestId('session-banner')).toContainText('Connecting');
  await page.getByTestId('diagnose').click();
  await expect(page.getByTestId('doctor-running')).toBeVisible();
  const failing = page.locator('[data-testid="doctor-step"][data-step="http"]');
  await expect(failing).toHaveAttribute('data-code', 'no_response', { timeout: 40_000 });
  await expect(failing.getByTestId('doctor-advice')).toContainText(/never answered/);
});

test.describe('a self-signed https server', () => {
  const server = serverForAll(() => startSelfSigned(chaos('/ok')));

  test('is explained with its fingerprint, and trusted for one run on request', async ({ page }) => {
    await openFailedSession(page, server().url);
    await expect(page.getByTestId('connect-error')).toBeVisible();
    await page.getByTestId('diagnose').click();
    const tls = page.locator('[data-testid="doctor-step"][data-step="tls"]');
    await expect(tls).toHaveAttribute('data-code', 'tls_self_signed');
    await expect(tls).toContainText(server().fingerprint256);
    await page.getByTestId('doctor-trust').click();
    await expect(tls).toHaveAttribute('data-code', 'tls_self_signed_trusted');
    await expect(page.getByTestId('doctor-report')).toHaveAttribute('data-outcome', 'ok');
    await expect(page.locator('[data-testid="doctor-step"][data-step="list"]')).toHaveAttribute('data-status', 'pass');
  });
});
