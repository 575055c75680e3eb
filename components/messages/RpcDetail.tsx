'use client';

import { VERDICT_LABEL, VERDICT_REASON, type Verdict } from '@/lib/trace/outcome';
import type { ReactNode } from 'react';
import type { MessageEvent } from './RpcTable';
import type { LogStore } from '../log-store';
import { Badge, CopyButton, IconAlert, IconButton, IconX, JsonTree, cn, formatBytes, formatMs, formatOffset, prettyJson } from '../ui';
import { latencyTitle } from './latency';
import { rpcErrorName } from './rpc-errors';

function RpcError({ message, verdict }: { message: unknown; verdict: Verdict }) {
  const error = (message as { error?: { code?: unknown; message?: unknown; data?: unknown } } | undefined)?.error;
  if (!error || typeof error.code !== 'number') return null;
  if (verdict !== 'failed') {
    return (
      <div className="mx-3 mt-2 rounded border border-line bg-panel-2 px-3 py-2 text-[13px]" data-testid="rpc-error" data-verdict={verdict}>
        <div className="font-semibold text-muted">
          {VERDICT_LABEL[verdict]} · {error.code} {rpcErrorName(error.code)}
        </div>
        <div className="break-words">{String(error.message ?? '')}</div>
        <div className="mt-1 text-xs text-muted">{VERDICT_REASON[verdict]}</div>
      </div>
    );
  }
  return (
    <div className="mx-3 mt-2 flex gap-2 rounded border border-err/40 bg-err-soft px-3 py-2 text-[13px]" data-testid="rpc-error">
      <IconAlert className="mt-0.5 h-4 w-4 shrink-0 text-err" />
      <div className="min-w-0">
        <div className="font-semibold text-err">
          {error.code} {rpcErrorName(error.code)}
        </div>
        <div className="break-words">{String(error.message ?? '')}</div>
      </div>
    </div>
  );
}

function MessageCard({
  event,
  role,
  verdict,
  onOpenExchange,
}: {
  event: MessageEvent;
  verdict: Verdict;
  role: 'selected' | 'pair';
  onOpenExchange: (exchangeId: string) => void;
}) {
  const heading =
    event.type === 'request'
      ? 'Request'
      : event.type === 'notification'
        ? 'Notification'
        : event.type === 'error'
          ? 'Error response'
          : 'Response';
  return (
    <section className={cn('border-b border-line', role === 'pair' && 'bg-panel-2/40')} data-testid={`rpc-detail-${role}`}>
      <div className="flex min-h-8 flex-wrap items-center gap-x-2 gap-y-0.5 bg-panel-2 px-3 py-1 text-xs whitespace-nowrap">
        <span className={cn('font-mono', event.direction === 'out' ? 'text-accent' : 'text-ok')}>
          {event.direction === 'out' ? '→ sent' : '← received'}
        </span>
        <span className="font-semibold">{heading}</span>
        <span className="font-mono text-muted">{event.method}</span>
        {event.id !== undefined && <Badge mono>id {String(event.id)}</Badge>}
        {event.latencyMs !== undefined && (
          <Badge tone="accent" title={latencyTitle(event)} data-testid="rpc-latency">
            {formatMs(event.latencyMs)}
          </Badge>
        )}
        <span className="ml-auto flex items-center gap-2 text-[11px] text-muted">
          <span className="font-mono" title={`seq ${event.seq}`}>
            {formatOffset(event.t)}
          </span>
          <span>{formatBytes(event.size)}</span>
          {event.kind === 'rpc' && event.exchangeId && (
            <button
              type="button"
              className="text-accent hover:underline"
              onClick={() => onOpenExchange(event.exchangeId as string)}
              title="Show the HTTP exchange that carried this message"
            >
              HTTP exchange
            </button>
          )}
          {event.message !== undefined && <CopyButton text={prettyJson(event.message)} label="Copy JSON" />}
        </span>
      </div>
      {event.type === 'error' && <RpcError message={event.message} verdict={verdict} />}
      <div className="p-3">
        {event.message === undefined ? (
          <div className="text-xs text-warn">The message body was dropped when the session log reached its size cap.</div>
        ) : (
          <JsonTree data={event.message} expandDepth={2} />
        )}
      </div>
    </section>
  );
}

export function RpcDetail({
  store,
  event,
  verdictOf,
  requestActions,
  onClose,
  onOpenExchange,
}: {
  store: LogStore;
  event: MessageEvent;
  verdictOf: (event: MessageEvent) => Verdict;
  requestActions?: (event: MessageEvent) => ReactNode;
  onClose: () => void;
  onOpenExchange: (exchangeId: string) => void;
}) {
  const pairSeq = store.pairOf(event.seq);
  const pair = pairSeq !== undefined ? store.messageBySeq(pairSeq) : undefined;
  // Show the pair in wire order: the request first.
  const [first, second] = pair && pair.seq < event.seq ? [pair, event] : [event, pair];
  const awaiting = event.type === 'request' && !pair;
  const actions = first.type === 'request' ? requestActions?.(first) : undefined;
  return (
    <div className="flex h-full min-h-0 flex-col bg-panel" data-testid="rpc-detail">
      <div className="flex h-8 shrink-0 items-center gap-2 border-b border-line px-3 text-xs">
        <span className="font-semibold">{event.method ?? 'Message'}</span>
        {event.kind === 'app.message' && (
          <Badge tone="purple" title={`MCP App bridge, view ${event.viewId}`}>
            app · {event.resourceUri}
          </Badge>
        )}
        {pair && <span className="text-muted">request and response</span>}
        <IconButton onClick={onClose} label="Close details" className="ml-auto">
          <IconX className="h-3.5 w-3.5" />
        </IconButton>
      </div>
      {actions && <div className="flex shrink-0 items-center gap-1 border-b border-line px-2 py-1 empty:hidden">{actions}</div>}
      <div className="min-h-0 flex-1 overflow-auto">
        <MessageCard
          event={first}
          role={first === event ? 'selected' : 'pair'}
          verdict={verdictOf(first)}
          onOpenExchange={onOpenExchange}
        />
        {second && (
          <MessageCard
            event={second}
            role={second === event ? 'selected' : 'pair'}
            verdict={verdictOf(second)}
            onOpenExchange={onOpenExchange}
          />
        )}
        {awaiting && <div className="px-3 py-2 text-xs text-muted">No response yet.</div>}
      </div>
    </div>
  );
}
