'use client';

import { useMemo } from 'react';
import type { SessionSummary } from '@/lib/contract';
import { describeFailure, useMcpList } from '../api';
import type { LogStore } from '../log-store';
import { useNotificationCount } from '../notifications';
import {
  EmptyState,
  ListChangeNotice,
  ListFooter,
  ListOption,
  ListSearchRow,
  PagedListBody,
  RefreshButton,
  SearchBox,
  Spinner,
  useStickyState,
} from '../ui';
import { BackToList, useNarrowPanes } from '../tools';
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
  const panes = useNarrowPanes();
  const query = search.trim().toLowerCase();
  const shown = useMemo(
    () =>
      prompts.items.filter(
        (prompt) => !query || [prompt.name, prompt.title, prompt.description].some((field) => field?.toLowerCase().includes(query)),
      ),
    [prompts.items, query],
  );

  if (!summary || summary.state === 'connecting') return <EmptyState title="Waiting for the connection…" icon={<Spinner />} />;
  if (!connected && !prompts.query.data)
    return (
      <EmptyState title="Not connected" testId="prompts-unavailable">
        Connect to list the server’s prompts.
      </EmptyState>
    );
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
      <aside className={`flex w-[300px] shrink-0 flex-col border-r border-line bg-panel ${panes.listClass}`}>
        <ListSearchRow>
          <SearchBox
            value={search}
            onSearch={setSearch}
            placeholder="Search prompts"
            data-testid="prompt-search"
            aria-label="Search prompts"
          />
          <RefreshButton
            onClick={() => void prompts.query.refetch()}
            title="List again (prompts/list)"
            label="List the prompts again"
            testId="prompts-refresh"
            spinning={prompts.query.isFetching}
          />
        </ListSearchRow>
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
          <PagedListBody
            list={prompts}
            method="prompts/list"
            describeError={describeFailure}
            shownCount={shown.length}
            emptyNote={query ? `No prompt matches “${search}”.` : 'prompts/list returned no prompts.'}
          >
            {shown.map((item) => {
              const isSelected = item.name === selected;
              const args = item.arguments ?? [];
              return (
                <ListOption
                  key={item.name}
                  selected={isSelected}
                  onClick={() => {
                    setSelected(item.name);
                    panes.showDetail();
                  }}
                  data-testid={`prompt-item-${item.name}`}
                  title={item.description}
                >
                  <span className="block truncate text-[13px] font-medium">{item.title || item.name}</span>
                  {item.title && item.title !== item.name && (
                    <span className="block truncate font-mono text-[11px] text-muted">{item.name}</span>
                  )}
                  <span className="block truncate text-[11px] text-faint">
                    {args.length === 0 ? 'no arguments' : args.map((arg) => `${arg.name}${arg.required ? '*' : ''}`).join(', ')}
                  </span>
                </ListOption>
              );
            })}
          </PagedListBody>
        </div>
        <ListFooter>
          {prompts.items.length} prompt{prompts.items.length === 1 ? '' : 's'} · {prompts.pages} page{prompts.pages === 1 ? '' : 's'} ·{' '}
          {changes} list change{changes === 1 ? '' : 's'}
        </ListFooter>
      </aside>
      <section className={`min-w-0 flex-1 overflow-auto bg-bg ${panes.detailClass}`}>
        <BackToList label="All prompts" onBack={panes.showList} />
        {prompt ? (
          <PromptDetail
            key={prompt.name}
            sessionId={sessionId}
            prompt={prompt}
            connected={connected}
            completions={'completions' in capabilities}
          />
        ) : (
          <EmptyState title="Pick a prompt">
            Select a prompt to fill in its arguments (with the server’s suggestions) and get its messages.
          </EmptyState>
        )}
      </section>
    </div>
  );
}
