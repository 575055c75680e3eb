import { describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
import {
  newOwnerId,
  OWNER_COOKIE,
  ownerCookie,
  parseCancelRequest,
  parseCreateSession,
  parseRpcRequest,
  readOwner,
  resolveOwner,
  SessionError,
  signOwner,
  statusForCode,
} from '@/lib/sessions';

function rejects(fn: () => unknown, code: string, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SessionError);
  expect((caught as SessionError).code).toBe(code);
  expect((caught as SessionError).message).toMatch(message);
}

describe('parseCreateSession', () => {
  it('fills defaults', () => {
    expect(parseCreateSession({ url: 'https://example.com/mcp' })).toEqual({
      url: 'https://example.com/mcp',
      transport: 'auto',
      headers: {},
      secretValues: [],
      authType: 'none',
      connectTimeoutMs: undefined,
      requestTimeoutMs: undefined,
    });
  });

  it('turns a bearer token into an Authorization header that replaces a typed one, and marks it secret', () => {
    const parsed = parseCreateSession({
      url: 'http://localhost:3001/mcp',
      transport: 'sse',
      headers: { authorization: 'Basic old', 'X-Api-Key': 'k-123456' },
      auth: { type: 'bearer', token: ' tok-abcdef ' },
    });
    expect(parsed.headers).toEqual({ 'X-Api-Key': 'k-123456', Authorization: 'Bearer tok-abcdef' });
    expect(parsed.secretValues).toEqual(['Basic old', 'k-123456', 'tok-abcdef']);
    expect(parsed.transport).toBe('sse');
  });

  it('keeps per-session timeouts', () => {
    const parsed = parseCreateSession({ url: 'http://a.example/mcp', timeouts: { connectMs: 5000, requestMs: 120000 } });
    expect(parsed).toMatchObject({ connectTimeoutMs: 5000, requestTimeoutMs: 120000 });
    expect(parsed).not.toHaveProperty('requestMaxMs');
    expect(parseCreateSession({ url: 'http://a.example/mcp', timeouts: { requestMaxMs: 90_000 } })).toMatchObject({ requestMaxMs: 90_000 });
  });

  it('refuses a connect timeout over 2 minutes, saying what the maximum is (other timeouts may be longer)', () => {
    expect(parseCreateSession({ url: 'http://a.example/mcp', timeouts: { connectMs: 120_000 } }).connectTimeoutMs).toBe(120_000);
    // The flood of issue 12 asked for 30 minutes, so each never-answered handshake held its slot that long.
    rejects(
      () => parseCreateSession({ url: 'http://a.example/mcp', timeouts: { connectMs: 30 * 60_000 } }),
      'invalid_request',
      /"timeouts\.connectMs" must be .* between 100 and 120000 \(2 minutes\)/,
    );
    rejects(() => parseCreateSession({ url: 'http://a.example/mcp', timeouts: { connectMs: 120_001 } }), 'invalid_request', /120000/);
    expect(parseCreateSession({ url: 'http://a.example/mcp', timeouts: { requestMs: 30 * 60_000 } }).requestTimeoutMs).toBe(30 * 60_000);
  });

  it.each([
    [null, 'invalid_request', /JSON object/],
    [{ url: 'nope' }, 'invalid_url', /not a URL/],
    // A URL copied from mcpscope (summary, recent servers, a share) carries masked values, not the secret.
    [{ url: 'https://a.example/mcp?api_key=••••abcd&profile=dev' }, 'invalid_url', /masked values \(api_key = ••••…\).*real value back/],
    [
      { url: 'https://a.example/mcp?token=%E2%80%A2%E2%80%A2%E2%80%A2%E2%80%A2&secret=••••' },
      'invalid_url',
      /masked values \(token, secret/,
    ],
    [{ url: 'http://a.example', transport: 'websocket' }, 'invalid_request', /transport/],
    [{ url: 'http://a.example', headers: ['x'] }, 'invalid_request', /headers/],
    [{ url: 'http://a.example', headers: { 'bad name': 'x' } }, 'invalid_request', /not a valid HTTP header name/],
    [{ url: 'http://a.example', headers: { 'Mcp-Session-Id': 'x' } }, 'invalid_request', /managed by the transport/],
    [{ url: 'http://a.example', headers: { 'X-A': 'line\nbreak' } }, 'invalid_request', /line break/],
    [{ url: 'http://a.example', headers: { 'X-A': 1 } }, 'invalid_request', /must be a string/],
    [{ url: 'http://a.example', headers: { 'X-A': 'a', 'x-a': 'b' } }, 'invalid_request', /set twice/],
    [{ url: 'http://a.example', auth: { type: 'basic' } }, 'invalid_request', /auth.type/],
    [{ url: 'http://a.example', auth: { type: 'bearer' } }, 'invalid_request', /bearer token is required/],
    [{ url: 'http://a.example', auth: { type: 'bearer', token: 'a b' } }, 'invalid_request', /spaces/],
    [{ url: 'http://a.example', timeouts: { connectMs: 5 } }, 'invalid_request', /timeouts.connectMs/],
    [{ url: 'http://a.example', timeouts: { requestMaxMs: 0 } }, 'invalid_request', /timeouts.requestMaxMs/],
    [{ url: 'http://a.example', timeouts: { requestMaxMs: 'ten minutes' } }, 'invalid_request', /timeouts.requestMaxMs/],
  ])('rejects %j', (body, code, message) => {
    rejects(() => parseCreateSession(body), code, message);
  });
});

describe('parseRpcRequest / parseCancelRequest', () => {
  it('accepts a method with optional params and callId', () => {
    expect(parseRpcRequest({ method: 'tools/list' })).toEqual({ method: 'tools/list' });
    expect(parseRpcRequest({ method: 'tools/call', params: { name: 'x' }, callId: 'c1' })).toEqual({
      method: 'tools/call',
      params: { name: 'x' },
      callId: 'c1',
    });
  });

  it('rejects malformed calls', () => {
    rejects(() => parseRpcRequest({}), 'invalid_request', /"method"/);
    rejects(() => parseRpcRequest({ method: 'x', params: [1] }), 'invalid_request', /"params"/);
    rejects(() => parseRpcRequest({ method: 'x', callId: 3 }), 'invalid_request', /"callId"/);
    rejects(() => parseCancelRequest({ reason: 'x' }), 'invalid_request', /"callId"/);
  });

  it('accepts a cancel with a reason', () => {
    expect(parseCancelRequest({ callId: 'c1', reason: 'stop' })).toEqual({ callId: 'c1', reason: 'stop' });
  });
});

describe('statusForCode', () => {
  it('maps input errors to 4xx and upstream failures to 502/504', () => {
    expect(statusForCode('invalid_request')).toBe(400);
    expect(statusForCode('invalid_url')).toBe(400);
    expect(statusForCode('not_found')).toBe(404);
    expect(statusForCode('not_connected')).toBe(409);
    expect(statusForCode('too_many_sessions')).toBe(429);
    for (const code of ['connection_refused', 'host_not_found', 'not_mcp', 'invalid_response', 'stream_closed', 'http_error']) {
      expect(statusForCode(code), code).toBe(502);
    }
    expect(statusForCode('timeout')).toBe(504);
    expect(statusForCode('request_time_limit')).toBe(504);
    expect(statusForCode('something_new')).toBe(500);
  });
});

describe('owner cookie', () => {
  it('reads a signed owner id among other cookies', () => {
    const id = newOwnerId();
    const request = new Request('http://localhost/', { headers: { cookie: `theme=dark; ${OWNER_COOKIE}=${signOwner(id)}; other=1` } });
    expect(readOwner(request)).toBe(id);
  });

  it('ignores a malformed one, and one mcpscope did not sign (invented, or from before owners were signed)', () => {
    expect(readOwner(new Request('http://localhost/', { headers: { cookie: `${OWNER_COOKIE}=short` } }))).toBeUndefined();
    expect(readOwner(new Request('http://localhost/'))).toBeUndefined();
    // The old format: a bare random id, as any client could invent.
    expect(readOwner(new Request('http://localhost/', { headers: { cookie: `${OWNER_COOKIE}=${'A'.repeat(32)}` } }))).toBeUndefined();
    expect(readOwner(new Request('http://localhost/', { headers: { cookie: `${OWNER_COOKIE}=${'A'.repeat(43)}` } }))).toBeUndefined();
  });

  it('issues an httpOnly, SameSite=Lax, path-wide cookie holding the signed id; Secure only over https', () => {
    const id = newOwnerId();
    const cookie = ownerCookie(id, false);
    expect(cookie).toMatch(/^mcpscope_owner=[A-Za-z0-9_-]{43}; /);
    expect(cookie.startsWith(`${OWNER_COOKIE}=${signOwner(id)}; `)).toBe(true);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    expect(ownerCookie(id, true)).toContain('; Secure');
  });

  it('creates a fresh random owner only when the request proves none', () => {
    const first = resolveOwner(new Request('http://localhost/'), false);
    const second = resolveOwner(new Request('http://localhost/'), false);
    expect(first.setCookie).toBeDefined();
    expect(first.ownerId).not.toBe(second.ownerId);
    const cookie = first.setCookie!.split(';')[0]!;
    const returning = resolveOwner(new Request('http://localhost/', { headers: { cookie } }), false);
    expect(returning).toEqual({ ownerId: first.ownerId });
    // Naming someone else's id without its signature gets a new identity, not theirs.
    const invented = resolveOwner(new Request('http://localhost/', { headers: { cookie: `${OWNER_COOKIE}=${first.ownerId}` } }), false);
    expect(invented.ownerId).not.toBe(first.ownerId);
    expect(invented.setCookie).toBeDefined();
  });
});

describe('readConfig', () => {
  it('has defaults for everything', () => {
    expect(readConfig({})).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      publicUrl: 'http://localhost:3000',
      dataDir: '.data',
      sessionIdleMinutes: 30,
      connectTimeoutMs: 15_000,
      requestTimeoutMs: 60_000,
      maxSessionsPerOwner: 50,
      maxSessionsPerAddress: 200,
      maxConnectingPerAddress: 20,
      maxSessionsTotal: 1000,
    });
  });

  it('reads the per-address limits, and caps the default connect timeout at 2 minutes', () => {
    const config = readConfig({
      MCPSCOPE_MAX_SESSIONS_PER_ADDRESS: '7',
      MCPSCOPE_MAX_CONNECTING_PER_ADDRESS: '3',
      MCPSCOPE_CONNECT_TIMEOUT_MS: String(30 * 60_000),
    });
    expect(config).toMatchObject({ maxSessionsPerAddress: 7, maxConnectingPerAddress: 3, connectTimeoutMs: 120_000 });
    expect(readConfig({ MCPSCOPE_CONNECT_TIMEOUT_MS: '90000' }).connectTimeoutMs).toBe(90_000);
  });

  it('reads the environment and ignores malformed numbers', () => {
    const config = readConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://scope.example.com/',
      MCPSCOPE_SESSION_IDLE_MINUTES: 'soon',
      MCPSCOPE_LOG_MAX_EVENTS: '1000',
      MCPSCOPE_LOG_MAX_BYTES: '2048',
      MCPSCOPE_MAX_SESSIONS: '-3',
    });
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('https://scope.example.com');
    expect(config.sessionIdleMinutes).toBe(30);
    expect(config.logLimits).toEqual({ maxEvents: 1000, maxBytes: 2048 });
    expect(config.maxSessionsPerOwner).toBe(50);
  });
});
