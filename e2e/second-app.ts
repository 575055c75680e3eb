// A second mcpscope server for the e2e specs that need other settings than the main one (hosted mode, an
// access token, small limits) or that restart it. Same build, its own port, its own data dir, 127.0.0.1 only.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freeLoopbackPort } from './fixtures/ports';

export interface SecondApp {
  origin: string;
  port: number;
  env: Record<string, string>;
  /** Stops the server (SIGTERM, then SIGKILL) and waits for the port to close. */
  stop(): Promise<void>;
  /** Stops and starts it again with the same port, env and data dir (an app restart). */
  restart(): Promise<void>;
  /** The server's process id while it runs (to kill it the hard way). */
  pid(): number | undefined;
}

/** Waits until the app answers; false if its process exited first. */
async function waitForHealth(origin: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${origin}/api/health`);
      if (response.ok) return true;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || child.signalCode !== null) return false;
    if (Date.now() > until) throw new Error(`the second app at ${origin} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The per-address and rate limits raised for a load run from this machine: every browser of a test comes from one
 * address, so `capacity` sessions may connect from it at once; connects and requests get a minute on a busy machine.
 */
export function loadRunLimits(capacity: number): Record<string, string> {
  return {
    MCPSCOPE_MAX_SESSIONS_PER_ADDRESS: String(capacity),
    MCPSCOPE_MAX_CONNECTING_PER_ADDRESS: String(capacity),
    MCPSCOPE_SESSION_RATE: '100000',
    MCPSCOPE_SESSION_BURST: String(capacity),
    MCPSCOPE_CONNECT_TIMEOUT_MS: '60000',
    MCPSCOPE_REQUEST_TIMEOUT_MS: '60000',
  };
}

export async function startSecondApp(extraEnv: Record<string, string>): Promise<SecondApp> {
  const port = await freeLoopbackPort();
  const origin = `http://localhost:${port}`;
  const root = path.resolve(__dirname, '..');
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: origin,
    MCPSCOPE_DATA_DIR: `.data/e2e-second-${port}`,
    MCPSCOPE_SKIP_BUILD: '1',
    NEXT_TELEMETRY_DISABLED: '1',
    ...extraEnv,
  };
  let child: ChildProcess | undefined;
  const start = async () => {
    let output = '';
    // Other work may be rebuilding .next at this moment ("no production build"): try again a few times.
    for (let attempt = 1; attempt <= 4; attempt++) {
      const spawned = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = spawned;
      output = '';
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-4000);
      };
      spawned.stdout?.on('data', keep);
      spawned.stderr?.on('data', keep);
      if (await waitForHealth(origin, spawned, 60_000)) return;
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
    throw new Error(`the second app at ${origin} kept exiting:\n${output}`);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    // The Next.js child goes with start.mjs; wait until nothing answers on the port.
    for (let i = 0; i < 40; i++) {
      const open = await fetch(`${origin}/api/health`).then(
        () => true,
        () => false,
      );
      if (!open) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  await start();
  return {
    origin,
    port,
    env,
    stop,
    restart: async () => {
      await stop();
      await start();
    },
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
  };
}
