'use client';

import { useMemo } from 'react';
import { useLogSelector, type LogStore } from '../log-store';
import { Badge, Button, CopyButton, IconAlert, IconCheck, ServerLink } from '../ui';
import type { UrlElicitationRequired } from './url-elicitation';

const COMPLETE = 'notifications/elicitation/complete';

/** elicitationIds the server said are done (`notifications/elicitation/complete`). */
function useCompletedElicitations(store: LogStore): ReadonlySet<string> {
  const count = useLogSelector(store, () => store.methods.get(COMPLETE) ?? 0);
  return useMemo(() => {
    const done = new Set<string>();
    if (count === 0) return done;
    for (const event of store.rpc) {
      if (event.direction !== 'in' || event.method !== COMPLETE) continue;
      const params = (event.message as { params?: { elicitationId?: unknown } } | undefined)?.params;
      if (typeof params?.elicitationId === 'string') done.add(params.elicitationId);
    }
    return done;
  }, [store, count]);
}

const NONE: ReadonlySet<string> = new Set();

type PanelProps = { message: string; required: UrlElicitationRequired; onRetry?: () => void };

/** The panel in a live session: it marks the elicitations the server reports complete. */
export function LiveUrlElicitationPanel({ store, ...props }: PanelProps & { store: LogStore }) {
  return <UrlElicitationPanel {...props} completed={useCompletedElicitations(store)} />;
}

/**
 * JSON-RPC error -32042: the pages the server wants the person to open before the call can succeed. Each link
 * is shown with its full URL and its domain first, and opens only when clicked, in a new tab without access
 * back to mcpscope (rel=noopener). Nothing is fetched or opened by itself.
 */
export function UrlElicitationPanel({ message, required, onRetry, completed = NONE }: PanelProps & { completed?: ReadonlySet<string> }) {
  const count = required.items.length;
  return (
    <div className="rounded border border-warn/60 bg-warn-soft px-3 py-2 text-[13px]" data-testid="url-elicitation" role="alert">
      <div className="flex items-center gap-2">
        <IconAlert className="h-4 w-4 shrink-0 text-warn" />
        <span className="font-semibold">URL elicitation required</span>
        <span className="font-mono text-xs text-muted" data-testid="result-error-code">
          -32042
        </span>
      </div>
      <div className="mt-1 break-words" data-testid="url-elicitation-message">
        {message}
      </div>
      <p className="mt-1 text-xs text-muted">
        {count === 0
          ? 'The server asked for a step in your browser but named no page mcpscope can offer.'
          : `The server needs you to finish ${count === 1 ? 'a step' : `${count} steps`} in your browser before it can run this call. mcpscope does not open these pages for you: check where each one goes, open it, finish there, then call the tool again.`}
      </p>

      <ol className="mt-2 flex flex-col gap-2">
        {required.items.map((item) => {
          const done = completed.has(item.elicitationId);
          return (
            <li
              key={item.elicitationId}
              className="rounded border border-line bg-panel px-3 py-2"
              data-testid="url-elicitation-item"
              data-elicitation-id={item.elicitationId}
            >
              {item.message && <div className="font-medium break-words">{item.message}</div>}
              <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs">
                <span className="text-muted">Opens a page on</span>
                <span
                  className="rounded bg-panel-2 px-1.5 py-0.5 font-mono text-[13px] font-semibold text-fg"
                  data-testid="url-elicitation-domain"
                >
                  {item.host}
                </span>
                {done && (
                  <Badge tone="ok" data-testid="url-elicitation-completed">
                    <IconCheck className="mr-0.5 h-3 w-3" /> the server says it is complete
                  </Badge>
                )}
              </div>
              <div className="mt-1 flex items-start gap-1 font-mono text-[11px] break-all text-muted" data-testid="url-elicitation-url">
                <span>
                  {item.parts.before}
                  <strong className="text-fg">{item.parts.host}</strong>
                  {item.parts.after}
                </span>
                <CopyButton text={item.url} label="Copy URL" />
              </div>
              {item.warnings.map((warning) => (
                <div key={warning} className="mt-1 flex gap-1 text-xs text-warn" data-testid="url-elicitation-warning">
                  <IconAlert className="mt-0.5 h-3 w-3 shrink-0" />
                  {warning}
                </div>
              ))}
              <div className="mt-1.5 flex flex-wrap items-center gap-2">
                <ServerLink
                  href={item.url}
                  what="The page to open"
                  target="_blank"
                  rel="noopener noreferrer"
                  className="inline-flex h-7 items-center gap-1 rounded border border-line bg-panel-2 px-2 text-xs font-medium text-accent hover:bg-hover"
                  data-testid="url-elicitation-open"
                >
                  Open {item.host} in a new tab ↗
                </ServerLink>
                <span className="font-mono text-[10px] text-faint">elicitationId {item.elicitationId}</span>
              </div>
            </li>
          );
        })}
      </ol>

      {required.invalid.length > 0 && (
        <div className="mt-2 text-xs" data-testid="url-elicitation-invalid">
          <div className="font-semibold text-err">Not offered as links (they break the spec’s shape for this error):</div>
          <ul className="list-disc pl-4">
            {required.invalid.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      )}

      {onRetry && (
        <div className="mt-2">
          <Button size="sm" onClick={onRetry} data-testid="url-elicitation-retry">
            Call the tool again
          </Button>
        </div>
      )}
    </div>
  );
}
