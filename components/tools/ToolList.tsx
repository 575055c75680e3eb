'use client';

import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { ToolInfo } from '../api';
import { Kbd, ListFooter, ListNote, ListOption, ListSearchRow, RefreshButton, SearchBox } from '../ui';
import { groupTools, searchTools, toolLabel } from './namespaces';
import { AnnotationBadges, ToolIcon } from './ToolBits';

export function ToolList({
  tools,
  selected,
  onSelect,
  search,
  onSearch,
  onRefresh,
  refreshing,
  runningTools,
  newTools,
  onEnter,
  refreshError,
}: {
  tools: readonly ToolInfo[];
  selected: string | null;
  onSelect: (name: string) => void;
  search: string;
  onSearch: (search: string) => void;
  onRefresh: () => void;
  refreshing: boolean;
  runningTools: ReadonlySet<string>;
  /** Tools the server added with its latest list change, marked "new". */
  newTools?: ReadonlySet<string>;
  /** Enter in the search box: move focus to the selected tool's form. */
  onEnter: () => void;
  refreshError?: { code: string; message: string } | null;
}) {
  const filtered = useMemo(() => searchTools(tools, search), [tools, search]);
  const groups = useMemo(() => (search.trim() ? [{ namespace: null, tools: filtered }] : groupTools(filtered)), [filtered, search]);
  const order = useMemo(() => groups.flatMap((group) => group.tools.map((tool) => tool.name)), [groups]);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!selected) return;
    listRef.current?.querySelector(`[data-tool-name="${CSS.escape(selected)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const move = (delta: number) => {
    if (order.length === 0) return;
    const index = selected ? order.indexOf(selected) : -1;
    const next = index < 0 ? (delta > 0 ? 0 : order.length - 1) : Math.max(0, Math.min(order.length - 1, index + delta));
    onSelect(order[next]);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      move(1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      move(-1);
    } else if (event.key === 'Enter' && !event.metaKey && !event.ctrlKey) {
      event.preventDefault();
      if (!selected && order[0]) onSelect(order[0]);
      onEnter();
    } else if (event.key === 'Escape' && search) {
      event.preventDefault();
      onSearch('');
    }
  };

  return (
    <div className="flex h-full min-h-0 flex-col">
      <ListSearchRow>
        <SearchBox
          value={search}
          onSearch={onSearch}
          placeholder="Search tools"
          onKeyDown={onKeyDown}
          data-testid="tool-search"
          aria-label="Search tools"
          aria-controls="tool-list"
          autoComplete="off"
          spellCheck={false}
        >
          {!search && (
            <span className="pointer-events-none absolute top-1.5 right-2">
              <Kbd>/</Kbd>
            </span>
          )}
        </SearchBox>
        <RefreshButton
          onClick={onRefresh}
          title="Reload the tool list (tools/list)"
          label="Reload the tool list"
          testId="tools-refresh"
          spinning={refreshing}
        />
      </ListSearchRow>
      {refreshError && (
        <div className="shrink-0 border-b border-err/40 bg-err-soft px-3 py-1.5 text-xs" role="alert">
          <span className="text-err">Reloading the tools failed:</span> {refreshError.message}{' '}
          <span className="font-mono text-[10px] text-muted">({refreshError.code})</span>
        </div>
      )}
      <div ref={listRef} id="tool-list" role="listbox" aria-label="Tools" className="min-h-0 flex-1 overflow-auto py-1" onKeyDown={onKeyDown}>
        {filtered.length === 0 && <ListNote>No tool matches “{search}”.</ListNote>}
        {groups.map((group) => (
          <div key={group.namespace ?? ''} role="group" aria-label={group.namespace ?? 'Tools'}>
            {group.namespace && (
              <div className="sticky top-0 z-10 flex items-center gap-1 bg-panel px-3 pt-2 pb-0.5 text-[11px] font-semibold tracking-wide text-muted uppercase">
                {group.namespace}
                <span className="font-normal opacity-70">{group.tools.length}</span>
              </div>
            )}
            {group.tools.map((tool) => {
              const label = toolLabel(tool);
              const isSelected = tool.name === selected;
              return (
                <ListOption
                  key={tool.name}
                  selected={isSelected}
                  data-testid={`tool-item-${tool.name}`}
                  data-tool-name={tool.name}
                  onClick={() => onSelect(tool.name)}
                  title={tool.excluded ? `Excluded from calls: ${tool.excluded}` : tool.description}
                  className={`flex items-start gap-2${tool.excluded ? ' opacity-55' : ''}`}
                  data-excluded={tool.excluded ? 'true' : undefined}
                >
                  <ToolIcon tool={tool} className="mt-0.5" />
                  <span className="min-w-0 flex-1">
                    <span className="flex items-center gap-1.5">
                      <span className="truncate text-[13px] font-medium">{label}</span>
                      {newTools?.has(tool.name) && (
                        <span className="shrink-0 rounded bg-ok-soft px-1 text-[10px] font-semibold text-ok uppercase" data-testid="tool-new">
                          new
                        </span>
                      )}
                      {tool.excluded && (
                        <span className="shrink-0 rounded bg-warn-soft px-1 text-[10px] font-semibold text-warn uppercase" data-testid="tool-excluded">
                          excluded
                        </span>
                      )}
                      {runningTools.has(tool.name) && <span className="h-1.5 w-1.5 shrink-0 animate-pulse rounded-full bg-accent" title="Call running" />}
                    </span>
                    {label !== tool.name && <span className="block truncate font-mono text-[11px] text-muted">{tool.name}</span>}
                    <span className="mt-0.5 block">
                      <AnnotationBadges tool={tool} compact />
                    </span>
                  </span>
                </ListOption>
              );
            })}
          </div>
        ))}
      </div>
      <ListFooter>
        {filtered.length === tools.length ? `${tools.length} tools` : `${filtered.length} of ${tools.length} tools`} ·{' '}
        <Kbd>↑</Kbd>
        <Kbd>↓</Kbd> select · <Kbd>Enter</Kbd> edit
      </ListFooter>
    </div>
  );
}
