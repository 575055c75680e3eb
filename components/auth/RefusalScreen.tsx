'use client';

import { useMutation } from '@tanstack/react-query';
import type { CheckRefusalView, SessionSummary } from '@/lib/contract';
import type { ApiError } from '../api';
import { Button, IconAlert, Spinner } from '../ui';
import { destinationAfterConnect, reconnectTolerating } from './api';

/** What each check protects, in a sentence for a person deciding whether to go past it. */
const WHY: Record<string, string> = {
  issuer_mismatch:
    'A client that used these endpoints could be sending the person and their credentials to a server that only claims to be the authorization server.',
  resource_mismatch: 'A token asked for here would be issued for another resource, or this server would receive tokens meant for that one.',
  iss_mismatch: 'The authorization response may come from another authorization server than the one the request went to (a mix-up attack).',
};

/**
 * The flow refused an identity check (RFC 8414 §3.3, RFC 9728 §3.3, RFC 9207): which rule, what was expected and
 * what the server sent, and a way past it for this session only, which the log records as a finding.
 */
export function RefusalScreen({ summary, refusal }: { summary: SessionSummary; refusal: CheckRefusalView }) {
  const proceed = useMutation<SessionSummary, ApiError, void>({
    mutationFn: () => reconnectTolerating(summary.id, [refusal.check]),
    onSuccess: (next) => {
      const destination = destinationAfterConnect(next);
      if (destination.kind === 'external') window.location.assign(destination.url);
    },
  });
  return (
    <div
      role="alert"
      data-testid="auth-refusal"
      data-check={refusal.check}
      className="shrink-0 border-b border-err/40 bg-err-soft px-3 py-2.5 text-[13px]"
    >
      <RefusalDetails
        refusal={refusal}
        pending={proceed.isPending}
        onContinue={() => proceed.mutate()}
        error={proceed.isError ? proceed.error : undefined}
      />
    </div>
  );
}

/**
 * The refusal itself (rule, expected, received, why it matters) and the way past it for this session; shared by the
 * workspace's screen and guided mode's step.
 */
export function RefusalDetails({
  refusal,
  pending,
  onContinue,
  error,
}: {
  refusal: CheckRefusalView;
  pending: boolean;
  onContinue: () => void;
  error?: ApiError | undefined;
}) {
  return (
    <div className="flex gap-2.5">
      <IconAlert className="mt-0.5 h-4 w-4 shrink-0 text-err" />
      <div className="min-w-0 space-y-1.5">
        <div className="font-semibold text-err">mcpscope stopped before authorizing</div>
        <div data-testid="auth-refusal-rule">{refusal.rule}.</div>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
          <dt className="text-muted">expected</dt>
          <dd className="break-all font-mono" data-testid="auth-refusal-expected">
            {refusal.expected}
          </dd>
          <dt className="text-muted">the server sent</dt>
          <dd className="break-all font-mono" data-testid="auth-refusal-received">
            {refusal.received}
          </dd>
        </dl>
        {WHY[refusal.check] && <div className="text-xs text-muted">{WHY[refusal.check]}</div>}
        <div className="flex flex-wrap items-center gap-2 pt-0.5">
          <Button variant="primary" size="sm" onClick={onContinue} disabled={pending} data-testid="auth-refusal-continue">
            {pending ? <Spinner className="h-3 w-3" /> : null} Continue anyway for this session
          </Button>
          <span className="text-xs text-muted">
            Only this session goes past <span className="font-mono">{refusal.check}</span>; the log records it as a finding each time.
          </span>
        </div>
        {error && (
          <div className="text-xs text-err" role="status">
            {error.message} <span className="font-mono text-[11px]">({error.code})</span>
          </div>
        )}
      </div>
    </div>
  );
}
