// The package as a user gets it (issue 21): `npm pack`, `npm install <tarball>` into an empty folder (npm's warm
// cache), `npx mcpscope serve --port <free>`, the page and the built-in demo server in Chromium, and
// `npx mcpscope tools <demo url>`. Nothing of the repository is used past the tarball.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  installTarball,
  packProject,
  runInstalledCli,
  serveInstalled,
  spawnInstalled,
  type Installed,
  type PackedTarball,
  type Served,
} from '../scripts/package';

test.describe.configure({ mode: 'serial' });
test.setTimeout(20 * 60_000);

let work: string;
let tarball: PackedTarball;
let installed: Installed;
let served: Served | undefined;

test.beforeAll(async () => {
  test.setTimeout(20 * 60_000);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-pack-'));
  tarball = await packProject(work);
  installed = await installTarball(tarball.file, work);
});

test.afterAll(async () => {
  await served?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the built app, the command and nothing of the tests or docs', () => {
  const files = tarball.files;
  expect(files).toContain('bin/mcpscope.mjs');
  expect(files).toContain('dist/cli.mjs');
  expect(files).toContain('dist/app/.next/BUILD_ID');
  // The first page's template and the modules to load ahead of Next (lib/app-shell, bin/server.mjs).
  expect(files).toContain('dist/app/.next/mcpscope-shell.json');
  expect(files).toContain('dist/app/.next/mcpscope-preload.json');
  expect(files.some((f) => f.startsWith('dist/app/.next/static/'))).toBe(true);
  expect(files.some((f) => f.startsWith('dist/app/node_modules/next/'))).toBe(true);
  for (const f of files) expect(f).not.toMatch(/^(tests|e2e|docs|lib|app|components|scripts)\//);
  for (const f of files) expect(f).not.toMatch(/\.(spec|test)\.[cm]?[jt]sx?$|\.png$/);
  // No build at the user's end, nor a compiler: the build tools stay out.
  for (const f of files) expect(f).not.toMatch(/node_modules\/(typescript|@next\/swc|esbuild|better-sqlite3|tsx)\//);
  // The installed package depends on nothing that compiles.
  const manifest = JSON.parse(fs.readFileSync(path.join(installed.dir, 'node_modules', 'mcpscope', 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  expect(Object.keys(manifest.dependencies ?? {})).toEqual(['node-sqlite3-wasm']);
  expect(fs.existsSync(path.join(installed.dir, 'node_modules', 'next'))).toBe(false);
});

test('while Next starts, the first page comes from the build template and is the app: it hydrates, and connects once Next is ready', async ({
  page,
}) => {
  const spawned = await spawnInstalled(installed.dir);
  try {
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    // Where a person opens it (its public origin): the port opens a moment after the spawn.
    const openAt = spawned.origin.replace('127.0.0.1', 'localhost');
    let response: Awaited<ReturnType<typeof page.goto>> | undefined;
    while (!response) {
      expect(spawned.exited(), spawned.output()).toBeNull();
      response = await page.goto(`${openAt}/`).catch(() => undefined);
      if (!response) await page.waitForTimeout(10);
    }
    expect(response.status()).toBe(200);
    // allHeaders: headers() leaves out cookie headers.
    const headers = await response.allHeaders();
    // Served before Next was ready (the front server stops answering so once Next is), from the template, with the
    // same security headers as Next's.
    expect(headers['x-mcpscope-page']).toBe('early');
    const nonce = /'nonce-([^']+)'/.exec(headers['content-security-policy'] ?? '')?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/=]{16,}$/);
    expect(headers['x-frame-options']).toBe('SAMEORIGIN');
    // The browser has its owner from the first page (an attempt that raced the port opening may have brought it).
    const sentCookies = (await response.request().allHeaders()).cookie ?? '';
    if (!sentCookies.includes('mcpscope_owner='))
      expect(headers['set-cookie']).toMatch(/^mcpscope_owner=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
    expect((await page.context().cookies()).map((cookie) => cookie.name)).toContain('mcpscope_owner');
    const html = await response.text();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html).toContain(`\\"publicOrigin\\":\\"${openAt}\\"`);
    // The page hydrates (React enables Connect once a URL is typed), and its calls are answered once Next is ready.
    await page.getByTestId('connect-url').fill(`${spawned.origin}/demo/mcp`);
    await expect(page.getByTestId('connect-submit')).toBeEnabled();
    await page.getByTestId('connect-submit').click();
    await expect(page).toHaveURL(/\/inspect\//);
    await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
    // No hydration mismatch, no script the CSP refused.
    expect(problems).toEqual([]);
  } finally {
    await spawned.stop();
  }
});

test('npx mcpscope serve prints its URL and serves the page; the demo server connects in Chromium', async ({ page }) => {
  served = await serveInstalled(installed.dir);
  expect(served.output()).toContain(`serving on ${served.origin}`);
  // A person opens the address it says to open (its public origin, localhost): the page opened at 127.0.0.1 moves
  // there itself once hydrated (components/auth/PublicOriginRedirect), which would wipe a URL typed before the move.
  const openAt = /\(open (http:\/\/localhost:\d+)\)/.exec(served.output())?.[1];
  expect(openAt).toBe(served.origin.replace('127.0.0.1', 'localhost'));
  await page.goto(`${openAt}/`);
  await expect(page.getByTestId('connect-url')).toBeVisible();
  await page.getByTestId('connect-url').fill(`${served.origin}/demo/mcp`);
  await page.getByTestId('connect-submit').click();
  await expect(page).toHaveURL(/\/inspect\//);
  await expect(page.getByTestId('server-name')).toHaveText('mcpscope demo server');
  await expect(page.getByTestId('server-name')).toHaveAttribute('title', /^mcpscope-demo /);
  await expect(page.getByTestId('session-state')).toHaveAttribute('data-state', 'connected');
  // Its data lives where it was told (MCPSCOPE_DATA_DIR), not in the working directory.
  expect(fs.existsSync(path.join(installed.dir, '.data'))).toBe(false);
});

test('npx mcpscope tools <demo url> lists the demo tools; --help names serve', async () => {
  expect(served).toBeDefined();
  const tools = await runInstalledCli(installed.dir, ['tools', `${served!.origin}/demo/mcp`]);
  expect(tools.stderr).toBe('');
  expect(tools.code).toBe(0);
  expect(tools.stdout).toContain('confirm_action');
  expect(tools.stdout).toContain('slow_task');
  const help = await runInstalledCli(installed.dir, ['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('mcpscope [serve] [--port N] [--host H]');
});
