'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiErrorBody, SessionSummary } from '@/lib/contract';
import { queryKeys } from '../api';
import { Button, Spinner } from '../ui';

async function reconnect(sessionId: string): Promise<SessionSummary> {
  const response = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/reconnect`, { method: 'POST', credentials: 'same-origin' });
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (!response.ok || !body) {
    throw new Error((body as Partial<ApiErrorBody> | undefined)?.error?.message ?? `Reconnecting failed (HTTP ${response.status}).`);
  }
  return body as SessionSummary;
}

/**
 * Connects the session again with its settings (a new MCP session; header values and secrets never left the
 * server): after a close, a failed connect ("Retry"), a degraded connection or a server that forgot the session.
 * Its log carries on below what is already there.
 */
export function ReconnectButton({
  sessionId,
  label = 'Reconnect',
  testId = 'reconnect',
  title,
}: {
  sessionId: string;
  label?: string;
  testId?: string;
  title?: string;
}) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => reconnect(sessionId),
    onSuccess: (summary) => {
      const before = queryClient.getQueryData<SessionSummary>(queryKeys.session(sessionId));
      queryClient.setQueryData(queryKeys.session(sessionId), summary);
      // Taken over from an instance that stopped (README § Several instances): a new session log on another
      // instance, so the page starts its stream and views anew rather than show the old log as if it went on.
      if (before && before.createdAt !== summary.createdAt) window.location.reload();
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.session(sessionId) }),
  });
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        size="sm"
        variant="primary"
        onClick={() => mutation.mutate()}
        disabled={mutation.isPending}
        data-testid={testId}
        title={title}
      >
        {mutation.isPending ? <Spinner className="h-3 w-3" /> : null}
        {label}
      </Button>
      {mutation.isError && (
        <span role="alert" className="text-xs text-err" data-testid="reconnect-error">
          {mutation.error.message}
        </span>
      )}
    </span>
  );
}
