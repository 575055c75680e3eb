// Issue 12, "one client can lock everyone out": a client floods session creation, each request with a new
// identity, aimed at a server that never answers `initialize`. The registry must keep serving other clients:
// a connect timeout of at most 2 minutes, per-address caps on connecting and live sessions whatever the
// cookies, and, when the whole process is full, the oldest handshakes of the client holding the most give way.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startChaosServer, type ChaosServer } from '@/e2e/fixtures/chaos';
import { startSilentServer, type SilentServer } from '@/e2e/fixtures/silent';
import { readConfig } from '@/lib/config';
import { newOwnerId, SessionRegistry, type CreateOutcome, type Session } from '@/lib/sessions';
import { waitFor } from '../fixtures/helpers';

const FLOODER = '203.0.113.66';
const VICTIM = '198.51.100.7';
const FLOOD_BODY = (url: string) => ({ url, timeouts: { connectMs: 120_000 }, wait: false });

let chaos: ChaosServer;
let silent: SilentServer;
const registries: SessionRegistry[] = [];

beforeAll(async () => {
  chaos = await startChaosServer();
  silent = await startSilentServer();
});
afterEach(async () => {
  for (const registry of registries.splice(0)) await registry.shutdown();
});
afterAll(async () => {
  await silent.close();
  await chaos.close();
});

function registry(env: Record<string, string> = {}): SessionRegistry {
  const instance = new SessionRegistry({ config: readConfig(env) });
  registries.push(instance);
  return instance;
}

function created(outcome: CreateOutcome): Session {
  if (!outcome.ok) throw new Error(`create failed: ${JSON.stringify(outcome.body)}`);
  return outcome.session;
}

describe('a cookie-minting flood of never-answered handshakes', () => {
  it('asks for a 30-minute connect timeout and is refused; at the 2-minute maximum it is capped per address; others still connect', async () => {
    const sessions = registry();
    // The flood asked for 30 minutes per handshake: bad input, nothing is created or sent.
    const asked = await sessions.create(
      newOwnerId(),
      { url: silent.url, timeouts: { connectMs: 30 * 60_000 }, wait: false },
      { clientAddress: FLOODER },
    );
    expect(asked).toMatchObject({ ok: false, status: 400, body: { error: { code: 'invalid_request' } } });
    expect(silent.waiting()).toBe(0);

    // The same flood at the maximum; every request is a new owner (each carried a freshly invented cookie).
    // All at once, as a flood comes: concurrent requests must not all slip under the same limit.
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, () => sessions.create(newOwnerId(), FLOOD_BODY(silent.url), { clientAddress: FLOODER })),
    );
    const accepted = outcomes.filter((o) => o.ok);
    const refused = outcomes.filter((o): o is Extract<CreateOutcome, { ok: false }> => !o.ok);
    expect(accepted).toHaveLength(20);
    expect(refused).toHaveLength(20);
    for (const outcome of refused) {
      expect(outcome).toMatchObject({ status: 429, body: { error: { code: 'too_many_sessions' } } });
      expect(outcome.body.error.message).toContain('MCPSCOPE_MAX_CONNECTING_PER_ADDRESS');
    }
    await waitFor(() => silent.waiting() === 20, 'the 20 handshakes to reach the server');

    // Someone else, at another address, connects at once.
    const victim = await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: VICTIM });
    expect(victim.ok).toBe(true);
    expect(created(victim).state).toBe('connected');
  });

  it('caps the live sessions of one address, whatever owners it claims', async () => {
    const sessions = registry({ MCPSCOPE_MAX_SESSIONS_PER_ADDRESS: '3' });
    const held: Session[] = [];
    for (let i = 0; i < 3; i++)
      held.push(created(await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: FLOODER })));
    expect(held.map((session) => session.state)).toEqual(['connected', 'connected', 'connected']);
    const fourth = await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: FLOODER });
    expect(fourth).toMatchObject({ ok: false, status: 429, body: { error: { code: 'too_many_sessions' } } });
    if (!fourth.ok) expect(fourth.body.error.message).toContain('MCPSCOPE_MAX_SESSIONS_PER_ADDRESS');
    // A disconnected session is no longer live: it frees its place.
    await sessions.close(held[0]!);
    expect((await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: FLOODER })).ok).toBe(true);
    expect((await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: VICTIM })).ok).toBe(true);
  });
});

describe('the process-wide cap (MCPSCOPE_MAX_SESSIONS_TOTAL), fair share', () => {
  const env = { MCPSCOPE_MAX_SESSIONS_TOTAL: '10', MCPSCOPE_MAX_CONNECTING_PER_ADDRESS: '100', MCPSCOPE_MAX_SESSIONS_PER_ADDRESS: '100' };

  it("never refuses a client holding nothing while another holds the rest: the heaviest client's oldest handshakes give way", async () => {
    const sessions = registry(env);
    const oldest = created(await sessions.create(newOwnerId(), FLOOD_BODY(silent.url), { clientAddress: FLOODER }));
    const ended: string[] = [];
    sessions.onEnd(oldest, () => ended.push(oldest.id));
    // The second one waits for its connect, as scripts do: its answer must say what happened.
    const blockingOwner = newOwnerId();
    const blocking = sessions.create(blockingOwner, { url: silent.url, timeouts: { connectMs: 120_000 } }, { clientAddress: FLOODER });
    for (let i = 0; i < 8; i++) created(await sessions.create(newOwnerId(), FLOOD_BODY(silent.url), { clientAddress: FLOODER }));
    await waitFor(() => silent.waiting() >= 10, 'the 10 handshakes to reach the server');
    const waitingBefore = silent.waiting();

    // Full. The flooder holds the most, so it is refused more...
    const more = await sessions.create(newOwnerId(), FLOOD_BODY(silent.url), { clientAddress: FLOODER });
    expect(more).toMatchObject({ ok: false, status: 429, body: { error: { code: 'too_many_sessions' } } });
    if (!more.ok) expect(more.body.error.message).toContain('MCPSCOPE_MAX_SESSIONS_TOTAL = 10');

    // ...while a client holding nothing gets its session: the flooder's oldest handshake makes room.
    const victim = await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: VICTIM });
    expect(created(victim).state).toBe('connected');
    expect(sessions.get(oldest.ownerId, oldest.id)).toBeUndefined();
    expect(oldest.state).toBe('closed');
    expect(oldest.error).toMatchObject({ code: 'session_evicted', message: expect.stringContaining('MCPSCOPE_MAX_SESSIONS_TOTAL') });
    const finding = oldest.log.events().find((e) => e.kind === 'finding' && e.code === 'session_evicted');
    expect(finding).toMatchObject({ severity: 'warning' });
    expect(oldest.log.events().some((e) => e.kind === 'finding' && e.code === 'session_expired')).toBe(false);
    expect(ended).toEqual([oldest.id]);
    // The handshake was aborted, not left hanging at the server.
    await waitFor(() => silent.waiting() === waitingBefore - 1, 'the evicted handshake to be aborted');

    // The next newcomer takes the next oldest: the one whose creator is still waiting, and is told why.
    const second = await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: '198.51.100.8' });
    expect(second.ok).toBe(true);
    const answer = await blocking;
    expect(answer).toMatchObject({ ok: false, status: 429, body: { error: { code: 'session_evicted' } } });
    expect(sessions.countFor(blockingOwner)).toBe(0);
  });

  it('stops taking from a client once it holds no more than the newcomer would', async () => {
    const sessions = registry({ ...env, MCPSCOPE_MAX_SESSIONS_TOTAL: '4' });
    for (let i = 0; i < 3; i++) created(await sessions.create(newOwnerId(), FLOOD_BODY(silent.url), { clientAddress: FLOODER }));
    created(await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: VICTIM }));
    // Flooder 3, victim 1, full: the victim may take one more (3 > 1 + 1), leaving 2 and 2.
    expect((await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: VICTIM })).ok).toBe(true);
    // Now 2 and 2: taking another would leave the flooder with fewer than the victim.
    const third = await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: VICTIM });
    expect(third).toMatchObject({ ok: false, status: 429, body: { error: { code: 'too_many_sessions' } } });
    // A third client holding nothing still gets in: 2 > 0 + 1.
    expect((await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: '198.51.100.9' })).ok).toBe(true);
  });

  it("lets the heaviest client's ended sessions give way first, not a lighter client's", async () => {
    const sessions = registry({ ...env, MCPSCOPE_MAX_SESSIONS_TOTAL: '4' });
    // The bystander's session ended first (it is the oldest), e.g. it waits for the person to authorize.
    const bystanders = created(await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: VICTIM }));
    await sessions.close(bystanders);
    const flood: Session[] = [];
    for (let i = 0; i < 3; i++)
      flood.push(created(await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: FLOODER })));
    for (const session of flood) await sessions.close(session);
    // Full of ended sessions: the flooder's go first, oldest first.
    expect((await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: FLOODER })).ok).toBe(true);
    expect(sessions.get(flood[0]!.ownerId, flood[0]!.id)).toBeUndefined();
    expect(sessions.get(bystanders.ownerId, bystanders.id)).toBe(bystanders);
  });

  it('never ends a connected session to make room', async () => {
    const sessions = registry({ ...env, MCPSCOPE_MAX_SESSIONS_TOTAL: '3' });
    const held: Session[] = [];
    for (let i = 0; i < 3; i++)
      held.push(created(await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: FLOODER })));
    const refused = await sessions.create(newOwnerId(), { url: chaos.url('/ok') }, { clientAddress: VICTIM });
    expect(refused).toMatchObject({ ok: false, status: 429, body: { error: { code: 'too_many_sessions' } } });
    expect(held.map((session) => session.state)).toEqual(['connected', 'connected', 'connected']);
  });
});
