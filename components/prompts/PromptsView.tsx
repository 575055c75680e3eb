'use client';

import { useMemo } from 'react';
import type { SessionSummary } from '@/lib/contract';
import { describeFailure, useMcpList } from '../api';
import type { LogStore } from '../log-store';
import { useNotificationCount } from '../notifications';
import { Button, EmptyState, IconRefresh, IconSearch, ListChangeNotice, Spinner, cn, useStickyState } from '../ui';
import { PromptDetail } from './PromptDetail';
import type { PromptInfo } from './types';

export function PromptsView({ sessionId, store, summary }: { sessionId: string; store: LogStore; summary: SessionSummary | undefined }) {
  const connected = summary?.state === 'connected';
  const capabilities = summary?.server?.capabilities ?? {};
  const offersPrompts = 'prompts' in capabilities;
  const changes = useNotificationCount(store, 'notifications/prompts/list_changed');
  const prompts = useMcpList<PromptInfo>(sessionId, 'prompts/list', connected && offersPrompts, changes);
  const [search, setSearch] = useStickyState(sessionId, 'prompts-search', '');
  const [selected, setSelected] = useStickyState<string | null>(sessionId, 'prompts-selected', null);
  const [dismissedChange, setDismissedChange] = useStickyState<number | null>(sessionId, 'prompts-change-dismissed', null);
  const query = search.trim().toLowerCase();
  const shown = useMemo(
    () => prompts.items.filter((prompt) => !query || [prompt.name, prompt.title, prompt.description].some((field) => field?.toLowerCase().includes(query))),
    [prompts.items, query],
  );

  if (!summary || summary.state === 'connecting') return <EmptyState title="Waiting for the connection…" icon={<Spinner />} />;
  if (!connected && !prompts.query.data) return <EmptyState title="Not connected" testId="prompts-unavailable">Connect to list the server’s prompts.</EmptyState>;
  if (!offersPrompts) {
    return (
      <EmptyState title="This server offers no prompts" testId="prompts-none">
        It did not declare the prompts capability during the handshake.
      </EmptyState>
    );
  }
  const prompt = prompts.items.find((item) => item.name === selected);

  return (
    <div className="flex h-full min-h-0" data-testid="prompts-view">
      <aside className="flex w-[300px] shrink-0 flex-col border-r border-line bg-panel">
        <div className="flex shrink-0 items-center gap-1 border-b border-line p-2">
          <div className="relative flex-1">
            <IconSearch className="pointer-events-none absolute top-1.5 left-2 h-3.5 w-3.5 text-faint" />
            <input
              className="input pl-7"
              placeholder="Search prompts"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
              data-shortcut="search"
              data-testid="prompt-search"
              aria-label="Search prompts"
            />
          </div>
          <button
            type="button"
            onClick={() => void prompts.query.refetch()}
            title="List again (prompts/list)"
            aria-label="List the prompts again"
            data-testid="prompts-refresh"
            className="inline-flex h-7 w-7 items-center justify-center rounded text-muted hover:bg-hover hover:text-fg"
          >
            <IconRefresh className={cn('h-3.5 w-3.5', prompts.query.isFetching && 'animate-spin')} />
          </button>
        </div>
        {prompts.change && prompts.change.at !== dismissedChange && (
          <ListChangeNotice
            title="The server changed its prompts"
            method="notifications/prompts/list_changed"
            change={prompts.change}
            onDismiss={() => setDismissedChange(prompts.change?.at ?? null)}
            testId="prompts-changed"
          />
        )}
        <div role="listbox" aria-label="Prompts" className="min-h-0 flex-1 overflow-auto py-1" data-testid="prompts-list">
          {prompts.query.isPending ? (
            <div className="flex items-center justify-center gap-2 p-6 text-xs text-muted">
              <Spinner /> Listing…
            </div>
          ) : prompts.query.isError && prompts.items.length === 0 ? (
            <div className="m-2 rounded border border-err/40 bg-err-soft p-2 text-xs" role="alert">
              <div className="font-semibold text-err">prompts/list failed</div>
              {describeFailure(prompts.query.error)}
            </div>
          ) : shown.length === 0 ? (
            <div className="px-3 py-4 text-center text-xs text-muted">{query ? `No prompt matches “${search}”.` : 'prompts/list returned no prompts.'}</div>
          ) : (
            shown.map((item) => {
              const isSelected = item.name === selected;
              const args = item.arguments ?? [];
              return (
                <button
                  key={item.name}
                  type="button"
                  role="option"
                  aria-selected={isSelected}
                  onClick={() => setSelected(item.name)}
                  data-testid={`prompt-item-${item.name}`}
                  title={item.description}
                  className={cn('block w-full border-l-2 px-3 py-1.5 text-left', isSelected ? 'border-l-accent bg-selected' : 'border-l-transparent hover:bg-hover')}
                >
                  <span className="block truncate text-[13px] font-medium">{item.title || item.name}</span>
                  {item.title && item.title !== item.name && <span className="block truncate font-mono text-[11px] text-muted">{item.name}</span>}
                  <span className="block truncate text-[11px] text-faint">
                    {args.length === 0 ? 'no arguments' : args.map((arg) => `${arg.name}${arg.required ? '*' : ''}`).join(', ')}
                  </span>
                </button>
              );
            })
          )}
          {prompts.hasMore && (
            <div className="px-3 py-2">
              <Button size="sm" className="w-full" onClick={prompts.loadMore} disabled={prompts.query.isFetchingNextPage} data-testid="load-more">
                {prompts.query.isFetchingNextPage ? 'Loading…' : 'Load the next page (nextCursor)'}
              </Button>
            </div>
          )}
        </div>
        <div className="shrink-0 border-t border-line px-3 py-1 text-[11px] text-faint">
          {prompts.items.length} prompt{prompts.items.length === 1 ? '' : 's'} · {prompts.pages} page{prompts.pages === 1 ? '' : 's'} · {changes} list change{changes === 1 ? '' : 's'}
        </div>
      </aside>
      <section className="min-w-0 flex-1 overflow-auto bg-bg">
        {prompt ? (
          <PromptDetail key={prompt.name} sessionId={sessionId} prompt={prompt} connected={connected} completions={'completions' in capabilities} />
        ) : (
          <EmptyState title="Pick a prompt">Select a prompt to fill in its arguments (with the server’s suggestions) and get its messages.</EmptyState>
        )}
      </section>
    </div>
  );
}
