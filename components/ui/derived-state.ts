'use client';

import { useCallback, useState, type Dispatch, type SetStateAction } from 'react';

/**
 * State a person edits that starts from `source` and starts over whenever `source` changes (by Object.is):
 * a form filled in from the server's answer, reset when a new answer arrives. It is React's "adjust state
 * while rendering" pattern (https://react.dev/learn/you-might-not-need-an-effect), so the new value shows in
 * the same render instead of one frame later through an effect. `init` gets the value before the reset, for
 * sources that sometimes have nothing to say (keep what was there).
 */
export function useDerivedState<S, T>(source: S, init: (source: S, previous: T | undefined) => T): [T, Dispatch<SetStateAction<T>>] {
  const [state, setState] = useState(() => ({ source, value: init(source, undefined) }));
  let current = state;
  if (!Object.is(state.source, source)) {
    current = { source, value: init(source, state.value) };
    setState(current);
  }
  const set = useCallback<Dispatch<SetStateAction<T>>>(
    (next) =>
      setState((previous) => ({
        source: previous.source,
        value: typeof next === 'function' ? (next as (value: T) => T)(previous.value) : next,
      })),
    [],
  );
  return [current.value, set];
}
