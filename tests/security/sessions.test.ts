// The target policy and the session limits where sessions are made (the registry the API routes use).
// Servers are on 127.0.0.1 only: hosted mode must refuse them, the allow-list must let them through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
import { newOwnerId, SessionRegistry } from '@/lib/sessions';
import { startChaosServer, type ChaosServer } from '@/e2e/fixtures/chaos';

let chaos: ChaosServer;
const registries: SessionRegistry[] = [];

beforeAll(async () => {
  chaos = await startChaosServer();
});
afterAll(async () => {
  for (const registry of registries) await registry.shutdown();
  await chaos.close();
});

function registry(env: Record<string, string>): SessionRegistry {
  const instance = new SessionRegistry({ config: readConfig(env) });
  registries.push(instance);
  return instance;
}

describe('hosted mode at session creation', () => {
  it('refuses a loopback server with 403 target_forbidden, before sending anything', async () => {
    const hosted = registry({ MCPSCOPE_MODE: 'hosted', MCPSCOPE_ACCESS_TOKEN: 't' });
    const before = chaos.seen.length;
    for (const url of [
      chaos.url('/ok'),
      chaos.url('/ok').replace('127.0.0.1', 'localhost'),
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:10.0.0.1]/mcp',
    ]) {
      const outcome = await hosted.create(newOwnerId(), { url });
      expect(outcome, url).toMatchObject({ ok: false, status: 403, body: { error: { code: 'target_forbidden' } } });
      if (!outcome.ok) expect(outcome.body.error.message).toMatch(/Target refused by the hosted-mode rule "(loopback|link-local|private)"/);
    }
    expect(chaos.seen.length).toBe(before);
  });

  it('connects to an allow-listed loopback server', async () => {
    const allowed = registry({ MCPSCOPE_MODE: 'hosted', MCPSCOPE_ACCESS_TOKEN: 't', MCPSCOPE_ALLOWED_TARGETS: '127.0.0.1' });
    const outcome = await allowed.create(newOwnerId(), { url: chaos.url('/ok') });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(await allowed.rpc(outcome.session, { method: 'tools/call', params: { name: 'echo', arguments: { text: 'allowed' } } })).toEqual({
      result: { content: [{ type: 'text', text: 'allowed' }] },
    });
  });

  it('does not follow a redirect out of the allowed server, and says so in the log', async () => {
    // 127.0.0.1 is allowed, "localhost" (also loopback, but not listed) is not: /redirect-other-host points there.
    const allowed = registry({ MCPSCOPE_MODE: 'hosted', MCPSCOPE_ACCESS_TOKEN: 't', MCPSCOPE_ALLOWED_TARGETS: '127.0.0.1/32' });
    const owner = newOwnerId();
    const before = chaos.seen.length;
    const outcome = await allowed.create(owner, { url: chaos.url('/redirect-other-host'), timeouts: { connectMs: 3000 } });
    expect(outcome).toMatchObject({ ok: false, body: { error: { code: 'http_error' } } });
    if (outcome.ok) return;
    const session = allowed.get(owner, outcome.body.sessionId!);
    expect(session?.log.events().some((e) => e.kind === 'finding' && e.code === 'redirect_cross_origin')).toBe(true);
    expect(chaos.seen.slice(before).map((r) => r.path)).not.toContain('/ok');
  });
});

describe('session limits', () => {
  it('refuses past the total for all browsers, naming MCPSCOPE_MAX_SESSIONS_TOTAL', async () => {
    const small = registry({ MCPSCOPE_MAX_SESSIONS_TOTAL: '2' });
    expect((await small.create(newOwnerId(), { url: chaos.url('/ok') })).ok).toBe(true);
    expect((await small.create(newOwnerId(), { url: chaos.url('/ok') })).ok).toBe(true);
    const third = await small.create(newOwnerId(), { url: chaos.url('/ok') });
    expect(third).toMatchObject({ ok: false, status: 429, body: { error: { code: 'too_many_sessions' } } });
    if (!third.ok) expect(third.body.error.message).toContain('MCPSCOPE_MAX_SESSIONS_TOTAL = 2');
  });

  it('lets ended sessions give way to new ones at the total', async () => {
    const small = registry({ MCPSCOPE_MAX_SESSIONS_TOTAL: '1' });
    const owner = newOwnerId();
    const first = await small.create(owner, { url: chaos.url('/ok') });
    if (!first.ok) throw new Error('connect failed');
    await small.close(first.session);
    expect((await small.create(newOwnerId(), { url: chaos.url('/ok') })).ok).toBe(true);
    expect(small.get(owner, first.session.id)).toBeUndefined();
  });

  it('refuses past the per-browser limit, naming MCPSCOPE_MAX_SESSIONS', async () => {
    const small = registry({ MCPSCOPE_MAX_SESSIONS: '1' });
    const owner = newOwnerId();
    expect((await small.create(owner, { url: chaos.url('/ok') })).ok).toBe(true);
    const second = await small.create(owner, { url: chaos.url('/ok') });
    expect(second).toMatchObject({ ok: false, status: 429, body: { error: { code: 'too_many_sessions' } } });
    if (!second.ok) expect(second.body.error.message).toContain('MCPSCOPE_MAX_SESSIONS');
  });

  it('caps the log bytes of a session (MCPSCOPE_LOG_MAX_BYTES) and says so', async () => {
    const small = registry({ MCPSCOPE_LOG_MAX_BYTES: '20000' });
    const outcome = await small.create(newOwnerId(), { url: chaos.url('/flood') });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const log = outcome.session.log;
    expect(log.stats.payloadBytes).toBeLessThanOrEqual(20000);
    expect(log.events().some((e) => e.kind === 'finding' && e.code === 'log_capped' && e.message.includes('maxBytes'))).toBe(true);
  });
});

describe('ownership', () => {
  it('another owner cannot see, or therefore drive, a session', async () => {
    const shared = registry({});
    const owner = newOwnerId();
    const outcome = await shared.create(owner, { url: chaos.url('/ok') });
    if (!outcome.ok) throw new Error('connect failed');
    expect(shared.get(owner, outcome.session.id)).toBe(outcome.session);
    expect(shared.get(newOwnerId(), outcome.session.id)).toBeUndefined();
    expect(shared.get(undefined, outcome.session.id)).toBeUndefined();
  });
});
