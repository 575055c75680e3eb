// Several instances sharing one store (lib/cluster + the registry's side of it): two registries, each with its own
// instance identity, on one store. The Postgres side of the store is covered by the contract (tests/store) and the
// whole thing, with HAProxy and two real instances, by e2e/multi.spec.ts.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startOAuthFixture } from '@/e2e/fixtures/oauth';
import { Cluster, DEAD_AFTER_MS, FORWARDED_HEADER, instanceAddress } from '@/lib/cluster';
import { readConfig } from '@/lib/config';
import { followAuthorizationRedirects } from '@/lib/oauth';
import { completeAuthorization, newOwnerId, OWNER_COOKIE, SessionRegistry, signOwner } from '@/lib/sessions';
import { openStore, type Store } from '@/lib/store';
import { startModernServer } from '../mcp/servers';

const cleanups: Array<() => Promise<void>> = [];
/** The load balancer's address, which every instance gives as its own (the OAuth redirect URI). */
const PUBLIC_URL = 'http://localhost:3000';
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sharedStore(): Promise<{ store: Store; clock: { now: number } }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-multi-'));
  const clock = { now: 1_700_000_000_000 };
  const store = await openStore({ dataDir: dir, databaseUrl: '', secretKey: '', now: () => clock.now });
  cleanups.push(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { store, clock };
}

function instance(store: Store, clock: { now: number }, name: string, alive: Set<string>, address = `http://${name}.test:3000`) {
  const cluster = new Cluster({
    store: async () => store,
    instanceId: `inst-${name}`,
    address,
    now: () => clock.now,
    probe: async (address) => alive.has(address),
  });
  const registry = new SessionRegistry({
    config: { ...readConfig({}), publicUrl: PUBLIC_URL },
    cluster,
    store: async () => store,
    now: () => clock.now,
  });
  cleanups.push(async () => {
    await registry.shutdown();
    await cluster.stop();
  });
  return { cluster, registry };
}

describe('several instances on one store', () => {
  it('a session created on one instance is known to the other: held elsewhere while it runs, orphaned once it stopped', async () => {
    const { store, clock } = await sharedStore();
    const alive = new Set(['http://a.test:3000', 'http://b.test:3000']);
    const a = instance(store, clock, 'a', alive);
    const b = instance(store, clock, 'b', alive);
    const server = await startModernServer();
    cleanups.push(() => server.close());

    const created = await a.registry.create('owner-1', { url: server.url, headers: { 'X-Api-Key': 'key-0123456789abcdef' } });
    if (!created.ok) throw new Error(JSON.stringify(created.body));
    const id = created.session.id;
    await expect.poll(async () => (await store.getSessionRecord('owner-1', id))?.state).toBe('connected');
    const record = await store.getSessionRecord('owner-1', id);
    expect(record).toMatchObject({
      instanceId: 'inst-a',
      serverUrl: server.url,
      settings: { headers: { 'X-Api-Key': 'key-0123456789abcdef' } },
    });

    expect(await b.cluster.whereabouts('owner-1', id)).toMatchObject({ kind: 'elsewhere', address: 'http://a.test:3000' });
    // Another browser's session is nobody's as far as this one can tell.
    expect(await b.cluster.whereabouts('owner-2', id)).toBeUndefined();
    expect(await b.cluster.whereabouts(undefined, id)).toBeUndefined();
    // A killed instance: still "seen" a moment ago, but its address does not answer.
    alive.delete('http://a.test:3000');
    expect(await b.cluster.whereabouts('owner-1', id)).toMatchObject({ kind: 'orphaned' });
    // Or silent for too long, whatever answers at its address.
    alive.add('http://a.test:3000');
    clock.now += DEAD_AFTER_MS;
    expect(await b.cluster.whereabouts('owner-1', id)).toMatchObject({ kind: 'orphaned' });
    // A heartbeat brings it back; a clean stop ends it at once.
    await store.instanceSeen('inst-a');
    expect(await b.cluster.whereabouts('owner-1', id)).toMatchObject({ kind: 'elsewhere' });
    await a.cluster.stop();
    expect(await b.cluster.whereabouts('owner-1', id)).toMatchObject({ kind: 'orphaned' });
  });

  it('the other instance takes an orphaned session over with its settings, once; the first can no longer write its state', async () => {
    const { store, clock } = await sharedStore();
    const alive = new Set<string>();
    const a = instance(store, clock, 'a', alive);
    const b = instance(store, clock, 'b', alive);
    const c = instance(store, clock, 'c', alive);
    const server = await startModernServer();
    cleanups.push(() => server.close());
    const created = await a.registry.create('owner-1', { url: server.url, auth: { type: 'bearer', token: 'tok-abcdef0123456789' } });
    if (!created.ok) throw new Error(JSON.stringify(created.body));
    const id = created.session.id;
    await expect.poll(async () => (await store.getSessionRecord('owner-1', id))?.state).toBe('connected');

    const where = await b.cluster.whereabouts('owner-1', id);
    if (where?.kind !== 'orphaned') throw new Error(`expected orphaned, got ${where?.kind}`);
    const [adopted, late] = await Promise.all([b.registry.adopt(where.record), c.registry.adopt(where.record)]);
    expect(late).toBeUndefined();
    if (!adopted?.ok) throw new Error(JSON.stringify(adopted));
    expect(adopted.summary).toMatchObject({ id, state: 'connected', headerNames: ['Authorization'] });
    expect(b.registry.get('owner-1', id)).toBeDefined();
    expect(c.registry.get('owner-1', id)).toBeUndefined();
    await expect.poll(async () => (await store.getSessionRecord('owner-1', id))?.instanceId).toBe('inst-b');
    // The token went with the settings; nothing of it reached the new log in clear.
    expect(JSON.stringify(adopted.session.log.events())).not.toContain('tok-abcdef0123456789');

    // The first instance's session closing now changes nothing in the record: it is b's.
    await a.registry.close(created.session);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await store.getSessionRecord('owner-1', id))?.state).toBe('connected');
  });

  it('a session that expires is forgotten by the store; one left at shutdown is kept, to be taken over', async () => {
    const { store, clock } = await sharedStore();
    const a = instance(store, clock, 'a', new Set());
    const server = await startModernServer();
    cleanups.push(() => server.close());
    const first = await a.registry.create('owner-1', { url: server.url });
    const second = await a.registry.create('owner-1', { url: server.url });
    if (!first.ok || !second.ok) throw new Error('connect failed');
    await expect.poll(async () => (await store.getSessionRecord('owner-1', second.session.id))?.state).toBe('connected');
    second.session.watchers = 1;
    clock.now += a.registry.idleMs + 1000;
    expect(await a.registry.sweep()).toBe(1);
    await expect.poll(async () => store.getSessionRecord('owner-1', first.session.id)).toBeUndefined();
    second.session.watchers = 0;
    await a.registry.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await store.getSessionRecord('owner-1', second.session.id))?.instanceId).toBe('inst-a');
  });

  it('an OAuth login begun on an instance that stopped before the callback is finished by the instance the callback reaches', async () => {
    const { store, clock } = await sharedStore();
    // The OAuth flow dates its pending requests by the real clock.
    clock.now = Date.now();
    const alive = new Set(['http://a.test:3000', 'http://b.test:3000']);
    const a = instance(store, clock, 'a', alive);
    const b = instance(store, clock, 'b', alive);
    const fx = await startOAuthFixture();
    cleanups.push(() => fx.close());
    const owner = newOwnerId();
    const cookie = `${OWNER_COOKIE}=${signOwner(owner)}`;
    const begun = await a.registry.create(owner, { url: fx.mcpUrl });
    if (!begun.ok) throw new Error(JSON.stringify(begun.body));
    expect(begun.summary.state).toBe('auth_required');
    const id = begun.session.id;
    // The person logs in at the authorization server; meanwhile the instance holding the flow is killed.
    const walk = await followAuthorizationRedirects(begun.summary.authorizationUrl as string, { redirectUri: `${PUBLIC_URL}/callback` });
    if (walk.kind !== 'callback') throw new Error(`authorization stopped at ${walk.url}`);
    alive.delete('http://a.test:3000');

    const callback = () =>
      completeAuthorization(new Request(walk.callbackUrl, { headers: { cookie } }), { registry: b.registry, store: async () => store });
    expect(await callback()).toEqual({ kind: 'redirect', location: `/inspect/${id}` });
    const session = b.registry.get(owner, id);
    expect(session?.state).toBe('connected');
    const called = await b.registry.rpc(session!, { method: 'tools/call', params: { name: 'whoami', arguments: {} } });
    expect(JSON.stringify(called)).toContain('mcp:read');
    // One registration, one login: the code was exchanged with the verifier the first instance stored.
    expect(fx.events.filter((e) => e.kind === 'registration')).toHaveLength(1);
    expect(fx.events.filter((e) => e.kind === 'authorization')).toHaveLength(1);
    expect((await store.getSessionRecord(owner, id))?.instanceId).toBe('inst-b');
    // The state was single use: the same callback again finds nothing to finish.
    expect(await callback()).toMatchObject({ kind: 'error', code: 'invalid_state' });

    // A guided login's steps were the stopped instance's: the person is told to start it again.
    alive.add('http://a.test:3000');
    const guided = await a.registry.create(owner, { url: fx.mcpUrl, auth: { type: 'oauth', guided: true } });
    if (!guided.ok) throw new Error(JSON.stringify(guided.body));
    await expect.poll(async () => (await store.getSessionRecord(owner, guided.session.id))?.instanceId).toBe('inst-a');
    await store.savePendingAuthorization({
      state: 'guided-state',
      owner,
      sessionId: guided.session.id,
      serverUrl: fx.mcpUrl,
      resource: fx.mcpUrl,
      issuer: fx.issuer,
      clientId: 'client-1',
      redirectUri: `${PUBLIC_URL}/callback`,
      codeVerifier: 'verifier-0123456789abcdef0123456789abcdef0123',
      scopes: [],
    });
    alive.delete('http://a.test:3000');
    const refused = await completeAuthorization(new Request(`${PUBLIC_URL}/callback?state=guided-state&code=c`, { headers: { cookie } }), {
      registry: b.registry,
      store: async () => store,
    });
    expect(refused).toMatchObject({ kind: 'error', status: 409, code: 'instance_stopped', sessionId: guided.session.id });
    expect((refused as { message: string }).message).toContain('started on an mcpscope instance that has since stopped');
    expect((refused as { message: string }).message).toContain('Start it again');
    expect(b.registry.get(owner, guided.session.id)).toBeUndefined();
  });

  it('an OAuth callback for a holder that still looks alive but refuses the hand-over is finished here, as for a stopped one', async () => {
    const { store, clock } = await sharedStore();
    clock.now = Date.now();
    // The holder's process just died: its heartbeat is recent and the probe passed, but its port refuses.
    const gone = http.createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const goneAddress = `http://127.0.0.1:${(gone.address() as { port: number }).port}`;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const alive = new Set([goneAddress, 'http://b.test:3000']);
    const a = instance(store, clock, 'a', alive, goneAddress);
    const b = instance(store, clock, 'b', alive);
    const fx = await startOAuthFixture();
    cleanups.push(() => fx.close());
    const owner = newOwnerId();
    const begun = await a.registry.create(owner, { url: fx.mcpUrl });
    if (!begun.ok) throw new Error(JSON.stringify(begun.body));
    const id = begun.session.id;
    const walk = await followAuthorizationRedirects(begun.summary.authorizationUrl as string, { redirectUri: `${PUBLIC_URL}/callback` });
    if (walk.kind !== 'callback') throw new Error(`authorization stopped at ${walk.url}`);
    expect(await b.cluster.whereabouts(owner, id)).toMatchObject({ kind: 'elsewhere', address: goneAddress });

    const outcome = await completeAuthorization(
      new Request(walk.callbackUrl, { headers: { cookie: `${OWNER_COOKIE}=${signOwner(owner)}` } }),
      {
        registry: b.registry,
        store: async () => store,
      },
    );
    expect(outcome).toEqual({ kind: 'redirect', location: `/inspect/${id}` });
    expect(b.registry.get(owner, id)?.state).toBe('connected');
    expect((await store.getSessionRecord(owner, id))?.instanceId).toBe('inst-b');
  });

  it('hands a request to another instance as the browser sent it: Host kept, body, cookies and the stream passed through', async () => {
    const seen: Array<{ host?: string; forwardedBy?: string; body: string; method?: string; url?: string }> = [];
    const target = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({
          host: request.headers.host,
          forwardedBy: request.headers[FORWARDED_HEADER] as string | undefined,
          body,
          method: request.method,
          url: request.url,
        });
        response.writeHead(303, { location: '/inspect/x', 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'], 'content-type': 'text/plain' });
        response.write('part one, ');
        setTimeout(() => response.end('part two'), 20);
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => target.close(() => resolve())));
    const { port } = target.address() as { port: number };
    const { store } = await sharedStore();
    const cluster = new Cluster({ store: async () => store, instanceId: 'inst-x' });
    const handed = await cluster.forward(
      new Request('http://mcpscope.example:8443/callback?state=s&code=c', {
        method: 'POST',
        headers: { host: 'mcpscope.example:8443', cookie: 'mcpscope_owner=o', origin: 'http://mcpscope.example:8443' },
        body: '{"x":1}',
      }),
      `http://127.0.0.1:${port}`,
    );
    if (handed.kind !== 'answered') throw new Error(JSON.stringify(handed));
    const answer = handed.response;
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/inspect/x');
    expect(answer.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(await answer.text()).toBe('part one, part two');
    expect(seen).toEqual([
      { host: 'mcpscope.example:8443', forwardedBy: 'inst-x', body: '{"x":1}', method: 'POST', url: '/callback?state=s&code=c' },
    ]);
  });

  it('says where other instances reach it: MCPSCOPE_INSTANCE_URL, else the one address it listens on', () => {
    expect(instanceAddress({ MCPSCOPE_INSTANCE_URL: 'http://10.0.0.5:3000', HOST: '0.0.0.0' })).toBe('http://10.0.0.5:3000');
    expect(instanceAddress({ HOST: '10.0.0.5', PORT: '3001' })).toBe('http://10.0.0.5:3001');
    expect(instanceAddress({ HOST: '::1', PORT: '3001' })).toBe('http://[::1]:3001');
    expect(instanceAddress({ HOST: '0.0.0.0', PORT: '3001' })).toBeUndefined();
    expect(instanceAddress({})).toBeUndefined();
  });
});
