'use client';

import { useCallback, useDeferredValue, useMemo } from 'react';
import type { RpcEvent } from '@/lib/trace/types';
import { useLogSnapshot, type LogStore } from '../log-store';
import { useWorkspaceNav } from '../nav';
import { EmptyState, IconSearch, Spinner, SplitPane, cn } from '../ui';
import { useAppendOnlyFilter } from './filter';
import { RpcDetail } from './RpcDetail';
import { RpcTable } from './RpcTable';

// Serialising a message for text search is the expensive part; each message is serialised once.
const searchText = new WeakMap<RpcEvent, string>();
function textOf(event: RpcEvent): string {
  let text = searchText.get(event);
  if (text === undefined) {
    let body = '';
    try {
      body = event.message === undefined ? '' : JSON.stringify(event.message);
    } catch {
      body = '';
    }
    text = `${event.method ?? ''} ${event.id ?? ''} ${body}`.toLowerCase();
    searchText.set(event, text);
  }
  return text;
}

export function MessagesView({ store }: { store: LogStore }) {
  const snapshot = useLogSnapshot(store);
  const nav = useWorkspaceNav();
  const { method, direction, search, selectedSeq } = nav.messages;
  const query = useDeferredValue(search.trim().toLowerCase());

  const predicate = useMemo(() => {
    if (!method && direction === 'all' && !query) return null;
    return (event: RpcEvent) =>
      (!method || event.method === method) &&
      (direction === 'all' || event.direction === direction) &&
      (!query || textOf(event).includes(query));
  }, [method, direction, query]);
  const items = useAppendOnlyFilter(store.rpc, snapshot.rpcCount, `${method}\u0000${direction}\u0000${query}`, predicate);

  const methods = useMemo(
    () => [...store.methods.entries()].sort((a, b) => a[0].localeCompare(b[0])),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, snapshot.version],
  );
  const selected = selectedSeq !== null ? store.rpcBySeq(selectedSeq) : undefined;
  const pairSeq = selectedSeq !== null ? store.pairOf(selectedSeq) : undefined;
  const select = useCallback((seq: number) => nav.setMessages({ selectedSeq: seq }), [nav]);
  const filtered = Boolean(predicate);

  const list = (
    <div
      className="flex h-full min-h-0 flex-col"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && selectedSeq !== null) nav.setMessages({ selectedSeq: null });
      }}
    >
      <div className="flex h-8 shrink-0 items-center gap-2 border-b border-line bg-panel px-2">
        <select
          className="input h-6 w-52 py-0 text-xs"
          value={method}
          onChange={(event) => nav.setMessages({ method: event.target.value })}
          aria-label="Filter by method"
          data-testid="messages-method-filter"
        >
          <option value="">All methods</option>
          {methods.map(([name, count]) => (
            <option key={name} value={name}>
              {name} ({count})
            </option>
          ))}
        </select>
        <div className="flex items-center gap-0.5" role="radiogroup" aria-label="Direction">
          {(
            [
              ['all', 'Both'],
              ['out', '→ Sent'],
              ['in', '← Received'],
            ] as const
          ).map(([key, label]) => (
            <button
              key={key}
              type="button"
              role="radio"
              aria-checked={direction === key}
              data-testid={`messages-direction-${key}`}
              onClick={() => nav.setMessages({ direction: key })}
              className={cn(
                'h-6 rounded px-2 text-xs',
                direction === key ? 'bg-accent-soft font-medium text-accent' : 'text-muted hover:bg-hover hover:text-fg',
              )}
            >
              {label}
            </button>
          ))}
        </div>
        <div className="relative w-56">
          <IconSearch className="pointer-events-none absolute top-1.5 left-1.5 h-3.5 w-3.5 text-faint" />
          <input
            className="input h-6 pl-6 text-xs"
            placeholder="Search messages"
            value={search}
            onChange={(event) => nav.setMessages({ search: event.target.value })}
            data-shortcut="search"
            data-testid="messages-search"
            aria-label="Search messages"
          />
        </div>
        <span className="ml-auto text-[11px] text-muted">
          {filtered ? `${items.length} / ${snapshot.rpcCount}` : snapshot.rpcCount} messages
        </span>
      </div>
      <div className="min-h-0 flex-1">
        {snapshot.rpcCount === 0 ? (
          snapshot.connection === 'connecting' ? (
            <EmptyState title="Loading the session log…" icon={<Spinner />} />
          ) : (
            <EmptyState title="No JSON-RPC messages yet">
              Requests, responses and notifications exchanged with the server appear here, paired by id.
            </EmptyState>
          )
        ) : items.length === 0 ? (
          <EmptyState title="No message matches">
            <button
              type="button"
              className="text-accent underline"
              onClick={() => nav.setMessages({ method: '', direction: 'all', search: '' })}
            >
              Clear the filters
            </button>
          </EmptyState>
        ) : (
          <RpcTable items={items} selectedSeq={selectedSeq} pairSeq={pairSeq} onSelect={select} follow={!filtered} />
        )}
      </div>
    </div>
  );

  return (
    <SplitPane
      storageKey="messages"
      defaultRight={520}
      left={list}
      right={
        selected ? (
          <RpcDetail
            store={store}
            event={selected}
            onClose={() => nav.setMessages({ selectedSeq: null })}
            onOpenExchange={(id) => nav.openExchange(id)}
          />
        ) : null
      }
    />
  );
}
