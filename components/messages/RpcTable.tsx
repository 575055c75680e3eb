'use client';

import { memo } from 'react';
import { VERDICT_LABEL, VERDICT_REASON, type Verdict } from '@/lib/trace/outcome';
import type { AppMessageEvent, RpcEvent } from '@/lib/trace/types';

/** A row of the Messages table: a message on the server's wire, or on an MCP App's bridge. */
export type MessageEvent = RpcEvent | AppMessageEvent;
import { VirtualTable, cn, formatBytes, formatMs, formatOffset } from '../ui';
import { latencyTitle } from './latency';
import { rpcErrorName } from './rpc-errors';

const ROW_HEIGHT = 24;
/**
 * Columns by the table's own width (a container query: the detail pane beside it counts). Size goes first, then the
 * sequence number and the time; direction, type, method, id and latency stay.
 */
const COLUMNS =
  '[--rg:56px_28px_86px_minmax(0,1fr)_84px_70px_64px_76px] @max-[760px]:[--rg:44px_22px_76px_minmax(0,1fr)_72px_60px_70px] @max-[540px]:[--rg:22px_72px_minmax(0,1fr)_56px_56px]';
const GRID = { gridTemplateColumns: 'var(--rg)' };
const HIDE_NARROW = '@max-[760px]:hidden';
const HIDE_NARROWER = '@max-[540px]:hidden';

const TYPE_STYLE: Record<RpcEvent['type'], string> = {
  request: 'text-accent',
  notification: 'text-muted',
  result: 'text-ok',
  error: 'text-err',
};

const rpcSeq = (event: MessageEvent): number => event.seq;

function errorCode(event: MessageEvent): number | undefined {
  const message = event.message as { error?: { code?: unknown } } | undefined;
  return typeof message?.error?.code === 'number' ? message.error.code : undefined;
}

const Row = memo(function Row({
  event,
  verdict,
  selected,
  paired,
  onSelect,
  start,
}: {
  event: MessageEvent;
  verdict: Verdict;
  selected: boolean;
  paired: boolean;
  onSelect: (seq: number) => void;
  start: number;
}) {
  const code = event.type === 'error' ? errorCode(event) : undefined;
  // An expected answer (a 2025 server refusing server/discover) is shown as what it is, not as an error.
  const expected = event.type === 'error' && verdict !== 'failed';
  return (
    <div
      role="row"
      aria-selected={selected}
      data-testid="rpc-row"
      data-seq={event.seq}
      data-direction={event.direction}
      data-type={event.type}
      data-method={event.method ?? ''}
      data-kind={event.kind}
      data-verdict={event.type === 'error' ? verdict : undefined}
      onClick={() => onSelect(event.seq)}
      className={cn(
        'absolute top-0 left-0 grid w-full cursor-default items-center border-b border-line/50 text-xs',
        selected ? 'bg-selected' : paired ? 'bg-accent-soft' : 'hover:bg-hover',
      )}
      style={{ ...GRID, height: ROW_HEIGHT, transform: `translateY(${start}px)` }}
    >
      <span className={cn('pl-2 font-mono text-[11px] text-faint', HIDE_NARROWER)}>{event.seq}</span>
      <span
        className={cn('text-center font-mono text-sm leading-none', event.direction === 'out' ? 'text-accent' : 'text-ok')}
        title={
          event.kind === 'app.message'
            ? event.direction === 'out'
              ? 'Sent to the app view'
              : 'Received from the app view'
            : event.direction === 'out'
              ? 'Sent to the server'
              : 'Received from the server'
        }
        aria-label={event.direction === 'out' ? 'sent' : 'received'}
      >
        {event.direction === 'out' ? '→' : '←'}
      </span>
      <span className={cn('truncate text-[11px]', expected ? 'text-muted' : TYPE_STYLE[event.type])}>{event.type}</span>
      <span className="flex min-w-0 items-center gap-1.5 overflow-hidden pr-2">
        <span className={cn('min-w-[6ch] truncate font-mono text-[11px]', event.type === 'error' && !expected && 'text-err')}>
          {event.method ?? <span className="text-faint">(unknown method)</span>}
        </span>
        {expected && (
          <span
            className="min-w-0 shrink-[2] truncate rounded bg-panel-2 px-1 text-[10px] leading-4 whitespace-nowrap text-muted"
            title={VERDICT_REASON[verdict]}
            data-testid="rpc-expected"
          >
            {VERDICT_LABEL[verdict]}
          </span>
        )}
        {code !== undefined && (
          <span
            className={cn('min-w-0 shrink-[3] truncate text-[11px]', expected ? 'text-faint' : 'text-err')}
            title={`${code} ${rpcErrorName(code)}`}
          >
            {code} {rpcErrorName(code)}
          </span>
        )}
      </span>
      <span className="truncate font-mono text-[11px] text-muted">{event.id ?? ''}</span>
      <span className="text-right font-mono text-[11px]" title={event.latencyMs !== undefined ? latencyTitle(event) : undefined}>
        {event.latencyMs !== undefined ? formatMs(event.latencyMs) : ''}
      </span>
      <span className={cn('text-right font-mono text-[11px] text-muted', HIDE_NARROW)}>{formatBytes(event.size)}</span>
      <span className={cn('pr-2 text-right font-mono text-[11px] text-faint', HIDE_NARROWER)}>{formatOffset(event.t)}</span>
    </div>
  );
});

export function RpcTable({
  items,
  selectedSeq,
  pairSeq,
  onSelect,
  follow,
  verdictOf,
}: {
  items: readonly MessageEvent[];
  /** How each message turned out (lib/trace/outcome); read for error answers. */
  verdictOf: (event: MessageEvent) => Verdict;
  selectedSeq: number | null;
  pairSeq: number | undefined;
  onSelect: (seq: number) => void;
  /** Keep the newest message in view while the list is scrolled to the bottom. */
  follow: boolean;
}) {
  return (
    <div className="@container h-full min-h-0">
      <div className={cn('h-full min-h-0', COLUMNS)}>
        <VirtualTable
          label="JSON-RPC messages"
          grid={GRID}
          header={
            <>
              <span className={cn('pl-2', HIDE_NARROWER)}>#</span>
              <span />
              <span>Type</span>
              <span className="truncate">Method</span>
              <span>ID</span>
              <span className="truncate text-right">Latency</span>
              <span className={cn('text-right', HIDE_NARROW)}>Size</span>
              <span className={cn('pr-2 text-right', HIDE_NARROWER)}>Time</span>
            </>
          }
          listTestId="rpc-list"
          items={items}
          rowHeight={ROW_HEIGHT}
          getKey={rpcSeq}
          selectedKey={selectedSeq}
          onSelect={onSelect}
          follow={follow}
          renderRow={(event, start) => (
            <Row
              event={event}
              verdict={verdictOf(event)}
              selected={event.seq === selectedSeq}
              paired={event.seq === pairSeq}
              onSelect={onSelect}
              start={start}
            />
          )}
        />
      </div>
    </div>
  );
}
