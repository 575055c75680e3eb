'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import type { ExchangeView } from '../log-store';
import { cn, formatBytes, formatMs, shortContentType, urlHost, urlPath } from '../ui';
import { STREAM_BORDER, STREAM_LABEL, exchangeStatusText, exchangeStatusTone } from './streams';

const ROW_HEIGHT = 24;
export const EXCHANGE_GRID = { gridTemplateColumns: '60px minmax(0,1fr) 64px 92px 64px 60px 64px' };

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
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  const selectedIndex = selectedId ? items.findIndex((item) => item.exchangeId === selectedId) : -1;
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
    // Only when the selection moves, not on every new row.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedId]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (items.length === 0) return;
    let next = -1;
    if (event.key === 'ArrowDown') next = Math.min(items.length - 1, selectedIndex + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, selectedIndex < 0 ? 0 : selectedIndex - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = items.length - 1;
    else if (event.key === 'PageDown') next = Math.min(items.length - 1, Math.max(0, selectedIndex) + 20);
    else if (event.key === 'PageUp') next = Math.max(0, selectedIndex - 20);
    if (next >= 0) {
      event.preventDefault();
      onSelect(items[next].exchangeId);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    }
  };

  return (
    <div className="flex h-full min-h-0 flex-col" role="table" aria-label="HTTP exchanges" data-version={version}>
      <div className="th grid h-6 shrink-0 items-center px-0" style={EXCHANGE_GRID} role="row">
        <span className="pl-2.5">Method</span>
        <span>URL</span>
        <span>Status</span>
        <span>Type</span>
        <span className="text-right">Size</span>
        <span className="text-right">TTFB</span>
        <span className="pr-2 text-right">Time</span>
      </div>
      <div
        ref={scrollRef}
        tabIndex={0}
        onKeyDown={onKeyDown}
        className="relative min-h-0 flex-1 overflow-auto bg-panel focus:outline-none focus-visible:ring-2 focus-visible:ring-accent/40 focus-visible:ring-inset"
        data-testid="exchange-list"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((virtualRow) => {
            const exchange = items[virtualRow.index];
            return (
              <Row
                key={exchange.exchangeId}
                exchange={exchange}
                selected={exchange.exchangeId === selectedId}
                onSelect={onSelect}
                start={virtualRow.start}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
