// Runs the real `mcpscope` command (node bin/mcpscope.mjs) as a child process. Asynchronously: the servers it
// talks to run in this test process, so a synchronous spawn would block them and hang.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/mcpscope.mjs');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Default: a fresh temporary data directory per test file (see `tempDataDir`). */
  dataDir?: string;
  env?: Record<string, string>;
  /** Called with each stderr chunk (e.g. to act as the browser when the command prints a URL). */
  onStderr?: (text: string) => void;
  timeoutMs?: number;
}

export function runCli(args: string[], options: RunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      // Run from elsewhere than the repository: the command must find its own tsconfig and modules.
      cwd: os.tmpdir(),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: options.dataDir ?? os.tmpdir(),
        NO_COLOR: '1',
        ...(options.dataDir ? { MCPSCOPE_DATA_DIR: options.dataDir } : {}),
        ...options.env,
      } as Record<string, string> as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(chunk);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcpscope ${args.join(' ')} did not finish in time.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-cli-'));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** stderr as lines, without the empty last one. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/** Asserts the one-line error format and returns its code and message. */
export function errorOf(run: CliRun): { code: string; message: string } {
  const errorLines = lines(run.stderr).filter((line) => line.startsWith('mcpscope: '));
  if (errorLines.length !== 1) throw new Error(`expected exactly one error line on stderr, got:\n${run.stderr}`);
  const match = /^mcpscope: ([a-z_]+): (.+)$/.exec(errorLines[0]);
  if (!match) throw new Error(`not an error line: ${errorLines[0]}`);
  return { code: match[1], message: match[2] };
}

/** Asserts the run's one error line has `code` and a message containing each string of `says` and matching each pattern. */
export function expectCliError(run: CliRun, code: string, ...says: Array<string | RegExp>): void {
  const error = errorOf(run);
  expect(error.code).toBe(code);
  for (const said of says) {
    if (typeof said === 'string') expect(error.message).toContain(said);
    else expect(error.message).toMatch(said);
  }
}
