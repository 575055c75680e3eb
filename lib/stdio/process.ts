// A stdio server's process: started in a process group of its own, so stopping it stops everything it started
// (`npx` runs the server as a grandchild, shell wrappers add more), and never outliving mcpscope.
//
// Why not the SDK's StdioClientTransport: it signals only its direct child (an `npx` wrapper's server lives on),
// its stderr is a plain pipe with no cap, and its line reader throws away a stdout line that is not JSON, which is
// exactly what a person debugging a broken stdio server needs to see (lib/stdio/transport.ts records it).
import { spawn, type ChildProcess } from 'node:child_process';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';

export interface ProcessExit {
  code: number | null;
  signal: string | null;
  /** mcpscope stopped it (as opposed to the server exiting on its own). */
  stopped: boolean;
}

export interface LaunchSpec {
  command: string;
  args: readonly string[];
  /** Set on top of the inherited safe variables (PATH, HOME, …; the SDK's default list). */
  env: Readonly<Record<string, string>>;
  cwd?: string;
}

export interface ProcessHandlers {
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
  exit(exit: ProcessExit): void;
}

/** Time a server gets to exit after its stdin closes and SIGTERM, before SIGKILL. */
export const STOP_GRACE_MS = 2_000;

// Every live process group, so they can be killed when mcpscope itself exits (on globalThis: Next may load this
// module more than once, and each copy must see them all).
const GROUPS_KEY = Symbol.for('mcpscope.stdio-groups');
function liveGroups(): Set<number> {
  const holder = globalThis as typeof globalThis & { [GROUPS_KEY]?: Set<number> };
  if (!holder[GROUPS_KEY]) {
    const groups = new Set<number>();
    holder[GROUPS_KEY] = groups;
    // 'exit' handlers run synchronously and last: SIGKILL is all there is time for. scripts/start.mjs turns
    // SIGINT/SIGTERM into process.exit, so this runs on a normal shutdown as well as on a crash.
    process.once('exit', () => {
      for (const pid of groups) killGroup(pid, 'SIGKILL');
    });
  }
  return holder[GROUPS_KEY];
}

/** Process ids of the stdio servers this process has running (tests check that none is left behind). */
export function runningServerPids(): number[] {
  return [...liveGroups()];
}

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    // A negative pid signals the whole group the server leads (it was started `detached`).
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class ServerProcess {
  private child: ChildProcess | undefined;
  private exitInfo: ProcessExit | undefined;
  private stopping = false;
  private readonly exited: Promise<ProcessExit>;
  private resolveExit!: (exit: ProcessExit) => void;

  constructor(
    private readonly spec: LaunchSpec,
    private readonly handlers: ProcessHandlers,
  ) {
    this.exited = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get exit(): ProcessExit | undefined {
    return this.exitInfo;
  }

  /** Resolves once the process runs; rejects when it cannot be started (no such program, no permission, bad cwd). */
  start(): Promise<number> {
    return new Promise((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(this.spec.command, [...this.spec.args], {
          env: { ...getDefaultEnvironment(), ...this.spec.env } as NodeJS.ProcessEnv,
          cwd: this.spec.cwd || undefined,
          stdio: ['pipe', 'pipe', 'pipe'],
          shell: false,
          // Its own process group: the whole tree can be signalled at once.
          detached: true,
          windowsHide: true,
        });
      } catch (error) {
        reject(error);
        return;
      }
      this.child = child;
      let started = false;
      child.once('error', (error) => {
        if (!started) {
          reject(error);
          // Never started: the caller records the failure; there is no exit to tell.
          this.finish({ code: null, signal: null, stopped: this.stopping }, false);
        }
      });
      child.once('spawn', () => {
        started = true;
        if (child.pid !== undefined) liveGroups().add(child.pid);
        resolve(child.pid ?? -1);
      });
      child.stdout?.on('data', (chunk: Buffer) => this.handlers.stdout(chunk));
      child.stderr?.on('data', (chunk: Buffer) => this.handlers.stderr(chunk));
      // A server that exits while mcpscope writes makes the pipe fail (EPIPE); the exit says what happened.
      child.stdin?.on('error', () => undefined);
      child.stdout?.on('error', () => undefined);
      child.stderr?.on('error', () => undefined);
      // The leader exited: anything it left in its group goes too, after a moment to flush its pipes (a child that
      // inherited stdout would otherwise hold it open, and 'close' would never come).
      child.once('exit', () => {
        const pid = child.pid;
        if (pid === undefined) return;
        setTimeout(() => {
          if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
        }, 300).unref();
      });
      // 'close' comes after the pipes drained, so every line the server wrote is read before the exit is told.
      child.once('close', (code, signal) => {
        if (!started) return;
        const pid = child.pid;
        if (pid !== undefined) {
          if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
          liveGroups().delete(pid);
        }
        this.finish({ code, signal, stopped: this.stopping });
      });
    });
  }

  /** Writes one line (the newline is added). Rejects when the process is gone. */
  write(line: string): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed || this.exitInfo) return Promise.reject(new Error('the server process is not running'));
    return new Promise((resolve, reject) => {
      stdin.write(`${line}\n`, (error) => (error ? reject(error) : resolve()));
    });
  }

  /**
   * Stops the server: stdin closed (how the MCP stdio transport says "shut down"), SIGTERM to its group, then
   * SIGKILL to the group after the grace time. Resolves with how it ended. Idempotent.
   */
  async stop(graceMs: number = STOP_GRACE_MS): Promise<ProcessExit> {
    const child = this.child;
    if (!child || this.exitInfo) return this.exitInfo ?? { code: null, signal: null, stopped: true };
    if (!this.stopping) {
      this.stopping = true;
      child.stdin?.end();
      const pid = child.pid;
      if (pid !== undefined) {
        // A moment for a clean exit on end of input, then the group is told to stop, then made to.
        const softly = setTimeout(() => killGroup(pid, 'SIGTERM'), Math.min(200, graceMs / 4));
        const hard = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
        void this.exited.finally(() => {
          clearTimeout(softly);
          clearTimeout(hard);
        });
      }
    }
    return this.exited;
  }

  private finish(exit: ProcessExit, tell = true): void {
    if (this.exitInfo) return;
    this.exitInfo = exit;
    if (tell) this.handlers.exit(exit);
    this.resolveExit(exit);
  }
}
