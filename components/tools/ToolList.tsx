'use client';

import { useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { ToolInfo } from '../api';
import { Kbd, ListFooter, ListNote, ListOption, ListSearchRow, RefreshButton, SearchBox } from '../ui';
import { groupTools, searchTools, toolLabel, type ToolGroup } from './namespaces';
import { AppBadge } from '../apps';
import { AnnotationBadges, ToolIcon } from './ToolBits';

/** One line of the list: a namespace's heading, or a tool. */
type Row = { kind: 'group'; namespace: string; count: number } | { kind: 'tool'; tool: ToolInfo; namespace: string | null };

/** Consecutive rows in view that belong to one group: drawn inside that group's element, where they lie. */
interface Segment {
  namespace: string | null;
  start: number;
  items: VirtualItem[];
}

const GROUP_ROW_PX = 26;
const NAVIGATION_KEYS = new Set(['ArrowDown', 'ArrowUp', 'Home', 'End']);

const optionId = (rowIndex: number) => `tool-option-${rowIndex}`;
const TOOL_ROW_PX = 36;
const SECOND_LINE_PX = 16;

function rowsOf(groups: readonly ToolGroup[]): Row[] {
  const rows: Row[] = [];
  for (const group of groups) {
    if (group.namespace) rows.push({ kind: 'group', namespace: group.namespace, count: group.tools.length });
    for (const tool of group.tools) rows.push({ kind: 'tool', tool, namespace: group.namespace });
  }
  return rows;
}

function estimateRow(row: Row): number {
  if (row.kind === 'group') return GROUP_ROW_PX;
  const tool = row.tool;
  const annotated = tool.annotations && Object.keys(tool.annotations).some((key) => key !== 'title');
  return TOOL_ROW_PX + (toolLabel(tool) !== tool.name ? SECOND_LINE_PX : 0) + (annotated ? SECOND_LINE_PX : 0);
}

export function ToolList({
  tools,
  selected,
  onSelect,
  onOpen,
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
  /** A tool was picked with a click (on a narrow screen its detail then replaces the list). */
  onOpen?: () => void;
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
  const positions = useMemo(() => new Map(order.map((name, index) => [name, index])), [order]);
  // A server may list tens of thousands of tools: only the rows in view (and a few around) exist in the page.
  const rows = useMemo(() => rowsOf(groups), [groups]);
  const rowIndex = useMemo(
    () => new Map(rows.flatMap((row, index) => (row.kind === 'tool' ? [[row.tool.name, index] as const] : []))),
    [rows],
  );
  const listRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => listRef.current,
    estimateSize: (index) => estimateRow(rows[index]!),
    getItemKey: (index) => {
      const row = rows[index]!;
      return row.kind === 'group' ? `group:${row.namespace}` : `tool:${row.tool.name}`;
    },
    // Before the list is measured (the first paint), lay out a screenful of rows.
    initialRect: { width: 300, height: 800 },
    overscan: 8,
  });

  useEffect(() => {
    const index = selected ? rowIndex.get(selected) : undefined;
    if (index !== undefined) virtualizer.scrollToIndex(index, { align: 'auto' });
    // Only when the selection moves (or the list it is in changes), not on every measurement.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected, rowIndex]);

  const items = virtualizer.getVirtualItems();
  const segments: Segment[] = [];
  for (const item of items) {
    const row = rows[item.index]!;
    const last = segments[segments.length - 1];
    if (last && last.namespace === row.namespace) last.items.push(item);
    else segments.push({ namespace: row.namespace, start: item.start, items: [item] });
  }
  // The namespace of the first row in view stays at the top while its tools scroll under it.
  const firstInView = items.find((item) => item.end > virtualizer.scrollOffset!);
  const firstRow = firstInView ? rows[firstInView.index] : undefined;
  const stuck =
    firstRow && firstRow.namespace && !(firstRow.kind === 'group' && firstInView!.start >= (virtualizer.scrollOffset ?? 0))
      ? firstRow.namespace
      : null;
  const stuckCount = stuck ? groups.find((group) => group.namespace === stuck)?.tools.length : undefined;

  const move = (delta: number) => {
    if (order.length === 0) return;
    const index = selected ? (positions.get(selected) ?? -1) : -1;
    const next = index < 0 ? (delta > 0 ? 0 : order.length - 1) : Math.max(0, Math.min(order.length - 1, index + delta));
    onSelect(order[next]);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const inList = event.currentTarget === listRef.current;
    // A focused row scrolled out of view leaves the page (and takes the focus with it): the list keeps the focus.
    if (inList && event.target !== listRef.current && NAVIGATION_KEYS.has(event.key)) listRef.current?.focus({ preventScroll: true });
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      move(1);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      move(-1);
    } else if ((event.key === 'Home' || event.key === 'End') && inList && order.length > 0) {
      event.preventDefault();
      onSelect(order[event.key === 'Home' ? 0 : order.length - 1]);
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
      <div
        ref={listRef}
        id="tool-list"
        role="listbox"
        aria-label="Tools"
        className="relative min-h-0 flex-1 overflow-auto focus:outline-none focus-visible:ring-2 focus-visible:ring-accent/40 focus-visible:ring-inset"
        tabIndex={0}
        aria-activedescendant={selected && rowIndex.has(selected) ? optionId(rowIndex.get(selected)!) : undefined}
        onKeyDown={onKeyDown}
        data-testid="tool-list"
        data-rows={rows.length}
      >
        {filtered.length === 0 && <ListNote>No tool matches “{search}”.</ListNote>}
        {stuck && (
          <div className="sticky top-0 z-10 h-0" aria-hidden>
            <GroupHeading namespace={stuck} count={stuckCount ?? 0} />
          </div>
        )}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {segments.map((segment) => (
            <div
              key={`${segment.namespace ?? ''}@${segment.items[0]!.index}`}
              role="group"
              aria-label={segment.namespace ?? 'Tools'}
              className="absolute right-0 left-0"
              style={{ top: segment.start }}
            >
              {segment.items.map((item) => {
                const row = rows[item.index]!;
                return (
                  <div key={item.key} data-index={item.index} ref={virtualizer.measureElement}>
                    {row.kind === 'group' ? (
                      <GroupHeading namespace={row.namespace} count={row.count} />
                    ) : (
                      <ToolRow
                        tool={row.tool}
                        selected={row.tool.name === selected}
                        isNew={newTools?.has(row.tool.name) ?? false}
                        running={runningTools.has(row.tool.name)}
                        onSelect={(name) => {
                          onSelect(name);
                          onOpen?.();
                        }}
                        id={optionId(item.index)}
                        position={(positions.get(row.tool.name) ?? 0) + 1}
                        total={order.length}
                      />
                    )}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </div>
      <ListFooter>
        {filtered.length === tools.length ? `${tools.length} tools` : `${filtered.length} of ${tools.length} tools`} · <Kbd>↑</Kbd>
        <Kbd>↓</Kbd> select · <Kbd>Enter</Kbd> edit
      </ListFooter>
    </div>
  );
}

function GroupHeading({ namespace, count }: { namespace: string; count: number }) {
  return (
    <div
      className="flex h-[26px] items-center gap-1 bg-panel px-3 pt-1.5 text-[11px] font-semibold tracking-wide text-muted uppercase"
      data-testid="tool-group"
    >
      {namespace}
      <span className="font-normal opacity-70">{count}</span>
    </div>
  );
}

function ToolRow({
  tool,
  selected,
  isNew,
  running,
  onSelect,
  id,
  position,
  total,
}: {
  tool: ToolInfo;
  selected: boolean;
  isNew: boolean;
  running: boolean;
  onSelect: (name: string) => void;
  id: string;
  /** 1-based place among the rows, and how many there are: only a few are in the page at once. */
  position: number;
  total: number;
}) {
  const label = toolLabel(tool);
  return (
    <ListOption
      selected={selected}
      data-testid={`tool-item-${tool.name}`}
      data-tool-name={tool.name}
      id={id}
      onClick={() => onSelect(tool.name)}
      title={tool.excluded ? `Excluded from calls: ${tool.excluded}` : tool.description}
      aria-posinset={position}
      aria-setsize={total}
      className={`flex items-start gap-2${tool.excluded ? ' opacity-55' : ''}`}
      data-excluded={tool.excluded ? 'true' : undefined}
    >
      <ToolIcon tool={tool} className="mt-0.5" />
      <span className="min-w-0 flex-1">
        <span className="flex items-center gap-1.5">
          <span className="truncate text-[13px] font-medium">{label}</span>
          {isNew && (
            <span className="shrink-0 rounded bg-ok-soft px-1 text-[10px] font-semibold text-ok uppercase" data-testid="tool-new">
              new
            </span>
          )}
          {tool.excluded && (
            <span className="shrink-0 rounded bg-warn-soft px-1 text-[10px] font-semibold text-warn uppercase" data-testid="tool-excluded">
              excluded
            </span>
          )}
          {running && <span className="h-1.5 w-1.5 shrink-0 animate-pulse rounded-full bg-accent" title="Call running" />}
        </span>
        {label !== tool.name && <span className="block truncate font-mono text-[11px] text-muted">{tool.name}</span>}
        <span className="mt-0.5 flex flex-wrap gap-1">
          <AppBadge tool={tool} compact />
          <AnnotationBadges tool={tool} compact />
        </span>
      </span>
    </ListOption>
  );
}
