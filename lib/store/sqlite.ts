// SQLite without native code: node-sqlite3-wasm is SQLite compiled to WebAssembly with a file system layer
// (VFS) over node:fs, so `npm install` builds nothing and the file is an ordinary SQLite database. This file is
// the one place that knows the engine; the store's SQL goes through `SqliteConnection` unchanged.
//
// What the engine's VFS implies, and how writes stay fast anyway:
// - Locking is a `<db>.lock` directory (mkdir is atomic). Taken and dropped per statement, with a rollback
//   journal synced per write, a write cost ~20-30 ms of disk work. Instead the file is *leased*: the first
//   statement opens it with `locking_mode = EXCLUSIVE` (the lock stays taken) and `journal_mode = WAL`, which the
//   VFS supports only that way (it has no shared memory); `synchronous = NORMAL` leaves the syncing to the
//   checkpoint. A write is then an append to the WAL (well under a millisecond). The lease ends after
//   `IDLE_RELEASE_MS` without a statement (or at the first pause after `MAX_HOLD_MS`): the WAL is checkpointed and
//   the file switched back to its rollback journal, so at rest it is an ordinary SQLite file and another process
//   (the CLI beside the app, both in ~/.mcpscope) gets the lock; while it is held, that process's statements
//   wait (busy_timeout).
// - Durability: a process crash loses nothing committed (the WAL is in the OS's hands, and the next open
//   replays it); a power loss can lose the writes of the lease in progress (at most `MAX_HOLD_MS` of them), never
//   corrupt the file (WAL with synchronous = NORMAL).
// - Connections of one process to one file share one lease: a second one waiting on the lock would block the
//   event loop (the VFS waits synchronously), so the lease could never be released.
// - A process killed while holding the lock leaves the directory behind, and every later open would wait on it;
//   one older than any lease of ours (`STALE_LOCK_MS`) is removed before opening.
// - A database an older mcpscope (native SQLite) left in WAL mode opens the same way: the exclusive lock lets
//   SQLite replay its WAL without shared memory.
import fs from 'node:fs';
import path from 'node:path';
import type { Database, Statement } from 'node-sqlite3-wasm';
import { createPrivateFile, restrictToOwner } from './private-files';
import type { SqlRow, SqlValue } from './sql';

export interface SqliteConnection {
  /** Several statements separated by `;`, no parameters, as one transaction. */
  exec(sql: string): void;
  /** One statement with `?` placeholders: its rows (SELECT, RETURNING) and how many rows it changed. */
  query(sql: string, params?: readonly SqlValue[]): { rows: SqlRow[]; changes: number };
  close(): void;
}

/** The database's companion files, beside it in the same directory. */
export const JOURNAL_SUFFIX = '-journal';
export const WAL_SUFFIX = '-wal';
const LOCK_SUFFIX = '.lock';
/** A lock held this long belongs to a process that died: a lease lasts at most about `MAX_HOLD_MS`. */
export const STALE_LOCK_MS = 30_000;
/** How long a lease outlives its last statement: a burst of writes shares one. */
export const IDLE_RELEASE_MS = 50;
/** A lease in constant use is still let go this often, so another process waiting on the file gets its turn. */
export const MAX_HOLD_MS = 1_000;
const BUSY_TIMEOUT_MS = 5_000;
/** Prepared statements kept per lease (the store's SQL is a fixed, small set; DDL is not kept). */
const STATEMENT_CACHE = 100;

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i;
const RETURNING = /\bRETURNING\b/i;

/** Removes the lock directory a dead process left; a fresh one is a live process's and is waited for. */
export function removeStaleLock(file: string, now = Date.now()): boolean {
  const lock = `${file}${LOCK_SUFFIX}`;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(lock);
  } catch {
    return false;
  }
  if (!stat.isDirectory() || now - stat.mtimeMs < STALE_LOCK_MS) return false;
  try {
    fs.rmdirSync(lock);
    return true;
  } catch {
    return false;
  }
}

type Engine = typeof Database;

/** One file's connection to the engine, opened while in use and let go when idle (see the top of this file). */
class Lease {
  private db: Database | undefined;
  private readonly statements = new Map<string, Statement>();
  private heldSince = 0;
  private lastUse = 0;
  private timer: NodeJS.Timeout | undefined;
  users = 0;

  constructor(
    private readonly Engine: Engine,
    readonly file: string,
    /** `:memory:` has nothing to give back: letting it go would lose it. */
    private readonly keepOpen: boolean,
  ) {}

  /** Runs `work` on the open database (opening it first when needed); statements never interleave. */
  use<T>(work: (db: Database, prepared: (sql: string) => Statement) => T): T {
    const db = this.db ?? this.open();
    try {
      return work(db, (sql) => this.prepared(db, sql));
    } finally {
      this.lastUse = Date.now();
      if (!this.keepOpen) {
        if (this.lastUse - this.heldSince >= MAX_HOLD_MS) this.release();
        else this.timer ??= setTimeout(() => this.releaseWhenIdle(), IDLE_RELEASE_MS).unref();
      }
    }
  }

  private open(): Database {
    if (this.keepOpen) {
      this.db = new this.Engine(this.file);
      return this.db;
    }
    if (removeStaleLock(this.file))
      console.warn(`mcpscope: removed the lock ${this.file}${LOCK_SUFFIX} left by a process that stopped mid-write`);
    // SQLite would create the WAL with the umask's mode; an empty 0600 one is kept as it is.
    createPrivateFile(`${this.file}${WAL_SUFFIX}`);
    const db = new this.Engine(this.file);
    try {
      db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.all('PRAGMA locking_mode = EXCLUSIVE');
      // The first access: takes the lock (waiting for another process's lease) and replays a leftover WAL.
      db.all('PRAGMA journal_mode = WAL');
      db.all('PRAGMA synchronous = NORMAL');
    } catch (err) {
      db.close();
      throw err;
    }
    restrictToOwner(`${this.file}${WAL_SUFFIX}`);
    this.db = db;
    this.heldSince = Date.now();
    activeLeases.add(this);
    return db;
  }

  private prepared(db: Database, sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE) {
        const [oldest, evicted] = this.statements.entries().next().value as [string, Statement];
        this.statements.delete(oldest);
        evicted.finalize();
      }
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private releaseWhenIdle(): void {
    this.timer = undefined;
    if (!this.db) return;
    const idle = Date.now() - this.lastUse;
    if (idle >= IDLE_RELEASE_MS) this.release();
    else this.timer = setTimeout(() => this.releaseWhenIdle(), IDLE_RELEASE_MS - idle).unref();
  }

  /** Checkpoints, switches the file back to its rollback journal and lets the lock go. */
  release(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const db = this.db;
    if (!db) return;
    this.db = undefined;
    activeLeases.delete(this);
    for (const statement of this.statements.values()) statement.finalize();
    this.statements.clear();
    try {
      if (!this.keepOpen) db.all('PRAGMA journal_mode = PERSIST');
    } catch {
      // The file is gone or unwritable: closing still checkpoints what it can, and the next open replays the rest.
    }
    try {
      db.close();
    } catch {
      // As above; the lock goes with the connection either way.
    }
  }
}

/** The leases of this process by file; `:memory:` databases are never shared. */
const leases = new Map<string, Lease>();
const activeLeases = new Set<Lease>();
let releaseOnExit = false;

async function loadEngine(): Promise<Engine> {
  // CommonJS: under Node's ESM loader its exports arrive as `default`, under a bundler or tsx's CJS as named ones.
  const engine = (await import('node-sqlite3-wasm')) as { Database?: Engine; default?: { Database: Engine } };
  return engine.Database ?? (engine.default as { Database: Engine }).Database;
}

export async function connectSqlite(file: string): Promise<SqliteConnection> {
  const Engine = await loadEngine();
  const inMemory = file === ':memory:';
  const key = inMemory ? file : path.resolve(file);
  let lease = inMemory ? undefined : leases.get(key);
  if (!lease) {
    lease = new Lease(Engine, key, inMemory);
    if (!inMemory) leases.set(key, lease);
  }
  if (!releaseOnExit) {
    releaseOnExit = true;
    // A command that exits right after its last statement must not leave the lock to go stale.
    process.once('exit', () => {
      for (const active of [...activeLeases]) {
        try {
          active.release();
        } catch {
          // exiting anyway; the next open replays the WAL
        }
      }
    });
  }
  // The first access happens here, as it did when each connection opened its own file: a bad file fails now.
  lease.users++;
  const shared = lease;
  try {
    shared.use((db) => db.all('SELECT count(*) FROM sqlite_master'));
  } catch (err) {
    closeConnection(shared, key);
    throw err;
  }
  let closed = false;
  return {
    exec(sql) {
      if (closed) throw new Error('Database is closed');
      // One transaction: each statement on its own would commit once more.
      shared.use((db) => {
        db.exec('BEGIN IMMEDIATE');
        try {
          db.exec(sql);
          db.exec('COMMIT');
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      });
    },
    query(sql, params = []) {
      if (closed) throw new Error('Database is closed');
      return shared.use((_db, prepared) => {
        const statement = prepared(sql);
        const values = [...params];
        if (WRITE.test(sql) && !RETURNING.test(sql)) return { rows: [], changes: statement.run(values).changes };
        const rows = statement.all(values) as SqlRow[];
        // A write with RETURNING changed exactly the rows it returned.
        return { rows, changes: WRITE.test(sql) ? rows.length : 0 };
      });
    },
    close() {
      // Closing twice is a no-op, as it was with the native driver.
      if (closed) return;
      closed = true;
      closeConnection(shared, key);
    },
  };
}

function closeConnection(lease: Lease, key: string): void {
  lease.users--;
  if (lease.users > 0) return;
  if (leases.get(key) === lease) leases.delete(key);
  lease.release();
}
