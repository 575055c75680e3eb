import { runAudit, type AuditReport, type ToolConsent } from '@/lib/audit';
import { connect, watchWireFindings } from '@/lib/mcp';
import { guardedFetchFor, readSecuritySettings } from '@/lib/security';
import { SecretSet, TraceLog } from '@/lib/trace';

/** Connects to `url` as the CLI does, uses the session a little (what a person would do), then audits it. */
export async function audit(url: string, consent: ToolConsent[] = []): Promise<{ report: AuditReport; log: TraceLog }> {
  const secrets = new SecretSet();
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
  });
  try {
    const report = await runAudit({ connection, url, headers: {}, log, secrets, networkFetch, consent, timeoutMs: 8_000 });
    return { report, log };
  } finally {
    stop();
    await connection.close();
  }
}

export function failed(report: AuditReport): string[] {
  return report.checks.filter((check) => check.result === 'fail').map((check) => check.id);
}
