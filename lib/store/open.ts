import { openPostgresDriver, openSqliteDriver } from './drivers';
import { loadOrCreateSecretKey, SecretBox } from './secret-box';
import type { SqlDriver } from './sql';
import { createSqlStore } from './store';
import type { Store, StoreConfig } from './types';

export interface ResolvedStoreConfig {
  dataDir: string;
  databaseUrl?: string;
  secretKey?: string;
}

/** Fills a config from the environment: explicit values win, then MCPSCOPE_DATA_DIR / DATABASE_URL / MCPSCOPE_SECRET_KEY. */
export function resolveStoreConfig(config: StoreConfig = {}, env: Record<string, string | undefined> = process.env): ResolvedStoreConfig {
  const pick = (value: string | undefined, name: string): string | undefined => {
    const v = value ?? env[name];
    return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
  };
  const resolved: ResolvedStoreConfig = { dataDir: pick(config.dataDir, 'MCPSCOPE_DATA_DIR') ?? '.data' };
  const databaseUrl = pick(config.databaseUrl, 'DATABASE_URL');
  if (databaseUrl) resolved.databaseUrl = databaseUrl;
  const secretKey = pick(config.secretKey, 'MCPSCOPE_SECRET_KEY');
  if (secretKey) resolved.secretKey = secretKey;
  return resolved;
}

/**
 * This instance's secret key: MCPSCOPE_SECRET_KEY, else `<data dir>/secret.key` (created on first use). The
 * store encrypts with it; other keys are derived from it (`deriveKey`).
 */
export function loadInstanceSecretKey(env: Record<string, string | undefined> = process.env): Buffer {
  const resolved = resolveStoreConfig({}, env);
  return loadOrCreateSecretKey(resolved.dataDir, resolved.secretKey);
}

/** Which database a config selects; the one place the SQLite/Postgres choice is made. */
export function storeDialectFor(config: ResolvedStoreConfig): SqlDriver['dialect'] {
  return config.databaseUrl ? 'postgres' : 'sqlite';
}

/**
 * Opens the store: SQLite at `<dataDir>/mcpscope.sqlite` (WAL) by default, Postgres when a database URL is
 * configured. Creates the tables on first use. The key is loaded (or created) before the database is touched,
 * so a bad key fails fast.
 */
export async function openStore(config: StoreConfig = {}): Promise<Store> {
  const resolved = resolveStoreConfig(config);
  const box = new SecretBox(loadOrCreateSecretKey(resolved.dataDir, resolved.secretKey));
  const driver =
    storeDialectFor(resolved) === 'postgres'
      ? await openPostgresDriver(resolved.databaseUrl as string)
      : await openSqliteDriver(resolved.dataDir);
  try {
    return await createSqlStore(driver, box, config.now);
  } catch (err) {
    await driver.close().catch(() => undefined);
    throw err;
  }
}

const SHARED = Symbol.for('mcpscope.store');
type SharedHolder = { [SHARED]?: Promise<Store> };

/**
 * The process's one store, opened from the environment on first call. Kept on globalThis so a dev-server
 * module reload does not open a second connection to the same file.
 */
export function getSharedStore(): Promise<Store> {
  const holder = globalThis as SharedHolder;
  if (!holder[SHARED]) {
    const opening = openStore();
    holder[SHARED] = opening;
    // A failed open is not cached: the next call tries again (e.g. once Postgres is up).
    opening.catch(() => {
      if (holder[SHARED] === opening) delete holder[SHARED];
    });
  }
  return holder[SHARED];
}
