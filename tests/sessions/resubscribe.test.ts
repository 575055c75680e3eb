// Resource subscriptions belong to one server session: after POST /api/sessions/:id/reconnect the new
// connection subscribes again (in the open), and the summary says what the live connection is subscribed to.
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
import { SessionRegistry, type Session } from '@/lib/sessions';
import type { PhaseEvent } from '@/lib/trace/types';
import { startProtocolGaps, type ProtocolGapsFixture } from '@/e2e/fixtures/protocol-gaps';
import { startModernServer } from '../mcp/servers';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const TODAY = 'gaps://notes/today';
const TOMORROW = 'gaps://notes/tomorrow';

async function setup(): Promise<{ registry: SessionRegistry; fixture: ProtocolGapsFixture; session: Session }> {
  const fixture = await startProtocolGaps();
  cleanups.push(() => fixture.close());
  const registry = new SessionRegistry({ config: readConfig({}) });
  cleanups.push(() => registry.shutdown());
  const outcome = await registry.create('owner', { url: fixture.url });
  if (!outcome.ok) throw new Error(`connect failed: ${JSON.stringify(outcome.body)}`);
  return { registry, fixture, session: outcome.session };
}

function restorePhase(session: Session): PhaseEvent | undefined {
  return session.log
    .events()
    .filter((event): event is PhaseEvent => event.kind === 'phase' && event.name === 'restore subscriptions' && event.status !== 'started')
    .at(-1);
}

describe('resource subscriptions across a reconnect', () => {
  it('the summary lists what the live connection is subscribed to', async () => {
    const { registry, fixture, session } = await setup();
    expect(registry.summary(session).resourceSubscriptions).toEqual([]);
    await registry.rpc(session, { method: 'resources/subscribe', params: { uri: TODAY } });
    await registry.rpc(session, { method: 'resources/subscribe', params: { uri: TOMORROW } });
    expect(registry.summary(session).resourceSubscriptions).toEqual([TODAY, TOMORROW]);
    await registry.rpc(session, { method: 'resources/unsubscribe', params: { uri: TOMORROW } });
    expect(registry.summary(session).resourceSubscriptions).toEqual([TODAY]);
    // A refused subscribe is not a subscription.
    fixture.refuse.add('gaps://nowhere');
    const refused = await registry.rpc(session, { method: 'resources/subscribe', params: { uri: 'gaps://nowhere' } });
    expect(refused).toMatchObject({ error: { code: -32602 } });
    expect(registry.summary(session).resourceSubscriptions).toEqual([TODAY]);
  });

  it('subscribes again on the new connection, under its own phase, and tells watchers', async () => {
    const { registry, fixture, session } = await setup();
    await registry.rpc(session, { method: 'resources/subscribe', params: { uri: TODAY } });
    const firstServerSession = session.connection?.sessionId;
    const summaries: Array<string[] | undefined> = [];
    registry.subscribeSummary(session, (summary) => summaries.push(summary.resourceSubscriptions));

    const summary = await registry.reconnect(session);

    expect(summary.state).toBe('connected');
    const secondServerSession = session.connection?.sessionId;
    expect(secondServerSession).not.toBe(firstServerSession);
    // The server saw the subscription again, on the new server session.
    expect(fixture.subscribes).toEqual([
      { sessionId: firstServerSession, uri: TODAY },
      { sessionId: secondServerSession, uri: TODAY },
    ]);
    expect(summary.resourceSubscriptions).toEqual([TODAY]);
    expect(summaries.at(-1)).toEqual([TODAY]);
    const phase = restorePhase(session);
    expect(phase).toMatchObject({ status: 'ok', detail: `subscribed again to ${TODAY} (resources/subscribe on the new connection)` });
    // The request itself is filed under that phase.
    const request = session.log.events().find((event) => event.kind === 'http.request' && event.phaseId === phase?.phaseId);
    expect(request?.kind === 'http.request' && request.body?.text).toContain('resources/subscribe');
    expect(session.log.events().some((event) => event.kind === 'finding' && event.code === 'subscriptions_not_restored')).toBe(false);
  });

  it('also after a disconnect, and drops (and says) what the server refuses on the new connection', async () => {
    const { registry, fixture, session } = await setup();
    await registry.rpc(session, { method: 'resources/subscribe', params: { uri: TODAY } });
    await registry.rpc(session, { method: 'resources/subscribe', params: { uri: TOMORROW } });
    await registry.close(session);
    expect(registry.summary(session).resourceSubscriptions).toBeUndefined();
    fixture.refuse.add(TOMORROW);

    const summary = await registry.reconnect(session);

    expect(summary.resourceSubscriptions).toEqual([TODAY]);
    expect(restorePhase(session)?.detail).toMatch(
      /^subscribed again to gaps:\/\/notes\/today; the server refused gaps:\/\/notes\/tomorrow \(JSON-RPC error -32602/,
    );
    const finding = session.log.events().find((event) => event.kind === 'finding' && event.code === 'subscriptions_not_restored');
    expect(finding?.kind === 'finding' && finding.message).toContain('those resources are shown unsubscribed');
  });

  it('sends nothing when nothing was subscribed', async () => {
    const { registry, fixture, session } = await setup();
    await registry.reconnect(session);
    expect(fixture.subscribes).toEqual([]);
    expect(restorePhase(session)).toBeUndefined();
  });

  it('2026-07-28: opens subscriptions/listen again with the filter the previous connection asked for', async () => {
    const modern = await startModernServer();
    cleanups.push(() => modern.close());
    const registry = new SessionRegistry({ config: readConfig({}) });
    cleanups.push(() => registry.shutdown());
    const outcome = await registry.create('owner', { url: modern.url });
    if (!outcome.ok) throw new Error('connect failed');
    const session = outcome.session;
    await session.connection!.listen({ toolsListChanged: true, resourceSubscriptions: ['demo://x'] });

    const summary = await registry.reconnect(session);

    expect(summary.state).toBe('connected');
    expect(session.connection?.listening?.requested).toEqual({ toolsListChanged: true, resourceSubscriptions: ['demo://x'] });
    const phase = restorePhase(session);
    expect(phase?.status).toBe('ok');
    expect(phase?.detail).toMatch(/^subscriptions\/listen opened again on the new connection: /);
    // This server acknowledges list changes only: a URI it did not agree to is not shown as subscribed.
    expect(summary.resourceSubscriptions).toEqual(session.connection?.listening?.honored.resourceSubscriptions ?? []);
  });
});
