// `mcpscope doctor <url>` and `mcpscope audit <url>`: the Connection Doctor's checklist and the server audit in the
// terminal (or as JSON), with exit codes a script can branch on.
import { failsAt, runAudit, type AuditReport } from '../audit';
import { doctorFetchFactory, runDoctor, type DoctorReport, type DoctorStep } from '../doctor';
import { guardedFetchFor, readSecuritySettings } from '../security';
import type { SecretSet, TraceLog } from '../trace';
import type { CliOptions } from './args';
import { dataDirFrom } from './main';
import { doctorFlow } from './oauth';
import { EXIT, type ExitCode } from './errors';
import { oneLine } from './errors';
import { commandHeaders, type CliSession } from './session';

interface Output {
  stdout: { write(text: string): unknown };
}

const MARK: Record<DoctorStep['status'], string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', na: ' n/a', skipped: 'skip' };
const AUTH_STEPS = new Set(['resource-metadata', 'authorization-server', 'client-registration', 'redirect-uri', 'token-endpoint']);

export async function doctorCommand(
  options: CliOptions,
  io: Output,
  log: TraceLog,
  secrets: SecretSet,
  env: Record<string, string | undefined>,
  timeouts: { connectTimeoutMs: number },
): Promise<ExitCode> {
  const settings = readSecuritySettings(env);
  // With OAuth options, the redirect URI step sends the authorization request an OAuth run would send.
  let oauth: Awaited<ReturnType<typeof doctorFlow>> | undefined;
  const oauthFlow = async () => {
    oauth ??= await doctorFlow({ options, log, secrets, dataDir: dataDirFrom(env) });
    return oauth.flow;
  };
  const report = await runDoctor({
    url: options.url,
    headers: commandHeaders(options, secrets),
    log,
    secrets,
    transport: options.transport,
    policy: settings.targets,
    networkFetch: doctorFetchFactory(log, settings),
    watchFindings: true,
    ...(options.timeoutMs ? { stepTimeoutMs: options.timeoutMs } : {}),
    connectTimeoutMs: timeouts.connectTimeoutMs,
    ...(options.trustCertificate ? { trustCertificate: options.trustCertificate } : {}),
    ...(options.oauth ? { oauthFlow } : {}),
  }).finally(() => oauth?.close());
  if (options.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(renderDoctor(report));
  return doctorExitCode(report);
}

export function doctorExitCode(report: DoctorReport): ExitCode {
  if (report.outcome === 'ok') return EXIT.ok;
  if (report.outcome === 'auth_required') return EXIT.authorization;
  if (
    report.failedStep &&
    (AUTH_STEPS.has(report.failedStep) || report.steps.some((step) => step.code === 'credentials_refused' || step.code === 'forbidden'))
  )
    return EXIT.authorization;
  return EXIT.connection;
}

export function renderDoctor(report: DoctorReport): string {
  const width = Math.max(...report.steps.map((step) => step.title.length));
  const lines = [`Connection Doctor: ${report.url}`, ''];
  for (const step of report.steps) {
    const [first = '', ...rest] = step.seen;
    lines.push(`  ${MARK[step.status]}  ${step.title.padEnd(width)}  ${oneLine(first)}`);
    for (const more of rest) lines.push(`  ${' '.repeat(6 + width)}  ${oneLine(more)}`);
    if (step.advice) lines.push(`  ${' '.repeat(6 + width)}  → ${oneLine(step.advice)}`);
  }
  lines.push('', report.summary, '');
  return lines.join('\n');
}

export async function auditCommand(
  options: CliOptions,
  session: CliSession,
  io: Output,
  log: TraceLog,
  secrets: SecretSet,
  env: Record<string, string | undefined>,
): Promise<ExitCode> {
  const report = await runAudit({
    connection: session.connection,
    url: options.url,
    headers: commandHeaders(options, secrets),
    log,
    secrets,
    networkFetch: guardedFetchFor(log, { settings: readSecuritySettings(env) }),
    ...(session.authorize ? { authorize: session.authorize } : {}),
    consent: options.consent ?? [],
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  if (options.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(renderAudit(report));
  return failsAt(report, options.failOn ?? 'must') ? EXIT.auditFailed : EXIT.ok;
}

const RESULT: Record<AuditReport['checks'][number]['result'], string> = { pass: 'PASS', fail: 'FAIL', na: ' n/a', consent: 'ASK ' };

export function renderAudit(report: AuditReport): string {
  const lines = [
    `Audit: ${report.url}${report.server ? ` (${report.server.name} ${report.server.version}, ${report.era}, ${report.protocolVersion})` : ''}`,
    '',
  ];
  for (const check of report.checks) {
    lines.push(`  ${RESULT[check.result]}  ${check.level.padEnd(6)} ${check.title}`);
    for (const line of check.detail.slice(0, 6)) lines.push(`               ${oneLine(line)}`);
    if (check.result === 'fail') {
      lines.push(`               spec: ${check.spec.section} <${check.spec.url}>`);
      if (check.fix) lines.push(`               fix: ${oneLine(check.fix)}`);
    }
  }
  if (report.passive.length > 0) {
    lines.push('', `Seen in the session (${report.passive.length}):`);
    for (const finding of report.passive.slice(0, 20))
      lines.push(`  ${finding.severity === 'error' ? 'ERROR' : 'WARN '}  ${finding.code}: ${oneLine(finding.message)}`);
  }
  const { score } = report;
  lines.push(
    '',
    `${score.mustFailures} MUST failure(s), ${score.shouldFailures} SHOULD failure(s), ${score.passed} passed, ${score.notApplicable} not applicable${score.needConsent ? `, ${score.needConsent} need --consent` : ''}.`,
    '',
  );
  return lines.join('\n');
}
