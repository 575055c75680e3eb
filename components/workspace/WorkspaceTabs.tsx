'use client';

import { useRef, type KeyboardEvent } from 'react';
import { useLogSnapshot, type LogStore } from '../log-store';
import { TAB_LABEL, TAB_ORDER, type TabKey } from '../nav';
import { notificationsOf } from '../notifications';
import { PendingBadge } from '../pending';
import { cn } from '../ui';

function Count({ value, tone = 'neutral', testId }: { value: number; tone?: 'neutral' | 'warn' | 'err'; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={cn(
        'ml-1.5 rounded-full px-1.5 font-mono text-[10px] leading-4',
        tone === 'err' && 'bg-err text-white dark:text-[#1a0b0b]',
        tone === 'warn' && 'bg-warn-soft text-warn',
        tone === 'neutral' && 'bg-panel-2 text-muted',
      )}
    >
      {value}
    </span>
  );
}

export function WorkspaceTabs({
  active,
  onChange,
  store,
  toolCount,
  showSkills,
  showApps,
}: {
  active: TabKey;
  onChange: (tab: TabKey) => void;
  store: LogStore;
  toolCount: number | undefined;
  /** The server declares the Skills extension: its tab follows the others (no Alt shortcut). */
  showSkills?: boolean;
  /** The server has MCP App views (a tool names a ui:// resource): the Apps tab follows, like Skills. */
  showApps?: boolean;
}) {
  // History (and its console and replay) follows the others, without an Alt shortcut.
  const tabs: readonly TabKey[] = [
    ...TAB_ORDER,
    ...(showSkills ? (['skills'] as const) : []),
    ...(showApps ? (['apps'] as const) : []),
    'history',
  ];
  const snapshot = useLogSnapshot(store);
  const refs = useRef<Partial<Record<TabKey, HTMLButtonElement | null>>>({});
  const { error, warning } = snapshot.findingsBySeverity;

  const onKeyDown = (event: KeyboardEvent) => {
    const index = tabs.indexOf(active);
    let next: TabKey | undefined;
    if (event.key === 'ArrowRight') next = tabs[(index + 1) % tabs.length];
    if (event.key === 'ArrowLeft') next = tabs[(index - 1 + tabs.length) % tabs.length];
    if (next) {
      event.preventDefault();
      onChange(next);
      refs.current[next]?.focus();
    }
  };

  const counts: Partial<Record<TabKey, React.ReactNode>> = {
    tools: toolCount !== undefined ? <Count value={toolCount} testId="tools-count" /> : null,
    traffic: <Count value={snapshot.exchangeCount + snapshot.stdioRowCount} testId="traffic-count" />,
    messages: <Count value={snapshot.rpcCount} testId="messages-count" />,
    notifications: <NotificationCount store={store} />,
    findings:
      snapshot.findingCount > 0 ? (
        <Count value={snapshot.findingCount} tone={error > 0 ? 'err' : warning > 0 ? 'warn' : 'neutral'} testId="findings-count" />
      ) : null,
  };

  // Narrow (a side of the split view) the row scrolls sideways rather than squeezing the tabs; its bottom line is a
  // shadow, not a border, so the scroll box does not clip the active tab's underline.
  return (
    <div
      role="tablist"
      aria-label="Session views"
      onKeyDown={onKeyDown}
      className="flex h-8 shrink-0 items-stretch gap-0.5 overflow-x-auto overflow-y-hidden bg-panel px-2 shadow-[inset_0_-1px_0_var(--line)] [scrollbar-width:none]"
    >
      {tabs.map((tab, index) => (
        <button
          key={tab}
          ref={(element) => {
            refs.current[tab] = element;
          }}
          type="button"
          role="tab"
          id={`tab-${tab}`}
          aria-selected={tab === active}
          aria-controls="workspace-panel"
          tabIndex={tab === active ? 0 : -1}
          data-testid={`tab-${tab}`}
          title={index < 9 ? `${TAB_LABEL[tab]} (Alt+${index + 1})` : TAB_LABEL[tab]}
          onClick={() => onChange(tab)}
          className={cn(
            'inline-flex shrink-0 items-center border-b-2 px-3 text-[13px] font-medium whitespace-nowrap',
            tab === active ? 'border-accent text-fg' : 'border-transparent text-muted hover:text-fg',
          )}
        >
          {TAB_LABEL[tab]}
          {counts[tab]}
        </button>
      ))}
      <div className="ml-auto flex shrink-0 items-center pr-1">
        <PendingBadge />
      </div>
      <div className="hidden shrink-0 items-center gap-3 pr-1 text-[11px] text-faint xl:flex">
        <span>
          <kbd className="font-mono">Alt+1…{Math.min(9, TAB_ORDER.length)}</kbd> switch views
        </span>
        <span>
          <kbd className="font-mono">/</kbd> search
        </span>
      </div>
    </div>
  );
}

function NotificationCount({ store }: { store: LogStore }) {
  // Read after the snapshot above re-rendered the bar: the index extends itself incrementally.
  // What the server sent: the ones kept, and those a flood folded (counted, not kept).
  const count = notificationsOf(store).length + store.getSnapshot().foldedNotifications;
  return count > 0 ? <Count value={count} testId="notifications-count" /> : null;
}
