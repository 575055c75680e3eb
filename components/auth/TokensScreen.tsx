'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import type { MaskedToken, TokenListResponse } from '@/lib/contract';
import { queryKeys, type ApiError } from '../api';
import { ThemeToggle } from '../theme';
import { Badge, Button, EmptyState, IconX, PageHeader, Spinner, useNow } from '../ui';
import { forgetTokens, listTokens } from './api';
import { relativeTime } from './time';

/** The tokens this browser holds, masked, with expiry and scopes; each can be forgotten. */
export function TokensScreen() {
  const queryClient = useQueryClient();
  const query = useQuery<TokenListResponse, ApiError>({ queryKey: queryKeys.tokens(), queryFn: listTokens });
  const forget = useMutation<unknown, ApiError, string | undefined>({
    mutationFn: (resource) => forgetTokens(resource),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.tokens() }),
  });
  const now = useNow(15_000);
  const tokens = query.data?.tokens ?? [];

  return (
    <div className="flex min-h-full flex-col">
      <PageHeader title="Tokens">
        <Link href="/" className="text-xs text-muted hover:text-fg">
          Connect →
        </Link>
        <ThemeToggle />
      </PageHeader>
      <main className="mx-auto w-full max-w-[1180px] flex-1 px-4 py-6">
        <div className="mb-1 flex items-center gap-2">
          <h1 className="text-lg font-semibold">OAuth tokens</h1>
          {tokens.length > 0 && (
            <Button
              variant="danger"
              className="ml-auto"
              disabled={forget.isPending}
              onClick={() => forget.mutate(undefined)}
              data-testid="tokens-forget-all"
            >
              Forget all
            </Button>
          )}
        </div>
        <p className="mb-4 text-[13px] text-muted">
          The tokens this browser holds, kept encrypted on the mcpscope server; they never reach the browser, so only their last 4
          characters show. Forgetting one means the next connection to that server authorizes again.
        </p>
        {query.isPending && (
          <div className="flex items-center gap-2 text-sm text-muted">
            <Spinner className="h-4 w-4" /> Loading…
          </div>
        )}
        {query.isError && (
          <div role="alert" className="rounded border border-err/40 bg-err-soft px-3 py-2 text-[13px]">
            {query.error.message}
          </div>
        )}
        {forget.isError && (
          <div role="alert" className="mb-3 rounded border border-err/40 bg-err-soft px-3 py-2 text-[13px]">
            Forgetting failed: {forget.error.message}
          </div>
        )}
        {query.isSuccess && tokens.length === 0 && (
          <EmptyState title="No tokens" testId="tokens-empty">
            Connect to a server that uses OAuth; its tokens show up here.
          </EmptyState>
        )}
        {tokens.length > 0 && (
          <div className="overflow-x-auto rounded-md border border-line bg-panel">
            <table className="w-full text-[13px]" data-testid="tokens-table">
              <thead>
                <tr>
                  <th className="th h-7">Server (resource)</th>
                  <th className="th">Authorization server</th>
                  <th className="th">Scopes</th>
                  <th className="th">Access token</th>
                  <th className="th">Refresh token</th>
                  <th className="th">Expires</th>
                  <th className="th w-[90px]" />
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <TokenRow
                    key={token.resource}
                    token={token}
                    now={now}
                    busy={forget.isPending}
                    onForget={() => forget.mutate(token.resource)}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </main>
    </div>
  );
}

function TokenRow({ token, now, busy, onForget }: { token: MaskedToken; now: number; busy: boolean; onForget: () => void }) {
  const expired = token.expired || (token.expiresAt !== undefined && token.expiresAt <= now);
  return (
    <tr className="border-t border-line align-top" data-testid="token-row">
      <td className="px-2 py-1.5 font-mono text-xs break-all">{token.resource}</td>
      <td className="px-2 py-1.5 text-xs">
        <div className="break-all">{token.issuer ?? '—'}</div>
        {token.clientId && <div className="text-[11px] text-faint">client {token.clientId}</div>}
      </td>
      <td className="px-2 py-1.5">
        <div className="flex flex-wrap gap-1">
          {token.scopes.length > 0 ? (
            token.scopes.map((scope) => (
              <Badge key={scope} mono>
                {scope}
              </Badge>
            ))
          ) : (
            <span className="text-xs text-faint">none</span>
          )}
        </div>
      </td>
      <td className="px-2 py-1.5 font-mono text-xs" data-testid="token-access">
        {token.accessToken}
      </td>
      <td className="px-2 py-1.5 font-mono text-xs">{token.refreshToken ?? <span className="text-faint">none</span>}</td>
      <td className="px-2 py-1.5 text-xs whitespace-nowrap" data-testid="token-expiry">
        {token.expiresAt === undefined ? (
          <span className="text-faint">not said</span>
        ) : expired ? (
          <Badge tone={token.refreshToken ? 'warn' : 'err'}>expired {relativeTime(token.expiresAt, now)}</Badge>
        ) : (
          <span title={new Date(token.expiresAt).toISOString()}>{relativeTime(token.expiresAt, now)}</span>
        )}
        {expired && token.refreshToken && <div className="text-[11px] text-faint">renewed on next use</div>}
      </td>
      <td className="px-2 py-1.5 text-right">
        <Button
          size="sm"
          variant="ghost"
          disabled={busy}
          onClick={onForget}
          data-testid="token-forget"
          aria-label={`Forget the token for ${token.resource}`}
        >
          <IconX className="h-3 w-3" /> Forget
        </Button>
      </td>
    </tr>
  );
}
