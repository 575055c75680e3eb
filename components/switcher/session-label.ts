// How a live session is named and its state shown, wherever sessions are listed (the switcher, the split view).
import type { SessionState, SessionSummary } from '@/lib/contract';
import { urlHost, type Tone } from '../ui';

export const SESSION_STATE: Record<SessionState, { label: string; tone: Tone }> = {
  connected: { label: 'connected', tone: 'ok' },
  connecting: { label: 'connecting', tone: 'neutral' },
  auth_required: { label: 'needs sign-in', tone: 'warn' },
  failed: { label: 'failed', tone: 'err' },
  closed: { label: 'closed', tone: 'neutral' },
};

export function sessionName(session: SessionSummary): string {
  if (session.server) return session.server.title || session.server.name;
  if (session.command) return session.command.command;
  return urlHost(session.url) || session.url;
}

export function transportLabel(session: SessionSummary): string {
  return session.transport === 'stdio' ? 'stdio' : session.transport === 'sse' ? 'SSE' : 'HTTP';
}

/** The split view's address: session `a` on the left, `b` on the right. */
export function compareHref(a: string, b: string): string {
  return `/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
}
