'use client';

import { cn } from './cn';

export interface ListChangeSummary {
  added: readonly string[];
  removed: readonly string[];
  changed: readonly string[];
  /** Epoch ms when the new list arrived. */
  at: number;
}

const MAX_NAMED = 6;

function names(items: readonly string[]): string {
  const shown = items.slice(0, MAX_NAMED).join(', ');
  return items.length > MAX_NAMED ? `${shown} and ${items.length - MAX_NAMED} more` : shown;
}

/**
 * "The server changed this list": what was added, removed and redefined, and when it was listed again.
 * Shown at the top of a list view after a `list_changed` (also one that arrived while the view was hidden).
 */
export function ListChangeNotice({
  title,
  method,
  change,
  onDismiss,
  testId,
  className,
}: {
  title: string;
  /** The notification behind it, e.g. `notifications/tools/list_changed`. */
  method?: string;
  change: ListChangeSummary;
  onDismiss: () => void;
  testId?: string;
  className?: string;
}) {
  const time = new Date(change.at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const nothing = change.added.length === 0 && change.removed.length === 0 && change.changed.length === 0;
  return (
    <div
      className={cn('flex shrink-0 items-start gap-1.5 border-b border-line bg-accent-soft px-3 py-1.5 text-xs', className)}
      role="status"
      data-testid={testId}
    >
      <div className="min-w-0 flex-1">
        <div className="font-semibold">{title}</div>
        <div className="text-[11px] text-muted">
          {method && <span className="font-mono">{method} · </span>}listed again at {time}
        </div>
        {nothing && <div className="text-muted">Same items as before.</div>}
        {change.added.length > 0 && (
          <div className="break-words" data-testid={testId ? `${testId}-added` : undefined}>
            <span className="font-semibold text-ok">+ added</span> <span className="font-mono">{names(change.added)}</span>
          </div>
        )}
        {change.removed.length > 0 && (
          <div className="break-words" data-testid={testId ? `${testId}-removed` : undefined}>
            <span className="font-semibold text-err">− removed</span> <span className="font-mono">{names(change.removed)}</span>
          </div>
        )}
        {change.changed.length > 0 && (
          <div className="break-words" data-testid={testId ? `${testId}-changed` : undefined}>
            <span className="font-semibold text-warn">~ changed</span> <span className="font-mono">{names(change.changed)}</span>
          </div>
        )}
      </div>
      <button
        type="button"
        onClick={onDismiss}
        aria-label="Dismiss"
        className="shrink-0 rounded px-1 text-muted hover:bg-hover hover:text-fg"
      >
        ×
      </button>
    </div>
  );
}
