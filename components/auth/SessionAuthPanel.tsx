'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type {
  AuthorizeAgainResponse,
  AuthStatus,
  ForgetTokensResponse,
  MaskedToken,
  RefreshTokenResponse,
  SessionSummary,
} from '@/lib/contract';
import { queryKeys, type ApiError } from '../api';
import { useLogSelector, type LogStore } from '../log-store';
import { assignServerUrl, Badge, Button, IconAlert, IconRefresh, ServerLink, Spinner, useDerivedState, useNow, type Tone } from '../ui';
import { authorizeAgain, forgetSessionTokens, getAuthStatus, refreshSessionToken } from './api';
import {
  authMethodOf,
  clientAuthLabel,
  clientSourceLabel,
  lastMcpRequest,
  lastRefreshPhase,
  metadataKindLabel,
  oauthProgressKey,
  sentCredentials,
  tokenHealth,
  GRANT_LABELS,
  isMachineGrant,
  type TokenHealth,
} from './auth-panel-model';
import { preciseRelativeTime } from './time';

const HEALTH: Record<TokenHealth, { tone: Tone; label: string }> = {
  none: { tone: 'neutral', label: 'no token' },
  valid: { tone: 'ok', label: 'valid' },
  expiring: { tone: 'warn', label: 'expiring: renewed on the next request' },
  renewable: { tone: 'warn', label: 'expired: renewed on the next request' },
  expired: { tone: 'err', label: 'expired: authorize again' },
};

type Outcome = { tone: 'ok' | 'err'; text: string; code?: string };

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt className="pt-px text-muted">{label}</dt>
      <dd className="min-w-0 break-words" data-testid={testId}>
        {children}
      </dd>
    </>
  );
}

function clock(at: number): string {
  return new Date(at).toLocaleTimeString();
}

/**
 * The Authorization panel of a session: how it authenticates, and for OAuth the authorization server, client,
 * scopes and the token (masked: the API never sends one in clear), with its expiry counting down; refresh,
 * authorize again, step up and forget, each with its outcome in words.
 */
export function SessionAuthPanel({ sessionId, summary, store }: { sessionId: string; summary: SessionSummary; store: LogStore }) {
  const queryClient = useQueryClient();
  const statusKey = queryKeys.authStatus(sessionId);
  const status = useQuery<AuthStatus, ApiError>({ queryKey: statusKey, queryFn: () => getAuthStatus(sessionId) });
  const now = useNow(1000);
  const machine = isMachineGrant(summary.auth?.grant);
  const progress = useLogSelector(store, () => oauthProgressKey(store.phases));
  const lastRefresh = useLogSelector(store, () => lastRefreshPhase(store.phases));
  const lastRequest = useLogSelector(store, () => lastMcpRequest(store.exchanges));
  const summaryKey = `${summary.state}|${JSON.stringify(summary.auth ?? null)}`;
  // An OAuth step finished, or the session's auth changed: what the server holds may have changed too.
  useEffect(() => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.authStatus(sessionId) });
  }, [queryClient, sessionId, progress, summaryKey]);

  const [outcome, setOutcome] = useState<Outcome | undefined>();
  // A step-up the server asked for fills the form in, unless the person already typed something.
  const requiredScopes = summary.auth?.needed === 'step_up' ? (summary.auth.requiredScopes ?? []).join(' ') : '';
  const [stepUpScopes, setStepUpScopes] = useDerivedState<string, string>(requiredScopes, (next, previous) => previous || next);

  const settle = () => void queryClient.invalidateQueries({ queryKey: statusKey });
  const failed = (what: string) => (error: ApiError) => setOutcome({ tone: 'err', text: `${what}: ${error.message}`, code: error.code });
  const refresh = useMutation<RefreshTokenResponse, ApiError, void>({
    mutationFn: () => refreshSessionToken(sessionId),
    onMutate: () => setOutcome(undefined),
    onSuccess: ({ token }) =>
      setOutcome({
        tone: 'ok',
        text: `Refreshed: new access token ${token.accessToken}${token.expiresAt ? `, valid until ${clock(token.expiresAt)}` : ''}.`,
      }),
    onError: failed('Refresh failed'),
    onSettled: settle,
  });
  const authorize = useMutation<AuthorizeAgainResponse, ApiError, string[]>({
    mutationFn: (scopes) => authorizeAgain(sessionId, scopes.length > 0 ? { scopes } : {}),
    onMutate: () => setOutcome(undefined),
    onSuccess: (answer) => {
      if (answer.kind === 'redirect') {
        const opened = assignServerUrl(answer.authorizationUrl, 'The authorization URL');
        setOutcome(
          opened.ok
            ? { tone: 'ok', text: `Opening the authorization server (scopes: ${answer.scopes.join(' ') || 'as the server decides'})…` }
            : { tone: 'err', text: `Not opened: ${opened.message}` },
        );
      } else {
        setOutcome({
          tone: 'ok',
          text: `New token ${answer.token.accessToken} from the client credentials grant (scopes: ${answer.token.scopes.join(' ') || 'none'}).`,
        });
      }
    },
    onError: failed('Authorizing again failed'),
    onSettled: settle,
  });
  const forget = useMutation<ForgetTokensResponse, ApiError, void>({
    mutationFn: () => forgetSessionTokens(sessionId),
    onMutate: () => setOutcome(undefined),
    onSuccess: ({ forgotten }) =>
      setOutcome(
        forgotten > 0
          ? { tone: 'ok', text: 'Forgotten: the tokens are gone from the mcpscope server. The next request needs a new authorization.' }
          : { tone: 'ok', text: 'There was no token to forget.' },
      ),
    onError: failed('Forgetting failed'),
    onSettled: settle,
  });

  const data = status.data;
  const method = authMethodOf(summary, data);
  const credentials = method.kind === 'none' ? [] : sentCredentials(method.kind, summary.headerNames, lastRequest?.requestHeaders);
  const busy = refresh.isPending || authorize.isPending || forget.isPending;

  return (
    <div className="flex flex-col gap-2.5 text-xs" data-testid="auth-panel-body" data-method={method.kind}>
      <div className="flex items-start gap-2">
        <Badge tone={method.kind === 'none' ? 'neutral' : 'accent'} data-testid="auth-method">
          {method.label}
        </Badge>
        <span className="text-muted">{method.explanation}</span>
      </div>

      {summary.auth?.needed && <NeedNotice summary={summary} />}

      {status.isError && (
        <div role="alert" className="rounded border border-err/40 bg-err-soft px-2 py-1 text-err">
          Could not load the authorization status: {status.error.message}
        </div>
      )}

      {method.kind === 'oauth' && (
        <OAuthDetails status={data} summary={summary} now={now} lastRefresh={lastRefresh} loading={status.isPending} />
      )}

      {credentials.length > 0 && (
        <div data-testid="auth-sent">
          <div className="mb-0.5 text-muted">
            {lastRequest ? (
              <>As sent on the last request to the server ({preciseRelativeTime(summary.createdAt + lastRequest.t, now)})</>
            ) : (
              'Sent with every request to the server (none yet)'
            )}
            , masked to the last 4 characters: the values never reach the browser.
          </div>
          <ul className="flex flex-col gap-0.5 rounded border border-line bg-panel-2 px-2 py-1 font-mono text-[11px]">
            {credentials.map((credential) => (
              <li key={credential.name} className="break-all">
                <span className="text-muted">{credential.name}:</span>{' '}
                {credential.value ?? <span className="text-faint">not sent yet</span>}
              </li>
            ))}
          </ul>
        </div>
      )}

      {method.kind === 'oauth' && data?.discovery && (
        <div className="flex flex-col gap-2 border-t border-line pt-2.5">
          <div className="flex flex-wrap items-center gap-1.5">
            <Button
              size="sm"
              onClick={() => refresh.mutate()}
              disabled={busy || !data.token?.refreshToken}
              title={
                data.token?.refreshToken
                  ? 'Trade the refresh token for a new access token now'
                  : 'The authorization server issued no refresh token'
              }
              data-testid="auth-refresh"
            >
              {refresh.isPending ? <Spinner className="h-3 w-3" /> : <IconRefresh className="h-3 w-3" />} Refresh now
            </Button>
            <Button
              size="sm"
              onClick={() => authorize.mutate([])}
              disabled={busy || Boolean(summary.auth?.guided)}
              title={
                machine
                  ? `Run the ${GRANT_LABELS[summary.auth?.grant ?? 'client_credentials']} grant again`
                  : 'Sign in at the authorization server again, with the same client'
              }
              data-testid="auth-reauthorize"
            >
              {machine ? 'Get a new token' : 'Re-authorize…'}
            </Button>
            <Button
              size="sm"
              variant="danger"
              className="ml-auto"
              onClick={() => forget.mutate()}
              disabled={busy || !data.token}
              title="Delete this browser's tokens for this server from the mcpscope server"
              data-testid="auth-forget"
            >
              Forget tokens
            </Button>
          </div>
          <StepUpForm
            value={stepUpScopes}
            onChange={setStepUpScopes}
            disabled={busy || Boolean(summary.auth?.guided)}
            pending={authorize.isPending && (authorize.variables?.length ?? 0) > 0}
            onSubmit={(scopes) => authorize.mutate(scopes)}
          />
        </div>
      )}

      {outcome && (
        <div
          role={outcome.tone === 'err' ? 'alert' : 'status'}
          data-testid="auth-action-result"
          data-tone={outcome.tone}
          className={
            outcome.tone === 'err'
              ? 'rounded border border-err/40 bg-err-soft px-2 py-1 text-err'
              : 'rounded border border-ok/30 bg-ok-soft px-2 py-1 text-ok'
          }
        >
          {outcome.text}
          {outcome.code && <span className="ml-1.5 font-mono text-[11px] opacity-80">({outcome.code})</span>}
        </div>
      )}
    </div>
  );
}

function NeedNotice({ summary }: { summary: SessionSummary }) {
  const auth = summary.auth;
  const text =
    auth?.needed === 'step_up'
      ? `The server wants more scope${auth.requiredScopes?.length ? ` (${auth.requiredScopes.join(' ')})` : ''} than the token grants.`
      : auth?.needed === 'reauthorize'
        ? 'The token could not be renewed: authorize again.'
        : 'The server wants authorization before it answers.';
  return (
    <div className="flex items-center gap-2 rounded border border-warn/40 bg-warn-soft px-2 py-1" data-testid="auth-need">
      <IconAlert className="h-3.5 w-3.5 shrink-0 text-warn" />
      <span className="min-w-0">{text}</span>
      {summary.authorizationUrl && !auth?.guided && (
        <ServerLink
          href={summary.authorizationUrl}
          what="The authorization URL"
          className="ml-auto shrink-0 font-medium text-accent hover:underline"
        >
          Authorize…
        </ServerLink>
      )}
    </div>
  );
}

function OAuthDetails({
  status,
  summary,
  now,
  lastRefresh,
  loading,
}: {
  status: AuthStatus | undefined;
  summary: SessionSummary;
  now: number;
  lastRefresh: ReturnType<typeof lastRefreshPhase>;
  loading: boolean;
}) {
  const machine = isMachineGrant(summary.auth?.grant);
  if (loading) {
    return (
      <div className="flex items-center gap-2 text-muted">
        <Spinner className="h-3 w-3" /> Loading…
      </div>
    );
  }
  const discovery = status?.discovery;
  if (!discovery) {
    return <div className="text-muted">OAuth has not found the authorization server yet; the Timeline shows the flow as it runs.</div>;
  }
  const token = status.token;
  const client = status.client;
  const clientId = client?.clientId ?? token?.clientId;
  return (
    <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-1" data-testid="auth-oauth">
      <Row label="Authorization server" testId="auth-issuer">
        <span className="font-mono">{discovery.issuer}</span>{' '}
        <span className="text-faint">· {metadataKindLabel(discovery.metadataKind)}</span>
      </Row>
      <Row label="Resource" testId="auth-resource">
        <span className="font-mono">{discovery.resource}</span>
      </Row>
      <Row label="Client" testId="auth-client">
        {clientId ? <span className="font-mono">{clientId}</span> : <span className="text-faint">not chosen yet</span>}
        <div className="text-faint">
          {clientSourceLabel(client?.source)}
          {client && ` · ${clientAuthLabel(client.authMethod)}${client.hasSecret ? ' · with a secret (kept on the server)' : ''}`}
        </div>
      </Row>
      <Row label="Grant">{GRANT_LABELS[summary.auth?.grant ?? 'authorization_code']}</Row>
      {status.redirectUri && !machine && (
        <Row label="Redirect URI">
          <span className="font-mono">{status.redirectUri}</span>
        </Row>
      )}
      {token ? (
        <TokenRows token={token} now={now} />
      ) : (
        <Row label="Token">
          {
            <span className="text-faint" data-testid="auth-no-token">
              none held for this server
            </span>
          }
        </Row>
      )}
      <Row label="Last refresh" testId="auth-last-refresh">
        {lastRefresh ? (
          <>
            <Badge tone={lastRefresh.status === 'ok' ? 'ok' : 'err'}>{lastRefresh.status === 'ok' ? 'ok' : 'failed'}</Badge>{' '}
            <span title={clock(summary.createdAt + (lastRefresh.endT ?? lastRefresh.t))}>
              {preciseRelativeTime(summary.createdAt + (lastRefresh.endT ?? lastRefresh.t), now)}
            </span>
            {(lastRefresh.error?.message ?? lastRefresh.detail) && (
              <div className="text-faint">{lastRefresh.error?.message ?? lastRefresh.detail}</div>
            )}
          </>
        ) : (
          <span className="text-faint">none in this session yet</span>
        )}
      </Row>
    </dl>
  );
}

function TokenRows({ token, now }: { token: MaskedToken; now: number }) {
  const health = tokenHealth(token, now);
  return (
    <>
      <Row label="Scopes granted" testId="auth-scopes">
        <span className="flex flex-wrap gap-1">
          {token.scopes.length > 0 ? (
            token.scopes.map((scope) => (
              <Badge key={scope} mono>
                {scope}
              </Badge>
            ))
          ) : (
            <span className="text-faint">none named</span>
          )}
        </span>
      </Row>
      <Row label="Access token">
        <span className="font-mono" data-testid="auth-access-token">
          {token.accessToken}
        </span>{' '}
        <span className="text-faint">{token.tokenType}</span>{' '}
        <Badge tone={HEALTH[health].tone} data-testid="auth-token-health">
          {HEALTH[health].label}
        </Badge>
      </Row>
      <Row label="Expires" testId="auth-expiry">
        {token.expiresAt === undefined ? (
          <span className="text-faint">the server did not say</span>
        ) : (
          <span title={new Date(token.expiresAt).toISOString()}>
            {preciseRelativeTime(token.expiresAt, now)} <span className="text-faint">(at {clock(token.expiresAt)})</span>
          </span>
        )}
      </Row>
      <Row label="Refresh token" testId="auth-refresh-token">
        {token.refreshToken ? (
          <span className="font-mono">{token.refreshToken}</span>
        ) : (
          <span className="text-faint">none: authorize again when the access token expires</span>
        )}
      </Row>
      <Row label="Token saved" testId="auth-token-saved">
        <span title={new Date(token.updatedAt).toISOString()}>{preciseRelativeTime(token.updatedAt, now)}</span>{' '}
        <span className="text-faint">(issued or last renewed)</span>
      </Row>
    </>
  );
}

function StepUpForm({
  value,
  onChange,
  disabled,
  pending,
  onSubmit,
}: {
  value: string;
  onChange: (value: string) => void;
  disabled: boolean;
  pending: boolean;
  onSubmit: (scopes: string[]) => void;
}) {
  const scopes = value.split(/\s+/).filter(Boolean);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!disabled && scopes.length > 0) onSubmit(scopes);
  };
  return (
    <form onSubmit={submit} className="flex items-end gap-1.5" data-testid="auth-step-up-form">
      <label className="min-w-0 flex-1">
        <span className="field-label">Step up: scopes to add to those held</span>
        <input
          className="input-mono"
          placeholder="e.g. mcp:admin"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          spellCheck={false}
          data-testid="auth-step-up-scopes"
        />
      </label>
      <Button
        type="submit"
        size="md"
        disabled={disabled || scopes.length === 0}
        title="Authorize again with the scopes held plus these"
        data-testid="auth-step-up"
      >
        {pending ? <Spinner className="h-3 w-3" /> : null} Step up…
      </Button>
    </form>
  );
}
