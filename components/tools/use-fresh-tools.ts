'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { diffList, isEmptyChange, listTools, queryKeys, type ListChange, type ToolInfo } from '../api';
import { useLogSelector, type LogStore } from '../log-store';

/** Facts from the session log that say whether the cached tool list can be out of date. */
export interface ToolsLogFacts {
  /** Seq of the newest `notifications/tools/list_changed`. */
  listChangedSeq?: number;
  /** Start seq of the newest `tools/list` step (a listing by the connection, which updates its list). */
  listingSeq?: number;
  listingRunning: boolean;
  /** Seqs of the first and the newest successful `connect` (a reconnect lists the tools anew). */
  firstConnectSeq?: number;
  lastConnectSeq?: number;
}

/** What the browser knows about its cached tool list (kept in the query cache: it outlives the Tools tab). */
export interface ToolsListMeta {
  /** The log seq the cached list is known to reflect; unknown means "as of the first connect". */
  fetchedAtSeq?: number;
  /** A list_changed (by seq) already acted on, so a failing listing is not retried in a loop. */
  handledChangeSeq?: number;
  handledConnectSeq?: number;
  /** What the latest listing after a change (or a reconnect) changed, for the notice. */
  change?: ListChange & { reason: 'list_changed' | 'reconnect' };
  dismissed?: boolean;
}

export type ToolsFreshnessAction =
  | { kind: 'none' }
  /** The server changed its tools and nobody listed them since: tools/list on the wire. */
  | { kind: 'relist'; changeSeq: number }
  /** The server side already has a newer list (listed after the change, or after a reconnect): fetch it. */
  | { kind: 'reload'; reason: 'list_changed' | 'reconnect'; changeSeq?: number; connectSeq?: number };

/**
 * Decides whether the cached tool list is stale, from the log alone. The decision does not depend on which
 * tab is shown: it is made again whenever the log's facts change while the workspace is open (and on a page
 * reload), so a change that arrives while the person is elsewhere is listed at once.
 */
export function decideToolsFreshness(facts: ToolsLogFacts, meta: ToolsListMeta): ToolsFreshnessAction {
  const cacheSeq = meta.fetchedAtSeq ?? facts.firstConnectSeq ?? 0;
  const changeSeq = facts.listChangedSeq;
  if (changeSeq !== undefined && changeSeq > cacheSeq && changeSeq !== meta.handledChangeSeq) {
    if (facts.listingRunning && facts.listingSeq !== undefined && facts.listingSeq > changeSeq) return { kind: 'none' };
    if (facts.listingSeq !== undefined && facts.listingSeq > changeSeq) return { kind: 'reload', reason: 'list_changed', changeSeq };
    return { kind: 'relist', changeSeq };
  }
  const connectSeq = facts.lastConnectSeq;
  if (connectSeq !== undefined && connectSeq > cacheSeq && connectSeq !== facts.firstConnectSeq && connectSeq !== meta.handledConnectSeq) {
    return { kind: 'reload', reason: 'reconnect', connectSeq };
  }
  return { kind: 'none' };
}

export function readToolsLogFacts(store: LogStore): ToolsLogFacts {
  const listing = store.lastPhaseNamed('tools/list');
  const connects = store.phases.filter((phase) => phase.name === 'connect' && phase.status === 'ok');
  return {
    listChangedSeq: store.lastNotificationSeq('notifications/tools/list_changed'),
    listingSeq: listing?.seq,
    listingRunning: listing?.status === 'started',
    firstConnectSeq: connects[0]?.seq,
    lastConnectSeq: connects.at(-1)?.seq,
  };
}

/** Listings under way, per session: a remounted view must not start a second one. */
const inFlight = new Set<string>();

function useToolsMeta(sessionId: string): ToolsListMeta {
  const queryClient = useQueryClient();
  return useQuery<ToolsListMeta>({
    queryKey: queryKeys.toolsMeta(sessionId),
    queryFn: () => queryClient.getQueryData<ToolsListMeta>(queryKeys.toolsMeta(sessionId)) ?? {},
    initialData: {},
    staleTime: Infinity,
    gcTime: Infinity,
  }).data;
}

/**
 * Keeps the cached tool list in step with the server for as long as the workspace is open, whichever tab is
 * shown (the tab's tool count included): lists again after `notifications/tools/list_changed`, fetches the
 * new connection's list after a reconnect, and remembers what changed so the Tools view can say so.
 */
export function useKeepToolsFresh(sessionId: string, store: LogStore, connected: boolean): void {
  const queryClient = useQueryClient();
  // One string, so the selector's value compares by === and a flood of other events re-renders nothing.
  const factsKey = useLogSelector(store, () => JSON.stringify(readToolsLogFacts(store)));
  const meta = useToolsMeta(sessionId);
  useEffect(() => {
    if (!connected || inFlight.has(sessionId)) return;
    const action = decideToolsFreshness(JSON.parse(factsKey) as ToolsLogFacts, meta);
    if (action.kind === 'none') return;
    inFlight.add(sessionId);
    // What the list will reflect: everything logged before it is asked for (later changes are judged again).
    const asOfSeq = store.maxSeq;
    const before = queryClient.getQueryData<ToolInfo[]>(queryKeys.tools(sessionId));
    const handled: ToolsListMeta = {
      ...meta,
      ...(action.kind === 'relist' || action.changeSeq !== undefined ? { handledChangeSeq: action.changeSeq } : {}),
      ...(action.kind === 'reload' && action.connectSeq !== undefined ? { handledConnectSeq: action.connectSeq } : {}),
    };
    const reason = action.kind === 'reload' ? action.reason : 'list_changed';
    listTools(sessionId, action.kind === 'relist')
      .then((after) => {
        queryClient.setQueryData(queryKeys.tools(sessionId), after);
        const change = diffList(before ?? [], after, (tool) => tool.name);
        // A reconnect that brought the same tools is not worth a notice; a list_changed always is.
        const keep = reason === 'reconnect' && isEmptyChange(change);
        queryClient.setQueryData<ToolsListMeta>(queryKeys.toolsMeta(sessionId), {
          ...handled,
          fetchedAtSeq: asOfSeq,
          ...(keep ? {} : { change: { ...change, reason }, dismissed: false }),
        });
      })
      .catch(() => {
        // The failed tools/list is in the log (and the refresh button shows its error); not retried by itself.
        queryClient.setQueryData<ToolsListMeta>(queryKeys.toolsMeta(sessionId), handled);
      })
      .finally(() => inFlight.delete(sessionId));
  }, [connected, factsKey, meta, queryClient, sessionId, store]);
}

/** What the latest listing after a change (or a reconnect) changed, until the person dismisses the notice. */
export function useToolsChange(sessionId: string): { change: ToolsListMeta['change']; dismiss: () => void } {
  const queryClient = useQueryClient();
  const meta = useToolsMeta(sessionId);
  const dismiss = useCallback(() => {
    queryClient.setQueryData<ToolsListMeta>(queryKeys.toolsMeta(sessionId), (current) => ({ ...current, dismissed: true }));
  }, [queryClient, sessionId]);
  return { change: meta.dismissed ? undefined : meta.change, dismiss };
}
