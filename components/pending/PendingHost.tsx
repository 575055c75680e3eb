'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { listPending, queryKeys, type PendingRequest } from '../api';
import { useLogSelector, type LogStore } from '../log-store';
import { PendingDrawer } from './PendingDrawer';

export interface UrlWait {
  elicitationId: string;
  url: string;
  message?: string;
  acceptedAt: number;
}

interface PendingContextValue {
  sessionId: string;
  store: LogStore;
  pending: readonly PendingRequest[];
  timeoutMs: number | undefined;
  open: boolean;
  setOpen: (open: boolean) => void;
  /** URL-mode elicitations the person accepted, waiting for `notifications/elicitation/complete`. */
  urlWaits: readonly UrlWait[];
  addUrlWait: (wait: UrlWait) => void;
  dismissUrlWait: (elicitationId: string) => void;
  refresh: () => void;
}

const PendingContext = createContext<PendingContextValue | null>(null);

/** The pending panel's state, or null outside a live workspace (e.g. a shared, read-only log). */
export function usePendingContext(): PendingContextValue | null {
  return useContext(PendingContext);
}

/**
 * Signature of the "server asks" phases in the log: each request the server sends (and each answer)
 * changes it, which is when the pending list is fetched again. No polling while nothing happens.
 */
function serverAskSignature(store: LogStore): string {
  let started = 0;
  let closed = 0;
  for (const phase of store.phases) {
    if (!phase.name.startsWith('server asks: ')) continue;
    if (phase.status === 'started') started++;
    else closed++;
  }
  return `${started}:${closed}`;
}

/**
 * Holds the server's pending requests for one live session and renders the panel that answers them.
 * The panel opens by itself when a new request arrives; the badge in the tab bar toggles it.
 */
export function PendingHost({
  sessionId,
  store,
  live,
  children,
}: {
  sessionId: string;
  store: LogStore;
  live: boolean;
  children: ReactNode;
}) {
  const queryClient = useQueryClient();
  const signature = useLogSelector(store, () => serverAskSignature(store));
  const openAsks = Number(signature.split(':')[0]);
  const query = useQuery({
    queryKey: queryKeys.pending(sessionId),
    queryFn: () => listPending(sessionId),
    enabled: live,
    // The log drives refreshes; the interval covers a stalled events stream, and the moment between a server's
    // request reaching the log and reaching the pending list (a fetch in between sees the log ahead of the list):
    // while the log shows more open asks than the list holds, look again soon.
    refetchInterval: (current) => (!live ? false : (current.state.data?.pending.length ?? 0) < openAsks ? 500 : 15_000),
    retry: false,
  });
  const { refetch } = query;
  useEffect(() => {
    if (live) void refetch();
  }, [signature, live, refetch]);

  const pending = useMemo(() => query.data?.pending ?? [], [query.data]);
  const [open, setOpen] = useState(false);
  const [urlWaits, setUrlWaits] = useState<UrlWait[]>([]);
  // A request not seen before opens the panel; once the last request is answered (and the last URL flow
  // dismissed) it gets out of the way. Adjusted while rendering, so the panel opens with the request.
  const [seen, setSeen] = useState<ReadonlySet<string>>(() => new Set());
  const fresh = pending.filter((entry) => !seen.has(entry.requestId));
  if (fresh.length > 0) {
    setSeen(new Set([...seen, ...fresh.map((entry) => entry.requestId)]));
    setOpen(true);
  }
  const count = pending.length + urlWaits.length;
  const [previousCount, setPreviousCount] = useState(0);
  if (count !== previousCount) {
    setPreviousCount(count);
    if (previousCount > 0 && count === 0) setOpen(false);
  }
  const addUrlWait = useCallback(
    (wait: UrlWait) => setUrlWaits((current) => [...current.filter((item) => item.elicitationId !== wait.elicitationId), wait]),
    [],
  );
  const dismissUrlWait = useCallback((id: string) => setUrlWaits((current) => current.filter((item) => item.elicitationId !== id)), []);
  const refresh = useCallback(
    () => void queryClient.invalidateQueries({ queryKey: queryKeys.pending(sessionId) }),
    [queryClient, sessionId],
  );

  const value = useMemo<PendingContextValue>(
    () => ({ sessionId, store, pending, timeoutMs: query.data?.timeoutMs, open, setOpen, urlWaits, addUrlWait, dismissUrlWait, refresh }),
    [sessionId, store, pending, query.data?.timeoutMs, open, urlWaits, addUrlWait, dismissUrlWait, refresh],
  );
  return (
    <PendingContext.Provider value={value}>
      {/* While open, the panel takes its own column from 1024 px up (globals.css): it never covers the tool's
          Call button or the result it relates to. Below that it is the one pane shown. */}
      <div className={open ? 'pending-docked' : undefined}>{children}</div>
      {open && <PendingDrawer />}
    </PendingContext.Provider>
  );
}
