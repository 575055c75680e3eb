import type { LogStore } from './store';
import type { LogSnapshot } from './views';

/** Derives one value from a log store (its snapshot and its in-place lists). */
export type LogSelect<T> = (snapshot: LogSnapshot, store: LogStore) => T;

/**
 * A getter for useSyncExternalStore: runs `select` once per snapshot (the store's lists grow in place, a new
 * snapshot is what says they changed) and keeps the previous value while `isEqual` says nothing changed, so
 * React sees the same value and skips the render.
 */
export function selectionOf<T>(store: LogStore, select: LogSelect<T>, isEqual: (a: T, b: T) => boolean = Object.is): () => T {
  let last: { snapshot: LogSnapshot; value: T } | undefined;
  return () => {
    const snapshot = store.getSnapshot();
    if (last?.snapshot === snapshot) return last.value;
    const value = select(snapshot, store);
    last = { snapshot, value: last !== undefined && isEqual(last.value, value) ? last.value : value };
    return last.value;
  };
}

/**
 * A selector filtering one of the store's append-only lists incrementally: while the list only grew, only the
 * new items are tested, so a notification flood costs O(new) per batch. The result grows in place like the
 * store's own lists (readers re-render on the snapshot); a new selector (a new predicate) starts over.
 */
export function appendOnlyFilter<T>(list: (store: LogStore) => readonly T[], predicate: (item: T) => boolean): LogSelect<readonly T[]> {
  let source: readonly T[] | undefined;
  let scanned = 0;
  let result: T[] = [];
  return (_snapshot, store) => {
    const items = list(store);
    if (items !== source || items.length < scanned) {
      source = items;
      scanned = 0;
      result = [];
    }
    for (; scanned < items.length; scanned += 1) if (predicate(items[scanned]!)) result.push(items[scanned]!);
    return result;
  };
}
