'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect } from 'react';
import { queryKeys } from '../api';
import { EmptyState, IconAlert } from '../ui';

// Live sessions live in the server's memory, so a restart ends them. The browser remembers when it last saw
// each session alive; if that was before the server started, the session ended with the restart, and the
// page says so instead of a bare "not found" (another browser's session, or an expired one, looks the same
// to the server by design).
const PREFIX = 'mcpscope.seen.';
const KEEP = 200;

export function rememberSessionSeen(sessionId: string): void {
  try {
    localStorage.setItem(PREFIX + sessionId, String(Date.now()));
    const keys = Object.keys(localStorage).filter((key) => key.startsWith(PREFIX));
    if (keys.length > KEEP) {
      keys
        .map((key) => ({ key, at: Number(localStorage.getItem(key)) || 0 }))
        .sort((a, b) => a.at - b.at)
        .slice(0, keys.length - KEEP)
        .forEach(({ key }) => localStorage.removeItem(key));
    }
  } catch {
    // storage disabled: the generic message is shown
  }
}

function lastSeen(sessionId: string): number | undefined {
  try {
    const raw = localStorage.getItem(PREFIX + sessionId);
    return raw ? Number(raw) : undefined;
  } catch {
    return undefined;
  }
}

/** Marks the session as seen alive whenever its summary loads. */
export function useRememberSession(sessionId: string, alive: boolean): void {
  useEffect(() => {
    if (alive) rememberSessionSeen(sessionId);
  }, [sessionId, alive]);
}

type Why = 'checking' | 'restarted' | 'unknown';

export function SessionGone({ sessionId }: { sessionId: string }) {
  const reason = useQuery<Why>({
    queryKey: queryKeys.sessionGone(sessionId),
    queryFn: async () => {
      const seen = lastSeen(sessionId);
      if (seen === undefined) return 'unknown';
      const response = await fetch('/api/health', { cache: 'no-store' });
      const health = (await response.json()) as { startedAt?: number };
      return typeof health.startedAt === 'number' && seen < health.startedAt ? 'restarted' : 'unknown';
    },
    staleTime: Infinity,
    retry: false,
  });
  const why: Why = reason.isError ? 'unknown' : (reason.data ?? 'checking');

  const again = (
    <Link href="/" className="text-accent underline">
      Start a new connection
    </Link>
  );
  return (
    <div className="flex h-dvh flex-col">
      {why === 'restarted' ? (
        <EmptyState
          title="This session ended when mcpscope restarted"
          icon={<IconAlert className="h-6 w-6" />}
          testId="session-ended-restart"
        >
          Live sessions are held in the server&apos;s memory, so the restart closed it (nothing is broken). Share links and stored OAuth
          tokens survived the restart. {again}; exports and share links you made keep the log.
        </EmptyState>
      ) : (
        <EmptyState title="Session not found" icon={<IconAlert className="h-6 w-6" />} testId="session-not-found">
          {why === 'checking'
            ? 'Looking up what happened to this session…'
            : 'It may have expired after being idle, mcpscope may have restarted, or it was opened in another browser (sessions belong to the browser that created them).'}{' '}
          {again}.
        </EmptyState>
      )}
    </div>
  );
}
