'use client';

import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { SessionSummary } from '@/lib/contract';
import type { TraceEvent } from '@/lib/trace/types';
import { eventsUrl } from '../api';
import { selectionOf, type LogSelect } from './selection';
import { LogStore } from './store';
import type { LogSnapshot, ProgressInfo } from './views';

/**
 * Opens the session's events stream and feeds a LogStore for as long as the calling component lives.
 * EventSource resumes with Last-Event-ID by itself; the store drops replayed seqs, so a reconnect or a
 * StrictMode double effect never duplicates rows.
 */
export function useSessionLog(sessionId: string, onSummary?: (summary: SessionSummary) => void): LogStore {
  const [store] = useState(() => new LogStore(sessionId));

  useEffect(() => {
    if (!onSummary) return;
    return store.onSummary(onSummary);
  }, [store, onSummary]);

  useEffect(() => {
    const source = new EventSource(eventsUrl(sessionId, store.maxSeq));
    store.setConnection('connecting');
    source.addEventListener('open', () => store.setConnection('open'));
    source.addEventListener('trace', (message) => {
      try {
        store.push(JSON.parse((message as MessageEvent<string>).data) as TraceEvent);
      } catch {
        // A malformed frame is skipped; the downloadable log still has everything.
      }
    });
    source.addEventListener('summary', (message) => {
      try {
        store.setSummary(JSON.parse((message as MessageEvent<string>).data) as SessionSummary);
      } catch {
        // Ignored for the same reason as above.
      }
    });
    source.addEventListener('error', () => {
      const ended = store.summary?.state === 'closed' || store.summary?.state === 'failed';
      if (source.readyState === EventSource.CLOSED || ended) {
        // A finished session has nothing more to say: stop the browser from retrying forever.
        source.close();
        store.setConnection('closed');
      } else {
        store.setConnection('reconnecting');
      }
    });
    return () => source.close();
  }, [sessionId, store]);

  return store;
}

/** A store over a fixed list of events (read-only views: imported files, shared links); rebuilt when the list changes. */
export function useStaticLog(id: string, events: readonly TraceEvent[]): LogStore {
  return useMemo(() => LogStore.fromEvents(id, events), [id, events]);
}

/** Re-renders the caller once per flushed batch. */
export function useLogSnapshot(store: LogStore): LogSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

/**
 * One value derived from the log: `select` runs once per flushed batch and the caller re-renders only when the
 * value changes by `isEqual` (=== unless given). Small facts (a count, the connection state) keep a flood from
 * re-rendering big views; derived lists (a filtered table, the outcome context) are rebuilt per batch instead of
 * being memoised on a version number. Pass a stable `select` (module-level or useCallback) for costly work: a
 * new one is a new selection.
 */
export function useLogSelector<T>(store: LogStore, select: LogSelect<T>, isEqual?: (a: T, b: T) => boolean): T {
  const get = useMemo(() => selectionOf(store, select, isEqual), [store, select, isEqual]);
  return useSyncExternalStore(store.subscribe, get, get);
}

/** Live progress for one progress token (re-renders only when that token's progress changes). */
export function useProgress(store: LogStore, token: string | number | undefined): ProgressInfo | undefined {
  const get = () => (token === undefined ? undefined : store.progressFor(token));
  return useSyncExternalStore(store.subscribe, get, get);
}
