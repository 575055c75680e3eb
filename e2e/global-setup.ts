import type { FullConfig } from '@playwright/test';
import { startAllFixtures } from './fixtures/start-all';

// Starts every fixture MCP server on 127.0.0.1 before the tests and hands their URLs to the workers
// through the environment; the returned function stops them all.
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const fixtures = await startAllFixtures();
  process.env.MCPSCOPE_FIXTURES = JSON.stringify(fixtures.urls);
  return () => fixtures.close();
}
