// The two database drivers behind `SqlDriver`. Each is loaded only when used, so a Postgres deployment never
// loads the native SQLite module and a SQLite one never loads `pg`.
import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from './errors';
import { sqlFor, type SqlDriver, type SqlRow, type SqlValue } from './sql';

export const SQLITE_FILE = 'mcpscope.sqlite';

export async function openSqliteDriver(dataDir: string): Promise<SqlDriver> {
  const { default: Database } = await import('better-sqlite3');
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, SQLITE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return {
    dialect: 'sqlite',
    async exec(sql) {
      db.exec(sql);
    },
    async query(sql, params: readonly SqlValue[] = []) {
      const statement = db.prepare(sql);
      if (statement.reader) return { rows: statement.all(...params) as SqlRow[], changes: 0 };
      const info = statement.run(...params);
      return { rows: [], changes: info.changes };
    },
    async close() {
      db.close();
    },
  };
}

export async function openPostgresDriver(databaseUrl: string): Promise<SqlDriver> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 5 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return {
    dialect: 'postgres',
    async exec(sql) {
      await withPostgres(() => pool.query(sql));
    },
    async query(sql, params: readonly SqlValue[] = []) {
      const result = await withPostgres(() => pool.query(sqlFor('postgres', sql), [...params]));
      return { rows: result.rows as SqlRow[], changes: result.rowCount ?? 0 };
    },
    async close() {
      await pool.end();
    },
  };
}

async function withPostgres<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    // SQLSTATE codes are 5 characters; anything else (ECONNREFUSED, ENOTFOUND...) means no database to talk to.
    if (typeof code === 'string' && code.length === 5) throw err;
    throw new StoreError('store_unavailable', `Cannot reach the Postgres database (DATABASE_URL): ${(err as Error).message}`, { cause: err });
  }
}
