import { expect } from 'vitest';
import { readSecuritySettings } from '@/lib/security';
import { doctorFetchFactory, runDoctor, type DoctorReport, type DoctorStepId } from '@/lib/doctor';
import type { OAuthClientFlow } from '@/lib/oauth';
import { SecretSet, TraceLog } from '@/lib/trace';

/**
 * Runs the Doctor against `url` with a fresh log, as the CLI does (local mode, wire findings watched here).
 * `oauthFlow` makes the flow a connect would use, on the Doctor's log (as a session's flow records into its log).
 */
export async function diagnose(
  url: string,
  options: {
    headers?: Record<string, string>;
    trustCertificate?: string;
    stepTimeoutMs?: number;
    oauthFlow?: (log: TraceLog, secrets: SecretSet) => OAuthClientFlow;
    clientMetadataUrl?: string;
  } = {},
): Promise<{ report: DoctorReport; log: TraceLog }> {
  const secrets = new SecretSet();
  for (const value of Object.values(options.headers ?? {})) secrets.add(value);
  const log = new TraceLog({ sessionId: 'doctor-test', serverUrl: url, startedAt: Date.now(), transport: 'auto' }, undefined, {
    maskText: (text) => secrets.maskText(text),
  });
  const settings = readSecuritySettings({});
  const report = await runDoctor({
    url,
    headers: options.headers ?? {},
    log,
    secrets,
    policy: settings.targets,
    networkFetch: doctorFetchFactory(log, settings),
    watchFindings: true,
    stepTimeoutMs: options.stepTimeoutMs ?? 3_000,
    connectTimeoutMs: 5_000,
    ...(options.trustCertificate ? { trustCertificate: options.trustCertificate } : {}),
    ...(options.oauthFlow ? { oauthFlow: async () => options.oauthFlow!(log, secrets) } : {}),
    ...(options.clientMetadataUrl ? { clientMetadataUrl: options.clientMetadataUrl } : {}),
  });
  return { report, log };
}

/** The report's step `id`; fails the test when the report has none. */
export function step(report: DoctorReport, id: DoctorStepId) {
  const found = report.steps.find((candidate) => candidate.id === id);
  expect(found, `step ${id}`).toBeDefined();
  return found!;
}
