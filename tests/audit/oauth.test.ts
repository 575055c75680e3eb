// The audit of an OAuth-protected server (the OAuth fixture: oidc-provider and a protected MCP server): with an
// authorized session its HTTP-level probes carry the session's access token, so the checks run against the server
// rather than against its 401 wall; without the token (the control) the same probes are all refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthFixture, type OAuthFixture } from '@/e2e/fixtures/oauth';
import { authorizedFetch, type OAuthClientFlow } from '@/lib/oauth';
import type { ExchangeAuthorizer } from '@/lib/mcp';
import type { SecretSet, TraceLog } from '@/lib/trace';
import type { AuditReport } from '@/lib/audit';
import { authorizeFlow, newFlow, tempStore, type TestStore } from '../oauth/helpers';
import { audit, byId, failed } from './helpers';

/** The HTTP statuses of the audit's own probes (purpose "other", inside the report's seq range). */
function probeStatuses(log: TraceLog, report: AuditReport): number[] {
  return log
    .events(report.fromSeq - 1)
    .flatMap((event) => (event.kind === 'http.response' && event.seq <= report.toSeq ? [event.status] : []));
}

describe('audit of an OAuth-protected server', () => {
  let fx: OAuthFixture;
  let ts: TestStore;
  let flow: OAuthClientFlow;
  let secrets: SecretSet;
  let authorize: ExchangeAuthorizer;
  let accessToken: string;

  beforeAll(async () => {
    fx = await startOAuthFixture();
    ts = await tempStore();
    ({ flow, secrets } = newFlow(ts.store, fx.mcpUrl));
    await authorizeFlow(flow);
    accessToken = await flow.getAccessToken();
    authorize = (send) => authorizedFetch(send, flow);
  });
  afterAll(async () => {
    await fx?.close();
    await ts?.close();
  });

  it("runs its HTTP-level checks with the session's token, not against a wall of 401s", async () => {
    const refusedBefore = fx.stats.missingToken + fx.stats.rejectedTokens;
    const { report, log } = await audit(fx.mcpUrl, [], { authorize, secrets });
    const statuses = probeStatuses(log, report);
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses).not.toContain(401);
    expect(fx.stats.missingToken + fx.stats.rejectedTokens).toBe(refusedBefore);
    // The checks that vary the connection's own request reach the server and judge its answers.
    const version = byId(report, 'protocol-version-header');
    expect(version.result, version.detail.join('; ')).toBe('pass');
    expect(version.detail.join(' ')).toContain(`MCP-Protocol-Version: 1999-01-01: HTTP 400`);
    const lifecycle = byId(report, 'session-lifecycle');
    expect(lifecycle.result, lifecycle.detail.join('; ')).not.toBe('na');
    expect(lifecycle.detail.join(' ')).toMatch(/initialize issued a session id \(HTTP 200\)/);
    expect(lifecycle.detail.join(' ')).not.toMatch(/HTTP 401/);
    expect(
      failed(report).filter((id) =>
        report.checks
          .find((check) => check.id === id)
          ?.detail.join(' ')
          .includes('401'),
      ),
    ).toEqual([]);
    // The token went out masked in the log, as on the connection's own requests.
    expect(JSON.stringify(log.events())).not.toContain(accessToken);
    const sent = log
      .events(report.fromSeq - 1)
      .find((event) => event.kind === 'http.request' && event.headers.some(([name]) => name.toLowerCase() === 'authorization'));
    expect(sent, 'a probe carried an Authorization header').toBeDefined();
  });

  it('without the token (the control), the same probes are refused with 401', async () => {
    const refusedBefore = fx.stats.missingToken;
    const { report, log } = await audit(fx.mcpUrl, [], { authorize, secrets, probesWithoutToken: true });
    expect(probeStatuses(log, report)).toContain(401);
    expect(fx.stats.missingToken).toBeGreaterThan(refusedBefore);
    expect(byId(report, 'protocol-version-header').result).toBe('fail');
    expect(byId(report, 'protocol-version-header').detail.join(' ')).toContain('HTTP 401');
  });
});
