'use client';

import { useDeferredValue, useMemo, useState } from 'react';
import type { SessionSummary } from '@/lib/contract';
import type { LogStore } from '../log-store';
import { useWorkspaceNav } from '../nav';
import { Badge, EmptyState, SearchBox, cn, formatOffset, type Tone, TextButton } from '../ui';
import { useFoldedNotifications, useNotifications } from './hooks';
import { LevelSelect } from './LevelSelect';
import { LogLevelControl } from './LogLevelControl';
import { KIND_LABELS, NOTIFICATION_KINDS, levelRank, summarize, type Level, type NotificationItem, type NotificationKind } from './model';

const MAX_ROWS = 1000;

const LEVEL_TONE: Record<Level, Tone> = {
  debug: 'neutral',
  info: 'accent',
  notice: 'accent',
  warning: 'warn',
  error: 'err',
  critical: 'err',
  alert: 'err',
  emergency: 'err',
};

const ROW_LABELS: Record<NotificationKind, string> = {
  message: 'log',
  progress: 'progress',
  list_changed: 'list changed',
  updated: 'updated',
  cancelled: 'cancelled',
  elicitation: 'elicitation',
  task: 'task',
  other: 'other',
};

const KIND_TONE: Record<NotificationKind, Tone> = {
  message: 'accent',
  progress: 'purple',
  list_changed: 'ok',
  updated: 'ok',
  cancelled: 'warn',
  elicitation: 'purple',
  task: 'purple',
  other: 'neutral',
};

function matches(item: NotificationItem, kinds: ReadonlySet<NotificationKind>, minLevel: Level, query: string): boolean {
  if (kinds.size > 0 && !kinds.has(item.kind)) return false;
  if (item.kind === 'message' && levelRank(item.params.level) < levelRank(minLevel)) return false;
  if (query && !`${item.method} ${summarize(item)}`.toLowerCase().includes(query)) return false;
  return true;
}

/** Every notification the server sent (log messages, progress, list changes, updates…), filterable. */
export function NotificationsView({
  store,
  sessionId,
  summary,
}: {
  store: LogStore;
  sessionId: string;
  summary: SessionSummary | undefined;
}) {
  const { items, count } = useNotifications(store);
  const folded = useFoldedNotifications(store);
  const nav = useWorkspaceNav();
  const [kinds, setKinds] = useState<ReadonlySet<NotificationKind>>(new Set());
  const [minLevel, setMinLevel] = useState<Level>('debug');
  const [search, setSearch] = useState('');
  const query = useDeferredValue(search.trim().toLowerCase());

  const counts = useMemo(() => {
    const result = new Map<NotificationKind, number>();
    for (const item of items) result.set(item.kind, (result.get(item.kind) ?? 0) + 1);
    return result;
    // `items` grows in place; `count` says when.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items, count]);

  const rows = useMemo(() => {
    const result: NotificationItem[] = [];
    for (let i = items.length - 1; i >= 0 && result.length < MAX_ROWS; i--) {
      if (matches(items[i]!, kinds, minLevel, query)) result.push(items[i]!);
    }
    return result;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items, count, kinds, minLevel, query]);

  const toggleKind = (kind: NotificationKind) =>
    setKinds((current) => {
      const next = new Set(current);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      return next;
    });

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="notifications-view">
      <div className="flex shrink-0 flex-wrap items-center gap-x-4 gap-y-1.5 border-b border-line bg-panel px-3 py-1.5">
        <LogLevelControl sessionId={sessionId} summary={summary} />
        <span className="h-4 w-px bg-line" />
        <div className="flex items-center gap-1.5">
          <LevelSelect
            id="notification-min-level"
            label="Show messages from"
            className="w-[100px]"
            value={minLevel}
            onChange={setMinLevel}
            testId="log-filter-level"
          />
        </div>
        <SearchBox
          look="compact"
          className="min-w-[180px] flex-1"
          value={search}
          onSearch={setSearch}
          placeholder="Search notifications"
          data-testid="notification-search"
          aria-label="Search notifications"
        />
      </div>
      <div
        className="flex shrink-0 flex-wrap items-center gap-1 border-b border-line bg-panel-2 px-3 py-1"
        role="group"
        aria-label="Notification kinds"
      >
        {NOTIFICATION_KINDS.map((kind) => {
          const on = kinds.has(kind);
          const n = counts.get(kind) ?? 0;
          return (
            <button
              key={kind}
              type="button"
              aria-pressed={on}
              onClick={() => toggleKind(kind)}
              data-testid={`notification-kind-${kind}`}
              className={cn(
                'inline-flex h-6 items-center gap-1 rounded-full border px-2 text-[11px]',
                on ? 'border-accent bg-accent-soft text-accent' : 'border-line bg-panel text-muted hover:text-fg',
                n === 0 && !on && 'opacity-60',
              )}
            >
              {KIND_LABELS[kind]}
              <span className="font-mono text-[10px]">{n}</span>
            </button>
          );
        })}
        {kinds.size > 0 && (
          <TextButton className="ml-1 text-[11px]" onClick={() => setKinds(new Set())}>
            show all
          </TextButton>
        )}
        <span className="ml-auto text-[11px] text-faint">
          {rows.length === MAX_ROWS ? `newest ${MAX_ROWS} shown` : `${rows.length} of ${count}`}
          {folded.total > 0 && ` (+${folded.total} folded)`} · newest first · click a row to open the message
        </span>
      </div>
      {folded.total > 0 && (
        <div
          role="status"
          className="flex shrink-0 flex-wrap items-center gap-x-2 border-b border-warn/40 bg-warn-soft px-3 py-1 text-xs"
          data-testid="notifications-folded"
        >
          <span>
            <strong>{folded.total}</strong> more notifications were counted but not kept: the server sent them faster than the session log
            keeps them.
          </span>
          <span className="font-mono text-[11px]">{folded.byMethod.map(([method, n]) => `${method} ×${n}`).join(' · ')}</span>
          <TextButton onClick={() => nav.setTab('findings')}>See Findings</TextButton>
        </div>
      )}
      {count === 0 ? (
        <EmptyState title="No notifications yet" testId="notifications-empty">
          Log messages, progress, list changes, resource updates and cancellations from the server appear here as they arrive.
          {summary?.server?.era === 'stateless-2026' &&
            ' On a 2026-07-28 server, list changes and resource updates arrive only while you listen (Session tab).'}
        </EmptyState>
      ) : (
        <div className="min-h-0 flex-1 overflow-auto" role="list" aria-label="Notifications">
          {rows.map((item) => {
            const level = item.kind === 'message' ? (String(item.params.level ?? '') as Level) : undefined;
            return (
              <button
                key={item.seq}
                type="button"
                role="listitem"
                onClick={() => nav.openMessage(item.seq)}
                data-testid="notification-row"
                data-kind={item.kind}
                data-level={level}
                className="flex w-full items-start gap-2 border-b border-line/70 px-3 py-1 text-left hover:bg-hover"
              >
                <span className="w-16 shrink-0 pt-px font-mono text-[11px] text-faint">{formatOffset(item.t)}</span>
                <span className="w-24 shrink-0">
                  <Badge tone={KIND_TONE[item.kind]}>{ROW_LABELS[item.kind]}</Badge>
                </span>
                <span className="w-20 shrink-0">
                  {level && (
                    <Badge tone={LEVEL_TONE[level] ?? 'neutral'} mono>
                      {level}
                    </Badge>
                  )}
                </span>
                <span className="min-w-0 flex-1 font-mono text-xs break-words whitespace-pre-wrap">{summarize(item)}</span>
                <span className="hidden shrink-0 font-mono text-[10px] text-faint xl:inline">{item.method}</span>
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}
