import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
import { getRegistry, SessionRegistry } from '@/lib/sessions';
import { refusedUrl, startLegacySseServer, startModernServer, startUnauthorizedServer, type TestServer } from '../mcp/servers';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function registry(env: Record<string, string> = {}) {
  let now = 1_000_000;
  const instance = new SessionRegistry({ config: readConfig(env), now: () => now });
  cleanups.push(() => instance.shutdown());
  return { instance, advance: (ms: number) => (now += ms) };
}

async function server(start: () => Promise<TestServer>): Promise<TestServer> {
  const started = await start();
  cleanups.push(() => started.close());
  return started;
}

describe('SessionRegistry', () => {
  it('is one instance per process, shared through globalThis', () => {
    expect(getRegistry()).toBe(getRegistry());
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('mcpscope.sessions')]).toBe(getRegistry());
  });

  it('marks header values as secrets so they never reach the log', async () => {
    const { instance } = registry();
    const modern = await server(startModernServer);
    const outcome = await instance.create('owner-a', {
      url: modern.url,
      headers: { 'X-Api-Key': 'very-secret-key-42' },
      auth: { type: 'bearer', token: 'tok-0123456789' },
    });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const logged = JSON.stringify(outcome.session.log.events());
    expect(logged).not.toContain('very-secret-key-42');
    expect(logged).not.toContain('tok-0123456789');
    expect(logged).toContain('6789'); // masked values keep their last 4 characters
    expect(outcome.summary.headerNames.sort()).toEqual(['Authorization', 'X-Api-Key']);
  });

  it('expires idle sessions and closes their connection, but not watched ones', async () => {
    const { instance, advance } = registry({ MCPSCOPE_SESSION_IDLE_MINUTES: '1' });
    const legacy = await server(startLegacySseServer);
    const first = await instance.create('owner-a', { url: legacy.url });
    const second = await instance.create('owner-a', { url: legacy.url });
    if (!first.ok || !second.ok) throw new Error('connect failed');
    second.session.watchers = 1;
    let ended = false;
    instance.onEnd(first.session, () => (ended = true));
    advance(61_000);
    expect(await instance.sweep()).toBe(1);
    expect(ended).toBe(true);
    expect(instance.get('owner-a', first.session.id)).toBeUndefined();
    expect(instance.get('owner-a', second.session.id)).toBeDefined();
    expect(first.session.connection?.closed).toBe(true);
    expect(first.session.log.events().some((event) => event.kind === 'finding' && event.code === 'session_expired')).toBe(true);
  });

  it('keeps failed sessions, and makes room by dropping them first at the per-owner limit', async () => {
    const { instance } = registry({ MCPSCOPE_MAX_SESSIONS: '2' });
    const modern = await server(startModernServer);
    const dead = await refusedUrl();
    const failed = await instance.create('owner-a', { url: dead });
    expect(failed).toMatchObject({ ok: false, status: 502, body: { error: { code: 'connection_refused' } } });
    const live = await instance.create('owner-a', { url: modern.url });
    expect(live.ok).toBe(true);
    // At the limit: the failed session gives way.
    const third = await instance.create('owner-a', { url: modern.url });
    expect(third.ok).toBe(true);
    expect(instance.countFor('owner-a')).toBe(2);
    // Now both are live: no room.
    const fourth = await instance.create('owner-a', { url: modern.url });
    expect(fourth).toMatchObject({ ok: false, status: 429, body: { error: { code: 'too_many_sessions' } } });
    // Another browser has its own quota.
    expect((await instance.create('owner-b', { url: modern.url })).ok).toBe(true);
  });

  it('rejects requests on a session that is not connected', async () => {
    const { instance } = registry();
    const failed = await instance.create('owner-a', { url: await refusedUrl() });
    if (failed.ok) throw new Error('expected a failure');
    const session = instance.get('owner-a', failed.body.sessionId!);
    expect(session?.state).toBe('failed');
    await expect(instance.rpc(session!, { method: 'tools/list' })).rejects.toMatchObject({ code: 'not_connected' });
  });
});

describe('a store that cannot be used', () => {
  it('fails the connect with the store’s own code and advice (503), keeping the session and its log', async () => {
    const { StoreError } = await import('@/lib/store');
    const instance = new SessionRegistry({
      config: readConfig({}),
      store: async () => {
        throw new StoreError(
          'secret_key_mismatch',
          'This database was written with another encryption key: start mcpscope with the MCPSCOPE_SECRET_KEY the other instances use.',
        );
      },
    });
    cleanups.push(() => instance.shutdown());
    const unauthorized = await server(startUnauthorizedServer);
    const outcome = await instance.create('owner-store', { url: unauthorized.url, auth: { type: 'oauth' } });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.status).toBe(503);
    expect(outcome.body.error.code).toBe('secret_key_mismatch');
    expect(outcome.body.error.message).toContain('MCPSCOPE_SECRET_KEY');
    const session = instance.get('owner-store', outcome.body.sessionId!);
    expect(session?.state).toBe('failed');
    expect(session?.log.events().length).toBeGreaterThan(0);
  });
});
