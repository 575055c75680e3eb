// Issue 14, "Forms" and the request panel: what a person sees and does in a tool's form, a prompt's form and the
// panel that answers the server, against a real SDK v1 server (e2e/fixtures/forms.ts) and the 2026 fixture.
import { expect, test, type Page } from '@playwright/test';
import { startFormsServer } from './fixtures/forms';
import { connectTo, fixtureUrl, openTool } from './helpers';

let forms: Awaited<ReturnType<typeof startFormsServer>>;

test.beforeAll(async () => {
  forms = await startFormsServer();
});

test.afterAll(async () => {
  await forms?.close();
});

/** Opens the tool and waits until its form is the one shown. */
async function openToolForm(page: Page, name: string): Promise<void> {
  await openTool(page, name);
  await expect(page.getByTestId('tool-detail')).toHaveAttribute('data-tool', name);
}

/** Replaces the JSON editor's text the way a person pastes. */
async function typeJson(page: Page, text: string): Promise<void> {
  const editor = page.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

test('a checkbox reads label, box and help in the normal order (tool form and elicitation)', async ({ page }) => {
  await connectTo(page, forms.url);
  await openToolForm(page, 'confirm_flag');
  const field = page.getByTestId('tool-form').locator('.checkbox-field');
  // Before: the description first, on the box's line ("Tick to confirm[ ] Go ahead?").
  await expect(field).toHaveText(/^\s*Go ahead\?\s*Tick to confirm\s*$/);
  const box = page.getByRole('checkbox', { name: 'Go ahead?' });
  await expect(box).toHaveAccessibleDescription('Tick to confirm');
  await page.getByText('Go ahead?').click();
  await expect(box).toBeChecked();
});

test('errors speak of the field and the oneOf branch chosen; a const is shown fixed; JSON mode points into the text', async ({ page }) => {
  await connectTo(page, forms.url);
  await openToolForm(page, 'shape_area');
  const form = page.getByTestId('tool-form');
  // `units` is fixed by the schema: shown as its value, not a box to type into.
  await expect(form.getByTestId('const-value').filter({ hasText: 'cm' })).toBeVisible();
  await expect(form.getByRole('textbox', { name: /units/i })).toHaveCount(0);
  await expect(form.getByTestId('const-value').filter({ hasText: 'circle' })).toBeVisible();

  await form.getByLabel(/Radius/).fill('-1');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('validation-errors')).toBeVisible();
  await expect(form.getByText('Must be more than 0.')).toBeVisible();
  await expect(form).not.toContainText('must be equal to constant');
  await expect(form).not.toContainText('must match exactly one schema');
  await expect(form).not.toContainText(/must /);

  // The other branch: its own words, never the circle's.
  await form.locator('select').first().selectOption({ label: 'Square' });
  await expect(form.getByTestId('const-value').filter({ hasText: 'square' })).toBeVisible();
  await form.getByLabel(/Side/).fill('0');
  await page.getByTestId('call-tool').click();
  await expect(form.getByText('Must be at least 1.')).toBeVisible();
  await expect(form).not.toContainText(/constant|oneOf|more than 0/);
  await form.getByLabel(/Side/).fill('3');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('tool-result')).toContainText('"kind":"square"');
  await expect(page.getByTestId('tool-result')).toContainText('"units":"cm"');

  // JSON mode: each error is marked in the editor and listed with its line and column.
  await page.getByTestId('format-json').click();
  await typeJson(page, '{\n  "shape": {"kind": "circle", "radius": -1},\n  "units": "mm"\n}');
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(2);
  await expect(page.locator('.cm-lint-marker-error')).toHaveCount(2);
  await page.getByTestId('call-tool').click();
  const errors = page.getByTestId('validation-errors');
  await expect(errors).toContainText('Line 2, column 31: shape.radius: Must be more than 0.');
  await expect(errors).toContainText('Line 3, column 3: units: Must be exactly “cm”.');
});

test('"how the form differs from the schema" shows only when it really does', async ({ page }) => {
  await connectTo(page, forms.url);
  // A plain 2020-12 schema: before, "The schema was adjusted for the form (1)" for the dialect alone.
  await openToolForm(page, 'confirm_flag');
  await expect(page.getByTestId('tool-form')).toBeVisible();
  await expect(page.getByTestId('schema-notes')).toHaveCount(0);
  await expect(page.getByText(/adjusted for the form/)).toHaveCount(0);
  // A condition the form cannot show is worth saying (it is still checked).
  await openToolForm(page, 'ship_parcel');
  await expect(page.getByTestId('schema-notes')).toContainText('How this form differs from the schema (1)');
  await page.getByTestId('schema-notes').locator('summary').click();
  await expect(page.getByTestId('schema-notes')).toContainText('a condition (if/then/else)');
  await page.getByLabel('country').fill('US');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('tool-form')).toContainText('“zip” is required.');
});

test('"Form | JSON" is one radio group: arrows move, the chosen one is checked and shown', async ({ page }) => {
  await connectTo(page, forms.url);
  await openToolForm(page, 'confirm_flag');
  const group = page.getByRole('radiogroup', { name: 'Edit the arguments as' });
  const formRadio = group.getByRole('radio', { name: 'Form' });
  const jsonRadio = group.getByRole('radio', { name: 'JSON' });
  await expect(formRadio).toHaveAttribute('aria-checked', 'true');
  await expect(jsonRadio).toHaveAttribute('aria-checked', 'false');
  await expect(jsonRadio).toHaveAttribute('tabindex', '-1');
  await formRadio.focus();
  await page.keyboard.press('ArrowRight');
  await expect(jsonRadio).toHaveAttribute('aria-checked', 'true');
  await expect(jsonRadio).toBeFocused();
  await expect(page.locator('.cm-content')).toBeVisible();
  // The chosen segment is filled (its background differs from the other's).
  const background = (name: string) => group.getByRole('radio', { name }).evaluate((element) => getComputedStyle(element).backgroundColor);
  expect(await background('JSON')).not.toBe(await background('Form'));
  await page.keyboard.press('ArrowLeft');
  await expect(formRadio).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('tool-form')).toBeVisible();
});

test('the prompt form checks required arguments before sending, and offers a fixed list of values', async ({ page }) => {
  await connectTo(page, forms.url);
  await page.getByTestId('tab-prompts').click();
  await page.getByTestId('prompt-item-plan_trip').click();
  // Markdown in the description.
  await expect(page.getByTestId('prompt-description-text').locator('code')).toHaveText('style');
  await page.getByTestId('get-prompt').click();
  await expect(page.getByTestId('prompt-not-sent')).toContainText('Not sent');
  await expect(page.getByTestId('arg-error-destination')).toContainText('Required');
  await expect(page.getByTestId('arg-destination')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('arg-destination')).toBeFocused();
  await expect(page.getByTestId('prompt-error')).toHaveCount(0);
  // Nothing went to the server (before: prompts/get went out and came back -32602).
  await page.getByTestId('tab-messages').click();
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'prompts/list' }).first()).toBeVisible();
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'prompts/get' })).toHaveCount(0);
  await page.getByTestId('tab-prompts').click();
  await page.getByTestId('prompt-item-plan_trip').click();

  // `style` completes to a short, complete list: offered as buttons.
  const values = page.getByTestId('fixed-values').filter({ has: page.getByText('comfort') });
  await expect(values.getByTestId('fixed-value')).toHaveText(['budget', 'comfort', 'luxury']);
  await values.getByRole('button', { name: 'comfort' }).click();
  await expect(page.getByTestId('arg-style')).toHaveValue('comfort');
  await page.getByTestId('arg-destination').fill('Lisbon');
  await page.getByTestId('get-prompt').click();
  await expect(page.getByTestId('prompt-message')).toContainText('Plan a comfort trip to Lisbon.');
});

test('the request panel sits beside the result and the Call button, takes focus, Enter answers', async ({ page }) => {
  await connectTo(page, forms.url);
  await openToolForm(page, 'ask_form');
  await page.getByTestId('call-tool').click();
  const drawer = page.getByTestId('pending-drawer');
  await expect(drawer).toBeVisible();
  const first = drawer.getByRole('checkbox', { name: 'Go ahead?' });
  await expect(first).toBeFocused();
  await expect(drawer.locator('.checkbox-field')).toHaveText(/^\s*Go ahead\?\s*Tick to confirm\s*$/);

  // Nothing of the tool is under the panel.
  const panel = (await drawer.boundingBox())!;
  const call = (await page.getByTestId('call-tool').boundingBox())!;
  const result = (await page.getByTestId('result-pane').boundingBox())!;
  expect(call.x + call.width).toBeLessThanOrEqual(panel.x);
  expect(result.x + result.width).toBeLessThanOrEqual(panel.x + 1);

  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.type('because');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('tool-result')).toContainText('The person chose accept: {"confirm":true,"reason":"because"}');
  await expect(drawer).toBeHidden();
});

test('Esc leaves the panel without answering: the request stays waiting, said where the call runs', async ({ page }) => {
  await connectTo(page, forms.url);
  await openToolForm(page, 'ask_model');
  await page.getByTestId('call-tool').click();
  const drawer = page.getByTestId('pending-drawer');
  await expect(drawer).toBeVisible();
  await expect(drawer.locator(':focus')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(page.getByTestId('pending-badge')).toContainText('1 request waiting');
  await expect(page.getByTestId('call-waits-for-answer')).toBeVisible();
  // The Call button is disabled while the call runs: focus lands on the way back to the question.
  await expect(page.getByTestId('open-pending')).toBeFocused();

  await page.keyboard.press('Enter');
  await expect(drawer).toBeVisible();
  await drawer.getByPlaceholder(/assistant's answer/).fill('4');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.getByTestId('tool-result')).toContainText('The model (mcpscope-human) replied: 4');
});

test('a URL elicitation the server never completes can be dismissed once answered', async ({ page }) => {
  await connectTo(page, forms.url);
  await openToolForm(page, 'ask_url');
  await page.getByTestId('call-tool').click();
  const drawer = page.getByTestId('pending-drawer');
  await expect(drawer.getByTestId('pending-request')).toBeFocused();
  await drawer.getByTestId('elicit-accept-no-open').click();
  await expect(page.getByTestId('tool-result')).toContainText('answered the URL request: accept');
  const wait = drawer.getByTestId('url-wait');
  await expect(wait).toContainText('Answered: accepted');
  await expect(wait).not.toContainText('Waiting for notifications/elicitation/complete');
  await wait.getByTestId('url-wait-dismiss').click();
  await expect(drawer).toBeHidden();
});

test('small things: Markdown descriptions, no letter icons, a cancelled call told consistently', async ({ page }) => {
  await connectTo(page, forms.url);
  await openToolForm(page, 'confirm_flag');
  const description = page.getByTestId('tool-description');
  await expect(description.locator('code')).toHaveText('go');
  await expect(description.locator('strong')).toHaveText('true');
  await expect(description.getByRole('link', { name: 'the docs' })).toHaveAttribute('href', 'https://example.com/docs');
  await expect(description.getByRole('link', { name: 'this link' })).toHaveCount(0);
  await expect(description).not.toContainText('`');
  // The row starts with the tool's name, not a made-up letter; the hints say what it does.
  await expect(page.getByTestId('tool-item-confirm_flag')).toHaveText(/^Confirm a flag/);
  await openToolForm(page, 'shape_area');
  await expect(page.getByTestId('tool-item-shape_area')).toHaveText(/^Area of a shape/);
  await expect(page.getByTestId('tool-item-shape_area').getByTestId('tool-annotations')).toHaveText('destructive');

  // 2025 server: told with notifications/cancelled, in one sentence (no "final answer" from a server that gave none).
  await openToolForm(page, 'slow');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('call-status')).toBeVisible();
  await page.getByTestId('cancel-call').click();
  const cancelled = page.getByTestId('result-cancelled');
  await expect(cancelled).toContainText(
    'The call was cancelled (Cancelled by the user in mcpscope); the server was sent notifications/cancelled.',
  );
  await expect(cancelled).not.toContainText(/final answer/i);
});

test('a cancelled call on a 2026-07-28 server does not claim notifications/cancelled was sent', async ({ page }) => {
  await connectTo(page, fixtureUrl('stateless-2026'));
  await openToolForm(page, 'slow');
  await page.locator('#root_seconds').fill('30');
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('call-status')).toBeVisible();
  await page.getByTestId('cancel-call').click();
  const cancelled = page.getByTestId('result-cancelled');
  await expect(cancelled).toContainText('the request stream was closed, which tells a 2026-07-28 server to stop');
  await expect(cancelled).not.toContainText('notifications/cancelled');
});

test('at 390 px the tool and prompt panes show one at a time, and descriptions keep their width', async ({ page }) => {
  // (The header at 390 px is s4/state's: connect at a common width, then narrow the window.)
  await connectTo(page, forms.url);
  await page.setViewportSize({ width: 390, height: 844 });
  await openToolForm(page, 'shape_area');
  await expect(page.getByTestId('tool-list')).toBeHidden();
  const description = (await page.getByTestId('tool-description').boundingBox())!;
  expect(description.width).toBeGreaterThan(300);
  await page.getByTestId('back-to-list').click();
  await expect(page.getByTestId('tool-list')).toBeVisible();
  expect((await page.getByTestId('tool-list').boundingBox())!.width).toBeGreaterThan(360);

  await page.getByTestId('tab-prompts').click();
  await page.getByTestId('prompt-item-plan_trip').click();
  await expect(page.getByTestId('prompts-list')).toBeHidden();
  expect((await page.getByTestId('prompt-detail').boundingBox())!.width).toBeGreaterThan(360);
});

test('a server that goes away: what failed is named (connection refused), never a bare "fetch failed"', async ({ page }) => {
  const gone = await startFormsServer();
  await connectTo(page, gone.url);
  await openToolForm(page, 'confirm_flag');
  await gone.close();
  await page.getByTestId('call-tool').click();
  await expect(page.getByTestId('tool-result')).toHaveAttribute('data-status', 'error');
  await expect(page.getByTestId('tool-result')).toContainText(/refused/i);
  await expect(page.getByTestId('tool-result')).not.toContainText(/fetch failed/);
  await page.getByTestId('tab-findings').click();
  const findings = page.getByTestId('finding-row');
  await expect(findings.first()).toBeVisible();
  await page.waitForTimeout(3000);
  for (const text of await findings.allInnerTexts()) expect(text).not.toMatch(/fetch failed\s*$/m);
});
