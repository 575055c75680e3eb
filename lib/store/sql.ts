// One set of SQL for both databases. Statements are written with `?` placeholders and the few types both
// understand (TEXT, BIGINT); `ON CONFLICT ... DO UPDATE` and `DELETE ... RETURNING` work in SQLite >= 3.35
// and Postgres alike. The placeholder spelling is handled here; what else differs on a real server is handled
// where it bites: BIGINTs come back as strings (toNumber), a BIGINT refuses a fraction (the store rounds
// times), ORDER BY follows the database's collation (the store sorts in code), and concurrent CREATE ... IF
// NOT EXISTS races on Postgres's catalog (its driver runs the schema under an advisory lock).
import type { SqlDialect } from './types';

export type SqlValue = string | number | null;
export type SqlRow = Record<string, unknown>;

/** The little a store needs from a database. */
export interface SqlDriver {
  readonly dialect: SqlDialect;
  /** Runs DDL (several statements separated by `;`); several processes may run it at once. */
  exec(sql: string): Promise<void>;
  /** Runs one statement written with `?` placeholders; returns its rows (RETURNING or SELECT). */
  query(sql: string, params?: readonly SqlValue[]): Promise<{ rows: SqlRow[]; changes: number }>;
  close(): Promise<void>;
}

/** `?` → `$1, $2, ...` for Postgres. The statements here never hold a `?` inside a string literal. */
export function sqlFor(dialect: SqlDialect, sql: string): string {
  if (dialect === 'sqlite') return sql;
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Postgres hands BIGINT back as a string (it may not fit a JS number); ours are epoch ms and do. */
export function toNumber(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export function toText(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS mcpscope_oauth_clients (
  issuer TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  client_id TEXT NOT NULL,
  client_secret_enc TEXT,
  auth_method TEXT NOT NULL,
  registration_enc TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (issuer, redirect_uri)
);
CREATE TABLE IF NOT EXISTS mcpscope_oauth_tokens (
  owner TEXT NOT NULL,
  resource TEXT NOT NULL,
  issuer TEXT,
  client_id TEXT,
  access_token_enc TEXT NOT NULL,
  refresh_token_enc TEXT,
  token_type TEXT NOT NULL,
  scopes TEXT NOT NULL,
  expires_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (owner, resource)
);
CREATE TABLE IF NOT EXISTS mcpscope_oauth_pending (
  state_hash TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  session_id TEXT,
  server_url TEXT NOT NULL,
  resource TEXT NOT NULL,
  issuer TEXT NOT NULL,
  client_id TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  verifier_enc TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS mcpscope_oauth_pending_expiry ON mcpscope_oauth_pending (expires_at);
CREATE TABLE IF NOT EXISTS mcpscope_shares (
  id TEXT PRIMARY KEY,
  owner TEXT,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT
);
CREATE TABLE IF NOT EXISTS mcpscope_saved_servers (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  secrets_enc TEXT,
  last_state TEXT,
  last_at BIGINT,
  last_error_code TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS mcpscope_saved_servers_name ON mcpscope_saved_servers (owner, name);
CREATE TABLE IF NOT EXISTS mcpscope_instances (
  id TEXT PRIMARY KEY,
  address TEXT,
  started_at BIGINT NOT NULL,
  seen_at BIGINT NOT NULL,
  stopped_at BIGINT
);
CREATE TABLE IF NOT EXISTS mcpscope_sessions (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  server_url TEXT NOT NULL,
  transport TEXT NOT NULL,
  state TEXT NOT NULL,
  settings_enc TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS mcpscope_sessions_updated ON mcpscope_sessions (updated_at);
CREATE TABLE IF NOT EXISTS mcpscope_meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;
