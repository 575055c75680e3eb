// Client-side tasks (MCP 2025-11-25) through the real UI: a tool on a 2025 stateful server (e2e/fixtures/
// client-tasks.ts, SDK v1) sends a task-augmented elicitation/create, gets a task id back at once and polls
// mcpscope with tasks/get; the person answers in the request panel, and tasks/result carries the answer to
// the tool, whose result shows it.
import { test, expect } from '@playwright/test';
import { CancelTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { startClientTasks } from './fixtures/client-tasks';
import { connectTo, openTool, shot, serverForEach } from './helpers';

const fx = serverForEach(startClientTasks);

test('a task-augmented elicitation is answered in the panel and the tool gets the answer through tasks/result', async ({ page }) => {
  await connectTo(page, fx().url);
  await openTool(page, 'ask_as_task');
  await page.locator('#root_question').fill('Which colour for the logo?');
  await page.getByTestId('call-tool').click();

  const card = page.getByTestId('pending-request');
  await expect(card).toHaveAttribute('data-method', 'elicitation/create');
  const badge = card.getByTestId('pending-task');
  await expect(badge).toContainText(/task mcpscope-task-/);
  // The server holds the same task id and is polling while the person reads the form.
  await expect.poll(() => fx().created.length).toBe(1);
  await expect(badge).toContainText(fx().created[0].taskId);
  await expect.poll(() => fx().polled.filter((status) => status === 'elicitation:working').length).toBeGreaterThan(0);

  const form = page.getByTestId('elicitation-form');
  await expect(form).toContainText('Which colour for the logo?');
  await form.locator('input[id$="_colour"]').fill('vermilion');
  await page.screenshot({ path: shot('client-task-elicitation.png') });
  await page.getByTestId('elicit-accept').click();

  const result = page.getByTestId('tool-result');
  await expect(result).toContainText('Task answer:');
  await expect(result).toContainText('"colour":"vermilion"');
  await expect(page.getByTestId('pending-badge')).toHaveCount(0);

  // The polls and the result fetch are in the session log like any other traffic.
  await page.getByTestId('tab-messages').click();
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'tasks/result' }).first()).toBeVisible();
  await expect(page.getByTestId('rpc-row').filter({ hasText: 'tasks/get' }).first()).toBeVisible();
});

test('a task the server cancels leaves the panel', async ({ page }) => {
  await connectTo(page, fx().url);
  await openTool(page, 'ask_as_task');
  await page.getByTestId('call-tool').click();
  const card = page.getByTestId('pending-request');
  await expect(card.getByTestId('pending-task')).toBeVisible();
  await expect.poll(() => fx().created.length).toBe(1);

  // The server side cancels the task with tasks/cancel (as a server author's code would).
  const session = fx().sessions()[0];
  await session.server.server.request({ method: 'tasks/cancel', params: { taskId: fx().created[0].taskId } }, CancelTaskResultSchema);
  await expect(page.getByTestId('pending-request')).toHaveCount(0);
  await expect(page.getByTestId('tool-result')).toContainText(/Task error: .*cancelled/);
});
