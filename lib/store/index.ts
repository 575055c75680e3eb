// Persistence: OAuth clients, tokens, pending authorizations, shares and saved servers. Server-only (node:crypto, node:fs,
// SQLite as WebAssembly, or Postgres). Secrets are encrypted at rest with AES-256-GCM.
export { openStore, getSharedStore, loadInstanceSecretKey, resolveStoreConfig, storeDialectFor } from './open';
export type { ResolvedStoreConfig } from './open';
export { createSqlStore, PENDING_AUTHORIZATION_TTL_MS } from './store';
export { MAX_SAVED_SERVERS } from './saved-servers';
export { tokenView } from './token-view';
export { sqlFor, SCHEMA } from './sql';
export type { SqlDriver, SqlRow, SqlValue } from './sql';
export { SQLITE_FILE, SQLITE_FILES } from './drivers';
export { connectSqlite, removeStaleLock, STALE_LOCK_MS } from './sqlite';
export type { SqliteConnection } from './sqlite';
export { SecretBox, deriveKey, parseSecretKey, loadOrCreateSecretKey, SECRET_KEY_FILE } from './secret-box';
export { isStoreError, StoreError, STORE_ERROR_CODES } from './errors';
export type { StoreErrorCode } from './errors';
export type * from './types';
