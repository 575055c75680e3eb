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
