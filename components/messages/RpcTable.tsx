'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import type { RpcEvent } from '@/lib/trace/types';
import { cn, formatBytes, formatMs, formatOffset } from '../ui';
import { rpcErrorName } from './rpc-errors';

const ROW_HEIGHT = 24;
const GRID = { gridTemplateColumns: '56px 28px 86px minmax(0,1fr) 84px 70px 64px 76px' };

const TYPE_STYLE: Record<RpcEvent['type'], string> = {
  request: 'text-accent',
  notification: 'text-muted',
  result: 'text-ok',
  error: 'text-err',
};

function errorCode(event: RpcEvent): number | undefined {
  const message = event.message as { error?: { code?: unknown } } | undefined;
  return typeof message?.error?.code === 'number' ? message.error.code : undefined;
}

const Row = memo(function Row({
  event,
  selected,
  paired,
  onSelect,
  start,
}: {
  event: RpcEvent;
  selected: boolean;
  paired: boolean;
  onSelect: (seq: number) => void;
  start: number;
}) {
  const code = event.type === 'error' ? errorCode(event) : undefined;
  return (
    <div
      role="row"
      aria-selected={selected}
      data-testid="rpc-row"
      data-seq={event.seq}
      data-direction={event.direction}
      data-type={event.type}
      data-method={event.method ?? ''}
      onClick={() => onSelect(event.seq)}
      className={cn(
        'absolute top-0 left-0 grid w-full cursor-default items-center border-b border-line/50 text-xs',
        selected ? 'bg-selected' : paired ? 'bg-accent-soft' : 'hover:bg-hover',
      )}
      style={{ ...GRID, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
    >
      <span className="pl-2 font-mono text-[11px] text-faint">{event.seq}</span>
      <span
        className={cn('text-center font-mono text-sm leading-none', event.direction === 'out' ? 'text-accent' : 'text-ok')}
        title={event.direction === 'out' ? 'Sent to the server' : 'Received from the server'}
        aria-label={event.direction === 'out' ? 'sent' : 'received'}
      >
        {event.direction === 'out' ? '→' : '←'}
      </span>
      <span className={cn('text-[11px]', TYPE_STYLE[event.type])}>{event.type}</span>
      <span className="flex min-w-0 items-center gap-1.5 pr-2">
        <span className={cn('truncate font-mono text-[11px]', event.type === 'error' && 'text-err')}>
          {event.method ?? <span className="text-faint">(unknown method)</span>}
        </span>
        {code !== undefined && (
          <span className="shrink-0 truncate text-[11px] text-err" title={`${code} ${rpcErrorName(code)}`}>
            {code} {rpcErrorName(code)}
          </span>
        )}
      </span>
      <span className="truncate font-mono text-[11px] text-muted">{event.id ?? ''}</span>
      <span className="text-right font-mono text-[11px]">{event.latencyMs !== undefined ? formatMs(event.latencyMs) : ''}</span>
      <span className="text-right font-mono text-[11px] text-muted">{formatBytes(event.size)}</span>
      <span className="pr-2 text-right font-mono text-[11px] text-faint">{formatOffset(event.t)}</span>
    </div>
  );
});

export function RpcTable({
  items,
  selectedSeq,
  pairSeq,
  onSelect,
  follow,
}: {
  items: readonly RpcEvent[];
  selectedSeq: number | null;
  pairSeq: number | undefined;
  onSelect: (seq: number) => void;
  /** Keep the newest message in view while the list is scrolled to the bottom. */
  follow: boolean;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const selectedIndex = selectedSeq === null ? -1 : items.findIndex((item) => item.seq === selectedSeq);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedSeq]);

  // Like a console: while the user sits at the bottom, new messages keep the view pinned there.
  const pinned = useRef(true);
  useEffect(() => {
    if (!follow || !pinned.current || items.length === 0) return;
    // Rows have a fixed height, so the bottom is known without measuring: writing scrollTop (the browser
    // clamps it) costs no layout, where scrollToIndex reads the scroll height (a forced layout) on every
    // batch and again in its follow-up frames, which adds up during a notification flood.
    const element = scrollRef.current;
    if (element) element.scrollTop = items.length * ROW_HEIGHT;
  }, [follow, items.length]);
  const onScroll = () => {
    const element = scrollRef.current;
    if (element) pinned.current = element.scrollTop + element.clientHeight >= element.scrollHeight - ROW_HEIGHT * 2;
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (items.length === 0) return;
    let next = -1;
    if (event.key === 'ArrowDown') next = Math.min(items.length - 1, selectedIndex + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, selectedIndex < 0 ? 0 : selectedIndex - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = items.length - 1;
    if (next >= 0) {
      event.preventDefault();
      onSelect(items[next].seq);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    }
  };

  return (
    <div className="flex h-full min-h-0 flex-col" role="table" aria-label="JSON-RPC messages">
      <div className="th grid h-6 shrink-0 items-center px-0" style={GRID} role="row">
        <span className="pl-2">#</span>
        <span />
        <span>Type</span>
        <span>Method</span>
        <span>ID</span>
        <span className="text-right">Latency</span>
        <span className="text-right">Size</span>
        <span className="pr-2 text-right">Time</span>
      </div>
      <div
        ref={scrollRef}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={onScroll}
        className="relative min-h-0 flex-1 overflow-auto bg-panel focus:outline-none focus-visible:ring-2 focus-visible:ring-accent/40 focus-visible:ring-inset"
        data-testid="rpc-list"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((virtualRow) => {
            const event = items[virtualRow.index];
            return (
              <Row
                key={event.seq}
                event={event}
                selected={event.seq === selectedSeq}
                paired={event.seq === pairSeq}
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
