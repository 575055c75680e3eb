import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  connectSqlite,
  createSqlStore,
  openStore,
  removeStaleLock,
  resolveStoreConfig,
  SecretBox,
  SECRET_KEY_FILE,
  SQLITE_FILE,
  SQLITE_FILES,
  sqlFor,
  STALE_LOCK_MS,
  storeDialectFor,
  StoreError,
  type SqlDriver,
  type SqliteConnection,
  type SqlValue,
} from '@/lib/store';
import { ACCESS, describeStoreContract, shortPendingAuthorization, type ContractHarness, type ContractTarget, VERIFIER } from './contract';

const sqlite: ContractHarness = {
  dialect: 'sqlite',
  async fresh(): Promise<ContractTarget> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-store-'));
    const file = path.join(dir, SQLITE_FILE);
    // A second connection, as another process would have; opened lazily because the file may not exist yet.
    let raw: SqliteConnection | undefined;
    const db = async () => (raw ??= await connectSqlite(file));
    return {
      config: { dataDir: dir, databaseUrl: '', secretKey: '' },
      async rawContains(needle) {
        // Every byte SQLite wrote: the main file and the rollback journal (it holds page images of recent writes).
        const parts = SQLITE_FILES.map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));
        const bytes = Buffer.concat(parts.map((f) => fs.readFileSync(f)));
        if (bytes.length === 0) throw new Error('The database file is empty: nothing to search.');
        return bytes.includes(Buffer.from(needle));
      },
      async rawQuery(sql, params = []) {
        return (await db()).query(sql, params as SqlValue[]).rows;
      },
      async tables() {
        if (!fs.existsSync(file)) return [];
        const { rows } = (await db()).query("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'mcpscope_%' ORDER BY name");
        return rows.map((r) => String(r.name));
      },
      async cleanup() {
        raw?.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const ctx = describeStoreContract(sqlite);
const clock = () => ctx.clock;

describe('SQLite specifics', () => {
  it('keeps the database in one file in the data directory', () => {
    expect(fs.existsSync(path.join(ctx.target.config.dataDir, SQLITE_FILE))).toBe(true);
  });
});

/**
 * A fresh data directory whose SQLite store holds one token (owner 'o', resource 'r', ACCESS), closed again:
 * what an earlier run of mcpscope left behind. The caller removes the directory.
 */
async function dataDirHoldingOneToken(prefix: string): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const first = await openStore({ dataDir, databaseUrl: '', secretKey: '' });
  await first.saveTokens({ owner: 'o', resource: 'r', accessToken: ACCESS, tokenType: 'Bearer', scopes: [] });
  await first.close();
  return dataDir;
}

describe('file modes (issue 12: mcpscope.sqlite was created world-readable)', () => {
  const mode = (file: string) => fs.statSync(file).mode & 0o777;

  it('creates the data directory 0700 and the database and its journal 0600, even under a permissive umask', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-modes-'));
    const dataDir = path.join(parent, 'nested', 'data');
    const previous = process.umask(0o002);
    try {
      const store = await openStore({ dataDir, databaseUrl: '', secretKey: '' });
      // A write, so the WAL has held page images (the process holds the file: lib/store/sqlite.ts).
      await store.saveTokens({ owner: 'o', resource: 'r', accessToken: ACCESS, tokenType: 'Bearer', scopes: [] });
      const [database, journal, wal] = SQLITE_FILES;
      for (const name of [database, wal, SECRET_KEY_FILE]) expect(mode(path.join(dataDir, name)), name).toBe(0o600);
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(path.join(parent, 'nested'))).toBe(0o700);
      await store.close();
      // Let go, the file is back on its rollback journal, which the switch wrote.
      for (const name of [database, journal]) expect(mode(path.join(dataDir, name)), name).toBe(0o600);
    } finally {
      process.umask(previous);
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  it('narrows a database an older mcpscope left 0644, and keeps what it holds', async () => {
    const dataDir = await dataDirHoldingOneToken('mcpscope-modes-');
    try {
      for (const name of SQLITE_FILES) if (fs.existsSync(path.join(dataDir, name))) fs.chmodSync(path.join(dataDir, name), 0o644);
      const again = await openStore({ dataDir, databaseUrl: '', secretKey: '' });
      expect((await again.getTokens('o', 'r'))?.accessToken).toBe(ACCESS);
      for (const name of SQLITE_FILES)
        if (fs.existsSync(path.join(dataDir, name))) expect(mode(path.join(dataDir, name)), name).toBe(0o600);
      await again.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('SecretBox', () => {
  it('binds each ciphertext to its context and uses a fresh nonce every time', () => {
    const box = new SecretBox(Buffer.alloc(32, 3));
    const sealed = box.seal(ACCESS, 'access-token|alice|r');
    expect(box.open(sealed, 'access-token|alice|r')).toBe(ACCESS);
    expect(() => box.open(sealed, 'access-token|mallory|r')).toThrow(StoreError);
    expect(box.seal(ACCESS, 'x')).not.toBe(box.seal(ACCESS, 'x'));
  });
});

describe('SQL dialect switch', () => {
  it('picks Postgres exactly when a database URL is configured', () => {
    expect(storeDialectFor(resolveStoreConfig({ dataDir: '/d' }, {}))).toBe('sqlite');
    expect(storeDialectFor(resolveStoreConfig({}, { DATABASE_URL: 'postgres://u@h/db' }))).toBe('postgres');
    expect(storeDialectFor(resolveStoreConfig({ databaseUrl: '  ' }, {}))).toBe('sqlite');
    expect(resolveStoreConfig({}, { MCPSCOPE_DATA_DIR: '/x', MCPSCOPE_SECRET_KEY: 'k' })).toEqual({ dataDir: '/x', secretKey: 'k' });
    expect(resolveStoreConfig({}, {})).toEqual({ dataDir: '.data' });
  });

  it('numbers placeholders for Postgres and leaves SQLite alone', () => {
    const sql = 'SELECT * FROM t WHERE a = ? AND b = ? OR c IN (?, ?)';
    expect(sqlFor('sqlite', sql)).toBe(sql);
    expect(sqlFor('postgres', sql)).toBe('SELECT * FROM t WHERE a = $1 AND b = $2 OR c IN ($3, $4)');
  });

  it('runs the whole store through a Postgres-dialect driver with numbered placeholders', async () => {
    // A driver that speaks the Postgres placeholder dialect on top of SQLite: every statement the store sends
    // must be valid after numbering, with as many parameters as placeholders, and it hands BIGINTs back as
    // strings the way `pg` does.
    const db = await connectSqlite(':memory:');
    const seen: string[] = [];
    const driver: SqlDriver = {
      dialect: 'postgres',
      async exec(sql) {
        db.exec(sql);
      },
      async query(sql, params: readonly SqlValue[] = []) {
        const numbered = sqlFor('postgres', sql);
        seen.push(numbered);
        const positions = [...numbered.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
        expect(positions).toEqual(params.map((_, i) => i + 1));
        const stringify = (row: Record<string, unknown>) =>
          Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]));
        const { rows, changes } = db.query(numbered.replace(/\$\d+/g, '?'), params);
        return { rows: rows.map(stringify), changes };
      },
      async close() {
        db.close();
      },
    };
    const pgStore = await createSqlStore(driver, new SecretBox(Buffer.alloc(32, 1)), clock);
    expect(pgStore.dialect).toBe('postgres');
    await pgStore.saveTokens({
      owner: 'o',
      resource: 'r',
      accessToken: ACCESS,
      tokenType: 'Bearer',
      scopes: ['x'],
      expiresAt: clock() + 5000,
    });
    const tokens = await pgStore.getTokens('o', 'r');
    expect(tokens?.expiresAt).toBe(clock() + 5000);
    expect(typeof tokens?.expiresAt).toBe('number');
    await pgStore.savePendingAuthorization(shortPendingAuthorization('s'));
    expect((await pgStore.takePendingAuthorization('s'))?.codeVerifier).toBe(VERIFIER);
    expect(seen.some((s) => s.includes('$11'))).toBe(true);
    expect(seen.every((s) => !s.includes('?'))).toBe(true);
    await pgStore.close();
  });
});

describe('SQLite as WebAssembly (lib/store/sqlite.ts)', () => {
  it('leaves a fresh lock alone (a live process holds it), removes one a dead process left, and opens', async () => {
    const dataDir = await dataDirHoldingOneToken('mcpscope-lock-');
    try {
      const lock = path.join(dataDir, `${SQLITE_FILE}.lock`);
      fs.mkdirSync(lock);
      expect(removeStaleLock(path.join(dataDir, SQLITE_FILE))).toBe(false);
      expect(fs.existsSync(lock)).toBe(true);
      const old = (Date.now() - STALE_LOCK_MS - 1000) / 1000;
      fs.utimesSync(lock, old, old);
      const again = await openStore({ dataDir, databaseUrl: '', secretKey: '' });
      // The lock there now is this store's own, fresh one, and it goes when the store lets the file go.
      expect(Date.now() - fs.statSync(lock).mtimeMs).toBeLessThan(STALE_LOCK_MS);
      expect((await again.getTokens('o', 'r'))?.accessToken).toBe(ACCESS);
      await again.close();
      expect(fs.existsSync(lock)).toBe(false);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('opens a database an older mcpscope left in WAL mode, sees its last write and switches it to the journal', async () => {
    const dataDir = await dataDirHoldingOneToken('mcpscope-wal-');
    const file = path.join(dataDir, SQLITE_FILE);
    try {
      // WAL mode, as native SQLite left it (the engine can write WAL only under an exclusive lock).
      const { Database } = await import('node-sqlite3-wasm');
      const native = new Database(file);
      native.all('PRAGMA locking_mode = EXCLUSIVE');
      expect(native.all('PRAGMA journal_mode = WAL')).toEqual([{ journal_mode: 'wal' }]);
      native.run('DELETE FROM mcpscope_oauth_tokens');
      native.close();
      expect(fs.readFileSync(file)[18]).toBe(2);
      const again = await openStore({ dataDir, databaseUrl: '', secretKey: '' });
      expect(await again.getTokens('o', 'r')).toBeUndefined();
      await again.saveTokens({ owner: 'o', resource: 'r2', accessToken: ACCESS, tokenType: 'Bearer', scopes: [] });
      expect((await again.getTokens('o', 'r2'))?.accessToken).toBe(ACCESS);
      await again.close();
      expect(fs.readFileSync(file)[18]).toBe(1);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('two processes writing one file at once (the CLI beside the app) both get every write in', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-two-'));
    const writes = 60;
    // Each write waits a little before the next, so the two processes' leases interleave.
    const writer = (owner: string) => `
      const loaded = await import(${JSON.stringify(path.resolve('lib/store/index.ts'))});
      const { openStore } = loaded.openStore ? loaded : loaded.default;
      const store = await openStore({ dataDir: ${JSON.stringify(dataDir)}, databaseUrl: '', secretKey: '' });
      for (let i = 0; i < ${writes}; i++) {
        await store.saveTokens({ owner: '${owner}', resource: 'r' + i, accessToken: 'token-${owner}-' + i, tokenType: 'Bearer', scopes: [] });
        await new Promise((resolve) => setTimeout(resolve, i % 7));
      }
      await store.close();`;
    const child = (owner: string) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer(owner)], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        proc.once('exit', (code) => resolve({ code, stderr }));
      });
    try {
      // The schema first, so both processes start writing at once rather than creating it.
      await (await openStore({ dataDir, databaseUrl: '', secretKey: '' })).close();
      const results = await Promise.all([child('cli'), child('app')]);
      expect(results).toEqual([
        { code: 0, stderr: '' },
        { code: 0, stderr: '' },
      ]);
      const store = await openStore({ dataDir, databaseUrl: '', secretKey: '' });
      for (const owner of ['cli', 'app']) {
        expect((await store.listTokens(owner)).length, owner).toBe(writes);
        expect((await store.getTokens(owner, `r${writes - 1}`))?.accessToken).toBe(`token-${owner}-${writes - 1}`);
      }
      await store.close();
      expect(fs.existsSync(path.join(dataDir, `${SQLITE_FILE}.lock`))).toBe(false);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
