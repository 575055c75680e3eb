// The build's first-page template (lib/app-shell): once per build, the built app is started on a free loopback
// port with a throwaway data folder, its home page fetched once, and the page saved as a template beside BUILD_ID.
// `npm start` and `npm pack` run this after building. Without a template everything still works; the first page
// then waits for Next to start.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { distDirOf } from './build-app.mjs';

const CAPTURE_FLAG = 'MCPSCOPE_SHELL_CAPTURE';
const START_TIMEOUT_MS = 180_000;

/** Whether the build in `buildDir` already has its template (written after its BUILD_ID). */
function hasTemplate(buildDir, file) {
  const template = path.join(buildDir, file);
  const buildId = path.join(buildDir, 'BUILD_ID');
  return existsSync(template) && existsSync(buildId) && statSync(template).mtimeMs >= statSync(buildId).mtimeMs;
}

/** Starts the built app, waits for its address, and resolves with it and a stop function. */
function startBuiltApp(root, env, dataDir, publicUrl) {
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
    cwd: root,
    env: {
      ...env,
      [CAPTURE_FLAG]: '1',
      // bin/server.mjs notes the modules Next loads as it starts, for later starts to load ahead (mcpscope-preload.json).
      MCPSCOPE_RECORD_PRELOAD: '1',
      MCPSCOPE_SKIP_BUILD: '1',
      HOST: '127.0.0.1',
      PORT: '0',
      PUBLIC_URL: publicUrl,
      MCPSCOPE_DATA_DIR: dataDir,
      // The page is the same with any store; a throwaway SQLite file keeps a configured Postgres untouched.
      DATABASE_URL: '',
      MCPSCOPE_MODE: 'local',
      MCPSCOPE_REQUIRE_TOKEN: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
      child.once('exit', () => resolve(undefined));
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
  const address = new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the built app did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    const read = (chunk) => {
      output += chunk;
      const match = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.setEncoding('utf8').on('data', read);
    child.stderr.setEncoding('utf8').on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the built app exited (${code}) before serving:\n${output.slice(-2000)}`));
    });
  });
  return { address, stop };
}

/** Captures the template when the build has none; warns (and leaves the app working without one) when it cannot. */
export async function captureShellIfMissing(root, env = process.env) {
  if (env[CAPTURE_FLAG] === '1') return;
  const { CAPTURE_ORIGIN, makeShellTemplate, SHELL_FILE } = await tsImport('../lib/app-shell/template.ts', import.meta.url);
  const buildDir = path.join(root, distDirOf(env));
  if (!existsSync(path.join(buildDir, 'BUILD_ID')) || hasTemplate(buildDir, SHELL_FILE)) return;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mcpscope-shell-'));
  const app = startBuiltApp(root, env, dataDir, CAPTURE_ORIGIN);
  try {
    const origin = await app.address;
    const response = await fetch(`${origin}/`, { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(60_000) });
    const html = await response.text();
    const nonce = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy') ?? '')?.[1];
    if (response.status !== 200 || !nonce) throw new Error(`the home page answered ${response.status} without a nonce`);
    const buildId = readFileSync(path.join(buildDir, 'BUILD_ID'), 'utf8').trim();
    const template = makeShellTemplate({ buildId, html, headers: response.headers.entries(), nonce });
    writeFileSync(path.join(buildDir, SHELL_FILE), JSON.stringify(template));
    console.log(`mcpscope: first-page template saved (${Math.round(template.html.length / 1024)} KB)`);
  } catch (error) {
    console.warn(
      `mcpscope: could not capture the first-page template (${error instanceof Error ? error.message : String(error)}); the first page will wait for Next to start.`,
    );
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
