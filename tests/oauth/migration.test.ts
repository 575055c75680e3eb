// SEP-2352: the MCP server moves to another authorization server mid-session. Two real authorization servers
// (oidc-provider), one real MCP server that switches which one it trusts. The old one keeps running and still
// refreshes its own tokens, which the server now refuses: the flow must discover again, register with the new
// one, and never show the old client's credentials there.
import { describe, expect, it } from 'vitest';
import { type OAuthFixture } from '@/e2e/fixtures/oauth';
import { authorizedFetch, isOAuthFlowError, type OAuthClientFlow, type OAuthFlowError } from '@/lib/oauth';
import { authorizeFlow, challengeOf, findCause, findings, newFlow, TEST_REDIRECT_URI, whoamiThrough } from './helpers';
import { oauthPerTest } from './per-test';

const startOAuth = oauthPerTest();

const whoami = (fixture: OAuthFixture, flow: OAuthClientFlow) => whoamiThrough(fixture.mcpUrl, authorizedFetch(fetch, flow));

describe('SEP-2352: the authorization server changes', () => {
  it('rediscovers when the refreshed token is still refused, registers with the new one, and sends it nothing of the old', async () => {
    const { fx, ts } = await startOAuth({ secondAuthorizationServer: true });
    const { flow, log } = newFlow(ts.store, fx.mcpUrl);
    await flow.discover({ wwwAuthenticate: (await challengeOf(fx.mcpUrl)).wwwAuthenticate });
    await authorizeFlow(flow);
    const first = await whoami(fx, flow);
    const oldClient = first.client_id;
    expect(flow.discovered?.issuer).toBe(fx.issuer);

    fx.migrateAuthorizationServer();
    const error = await whoami(fx, flow).then(
      () => undefined,
      (e: unknown) => e,
    );
    const dead = findCause(error, isOAuthFlowError) as OAuthFlowError | undefined;
    expect(dead?.code).toBe('reauthorization_required');
    expect(dead?.message).toContain(fx.second!.issuer);
    // The old authorization server did refresh (it still can); its fresh token was refused all the same.
    expect(fx.events.filter((e) => e.kind === 'refresh')).toHaveLength(1);
    expect(flow.discovered?.issuer).toBe(fx.second!.issuer);
    expect(findings(log).filter((f) => f.code === 'authorization_server_changed')).toHaveLength(1);
    expect(await ts.store.getTokens('owner-a', fx.mcpUrl)).toBeUndefined();
    // The timeline shows the rediscovery as its own step, saying why it ran.
    const discoveries = log.events().filter((e) => e.kind === 'phase' && e.name === 'oauth:discovery' && e.status === 'started');
    expect(discoveries).toHaveLength(2);
    expect(discoveries[1]).toMatchObject({
      detail: expect.stringContaining('again: the server refused a token that cannot be renewed (SEP-2352)'),
    });

    const { request } = await authorizeFlow(flow);
    expect(new URL(request.authorizationUrl).origin).toBe(new URL(fx.second!.issuer).origin);
    const registered = fx.second!.events.filter((e) => e.kind === 'registration');
    expect(registered).toHaveLength(1);
    const newClient = registered[0].detail.client_id!;
    expect(newClient).not.toBe(oldClient);
    expect((await whoami(fx, flow)).client_id).toBe(newClient);
    // Nothing of the old registration reached the new authorization server.
    expect(fx.second!.events.filter((e) => e.detail.client_id === oldClient)).toEqual([]);
    expect(flow.clientIdentity).toMatchObject({ clientId: newClient, source: 'registered' });
  });

  it('reports a change once, and keeps the old registration keyed to its own issuer', async () => {
    const { fx, ts } = await startOAuth({ secondAuthorizationServer: true });
    const { flow } = newFlow(ts.store, fx.mcpUrl, { owner: 'owner-b' });
    await flow.discover();
    await authorizeFlow(flow);
    fx.migrateAuthorizationServer();
    expect(await flow.rediscover(null)).toEqual({ changed: true, issuer: fx.second!.issuer, previousIssuer: fx.issuer });
    expect(await flow.rediscover(null)).toEqual({ changed: false, issuer: fx.second!.issuer });
    // Registrations stay keyed by issuer: the first one is still there for the first issuer.
    expect(await ts.store.getClient(fx.issuer, TEST_REDIRECT_URI)).toBeDefined();
  });
});
