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
