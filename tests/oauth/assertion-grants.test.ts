// The grants without a person that trade a signed assertion (RFC 7523 jwt-bearer) for a token, against a real
// authorization server (oidc-provider) protecting a real MCP server: a workload's identity token (SEP-1933), and
// an ID-JAG obtained from an enterprise identity provider by token exchange (SEP-990). Every JWT is masked in the
// log and shown decoded; a refused assertion is explained and not retried.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthFixture, type OAuthFixture } from '@/e2e/fixtures/oauth';
import { authorizedFetch, OAuthFlowError, type OAuthClientFlow, type PreRegisteredClient } from '@/lib/oauth';
import { findings, logText, newFlow, phase, tempStore, whoamiThrough, type TestStore } from './helpers';

let fx: OAuthFixture;
let ts: TestStore;

beforeAll(async () => {
  fx = await startOAuthFixture({ assertionGrants: true });
});
afterAll(async () => {
  await fx.close();
});
afterEach(async () => {
  await ts?.close();
});

async function flowFor(client: PreRegisteredClient) {
  ts = await tempStore();
  return newFlow(ts.store, fx.mcpUrl, { owner: 'machine', client });
}

const whoami = (flow: OAuthClientFlow) => whoamiThrough(fx.mcpUrl, authorizedFetch(fetch, flow));

const jwtBearerAttempts = () => fx.events.filter((e) => e.kind === 'jwt-bearer').length;

describe('workload identity federation (SEP-1933)', () => {
  it("trades the workload's identity token for a token for the MCP server; the token is masked, shown decoded", async () => {
    const workload = fx.workload!;
    const { flow, log } = await flowFor({ clientId: workload.clientId });
    const identity = workload.identityToken();
    const view = await flow.jwtBearer(identity, { kind: 'workload identity token' });
    expect(view.accessToken).toMatch(/^••••/);
    expect((await whoami(flow)).client_id).toBe(workload.clientId);
    expect(fx.events.filter((e) => e.kind === 'jwt-bearer').at(-1)?.detail).toMatchObject({
      outcome: 'issued',
      kind: 'workload',
      sub: 'workload-1',
    });
    expect(findings(log).find((f) => f.code === 'jwt_assertion')?.message).toContain('sub="workload-1"');
    expect(logText(log)).not.toContain(identity);
    expect(phase(log, 'oauth:jwt-bearer')?.status).toBe('ok');
  });

  it.each([
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 60 }, /expired/],
    ['a token for another audience', { aud: 'https://elsewhere.example' }, /audience/],
  ])("refuses %s with the server's words, once, without trying another grant", async (_name, claims, said) => {
    const workload = fx.workload!;
    const { flow, log } = await flowFor({ clientId: workload.clientId });
    const before = jwtBearerAttempts();
    const error = await flow.jwtBearer(workload.identityToken(claims)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthFlowError);
    expect(error).toMatchObject({ code: 'token_request_failed', oauthError: 'invalid_grant' });
    expect((error as Error).message).toMatch(said);
    expect(jwtBearerAttempts() - before).toBe(1);
    expect(
      fx.events.filter((e) => e.kind === 'token' && e.detail.grant_type !== 'urn:ietf:params:oauth:grant-type:jwt-bearer').length,
    ).toBe(0);
    expect(phase(log, 'oauth:jwt-bearer')?.status).toBe('failed');
  });
});

describe('enterprise-managed authorization (SEP-990)', () => {
  it('exchanges the ID token at the identity provider for an ID-JAG, then trades that for a token', async () => {
    const { idp, client } = fx.enterprise!;
    const { flow, log } = await flowFor(client);
    const idToken = idp.idToken();
    await flow.enterpriseAuthorization({ tokenEndpoint: idp.tokenEndpoint, idToken, clientId: idp.clientId });
    expect(idp.exchanges.at(-1)).toEqual({ audience: fx.issuer, resource: fx.mcpUrl, outcome: 'issued' });
    expect(fx.events.filter((e) => e.kind === 'jwt-bearer').at(-1)?.detail).toMatchObject({
      outcome: 'issued',
      kind: 'id-jag',
      client_id: client.clientId,
      sub: 'enterprise-user',
    });
    expect((await whoami(flow)).client_id).toBe(client.clientId);
    // Both JWTs are shown decoded, and neither is in the log in clear; nor the client secret.
    const shown = findings(log)
      .filter((f) => f.code === 'jwt_assertion')
      .map((f) => f.message);
    expect(shown).toEqual([expect.stringContaining('The ID token'), expect.stringContaining('The ID-JAG')]);
    expect(shown[1]).toContain('"typ":"oauth-id-jag+jwt"');
    expect(shown[1]).toContain(`resource="${fx.mcpUrl}"`);
    const text = logText(log);
    expect(text).not.toContain(idToken);
    expect(text).not.toContain(client.clientSecret);
    expect(phase(log, 'oauth:token-exchange')?.status).toBe('ok');
  });

  it("an ID token the identity provider does not accept stops there, in the identity provider's words", async () => {
    const { idp, client } = fx.enterprise!;
    const { flow, log } = await flowFor(client);
    const before = jwtBearerAttempts();
    const error = await flow
      .enterpriseAuthorization({ tokenEndpoint: idp.tokenEndpoint, idToken: 'not.a.token', clientId: idp.clientId })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'token_request_failed' });
    expect((error as Error).message).toContain('invalid_grant');
    expect(jwtBearerAttempts()).toBe(before);
    expect(phase(log, 'oauth:token-exchange')?.status).toBe('failed');
  });
});
