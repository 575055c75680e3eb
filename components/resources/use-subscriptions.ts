'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionSummary } from '@/lib/contract';
import { describeFailure, getListen, rpcResult, startListen, stopListen, type ListenFilter } from '../api';
import { useStickyState } from '../ui';

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

/**
 * Subscriptions to single resources. 2025-era servers take `resources/subscribe`/`unsubscribe`; a
 * 2026-07-28 server has no such methods, so the URI goes into the `subscriptions/listen` filter instead
 * (and the stream is reopened with the new list).
 */
export function useResourceSubscriptions(sessionId: string, summary: SessionSummary | undefined): ResourceSubscriptions {
  const queryClient = useQueryClient();
  const modern = summary?.server?.era === 'stateless-2026';
  const capabilities = summary?.server?.capabilities as { resources?: { subscribe?: boolean } } | undefined;
  const connected = summary?.state === 'connected';
  const [subscribed, setSubscribed] = useStickyState<string[]>(sessionId, 'resource-subscriptions', []);
  const listen = useQuery({ queryKey: ['listen', sessionId], queryFn: () => getListen(sessionId), enabled: connected && modern });

  const mutation = useMutation({
    mutationFn: async (uri: string) => {
      const on = !subscribed.includes(uri);
      const next = on ? [...subscribed, uri] : subscribed.filter((item) => item !== uri);
      if (modern) {
        const current: ListenFilter = listen.data?.listening?.requested ?? {};
        const filter: ListenFilter = { ...current, resourceSubscriptions: next };
        const anything = filter.toolsListChanged || filter.promptsListChanged || filter.resourcesListChanged || next.length > 0;
        if (anything) await startListen(sessionId, filter);
        else await stopListen(sessionId);
      } else {
        await rpcResult(sessionId, on ? 'resources/subscribe' : 'resources/unsubscribe', { uri });
      }
      return next;
    },
    onSuccess: (next) => {
      setSubscribed(next);
      void queryClient.invalidateQueries({ queryKey: ['listen', sessionId] });
    },
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
