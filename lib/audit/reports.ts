// The last audit report of each live session, kept beside the registry (on globalThis for the same reason: Next
// may load route modules separately). The log holds the audit too (its phases, and a finding per failed check),
// so exports and shares carry it; this keeps the structured report for the Audit view.
import type { AuditReport } from './types';

const KEY = Symbol.for('mcpscope.auditReports');
const MAX_REPORTS = 500;

function reports(): Map<string, AuditReport> {
  const holder = globalThis as unknown as Record<symbol, Map<string, AuditReport> | undefined>;
  return (holder[KEY] ??= new Map());
}

export function rememberAudit(sessionId: string, report: AuditReport): void {
  const map = reports();
  map.delete(sessionId);
  map.set(sessionId, report);
  // Oldest first out: sessions end without telling this map.
  while (map.size > MAX_REPORTS) map.delete(map.keys().next().value as string);
}

export function lastAudit(sessionId: string): AuditReport | undefined {
  return reports().get(sessionId);
}
