'use client';

import { memo } from 'react';
import type { ExchangeView } from '../log-store';
import { VirtualTable, cn, formatBytes, formatMs, shortContentType, urlHost, urlPath } from '../ui';
import { describeIds, describeMethods } from '@/lib/trace/exchange-summary';
import { VERDICT_LABEL, VERDICT_REASON, isExpected, type Verdict } from '@/lib/trace/outcome';
import { STREAMS, exchangeStatusText, exchangeStatusTone } from './streams';

const ROW_HEIGHT = 24;
/**
 * Columns by the table's own width (a container query, so the detail pane beside it counts): the size and TTFB
 * columns go first, then the type; the request and its JSON-RPC summary keep the room they need.
 */
const COLUMNS =
  '[--xg:56px_minmax(0,2fr)_minmax(0,3fr)_48px_84px_56px_52px_56px] @max-[760px]:[--xg:52px_minmax(0,1fr)_minmax(0,2.5fr)_40px_80px_56px] @max-[540px]:[--xg:52px_minmax(0,1fr)_minmax(0,3fr)_36px_52px]';
const GRID = { gridTemplateColumns: 'var(--xg)' };
const HIDE_NARROW = '@max-[760px]:hidden';
const HIDE_NARROWER = '@max-[540px]:hidden';

const exchangeKey = (exchange: ExchangeView): string => exchange.exchangeId;

/** What the row says the exchange carried: methods and names, then ids. */
function RpcCell({ exchange, verdict }: { exchange: ExchangeView; verdict: Verdict }) {
  const summary = exchange.rpc;
  const methods = summary ? describeMethods(summary) : '';
  const ids = summary ? describeIds(summary) : '';
  return (
    <span className="flex min-w-0 items-center gap-1.5 overflow-hidden pr-2" data-testid="exchange-rpc">
      {exchange.streamKind && (
        <span
          className="shrink-0 rounded bg-purple-soft px-1 text-[10px] leading-4 whitespace-nowrap text-purple"
          title={`${STREAMS[exchange.streamKind].label}: ${exchange.frameCount} frames`}
          data-testid="stream-badge"
        >
          {STREAMS[exchange.streamKind].short} · {exchange.frameCount}
        </span>
      )}
      {methods && (
        <span
          className={cn('min-w-[4ch] truncate font-mono text-[11px]', summary && summary.errors > 0 && verdict === 'failed' && 'text-err')}
          data-testid="exchange-methods"
        >
          {methods}
        </span>
      )}
      {ids && (
        /* Ids give way first when the column is narrow: the method says more. */
        <span className="min-w-0 shrink-[4] truncate font-mono text-[10px] text-muted" data-testid="exchange-ids">
          {ids}
        </span>
      )}
      {isExpected(verdict) && (
        <span
          className="min-w-0 shrink-[2] truncate rounded bg-panel-2 px-1 text-[10px] leading-4 whitespace-nowrap text-muted"
          title={VERDICT_REASON[verdict]}
          data-testid="exchange-expected"
        >
          {VERDICT_LABEL[verdict]}
        </span>
      )}
    </span>
  );
}

const Row = memo(function Row({
  exchange,
  verdict,
  selected,
  onSelect,
  start,
}: {
  exchange: ExchangeView;
  verdict: Verdict;
  selected: boolean;
  onSelect: (id: string) => void;
  start: number;
}) {
  const failed = verdict === 'failed';
  const summary = exchange.rpc ? `${describeMethods(exchange.rpc)} ${describeIds(exchange.rpc)}`.trim() : '';
  return (
    <div
      role="row"
      aria-selected={selected}
      data-testid="exchange-row"
      data-exchange-id={exchange.exchangeId}
      data-stream={exchange.streamKind}
      data-verdict={verdict}
      onClick={() => onSelect(exchange.exchangeId)}
      className={cn(
        'absolute top-0 left-0 grid w-full cursor-default items-center border-b border-l-2 border-b-line/50 text-xs',
        exchange.streamKind ? STREAMS[exchange.streamKind].border : 'border-l-transparent',
        selected ? 'bg-selected' : 'hover:bg-hover',
        failed && !selected && 'bg-err-soft/50',
      )}
      style={{ ...GRID, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      title={summary ? `${summary}\n${exchange.method} ${exchange.url}` : `${exchange.method} ${exchange.url}`}
    >
      <span className="truncate pl-2 font-mono text-[11px] font-semibold text-muted">{exchange.method}</span>
      <span className="flex min-w-0 items-center gap-1.5 pr-2">
        <span className={cn('truncate font-mono text-[11px]', failed ? 'text-err' : exchange.rpc ? 'text-muted' : undefined)}>
          {urlPath(exchange.url)}
        </span>
        <span className="hidden min-w-0 shrink truncate text-[10px] text-faint 2xl:inline">{urlHost(exchange.url)}</span>
      </span>
      <RpcCell exchange={exchange} verdict={verdict} />
      <span
        className={cn('font-mono text-[11px]', failed ? 'text-err' : isExpected(verdict) ? 'text-muted' : exchangeStatusTone(exchange))}
      >
        {exchangeStatusText(exchange)}
      </span>
      <span
        className={cn('truncate pr-1 text-[11px]', HIDE_NARROWER, exchange.isEventStream ? 'text-purple' : 'text-muted')}
        title={exchange.contentType}
      >
        {shortContentType(exchange.contentType)}
      </span>
      <span className={cn('text-right font-mono text-[11px] text-muted', HIDE_NARROW)}>
        {exchange.end ? formatBytes(exchange.end.bytes) : ''}
      </span>
      <span className={cn('text-right font-mono text-[11px] text-muted', HIDE_NARROW)}>
        {exchange.response ? formatMs(exchange.response.ttfbMs) : ''}
      </span>
      <span className="pr-2 text-right font-mono text-[11px]">
        {exchange.end ? formatMs(exchange.end.durationMs) : exchange.response ? <span className="text-purple">open</span> : '…'}
      </span>
    </div>
  );
});

export function ExchangeTable({
  items,
  selectedId,
  onSelect,
  version,
  verdictOf,
}: {
  items: readonly ExchangeView[];
  /** How each exchange turned out (lib/trace/outcome): a probe's expected refusal is not a failure. */
  verdictOf: (exchange: ExchangeView) => Verdict;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Changes whenever the rows' content may have changed. */
  version: number;
}) {
  return (
    <div className="@container h-full min-h-0">
      <div className={cn('h-full min-h-0', COLUMNS)}>
        <VirtualTable
          label="HTTP exchanges"
          version={version}
          grid={GRID}
          header={
            <>
              <span className="truncate pl-2.5">Method</span>
              <span className="truncate">URL</span>
              <span className="truncate">JSON-RPC</span>
              <span className="truncate">Status</span>
              <span className={cn('truncate', HIDE_NARROWER)}>Type</span>
              <span className={cn('text-right', HIDE_NARROW)}>Size</span>
              <span className={cn('text-right', HIDE_NARROW)}>TTFB</span>
              <span className="pr-2 text-right">Time</span>
            </>
          }
          listTestId="exchange-list"
          items={items}
          rowHeight={ROW_HEIGHT}
          getKey={exchangeKey}
          selectedKey={selectedId}
          onSelect={onSelect}
          pageStep={20}
          renderRow={(exchange, start) => (
            <Row
              exchange={exchange}
              verdict={verdictOf(exchange)}
              selected={exchange.exchangeId === selectedId}
              onSelect={onSelect}
              start={start}
            />
          )}
        />
      </div>
    </div>
  );
}
