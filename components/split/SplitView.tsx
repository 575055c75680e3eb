'use client';

// The split view (/compare?a=…&b=…): two live sessions of this browser side by side, to compare two servers or two
// transports of one. Each side is the session's own workspace (/inspect/<id>) in a same-origin iframe, so the two
// share nothing: each keeps its own tabs, selection, live log and URL. Only ids of this browser's live sessions
// (GET /api/sessions, the switcher's list: the owner cookie decides) get a frame; any other id gets a message.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, type ReactNode } from 'react';
import type { SessionSummary } from '@/lib/contract';
import { queryKeys, type ApiError } from '../api';
import { listLiveSessions } from '../servers';
import { compareHref, SESSION_STATE, sessionName, transportLabel } from '../switcher';
import { ThemeToggle } from '../theme';
import { Badge, Button, cn, EmptyState, IconAlert, Spinner } from '../ui';

type Side = 'left' | 'right';

function shortId(id: string): string {
  return id.length > 40 ? `${id.slice(0, 40)}…` : id;
}

function Problem({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <div className="flex h-dvh flex-col">
      <SplitBar />
      <EmptyState title={title} icon={<IconAlert className="h-6 w-6" />} testId={testId} className="flex-1">
        {children}
      </EmptyState>
    </div>
  );
}

function SplitBar({ children }: { children?: ReactNode }) {
  return (
    <div className="flex h-10 shrink-0 items-center gap-2.5 border-b border-line bg-panel px-3">
      <Link href="/" className="shrink-0 font-semibold tracking-tight" title="New connection">
        mcp<span className="text-accent">scope</span>
      </Link>
      <span className="h-4 w-px shrink-0 bg-line" />
      <span className="text-sm font-semibold">Side by side</span>
      <div className="ml-auto flex shrink-0 items-center gap-1.5">
        {children}
        <ThemeToggle />
      </div>
    </div>
  );
}

/** One side's label above its frame: the session's name, transport, state and URL. */
function SideLabel({ side, id, session }: { side: Side; id: string; session: SessionSummary | undefined }) {
  const state = session ? SESSION_STATE[session.state] : undefined;
  return (
    <div
      data-testid={`split-label-${side}`}
      data-session={id}
      data-state={session?.state ?? 'ended'}
      className={cn('flex min-w-0 items-center gap-1.5 px-3', side === 'right' && 'border-l border-line-strong')}
    >
      <span className="shrink-0 text-[11px] font-semibold tracking-wide text-faint uppercase">{side}</span>
      <span className="min-w-0 shrink-[0.3] truncate text-[13px] font-medium" data-testid={`split-name-${side}`}>
        {session ? sessionName(session) : shortId(id)}
      </span>
      {session && <Badge>{transportLabel(session)}</Badge>}
      <Badge tone={state?.tone ?? 'neutral'} title={state ? undefined : 'No longer a live session of this browser'}>
        {state?.label ?? 'ended'}
      </Badge>
      <span className="min-w-0 flex-1 truncate font-mono text-[11px] text-muted" title={session?.url}>
        {session?.url}
      </span>
    </div>
  );
}

export function SplitView({ a, b }: { a: string | undefined; b: string | undefined }) {
  const router = useRouter();
  const sessions = useQuery<SessionSummary[], ApiError>({
    queryKey: queryKeys.liveSessions(),
    queryFn: listLiveSessions,
    // The header shows each side's state: kept fresh (a process exits, a token expires).
    refetchInterval: 5000,
  });
  // Once both ids were confirmed as this browser's, the frames stay even if a session ends later: its own
  // workspace then says what happened, and the label shows "ended".
  const pair = a && b ? `${a}\n${b}` : undefined;
  const [confirmed, setConfirmed] = useState<ReadonlySet<string>>(() => new Set());
  const list = sessions.data;
  const left = list?.find((session) => session.id === a);
  const right = list?.find((session) => session.id === b);
  if (pair && left && right && !(confirmed.has(left.id) && confirmed.has(right.id))) {
    setConfirmed(new Set([...confirmed, left.id, right.id]));
  }

  if (!a || !b) {
    return (
      <Problem title="Choose two sessions to compare" testId="split-missing">
        The split view shows two live sessions side by side. Open a session, then choose <b>Open side by side…</b> in its <b>Sessions</b>{' '}
        menu.{' '}
        <Link href="/" className="text-accent underline">
          Start a new connection
        </Link>
        .
      </Problem>
    );
  }
  if (a === b) {
    return (
      <Problem title="Both sides name the same session" testId="split-same">
        Choose a second, different session to compare it with.{' '}
        <Link href={`/inspect/${encodeURIComponent(a)}`} className="text-accent underline">
          Back to the session
        </Link>
        .
      </Problem>
    );
  }
  const ready = confirmed.has(a) && confirmed.has(b);
  if (!ready) {
    if (sessions.isError) {
      return (
        <Problem title="Could not list this browser's sessions" testId="split-error">
          {sessions.error.message}{' '}
          <button type="button" className="text-accent underline" onClick={() => void sessions.refetch()}>
            Try again
          </button>
        </Problem>
      );
    }
    if (!list) {
      return (
        <div className="flex h-dvh flex-col">
          <SplitBar />
          <div className="flex flex-1 items-center justify-center gap-2 text-[13px] text-muted">
            <Spinner /> Checking the two sessions…
          </div>
        </div>
      );
    }
    const unknown = [a, b].filter((id) => !list.some((session) => session.id === id));
    const known = left ?? right;
    return (
      <Problem title={unknown.length === 2 ? 'Neither session can be opened' : 'One session cannot be opened'} testId="split-unknown">
        {unknown.map((id) => (
          <span key={id} className="mb-1 block font-mono text-xs break-all text-fg" data-testid="split-unknown-id">
            {shortId(id)}
          </span>
        ))}
        {unknown.length === 2 ? 'These are' : 'This is'} not a live session of this browser: it may have ended or expired, or it was opened
        in another browser (sessions belong to the browser that created them).{' '}
        {known ? (
          <Link href={`/inspect/${encodeURIComponent(known.id)}`} className="text-accent underline" data-testid="split-open-known">
            Open {sessionName(known)} alone
          </Link>
        ) : (
          <Link href="/" className="text-accent underline">
            Start a new connection
          </Link>
        )}
        .
      </Problem>
    );
  }

  // The frames keep one DOM order whichever side they are on: moving an iframe in the DOM reloads it, so a swap
  // only changes their CSS order and each workspace keeps its state.
  const frames = [a, b].sort();
  const sideOf = (id: string): Side => (id === a ? 'left' : 'right');
  return (
    <div className="flex h-dvh min-w-0 flex-col overflow-hidden" data-testid="split-view">
      <SplitBar>
        <Button size="sm" data-testid="split-swap" title="Swap the two sides" onClick={() => router.replace(compareHref(b, a))}>
          ⇄ Swap
        </Button>
        <Link
          href={`/inspect/${encodeURIComponent(a)}`}
          data-testid="split-close"
          title="Close the split view and go back to the left session"
          className="inline-flex h-6 items-center rounded border border-line-strong bg-panel px-2 text-xs font-medium hover:bg-hover"
        >
          Close split
        </Link>
      </SplitBar>
      <div className="grid h-8 shrink-0 grid-cols-2 border-b border-line-strong bg-panel-2">
        <SideLabel side="left" id={a} session={left} />
        <SideLabel side="right" id={b} session={right} />
      </div>
      <div className="grid min-h-0 flex-1 grid-cols-2">
        {frames.map((id) => {
          const side = sideOf(id);
          const session = side === 'left' ? left : right;
          return (
            <div key={id} className={cn('min-h-0 min-w-0', side === 'left' ? 'order-1' : 'order-2 border-l border-line-strong')}>
              <iframe
                src={`/inspect/${encodeURIComponent(id)}`}
                title={`${side === 'left' ? 'Left' : 'Right'}: ${session ? sessionName(session) : id}`}
                data-testid={`split-frame-${side}`}
                data-session={id}
                className="block h-full w-full border-0 bg-bg"
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
