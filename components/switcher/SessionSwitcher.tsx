'use client';

// The header's session switcher: every live session of this browser (GET /api/sessions), its state, one click to
// switch. Sessions live on the server, so switching leaves the one behind running: its log keeps recording.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import type { SessionState, SessionSummary } from '@/lib/contract';
import { queryKeys, type ApiError } from '../api';
import { listLiveSessions } from '../servers';
import { Badge, cn, IconChevronDown, urlHost, useDismiss, type Tone } from '../ui';

const STATE: Record<SessionState, { label: string; tone: Tone }> = {
  connected: { label: 'connected', tone: 'ok' },
  connecting: { label: 'connecting', tone: 'neutral' },
  auth_required: { label: 'needs sign-in', tone: 'warn' },
  failed: { label: 'failed', tone: 'err' },
  closed: { label: 'closed', tone: 'neutral' },
};

function sessionName(session: SessionSummary): string {
  if (session.server) return session.server.title || session.server.name;
  if (session.command) return session.command.command;
  return urlHost(session.url) || session.url;
}

export function SessionSwitcher({ currentId }: { currentId: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const sessions = useQuery<SessionSummary[], ApiError>({
    queryKey: queryKeys.liveSessions(),
    queryFn: listLiveSessions,
    // States change on their own (another tab connects, a process exits): fresh while the list is open.
    refetchInterval: open ? 2000 : 15_000,
  });
  useDismiss(open, root, () => setOpen(false));
  const list = sessions.data ?? [];
  const others = list.filter((session) => session.id !== currentId);

  return (
    <div ref={root} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="session-switcher"
        data-count={list.length}
        title="Switch to another live session of this browser"
        onClick={() => {
          setOpen((value) => !value);
          void sessions.refetch();
        }}
        className="inline-flex h-7 items-center gap-1.5 rounded border border-line-strong bg-panel px-2.5 text-[13px] font-medium hover:bg-hover"
      >
        Sessions
        <span className="rounded-full bg-hover px-1.5 font-mono text-[11px] text-muted">{list.length || 1}</span>
        <IconChevronDown className="h-3 w-3 text-muted" />
      </button>
      {open && (
        <div
          role="menu"
          aria-label="Live sessions"
          data-testid="session-switcher-menu"
          className="absolute right-0 z-40 mt-1 w-[380px] max-w-[calc(100vw-1rem)] overflow-hidden rounded-md border border-line bg-panel shadow-lg"
        >
          <div className="border-b border-line px-3 py-1.5 text-[11px] text-muted">
            Live sessions of this browser{others.length === 0 ? ': only this one' : ''}
          </div>
          <ul className="max-h-[60vh] overflow-auto">
            {list.map((session) => {
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
                      setOpen(false);
                      if (!current) router.push(`/inspect/${encodeURIComponent(session.id)}`);
                    }}
                    className={cn('flex w-full items-center gap-2 px-3 py-1.5 text-left hover:bg-hover', current && 'bg-accent-soft')}
                  >
                    <span className="min-w-0 flex-1">
                      <span className="block truncate text-[13px] font-medium">{sessionName(session)}</span>
                      <span className="block truncate font-mono text-[11px] text-muted" title={session.url}>
                        {session.url}
                      </span>
                    </span>
                    <Badge>{session.transport === 'stdio' ? 'stdio' : session.transport === 'sse' ? 'SSE' : 'HTTP'}</Badge>
                    <Badge tone={STATE[session.state].tone}>{STATE[session.state].label}</Badge>
                  </button>
                </li>
              );
            })}
          </ul>
          <Link
            href="/"
            className="block border-t border-line px-3 py-1.5 text-xs text-accent hover:bg-hover"
            data-testid="session-switcher-new"
          >
            + New connection (this one keeps running)
          </Link>
        </div>
      )}
    </div>
  );
}
