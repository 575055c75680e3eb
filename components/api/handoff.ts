// The connect screen hands a failed connect's error to the workspace it opens, so the exact error the API
// returned is shown even if the session summary carries less. Per-tab (sessionStorage), never secrets.
import type { TraceError } from '@/lib/trace/types';

const PREFIX = 'mcpscope.connect-error.';

export function rememberConnectError(sessionId: string, error: TraceError): void {
  try {
    sessionStorage.setItem(PREFIX + sessionId, JSON.stringify({ code: error.code, message: error.message }));
  } catch {
    // Storage disabled: the workspace falls back to the session summary's error.
  }
}

export function recallConnectError(sessionId: string): TraceError | undefined {
  try {
    const raw = sessionStorage.getItem(PREFIX + sessionId);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Partial<TraceError>;
    return typeof parsed.code === 'string' && typeof parsed.message === 'string'
      ? { code: parsed.code, message: parsed.message }
      : undefined;
  } catch {
    return undefined;
  }
}

const LIVE_PREFIX = 'mcpscope.live-connect.';

/**
 * The connect screen opened this session's workspace before connecting was over. If the server then wants
 * authorization, the workspace sends the browser on to sign in, as the connect screen would have done.
 */
export function rememberLiveConnect(sessionId: string): void {
  try {
    sessionStorage.setItem(LIVE_PREFIX + sessionId, '1');
  } catch {
    // Storage disabled: the workspace shows the authorization prompt instead of following it by itself.
  }
}

/** Whether this tab started the session's connect and has not acted on its outcome yet; `take` forgets it. */
export function liveConnectPending(sessionId: string, take = false): boolean {
  try {
    const pending = sessionStorage.getItem(LIVE_PREFIX + sessionId) !== null;
    if (pending && take) sessionStorage.removeItem(LIVE_PREFIX + sessionId);
    return pending;
  } catch {
    return false;
  }
}
