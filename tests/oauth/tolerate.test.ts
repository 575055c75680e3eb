// The identity checks the flow refuses by default (RFC 9728 §3.3 resource, RFC 8414 §3.3 issuer, RFC 9207 iss),
// attacked against a real authorization server (oidc-provider) and MCP server: each stops the flow before
// anything is authorized, names the rule and both values, and only an explicit `tolerate` gets past it, as a
// finding.
import { describe, expect, it } from 'vitest';
import type { OAuthFixture, OAuthFixtureOptions } from '@/e2e/fixtures/oauth';
import {
  authorizedFetch,
  followAuthorizationRedirects,
  type OAuthClientFlow,
  OAuthFlowError,
  parseTolerateList,
  TOLERABLE_CHECK_NAMES,
  type OAuthFlowOptions,
} from '@/lib/oauth';
import { challengeOf, findings, newFlow, phase, TEST_REDIRECT_URI, whoamiThrough } from './helpers';
import { oauthPerTest } from './per-test';

const startOAuth = oauthPerTest();

async function setUp(options: OAuthFixtureOptions, extra: Partial<OAuthFlowOptions> = {}) {
  const { fx, ts } = await startOAuth(options);
  const { flow, log } = newFlow(ts.store, fx.mcpUrl, extra);
  const challenge = await challengeOf(fx.mcpUrl);
  return { fx, ts, flow, log, wwwAuthenticate: challenge.wwwAuthenticate };
}

async function refusalOf(promise: Promise<unknown>): Promise<OAuthFlowError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthFlowError);
  return error as OAuthFlowError;
}

async function authorizeAndCall(
  flow: OAuthClientFlow,
  server: OAuthFixture,
  tamper: (params: Record<string, unknown>) => Record<string, unknown> = (p) => p,
) {
  const request = await flow.startAuthorization();
  const walk = await followAuthorizationRedirects(request.authorizationUrl, { redirectUri: TEST_REDIRECT_URI });
  if (walk.kind !== 'callback') throw new Error(`authorization stopped at ${walk.url}`);
  await flow.handleCallback(tamper({ ...walk.params }) as typeof walk.params);
  return whoamiThrough(server.mcpUrl, authorizedFetch(fetch, flow));
}

describe('RFC 9728 §3.3: protected resource metadata for another resource', () => {
  const evil = 'https://evil.example/mcp';

  it('stops before registering or authorizing, naming the rule and both values', async () => {
    const { fx, flow, log, wwwAuthenticate } = await setUp({ resourceInMetadata: evil });
    const refused = await refusalOf(flow.discover({ wwwAuthenticate }));
    expect(refused.code).toBe('resource_mismatch');
    expect(refused.refusal).toEqual({
      check: 'resource_mismatch',
      rule: expect.stringContaining('RFC 9728 §3.3'),
      expected: fx.mcpUrl,
      received: evil,
    });
    expect(refused.message).toContain(evil);
    expect(refused.message).toContain('tolerate');
    expect(phase(log, 'oauth:discovery')).toMatchObject({ status: 'failed', error: { code: 'resource_mismatch' } });
    // Nothing further can run on this discovery: no client, no authorization request, no token.
    await expect(flow.startAuthorization()).rejects.toMatchObject({ code: 'resource_mismatch' });
    expect(fx.events.filter((e) => e.kind !== 'introspection')).toEqual([]);
    expect(findings(log).map((f) => f.code)).not.toContain('resource_mismatch');
  });

  it('goes on only when the session tolerates it, as a finding, asking for a token for this server', async () => {
    const { fx, flow, log, wwwAuthenticate } = await setUp({ resourceInMetadata: evil }, { tolerate: ['resource_mismatch'] });
    const discovery = await flow.discover({ wwwAuthenticate });
    expect(discovery.resource).toBe(fx.mcpUrl);
    expect((await authorizeAndCall(flow, fx)).sub).toBe('test-user');
    expect(fx.events.find((e) => e.kind === 'authorization')?.detail.resource).toBe(fx.mcpUrl);
    const tolerated = findings(log).filter((f) => f.code === 'resource_mismatch');
    expect(tolerated).toHaveLength(1);
    expect(tolerated[0]).toMatchObject({ severity: 'warning' });
    expect(tolerated[0].message).toContain('tolerates resource_mismatch');
  });
});

describe('RFC 8414 §3.3: metadata whose issuer is not the URL it was fetched for (seed 004)', () => {
  it('stops before using its endpoints, and goes on when tolerated', async () => {
    const refused = await setUp({ metadataAtOwnOrigin: true });
    const error = await refusalOf(refused.flow.discover({ wwwAuthenticate: refused.wwwAuthenticate }));
    expect(error.code).toBe('issuer_mismatch');
    expect(error.refusal).toMatchObject({ check: 'issuer_mismatch', expected: refused.fx.mcpOrigin, received: refused.fx.issuer });
    expect(error.refusal?.rule).toContain('RFC 8414 §3.3');
    expect(refused.fx.events.filter((e) => e.kind === 'registration' || e.kind === 'authorization')).toEqual([]);
    // The metadata was read (a failed phase says why) and never used.
    expect(phase(refused.log, 'oauth:server-metadata')).toMatchObject({ status: 'failed', error: { code: 'issuer_mismatch' } });
    await refused.fx.close();
    await refused.ts.close();

    const { fx, flow, log, wwwAuthenticate } = await setUp({ metadataAtOwnOrigin: true }, { tolerate: ['issuer_mismatch'] });
    const discovery = await flow.discover({ wwwAuthenticate });
    expect(discovery.issuer).toBe(fx.issuer);
    expect((await authorizeAndCall(flow, fx)).sub).toBe('test-user');
    expect(fx.events.filter((e) => e.kind === 'registration')).toHaveLength(1);
    expect(
      findings(log)
        .filter((f) => f.code === 'issuer_mismatch')
        .map((f) => f.severity),
    ).toEqual(['warning']);
  });
});

describe('RFC 9207: the authorization response names its issuer', () => {
  it('refuses a response from another issuer or without iss (advertised), before redeeming the code', async () => {
    const { fx, flow, log } = await setUp({});
    const tokensBefore = () => fx.events.filter((e) => e.kind === 'token').length;
    const mixedUp = await refusalOf(authorizeAndCall(flow, fx, (p) => ({ ...p, iss: 'https://attacker.example' })));
    expect(mixedUp.code).toBe('iss_mismatch');
    expect(mixedUp.refusal).toMatchObject({ expected: fx.issuer, received: 'https://attacker.example' });
    const missing = await refusalOf(authorizeAndCall(flow, fx, (p) => ({ ...p, iss: null })));
    expect(missing.code).toBe('iss_mismatch');
    expect(missing.refusal).toMatchObject({ expected: fx.issuer, received: '(none)' });
    expect(tokensBefore()).toBe(0);
    expect(phase(log, 'oauth:callback')).toMatchObject({ status: 'failed', error: { code: 'iss_mismatch' } });
  });

  it('redeems the code when the session tolerates iss_mismatch, as a finding', async () => {
    const { fx, flow, log } = await setUp({}, { tolerate: ['iss_mismatch'] });
    expect((await authorizeAndCall(flow, fx, (p) => ({ ...p, iss: 'https://attacker.example' }))).sub).toBe('test-user');
    expect(findings(log).filter((f) => f.code === 'iss_mismatch')).toHaveLength(1);
  });
});

describe('what can be tolerated', () => {
  const fail = (message: string): never => {
    throw new Error(message);
  };

  it('takes only the named identity checks, each once', () => {
    expect(TOLERABLE_CHECK_NAMES).toEqual(['issuer_mismatch', 'resource_mismatch', 'iss_mismatch']);
    expect(parseTolerateList(['issuer_mismatch', 'resource_mismatch', 'issuer_mismatch'], fail)).toEqual([
      'issuer_mismatch',
      'resource_mismatch',
    ]);
    expect(parseTolerateList(undefined, fail)).toEqual([]);
  });

  it('never a scheme check or a PKCE downgrade, saying why', () => {
    for (const name of ['insecure_endpoint', 'https_scheme', 'pkce_downgrade', 'pkce', 'plain_code_challenge_s256']) {
      expect(() => parseTolerateList([name], fail), name).toThrow(/cannot be tolerated/);
    }
    expect(() => parseTolerateList(['whatever'], fail)).toThrow(/issuer_mismatch, resource_mismatch, iss_mismatch/);
    expect(() => parseTolerateList('issuer_mismatch', fail)).toThrow(/list/);
    expect(() => parseTolerateList([42], fail)).toThrow(/strings/);
  });
});
