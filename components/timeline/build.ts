// Turns phases and exchanges into the rows of a waterfall: a depth-first walk of the phase tree with each
// phase's exchanges and child phases interleaved by start time. Pure.
import type { ExchangeView, PhaseView } from '../log-store';

export type WaterfallRow =
  | {
      kind: 'phase';
      key: string;
      depth: number;
      start: number;
      end: number | undefined;
      phase: PhaseView;
      /** A failed child phase states the same error, so this row need not repeat it. */
      errorShownBelow: boolean;
    }
  | { kind: 'exchange'; key: string; depth: number; start: number; end: number | undefined; exchange: ExchangeView };

export interface Waterfall {
  rows: WaterfallRow[];
  /** The time the right edge of the chart stands for (ms since the log started). */
  scaleEnd: number;
  /** Exchanges that belong to no phase (e.g. tool calls after the handshake). */
  unphased: ExchangeView[];
}

function exchangeEnd(exchange: ExchangeView): number | undefined {
  return exchange.end ? exchange.t + exchange.end.durationMs : undefined;
}

export function buildWaterfall(
  phases: readonly PhaseView[],
  exchanges: readonly ExchangeView[],
  options: { includeUnphased: boolean; live: boolean; now: number },
): Waterfall {
  const known = new Set(phases.map((phase) => phase.phaseId));
  const childPhases = new Map<string | undefined, PhaseView[]>();
  for (const phase of phases) {
    const parent = phase.parentId && known.has(phase.parentId) ? phase.parentId : undefined;
    const list = childPhases.get(parent) ?? [];
    list.push(phase);
    childPhases.set(parent, list);
  }
  const phaseExchanges = new Map<string, ExchangeView[]>();
  const unphased: ExchangeView[] = [];
  for (const exchange of exchanges) {
    if (exchange.phaseId && known.has(exchange.phaseId)) {
      const list = phaseExchanges.get(exchange.phaseId) ?? [];
      list.push(exchange);
      phaseExchanges.set(exchange.phaseId, list);
    } else {
      unphased.push(exchange);
    }
  }

  const rows: WaterfallRow[] = [];
  const visit = (phase: PhaseView, depth: number, seen: Set<string>) => {
    if (seen.has(phase.phaseId)) return; // a parent cycle in a corrupt log must not hang the page
    seen.add(phase.phaseId);
    const errorShownBelow =
      phase.status === 'failed' &&
      (childPhases.get(phase.phaseId) ?? []).some((child) => child.status === 'failed' && child.error?.message === phase.error?.message);
    rows.push({ kind: 'phase', key: `p:${phase.phaseId}`, depth, start: phase.t, end: phase.endT, phase, errorShownBelow });
    type Item = { t: number; seq: number; phase?: PhaseView; exchange?: ExchangeView };
    const items: Item[] = [
      ...(childPhases.get(phase.phaseId) ?? []).map((child) => ({ t: child.t, seq: child.seq, phase: child })),
      ...(phaseExchanges.get(phase.phaseId) ?? []).map((exchange) => ({
        t: exchange.t,
        seq: exchange.requestSeq,
        exchange,
      })),
    ].sort((a, b) => a.t - b.t || a.seq - b.seq);
    for (const item of items) {
      if (item.phase) visit(item.phase, depth + 1, seen);
      else if (item.exchange) {
        rows.push({
          kind: 'exchange',
          key: `x:${item.exchange.exchangeId}`,
          depth: depth + 1,
          start: item.exchange.t,
          end: exchangeEnd(item.exchange),
          exchange: item.exchange,
        });
      }
    }
  };
  const seen = new Set<string>();
  for (const root of [...(childPhases.get(undefined) ?? [])].sort((a, b) => a.t - b.t || a.seq - b.seq)) {
    visit(root, 0, seen);
  }
  if (options.includeUnphased) {
    for (const exchange of unphased) {
      rows.push({
        kind: 'exchange',
        key: `x:${exchange.exchangeId}`,
        depth: 0,
        start: exchange.t,
        end: exchangeEnd(exchange),
        exchange,
      });
    }
  }

  // Open-ended rows (a standing GET stream) would stretch the chart forever; they are drawn to the edge
  // instead, and only a session still connecting lets "now" set the scale.
  let scaleEnd = options.live ? options.now : 0;
  for (const row of rows) scaleEnd = Math.max(scaleEnd, row.end ?? row.start);
  return { rows, scaleEnd: Math.max(scaleEnd, 1), unphased };
}
