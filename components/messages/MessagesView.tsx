'use client';

import { useCallback, useDeferredValue, useMemo } from 'react';
import { classify, type Verdict } from '@/lib/trace/outcome';
import type { RpcEvent } from '@/lib/trace/types';
import { appendOnlyFilter, useLogSelector, useLogSnapshot, useOutcomes, type LogSnapshot, type LogStore } from '../log-store';
import { useWorkspaceNav } from '../nav';
import { FilterBar, FilterChoices, FilteredLogBody, SearchBox, SplitPane, type FilterChoice } from '../ui';
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

const DIRECTIONS: ReadonlyArray<FilterChoice<'all' | 'out' | 'in'>> = [
  { key: 'all', label: 'Both', testId: 'messages-direction-all' },
  { key: 'out', label: <span className="whitespace-nowrap">→ Sent</span>, title: 'Sent to the server', testId: 'messages-direction-out' },
  {
    key: 'in',
    label: <span className="whitespace-nowrap">← Received</span>,
    title: 'Received from the server',
    testId: 'messages-direction-in',
  },
];

const rpcOf = (store: LogStore): readonly RpcEvent[] => store.rpc;
const allRpc = (_snapshot: LogSnapshot, store: LogStore): readonly RpcEvent[] => store.rpc;

interface MethodCount {
  name: string;
  kept: number;
  folded: number;
}

/** Every method seen, with how many messages the log kept and how many of its notifications it folded. */
function methodsOf(_snapshot: LogSnapshot, store: LogStore): MethodCount[] {
  return [...new Set([...store.methods.keys(), ...store.folded.keys()])]
    .sort()
    .map((name) => ({ name, kept: store.methods.get(name) ?? 0, folded: store.folded.get(name) ?? 0 }));
}

const sameMethods = (a: MethodCount[], b: MethodCount[]): boolean =>
  a.length === b.length &&
  a.every((item, index) => item.name === b[index]!.name && item.kept === b[index]!.kept && item.folded === b[index]!.folded);

export function MessagesView({ store }: { store: LogStore }) {
  const snapshot = useLogSnapshot(store);
  const nav = useWorkspaceNav();
  const { method, direction, search, selectedSeq } = nav.messages;
  const query = useDeferredValue(search.trim().toLowerCase());

  const filtered = Boolean(method || direction !== 'all' || query);
  const selectItems = useMemo(
    () =>
      filtered
        ? appendOnlyFilter(
            rpcOf,
            (event: RpcEvent) =>
              (!method || event.method === method) &&
              (direction === 'all' || event.direction === direction) &&
              (!query || textOf(event).includes(query)),
          )
        : allRpc,
    [filtered, method, direction, query],
  );
  const items = useLogSelector(store, selectItems);
  const methods = useLogSelector(store, methodsOf, sameMethods);
  const outcomes = useOutcomes(store);
  const verdictOf = useCallback(
    (event: RpcEvent): Verdict =>
      classify(
        {
          kind: 'rpc',
          rpc: {
            type: event.type,
            method: event.method,
            phaseId: event.exchangeId !== undefined ? store.exchange(event.exchangeId)?.phaseId : undefined,
          },
        },
        outcomes,
      ),
    [store, outcomes],
  );
  const selected = selectedSeq !== null ? store.rpcBySeq(selectedSeq) : undefined;
  const pairSeq = selectedSeq !== null ? store.pairOf(selectedSeq) : undefined;
  const select = useCallback((seq: number) => nav.setMessages({ selectedSeq: seq }), [nav]);

  const list = (
    <div
      className="flex h-full min-h-0 flex-col"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && selectedSeq !== null) nav.setMessages({ selectedSeq: null });
      }}
    >
      <FilterBar
        count={
          <span className="whitespace-nowrap">
            {`${filtered ? `${items.length} / ${snapshot.rpcCount}` : snapshot.rpcCount} messages`}
            {snapshot.foldedNotifications > 0 && (
              <button
                type="button"
                className="ml-1 text-warn hover:underline"
                onClick={() => nav.setTab('findings')}
                title="The server sent notifications faster than the session log keeps them: these were counted, not kept. Findings has the details."
                data-testid="messages-folded"
              >
                · {snapshot.foldedNotifications} notifications folded
              </button>
            )}
          </span>
        }
      >
        <select
          className="input h-6 w-52 min-w-24 shrink py-0 text-xs"
          value={method}
          onChange={(event) => nav.setMessages({ method: event.target.value })}
          aria-label="Filter by method"
          data-testid="messages-method-filter"
        >
          <option value="">All methods</option>
          {methods.map(({ name, kept, folded }) => (
            <option key={name} value={name}>
              {folded > 0 ? `${name} (${kept} kept, ${folded} folded)` : `${name} (${kept})`}
            </option>
          ))}
        </select>
        <FilterChoices label="Direction" choices={DIRECTIONS} value={direction} onChange={(key) => nav.setMessages({ direction: key })} />
        <SearchBox
          look="toolbar"
          className="w-56 min-w-20 shrink"
          value={search}
          onSearch={(value) => nav.setMessages({ search: value })}
          placeholder="Search messages"
          data-testid="messages-search"
          aria-label="Search messages"
        />
      </FilterBar>
      <FilteredLogBody
        logged={snapshot.rpcCount}
        shown={items.length}
        loading={snapshot.connection === 'connecting'}
        empty={{
          title: 'No JSON-RPC messages yet',
          text: 'Requests, responses and notifications exchanged with the server appear here, paired by id.',
        }}
        noMatchTitle="No message matches"
        clearLabel="Clear the filters"
        onClear={() => nav.setMessages({ method: '', direction: 'all', search: '' })}
      >
        <RpcTable items={items} selectedSeq={selectedSeq} pairSeq={pairSeq} onSelect={select} follow={!filtered} verdictOf={verdictOf} />
      </FilteredLogBody>
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
            verdictOf={verdictOf}
            onClose={() => nav.setMessages({ selectedSeq: null })}
            onOpenExchange={(id) => nav.openExchange(id)}
          />
        ) : null
      }
    />
  );
}
