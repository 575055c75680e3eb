'use client';

import { useLogSelector, type LogSnapshot, type LogStore } from '../log-store';
import { notificationsOf, notificationsOfKind, type NotificationItem, type NotificationKind } from './model';

/** The notifications list and its length; re-renders when messages arrive (once per flushed batch). */
export function useNotifications(store: LogStore): { items: readonly NotificationItem[]; count: number } {
  return useLogSelector(store, selectNotifications, sameRpcCount);
}

// The list grows in place: what says it changed is the number of messages the log holds.
const selectNotifications = (snapshot: LogSnapshot, store: LogStore) => {
  const items = notificationsOf(store);
  return { items, count: items.length, rpcCount: snapshot.rpcCount };
};
const sameRpcCount = (a: { rpcCount: number }, b: { rpcCount: number }) => a.rpcCount === b.rpcCount;

const selectFolded = (snapshot: LogSnapshot, store: LogStore) => ({
  total: snapshot.foldedNotifications,
  byMethod: [...store.folded.entries()].sort((a, b) => b[1] - a[1]),
});
const sameTotal = (a: { total: number }, b: { total: number }) => a.total === b.total;

/** Notifications a flood folded (counted, not kept), per method, largest first; re-renders when the total changes. */
export function useFoldedNotifications(store: LogStore): { total: number; byMethod: ReadonlyArray<[string, number]> } {
  return useLogSelector(store, selectFolded, sameTotal);
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
