// Starting and stopping what the bench runs: the app (through scripts/start.mjs, which builds when needed),
// the fixture server and the drivers, each in its own process group so it can be stopped with all its
// children, by id. Also reads a process's resident memory from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { freeLoopbackPort } from '../../e2e/fixtures/ports';
import { median } from './stats';

export const ROOT = path.resolve(__dirname, '..', '..');

const started = new Set<ChildProcess>();

/** Stops a child and its process group (SIGTERM, then SIGKILL after `graceMs`). */
export async function stopProcess(child: ChildProcess, graceMs = 3_000): Promise<void> {
  started.delete(child);
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      try {
        child.kill(sig);
      } catch {
        // already gone
      }
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Last-resort cleanup when the bench itself is interrupted: every group it started, by id. */
export function killAllStartedSync(): void {
  for (const child of started) {
    if (child.pid === undefined || child.exitCode !== null) continue;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  started.clear();
}

function track(child: ChildProcess): ChildProcess {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

/** A loopback port that is free now, searched in [from, to] (the bench's own range), else any free port. */
export async function freePortInRange(from: number, to: number): Promise<number> {
  const candidates = Array.from({ length: to - from + 1 }, (_, i) => from + i).sort(() => Math.random() - 0.5);
  for (const port of candidates.slice(0, 40)) {
    if (await canBind(port)) return port;
  }
  return freeLoopbackPort();
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

// ---------------------------------------------------------------------------------------------------
// The app

export interface RunningApp {
  origin: string;
  port: number;
  /** The start script's process: it serves the app (Next.js in-process, behind its node:http server). */
  child: ChildProcess;
  /** The process that holds the sessions. */
  serverPid(): number | undefined;
  output(): string;
  stop(): Promise<void>;
}

export interface StartAppOptions {
  port: number;
  skipBuild?: boolean;
  env?: Record<string, string>;
  /** How long to wait for /api/health (a build may run first). */
  timeoutMs?: number;
}

export async function startApp(options: StartAppOptions): Promise<RunningApp> {
  const origin = `http://127.0.0.1:${options.port}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mcpscope-bench-'));
  const lines: string[] = [];
  const child = track(
    spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(options.port),
        PUBLIC_URL: origin,
        MCPSCOPE_DATA_DIR: dataDir,
        NEXT_TELEMETRY_DISABLED: '1',
        NO_COLOR: '1',
        ...(options.skipBuild ? { MCPSCOPE_SKIP_BUILD: '1' } : {}),
        ...options.env,
      },
    }),
  );
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > 400) lines.splice(0, lines.length - 400);
    });
  }
  const app: RunningApp = {
    origin,
    port: options.port,
    child,
    serverPid: () => child.pid,
    output: () => lines.join('\n'),
    async stop() {
      await stopProcess(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`the app exited (${child.exitCode ?? child.signalCode}) before serving:\n${lines.slice(-40).join('\n')}`);
    }
    try {
      const response = await fetch(`${origin}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return app;
    } catch {
      // not up yet
    }
    await sleep(300);
  }
  await app.stop();
  throw new Error(`the app did not answer ${origin}/api/health in time:\n${lines.slice(-40).join('\n')}`);
}

/** Starts the app, retrying when a build fails (another helper's build may collide with ours). */
export async function startAppWithRetry(
  options: StartAppOptions,
  attempts = 3,
  log: (line: string) => void = () => {},
): Promise<RunningApp> {
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await startApp(options);
    } catch (error) {
      last = error;
      log(`app start failed (attempt ${attempt}/${attempts}): ${String(error).split('\n').slice(0, 1).join('')}`);
      // A source that does not compile will not compile on retry; a collision with another build might.
      if (/Failed to (type check|compile)|Type error|error TS\d+/.test(String(error))) break;
      if (attempt < attempts) await waitForBuildId(300_000, log);
    }
  }
  throw last;
}

/** Another build may be replacing .next right now: wait (bounded) until it has written its BUILD_ID again. */
async function waitForBuildId(timeoutMs: number, log: (line: string) => void): Promise<void> {
  const buildId = path.join(ROOT, process.env.MCPSCOPE_DIST_DIR || '.next', 'BUILD_ID');
  if (existsSync(buildId)) {
    await sleep(5_000);
    return;
  }
  log('.next has no BUILD_ID (another build is running?); waiting for it…');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !existsSync(buildId)) await sleep(2_000);
  await sleep(2_000);
}

/** VmRSS of a process, in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * CPU time (user + system) a process has used so far, in milliseconds (/proc/<pid>/stat, clock ticks of 10 ms):
 * over many calls, what each one costs the process whatever else the machine is doing, unlike a latency.
 */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is field 3, utime 14 and stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The median of a few VmRSS samples, `everyMs` apart (one sample is noisy). */
export async function sampleRss(pid: number, samples = 5, everyMs = 400): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < samples; i++) {
    values.push(rssBytes(pid));
    if (i < samples - 1) await sleep(everyMs);
  }
  return median(values);
}

// ---------------------------------------------------------------------------------------------------
// TypeScript children (fixture, drivers)

/** Runs a TypeScript file in a new Node process (through tsx), with an IPC channel and its own process group. */
export function spawnTs(file: string, args: string[] = [], ipc = false): ChildProcess {
  return track(
    spawn(process.execPath, ['--import', 'tsx', file, ...args], {
      cwd: ROOT,
      detached: true,
      stdio: ipc ? ['pipe', 'pipe', 'inherit', 'ipc'] : ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    }),
  );
}

export interface RunningFixture {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Starts the bench fixture server (or another, by `args`: see e2e/fixtures/bench/run.ts) in its own process and waits for its URL. */
export async function startFixture(args: string[] = []): Promise<RunningFixture> {
  const child = spawnTs(path.join(ROOT, 'e2e', 'fixtures', 'bench', 'run.ts'), args);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bench fixture did not start in 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`the bench fixture exited (${code})`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch {
        reject(new Error(`unexpected fixture output: ${line}`));
      }
    });
  });
  return { url, pid: child.pid!, stop: () => stopProcess(child) };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
