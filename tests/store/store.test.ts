import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSqlStore,
  openStore,
  parseSecretKey,
  resolveStoreConfig,
  SecretBox,
  SECRET_KEY_FILE,
  SQLITE_FILE,
  sqlFor,
  storeDialectFor,
  StoreError,
  type SqlDriver,
  type SqlValue,
  type Store,
} from '@/lib/store';

const ACCESS = 'at_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZZZ';
const REFRESH = 'rt_first_0a1b2c3d4e5f60718293a4b5c6d7e8f9YYYY';
const SECRET = 'cs_client_secret_55aa66bb77cc88dd99eeXXXX';
const VERIFIER = 'verifier_Q2xpZW50VmVyaWZpZXJWYWx1ZTEyMzQ1Njc4OTA';

let dir: string;
let store: Store;
let clock = 1_700_000_000_000;
const now = () => clock;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-store-'));
  clock = 1_700_000_000_000;
  store = await openStore({ dataDir: dir, databaseUrl: '', secretKey: '', now });
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Every byte SQLite wrote: the main file and the write-ahead log (WAL mode keeps recent writes there). */
function rawDatabaseBytes(): Buffer {
  const parts = [SQLITE_FILE, `${SQLITE_FILE}-wal`].map((f) => path.join(dir, f)).filter((f) => fs.existsSync(f));
  return Buffer.concat(parts.map((f) => fs.readFileSync(f)));
}

describe('openStore (SQLite)', () => {
  it('creates the database file and a 0600 key file in the data directory', () => {
    expect(store.dialect).toBe('sqlite');
    expect(fs.existsSync(path.join(dir, SQLITE_FILE))).toBe(true);
    const keyFile = path.join(dir, SECRET_KEY_FILE);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(parseSecretKey(fs.readFileSync(keyFile, 'utf8'))).toHaveLength(32);
  });

  it('reuses the generated key on the next start, so stored secrets stay readable', async () => {
    await store.saveTokens({ owner: 'o1', resource: 'http://mcp.test/mcp', accessToken: ACCESS, tokenType: 'Bearer', scopes: [] });
    await store.close();
    store = await openStore({ dataDir: dir, databaseUrl: '', secretKey: '', now });
    expect((await store.getTokens('o1', 'http://mcp.test/mcp'))?.accessToken).toBe(ACCESS);
  });

  it('fails to read secrets under another key instead of returning garbage', async () => {
    await store.saveTokens({ owner: 'o1', resource: 'r', accessToken: ACCESS, tokenType: 'Bearer', scopes: [] });
    await store.close();
    const otherKey = Buffer.alloc(32, 7).toString('base64');
    store = await openStore({ dataDir: dir, databaseUrl: '', secretKey: otherKey, now });
    await expect(store.getTokens('o1', 'r')).rejects.toMatchObject({ code: 'decrypt_failed' });
  });

  it('rejects a malformed MCPSCOPE_SECRET_KEY with a clear error', async () => {
    await expect(openStore({ dataDir: dir, secretKey: 'c2hvcnQ=' })).rejects.toMatchObject({
      code: 'invalid_secret_key',
      message: expect.stringContaining('32'),
    });
  });
});

describe('encryption at rest', () => {
  it('keeps tokens, client secrets, registrations and verifiers out of the raw database file', async () => {
    await store.saveTokens({
      owner: 'owner-1',
      resource: 'http://mcp.test/mcp',
      accessToken: ACCESS,
      refreshToken: REFRESH,
      tokenType: 'Bearer',
      scopes: ['read', 'write'],
      expiresAt: clock + 3600_000,
    });
    await store.saveClient({
      issuer: 'http://as.test',
      redirectUri: 'http://localhost:3000/callback',
      clientId: 'client-abc',
      clientSecret: SECRET,
      authMethod: 'client_secret_basic',
      registration: { client_id: 'client-abc', client_secret: SECRET, registration_access_token: 'rat_abcdefghijklmnopqrstuvwx' },
    });
    await store.savePendingAuthorization({
      state: 'state-value-123456789',
      owner: 'owner-1',
      serverUrl: 'http://mcp.test/mcp',
      resource: 'http://mcp.test/mcp',
      issuer: 'http://as.test',
      clientId: 'client-abc',
      redirectUri: 'http://localhost:3000/callback',
      codeVerifier: VERIFIER,
      scopes: ['read'],
    });

    const raw = rawDatabaseBytes();
    expect(raw.length).toBeGreaterThan(0);
    // Something we did store in clear is findable, so the search itself works...
    expect(raw.includes(Buffer.from('client-abc'))).toBe(true);
    // ...and none of the secrets are.
    for (const secret of [ACCESS, REFRESH, SECRET, VERIFIER, 'rat_abcdefghijklmnopqrstuvwx', 'state-value-123456789']) {
      expect(raw.includes(Buffer.from(secret)), secret).toBe(false);
    }

    // The API still hands the real values to server code.
    expect(await store.getTokens('owner-1', 'http://mcp.test/mcp')).toMatchObject({ accessToken: ACCESS, refreshToken: REFRESH });
    expect(await store.getClient('http://as.test', 'http://localhost:3000/callback')).toMatchObject({
      clientSecret: SECRET,
      registration: { registration_access_token: 'rat_abcdefghijklmnopqrstuvwx' },
    });
  });

  it('binds each ciphertext to its row: a value copied to another owner does not decrypt', async () => {
    const key = Buffer.alloc(32, 3);
    const box = new SecretBox(key);
    const sealed = box.seal(ACCESS, 'access-token|alice|r');
    expect(box.open(sealed, 'access-token|alice|r')).toBe(ACCESS);
    expect(() => box.open(sealed, 'access-token|mallory|r')).toThrow(StoreError);
    expect(box.seal(ACCESS, 'x')).not.toBe(box.seal(ACCESS, 'x')); // fresh nonce each time
  });
});

describe('tokens', () => {
  const resource = 'http://mcp.test/mcp';

  it('rotation keeps only the newest refresh token', async () => {
    await store.saveTokens({ owner: 'o', resource, accessToken: ACCESS, refreshToken: REFRESH, tokenType: 'Bearer', scopes: ['a'] });
    const rotated = 'rt_second_ffeeddccbbaa99887766554433221100';
    clock += 1000;
    await store.saveTokens({ owner: 'o', resource, accessToken: 'at_second_00112233445566778899', refreshToken: rotated, tokenType: 'Bearer', scopes: ['a'] });
    const stored = await store.getTokens('o', resource);
    expect(stored?.refreshToken).toBe(rotated);
    expect(stored?.accessToken).toBe('at_second_00112233445566778899');
    expect(stored?.updatedAt).toBe(clock);
    expect(await store.listTokens('o')).toHaveLength(1);
    expect(rawDatabaseBytes().includes(Buffer.from(REFRESH))).toBe(false);
  });

  it('lists masked views with expiry and scopes, per owner', async () => {
    await store.saveTokens({ owner: 'o', resource, accessToken: ACCESS, refreshToken: REFRESH, tokenType: 'Bearer', scopes: ['read', 'write'], expiresAt: clock + 60_000, issuer: 'http://as.test', clientId: 'c1' });
    await store.saveTokens({ owner: 'o', resource: 'http://other.test/mcp', accessToken: 'at_expired_1234567890', tokenType: 'Bearer', scopes: [], expiresAt: clock - 1 });
    await store.saveTokens({ owner: 'someone-else', resource, accessToken: 'at_other_owner_123456', tokenType: 'Bearer', scopes: [] });

    const views = await store.listTokens('o');
    expect(views).toEqual([
      {
        resource,
        issuer: 'http://as.test',
        clientId: 'c1',
        tokenType: 'Bearer',
        scopes: ['read', 'write'],
        accessToken: '••••ZZZZ',
        refreshToken: '••••YYYY',
        expiresAt: clock + 60_000,
        expired: false,
        updatedAt: clock,
      },
      expect.objectContaining({ resource: 'http://other.test/mcp', accessToken: '••••7890', expired: true, scopes: [] }),
    ]);
    expect(JSON.stringify(views)).not.toContain(ACCESS);
    expect(JSON.stringify(views)).not.toContain(REFRESH);
  });

  it('forgets one resource or all of an owner, and nobody else', async () => {
    await store.saveTokens({ owner: 'o', resource: 'r1', accessToken: 'access-token-1', tokenType: 'Bearer', scopes: [] });
    await store.saveTokens({ owner: 'o', resource: 'r2', accessToken: 'access-token-2', tokenType: 'Bearer', scopes: [] });
    await store.saveTokens({ owner: 'p', resource: 'r1', accessToken: 'access-token-3', tokenType: 'Bearer', scopes: [] });
    expect(await store.forgetTokens('o', 'r1')).toBe(1);
    expect((await store.listTokens('o')).map((t) => t.resource)).toEqual(['r2']);
    expect(await store.forgetTokens('o')).toBe(1);
    expect(await store.listTokens('o')).toEqual([]);
    expect(await store.getTokens('p', 'r1')).toBeDefined();
  });
});

describe('pending authorizations', () => {
  const base = {
    owner: 'o',
    sessionId: 's1',
    serverUrl: 'http://mcp.test/mcp',
    resource: 'http://mcp.test/mcp',
    issuer: 'http://as.test',
    clientId: 'c',
    redirectUri: 'http://localhost:3000/callback',
    codeVerifier: VERIFIER,
    scopes: ['read', 'write'],
  };

  it('are single-use: the second take finds nothing', async () => {
    const saved = await store.savePendingAuthorization({ ...base, state: 'st-1' });
    expect(saved.expiresAt).toBe(clock + 10 * 60_000);
    expect(await store.peekPendingAuthorization('st-1')).toEqual({ ...base, state: 'st-1', createdAt: clock, expiresAt: clock + 600_000, codeVerifier: undefined } as never);
    const first = await store.takePendingAuthorization('st-1');
    expect(first).toMatchObject({ codeVerifier: VERIFIER, scopes: ['read', 'write'], sessionId: 's1' });
    expect(await store.takePendingAuthorization('st-1')).toBeUndefined();
    expect(await store.peekPendingAuthorization('st-1')).toBeUndefined();
  });

  it('peek never exposes the verifier', async () => {
    await store.savePendingAuthorization({ ...base, state: 'st-peek' });
    const info = await store.peekPendingAuthorization('st-peek');
    expect(info).toBeDefined();
    expect(Object.keys(info ?? {})).not.toContain('codeVerifier');
  });

  it('an expired one is still removed and returned with its expiry so the caller can say so', async () => {
    await store.savePendingAuthorization({ ...base, state: 'st-2' });
    clock += 10 * 60_000 + 1;
    const taken = await store.takePendingAuthorization('st-2');
    expect(taken?.expiresAt).toBeLessThan(clock);
    expect(await store.takePendingAuthorization('st-2')).toBeUndefined();
  });

  it('purges expired ones', async () => {
    await store.savePendingAuthorization({ ...base, state: 'old', expiresAt: clock + 1000 });
    await store.savePendingAuthorization({ ...base, state: 'fresh' });
    clock += 2000;
    expect(await store.purgeExpired()).toBe(1);
    expect(await store.peekPendingAuthorization('old')).toBeUndefined();
    expect(await store.peekPendingAuthorization('fresh')).toBeDefined();
  });
});

describe('clients and shares', () => {
  it('remembers a client per issuer and redirect URI', async () => {
    await store.saveClient({ issuer: 'http://as.test', redirectUri: 'http://localhost:3000/callback', clientId: 'c1', authMethod: 'none' });
    await store.saveClient({ issuer: 'http://as.test', redirectUri: 'http://localhost:4000/callback', clientId: 'c2', authMethod: 'none' });
    expect((await store.getClient('http://as.test', 'http://localhost:3000/callback'))?.clientId).toBe('c1');
    expect((await store.getClient('http://as.test', 'http://localhost:4000/callback'))?.clientId).toBe('c2');
    expect(await store.getClient('http://other.test', 'http://localhost:3000/callback')).toBeUndefined();
    await store.saveClient({ issuer: 'http://as.test', redirectUri: 'http://localhost:3000/callback', clientId: 'c3', authMethod: 'none' });
    expect((await store.getClient('http://as.test', 'http://localhost:3000/callback'))?.clientId).toBe('c3');
    expect(await store.forgetClient('http://as.test', 'http://localhost:3000/callback')).toBe(true);
    expect(await store.getClient('http://as.test', 'http://localhost:3000/callback')).toBeUndefined();
  });

  it('stores shares and hides expired ones', async () => {
    await store.saveShare({ id: 'sh1', kind: 'session-log', payload: '{"a":1}', owner: 'o' });
    await store.saveShare({ id: 'sh2', kind: 'session-log', payload: '{}', expiresAt: clock + 5 });
    expect(await store.getShare('sh1')).toEqual({ id: 'sh1', kind: 'session-log', payload: '{"a":1}', owner: 'o', createdAt: clock });
    clock += 10;
    expect(await store.getShare('sh2')).toBeUndefined();
    expect(await store.deleteShare('sh1')).toBe(true);
    expect(await store.getShare('sh1')).toBeUndefined();
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
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(':memory:');
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
        const statement = db.prepare(numbered.replace(/\$\d+/g, '?'));
        const stringify = (row: Record<string, unknown>) =>
          Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'number' ? String(v) : v]));
        if (statement.reader) return { rows: (statement.all(...params) as Record<string, unknown>[]).map(stringify), changes: 0 };
        return { rows: [], changes: statement.run(...params).changes };
      },
      async close() {
        db.close();
      },
    };
    const pgStore = await createSqlStore(driver, new SecretBox(Buffer.alloc(32, 1)), now);
    expect(pgStore.dialect).toBe('postgres');
    await pgStore.saveTokens({ owner: 'o', resource: 'r', accessToken: ACCESS, tokenType: 'Bearer', scopes: ['x'], expiresAt: clock + 5000 });
    const tokens = await pgStore.getTokens('o', 'r');
    expect(tokens?.expiresAt).toBe(clock + 5000);
    expect(typeof tokens?.expiresAt).toBe('number');
    await pgStore.savePendingAuthorization({ state: 's', owner: 'o', serverUrl: 'u', resource: 'r', issuer: 'i', clientId: 'c', redirectUri: 'x', codeVerifier: VERIFIER, scopes: [] });
    expect((await pgStore.takePendingAuthorization('s'))?.codeVerifier).toBe(VERIFIER);
    expect(seen.some((s) => s.includes('$11'))).toBe(true);
    expect(seen.every((s) => !s.includes('?'))).toBe(true);
    await pgStore.close();
  });
});
