// The published package as a user gets it: `npm pack` (which runs scripts/pack.mjs), `npm install <tarball>` into
// an empty folder, `npx mcpscope serve`. Used by e2e/pack.spec.ts and the bench (scripts/bench/package.ts).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freeLoopbackPort } from '../e2e/fixtures/ports';

const run = promisify(execFile);
export const ROOT = path.resolve(__dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface PackedTarball {
  file: string;
  bytes: number;
  /** Unpacked size of what the tarball holds. */
  unpackedBytes: number;
  files: string[];
}

/** `npm pack` of the repository into `destination` (builds first when the sources changed). */
export async function packProject(destination: string): Promise<PackedTarball> {
  const { stdout } = await run(NPM, ['pack', '--json', '--pack-destination', destination], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60_000,
  });
  // Anything the prepack step printed comes before npm's JSON.
  const report = JSON.parse(stdout.slice(stdout.indexOf('\n[') + 1)) as Array<{
    filename: string;
    size: number;
    unpackedSize: number;
    files: Array<{ path: string }>;
  }>;
  const [entry] = report;
  return {
    file: path.join(destination, entry.filename),
    bytes: entry.size,
    unpackedBytes: entry.unpackedSize,
    files: entry.files.map((f) => f.path),
  };
}

export interface Installed {
  dir: string;
  ms: number;
  /** Bytes on disk under node_modules. */
  bytes: number;
}

/** `npm install <tarball>` into a new empty folder, from npm's cache where it can. */
export async function installTarball(tarball: string, parent = os.tmpdir()): Promise<Installed> {
  const dir = fs.mkdtempSync(path.join(parent, 'mcpscope-install-'));
  const started = performance.now();
  await run(NPM, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
    timeout: 5 * 60_000,
  });
  const ms = performance.now() - started;
  return { dir, ms, bytes: diskBytes(path.join(dir, 'node_modules')) };
}

export function diskBytes(entry: string): number {
  const stat = fs.lstatSync(entry);
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const name of fs.readdirSync(entry)) total += diskBytes(path.join(entry, name));
  return total;
}

export interface Served {
  origin: string;
  /** From spawning `mcpscope serve` to the first 200 answer for `/` (the home page's HTML). */
  coldStartMs: number;
  /** Who served that first page: `early` (the build's template, while Next started: lib/app-shell) or `next`. */
  firstPageBy: 'early' | 'next';
  /** From spawning to the first 200 for `GET /api/health`: Next is ready and the page's API calls are answered. */
  readyMs: number;
  output(): string;
  stop(): Promise<void>;
}

/** A `mcpscope serve` just spawned: it may not listen yet. */
export interface Spawned {
  origin: string;
  /** performance.now() when it was spawned. */
  started: number;
  /** Its exit code or signal once it exited, else null. */
  exited(): number | string | null;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns the installed `mcpscope serve --port <free>` in `dir` (its own data dir under it). */
export async function spawnInstalled(dir: string, env: Record<string, string> = {}): Promise<Spawned> {
  const port = await freeLoopbackPort();
  const bin = path.join(dir, 'node_modules', '.bin', 'mcpscope');
  let output = '';
  const started = performance.now();
  const child: ChildProcess = spawn(bin, ['serve', '--port', String(port)], {
    cwd: dir,
    env: { ...process.env, MCPSCOPE_DATA_DIR: path.join(dir, 'data'), NEXT_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    origin: `http://127.0.0.1:${port}`,
    started,
    exited: () => child.exitCode ?? child.signalCode,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}

/**
 * Runs the installed `mcpscope serve --port <free>` in `dir` (its own data dir under it) and waits for the home
 * page, polling every 5 ms, then for Next to be ready.
 */
export async function serveInstalled(dir: string, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Served> {
  const spawned = await spawnInstalled(dir, env);
  const { origin, started, output, stop } = spawned;
  for (;;) {
    if (spawned.exited() !== null) throw new Error(`mcpscope serve exited (${spawned.exited()}) before serving:\n${output()}`);
    if (performance.now() - started > timeoutMs) {
      await stop();
      throw new Error(`mcpscope serve did not answer on ${origin} within ${timeoutMs} ms:\n${output()}`);
    }
    const page = await fetch(`${origin}/`).then(
      async (response) => (response.status === 200 ? (await response.text(), response) : undefined),
      () => undefined,
    );
    if (page) {
      const coldStartMs = performance.now() - started;
      const firstPageBy = page.headers.get('x-mcpscope-page') === 'early' ? 'early' : 'next';
      // The page's own API calls wait until Next is ready: this one does too.
      const health = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
      await health.text();
      if (health.status !== 200) throw new Error(`GET /api/health answered ${health.status} after the first page:\n${output()}`);
      return { origin, coldStartMs, firstPageBy, readyMs: performance.now() - started, output, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** `npx mcpscope <args>` in `dir`. */
export async function runInstalledCli(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['--no-install', 'mcpscope', ...args], { cwd: dir, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failure.code === 'number' ? failure.code : 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}
