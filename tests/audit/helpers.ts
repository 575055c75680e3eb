import { expect } from 'vitest';
import { runAudit, type AuditReport, type ToolConsent } from '@/lib/audit';
import { connect, watchWireFindings, type ExchangeAuthorizer } from '@/lib/mcp';
import { guardedFetchFor, readSecuritySettings } from '@/lib/security';
import { SecretSet, TraceLog } from '@/lib/trace';

/**
 * Connects to `url` as the CLI does, uses the session a little (what a person would do), then audits it. With
 * `authorize` (an OAuth token's authorizer) the connection sends with it, and so do the audit's probes unless
 * `probesWithoutToken` (how the audit was before it used the session's token).
 */
export async function audit(
  url: string,
  consent: ToolConsent[] = [],
  auth: { authorize?: ExchangeAuthorizer; secrets?: SecretSet; probesWithoutToken?: boolean } = {},
): Promise<{ report: AuditReport; log: TraceLog }> {
  const secrets = auth.secrets ?? new SecretSet();
  const log = new TraceLog({ sessionId: 'audit-test', serverUrl: url, startedAt: Date.now(), transport: 'auto' }, undefined, {
    maskText: (text) => secrets.maskText(text),
  });
  const stop = watchWireFindings(log);
  const networkFetch = guardedFetchFor(log, { settings: readSecuritySettings({}) });
  const connection = await connect({
    url,
    transport: 'auto',
    headers: {},
    log,
    secrets,
    connectTimeoutMs: 10_000,
    requestTimeoutMs: 10_000,
    baseFetch: networkFetch,
    ...(auth.authorize ? { authorize: auth.authorize } : {}),
  });
  try {
    const authorize = auth.probesWithoutToken ? undefined : auth.authorize;
    const report = await runAudit({
      connection,
      url,
      headers: {},
      log,
      secrets,
      networkFetch,
      consent,
      timeoutMs: 8_000,
      ...(authorize ? { authorize } : {}),
    });
    return { report, log };
  } finally {
    stop();
    await connection.close();
  }
}

export function failed(report: AuditReport): string[] {
  return report.checks.filter((check) => check.result === 'fail').map((check) => check.id);
}

/** The report's check `id`; fails the test when the report has none. */
export function byId(report: AuditReport, id: string) {
  const check = report.checks.find((candidate) => candidate.id === id);
  expect(check, id).toBeDefined();
  return check!;
}
