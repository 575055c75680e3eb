// The Doctor and the audit on a web session of an OAuth-protected server (a real SessionRegistry, oidc-provider):
// while the session waits for authorization the Doctor sends its flow's authorization request (redirect URI step)
// without spoiling the one the person was given; once authorized, both carry the session's access token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthFixture } from '@/e2e/fixtures/oauth';
import { auditSession } from '@/lib/audit';
import { readConfig } from '@/lib/config';
import { diagnoseSession } from '@/lib/doctor';
import { newOwnerId, SessionRegistry, type Session } from '@/lib/sessions';
import { tempStore } from '../oauth/helpers';
import { browserAuthorizes, createdSession } from '../sessions/helpers';
import { startedForSuite } from '../fixtures/suite';
import { step } from './helpers';

const PUBLIC_URL = 'http://localhost:3000';
const REDIRECT_URI = `${PUBLIC_URL}/callback`;
const OWNER = newOwnerId();

describe('Doctor and audit on an OAuth session', () => {
  const ts = startedForSuite(tempStore);
  const fx = startedForSuite(startOAuthFixture);
  let registry: SessionRegistry;
  let session: Session;
  let authorizationUrl: string;

  beforeAll(async () => {
    registry = new SessionRegistry({ config: { ...readConfig({}), publicUrl: PUBLIC_URL }, store: async () => ts().store });
    const created = await createdSession(registry, OWNER, { url: fx().mcpUrl });
    session = created.session;
    expect(created.summary.state).toBe('auth_required');
    authorizationUrl = created.summary.authorizationUrl as string;
  });
  afterAll(async () => {
    await registry?.shutdown();
  });

  it('waiting for authorization: the redirect URI step uses the session flow’s client, and the person’s link still works', async () => {
    const report = await diagnoseSession(session, registry.connectInput(session)!, {});
    expect(report.outcome).toBe('auth_required');
    const redirect = step(report, 'redirect-uri');
    expect(redirect.status, redirect.seen.join('\n')).toBe('pass');
    const clientId = session.auth.flow?.clientIdentity?.clientId as string;
    expect(redirect.seen[0]).toContain(`client ${clientId}`);
    expect(redirect.seen[0]).toContain(`redirect_uri ${REDIRECT_URI}`);
    // The Doctor's step is in the session's log, with its exchanges.
    expect(redirect.exchangeIds.length).toBeGreaterThan(0);
    const phase = session.log
      .events()
      .find((event) => event.kind === 'phase' && event.name === 'doctor:redirect-uri' && event.status === 'ok');
    expect(phase).toBeDefined();
    // One registration only: the Doctor used the client the session registered.
    expect(fx().events.filter((event) => event.kind === 'registration')).toHaveLength(1);

    const { outcome } = await browserAuthorizes(authorizationUrl, OWNER, {
      registry,
      store: async () => ts().store,
      publicUrl: PUBLIC_URL,
    });
    expect(outcome).toEqual({ kind: 'redirect', location: `/inspect/${session.id}` });
    expect(session.state).toBe('connected');
  });

  it('authorized: the Doctor’s requests carry the token and it goes through to the first list call', async () => {
    const report = await diagnoseSession(session, registry.connectInput(session)!, {});
    expect(report.outcome, report.summary).toBe('ok');
    expect(step(report, 'http').status).toBe('pass');
    expect(step(report, 'list')).toMatchObject({ status: 'pass' });
    expect(step(report, 'redirect-uri')).toMatchObject({
      status: 'na',
      seen: ["the requests carried the session's OAuth token and were accepted"],
    });
  });

  it('authorized: the audit’s HTTP-level probes carry the token (no 401 from the server)', async () => {
    const missingBefore = fx().stats.missingToken;
    const report = await auditSession(session, registry.connectInput(session)!, {});
    const statuses = session.log
      .events(report.fromSeq - 1)
      .flatMap((event) => (event.kind === 'http.response' && event.seq <= report.toSeq ? [event.status] : []));
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses).not.toContain(401);
    expect(fx().stats.missingToken).toBe(missingBefore);
    expect(report.checks.find((check) => check.id === 'protocol-version-header')?.result).toBe('pass');
  });

  it('a token gone from the store: the first POST fails as refused credentials, named, not as a network error', async () => {
    await ts().store.forgetTokens(OWNER);
    const report = await diagnoseSession(session, registry.connectInput(session)!, {});
    expect(report.outcome).toBe('failed');
    expect(report.failedStep).toBe('http');
    const http = step(report, 'http');
    expect(http.code).toBe('credentials_refused');
    expect(http.seen.join(' ')).toMatch(/^no usable OAuth token: /);
  });
});

describe('Doctor on a session that does not use OAuth (a bearer token typed by hand)', () => {
  it('refuses the credential at the first POST, and registers nothing for a redirect URI step that does not apply', async () => {
    const ts = await tempStore();
    const fx = await startOAuthFixture();
    const registry = new SessionRegistry({ config: { ...readConfig({}), publicUrl: PUBLIC_URL }, store: async () => ts.store });
    try {
      const typed = await createdSession(registry, OWNER, { url: fx.mcpUrl, auth: { type: 'bearer', token: 'typed-by-hand-token-1234' } });
      const report = await diagnoseSession(typed.session, registry.connectInput(typed.session)!, {});
      expect(step(report, 'http')).toMatchObject({ status: 'fail', code: 'credentials_refused' });
      expect(step(report, 'redirect-uri').status).toBe('na');
      expect(step(report, 'authorization-server').status).toBe('pass');
      expect(fx.events.filter((event) => event.kind === 'registration')).toEqual([]);
      expect(typed.session.auth.flow).toBeUndefined();
    } finally {
      await registry.shutdown();
      await fx.close();
      await ts.close();
    }
  });
});
