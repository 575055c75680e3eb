'use client';

import { classify, outcomeContext, type OutcomeContext, type Verdict } from '@/lib/trace/outcome';
import { useLogSelector } from './hooks';
import type { LogStore } from './store';
import type { ExchangeView, LogSnapshot } from './views';

const selectOutcomes = (_snapshot: LogSnapshot, store: LogStore): OutcomeContext => outcomeContext(store.phases);

/**
 * What the log's phases say about each row's outcome (an expected 404 during discovery, a probe that failed
 * on purpose): rebuilt once per flushed batch, read per row with `classify` or `exchangeVerdict`.
 */
export function useOutcomes(store: LogStore): OutcomeContext {
  return useLogSelector(store, selectOutcomes);
}

/** The verdict on one HTTP exchange (the same in the Traffic table, its detail pane and the Timeline). */
export function exchangeVerdict(exchange: ExchangeView, outcomes: OutcomeContext): Verdict {
  return classify(
    {
      kind: 'exchange',
      exchange: {
        phaseId: exchange.phaseId,
        purpose: exchange.purpose,
        status: exchange.response?.status,
        failed: Boolean(exchange.end?.error),
        aborted: exchange.end?.aborted,
      },
    },
    outcomes,
  );
}
