// The store's contract, run against each real database (tests/store/store.test.ts: SQLite,
// tests/store/postgres.test.ts: PostgreSQL). Whatever one database does, the other must do too.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseServerConfig } from '@/lib/servers';
import { MAX_SAVED_SERVERS, openStore, parseSecretKey, SECRET_KEY_FILE, type SqlDialect, type Store, type StoreConfig } from '@/lib/store';

export const ACCESS = 'at_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZZZ';
export const REFRESH = 'rt_first_0a1b2c3d4e5f60718293a4b5c6d7e8f9YYYY';
export const SECRET = 'cs_client_secret_55aa66bb77cc88dd99eeXXXX';
export const VERIFIER = 'verifier_Q2xpZW50VmVyaWZpZXJWYWx1ZTEyMzQ1Njc4OTA';
export const T0 = 1_700_000_000_000;

export const STORE_TABLES = [
  'mcpscope_instances',
  'mcpscope_meta',
  'mcpscope_oauth_clients',
  'mcpscope_oauth_pending',
  'mcpscope_oauth_tokens',
  'mcpscope_saved_servers',
  'mcpscope_sessions',
  'mcpscope_shares',
];

/** One empty database (and data directory) for one test. */
export interface ContractTarget {
  /** What `openStore` needs to reach it; the contract adds the clock. */
  readonly config: Required<Pick<StoreConfig, 'dataDir' | 'databaseUrl'>> & Pick<StoreConfig, 'secretKey'>;
  /** Whether `needle` appears anywhere in what the database holds (file bytes, or every row as text). */
  rawContains(needle: string): Promise<boolean>;
  /** Runs a statement directly on the database, bypassing the store (`?` placeholders). */
  rawQuery(sql: string, params?: (string | number | null)[]): Promise<Record<string, unknown>[]>;
  /** The store's tables that exist, sorted. */
  tables(): Promise<string[]>;
  cleanup(): Promise<void>;
}

export interface ContractHarness {
  readonly dialect: SqlDialect;
  fresh(): Promise<ContractTarget>;
}

export interface ContractContext {
  readonly target: ContractTarget;
  readonly store: Store;
  clock: number;
  open(extra?: Partial<StoreConfig>): Promise<Store>;
}

const pendingBase = {
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

/** A pending authorization with one-letter values (the verifier the only secret), under `state`. */
export function shortPendingAuthorization(state: string) {
  return {
    state,
    owner: 'o',
    serverUrl: 'u',
    resource: 'r',
    issuer: 'i',
    clientId: 'c',
    redirectUri: 'x',
    codeVerifier: VERIFIER,
    scopes: [],
  };
}

/**
 * Registers the contract's describe blocks; returns the per-test context so a caller's own blocks (in the same
 * file) can use the store it opened.
 */
export function describeStoreContract(harness: ContractHarness): ContractContext {
  let target: ContractTarget;
  let store: Store;
  const extraStores: Store[] = [];
  const ctx: ContractContext = {
    get target() {
      return target;
    },
    get store() {
      return store;
    },
    clock: T0,
    async open(extra = {}) {
      const opened = await openStore({ ...target.config, now: () => ctx.clock, ...extra });
      extraStores.push(opened);
      return opened;
    },
  };

  beforeEach(async () => {
    ctx.clock = T0;
    target = await harness.fresh();
    store = await openStore({ ...target.config, now: () => ctx.clock });
  });

  afterEach(async () => {
    await Promise.all([store, ...extraStores.splice(0)].map((s) => s.close().catch(() => undefined)));
    await target.cleanup();
  });

  describe(`openStore (${harness.dialect})`, () => {
    it('speaks the configured dialect and keeps a 0600 key file in the data directory', () => {
      expect(store.dialect).toBe(harness.dialect);
      const keyFile = path.join(target.config.dataDir, SECRET_KEY_FILE);
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(parseSecretKey(fs.readFileSync(keyFile, 'utf8'))).toHaveLength(32);
    });

    it('creates its tables in an empty database, and opening again keeps what was stored', async () => {
      const empty = await harness.fresh();
      try {
        expect(await empty.tables()).toEqual([]);
        const first = await openStore({ ...empty.config, now: () => ctx.clock });
        expect(await empty.tables()).toEqual(STORE_TABLES);
        await first.saveShare({ id: 'kept', kind: 'k', payload: 'p' });
        await first.close();
        const second = await openStore({ ...empty.config, now: () => ctx.clock });
        expect(await empty.tables()).toEqual(STORE_TABLES);
        expect((await second.getShare('kept'))?.payload).toBe('p');
        await second.close();
      } finally {
        await empty.cleanup();
      }
    });

    it('several processes opening an empty database at once all succeed and see one schema', async () => {
      const empty = await harness.fresh();
      const stores: Store[] = [];
      try {
        const opened = await Promise.allSettled(Array.from({ length: 6 }, () => openStore({ ...empty.config, now: () => ctx.clock })));
        for (const o of opened) if (o.status === 'fulfilled') stores.push(o.value);
        expect(opened.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
        expect(await empty.tables()).toEqual(STORE_TABLES);
        await stores[0]?.saveTokens({ owner: 'o', resource: 'r', accessToken: ACCESS, tokenType: 'Bearer', scopes: [] });
        expect((await stores[5]?.getTokens('o', 'r'))?.accessToken).toBe(ACCESS);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await empty.cleanup();
      }
    });

    it('reopened with the same key, every kind of record is still readable', async () => {
      const tokens = {
        owner: 'o1',
        resource: 'http://mcp.test/mcp',
        accessToken: ACCESS,
        refreshToken: REFRESH,
        tokenType: 'Bearer',
        scopes: ['a'],
        expiresAt: T0 + 5000,
      };
      const client = {
        issuer: 'http://as.test',
        redirectUri: 'http://localhost:3000/callback',
        clientId: 'c1',
        clientSecret: SECRET,
        authMethod: 'client_secret_post' as const,
        registration: { client_id: 'c1', n: 1 },
      };
      const share = { id: 'sh-reopen', kind: 'session-log', payload: '{"x":1}', owner: 'o1', expiresAt: T0 + 60_000 };
      await store.saveTokens(tokens);
      await store.saveClient(client);
      await store.savePendingAuthorization({ ...pendingBase, state: 'st-reopen' });
      await store.saveShare(share);
      await store.close();
      store = await openStore({ ...target.config, now: () => ctx.clock });
      expect(await store.getTokens('o1', 'http://mcp.test/mcp')).toEqual({ ...tokens, createdAt: T0, updatedAt: T0 });
      expect(await store.getClient('http://as.test', 'http://localhost:3000/callback')).toEqual({
        ...client,
        createdAt: T0,
        updatedAt: T0,
      });
      expect((await store.takePendingAuthorization('st-reopen'))?.codeVerifier).toBe(VERIFIER);
      expect(await store.getShare('sh-reopen')).toEqual({ ...share, createdAt: T0 });
    });

    it('refuses to open under another key, saying which setting to fix, and opens again under the right one', async () => {
      await store.saveTokens({ owner: 'o1', resource: 'r', accessToken: ACCESS, tokenType: 'Bearer', scopes: [] });
      await store.close();
      const otherKey = Buffer.alloc(32, 7).toString('base64');
      await expect(openStore({ ...target.config, secretKey: otherKey, now: () => ctx.clock })).rejects.toMatchObject({
        code: 'secret_key_mismatch',
        message: expect.stringContaining('MCPSCOPE_SECRET_KEY'),
      });
      store = await openStore({ ...target.config, now: () => ctx.clock });
      expect((await store.getTokens('o1', 'r'))?.accessToken).toBe(ACCESS);
    });

    it('rejects a malformed MCPSCOPE_SECRET_KEY with a clear error', async () => {
      await expect(openStore({ ...target.config, secretKey: 'c2hvcnQ=' })).rejects.toMatchObject({
        code: 'invalid_secret_key',
        message: expect.stringContaining('32'),
      });
    });
  });

  describe(`encryption at rest (${harness.dialect})`, () => {
    it('keeps tokens, client secrets, registrations, verifiers and states out of the raw database', async () => {
      await store.saveTokens({
        owner: 'owner-1',
        resource: 'http://mcp.test/mcp',
        accessToken: ACCESS,
        refreshToken: REFRESH,
        tokenType: 'Bearer',
        scopes: ['read', 'write'],
        expiresAt: T0 + 3600_000,
      });
      await store.saveClient({
        issuer: 'http://as.test',
        redirectUri: 'http://localhost:3000/callback',
        clientId: 'client-abc',
        clientSecret: SECRET,
        authMethod: 'client_secret_basic',
        registration: { client_id: 'client-abc', client_secret: SECRET, registration_access_token: 'rat_abcdefghijklmnopqrstuvwx' },
      });
      await store.savePendingAuthorization({ ...pendingBase, owner: 'owner-1', clientId: 'client-abc', state: 'state-value-123456789' });

      // Something we did store in clear is findable, so the search itself works...
      expect(await target.rawContains('client-abc')).toBe(true);
      expect(await target.rawContains('owner-1')).toBe(true);
      // ...and none of the secrets are.
      for (const secret of [ACCESS, REFRESH, SECRET, VERIFIER, 'rat_abcdefghijklmnopqrstuvwx', 'state-value-123456789']) {
        expect(await target.rawContains(secret), secret).toBe(false);
      }

      // The API still hands the real values to server code.
      expect(await store.getTokens('owner-1', 'http://mcp.test/mcp')).toMatchObject({ accessToken: ACCESS, refreshToken: REFRESH });
      expect(await store.getClient('http://as.test', 'http://localhost:3000/callback')).toMatchObject({
        clientSecret: SECRET,
        registration: { registration_access_token: 'rat_abcdefghijklmnopqrstuvwx' },
      });
    });

    it("a ciphertext copied into another owner's row does not decrypt", async () => {
      await store.saveTokens({ owner: 'alice', resource: 'r', accessToken: ACCESS, tokenType: 'Bearer', scopes: [] });
      await store.saveTokens({
        owner: 'mallory',
        resource: 'r',
        accessToken: 'at_mallory_own_token_0000',
        tokenType: 'Bearer',
        scopes: [],
      });
      const [alice] = await target.rawQuery('SELECT access_token_enc FROM mcpscope_oauth_tokens WHERE owner = ?', ['alice']);
      await target.rawQuery('UPDATE mcpscope_oauth_tokens SET access_token_enc = ? WHERE owner = ?', [
        String(alice?.access_token_enc),
        'mallory',
      ]);
      await expect(store.getTokens('mallory', 'r')).rejects.toMatchObject({ code: 'decrypt_failed' });
      expect((await store.getTokens('alice', 'r'))?.accessToken).toBe(ACCESS);
    });
  });

  describe(`tokens (${harness.dialect})`, () => {
    const resource = 'http://mcp.test/mcp';

    it('rotation keeps only the newest refresh token', async () => {
      await store.saveTokens({ owner: 'o', resource, accessToken: ACCESS, refreshToken: REFRESH, tokenType: 'Bearer', scopes: ['a'] });
      const rotated = 'rt_second_ffeeddccbbaa99887766554433221100';
      ctx.clock += 1000;
      await store.saveTokens({
        owner: 'o',
        resource,
        accessToken: 'at_second_00112233445566778899',
        refreshToken: rotated,
        tokenType: 'Bearer',
        scopes: ['a'],
      });
      const stored = await store.getTokens('o', resource);
      expect(stored?.refreshToken).toBe(rotated);
      expect(stored?.accessToken).toBe('at_second_00112233445566778899');
      expect(stored?.createdAt).toBe(T0);
      expect(stored?.updatedAt).toBe(ctx.clock);
      expect(await store.listTokens('o')).toHaveLength(1);
      const rows = await target.rawQuery('SELECT refresh_token_enc FROM mcpscope_oauth_tokens');
      expect(rows).toHaveLength(1);
      expect(await target.rawContains(REFRESH)).toBe(false);
    });

    it('lists masked views with expiry and scopes, per owner', async () => {
      await store.saveTokens({
        owner: 'o',
        resource,
        accessToken: ACCESS,
        refreshToken: REFRESH,
        tokenType: 'Bearer',
        scopes: ['read', 'write'],
        expiresAt: ctx.clock + 60_000,
        issuer: 'http://as.test',
        clientId: 'c1',
      });
      await store.saveTokens({
        owner: 'o',
        resource: 'http://other.test/mcp',
        accessToken: 'at_expired_1234567890',
        tokenType: 'Bearer',
        scopes: [],
        expiresAt: ctx.clock - 1,
      });
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
          expiresAt: ctx.clock + 60_000,
          expired: false,
          updatedAt: ctx.clock,
        },
        expect.objectContaining({ resource: 'http://other.test/mcp', accessToken: '••••7890', expired: true, scopes: [] }),
      ]);
      expect(typeof views[0]?.expiresAt).toBe('number');
      expect(JSON.stringify(views)).not.toContain(ACCESS);
      expect(JSON.stringify(views)).not.toContain(REFRESH);
    });

    it('lists in the same order on every database: by resource, code unit by code unit', async () => {
      // A linguistic collation (Postgres's usual en_US) would put `a` before `B`; SQLite compares bytes.
      const resources = [
        'http://b.test/mcp',
        'http://B.test/mcp',
        'http://a.test/mcp',
        'http://A.test/mcp',
        'http://a.test/_x',
        'http://a.test/-y',
      ];
      for (const r of resources)
        await store.saveTokens({ owner: 'o', resource: r, accessToken: `at_${r}`, tokenType: 'Bearer', scopes: [] });
      expect((await store.listTokens('o')).map((v) => v.resource)).toEqual([...resources].sort());
    });

    it('keeps a fractional expiry (expires_in with decimals) as whole epoch milliseconds', async () => {
      await store.saveTokens({
        owner: 'o',
        resource,
        accessToken: ACCESS,
        tokenType: 'Bearer',
        scopes: [],
        expiresAt: T0 + 3599.9996 * 1000,
      });
      const stored = await store.getTokens('o', resource);
      expect(stored?.expiresAt).toBe(T0 + 3_600_000);
      await store.saveShare({ id: 'frac', kind: 'k', payload: 'p', expiresAt: T0 + 0.5 });
      expect((await store.getShare('frac'))?.expiresAt).toBe(T0 + 1);
    });

    it('refuses an expiry that is not a finite number', async () => {
      await expect(
        store.saveTokens({ owner: 'o', resource, accessToken: ACCESS, tokenType: 'Bearer', scopes: [], expiresAt: Number.NaN }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
      expect(await store.getTokens('o', resource)).toBeUndefined();
    });

    it('forgets one resource or all of an owner, and nobody else', async () => {
      await store.saveTokens({ owner: 'o', resource: 'r1', accessToken: 'access-token-1', tokenType: 'Bearer', scopes: [] });
      await store.saveTokens({ owner: 'o', resource: 'r2', accessToken: 'access-token-2', tokenType: 'Bearer', scopes: [] });
      await store.saveTokens({ owner: 'p', resource: 'r1', accessToken: 'access-token-3', tokenType: 'Bearer', scopes: [] });
      expect(await store.forgetTokens('o', 'r1')).toBe(1);
      expect((await store.listTokens('o')).map((t) => t.resource)).toEqual(['r2']);
      expect(await store.forgetTokens('o')).toBe(1);
      expect(await store.listTokens('o')).toEqual([]);
      expect(await store.forgetTokens('nobody')).toBe(0);
      expect(await store.getTokens('p', 'r1')).toBeDefined();
    });
  });

  describe(`pending authorizations (${harness.dialect})`, () => {
    it('are single-use: the second take finds nothing', async () => {
      const saved = await store.savePendingAuthorization({ ...pendingBase, state: 'st-1' });
      expect(saved.expiresAt).toBe(ctx.clock + 10 * 60_000);
      const { codeVerifier: _v, ...info } = pendingBase;
      expect(await store.peekPendingAuthorization('st-1')).toEqual({
        ...info,
        state: 'st-1',
        createdAt: ctx.clock,
        expiresAt: ctx.clock + 600_000,
      });
      const first = await store.takePendingAuthorization('st-1');
      expect(first).toMatchObject({ codeVerifier: VERIFIER, scopes: ['read', 'write'], sessionId: 's1', createdAt: T0 });
      expect(await store.takePendingAuthorization('st-1')).toBeUndefined();
      expect(await store.peekPendingAuthorization('st-1')).toBeUndefined();
    });

    it('peek never exposes the verifier', async () => {
      await store.savePendingAuthorization({ ...pendingBase, state: 'st-peek' });
      const info = await store.peekPendingAuthorization('st-peek');
      expect(info).toBeDefined();
      expect(Object.keys(info ?? {})).not.toContain('codeVerifier');
    });

    it('an expired one is still removed and returned with its expiry so the caller can say so', async () => {
      await store.savePendingAuthorization({ ...pendingBase, state: 'st-2' });
      ctx.clock += 10 * 60_000 + 1;
      const taken = await store.takePendingAuthorization('st-2');
      expect(taken?.expiresAt).toBeLessThan(ctx.clock);
      expect(await store.takePendingAuthorization('st-2')).toBeUndefined();
    });

    it('purges expired ones', async () => {
      await store.savePendingAuthorization({ ...pendingBase, state: 'old', expiresAt: ctx.clock + 1000 });
      await store.savePendingAuthorization({ ...pendingBase, state: 'fresh' });
      ctx.clock += 2000;
      expect(await store.purgeExpired()).toBe(1);
      expect(await store.peekPendingAuthorization('old')).toBeUndefined();
      expect(await store.peekPendingAuthorization('fresh')).toBeDefined();
    });

    it('two callbacks racing with one state (from two processes): exactly one gets it', async () => {
      const other = await ctx.open();
      for (let i = 0; i < 5; i++) await store.savePendingAuthorization({ ...pendingBase, state: `race-${i}` });
      for (let i = 0; i < 5; i++) {
        const takes = await Promise.all([store, other, store, other].map((s) => s.takePendingAuthorization(`race-${i}`)));
        expect(takes.filter((t) => t?.codeVerifier === VERIFIER)).toHaveLength(1);
        expect(takes.filter((t) => t === undefined)).toHaveLength(3);
      }
    });
  });

  describe(`clients and shares (${harness.dialect})`, () => {
    it('remembers a client per issuer and redirect URI', async () => {
      await store.saveClient({
        issuer: 'http://as.test',
        redirectUri: 'http://localhost:3000/callback',
        clientId: 'c1',
        authMethod: 'none',
      });
      await store.saveClient({
        issuer: 'http://as.test',
        redirectUri: 'http://localhost:4000/callback',
        clientId: 'c2',
        authMethod: 'none',
      });
      expect((await store.getClient('http://as.test', 'http://localhost:3000/callback'))?.clientId).toBe('c1');
      expect((await store.getClient('http://as.test', 'http://localhost:4000/callback'))?.clientId).toBe('c2');
      expect(await store.getClient('http://other.test', 'http://localhost:3000/callback')).toBeUndefined();
      ctx.clock += 500;
      await store.saveClient({
        issuer: 'http://as.test',
        redirectUri: 'http://localhost:3000/callback',
        clientId: 'c3',
        authMethod: 'none',
      });
      expect(await store.getClient('http://as.test', 'http://localhost:3000/callback')).toEqual({
        issuer: 'http://as.test',
        redirectUri: 'http://localhost:3000/callback',
        clientId: 'c3',
        authMethod: 'none',
        createdAt: T0,
        updatedAt: T0 + 500,
      });
      expect(await store.forgetClient('http://as.test', 'http://localhost:3000/callback')).toBe(true);
      expect(await store.forgetClient('http://as.test', 'http://localhost:3000/callback')).toBe(false);
      expect(await store.getClient('http://as.test', 'http://localhost:3000/callback')).toBeUndefined();
    });

    it('a re-registration replaces the secret and registration document, or drops them', async () => {
      const key = ['http://as.test', 'http://localhost:3000/callback'] as const;
      await store.saveClient({
        issuer: key[0],
        redirectUri: key[1],
        clientId: 'c1',
        clientSecret: SECRET,
        authMethod: 'client_secret_basic',
        registration: { a: 1 },
      });
      await store.saveClient({
        issuer: key[0],
        redirectUri: key[1],
        clientId: 'c2',
        clientSecret: 'cs_second_secret_0000',
        authMethod: 'client_secret_post',
        registration: { b: [2, 'two'] },
      });
      expect(await store.getClient(...key)).toMatchObject({
        clientId: 'c2',
        clientSecret: 'cs_second_secret_0000',
        authMethod: 'client_secret_post',
        registration: { b: [2, 'two'] },
      });
      await store.saveClient({ issuer: key[0], redirectUri: key[1], clientId: 'c3', authMethod: 'none' });
      const public3 = await store.getClient(...key);
      expect(public3?.clientSecret).toBeUndefined();
      expect(public3?.registration).toBeUndefined();
      expect(await target.rawQuery('SELECT client_secret_enc, registration_enc FROM mcpscope_oauth_clients')).toEqual([
        { client_secret_enc: null, registration_enc: null },
      ]);
    });

    it('stores shares and hides expired ones', async () => {
      await store.saveShare({ id: 'sh1', kind: 'session-log', payload: '{"a":1}', owner: 'o' });
      await store.saveShare({ id: 'sh2', kind: 'session-log', payload: '{}', expiresAt: ctx.clock + 5 });
      expect(await store.getShare('sh1')).toEqual({ id: 'sh1', kind: 'session-log', payload: '{"a":1}', owner: 'o', createdAt: ctx.clock });
      ctx.clock += 10;
      expect(await store.getShare('sh2')).toBeUndefined();
      expect(await store.purgeExpired()).toBe(1);
      expect(await target.rawQuery('SELECT id FROM mcpscope_shares')).toEqual([{ id: 'sh1' }]);
      expect(await store.deleteShare('sh1')).toBe(true);
      expect(await store.deleteShare('sh1')).toBe(false);
      expect(await store.getShare('sh1')).toBeUndefined();
    });

    it('keeps a large payload with any Unicode byte for byte', async () => {
      const payload = JSON.stringify({ text: 'é 中文 🧪 \u2028 \\ \' " ; -- ?', blob: 'x'.repeat(2 * 1024 * 1024) });
      await store.saveShare({ id: 'big', kind: 'session-log', payload });
      expect((await store.getShare('big'))?.payload).toBe(payload);
    });

    it('refuses a second share with the same id and keeps the first', async () => {
      await store.saveShare({ id: 'dup', kind: 'k', payload: 'first' });
      await expect(store.saveShare({ id: 'dup', kind: 'k', payload: 'second' })).rejects.toThrow();
      expect((await store.getShare('dup'))?.payload).toBe('first');
    });
  });

  describe(`saved servers (${harness.dialect})`, () => {
    const GH_TOKEN = 'ghp_saved_server_token_0123456789abcdefWWWW';
    const BEARER = 'Bearer sk_saved_header_value_9876543210VVVV';
    const github = {
      kind: 'command' as const,
      command: 'docker',
      args: ['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'ghcr.io/github/github-mcp-server'],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: GH_TOKEN, GITHUB_TOOLSETS: 'repos,issues' },
      cwd: '/srv/mcp',
    };
    const remote = {
      kind: 'url' as const,
      url: 'https://mcp.saved.test/mcp',
      transport: 'sse' as const,
      headers: { Authorization: BEARER, 'X-Team': 'blue-team-header' },
    };

    it('keeps names but not values of headers and env unless asked, and never in clear', async () => {
      const saved = await store.saveServer({ owner: 'o1', name: 'github', target: github });
      expect(saved).toEqual({
        id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        owner: 'o1',
        name: 'github',
        target: { kind: 'command', command: 'docker', args: github.args, env: {}, cwd: '/srv/mcp' },
        secretsKept: false,
        withheld: { headers: [], env: ['GITHUB_PERSONAL_ACCESS_TOKEN', 'GITHUB_TOOLSETS'] },
        createdAt: T0,
        updatedAt: T0,
      });
      const remoteSaved = await store.saveServer({ owner: 'o1', name: 'remote', target: remote });
      expect(remoteSaved.target).toEqual({ kind: 'url', url: 'https://mcp.saved.test/mcp', transport: 'sse' });
      expect(remoteSaved.withheld).toEqual({ headers: ['Authorization', 'X-Team'], env: [] });
      expect(await store.getServer('o1', saved.id)).toEqual(saved);

      const kept = await store.saveServer({ owner: 'o2', name: 'remote', target: remote, keepSecrets: true });
      expect(kept).toMatchObject({ target: remote, secretsKept: true, withheld: { headers: [], env: [] } });
      expect((await store.getServer('o2', kept.id))?.target).toEqual(remote);

      expect(await target.rawContains('https://mcp.saved.test/mcp')).toBe(true);
      for (const secret of [GH_TOKEN, 'sk_saved_header_value', 'blue-team-header', 'repos,issues'])
        expect(await target.rawContains(secret), secret).toBe(false);
      const [row] = await target.rawQuery('SELECT secrets_enc FROM mcpscope_saved_servers WHERE owner = ?', ['o2']);
      expect(String(row?.secrets_enc)).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    });

    it('saving a name again replaces the target in place: same id, outcome dropped, kept secrets dropped when not asked', async () => {
      const first = await store.saveServer({ owner: 'o', name: 'gh', target: github, keepSecrets: true });
      await store.recordServerOutcome('o', first.id, { state: 'connected', at: T0 + 1 });
      ctx.clock = T0 + 5000;
      const second = await store.saveServer({ owner: 'o', name: 'gh', target: { ...github, args: ['run', 'other'] } });
      expect(second).toMatchObject({ id: first.id, createdAt: T0, updatedAt: T0 + 5000, secretsKept: false });
      const read = await store.getServer('o', first.id);
      expect(read).toEqual(second);
      expect(read?.lastOutcome).toBeUndefined();
      expect(read?.target).toMatchObject({ args: ['run', 'other'], env: {} });
      expect(await target.rawContains(GH_TOKEN)).toBe(false);
      expect((await store.listServers('o')).map((s) => s.id)).toEqual([first.id]);
    });

    it('lists per owner by name, code unit by code unit; other owners can neither read, forget nor mark it', async () => {
      for (const name of ['beta', 'Zed', 'alpha', 'Ärger']) await store.saveServer({ owner: 'alice', name, target: remote });
      const mallory = await store.saveServer({ owner: 'mallory', name: 'alpha', target: github });
      const list = await store.listServers('alice');
      expect(list.map((s) => s.name)).toEqual(['Zed', 'alpha', 'beta', 'Ärger']);
      const alpha = list[1]!;
      expect(await store.getServer('mallory', alpha.id)).toBeUndefined();
      expect(await store.forgetServer('mallory', alpha.id)).toBe(false);
      expect(await store.recordServerOutcome('mallory', alpha.id, { state: 'failed', at: T0 })).toBe(false);
      expect((await store.getServer('alice', alpha.id))?.lastOutcome).toBeUndefined();
      expect(await store.forgetServer('alice', alpha.id)).toBe(true);
      expect(await store.forgetServer('alice', alpha.id)).toBe(false);
      expect((await store.listServers('alice')).map((s) => s.name)).toEqual(['Zed', 'beta', 'Ärger']);
      expect((await store.listServers('mallory')).map((s) => s.id)).toEqual([mallory.id]);
      expect(await store.listServers('nobody')).toEqual([]);
    });

    it('remembers the last outcome with its time and error code, and refuses a state that is none', async () => {
      const saved = await store.saveServer({ owner: 'o', name: 'r', target: remote });
      expect(await store.recordServerOutcome('o', saved.id, { state: 'failed', at: T0 + 10.6, errorCode: 'connect_failed' })).toBe(true);
      expect((await store.getServer('o', saved.id))?.lastOutcome).toEqual({ state: 'failed', at: T0 + 11, errorCode: 'connect_failed' });
      await store.recordServerOutcome('o', saved.id, { state: 'connected', at: T0 + 20 });
      expect((await store.listServers('o'))[0]?.lastOutcome).toEqual({ state: 'connected', at: T0 + 20 });
      await expect(store.recordServerOutcome('o', saved.id, { state: 'exploded' as 'failed', at: T0 })).rejects.toMatchObject({
        code: 'invalid_input',
      });
      expect(await store.recordServerOutcome('o', 'no-such-id', { state: 'connected', at: T0 })).toBe(false);
    });

    it('refuses bad names and targets, and more than the limit per owner', async () => {
      for (const name of ['', '   ', 'x'.repeat(201), 'a\nb'])
        await expect(store.saveServer({ owner: 'o', name, target: remote })).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(store.saveServer({ owner: 'o', name: 'n', target: { kind: 'ftp' } as unknown as typeof remote })).rejects.toMatchObject({
        code: 'invalid_input',
      });
      await expect(store.saveServer({ owner: '', name: 'n', target: remote })).rejects.toMatchObject({ code: 'invalid_input' });

      const values = Array.from(
        { length: MAX_SAVED_SERVERS },
        (_, i) =>
          `('id-${i}', 'full', 'server-${i}', 'url', '{"kind":"url","url":"https://x.test/","headerNames":[]}', NULL, NULL, NULL, NULL, 0, 0)`,
      );
      await target.rawQuery(`INSERT INTO mcpscope_saved_servers VALUES ${values.join(', ')}`);
      await expect(store.saveServer({ owner: 'full', name: 'one more', target: remote })).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringContaining(String(MAX_SAVED_SERVERS)),
      });
      // Replacing one it already has is no new server.
      expect((await store.saveServer({ owner: 'full', name: 'server-7', target: remote })).id).toBe('id-7');
      expect((await store.saveServer({ owner: 'someone-else', name: 'one more', target: remote })).name).toBe('one more');
    });

    it("a sealed value copied into another owner's row does not decrypt", async () => {
      await store.saveServer({ owner: 'alice', name: 'gh', target: github, keepSecrets: true });
      const mallory = await store.saveServer({ owner: 'mallory', name: 'gh', target: github });
      const [alice] = await target.rawQuery('SELECT secrets_enc FROM mcpscope_saved_servers WHERE owner = ?', ['alice']);
      await target.rawQuery('UPDATE mcpscope_saved_servers SET secrets_enc = ? WHERE owner = ?', [String(alice?.secrets_enc), 'mallory']);
      await expect(store.getServer('mallory', mallory.id)).rejects.toMatchObject({ code: 'decrypt_failed' });
    });

    it('keeps every server of a real config file through a reopen, secrets kept or not', async () => {
      const file = fs.readFileSync(path.join(__dirname, '../servers/samples/cursor-mcp.json'), 'utf8');
      const { servers } = parseServerConfig(file);
      expect(servers.length).toBeGreaterThan(2);
      for (const server of servers) await store.saveServer({ owner: 'kept', name: server.name, target: server.target, keepSecrets: true });
      for (const server of servers) await store.saveServer({ owner: 'bare', name: server.name, target: server.target });
      await store.close();
      store = await openStore({ ...target.config, now: () => ctx.clock });
      const byName = <T extends { name: string }>(list: T[]) => [...list].sort((a, b) => (a.name < b.name ? -1 : 1));
      const kept = await store.listServers('kept');
      expect(kept.map(({ name, target }) => ({ name, target }))).toEqual(byName(servers).map(({ name, target }) => ({ name, target })));
      const bare = await store.listServers('bare');
      for (const server of bare) {
        const original = servers.find((s) => s.name === server.name)!.target;
        const names = original.kind === 'url' ? Object.keys(original.headers ?? {}) : Object.keys(original.env);
        expect([...server.withheld.headers, ...server.withheld.env], server.name).toEqual(names);
      }
    });

    it('two connections saving one name at once leave one server with one id', async () => {
      const other = await ctx.open();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? store : other).saveServer({ owner: 'o', name: 'same', target: { ...github, args: [`round-${i}`] } }),
        ),
      );
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      const list = await other.listServers('o');
      expect(list).toHaveLength(1);
      expect(results.map((r) => (r.target as typeof github).args[0])).toContain((list[0]!.target as typeof github).args[0]);
    });
  });

  describe(`concurrent writes (${harness.dialect})`, () => {
    it('many writers through two connections lose nothing and never duplicate a row', async () => {
      const other = await ctx.open();
      const writers = [store, other];
      const owners = ['o1', 'o2', 'o3', 'o4'];
      const resources = Array.from({ length: 10 }, (_, i) => `http://mcp${i}.test/mcp`);
      // Every owner × resource written three times, from both connections, all at once.
      await Promise.all(
        owners.flatMap((owner, oi) =>
          resources.flatMap((resource, ri) =>
            [0, 1, 2].map((round) =>
              writers[(oi + ri + round) % 2]!.saveTokens({
                owner,
                resource,
                accessToken: `at_${owner}_${ri}_${round}_padding`,
                refreshToken: `rt_${owner}_${ri}_${round}_padding`,
                tokenType: 'Bearer',
                scopes: [`s${round}`],
              }),
            ),
          ),
        ),
      );
      const count = await target.rawQuery('SELECT COUNT(*) AS n FROM mcpscope_oauth_tokens');
      expect(Number(count[0]?.n)).toBe(owners.length * resources.length);
      for (const owner of owners) {
        const views = await other.listTokens(owner);
        expect(views.map((v) => v.resource)).toEqual([...resources].sort());
        for (const [ri, resource] of resources.entries()) {
          const t = await store.getTokens(owner, resource);
          // Whichever write landed last, its access and refresh token belong together.
          const round = /^at_[^_]+_\d+_(\d)_padding$/.exec(t?.accessToken ?? '')?.[1];
          expect(round, `${owner} ${resource}`).toBeDefined();
          expect(t?.refreshToken).toBe(`rt_${owner}_${ri}_${round}_padding`);
          expect(t?.scopes).toEqual([`s${round}`]);
        }
      }
    });

    it('shares, clients and pending logins written at once are all there', async () => {
      const other = await ctx.open();
      await Promise.all([
        ...Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).saveShare({ id: `s${i}`, kind: 'k', payload: `p${i}` })),
        ...Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? other : store).saveClient({
            issuer: `http://as${i}.test`,
            redirectUri: 'http://localhost/cb',
            clientId: `c${i}`,
            clientSecret: `secret-${i}-xxxx`,
            authMethod: 'client_secret_basic',
          }),
        ),
        ...Array.from({ length: 10 }, (_, i) => (i % 2 ? store : other).savePendingAuthorization({ ...pendingBase, state: `p-${i}` })),
      ]);
      for (let i = 0; i < 20; i++) expect((await store.getShare(`s${i}`))?.payload).toBe(`p${i}`);
      for (let i = 0; i < 10; i++)
        expect((await other.getClient(`http://as${i}.test`, 'http://localhost/cb'))?.clientSecret).toBe(`secret-${i}-xxxx`);
      for (let i = 0; i < 10; i++) expect((await store.takePendingAuthorization(`p-${i}`))?.codeVerifier).toBe(VERIFIER);
    });
  });

  describe(`instances and session records (${harness.dialect})`, () => {
    const record = {
      id: 'sess-1',
      owner: 'o1',
      instanceId: 'inst-a',
      serverUrl: 'http://mcp.test/mcp?key=****',
      transport: 'auto',
      state: 'connected' as const,
      settings: { url: 'http://mcp.test/mcp?key=k', headers: { Authorization: `Bearer ${ACCESS}` }, oauth: { clientSecret: SECRET } },
    };

    it('announces, sees and stops instances; a restart announces it running again', async () => {
      expect(await store.getInstance('inst-a')).toBeUndefined();
      expect(await store.instanceSeen('inst-a')).toBe(false);
      expect(await store.announceInstance({ id: 'inst-a', address: 'http://10.0.0.1:3000' })).toEqual({
        id: 'inst-a',
        address: 'http://10.0.0.1:3000',
        startedAt: T0,
        seenAt: T0,
      });
      ctx.clock = T0 + 5000;
      expect(await store.instanceSeen('inst-a')).toBe(true);
      expect(await store.getInstance('inst-a')).toEqual({
        id: 'inst-a',
        address: 'http://10.0.0.1:3000',
        startedAt: T0,
        seenAt: T0 + 5000,
      });
      ctx.clock = T0 + 6000;
      expect(await store.instanceStopped('inst-a')).toBe(true);
      expect((await store.getInstance('inst-a'))?.stoppedAt).toBe(T0 + 6000);
      ctx.clock = T0 + 9000;
      await store.announceInstance({ id: 'inst-a' });
      expect(await store.getInstance('inst-a')).toEqual({ id: 'inst-a', startedAt: T0 + 9000, seenAt: T0 + 9000 });
    });

    it('keeps a session record per owner, its settings sealed, readable from another connection', async () => {
      await store.saveSessionRecord(record);
      const other = await ctx.open();
      expect(await other.getSessionRecord('o1', 'sess-1')).toEqual({ ...record, createdAt: T0, updatedAt: T0 });
      expect(await other.getSessionRecord('o2', 'sess-1')).toBeUndefined();
      expect(await target.rawContains(ACCESS)).toBe(false);
      expect(await target.rawContains(SECRET)).toBe(false);
      // Another owner cannot take the id over.
      await other.saveSessionRecord({ ...record, owner: 'o2', instanceId: 'inst-x' });
      expect((await store.getSessionRecord('o1', 'sess-1'))?.instanceId).toBe('inst-a');
      expect(await store.getSessionRecord('o2', 'sess-1')).toBeUndefined();
    });

    it('a state update counts only from the instance holding the session; a claim moves it once', async () => {
      await store.saveSessionRecord(record);
      ctx.clock = T0 + 1000;
      expect(await store.setSessionRecordState('sess-1', 'inst-b', 'closed')).toBe(false);
      expect(await store.setSessionRecordState('sess-1', 'inst-a', 'closed')).toBe(true);
      expect(await store.getSessionRecord('o1', 'sess-1')).toMatchObject({ state: 'closed', updatedAt: T0 + 1000, createdAt: T0 });
      const other = await ctx.open();
      const claims = await Promise.all([
        store.claimSessionRecord('o1', 'sess-1', 'inst-a', 'inst-b'),
        other.claimSessionRecord('o1', 'sess-1', 'inst-a', 'inst-c'),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      const winner = claims[0] ? 'inst-b' : 'inst-c';
      expect((await store.getSessionRecord('o1', 'sess-1'))?.instanceId).toBe(winner);
      expect(await store.claimSessionRecord('o2', 'sess-1', winner, 'inst-d')).toBe(false);
      expect(await store.setSessionRecordState('sess-1', 'inst-a', 'connected')).toBe(false);
      expect(await store.forgetSessionRecord('o2', 'sess-1')).toBe(false);
      expect(await store.forgetSessionRecord('o1', 'sess-1')).toBe(true);
      expect(await store.getSessionRecord('o1', 'sess-1')).toBeUndefined();
    });

    it('purges records and instances not updated since a time', async () => {
      await store.announceInstance({ id: 'inst-old' });
      await store.saveSessionRecord({ ...record, id: 'old' });
      ctx.clock = T0 + 10_000;
      await store.announceInstance({ id: 'inst-new' });
      await store.saveSessionRecord({ ...record, id: 'new' });
      expect(await store.purgeSessionRecords(T0 + 5000)).toBe(2);
      expect(await store.getSessionRecord('o1', 'old')).toBeUndefined();
      expect(await store.getInstance('inst-old')).toBeUndefined();
      expect((await store.getSessionRecord('o1', 'new'))?.id).toBe('new');
      expect((await store.getInstance('inst-new'))?.id).toBe('inst-new');
    });
  });

  return ctx;
}
