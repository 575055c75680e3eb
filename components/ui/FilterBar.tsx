'use client';

import type { ReactNode } from 'react';
import { cn } from './cn';
import { EmptyState } from './EmptyState';
import { Spinner } from './Spinner';

/** The one-line filter row above a log table, with the shown count at its right end. */
export function FilterBar({ count, children }: { count: ReactNode; children: ReactNode }) {
  return (
    <div className="flex h-8 shrink-0 items-center gap-2 border-b border-line bg-panel px-2">
      {children}
      <span className="ml-auto text-[11px] text-muted">{count}</span>
    </div>
  );
}

export interface FilterChoice<K extends string> {
  key: K;
  label: ReactNode;
  title?: string;
  testId: string;
}

/** A row of mutually exclusive filter buttons (a radio group). */
export function FilterChoices<K extends string>({
  label,
  choices,
  value,
  onChange,
}: {
  label: string;
  choices: ReadonlyArray<FilterChoice<K>>;
  value: K;
  onChange: (key: K) => void;
}) {
  return (
    <div className="flex items-center gap-0.5" role="radiogroup" aria-label={label}>
      {choices.map((choice) => (
        <button
          key={choice.key}
          type="button"
          role="radio"
          aria-checked={value === choice.key}
          title={choice.title}
          data-testid={choice.testId}
          onClick={() => onChange(choice.key)}
          className={cn(
            'h-6 rounded px-2 text-xs',
            value === choice.key ? 'bg-accent-soft font-medium text-accent' : 'text-muted hover:bg-hover hover:text-fg',
          )}
        >
          {choice.label}
        </button>
      ))}
    </div>
  );
}

/**
 * What a filtered log table shows: "loading" while the log arrives, `empty` when nothing was logged yet, a way
 * to clear the filters when nothing matches them, else the table.
 */
export function FilteredLogBody({
  logged,
  shown,
  loading,
  empty,
  noMatchTitle,
  clearLabel,
  onClear,
  children,
}: {
  /** How many entries the log holds. */
  logged: number;
  /** How many pass the filters. */
  shown: number;
  loading: boolean;
  empty: { title: string; text: ReactNode };
  noMatchTitle: string;
  clearLabel: string;
  onClear: () => void;
  children: ReactNode;
}) {
  return (
    <div className="min-h-0 flex-1">
      {logged === 0 ? (
        loading ? (
          <EmptyState title="Loading the session log…" icon={<Spinner />} />
        ) : (
          <EmptyState title={empty.title}>{empty.text}</EmptyState>
        )
      ) : shown === 0 ? (
        <EmptyState title={noMatchTitle}>
          <button type="button" className="text-accent underline" onClick={onClear}>
            {clearLabel}
          </button>
        </EmptyState>
      ) : (
        children
      )}
    </div>
  );
}
