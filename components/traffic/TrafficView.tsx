'use client';

import { useDeferredValue, useMemo } from 'react';
import { useLogSnapshot, type ExchangeView, type LogStore } from '../log-store';
import { useWorkspaceNav, type TrafficKind } from '../nav';
import { EmptyState, IconSearch, Spinner, SplitPane, cn } from '../ui';
import { ExchangeDetail } from './ExchangeDetail';
import { ExchangeTable } from './ExchangeTable';

const KINDS: ReadonlyArray<{ key: TrafficKind; label: string; title: string }> = [
  { key: 'all', label: 'All', title: 'Every HTTP exchange' },
  { key: 'mcp', label: 'MCP', title: 'MCP requests and their streams' },
  { key: 'streams', label: 'Streams', title: 'Responses that are event streams (GET stream, legacy SSE, SSE responses)' },
  { key: 'auth', label: 'Auth', title: 'OAuth discovery, registration and token requests' },
  { key: 'other', label: 'Probes & other', title: 'Era probes and anything else' },
];

function matchesKind(exchange: ExchangeView, kind: TrafficKind): boolean {
  switch (kind) {
    case 'all':
      return true;
    case 'mcp':
      return exchange.purpose === 'mcp' || exchange.purpose === 'mcp-stream';
    case 'streams':
      return exchange.isEventStream;
    case 'auth':
      return exchange.purpose === 'oauth';
    case 'other':
      return exchange.purpose === 'probe' || exchange.purpose === 'other';
  }
}

export function TrafficView({ store }: { store: LogStore }) {
  const snapshot = useLogSnapshot(store);
  const nav = useWorkspaceNav();
  const { kind, text, selectedId, detailTab } = nav.traffic;
  const deferredText = useDeferredValue(text.trim().toLowerCase());

  const items = useMemo(() => {
    if (kind === 'all' && !deferredText) return store.exchanges.slice();
    return store.exchanges.filter(
      (exchange) =>
        matchesKind(exchange, kind) &&
        (!deferredText ||
          exchange.url.toLowerCase().includes(deferredText) ||
          exchange.method.toLowerCase() === deferredText ||
          String(exchange.response?.status ?? '') === deferredText),
    );
    // The store's list grows in place; the snapshot version says when.
  }, [store, snapshot.version, kind, deferredText]); // eslint-disable-line react-hooks/exhaustive-deps

  const streamCount = useMemo(
    () => store.exchanges.reduce((count, exchange) => count + (exchange.isEventStream ? 1 : 0), 0),
    [store, snapshot.version], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const selected = selectedId ? store.exchange(selectedId) : undefined;
  // An event stream's content is its frames: open them directly; other exchanges keep the chosen tab.
  const select = (id: string) => {
    const exchange = store.exchange(id);
    nav.setTraffic({
      selectedId: id,
      detailTab: exchange?.isEventStream ? 'frames' : detailTab === 'frames' ? 'headers' : detailTab,
    });
  };

  const list = (
    <div
      className="flex h-full min-h-0 flex-col"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && selectedId) nav.setTraffic({ selectedId: null });
      }}
    >
      <div className="flex h-8 shrink-0 items-center gap-2 border-b border-line bg-panel px-2">
        <div className="relative w-56">
          <IconSearch className="pointer-events-none absolute top-1.5 left-1.5 h-3.5 w-3.5 text-faint" />
          <input
            className="input h-6 pl-6 text-xs"
            placeholder="Filter URL, method, status"
            value={text}
            onChange={(event) => nav.setTraffic({ text: event.target.value })}
            data-shortcut="search"
            data-testid="traffic-filter"
            aria-label="Filter exchanges"
          />
        </div>
        <div className="flex items-center gap-0.5" role="radiogroup" aria-label="Exchange kind">
          {KINDS.map((option) => (
            <button
              key={option.key}
              type="button"
              role="radio"
              aria-checked={kind === option.key}
              title={option.title}
              data-testid={`traffic-kind-${option.key}`}
              onClick={() => nav.setTraffic({ kind: option.key })}
              className={cn(
                'h-6 rounded px-2 text-xs',
                kind === option.key ? 'bg-accent-soft font-medium text-accent' : 'text-muted hover:bg-hover hover:text-fg',
              )}
            >
              {option.label}
              {option.key === 'streams' && streamCount > 0 && <span className="ml-1 text-[10px] opacity-70">{streamCount}</span>}
            </button>
          ))}
        </div>
        <span className="ml-auto text-[11px] text-muted">
          {items.length === snapshot.exchangeCount ? `${items.length} requests` : `${items.length} / ${snapshot.exchangeCount} requests`}
        </span>
      </div>
      <div className="min-h-0 flex-1">
        {snapshot.exchangeCount === 0 ? (
          snapshot.connection === 'connecting' ? (
            <EmptyState title="Loading the session log…" icon={<Spinner />} />
          ) : (
            <EmptyState title="No HTTP traffic yet">Every request mcpscope sends to the server shows up here live.</EmptyState>
          )
        ) : items.length === 0 ? (
          <EmptyState title="No exchange matches the filter">
            <button type="button" className="text-accent underline" onClick={() => nav.setTraffic({ kind: 'all', text: '' })}>
              Clear the filter
            </button>
          </EmptyState>
        ) : (
          <ExchangeTable
            items={items}
            selectedId={selectedId}
            onSelect={select}
            version={snapshot.version}
          />
        )}
      </div>
    </div>
  );

  return (
    <SplitPane
      storageKey="traffic"
      defaultRight={560}
      left={list}
      right={
        selected ? (
        <ExchangeDetail
          store={store}
          exchange={selected}
          tab={detailTab}
          onTab={(tab) => nav.setTraffic({ detailTab: tab })}
          onClose={() => nav.setTraffic({ selectedId: null })}
        />
        ) : null
      }
    />
  );
}
