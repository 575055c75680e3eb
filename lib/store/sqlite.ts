// SQLite without native code: node-sqlite3-wasm is SQLite compiled to WebAssembly with a file system layer
// (VFS) over node:fs, so `npm install` builds nothing and the file is an ordinary SQLite database. This file is
// the one place that knows the engine; the store's SQL goes through `SqliteConnection` unchanged.
//
// What the engine's VFS implies:
// - No shared memory, so no WAL: a rollback journal, kept (PERSIST) so the file exists before SQLite writes page
//   images into it and can be made owner-only like the database (SQLite would create it with the umask's mode).
// - Locking is a `<db>.lock` directory (mkdir is atomic), held while a statement or transaction runs and
//   removed after. A process killed in between leaves it behind, and every later open would wait on it forever;
//   one older than any statement of ours can take (`STALE_LOCK_MS`) is removed before opening.
// - A database an older mcpscope (native SQLite, WAL mode) wrote cannot be opened as it is: it is switched to the
//   rollback journal once, under an exclusive lock, where SQLite can read a leftover WAL without shared memory.
import fs from 'node:fs';
import type { Database, Statement } from 'node-sqlite3-wasm';
import type { SqlRow, SqlValue } from './sql';

export interface SqliteConnection {
  /** Several statements separated by `;`, no parameters, as one transaction. */
  exec(sql: string): void;
  /** One statement with `?` placeholders: its rows (SELECT, RETURNING) and how many rows it changed. */
  query(sql: string, params?: readonly SqlValue[]): { rows: SqlRow[]; changes: number };
  close(): void;
}

/** The database's companion files (rollback journal), beside it in the same directory. */
export const JOURNAL_SUFFIX = '-journal';
const LOCK_SUFFIX = '.lock';
/** A lock held this long belongs to a process that died: our statements take milliseconds. */
export const STALE_LOCK_MS = 30_000;
const BUSY_TIMEOUT_MS = 5_000;
/** Prepared statements kept per connection (the store's SQL is a fixed, small set; DDL is not kept). */
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

/** The file format's write version (header byte 18) is 2 in WAL mode. */
function inWalMode(file: string): boolean {
  const header = Buffer.alloc(20);
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    return fs.readSync(fd, header, 0, 20, 0) === 20 && header[18] === 2;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export async function connectSqlite(file: string): Promise<SqliteConnection> {
  // CommonJS: under Node's ESM loader its exports arrive as `default`, under a bundler or tsx's CJS as named ones.
  const engine = (await import('node-sqlite3-wasm')) as { Database?: typeof Database; default?: { Database: typeof Database } };
  const Engine = engine.Database ?? (engine.default as { Database: typeof Database }).Database;
  if (file !== ':memory:' && removeStaleLock(file))
    console.warn(`mcpscope: removed the lock ${file}${LOCK_SUFFIX} left by a process that stopped mid-write`);
  const db = new Engine(file);
  const statements = new Map<string, Statement>();
  const prepared = (sql: string): Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (statements.size >= STATEMENT_CACHE) {
        const [oldest, evicted] = statements.entries().next().value as [string, Statement];
        statements.delete(oldest);
        evicted.finalize();
      }
      statements.set(sql, statement);
    }
    return statement;
  };
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (file !== ':memory:') {
      const wal = inWalMode(file);
      if (wal) db.all('PRAGMA locking_mode = EXCLUSIVE');
      db.all('PRAGMA journal_mode = PERSIST');
      if (wal) {
        db.all('PRAGMA locking_mode = NORMAL');
        // The exclusive lock is let go at the next access.
        db.all('SELECT count(*) FROM sqlite_master');
      }
    }
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    exec(sql) {
      // One transaction: each statement on its own would take the lock and sync the journal once more.
      db.exec('BEGIN IMMEDIATE');
      try {
        db.exec(sql);
        db.exec('COMMIT');
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    },
    query(sql, params = []) {
      const statement = prepared(sql);
      const values = [...params];
      if (WRITE.test(sql) && !RETURNING.test(sql)) return { rows: [], changes: statement.run(values).changes };
      const rows = statement.all(values) as SqlRow[];
      // A write with RETURNING changed exactly the rows it returned.
      return { rows, changes: WRITE.test(sql) ? rows.length : 0 };
    },
    close() {
      // Closing twice is a no-op, as it was with the native driver (the engine itself throws "already closed").
      if (!db.isOpen) return;
      for (const statement of statements.values()) statement.finalize();
      statements.clear();
      db.close();
    },
  };
}
