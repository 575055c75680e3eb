// Which events of a log a share takes: the whole log, a time window, or a set of exchanges. Each exchange
// that is taken stays readable: its request (and response headers) come along even when only part of it
// falls in the window, so the share opens in the same views without dangling rows.
import type { TraceEvent } from '../../trace';
import type { ShareRange, ShareSelection } from './types';

function inRange(t: number, range: ShareRange): boolean {
  return t >= range.from && t <= range.to;
}

function exchangeOf(e: TraceEvent): string | undefined {
  return 'exchangeId' in e ? e.exchangeId : undefined;
}

/** The events a share takes, in seq order, untouched (masking comes after). */
export function selectEvents(events: readonly TraceEvent[], selection: ShareSelection): TraceEvent[] {
  const upTo = selection.untilSeq;
  const all = upTo === undefined ? events.slice() : events.filter((e) => e.seq <= upTo);
  const { range, exchangeIds } = selection;
  if (!range && !exchangeIds) return all;

  // An exchange is taken whole when it is chosen and (with a range) it started in the window. One whose
  // request fell out of the log counts from its first event.
  const startOf = new Map<string, number>();
  for (const e of all) {
    const id = exchangeOf(e);
    if (id === undefined || e.kind === 'finding') continue;
    if (e.kind === 'http.request' || !startOf.has(id)) startOf.set(id, e.t);
  }
  const chosen = exchangeIds ? new Set(exchangeIds) : undefined;
  const whole = new Set<string>();
  for (const [id, t] of startOf) {
    if (chosen && !chosen.has(id)) continue;
    if (range && !inRange(t, range)) continue;
    whole.add(id);
  }

  const keep = new Set<number>();
  if (chosen) {
    keepChosenExchanges(all, whole, keep);
  } else if (range) {
    keepWindow(all, range, whole, keep);
  }
  return all.filter((e) => keep.has(e.seq));
}

/** Exchanges picked one by one: their events, the messages answering what they carried, their phases. */
function keepChosenExchanges(all: readonly TraceEvent[], whole: ReadonlySet<string>, keep: Set<number>): void {
  const phases = new Set<string>();
  for (const e of all) {
    const id = exchangeOf(e);
    if (id !== undefined && whole.has(id) && e.kind !== 'finding') {
      keep.add(e.seq);
      if (e.kind === 'http.request' && e.phaseId) phases.add(e.phaseId);
    }
  }
  // A request's answer may travel on another exchange (the legacy stream, the standing GET stream).
  const kept = (seq: number | undefined) => seq !== undefined && keep.has(seq);
  const answers = new Map<number, number>();
  for (const e of all) if (e.kind === 'rpc' && e.pairSeq !== undefined) answers.set(e.pairSeq, e.seq);
  for (const e of all) {
    if (e.kind !== 'rpc' || keep.has(e.seq)) continue;
    if (kept(e.pairSeq) || kept(answers.get(e.seq))) keep.add(e.seq);
  }
  // The phases the exchanges ran in, and the phases those are nested under, so the timeline has its rows.
  const parents = new Map<string, string>();
  for (const e of all) if (e.kind === 'phase' && e.parentId) parents.set(e.phaseId, e.parentId);
  for (const id of [...phases]) {
    let parent = parents.get(id);
    while (parent !== undefined && !phases.has(parent)) {
      phases.add(parent);
      parent = parents.get(parent);
    }
  }
  for (const e of all) {
    if (e.kind === 'phase' && phases.has(e.phaseId)) keep.add(e.seq);
    if (
      e.kind === 'finding' &&
      ((e.exchangeId !== undefined && whole.has(e.exchangeId)) || (e.phaseId !== undefined && phases.has(e.phaseId)))
    ) {
      keep.add(e.seq);
    }
  }
}

/** A time window: whole exchanges that started in it, everything else that happened in it, plus anchors. */
function keepWindow(all: readonly TraceEvent[], range: ShareRange, whole: ReadonlySet<string>, keep: Set<number>): void {
  const touched = new Set<string>();
  for (const e of all) {
    const id = exchangeOf(e);
    if (id !== undefined && whole.has(id)) {
      keep.add(e.seq);
    } else if (inRange(e.t, range)) {
      keep.add(e.seq);
      if (id !== undefined) touched.add(id);
    }
  }
  // Frames and messages on a stream that opened before the window need the stream's request and
  // response headers to show up as an exchange at all.
  for (const e of all) {
    if ((e.kind === 'http.request' || e.kind === 'http.response') && touched.has(e.exchangeId) && !whole.has(e.exchangeId)) keep.add(e.seq);
  }
}
