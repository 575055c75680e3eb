import { test, expect } from '@playwright/test';
import { callConfigureOverLimit, connectTo, fixtureUrl, openTool } from './helpers';

test('calls a tool with a nested-object argument through the generated form', async ({ page }) => {
  await connectTo(page, fixtureUrl('stateful'));
  await openTool(page, 'configure');

  await page.locator('#root_profile_name').fill('Ada');
  await page.locator('#root_profile_settings_theme').selectOption('dark');
  await page.locator('#root_profile_settings_fontSize').fill('14');
  await page.getByTestId('call-tool').click();

  const result = page.getByTestId('tool-result');
  await expect(result).toContainText('Received configuration');
  await expect(result).toContainText('"name": "Ada"');
  await expect(result).toContainText('"theme": "dark"');
  await expect(result).toContainText('"fontSize": 14');

  // The call is on the wire and paired with its answer.
  await page.getByTestId('tab-messages').click();
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'tools/call' })).toHaveCount(2);
});

test('invalid input is caught before sending', async ({ page }) => {
  await connectTo(page, fixtureUrl('stateful'));
  await callConfigureOverLimit(page);
  await page.getByTestId('tab-messages').click();
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'tools/list' }).first()).toBeVisible();
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'tools/call' })).toHaveCount(0);
});

test('the Form and JSON views stay in sync', async ({ page }) => {
  await connectTo(page, fixtureUrl('stateful'));
  await openTool(page, 'add');
  await page.locator('#root_a').fill('2');
  await page.locator('#root_b').fill('40');
  await page.getByTestId('format-json').click();
  const editor = page.locator('.cm-content');
  await expect(editor).toContainText('"a": 2');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText('{"a": 5, "b": 7}');
  await page.getByTestId('format-form').click();
  await expect(page.locator('#root_a')).toHaveValue('5');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('tool-result')).toContainText('12');
});

test('a slow tool shows live progress and Cancel sends notifications/cancelled', async ({ page }) => {
  await connectTo(page, fixtureUrl('stateful'));
  await openTool(page, 'slow');
  await page.locator('#root_seconds').fill('20');
  await page.locator('#root_steps').fill('20');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('progress')).toBeVisible();
  await page.getByTestId('cancel-call').click();
  await expect(page.getByTestId('tool-result')).toContainText(/cancel/i);
  await page.getByTestId('tab-messages').click();
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'notifications/cancelled' })).toHaveCount(1);
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'notifications/progress' }).first()).toBeVisible();
});

test('the demo server: renderers, structured output mismatch and error results', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('demo-button').click();
  await expect(page.getByTestId('server-name')).toBeVisible();

  await openTool(page, 'render_image');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('tool-result').locator('img')).toBeVisible();

  await openTool(page, 'broken_structured');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('output-schema-warning')).toBeVisible();

  await openTool(page, 'structured_weather');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('tool-result')).toBeVisible();
  await expect(page.getByTestId('output-schema-warning')).toHaveCount(0);

  await openTool(page, 'fail_always');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('result-error')).toBeVisible();
});

test('disconnect ends the server session with DELETE', async ({ page }) => {
  await connectTo(page, fixtureUrl('stateful'));
  await page.getByTestId('disconnect').click();
  await page.getByTestId('tab-traffic').click();
  await expect(page.getByTestId('exchange-row').filter({ hasText: 'DELETE' })).toBeVisible();
});
