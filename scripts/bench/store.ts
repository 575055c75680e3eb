// The embedded store's own speed (SQLite in a fresh data directory, the driver the app uses): opening it
// (schema included), and the statements a busy instance runs most: token writes and reads, saved-server lists.
// Medians over rounds, each on a fresh directory, so a figure is comparable across drivers and runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../lib/store';
import { median } from './stats';

export interface StoreSpeed {
  openMs: number;
  writeUs: number;
  readUs: number;
  listMs: number;
}

const OPS = 300;

async function round(): Promise<StoreSpeed> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-bench-store-'));
  try {
    const t0 = performance.now();
    const store = await openStore({ dataDir, databaseUrl: '', secretKey: Buffer.alloc(32, 7).toString('base64') });
    const openMs = performance.now() - t0;
    const t1 = performance.now();
    for (let i = 0; i < OPS; i++)
      await store.saveTokens({
        owner: `o${i % 10}`,
        resource: `https://r${i}.example/mcp`,
        accessToken: `token-${i}`,
        tokenType: 'Bearer',
        scopes: ['a'],
      });
    const writeUs = ((performance.now() - t1) * 1000) / OPS;
    const t2 = performance.now();
    for (let i = 0; i < OPS; i++) await store.getTokens(`o${i % 10}`, `https://r${i}.example/mcp`);
    const readUs = ((performance.now() - t2) * 1000) / OPS;
    for (let i = 0; i < 50; i++)
      await store.saveServer({ owner: 'o', name: `server ${i}`, target: { kind: 'url', url: `https://s${i}.example/mcp` } });
    const t3 = performance.now();
    for (let i = 0; i < 20; i++) await store.listServers('o');
    const listMs = (performance.now() - t3) / 20;
    await store.close();
    return { openMs, writeUs, readUs, listMs };
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function measureStoreSpeed(rounds = 5): Promise<StoreSpeed> {
  const all: StoreSpeed[] = [];
  for (let i = 0; i < rounds; i++) all.push(await round());
  const pick = (key: keyof StoreSpeed) => median(all.map((r) => r[key]));
  return { openMs: pick('openMs'), writeUs: pick('writeUs'), readUs: pick('readUs'), listMs: pick('listMs') };
}
