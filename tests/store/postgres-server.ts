// A real, throwaway PostgreSQL server for tests: its own data directory under the temp dir, bound to
// 127.0.0.1 on a free port, no Unix socket, durability off (a test database need not survive a crash).
// The binaries are Debian's (`apt-get install -y postgresql`, see .ci/run) unless MCPSCOPE_TEST_PG_BINDIR
// names another directory holding `initdb` and `postgres`.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { freeLoopbackPort } from '@/e2e/fixtures/ports';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);
const SUPERUSER = 'mcpscope';
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

export interface PostgresServer {
  readonly port: number;
  readonly version: string;
  /** A connection URL for `database` on this server. */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs one statement as the superuser, on `database` (default `postgres`). */
  query(sql: string, params?: unknown[], database?: string): Promise<pg.QueryResult>;
  /** Stops the server (fast shutdown: open connections are cut) and keeps the data directory. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data directory. */
  destroy(): Promise<void>;
}

export function findPostgresBinDir(env: Record<string, string | undefined> = process.env): string {
  const has = (dir: string) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'postgres'));
  const explicit = env.MCPSCOPE_TEST_PG_BINDIR?.trim();
  if (explicit) {
    if (has(explicit)) return explicit;
    throw new Error(`MCPSCOPE_TEST_PG_BINDIR=${explicit} holds no initdb and postgres binaries.`);
  }
  // Debian keeps server binaries per major version, off PATH.
  const debianRoot = '/usr/lib/postgresql';
  const versions = fs.existsSync(debianRoot)
    ? fs
        .readdirSync(debianRoot)
        .filter((v) => /^\d+$/.test(v) && has(path.join(debianRoot, v, 'bin')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return path.join(debianRoot, versions[0], 'bin');
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && has(dir)) return dir;
  }
  throw new Error(
    'No PostgreSQL server binaries (initdb, postgres) found: install them with `apt-get install -y postgresql` ' +
      '(.ci/run does) or point MCPSCOPE_TEST_PG_BINDIR at a directory holding them.',
  );
}

/** Postgres refuses to run as root: when we are root, it runs as the `postgres` user (or `nobody`). */
function serverIdentity(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const users = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'));
  for (const name of ['postgres', 'nobody']) {
    const entry = users.find((fields) => fields[0] === name);
    if (entry) return { uid: Number(entry[2]), gid: Number(entry[3]) };
  }
  throw new Error('Running as root and there is neither a `postgres` nor a `nobody` user to run PostgreSQL as.');
}

async function serverVersion(binDir: string): Promise<{ text: string; major: number }> {
  const { stdout } = await execFileAsync(path.join(binDir, 'postgres'), ['--version']);
  const match = /(\d+)(?:\.(\d+))?/.exec(stdout);
  return { text: stdout.trim(), major: match ? Number(match[1]) : 0 };
}

/** initdb + postgres on a free 127.0.0.1 port. Call `destroy()` when done. */
export async function startPostgres(): Promise<PostgresServer> {
  const binDir = findPostgresBinDir();
  const identity = serverIdentity();
  const version = await serverVersion(binDir);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-pg-'));
  if (identity) fs.chownSync(root, identity.uid, identity.gid);
  const dataDir = path.join(root, 'data');

  const initArgs = ['-D', dataDir, '-U', SUPERUSER, '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'];
  // A linguistic collation (as most real databases have) rather than C, so ORDER BY differences from SQLite show.
  if (version.major >= 15) initArgs.push('--locale-provider=icu', '--icu-locale=en-US');
  try {
    await execFileAsync(path.join(binDir, 'initdb'), initArgs, { ...(identity ?? {}), cwd: root });
  } catch (err) {
    fs.rmSync(root, { recursive: true, force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(`initdb failed: ${e.stderr || e.message}`);
  }

  let child: ChildProcess | undefined;
  let port = 0;
  let log = '';
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  const launch = (onPort: number): Promise<void> =>
    new Promise((resolve, reject) => {
      log = '';
      const proc = spawn(
        path.join(binDir, 'postgres'),
        [
          '-D',
          dataDir,
          '-p',
          String(onPort),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
          '-c',
          'max_connections=200',
        ],
        { ...(identity ?? {}), cwd: root, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      child = proc;
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`PostgreSQL did not start within ${START_TIMEOUT_MS} ms:\n${log}`));
      }, START_TIMEOUT_MS);
      proc.stderr?.setEncoding('utf8');
      proc.stderr?.on('data', (chunk: string) => {
        // Keep the tail only: enough to explain a failure, not a whole test run's log.
        log = (log + chunk).slice(-8000);
        if (log.includes('database system is ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (child === proc) child = undefined;
        reject(new Error(`PostgreSQL exited (${signal ?? code}) before it was ready:\n${log}`));
      });
    });

  // The free port can be taken between our probe and Postgres's bind; try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freeLoopbackPort();
    try {
      await launch(port);
      break;
    } catch (err) {
      if (attempt >= 5 || !/could not bind|Address already in use/i.test((err as Error).message)) {
        process.removeListener('exit', killOnExit);
        fs.rmSync(root, { recursive: true, force: true });
        throw err;
      }
    }
  }

  const url = (database = 'postgres') => `postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`;

  const query = async (sql: string, params: unknown[] = [], database = 'postgres') => {
    const client = new pg.Client({ connectionString: url(database) });
    await client.connect();
    try {
      return await client.query(sql, params);
    } finally {
      await client.end();
    }
  };

  const stop = async () => {
    const proc = child;
    if (!proc) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
      proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      proc.kill('SIGINT'); // fast shutdown
    });
  };

  return {
    port,
    version: version.text,
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain database name: ${name}`);
      // FILE_COPY (Postgres 15+) copies the template's files instead of WAL-logging every block: twice as fast.
      await query(`CREATE DATABASE ${name}${version.major >= 15 ? ' STRATEGY FILE_COPY' : ''}`);
      return url(name);
    },
    query,
    stop,
    async start() {
      if (!child) await launch(port);
    },
    async destroy() {
      await stop();
      process.removeListener('exit', killOnExit);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
