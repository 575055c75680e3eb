'use client';

import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import type { SessionSummary } from '@/lib/contract';
import type { ApiError } from '../api';
import { Button, IconAlert, ServerLink, Spinner } from '../ui';
import { destinationAfterConnect, followDestination, startAuth } from './api';
import { RefusalScreen } from './RefusalScreen';

function go(summary: SessionSummary, push: (path: string) => void): void {
  followDestination(destinationAfterConnect(summary), push);
}

/**
 * What a session waiting for authorization asks of the person: follow the authorization link, continue the guided
 * steps, or start OAuth (with a client, scopes) when it did not start by itself. Also the step-up prompt of a
 * connected session whose token lacks a scope.
 */
export function AuthPrompt({ summary }: { summary: SessionSummary }) {
  const auth = summary.auth;
  const base = `/inspect/${encodeURIComponent(summary.id)}`;

  if (summary.state === 'connected') {
    if (auth?.needed !== 'step_up' || !summary.authorizationUrl) return null;
    const scopes = auth.requiredScopes?.join(' ');
    return (
      <div
        className="flex shrink-0 items-center gap-2 border-b border-warn/40 bg-warn-soft px-3 py-1.5 text-[13px]"
        data-testid="step-up-banner"
      >
        <IconAlert className="h-4 w-4 shrink-0 text-warn" />
        <span className="min-w-0">
          The server needs more scope
          {scopes ? (
            <>
              {' '}
              (<span className="font-mono text-xs">{scopes}</span>)
            </>
          ) : null}{' '}
          than the token grants. Authorize again to add it; the session stays connected meanwhile.
        </span>
        <ServerLink
          href={summary.authorizationUrl}
          what="The authorization URL"
          data-testid="step-up-link"
          className="ml-auto shrink-0 rounded border border-warn/50 bg-panel px-2 py-0.5 text-xs font-medium hover:bg-hover"
        >
          Authorize with more scope…
        </ServerLink>
      </div>
    );
  }

  // A refused identity check gets its own screen: the rule, both values, and "continue anyway".
  if (auth?.refusal) return <RefusalScreen summary={summary} refusal={auth.refusal} />;

  // Nothing said OAuth (a 401 without a challenge, no metadata): the server wants a credential the person adds.
  const wantsCredential = auth?.error?.code === 'credentials_required';
  const why = wantsCredential
    ? 'This server wants a token or a header: add one. Connect again with a bearer token or the API key header its documentation names.'
    : auth?.needed === 'reauthorize'
      ? 'The access token could not be renewed: authorize again. The session and its log are kept.'
      : 'This server requires authorization before it answers.';
  const detail = auth?.error?.message ?? (summary.authorizationUrl ? undefined : summary.error?.message);
  return (
    <div className="shrink-0 border-b border-warn/40 bg-warn-soft px-3 py-1.5 text-[13px]" data-testid="session-banner">
      <div className="flex items-center gap-2">
        <IconAlert className="h-4 w-4 shrink-0 text-warn" />
        <span className="min-w-0">{why}</span>
        {auth?.guided ? (
          <Link
            href={`${base}/oauth`}
            data-testid="guided-link"
            className="ml-2 shrink-0 rounded border border-warn/50 bg-panel px-2 py-0.5 text-xs font-medium hover:bg-hover"
          >
            Continue step by step…
          </Link>
        ) : (
          summary.authorizationUrl && (
            <ServerLink
              href={summary.authorizationUrl}
              what="The authorization URL"
              data-testid="authorize-link"
              className="ml-2 shrink-0 rounded border border-warn/50 bg-panel px-2 py-0.5 text-xs font-medium hover:bg-hover"
            >
              Authorize…
            </ServerLink>
          )
        )}
      </div>
      {detail && (
        <div className="mt-0.5 pl-6 text-xs text-muted" data-testid="auth-error">
          {detail}
          {auth?.error?.code && <span className="ml-1.5 font-mono text-[11px]">({auth.error.code})</span>}
        </div>
      )}
      {!auth?.guided && <StartOAuth sessionId={summary.id} open={!summary.authorizationUrl && !wantsCredential} />}
    </div>
  );
}

/** "Connect with OAuth" for a session that exists: a client, scopes, guided or not. */
function StartOAuth({ sessionId, open: initiallyOpen }: { sessionId: string; open: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [scopes, setScopes] = useState('');
  const [guided, setGuided] = useState(false);
  const start = useMutation<SessionSummary, ApiError, void>({
    mutationFn: () =>
      startAuth(sessionId, {
        ...(clientId.trim() ? { clientId: clientId.trim() } : {}),
        ...(clientSecret.trim() ? { clientSecret: clientSecret.trim() } : {}),
        ...(scopes.trim() ? { scopes: scopes.trim().split(/\s+/) } : {}),
        ...(guided ? { guided: true } : {}),
      }),
    onSuccess: (summary) => go(summary, (path) => window.location.assign(path)),
  });
  if (!open) {
    return (
      <button type="button" className="mt-0.5 ml-6 text-xs text-muted underline hover:text-fg" onClick={() => setOpen(true)}>
        Use another client or other scopes…
      </button>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!start.isPending) start.mutate();
  };
  return (
    <form onSubmit={submit} className="mt-1.5 mb-1 ml-6 flex flex-wrap items-end gap-2" data-testid="start-oauth-form">
      <label className="w-[180px]">
        <span className="field-label">Client ID</span>
        <input
          className="input-mono"
          placeholder="automatic"
          value={clientId}
          onChange={(e) => setClientId(e.target.value)}
          data-testid="start-oauth-client-id"
        />
      </label>
      <label className="w-[160px]">
        <span className="field-label">Client secret</span>
        <input
          className="input-mono"
          type="password"
          autoComplete="off"
          placeholder="none"
          value={clientSecret}
          onChange={(e) => setClientSecret(e.target.value)}
        />
      </label>
      <label className="w-[200px]">
        <span className="field-label">Scopes</span>
        <input className="input-mono" placeholder="from the server" value={scopes} onChange={(e) => setScopes(e.target.value)} />
      </label>
      <label className="flex h-7 items-center gap-1.5 text-xs">
        <input type="checkbox" checked={guided} onChange={(e) => setGuided(e.target.checked)} className="accent-[var(--accent)]" /> guided
      </label>
      <Button type="submit" variant="primary" disabled={start.isPending} data-testid="start-oauth">
        {start.isPending ? <Spinner className="h-3 w-3" /> : null} Connect with OAuth
      </Button>
      {start.isError && (
        <span className="basis-full text-xs text-err" role="alert">
          {start.error.message} <span className="font-mono text-[11px]">({start.error.code})</span>
        </span>
      )}
    </form>
  );
}
