import { expect, type Page } from '@playwright/test';

/** URL of a fixture server started by global-setup. */
export function fixtureUrl(name: string): string {
  const urls = JSON.parse(process.env.MCPSCOPE_FIXTURES ?? '{}') as Record<string, string>;
  const url = urls[name];
  if (!url) throw new Error(`fixture "${name}" was not started; known: ${Object.keys(urls).join(', ')}`);
  return url;
}

/** Connects through the UI the way a person does, and waits for the workspace. */
export async function connectTo(page: Page, url: string, transport: 'auto' | 'streamable-http' | 'sse' = 'auto'): Promise<void> {
  await page.goto('/');
  await page.getByTestId('connect-url').fill(url);
  await page.getByTestId('connect-transport').selectOption(transport);
  await page.getByTestId('connect-submit').click();
  await expect(page).toHaveURL(/\/inspect\//);
  await expect(page.getByTestId('server-name')).toBeVisible();
  // The workspace opens while the handshake is still running; callers expect it over.
  await expect(page.getByTestId('session-state')).not.toHaveAttribute('data-state', 'connecting');
}

/** Plain connect to an OAuth-protected server: its 401 starts OAuth, the (auto-approving) authorization server sends the browser back, the workspace opens. */
export async function connectThroughOAuth(page: Page, url: string): Promise<void> {
  await page.goto('/');
  await page.getByTestId('connect-url').fill(url);
  await page.getByTestId('connect-submit').click();
  await expect(page).toHaveURL(/\/inspect\/[^/]+$/);
  await expect(page.getByTestId('server-name')).toBeVisible();
  // The workspace opens while connecting, before the trip to the authorization server: wait for the end of it.
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
}
