import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium';

// One free loopback port for the app under test, chosen once: workers re-read this file and inherit the env.
function freePort(): string {
  const script =
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return execFileSync(process.execPath, ['-e', script]).toString();
}
process.env.MCPSCOPE_TEST_PORT ??= freePort();
const port = process.env.MCPSCOPE_TEST_PORT;
const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL,
    viewport: { width: 1280, height: 800 },
    trace: 'off',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: {
    command: 'node scripts/start.mjs',
    url: `${baseURL}/api/health`,
    timeout: 600_000,
    reuseExistingServer: false,
    // SIGTERM (not Playwright's default SIGKILL) lets the app stop the stdio servers it started: they run in process
    // groups of their own, which killing the app's group does not reach (lib/stdio/process.ts).
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      HOST: '127.0.0.1',
      PORT: port,
      PUBLIC_URL: baseURL,
      MCPSCOPE_DATA_DIR: `.data/e2e-${port}`,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});
