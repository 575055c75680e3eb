// DPoP (RFC 9449, SEP-1932) against a real authorization server (oidc-provider, which binds tokens to a proof's
// key) and an MCP server that checks every proof: signature, key thumbprint against the token's cnf.jkt, method,
// URL, token hash, freshness, no replay, and (when it asks) its nonce.
import { describe, expect, it } from 'vitest';
import type { OAuthFixture, OAuthFixtureOptions } from '@/e2e/fixtures/oauth';
import { authorizedFetch, type OAuthClientFlow } from '@/lib/oauth';
import { decodeJwtText } from '@/lib/trace';
import { authorizeFlow, challengeOf, findings, logText, newFlow, whoamiThrough } from './helpers';
import { oauthPerTest } from './per-test';

const startOAuth = oauthPerTest();

async function authorizedFlow(options: OAuthFixtureOptions) {
  const { fx, ts } = await startOAuth(options);
  const { flow, log } = newFlow(ts.store, fx.mcpUrl, { owner: 'owner-d' });
  await flow.discover({ wwwAuthenticate: (await challengeOf(fx.mcpUrl)).wwwAuthenticate });
  const { view } = await authorizeFlow(flow);
  return { fixture: fx, store: ts.store, flow, log, view };
}

const whoami = (fixture: OAuthFixture, flow: OAuthClientFlow) => whoamiThrough(fixture.mcpUrl, authorizedFetch(fetch, flow));

describe('DPoP', () => {
  it('binds the token when the server asks for it, and proves possession on every request', async () => {
    const { fixture, store, flow, log, view } = await authorizedFlow({ dpop: {} });
    expect(view.tokenType).toBe('DPoP');
    expect((await whoami(fixture, flow)).sub).toBe('test-user');
    // initialize, notifications/initialized, tools/call (and any GET stream): each with its own verified proof.
    expect(fixture.stats.dpop?.verified).toBeGreaterThanOrEqual(3);
    expect(fixture.stats.dpop?.refused).toBe(0);
    expect(findings(log).find((f) => f.code === 'dpop')?.message).toContain('thumbprint');
    const requests = log.events().filter((e) => e.kind === 'http.request' && e.url.endsWith('/token'));
    expect(JSON.stringify(requests)).toMatch(/"dpop"/i);
    // The proof on the token request is masked in the log: header and claims readable, no signature.
    const proofs = log
      .events()
      .flatMap((e) => (e.kind === 'http.request' ? e.headers.filter(([name]) => name === 'dpop').map(([, value]) => value) : []));
    expect(proofs.length).toBeGreaterThanOrEqual(1);
    for (const proof of proofs) {
      expect(proof).toMatch(/^ey[\w-]+\.ey[\w-]+\.••••[\w-]{4}$/);
      expect(decodeJwtText(proof)).toMatchObject({
        header: { typ: 'dpop+jwt', jwk: { kty: 'EC' } },
        claims: { htm: expect.any(String), jti: expect.any(String) },
      });
    }
    expect(logText(log)).not.toContain((await store.getTokens('owner-d', fixture.mcpUrl))!.accessToken);
  });

  it("retries once with the server's nonce when it asks for one (use_dpop_nonce)", async () => {
    const { fixture, flow, log } = await authorizedFlow({ dpop: { requireNonce: true } });
    expect((await whoami(fixture, flow)).sub).toBe('test-user');
    expect(fixture.stats.dpop?.nonceChallenges).toBe(1);
    expect(fixture.stats.dpop?.verified).toBeGreaterThanOrEqual(3);
    expect(findings(log).filter((f) => f.code === 'dpop_nonce')).toHaveLength(1);
  });

  it('keeps Bearer tokens when only the authorization server supports DPoP (the server did not ask)', async () => {
    const { fixture, flow, log, view } = await authorizedFlow({});
    expect(view.tokenType).toBe('Bearer');
    expect((await whoami(fixture, flow)).sub).toBe('test-user');
    expect(findings(log).map((f) => f.code)).not.toContain('dpop');
  });

  it('does not use a bound token whose key belonged to an earlier flow: it asks to authorize again', async () => {
    const { fixture, store } = await authorizedFlow({ dpop: {} });
    const later = newFlow(store, fixture.mcpUrl, { owner: 'owner-d' }).flow;
    await expect(later.getAccessToken()).rejects.toMatchObject({
      code: 'authorization_required',
      message: expect.stringContaining('DPoP'),
    });
  });
});
