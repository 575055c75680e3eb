'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { SessionSummary } from '@/lib/contract';
import { describeFailure, getListen, queryKeys, rpcResult, startListen, stopListen, type ListenFilter } from '../api';
import { useLogSelector, type LogStore, type PhaseView } from '../log-store';

export interface ResourceSubscriptions {
  /** Whether this server can notify about one resource at all. */
  supported: boolean;
  /** Why not, when it cannot. */
  unsupportedReason?: string;
  /** How: resources/subscribe (2025) or the subscriptions/listen filter (2026-07-28). */
  mode: 'subscribe' | 'listen';
  subscribed: readonly string[];
  toggle: (uri: string) => void;
  pendingUri: string | undefined;
  error: string | undefined;
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * Subscriptions to single resources. 2025-era servers take `resources/subscribe`/`unsubscribe`; a
 * 2026-07-28 server has no such methods, so the URI goes into the `subscriptions/listen` filter instead
 * (and the stream is reopened with the new list).
 *
 * What is shown as subscribed is the server side's record of the live connection (the session summary), not
 * a memory of past clicks: a subscription belongs to one server session, so after a reconnect only what the new
 * connection subscribed to again counts (mcpscope restores them; what the server refuses is dropped).
 */
export function useResourceSubscriptions(sessionId: string, summary: SessionSummary | undefined): ResourceSubscriptions {
  const queryClient = useQueryClient();
  const modern = summary?.server?.era === 'stateless-2026';
  const capabilities = summary?.server?.capabilities as { resources?: { subscribe?: boolean } } | undefined;
  const connected = summary?.state === 'connected';
  const live = connected ? summary?.resourceSubscriptions : undefined;
  const subscribed = useMemo(() => live ?? NONE, [live]);

  const show = (next: string[]) =>
    queryClient.setQueryData<SessionSummary>(queryKeys.session(sessionId), (current) =>
      current ? { ...current, resourceSubscriptions: next } : current,
    );
  const mutation = useMutation({
    mutationFn: async (uri: string) => {
      const on = !subscribed.includes(uri);
      const next = on ? [...subscribed, uri] : subscribed.filter((item) => item !== uri);
      if (!modern) {
        await rpcResult(sessionId, on ? 'resources/subscribe' : 'resources/unsubscribe', { uri });
        return next;
      }
      // Ask the server for the filter in force now: a reconnect may have reopened the stream since it was cached.
      const current: ListenFilter = (await getListen(sessionId)).listening?.requested ?? {};
      const filter: ListenFilter = { ...current, resourceSubscriptions: next };
      const anything = filter.toolsListChanged || filter.promptsListChanged || filter.resourcesListChanged || next.length > 0;
      if (!anything) {
        await stopListen(sessionId);
        return [];
      }
      const honored = (await startListen(sessionId, filter)).listening.honored.resourceSubscriptions ?? [];
      if (on && !honored.includes(uri)) {
        show(honored);
        throw new Error(`The server did not agree to send updates for ${uri}: its subscriptions/listen acknowledgement leaves it out.`);
      }
      return honored;
    },
    onSuccess: show,
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.listen(sessionId) }),
  });

  const supported = connected && (modern || capabilities?.resources?.subscribe === true);
  return {
    supported,
    unsupportedReason: !connected
      ? 'The session is not connected.'
      : supported
        ? undefined
        : 'The server did not declare resources.subscribe, so it sends no updates for single resources.',
    mode: modern ? 'listen' : 'subscribe',
    subscribed,
    toggle: (uri) => mutation.mutate(uri),
    pendingUri: mutation.isPending ? mutation.variables : undefined,
    error: mutation.isError ? describeFailure(mutation.error) : undefined,
  };
}

/** The latest finished `restore subscriptions` step (a reconnect subscribing again), if any. */
export function useLastSubscriptionRestore(store: LogStore): PhaseView | undefined {
  return useLogSelector(store, () => {
    for (let i = store.phases.length - 1; i >= 0; i--) {
      const phase = store.phases[i]!;
      if (phase.name === 'restore subscriptions') return phase.status === 'started' ? undefined : phase;
    }
    return undefined;
  });
}
