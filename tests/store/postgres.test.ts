// The store contract against a real PostgreSQL server started for this file (see postgres-server.ts), plus
// what only a server can show: raw column contents, column types, an unreachable or restarting server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, sqlFor, SQLITE_FILE } from '@/lib/store';
import {
  ACCESS,
  describeStoreContract,
  REFRESH,
  SECRET,
  shortPendingAuthorization,
  STORE_TABLES,
  T0,
  VERIFIER,
  type ContractHarness,
  type ContractTarget,
} from './contract';
import { startPostgres, type PostgresServer } from './postgres-server';

let server: PostgresServer;
let databases = 0;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);

afterAll(async () => {
  await server?.destroy();
});

const postgres: ContractHarness = {
  dialect: 'postgres',
  async fresh(): Promise<ContractTarget> {
    const name = `store_${process.pid}_${++databases}`;
    const databaseUrl = await server.createDatabase(name);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-store-pg-'));
    const rawQuery = async (sql: string, params: (string | number | null)[] = []) =>
      (await server.query(sqlFor('postgres', sql), params, name)).rows as Record<string, unknown>[];
    const tables = async () =>
      (
        await rawQuery(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'mcpscope%' ORDER BY table_name COLLATE \"C\"",
        )
      ).map((r) => String(r.table_name));
    return {
      config: { dataDir: dir, databaseUrl, secretKey: '' },
      async rawContains(needle) {
        // Every row of every store table, as Postgres renders it: all columns, whatever their type.
        const present = await tables();
        if (present.length === 0) throw new Error('No store tables: nothing to search.');
        for (const table of present) {
          const rows = await rawQuery(`SELECT t::text AS row FROM ${table} t`);
          if (rows.some((r) => String(r.row).includes(needle))) return true;
        }
        return false;
      },
      rawQuery,
      tables,
      async cleanup() {
        fs.rmSync(dir, { recursive: true, force: true });
        await server.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      },
    };
  },
};

const ctx = describeStoreContract(postgres);

describe('Postgres specifics', () => {
  it('runs on the server, not on a SQLite file in the data directory', async () => {
    expect(ctx.store.dialect).toBe('postgres');
    await ctx.store.saveShare({ id: 'where', kind: 'k', payload: 'p' });
    expect(fs.existsSync(path.join(ctx.target.config.dataDir, SQLITE_FILE))).toBe(false);
    expect(await ctx.target.rawQuery('SELECT id FROM mcpscope_shares')).toEqual([{ id: 'where' }]);
    const [{ version } = {}] = await ctx.target.rawQuery('SELECT version() AS version');
    expect(String(version)).toMatch(/^PostgreSQL \d+/);
  });

  it('holds only sealed values in the secret columns', async () => {
    await ctx.store.saveTokens({
      owner: 'o',
      resource: 'r',
      accessToken: ACCESS,
      refreshToken: REFRESH,
      tokenType: 'Bearer',
      scopes: ['a'],
    });
    await ctx.store.saveClient({
      issuer: 'http://as.test',
      redirectUri: 'http://localhost/cb',
      clientId: 'c',
      clientSecret: SECRET,
      authMethod: 'client_secret_basic',
      registration: { client_secret: SECRET },
    });
    await ctx.store.savePendingAuthorization(shortPendingAuthorization('st-raw'));

    const [tokens] = await ctx.target.rawQuery('SELECT access_token_enc, refresh_token_enc, token_type, scopes FROM mcpscope_oauth_tokens');
    const [client] = await ctx.target.rawQuery('SELECT client_id, client_secret_enc, registration_enc FROM mcpscope_oauth_clients');
    const [pending] = await ctx.target.rawQuery('SELECT state_hash, verifier_enc FROM mcpscope_oauth_pending');
    expect(tokens).toMatchObject({ token_type: 'Bearer', scopes: 'a' });
    expect(client).toMatchObject({ client_id: 'c' });
    const sealed = [
      tokens?.access_token_enc,
      tokens?.refresh_token_enc,
      client?.client_secret_enc,
      client?.registration_enc,
      pending?.verifier_enc,
    ];
    for (const value of sealed) {
      expect(value).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
      for (const clear of [ACCESS, REFRESH, SECRET, VERIFIER]) expect(value).not.toContain(clear);
    }
    // The state is kept only as a hash: a copy of the database cannot complete a login.
    expect(pending?.state_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(pending?.state_hash).not.toContain('st-raw');
  });

  it('stores epoch milliseconds as BIGINT and hands them back as numbers', async () => {
    const columns = await ctx.target.rawQuery(
      "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND column_name LIKE '%\\_at' ESCAPE '\\' ORDER BY table_name COLLATE \"C\", column_name COLLATE \"C\"",
    );
    expect(columns.length).toBeGreaterThanOrEqual(9);
    expect(new Set(columns.map((c) => c.data_type))).toEqual(new Set(['bigint']));
    // Every table but mcpscope_meta (a name and a sealed value, no times) keeps times.
    expect(new Set(columns.map((c) => c.table_name))).toEqual(new Set(STORE_TABLES.filter((table) => table !== 'mcpscope_meta')));

    const far = 8_640_000_000_000_000; // the largest Date: needs 53 bits, far beyond INTEGER
    await ctx.store.saveTokens({ owner: 'o', resource: 'r', accessToken: ACCESS, tokenType: 'Bearer', scopes: [], expiresAt: far });
    const t = await ctx.store.getTokens('o', 'r');
    expect(t?.expiresAt).toBe(far);
    expect(typeof t?.createdAt).toBe('number');
    expect(t?.createdAt).toBe(T0);
  });

  it('says the database is unavailable, with a code, when nothing listens at DATABASE_URL', async () => {
    const closed = server.url('nothing').replace(`:${server.port}/`, ':1/');
    await expect(openStore({ dataDir: ctx.target.config.dataDir, databaseUrl: closed, secretKey: '' })).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringContaining('DATABASE_URL'),
    });
  });

  it('says the database is unavailable when the server refuses the connection (no such database)', async () => {
    await expect(
      openStore({ dataDir: ctx.target.config.dataDir, databaseUrl: server.url('no_such_database'), secretKey: '' }),
    ).rejects.toMatchObject({ code: 'store_unavailable', message: expect.stringContaining('no_such_database') });
  });

  it('keeps working after the server restarts under it', async () => {
    await ctx.store.saveShare({ id: 'before', kind: 'k', payload: 'p1' });
    await server.stop();
    try {
      await expect(ctx.store.getShare('before')).rejects.toMatchObject({ code: 'store_unavailable' });
    } finally {
      await server.start();
    }
    // The pool drops the connections the restart cut and opens new ones.
    expect((await ctx.store.getShare('before'))?.payload).toBe('p1');
    await ctx.store.saveShare({ id: 'after', kind: 'k', payload: 'p2' });
    expect((await ctx.store.getShare('after'))?.payload).toBe('p2');
  }, 60_000);
});
