// A replay against the server a session is connected to reuses its credentials server-side: SessionRegistry.createTwin
// (POST /api/sessions/:id/twin) connects a new session with what the first was created with.
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
import { SessionRegistry } from '@/lib/sessions';
import { startReplayTarget } from '@/e2e/fixtures/replay-target';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('SessionRegistry.createTwin', () => {
  it('connects a new session to the same server with the same headers and token, masked in its log as in the first', async () => {
    const key = 'twin-secret-key-0042';
    const target = await startReplayTarget('2026', 'before', { requireHeader: { name: 'x-api-key', value: key } });
    cleanups.push(() => target.close());
    const registry = new SessionRegistry({ config: readConfig({}) });
    cleanups.push(() => registry.shutdown());

    const first = await registry.create('owner-a', { url: target.url, headers: { 'X-API-Key': key } });
    expect(first.ok && first.summary.state).toBe('connected');
    if (!first.ok) return;
    // Without the key the server refuses: the twin connects only because it carries the first session's key.
    const bare = await registry.create('owner-a', { url: target.url });
    expect(bare.ok && bare.summary.state).not.toBe('connected');

    const twin = await registry.createTwin(first.session);
    expect(twin.ok).toBe(true);
    if (!twin.ok) return;
    expect(twin.summary.state).toBe('connected');
    expect(twin.summary.id).not.toBe(first.summary.id);
    expect(twin.summary.url).toBe(first.summary.url);
    expect(twin.summary.headerNames).toEqual(['X-API-Key']);
    expect(JSON.stringify(twin.summary)).not.toContain(key);
    expect(JSON.stringify(twin.session.log.events())).not.toContain(key);
    expect(twin.session.ownerId).toBe('owner-a');
  });
});
