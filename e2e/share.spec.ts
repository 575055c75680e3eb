// Sharing a session through the real browser: export (JSON, HAR), reopen a file in a fresh browser, share
// links (open, delete, expire), "copy as", and canary secrets that must never reach the browser.
import fs from 'node:fs';
import { test, expect, type BrowserContext, type Download, type Page, type Response } from '@playwright/test';
import { validateHar } from '@/lib/trace';
import { callAddInForm, fixtureUrl } from './helpers';

// Planted at connect: a bearer token and a custom header value. Masked at capture, they must appear nowhere.
const CANARY_TOKEN = 'canary-bearer-token-8c1f4e2a9b7d';
const CANARY_HEADER = 'canary-header-value-3e5a7c9d1f2b';

function expectNoCanary(text: string, where: string): void {
  expect(text.includes(CANARY_TOKEN), `${where} holds the canary bearer token`).toBe(false);
  expect(text.includes(CANARY_HEADER), `${where} holds the canary header value`).toBe(false);
  // Not even as a fragment longer than the 4 characters masking keeps.
  expect(text.includes(CANARY_TOKEN.slice(0, 12)), `${where} holds part of the canary token`).toBe(false);
  expect(text.includes(CANARY_HEADER.slice(0, 12)), `${where} holds part of the canary header`).toBe(false);
}

/** Every API response the browser receives (the live events stream is read separately). */
function recordResponses(context: BrowserContext): Array<Promise<{ url: string; text: string }>> {
  const seen: Array<Promise<{ url: string; text: string }>> = [];
  context.on('response', (response: Response) => {
    const type = response.headers()['content-type'] ?? '';
    if (!new URL(response.url()).pathname.startsWith('/api/') || type.includes('text/event-stream')) return;
    seen.push(
      response
        .text()
        .then((text) => ({ url: response.url(), text }))
        .catch(() => ({ url: response.url(), text: '' })),
    );
  });
  return seen;
}

async function connectWithCanaries(page: Page): Promise<string> {
  await page.goto('/');
  // Typing before React has hydrated the form would be lost (and the canaries never sent).
  await page.waitForLoadState('networkidle');
  await expect(async () => {
    if ((await page.getByTestId('header-name').count()) === 0) await page.getByTestId('add-header').click();
    await expect(page.getByTestId('header-name')).toBeVisible({ timeout: 1000 });
  }).toPass();
  await page.getByTestId('connect-url').fill(fixtureUrl('stateful'));
  await page.getByTestId('connect-token').fill(CANARY_TOKEN);
  await page.getByTestId('header-name').fill('X-Canary');
  await page.getByTestId('header-value').fill(CANARY_HEADER);
  await expect(page.getByTestId('connect-token')).toHaveValue(CANARY_TOKEN);
  await expect(page.getByTestId('header-value')).toHaveValue(CANARY_HEADER);
  await page.getByTestId('connect-submit').click();
  await expect(page).toHaveURL(/\/inspect\//);
  await expect(page.getByTestId('server-name')).toBeVisible();
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
}

async function download(page: Page, item: 'export-json' | 'export-har'): Promise<{ text: string; name: string; path: string }> {
  await page.getByTestId('export-menu').click();
  const [file]: [Download, void] = await Promise.all([page.waitForEvent('download'), page.getByTestId(item).click()]);
  const path = await file.path();
  return { text: fs.readFileSync(path, 'utf8'), name: file.suggestedFilename(), path };
}

/** The timeline's phases as `name:status`, in order. */
async function timelinePhases(page: Page): Promise<string[]> {
  await page.getByTestId('tab-timeline').click();
  await expect(page.getByTestId('timeline')).toBeVisible();
  const rows = page.locator('[data-testid^="timeline-phase-"]:not([data-testid="timeline-phase-error"])');
  return rows.evaluateAll((elements) =>
    elements.map(
      (element) => `${element.getAttribute('data-testid')?.slice('timeline-phase-'.length)}:${element.getAttribute('data-status')}`,
    ),
  );
}

/** The SSE events stream the workspace reads, for a moment: it must not carry the canaries either. */
async function readEventsStream(page: Page, sessionId: string): Promise<string> {
  return page.evaluate(async (id) => {
    const controller = new AbortController();
    const response = await fetch(`/api/sessions/${encodeURIComponent(id)}/events`, { signal: controller.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const stop = setTimeout(() => controller.abort(), 1500);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted: we have what arrived
    }
    clearTimeout(stop);
    return text;
  }, sessionId);
}

test('exports HAR and JSON, and both reopen in a fresh browser with the same timeline and events', async ({ page, browser }) => {
  const responses = recordResponses(page.context());
  const sessionId = await connectWithCanaries(page);
  await callAddInForm(page, 2, 40);
  // The canaries were sent, and the workspace shows them masked to their last 4 characters.
  await page.getByTestId('tab-traffic').click();
  await page.getByTestId('exchange-row').filter({ hasText: 'POST' }).first().click();
  await expect(page.getByTestId('request-headers')).toContainText(`Bearer ••••${CANARY_TOKEN.slice(-4)}`);
  await expect(page.getByTestId('request-headers')).toContainText(`••••${CANARY_HEADER.slice(-4)}`);
  const livePhases = await timelinePhases(page);
  expect(livePhases).toEqual(expect.arrayContaining(['connect:ok', 'tools/list:ok']));

  const har = await download(page, 'export-har');
  expect(har.name).toMatch(/^mcpscope-.+-\d{8}-\d{6}Z\.har$/);
  expectNoCanary(har.text, 'the HAR export');
  const harDoc = JSON.parse(har.text) as { log: { entries: unknown[] } };
  expect(validateHar(harDoc)).toEqual([]);
  const json = await download(page, 'export-json');
  expect(json.name).toMatch(/^mcpscope-.+\.json$/);
  expectNoCanary(json.text, 'the JSON export');
  const jsonDoc = JSON.parse(json.text) as { events: unknown[] };

  expectNoCanary(await page.content(), 'the workspace page');
  expectNoCanary(await readEventsStream(page, sessionId), 'the events stream');

  // A fresh browser: no cookie, no session. The files open there alone.
  const fresh = await browser.newContext();
  try {
    const viewer = await fresh.newPage();
    await viewer.goto('/');
    await viewer.getByTestId('import-file-input').setInputFiles(har.path);
    await expect(viewer).toHaveURL(/\/view$/);
    await expect(viewer.getByTestId('readonly-badge')).toHaveAttribute('data-source', 'file');
    await expect(viewer.getByTestId('server-name')).toHaveText('fixture-stateful');
    const harPhases = await timelinePhases(viewer);
    expect(harPhases).toEqual(expect.arrayContaining(livePhases));
    await viewer.getByTestId('tab-traffic').click();
    await expect(viewer.getByTestId('exchange-row')).toHaveCount(harDoc.log.entries.length);
    await viewer.getByTestId('tab-tools').click();
    await expect(viewer.getByTestId('tool-call-row').filter({ hasText: 'add' })).toBeVisible();
    await expect(viewer.getByTestId('tool-result')).toContainText('42');
    expectNoCanary(await viewer.content(), 'the HAR viewer');

    await viewer.goto('/');
    await viewer.getByTestId('import-file-input').setInputFiles(json.path);
    await expect(viewer).toHaveURL(/\/view$/);
    await expect(viewer.getByTestId('viewer-event-count')).toHaveAttribute('data-count', String(jsonDoc.events.length));
    expect(await timelinePhases(viewer)).toEqual(harPhases);
    // A reload keeps the file (it stays in this browser).
    await viewer.reload();
    await expect(viewer.getByTestId('viewer-event-count')).toHaveAttribute('data-count', String(jsonDoc.events.length));

    // A bad file says what is wrong, with a code.
    await viewer.goto('/');
    await viewer
      .getByTestId('import-file-input')
      .setInputFiles({ name: 'broken.har', mimeType: 'application/json', buffer: Buffer.from('{"log": ') });
    await expect(viewer.getByTestId('import-error-code')).toHaveText('invalid_json');
    await viewer
      .getByTestId('import-file-input')
      .setInputFiles({ name: 'other.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
    await expect(viewer.getByTestId('import-error-code')).toHaveText('unknown_file');
    await expect(viewer).toHaveURL(/\/$/);
  } finally {
    await fresh.close();
  }

  for (const { url, text } of await Promise.all(responses)) expectNoCanary(text, `the API response ${url}`);
});

test('shares a session: a fresh browser opens the link, the owner deletes it, and it says so', async ({ page, browser }) => {
  const responses = recordResponses(page.context());
  await connectWithCanaries(page);
  await callAddInForm(page, 2, 40);

  await page.getByTestId('share-open').click();
  const dialog = page.getByTestId('share-dialog');
  await expect(dialog.getByTestId('share-preview-stats')).toBeVisible();
  const total = Number(await dialog.getByTestId('share-preview-stats').getAttribute('data-events'));
  expect(total).toBeGreaterThan(10);
  // Only the tool call's exchange: the preview narrows to it before anything is sent.
  await dialog.getByTestId('share-mode-exchanges').check();
  await expect(dialog.getByTestId('share-problem')).toContainText('Choose at least one exchange');
  await dialog.getByTestId('share-mode-whole').check();
  await dialog.getByTestId('share-mask-arguments').check();
  await dialog.getByTestId('share-show-json').click();
  await expect(dialog.getByTestId('share-preview-json')).toContainText('"arguments": {\n');
  expectNoCanary(await dialog.getByTestId('share-preview-json').innerText(), 'the share preview');
  await dialog.getByTestId('share-create').click();
  const url = await dialog.getByTestId('share-url').inputValue();
  expect(url).toMatch(/\/share\/[A-Za-z0-9_-]{24}$/);
  await expect(dialog.getByTestId('share-expiry')).toContainText('Expires');

  const fresh = await browser.newContext();
  try {
    const visitor = await fresh.newPage();
    const shared = await visitor.request.get(url.replace('/share/', '/api/shares/'));
    expect(shared.status()).toBe(200);
    expectNoCanary(await shared.text(), 'the shared log');

    await visitor.goto(url);
    await expect(visitor.getByTestId('readonly-badge')).toHaveAttribute('data-source', 'share');
    await expect(visitor.getByTestId('server-name')).toHaveText('fixture-stateful');
    await expect(visitor.getByTestId('viewer-share-info')).toContainText('tool arguments masked');
    await expect(visitor.getByTestId('viewer-event-count')).toHaveAttribute('data-count', String(total));
    // Someone else's link: no delete button.
    await expect(visitor.getByTestId('share-page-delete')).toHaveCount(0);
    await visitor.getByTestId('tab-tools').click();
    await expect(visitor.getByTestId('tool-call-args')).toContainText('••••');
    await expect(visitor.getByTestId('tool-call-args')).not.toContainText('40');
    await expect(visitor.getByTestId('tool-result')).toContainText('42');
    await visitor.getByTestId('tab-timeline').click();
    await expect(visitor.getByTestId('timeline-phase-connect')).toHaveAttribute('data-status', 'ok');
    expectNoCanary(await visitor.content(), 'the share page');

    await dialog.getByTestId('share-delete').click();
    await expect(dialog.getByTestId('share-deleted-note')).toBeVisible();
    await visitor.reload();
    await expect(visitor.getByTestId('share-unavailable-code')).toHaveAttribute('data-code', 'share_deleted');
    await expect(visitor.getByTestId('share-unavailable')).toContainText('deleted');
  } finally {
    await fresh.close();
  }

  for (const { url: responseUrl, text } of await Promise.all(responses)) expectNoCanary(text, `the API response ${responseUrl}`);
});

test('an expired link says so, an unknown one says it does not exist, and the owner deletes from the page', async ({ page, browser }) => {
  const sessionId = await connectWithCanaries(page);
  const created = await page.request.post(`/api/sessions/${encodeURIComponent(sessionId)}/share`, { data: { expiresInSeconds: 1 } });
  expect(created.status()).toBe(201);
  const { url, expiresAt } = (await created.json()) as { url: string; expiresAt: number };

  // The owner's browser sees a Delete button on the page of a link it made.
  const kept = (await (
    await page.request.post(`/api/sessions/${encodeURIComponent(sessionId)}/share`, { data: { expiresInDays: 0.5 } })
  ).json()) as { url: string };
  const ownerPage = await page.context().newPage();
  await ownerPage.goto(kept.url);
  await expect(ownerPage.getByTestId('viewer-share-info')).toContainText('link expires');
  ownerPage.once('dialog', (dialog) => void dialog.accept());
  await ownerPage.getByTestId('share-page-delete').click();
  await expect(ownerPage.getByTestId('share-unavailable-code')).toHaveAttribute('data-code', 'share_deleted');

  await page.waitForTimeout(Math.max(0, expiresAt - Date.now()) + 300);

  const fresh = await browser.newContext();
  try {
    const visitor = await fresh.newPage();
    await visitor.goto(url);
    await expect(visitor.getByTestId('share-unavailable-code')).toHaveAttribute('data-code', 'share_expired');
    await expect(visitor.getByTestId('share-unavailable')).toContainText('expired');
    await visitor.goto('/share/AAAAAAAAAAAAAAAAAAAAAAAA');
    await expect(visitor.getByTestId('share-unavailable-code')).toHaveAttribute('data-code', 'share_not_found');
  } finally {
    await fresh.close();
  }
});

test('copies an exchange as curl, the handshake as a script and a tool call as TypeScript, secrets as variables', async ({ page }) => {
  await connectWithCanaries(page);
  await callAddInForm(page, 2, 40);

  await page.getByTestId('copy-ts').click();
  const snippet = page.getByTestId('ts-snippet-code');
  await expect(snippet).toContainText('callTool({ name: "add"');
  await expect(snippet).toContainText('env("TOKEN")');
  await expect(snippet).toContainText('"X-Canary": env("HEADER_X_CANARY")');

  await page.getByTestId('tab-traffic').click();
  await page.getByTestId('exchange-row').filter({ hasText: 'POST' }).first().click();
  await page.getByTestId('copy-curl').click();
  const curl = page.getByTestId('curl-panel-code');
  await expect(curl).toContainText('curl');
  await expect(curl).toContainText('Authorization: Bearer \'"$TOKEN"');
  await expect(page.getByTestId('copy-variable').filter({ hasText: 'TOKEN' }).first()).toBeVisible();
  expectNoCanary(await curl.innerText(), 'the curl command');

  await page.getByTestId('export-menu').click();
  await page.getByTestId('copy-handshake').click();
  const script = page.getByTestId('handshake-script');
  await expect(script).toContainText('#!/usr/bin/env bash');
  await expect(page.getByTestId('handshake-steps')).toContainText('initialize');
  expectNoCanary(await script.innerText(), 'the handshake script');
});
