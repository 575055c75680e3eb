// The server audit's report: plain data, shared by the server, the CLI and the browser.

export type AuditLevel = 'MUST' | 'SHOULD';

/** pass / fail: what the server did. na: does not apply. consent: needs the person's consent (it calls a tool). */
export type AuditResult = 'pass' | 'fail' | 'na' | 'consent';

export interface SpecReference {
  /** e.g. "MCP 2025-11-25 · Transports § Session Management". */
  section: string;
  url: string;
}

export interface AuditCheck {
  id: string;
  title: string;
  level: AuditLevel;
  spec: SpecReference;
  result: AuditResult;
  /** What was seen, in words (one line per fact). */
  detail: string[];
  /** How to fix it (failures). */
  fix?: string;
  /** The session log's exchanges and seqs that show it. */
  exchangeIds: string[];
  seqs: number[];
}

export interface PassiveFinding {
  seq: number;
  severity: 'warning' | 'error';
  code: string;
  message: string;
  exchangeId?: string;
}

export interface AuditScore {
  mustFailures: number;
  shouldFailures: number;
  passed: number;
  notApplicable: number;
  /** Checks waiting for the person's consent (tool calls). */
  needConsent: number;
}

export interface AuditReport {
  url: string;
  era?: string;
  protocolVersion?: string;
  server?: { name: string; version: string };
  checks: AuditCheck[];
  /** What the session's findings (collected while using it) say, beside the active checks. */
  passive: PassiveFinding[];
  score: AuditScore;
  /** Tools the person allowed the audit to call. */
  consented: string[];
  startedAt: number;
  durationMs: number;
  fromSeq: number;
  toSeq: number;
}

/** A tool the person allows the audit to call, with the arguments to call it with. */
export interface ToolConsent {
  name: string;
  arguments?: Record<string, unknown>;
}

export function scoreOf(checks: readonly AuditCheck[]): AuditScore {
  return {
    mustFailures: checks.filter((check) => check.result === 'fail' && check.level === 'MUST').length,
    shouldFailures: checks.filter((check) => check.result === 'fail' && check.level === 'SHOULD').length,
    passed: checks.filter((check) => check.result === 'pass').length,
    notApplicable: checks.filter((check) => check.result === 'na').length,
    needConsent: checks.filter((check) => check.result === 'consent').length,
  };
}

/** Whether a report fails a CI gate at `level` (`must`: any MUST failure; `should`: any failure). */
export function failsAt(report: Pick<AuditReport, 'score'>, level: 'must' | 'should'): boolean {
  return report.score.mustFailures > 0 || (level === 'should' && report.score.shouldFailures > 0);
}
