// Servers that want an API key or a bearer token and answer 401 with no WWW-Authenticate and no OAuth metadata
// (seeds 001, 002, 003). OAuth starts by itself on a 401, finds nothing, and its default registration endpoint is
// not there: the session must lead with "add a token or header", not with a registration refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAqueduct, startObservee, startPraisonAi } from '@/e2e/fixtures/seeds';
import { readConfig } from '@/lib/config';
import { SessionRegistry } from '@/lib/sessions';
import { tempStore, type TestStore } from '../oauth/helpers';

let ts: TestStore;
let registry: SessionRegistry;

beforeAll(async () => {
  ts = await tempStore();
  registry = new SessionRegistry({ config: { ...readConfig({}), publicUrl: 'http://localhost:3000' }, store: async () => ts.store });
});
afterAll(async () => {
  await registry.shutdown();
  await ts.close();
});

describe.each([
  ['001 Observee (bearer API key)', startObservee],
  ['002 PraisonAI (X-API-Key)', startPraisonAi],
  ['003 Aqueduct (bearer token)', startAqueduct],
])('%s without its credential', (_name, start) => {
  it('says the server wants a token or a header, and why OAuth cannot help', async () => {
    const fx = await start();
    try {
      const outcome = await registry.create('owner-cccccccccccccccccccccc', { url: fx.url });
      expect(outcome.ok).toBe(true);
      if (!outcome.ok) return;
      const auth = registry.summary(outcome.session).auth;
      expect(auth?.error?.code).toBe('credentials_required');
      expect(auth?.error?.message).toMatch(/^This server wants a token or a header: add one/);
      expect(auth?.error?.message).toContain('without a WWW-Authenticate challenge');
      // The registration that was tried stays in the timeline, under its own failed phase.
      const failed = outcome.session.log
        .events()
        .filter((e) => e.kind === 'phase' && e.status === 'failed')
        .map((e) => (e as { name: string }).name);
      expect(failed).toEqual(expect.arrayContaining(['oauth:registration', 'oauth:client']));
    } finally {
      await fx.close();
    }
  });
});
