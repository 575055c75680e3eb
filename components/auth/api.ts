// Calls to mcpscope's auth API (same origin; the httpOnly owner cookie carries ownership). Nothing returned
// here holds a token or secret in clear: the server only ever sends masked views.
import type {
  AuthStatus,
  ForgetTokensResponse,
  GuidedState,
  GuidedStepRequest,
  SessionSummary,
  StartAuthRequest,
  TokenListResponse,
} from '@/lib/contract';
import { ApiError } from '../api';

async function call<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  let response: Response;
  try {
    response = await fetch(path, {
      ...rest,
      credentials: 'same-origin',
      headers: json !== undefined ? { 'content-type': 'application/json' } : undefined,
      body: json !== undefined ? JSON.stringify(json) : undefined,
    });
  } catch (error) {
    throw new ApiError('network_error', `Could not reach the mcpscope server (${error instanceof Error ? error.message : String(error)}).`, 0);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') throw new ApiError(error.code, error.message, response.status);
    throw new ApiError(`http_${response.status}`, text.trim().slice(0, 300) || `HTTP ${response.status}`, response.status);
  }
  return body as T;
}

const sessionPath = (id: string) => `/api/sessions/${encodeURIComponent(id)}/auth`;

export function getAuthStatus(id: string): Promise<AuthStatus> {
  return call<AuthStatus>(sessionPath(id));
}

export function startAuth(id: string, body: StartAuthRequest): Promise<SessionSummary> {
  return call<SessionSummary>(`${sessionPath(id)}/start`, { method: 'POST', json: body });
}

export function forgetSessionTokens(id: string): Promise<ForgetTokensResponse> {
  return call<ForgetTokensResponse>(sessionPath(id), { method: 'DELETE' });
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
export function destinationAfterConnect(summary: SessionSummary): { kind: 'external'; url: string } | { kind: 'path'; path: string } {
  const base = `/inspect/${encodeURIComponent(summary.id)}`;
  if (summary.state === 'auth_required' && summary.auth?.guided) return { kind: 'path', path: `${base}/oauth` };
  if (summary.state === 'auth_required' && summary.authorizationUrl) return { kind: 'external', url: summary.authorizationUrl };
  return { kind: 'path', path: base };
}
