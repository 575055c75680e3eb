// What the header says about a session: its registry state (SessionSummary.state) refined by what the wire says
// (SessionSummary.health, decided in lib/sessions/health.ts). A "connected" session whose server stopped
// answering is "degraded"; one whose server forgot it is "session gone", never "connected".
import type { SessionSummary } from '@/lib/contract';
import type { Tone } from '../ui';

export type DisplayState = 'connecting' | 'connected' | 'degraded' | 'session_lost' | 'auth_required' | 'failed' | 'closed';

export function displayState(summary: Pick<SessionSummary, 'state' | 'health' | 'error'>): DisplayState {
  if (summary.state === 'connected' && summary.health?.status === 'degraded') return 'degraded';
  if (summary.state === 'connected' && summary.health?.status === 'session_lost') return 'session_lost';
  if (summary.state === 'closed' && (summary.health?.status === 'session_lost' || summary.error?.code === 'server_session_lost'))
    return 'session_lost';
  return summary.state;
}

export const DISPLAY_TONE: Record<DisplayState, Tone> = {
  connecting: 'accent',
  connected: 'ok',
  degraded: 'warn',
  session_lost: 'err',
  auth_required: 'warn',
  failed: 'err',
  closed: 'neutral',
};

export const DISPLAY_LABEL: Record<DisplayState, string> = {
  connecting: 'connecting',
  connected: 'connected',
  degraded: 'degraded',
  session_lost: 'session gone',
  auth_required: 'authorization required',
  failed: 'failed',
  closed: 'disconnected',
};

/** The badge's tooltip: what the state means, and what was seen. */
export function displayTitle(state: DisplayState, summary: Pick<SessionSummary, 'health' | 'error'>): string {
  switch (state) {
    case 'degraded':
      return `Connected, but the server is not answering as it should: ${summary.health?.reason ?? ''}`;
    case 'session_lost':
      return `The server no longer knows this session (it restarted or expired it). ${summary.health?.reason ?? summary.error?.message ?? ''}`;
    case 'connected':
      return 'Connected: the server answers.';
    default:
      return summary.error?.message ?? DISPLAY_LABEL[state];
  }
}
