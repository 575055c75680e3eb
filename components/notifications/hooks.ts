'use client';

import { useMemo } from 'react';
import { useLogSelector, type LogStore } from '../log-store';
import { notificationsOf, notificationsOfKind, type NotificationItem, type NotificationKind } from './model';

/** The notifications list and its length; re-renders when messages arrive (once per flushed batch). */
export function useNotifications(store: LogStore): { items: readonly NotificationItem[]; count: number } {
  const rpcCount = useLogSelector(store, (snapshot) => snapshot.rpcCount);
  const items = notificationsOf(store);
  void rpcCount;
  return { items, count: items.length };
}

/** Notifications a flood folded (counted, not kept), per method, largest first; re-renders when the total changes. */
export function useFoldedNotifications(store: LogStore): { total: number; byMethod: ReadonlyArray<[string, number]> } {
  const total = useLogSelector(store, (snapshot) => snapshot.foldedNotifications);
  const byMethod = useMemo(() => [...store.folded.entries()].sort((a, b) => b[1] - a[1]), [store, total]);
  return { total, byMethod };
}

/** How many notifications of one method arrived; re-renders only when that number changes. */
export function useNotificationCount(store: LogStore, method: string): number {
  return useLogSelector(store, () => store.methods.get(method) ?? 0);
}

/** The newest notification of a kind matching `match`, re-rendering only when a newer one arrives. */
export function useLatestNotification(
  store: LogStore,
  kind: NotificationKind,
  match: (item: NotificationItem) => boolean,
): NotificationItem | undefined {
  return useLogSelector(store, () => {
    const items = notificationsOfKind(store, kind);
    for (let i = items.length - 1; i >= 0; i--) if (match(items[i]!)) return items[i];
    return undefined;
  });
}
