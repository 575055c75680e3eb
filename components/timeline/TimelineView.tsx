'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import { VERDICT_LABEL, VERDICT_REASON, classify, countFailures, isExpected, type OutcomeContext, type Verdict } from '@/lib/trace/outcome';
import { exchangeVerdict, useLogSelector, useLogSnapshot, useOutcomes } from '../log-store';
import type { ExchangeView, LogSnapshot, LogStore, PhaseView } from '../log-store';
import { useWorkspaceNav } from '../nav';
import { Badge, EmptyState, IconAlert, Spinner, cn, formatMs, urlPath } from '../ui';
import { buildAppLane, type AppLaneRow } from './app-lane';
import { buildWaterfall, type WaterfallRow } from './build';
import { FULL_VIEW, axisTicks, brushView, buildAxis, fitView, inView, toX, zoomView, type AxisView, type TimeAxis } from './scale';

const NAME_COL = 380;
const DURATION_COL = 76;
const GRID = { gridTemplateColumns: `${NAME_COL}px ${DURATION_COL}px minmax(0, 1fr)` };
/** Row heights before measuring (a failed phase is taller: its error is shown under it). */
const PHASE_ROW = 25;
const FAILED_PHASE_ROW = 46;
const EXCHANGE_ROW = 22;

type TimelineRow = WaterfallRow | AppLaneRow;

const PHASE_BAR: Record<Verdict, string> = {
  ok: 'bg-ok',
  failed: 'bg-err',
  running: 'bg-accent bar-running',
  skipped: 'bg-line-strong',
  'not-supported': 'bg-line-strong',
  challenge: 'bg-line-strong',
};
const PHASE_DOT: Record<Verdict, string> = {
  ok: 'bg-ok',
  failed: 'bg-err',
  running: 'bg-accent animate-pulse',
  skipped: 'bg-line-strong',
  'not-supported': 'bg-faint',
  challenge: 'bg-faint',
};

/** Maps log times to positions in the visible window of the axis (fractions; outside 0–1 is off screen). */
interface Projection {
  axis: TimeAxis;
  view: AxisView;
}

function at(projection: Projection, t: number): number {
  return inView(projection.view, toX(projection.axis, t));
}

const percent = (fraction: number): string => `${Math.max(0, Math.min(100, fraction * 100))}%`;

/** Position and width of a bar from `start` to `end`, clipped to the view; undefined when wholly outside it. */
function place(projection: Projection, start: number, end: number): { left: string; width: string } | 'before' | 'after' {
  const x0 = at(projection, start);
  const x1 = at(projection, end);
  if (x0 > 1) return 'after';
  if (x1 < 0) return 'before';
  const left = Math.max(0, x0);
  return { left: percent(left), width: percent(Math.min(1, x1) - left) };
}

/** A mark at the chart's edge for a bar outside the zoomed window. */
function OffView({ side }: { side: 'before' | 'after' }) {
  return (
    <span
      className={cn(
        'absolute top-1/2 -translate-y-1/2 rounded bg-panel-2 px-1 text-[10px] leading-4 whitespace-nowrap text-muted',
        side === 'after' ? 'right-1' : 'left-1',
      )}
      title={
        side === 'after'
          ? 'Later than the part of the timeline shown: press All or zoom out to see it'
          : 'Earlier than the part of the timeline shown'
      }
      data-testid="timeline-off-view"
    >
      {side === 'after' ? 'later ›' : '‹ earlier'}
    </span>
  );
}

function statusTone(exchange: ExchangeView, verdict: Verdict): string {
  if (verdict === 'failed') return 'text-err';
  if (isExpected(verdict)) return 'text-muted';
  const status = exchange.response?.status;
  if (status === undefined) return 'text-muted';
  if (status >= 300) return 'text-warn';
  return 'text-ok';
}

function Bar({ row, projection, verdict }: { row: WaterfallRow; projection: Projection; verdict: Verdict }) {
  const scaleEnd = projection.axis.end;
  if (row.kind === 'phase') {
    const spot = place(projection, row.start, row.end ?? scaleEnd);
    if (typeof spot === 'string') return <OffView side={spot} />;
    return (
      <div
        className={cn('absolute top-1/2 h-2.5 min-w-[3px] -translate-y-1/2 rounded-sm', PHASE_BAR[verdict])}
        style={spot}
        data-testid="timeline-bar"
      />
    );
  }
  const exchange = row.exchange;
  const failed = verdict === 'failed';
  const expected = isExpected(verdict);
  const open = row.end === undefined;
  const end = row.end ?? scaleEnd;
  const whole = place(projection, row.start, end);
  if (typeof whole === 'string') return <OffView side={whole} />;
  if (!exchange.response) {
    // No response at all (refused, timed out, still waiting): one bar, no TTFB split.
    return (
      <div
        className={cn(
          'absolute top-1/2 h-1.5 min-w-[2px] -translate-y-1/2 rounded-sm',
          failed ? 'bg-err' : expected ? 'bg-line-strong' : 'bg-accent/35',
          open && 'bar-running',
        )}
        style={whole}
        title={failed ? exchange.end?.error?.message : 'waiting for a response'}
      />
    );
  }
  const ttfbEnd = Math.min(end, row.start + exchange.response.ttfbMs);
  const waiting = place(projection, row.start, ttfbEnd);
  const receiving = end > ttfbEnd ? place(projection, ttfbEnd, end) : undefined;
  return (
    <>
      {typeof waiting !== 'string' && (
        <div
          className={cn(
            'absolute top-1/2 h-1.5 min-w-[2px] -translate-y-1/2 rounded-l-sm',
            failed ? 'bg-err/40' : expected ? 'bg-line-strong/60' : 'bg-accent/35',
          )}
          style={waiting}
          title="waiting for the first byte"
        />
      )}
      {receiving !== undefined && typeof receiving !== 'string' && (
        <div
          className={cn(
            'absolute top-1/2 h-1.5 -translate-y-1/2 rounded-r-sm',
            failed ? 'bg-err' : expected ? 'bg-line-strong' : 'bg-accent',
            open && 'bar-running opacity-70',
          )}
          style={receiving}
          title={open ? 'still open' : 'receiving'}
        />
      )}
    </>
  );
}

const PhaseRow = memo(function PhaseRow({
  row,
  projection,
  verdict,
}: {
  row: Extract<WaterfallRow, { kind: 'phase' }>;
  projection: Projection;
  verdict: Verdict;
}) {
  const { phase } = row;
  const failed = verdict === 'failed';
  const expected = isExpected(verdict);
  return (
    <div
      role="row"
      data-testid={`timeline-phase-${phase.name}`}
      data-status={phase.status}
      data-verdict={verdict}
      className={cn('border-b border-line/60', failed && 'bg-err-soft/60')}
    >
      <div className="grid h-6 items-center hover:bg-hover" style={GRID}>
        <div className="flex min-w-0 items-center gap-1.5 pr-2" style={{ paddingLeft: 8 + row.depth * 16 }}>
          <span className={cn('h-2 w-2 shrink-0 rounded-full', PHASE_DOT[verdict])} title={VERDICT_LABEL[verdict]} />
          <span className={cn('shrink-0 font-mono text-xs font-medium', failed && 'text-err')}>{phase.name}</span>
          {phase.status === 'skipped' && <Badge className="h-4">skipped</Badge>}
          {expected && (
            <Badge className="h-4 whitespace-nowrap" title={VERDICT_REASON[verdict]} data-testid="timeline-expected">
              {VERDICT_LABEL[verdict]}
            </Badge>
          )}
          {phase.detail && (
            <span className="truncate text-xs text-muted" title={phase.detail}>
              {phase.detail}
            </span>
          )}
        </div>
        <div className="pr-2 text-right font-mono text-xs text-muted">
          {phase.status === 'started' ? (
            <Spinner className="h-2.5 w-2.5 border-[1.5px] text-accent" label="running" />
          ) : (
            formatMs(phase.durationMs)
          )}
        </div>
        <div className="relative h-full overflow-hidden">
          <Bar row={row} projection={projection} verdict={verdict} />
        </div>
      </div>
      {failed && !row.errorShownBelow && (
        <div
          className="flex gap-1.5 pb-1.5 text-[13px] text-err"
          style={{ paddingLeft: 8 + row.depth * 16 + 14 }}
          data-testid="timeline-phase-error"
        >
          <IconAlert className="mt-0.5 h-3.5 w-3.5 shrink-0" />
          <span className="min-w-0">
            <span className="text-fg">{phase.error?.message ?? `${phase.name} failed.`}</span>
            {phase.error?.code && <span className="ml-2 font-mono text-[11px]">{phase.error.code}</span>}
          </span>
        </div>
      )}
    </div>
  );
});

const ExchangeRow = memo(function ExchangeRow({
  row,
  projection,
  verdict,
  onOpen,
}: {
  row: Extract<WaterfallRow, { kind: 'exchange' }>;
  projection: Projection;
  verdict: Verdict;
  onOpen: (exchangeId: string, detailTab?: 'frames') => void;
}) {
  const { exchange } = row;
  const status = exchange.end?.error ? exchange.end.error.code : exchange.response ? String(exchange.response.status) : 'pending';
  return (
    <button
      type="button"
      role="row"
      data-testid="timeline-exchange"
      data-exchange-id={exchange.exchangeId}
      onClick={() => onOpen(exchange.exchangeId, exchange.isEventStream ? 'frames' : undefined)}
      title={`${exchange.method} ${exchange.url}\nOpen in Traffic`}
      className="grid h-[22px] w-full items-center border-b border-line/40 text-left hover:bg-hover focus-visible:bg-hover"
      style={GRID}
    >
      <div className="flex min-w-0 items-center gap-1.5 pr-2 text-xs" style={{ paddingLeft: 8 + row.depth * 16 }}>
        <span className="w-9 shrink-0 font-mono text-[11px] font-semibold text-muted">{exchange.method}</span>
        <span className="truncate font-mono text-[11px]">{urlPath(exchange.url)}</span>
        <span className={cn('ml-auto shrink-0 font-mono text-[11px]', statusTone(exchange, verdict))} data-verdict={verdict}>
          {status}
        </span>
        {exchange.isEventStream && (
          <Badge tone="purple" className="h-4">
            SSE {exchange.frameCount}
          </Badge>
        )}
      </div>
      <div className="pr-2 text-right font-mono text-[11px] text-muted">
        {exchange.end ? formatMs(exchange.end.durationMs) : exchange.isEventStream ? 'open' : '…'}
      </div>
      <div className="relative h-full overflow-hidden">
        <Bar row={row} projection={projection} verdict={verdict} />
      </div>
    </button>
  );
});

/**
 * Where the handshake ends: the first connect that succeeded (after an OAuth detour, the one that got through), with
 * the list calls made right after it. Undefined while no connect has ended.
 */
interface HandshakeSpan {
  end: number;
  durationMs: number;
}

function handshakeSpan(phases: readonly PhaseView[]): HandshakeSpan | undefined {
  const roots = phases.filter((phase) => phase.parentId === undefined);
  const connect =
    roots.find((phase) => phase.name === 'connect' && phase.status === 'ok' && phase.endT !== undefined) ??
    roots.find((phase) => phase.name === 'connect' && phase.endT !== undefined);
  if (!connect || connect.endT === undefined) return undefined;
  const durationMs = connect.endT - connect.t;
  const settle = connect.endT + Math.max(100, durationMs * 0.5);
  let end = connect.endT;
  for (const phase of roots) {
    if (phase.t >= connect.endT && phase.t <= settle && phase.endT !== undefined) end = Math.max(end, phase.endT);
  }
  return { end, durationMs };
}

const selectHandshake = (_snapshot: LogSnapshot, store: LogStore) => handshakeSpan(store.phases);
const sameHandshake = (a: HandshakeSpan | undefined, b: HandshakeSpan | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.end === b.end && a.durationMs === b.durationMs);

function rowVerdict(row: TimelineRow, outcomes: OutcomeContext): Verdict {
  if (row.kind === 'phase') return classify({ kind: 'phase', phase: row.phase }, outcomes);
  if (row.kind === 'exchange') return exchangeVerdict(row.exchange, outcomes);
  if (row.kind === 'app-message') return row.failed ? 'failed' : row.end === undefined ? 'running' : 'ok';
  return 'ok';
}

export function TimelineView({ store, live }: { store: LogStore; live: boolean }) {
  const snapshot = useLogSnapshot(store);
  const nav = useWorkspaceNav();
  const [includeUnphased, setIncludeUnphased] = useState(false);
  /** The person's zoom; null follows the default (the handshake, or everything when it fits). */
  const [chosenView, setChosenView] = useState<AxisView | null>(null);

  const selectWaterfall = useCallback(
    (log: LogSnapshot, from: LogStore) => buildWaterfall(from.phases, from.exchanges, { includeUnphased, live, now: log.lastT }),
    [includeUnphased, live],
  );
  const waterfall = useLogSelector(store, selectWaterfall);
  const outcomes = useOutcomes(store);
  // MCP Apps: the bridge of each view as its own lane under the server's rows (components/timeline/app-lane).
  const [showApps, setShowApps] = useState(true);
  const appLane = useMemo(() => buildAppLane(store.appMessages), [store, snapshot.appMessageCount]); // eslint-disable-line react-hooks/exhaustive-deps
  const appEnd = appLane.reduce((end, row) => Math.max(end, row.end ?? row.start), 0);
  const handshake = useLogSelector(store, selectHandshake, sameHandshake);
  const lane = showApps ? appLane : EMPTY_LANE;
  const axis = useMemo(
    () =>
      buildAxis([...waterfall.rows, ...lane], Math.max(waterfall.scaleEnd, lane.length > 0 ? appEnd : 0), {
        referenceMs: handshake?.durationMs ?? 0,
      }),
    [waterfall, lane, appEnd, handshake?.durationMs],
  );
  const handshakeView = useMemo(() => (handshake ? fitView(axis, 0, handshake.end) : FULL_VIEW), [axis, handshake]);
  // The handshake decides the default scale when the rest of the session would squeeze it.
  const defaultView = handshakeView.to - handshakeView.from < 0.7 ? handshakeView : FULL_VIEW;
  const view = chosenView ?? defaultView;
  const projection = useMemo<Projection>(() => ({ axis, view }), [axis, view]);
  const gridTicks = useMemo(() => axisTicks(axis, view), [axis, view]);
  const breaks = useMemo(
    () =>
      axis.pieces
        .filter((piece) => piece.kind === 'break')
        .map((piece) => ({ ...piece, left: inView(view, piece.x0), right: inView(view, piece.x1) }))
        .filter((piece) => piece.right > 0 && piece.left < 1),
    [axis, view],
  );
  const failures = countFailures(outcomes);
  const expectedCount = useMemo(() => {
    let count = 0;
    for (const verdict of outcomes.verdicts.values()) if (isExpected(verdict)) count += 1;
    return count;
  }, [outcomes]);
  const rows = useMemo<TimelineRow[]>(() => (lane.length > 0 ? [...waterfall.rows, ...lane] : waterfall.rows), [waterfall.rows, lane]);
  const verdicts = useMemo(() => rows.map((row) => rowVerdict(row, outcomes)), [rows, outcomes]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // Thousands of exchanges once "Show later traffic" is on: only the rows in view exist in the page.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => {
      const row = rows[index]!;
      if (row.kind !== 'phase') return EXCHANGE_ROW;
      return verdicts[index] === 'failed' && !row.errorShownBelow ? FAILED_PHASE_ROW : PHASE_ROW;
    },
    getItemKey: (index) => rows[index]!.key,
    // Before the scroll box is measured (the first paint, a server render), lay out a screenful of rows.
    initialRect: { width: 0, height: 800 },
    overscan: 20,
  });

  // Brushing: drag across the time axis to zoom into that stretch.
  const axisRef = useRef<HTMLDivElement>(null);
  const [brush, setBrush] = useState<{ a: number; b: number } | null>(null);
  const fractionAt = useCallback((clientX: number) => {
    const rect = axisRef.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return 0;
    return Math.max(0, Math.min(1, (clientX - rect.left) / rect.width));
  }, []);
  const onAxisPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const a = fractionAt(event.clientX);
    setBrush({ a, b: a });
  };
  const onAxisPointerMove = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (brush) setBrush({ a: brush.a, b: fractionAt(event.clientX) });
  };
  const onAxisPointerUp = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (!brush) return;
    const b = fractionAt(event.clientX);
    setBrush(null);
    const width = axisRef.current?.getBoundingClientRect().width ?? 0;
    // A click is not a brush: at least a few pixels.
    if (Math.abs(b - brush.a) * width >= 4) setChosenView(brushView(view, brush.a, b));
  };
  const zoom = (factor: number) => setChosenView(zoomView(view, factor));
  const zoomed = view.from > 0.0001 || view.to < 0.9999;

  if (snapshot.phaseCount === 0 && snapshot.exchangeCount === 0 && snapshot.appMessageCount === 0) {
    return snapshot.connection === 'connecting' || snapshot.connection === 'reconnecting' ? (
      <EmptyState title="Loading the session log…" icon={<Spinner />} />
    ) : (
      <EmptyState title="Nothing recorded yet" testId="timeline-empty">
        The handshake appears here step by step once the session starts talking to the server.
      </EmptyState>
    );
  }

  return (
    <div className="flex h-full flex-col" data-testid="timeline">
      <div className="flex min-h-8 shrink-0 flex-wrap items-center gap-x-3 gap-y-1 border-b border-line bg-panel px-3 py-1 text-xs text-muted">
        <span className="whitespace-nowrap">
          {snapshot.phaseCount} phases · {snapshot.exchangeCount} exchanges
        </span>
        {failures > 0 && (
          <Badge tone="err" data-testid="timeline-failed-count">
            {failures} failed step{failures === 1 ? '' : 's'}
          </Badge>
        )}
        {expectedCount > 0 && (
          <span
            className="whitespace-nowrap"
            data-testid="timeline-expected-count"
            title="Probes that found a feature absent, and authorization challenges: how connecting negotiates, not failures."
          >
            {expectedCount} expected answer{expectedCount === 1 ? '' : 's'}
          </span>
        )}
        <span className="flex items-center gap-2.5 whitespace-nowrap">
          <Legend className="bg-ok" label="ok" />
          <Legend className="bg-err" label="failed" />
          <Legend className="bg-line-strong" label="skipped / expected" />
          <Legend className="bg-accent bar-running" label="running" />
          <Legend className="bg-accent/35" label="waiting (TTFB)" />
          <Legend className="bg-accent" label="receiving" />
        </span>
        <span className="ml-auto flex items-center gap-1" role="group" aria-label="Time scale">
          <ScaleButton
            onClick={() => setChosenView(handshakeView)}
            pressed={chosenView === null ? defaultView === handshakeView && handshake !== undefined : chosenView === handshakeView}
            disabled={!handshake}
            testId="timeline-fit-handshake"
            title="Scale the chart to the handshake"
          >
            Handshake
          </ScaleButton>
          <ScaleButton
            onClick={() => setChosenView(FULL_VIEW)}
            pressed={!zoomed}
            testId="timeline-fit-all"
            title="Show the whole session (idle stretches are collapsed)"
          >
            All
          </ScaleButton>
          <ScaleButton onClick={() => zoom(0.5)} disabled={!zoomed} testId="timeline-zoom-out" title="Zoom out">
            −
          </ScaleButton>
          <ScaleButton onClick={() => zoom(2)} testId="timeline-zoom-in" title="Zoom in (or drag across the time axis)">
            +
          </ScaleButton>
        </span>
        <label className="inline-flex items-center gap-1.5 whitespace-nowrap">
          <input
            type="checkbox"
            checked={includeUnphased}
            onChange={(event) => {
              setIncludeUnphased(event.target.checked);
              setChosenView(null);
            }}
            data-testid="timeline-include-unphased"
          />
          Show later traffic ({waterfall.unphased.length})
        </label>
        {snapshot.appMessageCount > 0 && (
          <label className="inline-flex items-center gap-1.5 whitespace-nowrap" title="MCP App views: host ↔ view messages (postMessage)">
            <input
              type="checkbox"
              checked={showApps}
              onChange={(event) => {
                setShowApps(event.target.checked);
                setChosenView(null);
              }}
              data-testid="timeline-include-apps"
            />
            App bridge ({snapshot.appMessageCount})
          </label>
        )}
      </div>

      <div ref={scrollRef} className="min-h-0 flex-1 overflow-auto bg-panel" role="table" aria-label="Timeline of phases and exchanges">
        <div className="relative min-w-[900px]">
          <div className="th sticky top-0 z-20 grid h-6 items-center px-0" style={GRID} role="row">
            <div className="pl-2">Step / exchange</div>
            <div className="pr-2 text-right">Duration</div>
            <div
              ref={axisRef}
              className="relative h-full cursor-crosshair touch-none overflow-hidden select-none"
              onPointerDown={onAxisPointerDown}
              onPointerMove={onAxisPointerMove}
              onPointerUp={onAxisPointerUp}
              onPointerCancel={() => setBrush(null)}
              onDoubleClick={() => setChosenView(null)}
              title="Drag across the axis to zoom into that stretch; double-click for the default scale"
              data-testid="timeline-axis"
              data-view={`${view.from.toFixed(4)}-${view.to.toFixed(4)}`}
            >
              {gridTicks.map((tick) => (
                <span
                  key={tick.t}
                  className="absolute top-1/2 -translate-x-1/2 -translate-y-1/2 font-mono text-[10px] font-normal whitespace-nowrap"
                  style={{ left: percent(tick.x) }}
                  data-testid="timeline-tick"
                >
                  {formatMs(tick.t)}
                </span>
              ))}
              {breaks.map((piece) => (
                <span
                  key={piece.from}
                  className="absolute top-0 bottom-0 z-10 flex items-center justify-center overflow-hidden border-x border-line-strong bg-panel-2 font-mono text-[10px] font-normal whitespace-nowrap text-muted"
                  style={{ left: percent(piece.left), width: percent(Math.min(1, piece.right) - Math.max(0, piece.left)) }}
                  title={`Nothing happened for ${formatMs(piece.to - piece.from)} (${formatMs(piece.from)} → ${formatMs(piece.to)}): collapsed`}
                  data-testid="timeline-break"
                  data-duration={Math.round(piece.to - piece.from)}
                >
                  <span className="truncate px-0.5">{formatMs(piece.to - piece.from)}</span>
                </span>
              ))}
              {brush && (
                <span
                  className="absolute top-0 bottom-0 bg-accent/25 ring-1 ring-accent/60"
                  style={{ left: percent(Math.min(brush.a, brush.b)), width: percent(Math.abs(brush.b - brush.a)) }}
                />
              )}
            </div>
          </div>
          <div className="pointer-events-none absolute inset-0 top-6 grid" style={GRID} aria-hidden>
            <div />
            <div />
            <div className="relative overflow-hidden">
              {gridTicks.map((tick) => (
                <div key={tick.t} className="absolute top-0 bottom-0 w-px bg-line/70" style={{ left: percent(tick.x) }} />
              ))}
              {breaks.map((piece) => (
                <div
                  key={piece.from}
                  className="absolute top-0 bottom-0 z-10 opacity-80"
                  style={{
                    left: percent(piece.left),
                    width: percent(Math.min(1, piece.right) - Math.max(0, piece.left)),
                    backgroundImage: 'repeating-linear-gradient(135deg, var(--line) 0 1px, transparent 1px 6px)',
                  }}
                />
              ))}
            </div>
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index]!;
              const verdict = verdicts[item.index]!;
              return (
                <div
                  key={item.key}
                  data-index={item.index}
                  ref={virtualizer.measureElement}
                  className="absolute left-0 right-0"
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  {row.kind === 'phase' ? (
                    <PhaseRow row={row} projection={projection} verdict={verdict} />
                  ) : row.kind === 'exchange' ? (
                    <ExchangeRow row={row} projection={projection} verdict={verdict} onOpen={nav.openExchange} />
                  ) : (
                    <AppLaneRowView row={row} projection={projection} verdict={verdict} onOpen={nav.openMessage} />
                  )}
                </div>
              );
            })}
          </div>
          {waterfall.rows.length === 0 && (
            <div className="px-3 py-4 text-xs text-muted">No phases recorded; tick “Show later traffic” to see the exchanges.</div>
          )}
        </div>
      </div>
    </div>
  );
}

const EMPTY_LANE: AppLaneRow[] = [];

/** A row of the App bridge lane: a view (its span), or one request (a bar to its answer) or run of notifications. */
const AppLaneRowView = memo(function AppLaneRowView({
  row,
  projection,
  verdict,
  onOpen,
}: {
  row: AppLaneRow;
  projection: Projection;
  verdict: Verdict;
  onOpen: (seq: number) => void;
}) {
  const scaleEnd = projection.axis.end;
  if (row.kind === 'app-view') {
    const spot = place(projection, row.start, Math.max(row.end, row.start));
    return (
      <div
        role="row"
        className="grid h-[22px] items-center border-b border-line/60 bg-panel-2/60"
        style={GRID}
        data-testid="timeline-app-view"
        data-view-id={row.viewId}
      >
        <div className="flex min-w-0 items-center gap-1.5 pr-2 pl-2 text-xs">
          <Badge tone="purple" className="h-4">
            app
          </Badge>
          <span className="truncate font-mono text-[11px]" title={row.resourceUri}>
            {row.resourceUri}
          </span>
          <span className="ml-auto shrink-0 text-[11px] text-muted">{row.messages} msgs</span>
        </div>
        <div className="pr-2 text-right font-mono text-[11px] text-muted">{formatMs(row.end - row.start)}</div>
        <div className="relative h-full overflow-hidden">
          {typeof spot === 'string' ? (
            <OffView side={spot} />
          ) : (
            <div className="absolute top-1/2 h-1 min-w-[3px] -translate-y-1/2 rounded-sm bg-purple/40" style={spot} />
          )}
        </div>
      </div>
    );
  }
  const request = row.type === 'request';
  const end = row.end ?? scaleEnd;
  const spot = request ? place(projection, row.start, end) : place(projection, row.start, Math.max(row.start, row.end ?? row.start));
  return (
    <button
      type="button"
      role="row"
      data-testid="timeline-app-message"
      data-method={row.method}
      data-seq={row.seq}
      onClick={() => onOpen(row.seq)}
      title={`${row.direction === 'in' ? 'view → mcpscope' : 'mcpscope → view'}: ${row.method}\nOpen in Messages`}
      className="grid h-[22px] w-full items-center border-b border-line/40 text-left hover:bg-hover focus-visible:bg-hover"
      style={GRID}
    >
      <div className="flex min-w-0 items-center gap-1.5 pr-2 text-xs" style={{ paddingLeft: 24 }}>
        <span
          className="w-4 shrink-0 font-mono text-[11px] text-muted"
          aria-label={row.direction === 'in' ? 'from the view' : 'to the view'}
        >
          {row.direction === 'in' ? '←' : '→'}
        </span>
        <span className={cn('truncate font-mono text-[11px]', verdict === 'failed' && 'text-err')}>{row.method}</span>
        {row.count > 1 && <span className="shrink-0 font-mono text-[10px] text-muted">×{row.count}</span>}
      </div>
      <div className="pr-2 text-right font-mono text-[11px] text-muted">
        {request ? (row.end !== undefined ? formatMs(row.end - row.start) : '…') : ''}
      </div>
      <div className="relative h-full overflow-hidden">
        {typeof spot === 'string' ? (
          <OffView side={spot} />
        ) : request ? (
          <div
            className={cn(
              'absolute top-1/2 h-1.5 min-w-[2px] -translate-y-1/2 rounded-sm',
              verdict === 'failed' ? 'bg-err' : 'bg-purple',
              row.end === undefined && 'bar-running',
            )}
            style={spot}
          />
        ) : (
          <div className="absolute top-1/2 h-2 min-w-[4px] -translate-y-1/2 rounded-full bg-purple/60" style={spot} />
        )}
      </div>
    </button>
  );
});

function ScaleButton({
  onClick,
  pressed,
  disabled,
  testId,
  title,
  children,
}: {
  onClick: () => void;
  pressed?: boolean;
  disabled?: boolean;
  testId: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      aria-pressed={pressed}
      title={title}
      data-testid={testId}
      className={cn(
        'h-6 min-w-6 rounded px-1.5 text-xs disabled:opacity-40',
        pressed ? 'bg-accent-soft font-medium text-accent' : 'text-muted hover:bg-hover hover:text-fg',
      )}
    >
      {children}
    </button>
  );
}

function Legend({ className, label }: { className: string; label: string }) {
  return (
    <span className="inline-flex items-center gap-1">
      <span className={cn('inline-block h-2 w-3 rounded-sm', className)} />
      {label}
    </span>
  );
}
