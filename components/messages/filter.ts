'use client';

import { useRef } from 'react';

/**
 * Filters an append-only list incrementally: when only new items arrived since the last render and the
 * filter is unchanged, only the new items are tested. A notification flood then costs O(new) per frame.
 */
export function useAppendOnlyFilter<T>(
  list: readonly T[],
  length: number,
  filterKey: string,
  predicate: ((item: T) => boolean) | null,
): readonly T[] {
  const cache = useRef<{ key: string; scanned: number; result: T[]; source: readonly T[] }>({
    key: '',
    scanned: 0,
    result: [],
    source: list,
  });
  if (!predicate) return list;
  const state = cache.current;
  if (state.key !== filterKey || state.source !== list || length < state.scanned) {
    cache.current = { key: filterKey, scanned: 0, result: [], source: list };
  }
  const current = cache.current;
  if (current.scanned < length) {
    // Appended in place, like the store's own lists: readers re-render on the snapshot version.
    for (let index = current.scanned; index < length; index += 1) {
      if (predicate(list[index])) current.result.push(list[index]);
    }
    current.scanned = length;
  }
  return current.result;
}
