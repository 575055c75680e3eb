// A session whose server fails an identity check (RFC 8414 §3.3 issuer on another origin, seed 004's shape;
// RFC 9728 §3.3 resource) waits with the refusal named, and only the person's explicit "continue anyway"
// (reconnect with `tolerate`) or `auth.tolerate` at creation gets past it, as findings. Real oidc-provider.
import { afterEach, describe, expect, it } from 'vitest';
import { startOAuthFixture, type OAuthFixture } from '@/e2e/fixtures/oauth';
import { readConfig } from '@/lib/config';
import { followAuthorizationRedirects } from '@/lib/oauth';
import {
  completeAuthorization,
  newOwnerId,
  OWNER_COOKIE,
  signOwner,
  parseCreateSession,
  parseGuidedStepRequest,
  parseReconnectRequest,
  runGuidedStep,
  SessionError,
  SessionRegistry,
  type Session,
} from '@/lib/sessions';
import type { FindingEvent } from '@/lib/trace';
import { tempStore, toolText } from '../oauth/helpers';
import { startedForSuite } from '../fixtures/suite';

const PUBLIC_URL = 'http://localhost:3000';
const OWNER = newOwnerId();

let registry: SessionRegistry;
let fx: OAuthFixture | undefined;

const ts = startedForSuite(tempStore);
afterEach(async () => {
  await registry?.shutdown();
  await fx?.close();
  fx = undefined;
});

function newRegistry(): SessionRegistry {
  registry = new SessionRegistry({ config: { ...readConfig({}), publicUrl: PUBLIC_URL }, store: async () => ts().store });
  return registry;
}

async function create(body: Record<string, unknown>): Promise<Session> {
  const outcome = await registry.create(OWNER, body);
  if (!outcome.ok) throw new Error(`create failed: ${JSON.stringify(outcome.body)}`);
  return outcome.session;
}

async function browserAuthorizes(authorizationUrl: string) {
  const walk = await followAuthorizationRedirects(authorizationUrl, { redirectUri: `${PUBLIC_URL}/callback` });
  if (walk.kind !== 'callback') throw new Error(`authorization stopped at ${walk.url}`);
  return completeAuthorization(new Request(walk.callbackUrl, { headers: { cookie: `${OWNER_COOKIE}=${signOwner(OWNER)}` } }), {
    registry,
    store: async () => ts().store,
    publicUrl: PUBLIC_URL,
  });
}

function findings(session: Session, code: string): FindingEvent[] {
  return session.log.events().filter((e): e is FindingEvent => e.kind === 'finding' && e.code === code);
}

describe('an issuer on another origin (seed 004)', () => {
  it('waits with the refusal named; "continue anyway" reconnects past it, and the log says so', async () => {
    fx = await startOAuthFixture({ metadataAtOwnOrigin: true });
    newRegistry();
    // No auth asked for: the 401 starts OAuth by itself, and discovery refuses the metadata.
    const session = await create({ url: fx.mcpUrl });
    expect(session.state).toBe('auth_required');
    const refused = registry.summary(session);
    expect(refused.authorizationUrl).toBeUndefined();
    expect(refused.auth?.error?.code).toBe('issuer_mismatch');
    expect(refused.auth?.refusal).toEqual({
      check: 'issuer_mismatch',
      rule: expect.stringContaining('RFC 8414 §3.3'),
      expected: fx.mcpOrigin,
      received: fx.issuer,
    });
    expect(fx.events.filter((e) => e.kind === 'registration' || e.kind === 'authorization')).toEqual([]);
    expect(findings(session, 'issuer_mismatch')).toEqual([]);

    const resumed = await registry.reconnect(session, parseReconnectRequest({ tolerate: ['issuer_mismatch'] }));
    expect(resumed.state).toBe('auth_required');
    expect(resumed.auth?.refusal).toBeUndefined();
    expect(resumed.auth?.tolerated).toEqual(['issuer_mismatch']);
    expect(resumed.authorizationUrl).toMatch(new RegExp(`^${fx.issuer}/`));
    expect(await browserAuthorizes(resumed.authorizationUrl!)).toMatchObject({ kind: 'redirect' });
    expect(session.state).toBe('connected');
    const result = await registry.rpc(session, { method: 'tools/call', params: { name: 'whoami', arguments: {} } });
    expect(JSON.parse(toolText((result as { result: unknown }).result)).sub).toBe('test-user');

    expect(findings(session, 'checks_tolerated')).toHaveLength(1);
    const tolerated = findings(session, 'issuer_mismatch');
    expect(tolerated).toHaveLength(1);
    expect(tolerated[0]).toMatchObject({ severity: 'warning' });
    expect(tolerated[0].message).toContain(fx.issuer);
  });
});

describe('auth.tolerate at creation', () => {
  it('goes past a resource mismatch from the start, and only the named check', async () => {
    fx = await startOAuthFixture({ resourceInMetadata: 'https://elsewhere.example/mcp', metadataAtOwnOrigin: true });
    newRegistry();
    // Tolerating the resource alone still stops at the issuer: each check is its own choice.
    const partly = await create({ url: fx.mcpUrl, auth: { type: 'oauth', tolerate: ['resource_mismatch'] } });
    expect(registry.summary(partly).auth?.refusal?.check).toBe('issuer_mismatch');
    expect(findings(partly, 'resource_mismatch')).toHaveLength(1);

    const both = await create({ url: fx.mcpUrl, auth: { type: 'oauth', tolerate: ['resource_mismatch', 'issuer_mismatch'] } });
    expect(registry.summary(both).authorizationUrl).toBeDefined();
    expect(registry.summary(both).auth?.tolerated).toEqual(['resource_mismatch', 'issuer_mismatch']);
  });

  it('refuses names that are not tolerable checks, saying which are', () => {
    const attempt = (tolerate: unknown) => () => parseCreateSession({ url: 'http://127.0.0.1:1/mcp', auth: { type: 'oauth', tolerate } });
    expect(attempt(['pkce_downgrade'])).toThrow(/cannot be tolerated/);
    expect(attempt(['insecure_endpoint'])).toThrow(/cannot be tolerated/);
    expect(attempt(['nope'])).toThrow(/issuer_mismatch, resource_mismatch, iss_mismatch/);
    expect(attempt('issuer_mismatch')).toThrow(SessionError);
    expect(
      parseCreateSession({ url: 'http://127.0.0.1:1/mcp', auth: { type: 'none', tolerate: ['issuer_mismatch'] } }).oauth?.tolerate,
    ).toEqual(['issuer_mismatch']);
    expect(() => parseReconnectRequest({ tolerate: ['scheme_check'] })).toThrow(/cannot be tolerated/);
    expect(() => parseReconnectRequest({ tolerate: ['issuer_mismatch'], other: 1 })).toThrow(/Unknown field "other"/);
    expect(parseReconnectRequest(undefined)).toEqual({});
  });
});

describe('guided mode', () => {
  it('stops the discovery step at the refusal, named; "continue anyway" runs it again past the check, as findings', async () => {
    fx = await startOAuthFixture({ metadataAtOwnOrigin: true });
    newRegistry();
    const session = await create({ url: fx.mcpUrl, auth: { type: 'oauth', guided: true } });
    const connect = async () => ({ ok: false, message: 'not in this test' });
    let state = await runGuidedStep(session.auth, parseGuidedStepRequest({ step: 'discovery' }), connect);
    const refused = state.steps.find((s) => s.id === 'discovery')!;
    expect(refused.status).toBe('failed');
    expect(refused.refusal).toEqual({
      check: 'issuer_mismatch',
      rule: expect.stringContaining('RFC 8414 §3.3'),
      expected: fx.mcpOrigin,
      received: fx.issuer,
    });
    expect(registry.summary(session).auth?.refusal?.check).toBe('issuer_mismatch');
    expect(state.next).toBe('discovery');
    expect(findings(session, 'checks_tolerated')).toEqual([]);
    // Only named checks, as everywhere else.
    expect(() => parseGuidedStepRequest({ step: 'discovery', settings: { tolerate: ['pkce_downgrade'] } })).toThrow(/cannot be tolerated/);

    state = await runGuidedStep(
      session.auth,
      parseGuidedStepRequest({ step: 'discovery', settings: { tolerate: ['issuer_mismatch'] } }),
      connect,
    );
    const discovery = state.steps.find((s) => s.id === 'discovery')!;
    expect(discovery.status).toBe('done');
    expect(discovery.refusal).toBeUndefined();
    expect(state.settings.tolerated).toEqual(['issuer_mismatch']);
    expect(state.next).toBe('client');
    expect(registry.summary(session).auth).toMatchObject({ tolerated: ['issuer_mismatch'] });
    expect(registry.summary(session).auth?.refusal).toBeUndefined();
    expect(findings(session, 'checks_tolerated')).toHaveLength(1);
    expect(findings(session, 'issuer_mismatch')).toHaveLength(1);
    expect(findings(session, 'issuer_mismatch')[0]).toMatchObject({ severity: 'warning' });
    expect(fx.events.filter((e) => e.kind === 'registration' || e.kind === 'authorization')).toEqual([]);
  });
});
