'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { Fragment, useEffect, useRef, type CSSProperties, type KeyboardEvent, type ReactNode } from 'react';

type RowKey = string | number;

const SCROLL_CLASS =
  'relative min-h-0 flex-1 overflow-auto bg-panel focus:outline-none focus-visible:ring-2 focus-visible:ring-accent/40 focus-visible:ring-inset';

/**
 * A fixed-row-height, virtualized table with keyboard selection. Rows are drawn by the caller (absolutely
 * positioned at `start`), so each table keeps its own columns and looks; this holds what they share.
 */
export function VirtualTable<T, K extends RowKey>({
  label,
  grid,
  header,
  listTestId,
  items,
  rowHeight,
  getKey,
  selectedKey,
  onSelect,
  renderRow,
  pageStep,
  follow,
  version,
}: {
  /** The table's accessible name. */
  label: string;
  /** The column template shared by the header and the rows. */
  grid: CSSProperties;
  /** The header row's cells. */
  header: ReactNode;
  listTestId: string;
  items: readonly T[];
  rowHeight: number;
  getKey: (item: T) => K;
  selectedKey: K | null;
  onSelect: (key: K) => void;
  renderRow: (item: T, start: number) => ReactNode;
  /** When set, PageUp/PageDown move the selection by this many rows (else the list scrolls natively). */
  pageStep?: number;
  /** Keep the newest row in view while the list is scrolled to the bottom. */
  follow?: boolean;
  /** Changes whenever the rows' content may have changed; shown as `data-version`. */
  version?: number;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 20,
  });
  const selectedIndex = selectedKey === null ? -1 : items.findIndex((item) => getKey(item) === selectedKey);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
    // Only when the selection moves, not on every new row.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedKey]);

  // Like a console: while the user sits at the bottom, new rows keep the view pinned there.
  const pinned = useRef(true);
  useEffect(() => {
    if (!follow || !pinned.current || items.length === 0) return;
    // Rows have a fixed height, so the bottom is known without measuring: writing scrollTop (the browser
    // clamps it) costs no layout, where scrollToIndex reads the scroll height (a forced layout) on every
    // batch and again in its follow-up frames, which adds up during a notification flood.
    const element = scrollRef.current;
    if (element) element.scrollTop = items.length * rowHeight;
  }, [follow, items.length, rowHeight]);
  const onScroll = () => {
    const element = scrollRef.current;
    if (element) pinned.current = element.scrollTop + element.clientHeight >= element.scrollHeight - rowHeight * 2;
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (items.length === 0) return;
    const last = items.length - 1;
    let next = -1;
    if (event.key === 'ArrowDown') next = Math.min(last, selectedIndex + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, selectedIndex < 0 ? 0 : selectedIndex - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = last;
    else if (pageStep && event.key === 'PageDown') next = Math.min(last, Math.max(0, selectedIndex) + pageStep);
    else if (pageStep && event.key === 'PageUp') next = Math.max(0, selectedIndex - pageStep);
    if (next >= 0) {
      event.preventDefault();
      onSelect(getKey(items[next]));
      virtualizer.scrollToIndex(next, { align: 'auto' });
    }
  };

  return (
    <div className="flex h-full min-h-0 flex-col" role="table" aria-label={label} data-version={version}>
      <div className="th grid h-6 shrink-0 items-center px-0" style={grid} role="row">
        {header}
      </div>
      <div
        ref={scrollRef}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={follow === undefined ? undefined : onScroll}
        className={SCROLL_CLASS}
        data-testid={listTestId}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((virtualRow) => {
            const item = items[virtualRow.index];
            return <Fragment key={getKey(item)}>{renderRow(item, virtualRow.start)}</Fragment>;
          })}
        </div>
      </div>
    </div>
  );
}
