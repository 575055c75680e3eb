// Calls to mcpscope's auth API (same origin; the httpOnly owner cookie carries ownership). Nothing returned
// here holds a token or secret in clear: the server only ever sends masked views.
import type {
  AuthorizeAgainRequest,
  AuthorizeAgainResponse,
  AuthStatus,
  ForgetTokensResponse,
  GuidedState,
  GuidedStepRequest,
  ReconnectRequest,
  RefreshTokenResponse,
  SessionSummary,
  StartAuthRequest,
  TokenListResponse,
} from '@/lib/contract';
import { request } from '../api';
import { assignServerUrl, serverUrlVerdict } from '../ui';

// One request helper for the whole UI: errors arrive as ApiError with the API's code and message.
const call = request;

const sessionPath = (id: string) => `/api/sessions/${encodeURIComponent(id)}/auth`;

export function getAuthStatus(id: string): Promise<AuthStatus> {
  return call<AuthStatus>(sessionPath(id));
}

export function startAuth(id: string, body: StartAuthRequest): Promise<SessionSummary> {
  return call<SessionSummary>(`${sessionPath(id)}/start`, { method: 'POST', json: body });
}

/** "Continue anyway for this session": reconnects, going past the named checks from now on (each a finding). */
export function reconnectTolerating(id: string, tolerate: string[]): Promise<SessionSummary> {
  const body: ReconnectRequest = { tolerate };
  return call<SessionSummary>(`/api/sessions/${encodeURIComponent(id)}/reconnect`, { method: 'POST', json: body });
}

export function forgetSessionTokens(id: string): Promise<ForgetTokensResponse> {
  return call<ForgetTokensResponse>(sessionPath(id), { method: 'DELETE' });
}

/** "Refresh now": the new token, masked. */
export function refreshSessionToken(id: string): Promise<RefreshTokenResponse> {
  return call<RefreshTokenResponse>(`${sessionPath(id)}/refresh`, { method: 'POST' });
}

/** "Re-authorize" (no scopes) or "step up" (scopes to add): where to send the browser, or the new token. */
export function authorizeAgain(id: string, body: AuthorizeAgainRequest = {}): Promise<AuthorizeAgainResponse> {
  return call<AuthorizeAgainResponse>(`${sessionPath(id)}/authorize`, { method: 'POST', json: body });
}

export function getGuided(id: string): Promise<GuidedState> {
  return call<GuidedState>(`${sessionPath(id)}/guided`);
}

export function runGuided(id: string, body: GuidedStepRequest): Promise<GuidedState> {
  return call<GuidedState>(`${sessionPath(id)}/guided`, { method: 'POST', json: body });
}

export function listTokens(): Promise<TokenListResponse> {
  return call<TokenListResponse>('/api/tokens');
}

export function forgetTokens(resource?: string): Promise<ForgetTokensResponse> {
  return call<ForgetTokensResponse>(`/api/tokens${resource ? `?resource=${encodeURIComponent(resource)}` : ''}`, { method: 'DELETE' });
}

/** Where the browser goes after connecting: the guided steps, the authorization server, or the workspace. */
export type ConnectDestination = { kind: 'external'; url: string; fallback: string } | { kind: 'path'; path: string };

export function destinationAfterConnect(summary: SessionSummary): ConnectDestination {
  const base = `/inspect/${encodeURIComponent(summary.id)}`;
  if (summary.state === 'auth_required' && summary.auth?.guided) return { kind: 'path', path: `${base}/oauth` };
  // An authorization URL the URL policy refuses (javascript:, data:...) is never followed: the workspace's
  // prompt shows it, struck through, with the reason.
  if (summary.state === 'auth_required' && summary.authorizationUrl && serverUrlVerdict(summary.authorizationUrl).ok) {
    return { kind: 'external', url: summary.authorizationUrl, fallback: base };
  }
  return { kind: 'path', path: base };
}

/** Goes there: to the authorization server after one more check right before leaving, else by `push`. */
export function followDestination(destination: ConnectDestination, push: (path: string) => void): void {
  if (destination.kind === 'path') push(destination.path);
  else if (!assignServerUrl(destination.url, 'The authorization URL').ok) push(destination.fallback);
}
