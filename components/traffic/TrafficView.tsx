'use client';

import { useCallback, useDeferredValue } from 'react';
import { exchangeVerdict, useLogSelector, useLogSnapshot, useOutcomes } from '../log-store';
import type { ExchangeView, LogSnapshot, LogStore } from '../log-store';
import { TrafficSearch } from './TrafficSearch';
import { useWorkspaceNav, type TrafficKind } from '../nav';
import { rpcSummaryMatches } from '@/lib/trace/exchange-summary';
import { FilterBar, FilterChoices, FilteredLogBody, SplitPane } from '../ui';
import { ExchangeDetail } from './ExchangeDetail';
import { ExchangeTable } from './ExchangeTable';
import { StdioTraffic } from './StdioTraffic';

const KINDS: ReadonlyArray<{ key: TrafficKind; label: string; title: string }> = [
  { key: 'all', label: 'All', title: 'Every HTTP exchange' },
  { key: 'mcp', label: 'MCP', title: 'MCP requests and their streams' },
  { key: 'streams', label: 'Streams', title: 'Responses that are event streams (GET stream, legacy SSE, SSE responses)' },
  { key: 'auth', label: 'Auth', title: 'OAuth discovery, registration and token requests' },
  { key: 'other', label: 'Other', title: 'Era probes and anything else' },
];

const countStreams = (_snapshot: LogSnapshot, store: LogStore): number =>
  store.exchanges.reduce((count, exchange) => count + (exchange.isEventStream ? 1 : 0), 0);

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
  // A stdio server has no HTTP: its traffic is the transcript of its pipes.
  const stdio = store.summary?.transport === 'stdio' || (snapshot.stdioRowCount > 0 && snapshot.exchangeCount === 0);
  return stdio ? <StdioTraffic store={store} /> : <HttpTraffic store={store} snapshot={snapshot} />;
}

function HttpTraffic({ store, snapshot }: { store: LogStore; snapshot: ReturnType<typeof useLogSnapshot> }) {
  const nav = useWorkspaceNav();
  const { kind, text, selectedId, detailTab } = nav.traffic;
  const deferredText = useDeferredValue(text.trim().toLowerCase());

  const selectItems = useCallback(
    (_snapshot: LogSnapshot, store: LogStore): ExchangeView[] => {
      if (kind === 'all' && !deferredText) return store.exchanges.slice();
      return store.exchanges.filter(
        (exchange) =>
          matchesKind(exchange, kind) &&
          (!deferredText ||
            exchange.url.toLowerCase().includes(deferredText) ||
            exchange.method.toLowerCase() === deferredText ||
            String(exchange.response?.status ?? '') === deferredText ||
            rpcSummaryMatches(exchange.rpc, deferredText)),
      );
    },
    [kind, deferredText],
  );
  const items = useLogSelector(store, selectItems);

  // Phases change far less often than exchanges; the context is rebuilt per log batch, read per row.
  const outcomes = useOutcomes(store);
  const verdictOf = useCallback((exchange: ExchangeView) => exchangeVerdict(exchange, outcomes), [outcomes]);

  const streamCount = useLogSelector(store, countStreams);
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
      <FilterBar
        count={
          <span className="whitespace-nowrap">
            {items.length === snapshot.exchangeCount ? `${items.length} requests` : `${items.length} / ${snapshot.exchangeCount} requests`}
          </span>
        }
      >
        <TrafficSearch
          placeholder="Filter: tools/call, tool, id, URL, status"
          title="Matches JSON-RPC methods (tools/call), tool and prompt names, ids (7 or #7), the URL, the HTTP method or the status"
          label="Filter exchanges"
        />
        <FilterChoices
          label="Exchange kind"
          choices={KINDS.map((option) => ({
            ...option,
            testId: `traffic-kind-${option.key}`,
            label: (
              <span className="whitespace-nowrap">
                {option.label}
                {option.key === 'streams' && streamCount > 0 && <span className="ml-1 text-[10px] opacity-70">{streamCount}</span>}
              </span>
            ),
          }))}
          value={kind}
          onChange={(key) => nav.setTraffic({ kind: key })}
        />
      </FilterBar>
      <FilteredLogBody
        logged={snapshot.exchangeCount}
        shown={items.length}
        loading={snapshot.connection === 'connecting'}
        empty={{ title: 'No HTTP traffic yet', text: 'Every request mcpscope sends to the server shows up here live.' }}
        noMatchTitle="No exchange matches the filter"
        clearLabel="Clear the filter"
        onClear={() => nav.setTraffic({ kind: 'all', text: '' })}
      >
        <ExchangeTable items={items} selectedId={selectedId} onSelect={select} version={snapshot.version} verdictOf={verdictOf} />
      </FilteredLogBody>
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
