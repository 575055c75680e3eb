'use client';

// The header's session switcher: every live session of this browser (GET /api/sessions), its state, one click to
// switch. Sessions live on the server, so switching leaves the one behind running: its log keeps recording.
// "Open side by side…" picks a second session and opens both in the split view (/compare).
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import type { SessionSummary } from '@/lib/contract';
import { queryKeys, type ApiError } from '../api';
import { listLiveSessions } from '../servers';
import { Badge, cn, IconChevronDown, MenuButton, useDismiss } from '../ui';
import { compareHref, SESSION_STATE, sessionName, transportLabel } from './session-label';

export function SessionSwitcher({ currentId }: { currentId: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  // Choosing the session to show beside this one, instead of the one to switch to.
  const [picking, setPicking] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const sessions = useQuery<SessionSummary[], ApiError>({
    queryKey: queryKeys.liveSessions(),
    queryFn: listLiveSessions,
    // States change on their own (another tab connects, a process exits): fresh while the list is open.
    refetchInterval: open ? 2000 : 15_000,
  });
  const close = () => {
    setOpen(false);
    setPicking(false);
  };
  useDismiss(open, root, close);
  const list = sessions.data ?? [];
  const others = list.filter((session) => session.id !== currentId);

  return (
    <div ref={root} className="relative">
      <MenuButton
        open={open}
        data-testid="session-switcher"
        data-count={list.length}
        title="Switch to another live session of this browser, or open two side by side"
        aria-label="Sessions"
        onClick={() => {
          if (open) close();
          else setOpen(true);
          void sessions.refetch();
        }}
      >
        {/* Narrow (the header is a container) the count and chevron say it, with the title and menu label. */}
        <span className="hidden @6xl:inline">Sessions</span>
        <span className="rounded-full bg-hover px-1.5 font-mono text-[11px] text-muted">{list.length || 1}</span>
        <IconChevronDown className="h-3 w-3 text-muted" />
      </MenuButton>
      {open && (
        <div
          role="menu"
          aria-label="Live sessions"
          data-testid="session-switcher-menu"
          className="absolute right-0 z-40 mt-1 w-[380px] max-w-[calc(100vw-1rem)] overflow-hidden rounded-md border border-line bg-panel shadow-lg"
        >
          <div className="border-b border-line px-3 py-1.5 text-[11px] text-muted" data-testid="session-switcher-caption">
            {picking
              ? 'Open side by side: choose the session to show beside this one'
              : `Live sessions of this browser${others.length === 0 ? ': only this one' : ''}`}
          </div>
          <ul className="max-h-[60vh] overflow-auto">
            {(picking ? others : list).map((session) => {
              const current = session.id === currentId;
              return (
                <li key={session.id}>
                  <button
                    type="button"
                    role="menuitem"
                    aria-current={current ? 'page' : undefined}
                    data-testid="session-switcher-item"
                    data-session={session.id}
                    data-state={session.state}
                    onClick={() => {
                      close();
                      if (picking) {
                        // Inside the split view's frame, the split view itself (the top page) changes.
                        const href = compareHref(currentId, session.id);
                        if (window.top && window.top !== window.self) window.top.location.assign(href);
                        else router.push(href);
                      } else if (!current) router.push(`/inspect/${encodeURIComponent(session.id)}`);
                    }}
                    className={cn('flex w-full items-center gap-2 px-3 py-1.5 text-left hover:bg-hover', current && 'bg-accent-soft')}
                  >
                    <span className="min-w-0 flex-1">
                      <span className="block truncate text-[13px] font-medium">{sessionName(session)}</span>
                      <span className="block truncate font-mono text-[11px] text-muted" title={session.url}>
                        {session.url}
                      </span>
                    </span>
                    <Badge>{transportLabel(session)}</Badge>
                    <Badge tone={SESSION_STATE[session.state].tone}>{SESSION_STATE[session.state].label}</Badge>
                  </button>
                </li>
              );
            })}
          </ul>
          {picking ? (
            <button
              type="button"
              onClick={() => setPicking(false)}
              className="block w-full border-t border-line px-3 py-1.5 text-left text-xs text-muted hover:bg-hover"
            >
              Back to the list
            </button>
          ) : (
            <>
              <button
                type="button"
                role="menuitem"
                data-testid="session-switcher-split"
                disabled={others.length === 0}
                title={others.length === 0 ? undefined : 'Show this session and another one side by side'}
                onClick={() => setPicking(true)}
                className="block w-full border-t border-line px-3 py-1.5 text-left text-xs text-accent hover:bg-hover disabled:cursor-default disabled:text-muted disabled:hover:bg-transparent"
              >
                {others.length === 0 ? 'Open side by side: connect a second session first' : 'Open side by side…'}
              </button>
              <Link
                href="/"
                className="block border-t border-line px-3 py-1.5 text-xs text-accent hover:bg-hover"
                data-testid="session-switcher-new"
              >
                + New connection (this one keeps running)
              </Link>
            </>
          )}
        </div>
      )}
    </div>
  );
}
