'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { AuditReport, SessionSummary, ToolConsent } from '@/lib/contract';
import { ApiError, request, useTools } from '../api';
import { DoctorPanel } from '../doctor';
import { useWorkspaceNav } from '../nav';
import { Badge, Button, CheckNote, CheckRow, ServerLink, Spinner } from '../ui';

const auditKey = (sessionId: string) => ['session', sessionId, 'audit'] as const;

async function lastAudit(sessionId: string): Promise<AuditReport | null> {
  try {
    return (await request<{ report: AuditReport }>(`/api/sessions/${encodeURIComponent(sessionId)}/audit`)).report;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** The workspace's Audit view: the Connection Doctor, then the server audit with per-tool consent. */
export function AuditView({ sessionId, summary }: { sessionId: string; summary: SessionSummary | undefined }) {
  const connected = summary?.state === 'connected';
  return (
    <div className="h-full overflow-auto p-3" data-testid="audit-view">
      <div className="mx-auto flex max-w-5xl flex-col gap-3">
        <DoctorPanel sessionId={sessionId} />
        <AuditPanel sessionId={sessionId} connected={connected} />
      </div>
    </div>
  );
}

function AuditPanel({ sessionId, connected }: { sessionId: string; connected: boolean }) {
  const client = useQueryClient();
  const nav = useWorkspaceNav();
  const last = useQuery({ queryKey: auditKey(sessionId), queryFn: () => lastAudit(sessionId) });
  const tools = useTools(sessionId, connected);
  const withSchema = (tools.data ?? []).filter((tool) => tool.outputSchema !== undefined && !tool.excluded);
  const [consent, setConsent] = useState<Record<string, { on: boolean; args: string }>>({});
  const consentList: ToolConsent[] = [];
  let consentError: string | undefined;
  for (const [name, entry] of Object.entries(consent)) {
    if (!entry.on) continue;
    try {
      const parsed: unknown = entry.args.trim() === '' ? {} : JSON.parse(entry.args);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      consentList.push({ name, arguments: parsed as Record<string, unknown> });
    } catch {
      consentError = `The arguments for ${name} are not a JSON object.`;
    }
  }
  const run = useMutation<{ report: AuditReport }, ApiError, ToolConsent[]>({
    mutationFn: (allowed) =>
      request(`/api/sessions/${encodeURIComponent(sessionId)}/audit`, { method: 'POST', json: { consent: allowed } }),
    onSuccess: (data) => client.setQueryData(auditKey(sessionId), data.report),
  });
  const report = last.data ?? undefined;

  return (
    <section aria-labelledby="audit-title" className="rounded border border-line bg-panel" data-testid="audit-panel">
      <header className="flex flex-wrap items-center gap-2 border-b border-line px-3 py-2">
        <h2 id="audit-title" className="text-[13px] font-semibold">
          Server audit
        </h2>
        <span className="text-xs text-muted">
          How well this server keeps the MCP spec: each check with its level, spec section, evidence and fix.
        </span>
        <Button
          className="ml-auto"
          size="sm"
          variant="primary"
          disabled={!connected || run.isPending || consentError !== undefined}
          title={connected ? undefined : 'The audit needs a connected session'}
          onClick={() => run.mutate(consentList)}
          data-testid="audit-run"
        >
          {run.isPending ? <Spinner className="h-3 w-3" /> : null}
          {report ? 'Audit again' : 'Audit this server'}
        </Button>
      </header>
      {withSchema.length > 0 && (
        <fieldset className="border-b border-line px-3 py-2 text-[13px]" data-testid="audit-consent">
          <legend className="sr-only">Tools the audit may call</legend>
          <p className="mb-1 text-xs text-muted">
            Checking structured results means calling tools, which may change the server&apos;s state. The audit calls only the tools you
            tick, once each, with the arguments you give.
          </p>
          {withSchema.map((tool) => {
            const entry = consent[tool.name] ?? { on: false, args: '{}' };
            return (
              <div key={tool.name} className="flex flex-wrap items-center gap-2 py-0.5">
                <label className="flex items-center gap-1.5">
                  <input
                    type="checkbox"
                    checked={entry.on}
                    onChange={(event) => setConsent({ ...consent, [tool.name]: { ...entry, on: event.target.checked } })}
                    data-testid="audit-consent-tool"
                    data-tool={tool.name}
                  />
                  <span className="font-mono text-xs">{tool.name}</span>
                </label>
                {entry.on && (
                  <input
                    aria-label={`Arguments for ${tool.name} (JSON)`}
                    className="min-w-[16rem] flex-1 rounded border border-line bg-bg px-1.5 py-0.5 font-mono text-xs"
                    value={entry.args}
                    onChange={(event) => setConsent({ ...consent, [tool.name]: { ...entry, args: event.target.value } })}
                    data-testid="audit-consent-args"
                  />
                )}
              </div>
            );
          })}
          {consentError && (
            <p role="alert" className="text-xs text-err">
              {consentError}
            </p>
          )}
        </fieldset>
      )}
      {run.isError && (
        <div role="alert" className="px-3 py-2 text-[13px] text-err" data-testid="audit-error">
          The audit could not run: {run.error.message}
        </div>
      )}
      {run.isPending && (
        <div className="flex items-center gap-2 px-3 py-3 text-[13px] text-muted">
          <Spinner className="h-3 w-3" /> Running the checks (each exchange lands in Traffic)…
        </div>
      )}
      {!report && !run.isPending && (
        <p className="px-3 py-3 text-[13px] text-muted">{connected ? 'Not audited yet.' : 'Connect to audit the server.'}</p>
      )}
      {report && (
        <div data-testid="audit-report">
          <div className="flex flex-wrap gap-3 border-b border-line px-3 py-2 text-[13px]" data-testid="audit-score">
            <span className={report.score.mustFailures ? 'font-semibold text-err' : 'text-ok'} data-testid="audit-must-failures">
              {report.score.mustFailures} MUST failure{report.score.mustFailures === 1 ? '' : 's'}
            </span>
            <span className={report.score.shouldFailures ? 'font-semibold text-warn' : 'text-ok'} data-testid="audit-should-failures">
              {report.score.shouldFailures} SHOULD failure{report.score.shouldFailures === 1 ? '' : 's'}
            </span>
            <span className="text-muted">{report.score.passed} passed</span>
            <span className="text-muted">{report.score.notApplicable} not applicable</span>
            {report.score.needConsent > 0 && <span className="text-warn">{report.score.needConsent} awaiting your consent</span>}
          </div>
          <ol className="divide-y divide-line">
            {report.checks.map((check) => (
              <CheckRow
                key={check.id}
                result={check.result}
                columns="grid-cols-[6.5rem_4rem_1fr]"
                data-testid="audit-check"
                data-check={check.id}
                data-result={check.result}
              >
                <span className="font-mono text-[11px] text-muted">{check.level}</span>
                <div className="min-w-0 break-words">
                  <div className="font-medium">{check.title}</div>
                  {check.detail.map((line, index) => (
                    <div key={index} className="text-xs text-muted">
                      {line}
                    </div>
                  ))}
                  {check.fix && <CheckNote label="Fix:">{check.fix}</CheckNote>}
                  <div className="mt-0.5 flex flex-wrap items-center gap-2 text-xs">
                    <ServerLink href={check.spec.url} what="The spec link" className="text-accent" data-testid="audit-spec">
                      {check.spec.section}
                    </ServerLink>
                    {check.exchangeIds.length > 0 && (
                      <button
                        type="button"
                        className="text-accent underline-offset-2 hover:underline"
                        onClick={() => nav.openExchange(check.exchangeIds[0]!)}
                        data-testid="audit-evidence"
                      >
                        evidence: {check.exchangeIds.length} exchange{check.exchangeIds.length === 1 ? '' : 's'} in Traffic
                      </button>
                    )}
                  </div>
                </div>
              </CheckRow>
            ))}
          </ol>
          {report.passive.length > 0 && (
            <div className="border-t border-line px-3 py-2" data-testid="audit-passive">
              <h3 className="mb-1 text-xs font-semibold">Seen while using the session ({report.passive.length})</h3>
              <ul className="space-y-0.5 text-xs">
                {report.passive.slice(0, 30).map((finding) => (
                  <li key={finding.seq}>
                    <Badge tone={finding.severity === 'error' ? 'err' : 'warn'} mono>
                      {finding.code}
                    </Badge>{' '}
                    {finding.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
