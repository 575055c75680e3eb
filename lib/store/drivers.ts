// The two database drivers behind `SqlDriver`. Each is loaded only when used, so a Postgres deployment never
// loads SQLite's WebAssembly and a SQLite one never loads `pg`.
import path from 'node:path';
import type { PoolClient } from 'pg';
import { StoreError } from './errors';
import { createPrivateFile, makePrivateDir, restrictToOwner } from './private-files';
import { sqlFor, type SqlDriver, type SqlRow, type SqlValue } from './sql';
import { connectSqlite, JOURNAL_SUFFIX, WAL_SUFFIX } from './sqlite';

export const SQLITE_FILE = 'mcpscope.sqlite';

/**
 * The database, the rollback journal SQLite keeps beside it, and the WAL it writes while a process holds the file
 * (lib/store/sqlite.ts; removed when the process lets go).
 */
export const SQLITE_FILES = [SQLITE_FILE, `${SQLITE_FILE}${JOURNAL_SUFFIX}`, `${SQLITE_FILE}${WAL_SUFFIX}`] as const;

export async function openSqliteDriver(dataDir: string): Promise<SqlDriver> {
  makePrivateDir(dataDir);
  // SQLite would create its files with the umask's mode (0644); empty 0600 files are a new database and an
  // empty journal and WAL to it, and it keeps their mode.
  // (turbopackIgnore: the data directory is chosen at run time; the build must not trace the project for it.)
  for (const name of SQLITE_FILES) {
    createPrivateFile(path.join(/*turbopackIgnore: true*/ dataDir, name));
    restrictToOwner(path.join(/*turbopackIgnore: true*/ dataDir, name));
  }
  const db = await connectSqlite(path.join(/*turbopackIgnore: true*/ dataDir, SQLITE_FILE));
  return {
    dialect: 'sqlite',
    async exec(sql) {
      db.exec(sql);
    },
    async query(sql, params: readonly SqlValue[] = []) {
      const { rows, changes } = db.query(sql, params);
      return { rows: rows as SqlRow[], changes };
    },
    async close() {
      db.close();
    },
  };
}

export async function openPostgresDriver(databaseUrl: string): Promise<SqlDriver> {
  const { default: pg } = await import('pg');
  // Without a connect timeout, a server that drops packets would hang every request that touches the store.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);

  async function withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      // Refused, timed out, wrong password, no such database: whatever it is, there is no database to use.
      throw unavailable(err);
    }
    let lost: Error | undefined;
    try {
      return await fn(client);
    } catch (err) {
      if (!lostConnection(err)) throw err;
      lost = err as Error;
      throw unavailable(err);
    } finally {
      // A client whose connection broke is destroyed, not put back for the next caller to trip on.
      client.release(lost);
    }
  }

  return {
    dialect: 'postgres',
    async exec(sql) {
      // Several instances starting at once against an empty database would race their CREATE ... IF NOT EXISTS
      // into duplicate-key errors on Postgres's own catalog; one transaction under one advisory lock serializes them.
      await withClient(async (client) => {
        await client.query('BEGIN');
        try {
          await client.query("SELECT pg_advisory_xact_lock(hashtext('mcpscope.schema'))");
          await client.query(sql);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      });
    },
    async query(sql, params: readonly SqlValue[] = []) {
      const result = await withClient((client) => client.query(sqlFor('postgres', sql), [...params]));
      return { rows: result.rows as SqlRow[], changes: result.rowCount ?? 0 };
    },
    async close() {
      await pool.end();
    },
  };
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * True when the failure is the connection, not the statement: no SQLSTATE at all (ECONNRESET, "Connection
 * terminated unexpectedly"), class 08 (connection exception) or 57P01-57P03 (the server shutting down or starting).
 */
function lostConnection(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string' || code.length !== 5) return true;
  // 08P01 (protocol violation) is also what a statement with the wrong number of parameters gets: our bug, not an outage.
  return (code.startsWith('08') && code !== '08P01') || /^57P0[123]$/.test(code);
}

function unavailable(err: unknown): StoreError {
  return new StoreError('store_unavailable', `Cannot use the Postgres database at DATABASE_URL: ${(err as Error).message}`, { cause: err });
}
