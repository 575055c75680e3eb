'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { DoctorReport } from '@/lib/contract';
import { request, type ApiError } from '../api';
import { useWorkspaceNav } from '../nav';
import { Button, CheckNote, CheckRow, Spinner } from '../ui';
import { takeDiagnosisRequest, useDiagnosisRequested } from './request';

function runDoctor(sessionId: string, trustCertificate?: string): Promise<{ report: DoctorReport }> {
  return request(`/api/sessions/${encodeURIComponent(sessionId)}/doctor`, {
    method: 'POST',
    json: trustCertificate ? { trustCertificate } : {},
  });
}

/** The fingerprint the TLS step saw, when it refused a self-signed certificate. */
function selfSignedFingerprint(report: DoctorReport | undefined): string | undefined {
  const tls = report?.steps.find((step) => step.id === 'tls' && step.code === 'tls_self_signed');
  const line = tls?.seen.find((text) => text.startsWith('SHA-256 fingerprint '));
  return line?.slice('SHA-256 fingerprint '.length).trim();
}

/** The Connection Doctor: runs the checklist against the session's server and shows each step. */
export function DoctorPanel({ sessionId }: { sessionId: string }) {
  const nav = useWorkspaceNav();
  const run = useMutation<{ report: DoctorReport }, ApiError, string | undefined>({
    mutationFn: (trust) => runDoctor(sessionId, trust),
  });
  const requested = useDiagnosisRequested(sessionId);
  const { mutate, isPending } = run;
  useEffect(() => {
    if (requested && !isPending && takeDiagnosisRequest(sessionId)) mutate(undefined);
  }, [requested, isPending, mutate, sessionId]);
  const report = run.data?.report;
  const fingerprint = selfSignedFingerprint(report);

  return (
    <section aria-labelledby="doctor-title" className="rounded border border-line bg-panel" data-testid="doctor-panel">
      <header className="flex flex-wrap items-center gap-2 border-b border-line px-3 py-2">
        <h2 id="doctor-title" className="text-[13px] font-semibold">
          Connection Doctor
        </h2>
        <span className="text-xs text-muted">
          An ordered checklist from the URL to the first list call; it stops at the first hard failure.
        </span>
        <Button
          className="ml-auto"
          size="sm"
          variant="primary"
          onClick={() => run.mutate(undefined)}
          disabled={run.isPending}
          data-testid="doctor-run"
        >
          {run.isPending ? <Spinner className="h-3 w-3" /> : null}
          {report ? 'Diagnose again' : 'Diagnose'}
        </Button>
      </header>
      {run.isError && (
        <div role="alert" className="px-3 py-2 text-[13px] text-err">
          The Doctor could not run: {run.error.message}
        </div>
      )}
      {run.isPending && !report && (
        <div className="flex items-center gap-2 px-3 py-3 text-[13px] text-muted" data-testid="doctor-running">
          <Spinner className="h-3 w-3" /> Running each step against the server…
        </div>
      )}
      {report && (
        <div data-testid="doctor-report" data-outcome={report.outcome} data-failed-step={report.failedStep ?? ''}>
          <p
            className={`border-b border-line px-3 py-2 text-[13px] ${report.outcome === 'failed' ? 'text-err' : report.outcome === 'auth_required' ? 'text-warn' : 'text-ok'}`}
            data-testid="doctor-summary"
          >
            {report.summary}
          </p>
          <ol className="divide-y divide-line">
            {report.steps.map((step) => (
              <CheckRow
                key={step.id}
                result={step.status}
                columns="grid-cols-[4.5rem_11rem_1fr]"
                data-testid="doctor-step"
                data-step={step.id}
                data-status={step.status}
                data-code={step.code ?? ''}
              >
                <span className={step.status === 'skipped' || step.status === 'na' ? 'text-muted' : 'font-medium'}>{step.title}</span>
                <div className={`min-w-0 break-words ${step.status === 'skipped' || step.status === 'na' ? 'text-muted' : ''}`}>
                  {step.seen.map((line, index) => (
                    <div key={index} className={index === 0 ? '' : 'text-xs text-muted'}>
                      {line}
                    </div>
                  ))}
                  {step.advice && (
                    <CheckNote label="What to do:" testId="doctor-advice">
                      {step.advice}
                    </CheckNote>
                  )}
                  {step.exchangeIds.length > 0 && (
                    <div className="mt-0.5 flex flex-wrap gap-1">
                      {step.exchangeIds.slice(0, 6).map((id, index) => (
                        <button
                          key={id}
                          type="button"
                          className="text-xs text-accent underline-offset-2 hover:underline"
                          onClick={() => nav.openExchange(id)}
                          data-testid="doctor-exchange"
                        >
                          exchange {index + 1} in Traffic
                        </button>
                      ))}
                      {step.exchangeIds.length > 6 && <span className="text-xs text-muted">and {step.exchangeIds.length - 6} more</span>}
                    </div>
                  )}
                  {step.id === 'tls' && fingerprint && (
                    <div className="mt-1 flex flex-wrap items-center gap-2 rounded border border-warn/40 bg-warn-soft px-2 py-1 text-xs">
                      <span>
                        If this is your own server, compare the fingerprint with the one it was given, then trust it for this run only
                        (nothing is remembered).
                      </span>
                      <Button size="sm" onClick={() => run.mutate(fingerprint)} disabled={run.isPending} data-testid="doctor-trust">
                        Trust this certificate for this run
                      </Button>
                    </div>
                  )}
                </div>
              </CheckRow>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
