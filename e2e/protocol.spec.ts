// The protocol beyond tools, through the real UI against server-everything (2025, stateful) and the
// built-in demo server (2026-07-28): resources, templates with completion, prompts, logging, the
// server's requests (elicitation, sampling, roots), list_changed, and tasks.
import { test, expect } from '@playwright/test';
import { connectTo, connectToDemo, fixtureUrl, openTool } from './helpers';

test('reads a text resource, previewed by its MIME type', async ({ page }) => {
  await connectTo(page, fixtureUrl('everything-streamable'));
  await page.getByTestId('tab-resources').click();
  await page.locator('[data-testid="resource-item"][data-uri="demo://resource/static/document/architecture.md"]').click();
  const content = page.getByTestId('resource-content');
  await expect(content).toHaveAttribute('data-kind', 'markdown');
  await expect(content.getByRole('heading', { name: /Everything Server/ })).toBeVisible();
  await page.getByTestId('tab-messages').click();
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'resources/read' })).toHaveCount(2);
});

test('a new resource appears after list_changed, and its binary contents show as a hex dump', async ({ page }) => {
  await connectTo(page, fixtureUrl('everything-streamable'));
  await page.getByTestId('tab-resources').click();
  await expect(page.getByTestId('resource-item')).not.toHaveCount(0);
  const gz = page.locator('[data-testid="resource-item"][data-uri="demo://resource/session/e2e.txt.gz"]');
  await expect(gz).toHaveCount(0);

  // The tool registers a session resource: the server sends notifications/resources/list_changed.
  await openTool(page, 'gzip-file-as-resource');
  await page.locator('#root_name').fill('e2e.txt.gz');
  await page.locator('#root_data').fill('data:text/plain;base64,SGVsbG8gZnJvbSB0aGUgbWNwc2NvcGUgZTJlIHRlc3Q=');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('tool-result')).toContainText('demo://resource/session/e2e.txt.gz');

  await page.getByTestId('tab-resources').click();
  await expect(page.getByTestId('resources-footer')).toContainText('1 list change');
  await gz.click();
  const content = page.getByTestId('resource-content');
  await expect(content).toHaveAttribute('data-kind', 'binary');
  await expect(content).toContainText('gzip data');
  await expect(page.getByTestId('hex-dump')).toContainText('00000000  1f 8b');
});

test('expands a template with completion suggestions and reads the result (2026-07-28 demo)', async ({ page }) => {
  await connectToDemo(page);
  await page.getByTestId('tab-resources').click();
  await page.getByTestId('resources-pane-templates').click();
  await page.locator('[data-testid="template-item"][data-uri-template="demo://greetings/{name}"]').click();
  await page.getByTestId('arg-name').fill('Gr');
  const option = page.getByTestId('completion-option').filter({ hasText: 'Grace' });
  await expect(option).toBeVisible();
  await option.click();
  await expect(page.getByTestId('arg-name')).toHaveValue('Grace');
  await expect(page.getByTestId('expanded-uri')).toHaveText('demo://greetings/Grace');
  await page.getByTestId('read-template').click();
  await expect(page.getByTestId('resource-content')).toContainText('Hello, Grace!');
  await page.getByTestId('tab-messages').click();
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'completion/complete' }).first()).toBeVisible();
});

test('gets a prompt with arguments filled from completions', async ({ page }) => {
  await connectTo(page, fixtureUrl('everything-streamable'));
  await page.getByTestId('tab-prompts').click();
  await page.getByTestId('prompt-item-completable-prompt').click();
  await page.getByTestId('arg-department').fill('Eng');
  await page.getByTestId('completion-option').filter({ hasText: 'Engineering' }).click();
  // The second argument's suggestions depend on the first (sent as completion context).
  await page.getByTestId('arg-name').click();
  await expect(page.getByTestId('completion-option')).toHaveText(['Alice', 'Bob', 'Charlie']);
  await page.getByTestId('completion-option').filter({ hasText: 'Bob' }).click();
  await page.getByTestId('get-prompt').click();
  const message = page.getByTestId('prompt-message');
  await expect(message).toHaveCount(1);
  await expect(message).toHaveAttribute('data-role', 'user');
  await expect(message).toContainText('Please promote Bob to the head of the Engineering team.');
});

test('sets the log level and sees the server’s log messages', async ({ page }) => {
  await connectTo(page, fixtureUrl('everything-streamable'));
  await page.getByTestId('tab-notifications').click();
  await page.getByTestId('log-level-select').selectOption('debug');
  await page.getByTestId('log-level-set').click();
  await expect(page.getByTestId('log-level-status')).toHaveText('logging/setLevel debug accepted');

  await openTool(page, 'toggle-simulated-logging');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('tool-result')).toBeVisible();
  await page.getByTestId('tab-notifications').click();
  const logRows = page.locator('[data-testid="notification-row"][data-kind="message"]');
  await expect(logRows.filter({ hasText: /level message - SessionId/ }).first()).toBeVisible();
  // The level filter hides messages below the chosen level.
  await page.getByTestId('log-filter-level').selectOption({ label: 'emergency' });
  for (const level of await logRows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-level'))))
    expect(level).toBe('emergency');
  await page.getByTestId('tab-messages').click();
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'logging/setLevel' })).toHaveCount(2);
  // Stop the simulated logging again.
  await openTool(page, 'toggle-simulated-logging');
  await page.getByTestId('call-tool').click();
});

test('answers an elicitation form: defaults applied, enums and multi-selects, accept', async ({ page }) => {
  await connectTo(page, fixtureUrl('everything-streamable'));
  await openTool(page, 'trigger-elicitation-request');
  await page.getByTestId('call-tool').click();

  await expect(page.getByTestId('pending-badge')).toContainText('1 request waiting');
  const form = page.getByTestId('elicitation-form');
  await expect(form).toBeVisible();
  await expect(form.locator('input[id$="_firstLine"]')).toHaveValue('It was a dark and stormy night.');
  await expect(form.locator('input[id$="_integer"]')).toHaveValue('42');
  await form.locator('input[id$="_name"]').fill('Ada Lovelace');
  await form.locator('select[id$="_titledSingleSelectEnum"]').selectOption({ label: 'Wonder Woman' });
  await form.locator('select[id$="_legacyTitledEnum"]').selectOption({ label: 'Birds' });
  await form.getByLabel('Piano').check();
  await form.getByLabel('Trout').check();
  await page.getByTestId('elicit-accept').click();

  const result = page.getByTestId('tool-result');
  await expect(result).toContainText('User provided the requested information');
  await expect(result).toContainText('Name: Ada Lovelace');
  await expect(result).toContainText('Favorite Integer: 42');
  await expect(result).toContainText('"titledSingleSelectEnum": "hero-3"');
  await expect(result).toContainText('"legacyTitledEnum": "pet-3"');
  await expect(result).toContainText(/"untitledMultipleSelectEnum": \[\s*"Guitar",\s*"Piano"\s*\]/);
  await expect(result).toContainText(/"titledMultipleSelectEnum": \[\s*"fish-1",\s*"fish-3"\s*\]/);
  await expect(page.getByTestId('pending-badge')).toHaveCount(0);

  // The request is part of the session log.
  await page.getByTestId('tab-timeline').click();
  await expect(page.getByText('server asks: elicitation/create').first()).toBeVisible();
});

test('declining an elicitation sends action decline', async ({ page }) => {
  await connectTo(page, fixtureUrl('everything-sse'), 'sse');
  await openTool(page, 'trigger-elicitation-request');
  await page.getByTestId('call-tool').click();
  await page.getByTestId('elicit-decline').click();
  await expect(page.getByTestId('tool-result')).toContainText('User declined');
});

test('answers a sampling request with a reply written by hand', async ({ page }) => {
  await connectTo(page, fixtureUrl('everything-streamable'));
  await openTool(page, 'trigger-sampling-request');
  await page.locator('#root_prompt').fill('Say hello');
  await page.getByTestId('call-tool').click();

  const request = page.getByTestId('sampling-request');
  await expect(request).toContainText('You are a helpful test server.');
  await expect(request.getByTestId('sampling-messages')).toContainText('Resource trigger-sampling-request context: Say hello');
  await page.getByTestId('sampling-reply-text').fill('Hello from a person!');
  await page.getByTestId('sampling-model').fill('human-1');
  await page.getByTestId('sampling-accept').click();

  const result = page.getByTestId('tool-result');
  await expect(result).toContainText('LLM sampling result');
  await expect(result).toContainText('Hello from a person!');
  await expect(result).toContainText('"model": "human-1"');
});

test('serves roots: the server asks, the list is edited, list_changed makes it ask again', async ({ page }) => {
  await connectTo(page, fixtureUrl('everything-streamable'));
  // server-everything asks for roots right after initialize; the empty list is answered automatically.
  await page.getByTestId('tab-notifications').click();
  await expect(page.getByTestId('notification-row').filter({ hasText: 'Roots updated: 0 root(s)' })).toBeVisible();

  await page.getByTestId('tab-session').click();
  await page.getByTestId('root-add').click();
  await page.getByTestId('root-uri').last().fill('file:///tmp/e2e-project');
  await page.getByTestId('root-name').last().fill('E2E project');
  await page.getByTestId('roots-save').click();
  await expect(page.getByTestId('roots-status')).toHaveText('Saved; notifications/roots/list_changed sent');

  await page.getByTestId('tab-notifications').click();
  await expect(page.getByTestId('notification-row').filter({ hasText: 'Roots updated: 1 root(s)' })).toBeVisible();
  await openTool(page, 'get-roots-list');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('tool-result')).toContainText('file:///tmp/e2e-project');
  await page.getByTestId('tab-messages').click();
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'notifications/roots/list_changed' })).toHaveCount(1);
});

test('runs a task to completion: status, tasks/get polling, tasks/result', async ({ page }) => {
  await connectTo(page, fixtureUrl('everything-streamable'));
  await openTool(page, 'simulate-research-query');
  await expect(page.getByTestId('call-as-task')).toBeChecked();
  await page.locator('#root_topic').fill('python');
  await page.getByTestId('call-tool').click();

  const panel = page.getByTestId('task-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('task-status-message')).toContainText(
    /Gathering sources|Analyzing content|Synthesizing findings|Generating report/,
  );
  await expect(panel).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
  await expect(page.getByTestId('task-result')).toContainText('Research Report: python');
  await page.getByTestId('tab-messages').click();
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'tasks/get' }).first()).toBeVisible();
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'tasks/result' })).toHaveCount(2);
});

test('a task that needs input asks through tasks/result, and finishes with the answer', async ({ page }) => {
  await connectTo(page, fixtureUrl('everything-streamable'));
  await openTool(page, 'simulate-research-query');
  await page.locator('#root_topic').fill('python');
  await page.locator('#root_ambiguous').check();
  await page.getByTestId('call-tool').click();

  const form = page.getByTestId('elicitation-form');
  await expect(form).toBeVisible({ timeout: 20_000 });
  await form.locator('select[id$="_interpretation"]').selectOption({ label: 'Python snake species' });
  await page.getByTestId('elicit-accept').click();
  await expect(page.getByTestId('task-panel')).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
  await expect(page.getByTestId('task-result')).toContainText('Research Report: python (snake)');
});

test('2026-07-28: an input_required elicitation reaches the panel; discover result and no ping', async ({ page }) => {
  await connectToDemo(page);
  await openTool(page, 'confirm_action');
  await page.getByTestId('call-tool').click();
  const card = page.getByTestId('pending-request');
  await expect(card).toContainText('input_required');
  await expect(card).toContainText('Really delete the staging database?');
  await card.locator('input[id$="_confirm"]').check();
  await expect(card.locator('select[id$="_priority"]')).toHaveValue(/.+/);
  await page.getByTestId('elicit-accept').click();
  await expect(page.getByTestId('tool-result')).toContainText('Confirmed: would delete the staging database');

  await page.getByTestId('tab-session').click();
  await expect(page.getByTestId('discover-result')).toContainText('supportedVersions');
  await expect(page.getByTestId('ping-unavailable')).toBeVisible();
});

test('ping shows its latency (2025)', async ({ page }) => {
  await connectTo(page, fixtureUrl('stateful'));
  await page.getByTestId('tab-session').click();
  await expect(page.getByTestId('initialize-result')).toContainText('protocolVersion');
  await page.getByTestId('ping').click();
  await expect(page.getByTestId('ping-latency')).toContainText(/\d+ ms round trip|<1 ms round trip/);
});
