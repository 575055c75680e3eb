'use client';

import { memo } from 'react';
import type { ExchangeView } from '../log-store';
import { VirtualTable, cn, formatBytes, formatMs, shortContentType, urlHost, urlPath } from '../ui';
import { STREAM_BORDER, STREAM_LABEL, exchangeStatusText, exchangeStatusTone } from './streams';

const ROW_HEIGHT = 24;
export const EXCHANGE_GRID = { gridTemplateColumns: '60px minmax(0,1fr) 64px 92px 64px 60px 64px' };

const exchangeKey = (exchange: ExchangeView): string => exchange.exchangeId;

const Row = memo(function Row({
  exchange,
  selected,
  onSelect,
  start,
}: {
  exchange: ExchangeView;
  selected: boolean;
  onSelect: (id: string) => void;
  start: number;
}) {
  const failed = Boolean(exchange.end?.error && !exchange.end.aborted) || (exchange.response?.status ?? 0) >= 400;
  return (
    <div
      role="row"
      aria-selected={selected}
      data-testid="exchange-row"
      data-exchange-id={exchange.exchangeId}
      data-stream={exchange.streamKind}
      onClick={() => onSelect(exchange.exchangeId)}
      className={cn(
        'absolute top-0 left-0 grid w-full cursor-default items-center border-b border-l-2 border-b-line/50 text-xs',
        exchange.streamKind ? STREAM_BORDER[exchange.streamKind] : 'border-l-transparent',
        selected ? 'bg-selected' : 'hover:bg-hover',
        failed && !selected && 'bg-err-soft/50',
      )}
      style={{ ...EXCHANGE_GRID, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      title={exchange.url}
    >
      <span className="truncate pl-2 font-mono text-[11px] font-semibold text-muted">{exchange.method}</span>
      <span className="flex min-w-0 items-center gap-1.5 pr-2">
        <span className={cn('truncate font-mono text-[11px]', failed && 'text-err')}>{urlPath(exchange.url)}</span>
        {exchange.streamKind && (
          <span
            className="shrink-0 rounded bg-purple-soft px-1 text-[10px] leading-4 text-purple"
            title={`${STREAM_LABEL[exchange.streamKind]}: ${exchange.frameCount} frames`}
            data-testid="stream-badge"
          >
            {STREAM_LABEL[exchange.streamKind]} · {exchange.frameCount}
          </span>
        )}
        <span className="hidden min-w-0 shrink truncate text-[10px] text-faint xl:inline">{urlHost(exchange.url)}</span>
      </span>
      <span className={cn('font-mono text-[11px]', exchangeStatusTone(exchange))}>{exchangeStatusText(exchange)}</span>
      <span className={cn('truncate pr-1 text-[11px]', exchange.isEventStream ? 'text-purple' : 'text-muted')} title={exchange.contentType}>
        {shortContentType(exchange.contentType)}
      </span>
      <span className="text-right font-mono text-[11px] text-muted">{exchange.end ? formatBytes(exchange.end.bytes) : ''}</span>
      <span className="text-right font-mono text-[11px] text-muted">
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
}: {
  items: readonly ExchangeView[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Changes whenever the rows' content may have changed. */
  version: number;
}) {
  return (
    <VirtualTable
      label="HTTP exchanges"
      version={version}
      grid={EXCHANGE_GRID}
      header={
        <>
          <span className="pl-2.5">Method</span>
          <span>URL</span>
          <span>Status</span>
          <span>Type</span>
          <span className="text-right">Size</span>
          <span className="text-right">TTFB</span>
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
        <Row exchange={exchange} selected={exchange.exchangeId === selectedId} onSelect={onSelect} start={start} />
      )}
    />
  );
}
