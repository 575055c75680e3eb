'use client';

import { useCallback, useState, type Dispatch, type SetStateAction } from 'react';

// Views unmount when their tab is not shown; state that should survive a tab switch (a selection, a
// form's values) lives here, per session and key, for as long as the page is open.
const sticky = new Map<string, unknown>();

/** `useState` whose value outlives the component, keyed by `scope` (e.g. the session id) and `key`. */
export function useStickyState<T>(scope: string, key: string, initial: T | (() => T)): [T, Dispatch<SetStateAction<T>>] {
  const storageKey = `${scope}\u0000${key}`;
  const [value, setValue] = useState<T>(() => {
    if (sticky.has(storageKey)) return sticky.get(storageKey) as T;
    return typeof initial === 'function' ? (initial as () => T)() : initial;
  });
  const set = useCallback<Dispatch<SetStateAction<T>>>(
    (next) => {
      // A plain value is kept at once: the updater below runs only if this component renders again, and a setter
      // called just before its view unmounts (a switch to another tab) must still be heard by the next one.
      if (typeof next !== 'function') sticky.set(storageKey, next);
      setValue((current) => {
        const resolved = typeof next === 'function' ? (next as (previous: T) => T)(current) : next;
        sticky.set(storageKey, resolved);
        return resolved;
      });
    },
    [storageKey],
  );
  return [value, set];
}
