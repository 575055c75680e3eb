'use client';

// The MCP App views of a finished log (a share, an imported file), read-only: each view's bridge messages in
// order, both directions, with request/answer latency. The view itself is deliberately not run again. Its HTML is
// a server's code, and the person opening a link never chose to run it; the log keeps only its size (the HTML came
// from resources/read, which a share may mask); and a replayed view would send tools/call that no live server can
// answer, so any screen it drew would be made up. The messages are what happened, shown as data.
import { useMemo, useState } from 'react';
import type { AppMessageEvent } from '@/lib/trace';
import { useLogSnapshot, type LogStore } from '../log-store';
import { useWorkspaceNav } from '../nav';
import { Badge, EmptyState, JsonTree, ListOption, cn, formatMs } from '../ui';

interface RecordedView {
  viewId: string;
  resourceUri: string;
  messages: AppMessageEvent[];
}

function groupByView(messages: readonly AppMessageEvent[]): RecordedView[] {
  const map = new Map<string, RecordedView>();
  for (const event of messages) {
    let view = map.get(event.viewId);
    if (!view) {
      view = { viewId: event.viewId, resourceUri: event.resourceUri, messages: [] };
      map.set(event.viewId, view);
    }
    view.messages.push(event);
  }
  return [...map.values()];
}

export function RecordedAppViews({ store }: { store: LogStore }) {
  const snapshot = useLogSnapshot(store);
  const views = useMemo(() => groupByView(store.appMessages), [store, snapshot.appMessageCount]); // eslint-disable-line react-hooks/exhaustive-deps
  const [chosen, setChosen] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const nav = useWorkspaceNav();
  const view = views.find((v) => v.viewId === chosen) ?? views[0];
  if (!view) {
    return (
      <EmptyState title="No app views in this log" testId="recorded-apps-none">
        The session rendered no MCP App view while it was recorded.
      </EmptyState>
    );
  }
  return (
    <div className="flex h-full min-h-0" data-testid="recorded-apps">
      <aside className="flex w-[300px] shrink-0 flex-col border-r border-line bg-panel">
        <div className="border-b border-line px-3 py-2 text-xs text-muted" data-testid="recorded-apps-note">
          Recorded, not running: a shared log shows what each view and mcpscope said to each other, without running the view&apos;s code or
          asking any server.
        </div>
        <div role="listbox" aria-label="App views" className="min-h-0 flex-1 overflow-auto py-1">
          {views.map((v) => (
            <ListOption
              key={v.viewId}
              selected={v === view}
              onClick={() => setChosen(v.viewId)}
              data-testid="recorded-app-view"
              data-view-id={v.viewId}
            >
              <span className="block truncate font-mono text-[12px]">{v.resourceUri}</span>
              <span className="block text-[11px] text-muted">
                {v.messages.length} messages · {formatMs(v.messages.at(-1)!.t - v.messages[0]!.t)} · view {v.viewId}
              </span>
            </ListOption>
          ))}
        </div>
      </aside>
      <section className="min-w-0 flex-1 overflow-auto" data-testid="recorded-app-transcript">
        <div className="th sticky top-0 z-10 grid h-6 grid-cols-[72px_28px_minmax(0,1fr)_72px] items-center gap-2 px-3">
          <span>time</span>
          <span />
          <span>message</span>
          <span className="text-right">latency</span>
        </div>
        {view.messages.map((event) => (
          <div key={event.seq} className="border-b border-line/50">
            <button
              type="button"
              className={cn(
                'grid h-[22px] w-full grid-cols-[72px_28px_minmax(0,1fr)_72px] items-center gap-2 px-3 text-left text-xs hover:bg-hover',
                open === event.seq && 'bg-accent-soft',
              )}
              onClick={() => setOpen(open === event.seq ? null : event.seq)}
              aria-expanded={open === event.seq}
              data-testid="recorded-app-message"
              data-method={event.method ?? ''}
              data-direction={event.direction}
            >
              <span className="font-mono text-[11px] text-muted">{formatMs(event.t)}</span>
              <span className="font-mono text-[11px] text-muted" title={event.direction === 'in' ? 'from the view' : 'to the view'}>
                {event.direction === 'in' ? '←' : '→'}
              </span>
              <span className="flex min-w-0 items-center gap-1.5">
                <span className={cn('truncate font-mono text-[11px]', event.type === 'error' && 'text-err')}>
                  {event.method ?? '(not JSON-RPC)'}
                </span>
                {event.type !== 'request' && event.type !== 'notification' && (
                  <Badge className="h-4 px-1 text-[10px]" tone={event.type === 'error' ? 'err' : 'neutral'}>
                    {event.type}
                  </Badge>
                )}
              </span>
              <span className="text-right font-mono text-[11px] text-muted">
                {event.latencyMs !== undefined ? formatMs(event.latencyMs) : ''}
              </span>
            </button>
            {open === event.seq && (
              <div className="space-y-1 px-3 pb-2 text-xs" data-testid="recorded-app-message-body">
                {event.message === undefined ? (
                  <span className="text-muted">The body was dropped (masked in this share, or cut by the log&apos;s size cap).</span>
                ) : (
                  <JsonTree data={event.message} expandDepth={6} />
                )}
                <button type="button" className="text-accent hover:underline" onClick={() => nav.openMessage(event.seq)}>
                  Open in Messages
                </button>
              </div>
            )}
          </div>
        ))}
      </section>
    </div>
  );
}
