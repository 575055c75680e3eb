'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useMemo, useRef, useState } from 'react';
import type { PhaseStatus } from '@/lib/trace/types';
import { useLogSnapshot, type ExchangeView, type LogStore } from '../log-store';
import { useWorkspaceNav } from '../nav';
import { Badge, EmptyState, IconAlert, Spinner, cn, formatMs, urlPath } from '../ui';
import { buildWaterfall, ticks, type WaterfallRow } from './build';

const NAME_COL = 380;
const DURATION_COL = 76;
const GRID = { gridTemplateColumns: `${NAME_COL}px ${DURATION_COL}px minmax(0, 1fr)` };
/** Row heights before measuring (a failed phase is taller: its error is shown under it). */
const PHASE_ROW = 25;
const FAILED_PHASE_ROW = 46;
const EXCHANGE_ROW = 22;

const PHASE_BAR: Record<PhaseStatus, string> = {
  ok: 'bg-ok',
  failed: 'bg-err',
  started: 'bg-accent bar-running',
  skipped: 'bg-line-strong',
};
const PHASE_DOT: Record<PhaseStatus, string> = {
  ok: 'bg-ok',
  failed: 'bg-err',
  started: 'bg-accent animate-pulse',
  skipped: 'bg-line-strong',
};

function pct(value: number, scale: number): string {
  return `${Math.max(0, Math.min(100, (value / scale) * 100))}%`;
}

function statusTone(exchange: ExchangeView): string {
  if (exchange.end?.error) return 'text-err';
  const status = exchange.response?.status;
  if (status === undefined) return 'text-muted';
  if (status >= 400) return 'text-err';
  if (status >= 300) return 'text-warn';
  return 'text-ok';
}

function Bar({ row, scaleEnd }: { row: WaterfallRow; scaleEnd: number }) {
  const left = pct(row.start, scaleEnd);
  if (row.kind === 'phase') {
    const end = row.end ?? scaleEnd;
    return (
      <div
        className={cn('absolute top-1/2 h-2.5 min-w-[3px] -translate-y-1/2 rounded-sm', PHASE_BAR[row.phase.status])}
        style={{ left, width: pct(end - row.start, scaleEnd) }}
      />
    );
  }
  const exchange = row.exchange;
  const failed = Boolean(exchange.end?.error) || (exchange.response?.status ?? 0) >= 400;
  const open = row.end === undefined;
  const end = row.end ?? scaleEnd;
  if (!exchange.response) {
    // No response at all (refused, timed out, still waiting): one bar, no TTFB split.
    return (
      <div
        className={cn(
          'absolute top-1/2 h-1.5 min-w-[2px] -translate-y-1/2 rounded-sm',
          failed ? 'bg-err' : 'bg-accent/35',
          open && 'bar-running',
        )}
        style={{ left, width: pct(end - row.start, scaleEnd) }}
        title={failed ? exchange.end?.error?.message : 'waiting for a response'}
      />
    );
  }
  const ttfbEnd = exchange.response ? Math.min(end, row.start + exchange.response.ttfbMs) : end;
  return (
    <>
      <div
        className={cn('absolute top-1/2 h-1.5 min-w-[2px] -translate-y-1/2 rounded-l-sm', failed ? 'bg-err/40' : 'bg-accent/35')}
        style={{ left, width: pct(ttfbEnd - row.start, scaleEnd) }}
        title="waiting for the first byte"
      />
      {end > ttfbEnd && (
        <div
          className={cn(
            'absolute top-1/2 h-1.5 -translate-y-1/2 rounded-r-sm',
            failed ? 'bg-err' : 'bg-accent',
            open && 'bar-running opacity-70',
          )}
          style={{ left: pct(ttfbEnd, scaleEnd), width: pct(end - ttfbEnd, scaleEnd) }}
          title={open ? 'still open' : 'receiving'}
        />
      )}
    </>
  );
}

const PhaseRow = memo(function PhaseRow({ row, scaleEnd }: { row: Extract<WaterfallRow, { kind: 'phase' }>; scaleEnd: number }) {
  const { phase } = row;
  return (
    <div
      role="row"
      data-testid={`timeline-phase-${phase.name}`}
      data-status={phase.status}
      className={cn('border-b border-line/60', phase.status === 'failed' && 'bg-err-soft/60')}
    >
      <div className="grid h-6 items-center hover:bg-hover" style={GRID}>
        <div className="flex min-w-0 items-center gap-1.5 pr-2" style={{ paddingLeft: 8 + row.depth * 16 }}>
          <span className={cn('h-2 w-2 shrink-0 rounded-full', PHASE_DOT[phase.status])} title={phase.status} />
          <span className={cn('shrink-0 font-mono text-xs font-medium', phase.status === 'failed' && 'text-err')}>
            {phase.name}
          </span>
          {phase.status === 'skipped' && <Badge className="h-4">skipped</Badge>}
          {phase.detail && (
            <span className="truncate text-xs text-muted" title={phase.detail}>
              {phase.detail}
            </span>
          )}
        </div>
        <div className="pr-2 text-right font-mono text-xs text-muted">
          {phase.status === 'started' ? <Spinner className="h-2.5 w-2.5 border-[1.5px] text-accent" label="running" /> : formatMs(phase.durationMs)}
        </div>
        <div className="relative h-full">
          <Bar row={row} scaleEnd={scaleEnd} />
        </div>
      </div>
      {phase.status === 'failed' && !row.errorShownBelow && (
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
  scaleEnd,
  onOpen,
}: {
  row: Extract<WaterfallRow, { kind: 'exchange' }>;
  scaleEnd: number;
  onOpen: (exchangeId: string, detailTab?: 'frames') => void;
}) {
  const { exchange } = row;
  const status = exchange.end?.error
    ? exchange.end.error.code
    : exchange.response
      ? String(exchange.response.status)
      : 'pending';
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
        <span className={cn('ml-auto shrink-0 font-mono text-[11px]', statusTone(exchange))}>{status}</span>
        {exchange.isEventStream && (
          <Badge tone="purple" className="h-4">
            SSE {exchange.frameCount}
          </Badge>
        )}
      </div>
      <div className="pr-2 text-right font-mono text-[11px] text-muted">
        {exchange.end ? formatMs(exchange.end.durationMs) : exchange.isEventStream ? 'open' : '…'}
      </div>
      <div className="relative h-full">
        <Bar row={row} scaleEnd={scaleEnd} />
      </div>
    </button>
  );
});

export function TimelineView({ store, live }: { store: LogStore; live: boolean }) {
  const snapshot = useLogSnapshot(store);
  const nav = useWorkspaceNav();
  const [includeUnphased, setIncludeUnphased] = useState(false);

  const waterfall = useMemo(
    () => buildWaterfall(store.phases, store.exchanges, { includeUnphased, live, now: snapshot.lastT }),
    // The store's lists grow in place; the snapshot version says when.
    [store, snapshot.version, includeUnphased, live],
  );
  const gridTicks = useMemo(() => ticks(waterfall.scaleEnd), [waterfall.scaleEnd]);
  const failed = store.phases.filter((phase) => phase.status === 'failed');
  const rows = waterfall.rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  // Thousands of exchanges once "Show later traffic" is on: only the rows in view exist in the page.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => {
      const row = rows[index]!;
      if (row.kind === 'exchange') return EXCHANGE_ROW;
      return row.phase.status === 'failed' && !row.errorShownBelow ? FAILED_PHASE_ROW : PHASE_ROW;
    },
    getItemKey: (index) => rows[index]!.key,
    // Before the scroll box is measured (the first paint, a server render), lay out a screenful of rows.
    initialRect: { width: 0, height: 800 },
    overscan: 20,
  });

  if (snapshot.phaseCount === 0 && snapshot.exchangeCount === 0) {
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
      <div className="flex h-8 shrink-0 items-center gap-3 border-b border-line bg-panel px-3 text-xs text-muted">
        <span>
          {snapshot.phaseCount} phases · {snapshot.exchangeCount} exchanges
        </span>
        {failed.length > 0 && (
          <Badge tone="err">
            {failed.length} failed step{failed.length === 1 ? '' : 's'}
          </Badge>
        )}
        <span className="flex items-center gap-2.5">
          <Legend className="bg-ok" label="ok" />
          <Legend className="bg-err" label="failed" />
          <Legend className="bg-accent bar-running" label="running" />
          <Legend className="bg-accent/35" label="waiting (TTFB)" />
          <Legend className="bg-accent" label="receiving" />
        </span>
        <label className="ml-auto inline-flex items-center gap-1.5">
          <input
            type="checkbox"
            checked={includeUnphased}
            onChange={(event) => setIncludeUnphased(event.target.checked)}
            data-testid="timeline-include-unphased"
          />
          Show later traffic ({waterfall.unphased.length})
        </label>
      </div>

      <div ref={scrollRef} className="min-h-0 flex-1 overflow-auto bg-panel" role="table" aria-label="Timeline of phases and exchanges">
        <div className="relative min-w-[900px]">
          <div className="th sticky top-0 z-20 grid h-6 items-center px-0" style={GRID} role="row">
            <div className="pl-2">Step / exchange</div>
            <div className="pr-2 text-right">Duration</div>
            <div className="relative h-full">
              {gridTicks.map((t) => (
                <span
                  key={t}
                  className="absolute top-1/2 -translate-x-1/2 -translate-y-1/2 font-mono text-[10px] font-normal"
                  style={{ left: pct(t, waterfall.scaleEnd) }}
                >
                  {formatMs(t)}
                </span>
              ))}
            </div>
          </div>
          <div className="pointer-events-none absolute inset-0 top-6 grid" style={GRID} aria-hidden>
            <div />
            <div />
            <div className="relative">
              {gridTicks.map((t) => (
                <div key={t} className="absolute top-0 bottom-0 w-px bg-line/70" style={{ left: pct(t, waterfall.scaleEnd) }} />
              ))}
            </div>
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index]!;
              return (
                <div
                  key={item.key}
                  data-index={item.index}
                  ref={virtualizer.measureElement}
                  className="absolute left-0 right-0"
                  style={{ transform: `translateY(${item.start}px)` }}
                >
                  {row.kind === 'phase' ? (
                    <PhaseRow row={row} scaleEnd={waterfall.scaleEnd} />
                  ) : (
                    <ExchangeRow row={row} scaleEnd={waterfall.scaleEnd} onOpen={nav.openExchange} />
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

function Legend({ className, label }: { className: string; label: string }) {
  return (
    <span className="inline-flex items-center gap-1">
      <span className={cn('inline-block h-2 w-3 rounded-sm', className)} />
      {label}
    </span>
  );
}

