// The session's Authorization panel: what it says about each way of authenticating (pure model), and what it
// renders (server-side, no DOM) for an OAuth session from a status the API would send: masked tokens only.
import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { AuthStatus, MaskedToken, SessionSummary } from '@/lib/contract';
import type { TraceEvent } from '@/lib/trace/types';
import { preciseRelativeTime, SessionAuthPanel } from '@/components/auth';
import {
  authMethodOf,
  clientSourceLabel,
  lastMcpRequest,
  lastRefreshPhase,
  oauthProgressKey,
  sentCredentials,
  tokenHealth,
} from '@/components/auth/auth-panel-model';
import { LogStore } from '@/components/log-store';

const base: SessionSummary = {
  id: 's1',
  state: 'connected',
  url: 'http://127.0.0.1:9/mcp',
  transport: 'auto',
  createdAt: 1_000,
  headerNames: [],
};

const token = (over: Partial<MaskedToken> = {}): MaskedToken => ({
  resource: 'http://127.0.0.1:9/mcp',
  tokenType: 'Bearer',
  scopes: ['mcp:read', 'mcp:write'],
  accessToken: '••••a1b2',
  refreshToken: '••••r9z8',
  expiresAt: 10_000_000,
  expired: false,
  updatedAt: 5_000,
  ...over,
});

function storeWith(events: TraceEvent[]): LogStore {
  const store = new LogStore('s1');
  for (const event of events) store.push(event);
  store.flush();
  return store;
}

const request = (seq: number, purpose: 'mcp' | 'oauth', headers: Array<[string, string]>): TraceEvent => ({
  seq,
  t: seq,
  kind: 'http.request',
  exchangeId: `x${seq}`,
  purpose,
  method: 'POST',
  url: 'http://127.0.0.1:9/mcp',
  headers,
});

const phase = (seq: number, phaseId: string, name: string, status: 'started' | 'ok' | 'failed', detail?: string): TraceEvent => ({
  seq,
  t: seq * 100,
  kind: 'phase',
  phaseId,
  name,
  status,
  ...(detail ? { detail } : {}),
});

describe('how a session authenticates', () => {
  it('tells none, bearer, API-key headers and OAuth apart', () => {
    expect(authMethodOf(base, undefined).kind).toBe('none');
    expect(authMethodOf({ ...base, auth: { type: 'bearer' }, headerNames: ['Authorization'] }, undefined)).toMatchObject({
      kind: 'bearer',
      label: 'Bearer token',
    });
    const key = authMethodOf({ ...base, headerNames: ['X-Api-Key'] }, undefined);
    expect(key).toMatchObject({ kind: 'headers', label: 'API key header' });
    expect(key.explanation).toContain('X-Api-Key');
    // A 401 started OAuth on a session created without auth: the status says so.
    const started: AuthStatus = {
      auth: { type: 'none', usesTokens: true },
      discovery: { issuer: 'http://as', resource: base.url, metadataKind: 'oauth' },
    };
    expect(authMethodOf({ ...base, headerNames: ['X-Trace'] }, started)).toMatchObject({ kind: 'oauth' });
    expect(authMethodOf({ ...base, headerNames: ['X-Trace'] }, started).explanation).toContain('X-Trace');
  });

  it('names how the client ID was obtained', () => {
    expect(clientSourceLabel('pre-registered')).toMatch(/pre-registered/);
    expect(clientSourceLabel('registered')).toBe('dynamic client registration');
    expect(clientSourceLabel('remembered')).toMatch(/dynamic client registration \(remembered/);
    expect(clientSourceLabel('metadata-document')).toBe('client ID metadata document');
    expect(clientSourceLabel(undefined)).toMatch(/stored token/);
  });

  it('judges the token by its expiry and refresh token', () => {
    const now = 1_000_000;
    expect(tokenHealth(undefined, now)).toBe('none');
    expect(tokenHealth(token({ expiresAt: undefined }), now)).toBe('valid');
    expect(tokenHealth(token({ expiresAt: now + 600_000 }), now)).toBe('valid');
    expect(tokenHealth(token({ expiresAt: now + 60_000 }), now)).toBe('expiring');
    expect(tokenHealth(token({ expiresAt: now - 1 }), now)).toBe('renewable');
    expect(tokenHealth(token({ expiresAt: now - 1, refreshToken: undefined }), now)).toBe('expired');
  });

  it('counts down to the second while close, coarser further out', () => {
    expect(preciseRelativeTime(65_000, 0)).toBe('in 1 min 05 s');
    expect(preciseRelativeTime(0, 42_000)).toBe('42 s ago');
    expect(preciseRelativeTime(3_600_000, 0)).toBe('in 1 h 00 min 00 s');
    expect(preciseRelativeTime(2 * 3_600_000 + 7 * 60_000, 0)).toBe('in 2 h 07 min');
    expect(preciseRelativeTime(500, 0)).toBe('just now');
  });
});

describe('what the log tells the panel', () => {
  const store = storeWith([
    request(1, 'mcp', [
      ['authorization', 'Bearer ••••a1b2'],
      ['x-api-key', '••••k3y9'],
    ]),
    phase(2, 'p1', 'oauth:refresh', 'started'),
    phase(3, 'p1', 'oauth:refresh', 'ok', 'new access token ••••c3d4; the refresh token rotated'),
    request(4, 'oauth', [['content-type', 'application/x-www-form-urlencoded']]),
    phase(5, 'p2', 'oauth:step-up', 'started'),
  ]);

  it('finds the last refresh, and a key that moves when an OAuth step ends', () => {
    expect(lastRefreshPhase(store.phases)).toMatchObject({
      name: 'oauth:refresh',
      status: 'ok',
      detail: expect.stringContaining('rotated'),
    });
    const before = oauthProgressKey(store.phases);
    expect(before).toBe('p1:ok');
    store.push(phase(6, 'p2', 'oauth:step-up', 'ok'));
    store.flush();
    expect(oauthProgressKey(store.phases)).toBe('p2:ok');
    expect(lastRefreshPhase(storeWith([phase(1, 'p', 'oauth:refresh', 'started')]).phases)).toBeUndefined();
  });

  it('shows the credential headers as the log recorded them (masked), skipping OAuth exchanges', () => {
    const last = lastMcpRequest(store.exchanges);
    expect(last?.exchangeId).toBe('x1');
    expect(sentCredentials('oauth', ['X-Api-Key'], last?.requestHeaders)).toEqual([
      { name: 'Authorization', value: 'Bearer ••••a1b2' },
      { name: 'X-Api-Key', value: '••••k3y9' },
    ]);
    expect(sentCredentials('headers', ['X-Other'], last?.requestHeaders)).toEqual([{ name: 'X-Other' }]);
  });
});

describe('the rendered panel', () => {
  function render(summary: SessionSummary, status: AuthStatus | undefined, events: TraceEvent[] = []): string {
    const client = new QueryClient();
    if (status) client.setQueryData(['auth-status', summary.id], status);
    return renderToStaticMarkup(
      h(QueryClientProvider, { client }, h(SessionAuthPanel, { sessionId: summary.id, summary, store: storeWith(events) })),
    );
  }

  it('an OAuth session: issuer, resource, client and how it was obtained, scopes, masked tokens, expiry, actions', () => {
    const status: AuthStatus = {
      auth: { type: 'oauth', usesTokens: true, grant: 'authorization_code' },
      redirectUri: 'http://localhost:3000/callback',
      discovery: { issuer: 'http://127.0.0.1:8/', resource: base.url, metadataKind: 'oidc' },
      client: { clientId: 'dyn-client-42', authMethod: 'none', source: 'registered', hasSecret: false },
      token: token({ expiresAt: Date.now() + 30 * 60_000 }),
    };
    const html = render({ ...base, auth: status.auth }, status, [
      phase(1, 'p1', 'oauth:refresh', 'started'),
      phase(2, 'p1', 'oauth:refresh', 'ok', 'new access token ••••a1b2'),
    ]);
    expect(html).toContain('data-method="oauth"');
    expect(html).toContain('http://127.0.0.1:8/');
    expect(html).toContain('OpenID discovery');
    expect(html).toContain('dyn-client-42');
    expect(html).toContain('dynamic client registration');
    expect(html).toContain('mcp:write');
    expect(html).toMatch(/data-testid="auth-access-token">••••a1b2</);
    expect(html).toContain('••••r9z8');
    expect(html).toMatch(/data-testid="auth-expiry">.*in (29|30) min/);
    expect(html).toContain('data-testid="auth-token-health">valid');
    expect(html).toMatch(/data-testid="auth-last-refresh">.*ok/);
    for (const action of ['auth-refresh', 'auth-reauthorize', 'auth-step-up', 'auth-forget'])
      expect(html).toContain(`data-testid="${action}"`);
    expect(html).not.toMatch(/data-testid="auth-refresh"[^>]*disabled/);
  });

  it('no refresh token: "Refresh now" is off; a step-up the server asked for is shown and prefilled', () => {
    const status: AuthStatus = {
      auth: { type: 'oauth', usesTokens: true, needed: 'step_up', requiredScopes: ['mcp:admin'] },
      discovery: { issuer: 'http://as', resource: base.url, metadataKind: 'oauth' },
      token: token({ refreshToken: undefined }),
    };
    const html = render({ ...base, auth: status.auth, authorizationUrl: 'http://as/authorize?x=1' }, status);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*data-testid="auth-refresh"/);
    expect(html).toContain('data-testid="auth-need"');
    expect(html).toContain('mcp:admin');
    expect(html).toContain('none: authorize again when the access token expires');
  });

  it('a session with an API key: the header name and its masked value as last sent; no OAuth actions', () => {
    const html = render({ ...base, headerNames: ['X-Api-Key'] }, { auth: { type: 'none' } }, [
      request(1, 'mcp', [['x-api-key', '••••9a2c']]),
    ]);
    expect(html).toContain('data-method="headers"');
    expect(html).toContain('X-Api-Key:');
    expect(html).toContain('••••9a2c');
    expect(html).not.toContain('data-testid="auth-refresh"');
  });
});
