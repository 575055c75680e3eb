// The app restarts: what lives in the store (share links, OAuth tokens) survives, and live sessions, which
// live in memory, are gone — for their owner too — so the browser shows them as ended, not broken.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
import { newOwnerId, SessionRegistry } from '@/lib/sessions';
import { createShare, readShare } from '@/lib/shares';
import { openStore, type Store } from '@/lib/store';
import { startChaosServer, type ChaosServer } from '@/e2e/fixtures/chaos';

let chaos: ChaosServer;
let dir: string;

beforeAll(async () => {
  chaos = await startChaosServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-restart-'));
});
afterAll(async () => {
  await chaos.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** One "process": a store on the data directory and a registry on top of it. */
async function boot(): Promise<{ store: Store; registry: SessionRegistry; stop(): Promise<void> }> {
  const store = await openStore({ dataDir: dir, databaseUrl: '', secretKey: '' });
  const registry = new SessionRegistry({ config: readConfig({ MCPSCOPE_DATA_DIR: dir }), store: async () => store });
  return {
    store,
    registry,
    stop: async () => {
      await registry.shutdown();
      await store.close();
    },
  };
}

describe('an app restart', () => {
  it('keeps share links and stored tokens, and ends live sessions', async () => {
    const owner = newOwnerId();
    const first = await boot();
    const outcome = await first.registry.create(owner, { url: chaos.url('/ok') });
    if (!outcome.ok) throw new Error('connect failed');
    await first.registry.rpc(outcome.session, {
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'before the restart' } },
    });
    const share = await createShare(first.store, {
      owner,
      meta: outcome.session.log.meta,
      events: outcome.session.log.events(),
      body: {},
      secrets: outcome.session.secrets,
    });
    await first.store.saveTokens({
      owner,
      resource: chaos.url('/ok'),
      accessToken: 'token-that-must-survive-0001',
      tokenType: 'Bearer',
      scopes: ['read'],
    });
    const sessionId = outcome.session.id;
    await first.stop();

    const second = await boot();
    try {
      // Live sessions were in memory: gone, for their owner as well (the UI then says the restart ended it).
      expect(second.registry.get(owner, sessionId)).toBeUndefined();
      const document = await readShare(second.store, share.shareId, owner);
      expect(JSON.stringify(document)).toContain('before the restart');
      expect((await second.store.getTokens(owner, chaos.url('/ok')))?.accessToken).toBe('token-that-must-survive-0001');
    } finally {
      await second.stop();
    }
  });
});
