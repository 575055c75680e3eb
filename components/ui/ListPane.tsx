'use client';

import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode } from 'react';
import { Button } from './Button';
import { cn } from './cn';
import { IconButton } from './IconButton';
import { IconRefresh, IconSearch } from './icons';
import { Spinner } from './Spinner';

/** `pane`: a list pane's own search row; `compact`: one control among others; `toolbar`: a view's filter bar. */
type SearchLook = 'pane' | 'compact' | 'toolbar';

const SEARCH_LOOK: Record<SearchLook, { icon: string; input: string }> = {
  pane: { icon: 'left-2', input: 'input pl-7' },
  compact: { icon: 'left-2', input: 'input h-6 pl-7 text-xs' },
  toolbar: { icon: 'left-1.5', input: 'input h-6 pl-6 text-xs' },
};

/** A text input with a search icon; it answers the `/` shortcut (data-shortcut="search"). */
export function SearchBox({
  value,
  onSearch,
  look = 'pane',
  className = 'flex-1',
  children,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'className' | 'children'> & {
  value: string;
  onSearch: (value: string) => void;
  look?: SearchLook;
  /** The wrapper's size classes. */
  className?: string;
  /** Drawn over the input (a shortcut hint). */
  children?: ReactNode;
}) {
  const style = SEARCH_LOOK[look];
  return (
    <div className={cn('relative', className)}>
      <IconSearch className={cn('pointer-events-none absolute top-1.5 h-3.5 w-3.5 text-faint', style.icon)} />
      <input className={style.input} value={value} onChange={(event) => onSearch(event.target.value)} data-shortcut="search" {...input} />
      {children}
    </div>
  );
}

/** The icon button that lists again; spins while a list request is in flight. */
export function RefreshButton({
  onClick,
  title,
  label,
  testId,
  spinning,
}: {
  onClick: () => void;
  title: string;
  label: string;
  testId: string;
  spinning: boolean;
}) {
  return (
    <IconButton onClick={onClick} title={title} label={label} data-testid={testId} size="md" tone="muted">
      <IconRefresh className={cn('h-3.5 w-3.5', spinning && 'animate-spin')} />
    </IconButton>
  );
}

/** A list pane's top row: its search box and whatever sits beside it. */
export function ListSearchRow({ children }: { children: ReactNode }) {
  return <div className="flex shrink-0 items-center gap-1 border-b border-line p-2">{children}</div>;
}

/** One selectable item of a list pane (inside a role="listbox"). */
export function ListOption({
  selected,
  className = 'block',
  ...button
}: Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'role'> & {
  selected: boolean;
  /** Layout of the item's content. */ className?: string;
}) {
  return (
    <button
      type="button"
      role="option"
      aria-selected={selected}
      className={cn(
        className,
        'w-full border-l-2 px-3 py-1.5 text-left',
        selected ? 'border-l-accent bg-selected' : 'border-l-transparent hover:bg-hover',
      )}
      {...button}
    />
  );
}

/** A line of text in place of a list's items (nothing listed, nothing matches). */
export function ListNote({ children }: { children: ReactNode }) {
  return <div className="px-3 py-4 text-center text-xs text-muted">{children}</div>;
}

export function ListLoading() {
  return (
    <div className="flex items-center justify-center gap-2 p-6 text-xs text-muted">
      <Spinner /> Listing…
    </div>
  );
}

/** A list request that failed with nothing listed to show instead. */
export function ListFailure({ method, testId, children }: { method: string; testId?: string; children: ReactNode }) {
  return (
    <div className="m-2 rounded border border-err/40 bg-err-soft p-2 text-xs" role="alert" data-testid={testId}>
      <div className="font-semibold text-err">{method} failed</div>
      {children}
    </div>
  );
}

/** Asks for the next page of a paged (cursor) list. */
export function LoadMoreButton({ onClick, loading }: { onClick: () => void; loading: boolean }) {
  return (
    <div className="px-3 py-2">
      <Button size="sm" className="w-full" onClick={onClick} disabled={loading} data-testid="load-more">
        {loading ? 'Loading…' : 'Load the next page (nextCursor)'}
      </Button>
    </div>
  );
}

/** A paged list as the list hooks give it (components/api's useMcpList), as far as its pane's body needs it. */
interface PagedListState {
  items: readonly unknown[];
  hasMore: boolean;
  loadMore: () => void;
  query: { isPending: boolean; isError: boolean; error: unknown; isFetchingNextPage: boolean };
}

/**
 * The body of a paged list pane: "Listing…" for the first page, the failure while nothing is listed, a note when
 * no row is shown (nothing listed or nothing matches), else the rows; then the next-page button while there is one.
 */
export function PagedListBody({
  list,
  method,
  failureTestId,
  describeError,
  shownCount,
  emptyNote,
  children,
}: {
  list: PagedListState;
  method: string;
  failureTestId?: string;
  describeError: (error: unknown) => ReactNode;
  shownCount: number;
  emptyNote: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      {list.query.isPending ? (
        <ListLoading />
      ) : list.query.isError && list.items.length === 0 ? (
        <ListFailure method={method} testId={failureTestId}>
          {describeError(list.query.error)}
        </ListFailure>
      ) : shownCount === 0 ? (
        <ListNote>{emptyNote}</ListNote>
      ) : (
        children
      )}
      {list.hasMore && <LoadMoreButton onClick={list.loadMore} loading={list.query.isFetchingNextPage} />}
    </>
  );
}

/** The status line under a list pane. */
export function ListFooter({ testId, children }: { testId?: string; children: ReactNode }) {
  return (
    <div className="shrink-0 border-t border-line px-3 py-1 text-[11px] text-faint" data-testid={testId}>
      {children}
    </div>
  );
}
