'use client';

import { useCallback, useDeferredValue, useMemo, useState, type ReactNode } from 'react';
import { classify, outcomeContext, type Verdict } from '@/lib/trace/outcome';
import type { AppMessageEvent } from '@/lib/trace/types';
import { useLogSnapshot, type LogStore } from '../log-store';
import { useWorkspaceNav } from '../nav';
import { FilterBar, FilterChoices, FilteredLogBody, SearchBox, SplitPane, type FilterChoice } from '../ui';
import { useAppendOnlyFilter } from './filter';
import { RpcDetail } from './RpcDetail';
import { RpcTable, type MessageEvent } from './RpcTable';

// Serialising a message for text search is the expensive part; each message is serialised once.
const searchText = new WeakMap<MessageEvent, string>();
function textOf(event: MessageEvent): string {
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

/** Which lane the table shows: the server's wire (JSON-RPC with the MCP server), or MCP Apps bridges (host ↔ view). */
type Source = 'server' | 'app';

const SOURCES: ReadonlyArray<FilterChoice<Source>> = [
  { key: 'server', label: 'Server', title: 'JSON-RPC with the MCP server', testId: 'messages-source-server' },
  { key: 'app', label: 'App bridge', title: 'JSON-RPC between mcpscope and MCP App views (postMessage)', testId: 'messages-source-app' },
];

/**
 * `requestActions`: what a live session offers for a request the client sent (resend, edit and resend); a read-only
 * log has none.
 */
export function MessagesView({ store, requestActions }: { store: LogStore; requestActions?: (event: MessageEvent) => ReactNode }) {
  const snapshot = useLogSnapshot(store);
  const nav = useWorkspaceNav();
  const { method, direction, search, selectedSeq } = nav.messages;
  const query = useDeferredValue(search.trim().toLowerCase());
  // Opened on one app bridge message (from the timeline's App bridge lane): start on that lane.
  const [source, setSource] = useState<Source>(() =>
    selectedSeq !== null && store.messageBySeq(selectedSeq)?.kind === 'app.message' ? 'app' : 'server',
  );
  const app = source === 'app';

  const predicate = useMemo(() => {
    if (!method && direction === 'all' && !query) return null;
    return (event: MessageEvent) =>
      (!method || event.method === method) &&
      (direction === 'all' || event.direction === direction) &&
      (!query || textOf(event).includes(query));
  }, [method, direction, query]);
  const filterKey = `${method}\u0000${direction}\u0000${query}`;
  const serverItems = useAppendOnlyFilter<MessageEvent>(store.rpc, app ? 0 : snapshot.rpcCount, filterKey, predicate);
  const appItems = useAppendOnlyFilter<MessageEvent>(store.appMessages, app ? snapshot.appMessageCount : 0, filterKey, predicate);
  const items = app ? appItems : serverItems;
  const logged = app ? snapshot.appMessageCount : snapshot.rpcCount;

  // Every method seen, with how many messages the log kept and how many of its notifications it folded.
  const methods = useMemo(
    () =>
      app
        ? [...store.appMethods.keys()].sort().map((name) => ({ name, kept: store.appMethods.get(name) ?? 0, folded: 0 }))
        : [...new Set([...store.methods.keys(), ...store.folded.keys()])]
            .sort()
            .map((name) => ({ name, kept: store.methods.get(name) ?? 0, folded: store.folded.get(name) ?? 0 })),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [store, snapshot.version, app],
  );
  const outcomes = useMemo(() => outcomeContext(store.phases), [store, snapshot.version]); // eslint-disable-line react-hooks/exhaustive-deps
  const verdictOf = useCallback(
    (event: MessageEvent): Verdict =>
      event.kind === 'app.message'
        ? appVerdict(event)
        : classify(
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
  const selected = selectedSeq !== null ? store.messageBySeq(selectedSeq) : undefined;
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
      <FilterBar
        count={
          <span className="whitespace-nowrap">
            {`${filtered ? `${items.length} / ${logged}` : logged} ${app ? 'app bridge messages' : 'messages'}`}
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
        {(snapshot.appMessageCount > 0 || app) && (
          <FilterChoices
            label="Source"
            choices={SOURCES}
            value={source}
            onChange={(key) => {
              setSource(key);
              nav.setMessages({ method: '', selectedSeq: null });
            }}
          />
        )}
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
        logged={logged}
        shown={items.length}
        loading={snapshot.connection === 'connecting'}
        empty={
          app
            ? {
                title: 'No app bridge messages yet',
                text: 'Messages between mcpscope and an MCP App view appear here once a view is shown.',
              }
            : {
                title: 'No JSON-RPC messages yet',
                text: 'Requests, responses and notifications exchanged with the server appear here, paired by id.',
              }
        }
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
            requestActions={requestActions}
            onClose={() => nav.setMessages({ selectedSeq: null })}
            onOpenExchange={(id) => nav.openExchange(id)}
          />
        ) : null
      }
    />
  );
}

/** An app bridge message has no protocol phase to excuse it: an error answer is an error. */
function appVerdict(event: AppMessageEvent): Verdict {
  return event.type === 'error' ? 'failed' : 'ok';
}
