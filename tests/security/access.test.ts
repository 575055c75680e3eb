import { describe, expect, it } from 'vitest';
import {
  accessCookieHeader,
  accessCookieValue,
  checkAccessToken,
  checkHost,
  checkOrigin,
  isAllowedHost,
  needsOriginCheck,
  readSecuritySettings,
  requestScheme,
  safeEqual,
  splitHost,
} from '@/lib/security';

const local = readSecuritySettings({ PORT: '3000', PUBLIC_URL: 'http://localhost:3000' });

describe('Host check (DNS rebinding)', () => {
  it('accepts mcpscope own names on any port', () => {
    for (const host of ['localhost:3000', 'localhost', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST:3000'])
      expect(checkHost(host, local), host).toBeUndefined();
  });

  it('refuses any other name with 403 forbidden_host', () => {
    for (const host of ['evil.example:3000', 'evil.example', '127.0.0.1.nip.io:3000', 'localhost.evil.example', '']) {
      expect(checkHost(host, local), host).toMatchObject({ status: 403, code: 'forbidden_host' });
    }
    expect(checkHost(null, local)).toMatchObject({ status: 403, code: 'forbidden_host' });
  });

  it('adds PUBLIC_URL, MCPSCOPE_ALLOWED_HOSTS and a specific bind address', () => {
    const settings = readSecuritySettings({
      HOST: '192.168.1.20',
      PUBLIC_URL: 'https://scope.example.com',
      MCPSCOPE_ALLOWED_HOSTS: 'scope.internal, pinned.example:8443',
      MCPSCOPE_ACCESS_TOKEN: 't',
    });
    expect(isAllowedHost('scope.example.com', settings.allowedHosts)).toBe(true);
    expect(isAllowedHost('scope.internal:3000', settings.allowedHosts)).toBe(true);
    expect(isAllowedHost('192.168.1.20:3000', settings.allowedHosts)).toBe(true);
    expect(isAllowedHost('pinned.example:8443', settings.allowedHosts)).toBe(true);
    expect(isAllowedHost('pinned.example:9999', settings.allowedHosts)).toBe(false);
    expect(isAllowedHost('192.168.1.21:3000', settings.allowedHosts)).toBe(false);
    // A wildcard bind is not a name anyone should use.
    expect(isAllowedHost('0.0.0.0:3000', readSecuritySettings({ HOST: '0.0.0.0', MCPSCOPE_ACCESS_TOKEN: 't' }).allowedHosts)).toBe(false);
  });

  it('splitHost keeps IPv6 brackets', () => {
    expect(splitHost('[::1]:3000')).toEqual({ hostname: '[::1]', port: '3000' });
    expect(splitHost('Example.com')).toEqual({ hostname: 'example.com', port: '' });
  });
});

describe('Origin check (cross-site requests)', () => {
  const facts = (method: string, pathname: string, origin: string | null, host = 'localhost:3000') => ({ method, pathname, origin, host });

  it('applies to state-changing methods and to the events stream only', () => {
    const cases: Array<[method: string, pathname: string, checked: boolean]> = [
      ['POST', '/api/sessions', true],
      ['DELETE', '/api/sessions/x', true],
      ['PUT', '/x', true],
      ['PATCH', '/x', true],
      ['GET', '/api/sessions/abc/events', true],
      ['GET', '/api/sessions/abc', false],
      ['GET', '/', false],
    ];
    for (const [method, pathname, checked] of cases) expect(needsOriginCheck(method, pathname), `${method} ${pathname}`).toBe(checked);
  });

  it('accepts the same origin, PUBLIC_URL and absent Origin (non-browser clients, the demo server called by mcpscope)', () => {
    expect(checkOrigin(facts('POST', '/api/sessions', 'http://localhost:3000'), local)).toBeUndefined();
    expect(checkOrigin(facts('POST', '/api/sessions', 'http://127.0.0.1:3000', '127.0.0.1:3000'), local)).toBeUndefined();
    expect(checkOrigin(facts('POST', '/demo/mcp', null), local)).toBeUndefined();
    expect(checkOrigin(facts('GET', '/api/sessions/abc/events', null), local)).toBeUndefined();
  });

  it('refuses foreign origins with 403 forbidden_origin: other sites, other local ports, opaque origins', () => {
    for (const origin of ['https://evil.example', 'http://localhost:8080', 'http://127.0.0.1:3000', 'null', 'not a url']) {
      expect(checkOrigin(facts('POST', '/api/sessions', origin), local), origin).toMatchObject({ status: 403, code: 'forbidden_origin' });
    }
    expect(checkOrigin(facts('GET', '/api/sessions/abc/events', 'https://evil.example'), local)).toMatchObject({
      code: 'forbidden_origin',
    });
    expect(checkOrigin(facts('DELETE', '/api/shares/x', 'https://evil.example'), local)).toMatchObject({ code: 'forbidden_origin' });
    // Reading is not state-changing: the Origin check leaves it to the cookie and CORS.
    expect(checkOrigin(facts('GET', '/api/sessions/abc', 'https://evil.example'), local)).toBeUndefined();
  });

  // Issue 12: the same-origin rule compared host and port only, so a page at https://localhost:3000 (another server
  // holding that origin) passed as mcpscope's own http://localhost:3000.
  it('compares scheme, host and port: another scheme on the same host and port is another origin', () => {
    for (const origin of ['https://localhost:3000', 'ws://localhost:3000', 'ftp://localhost:3000', 'https://127.0.0.1:3000']) {
      const host = origin.includes('127.0.0.1') ? '127.0.0.1:3000' : 'localhost:3000';
      expect(checkOrigin(facts('POST', '/api/sessions', origin, host), local), origin).toMatchObject({
        status: 403,
        code: 'forbidden_origin',
      });
      expect(checkOrigin({ ...facts('POST', '/api/sessions', origin, host), scheme: 'http' }, local), origin).toMatchObject({
        code: 'forbidden_origin',
      });
    }
    expect(checkOrigin(facts('GET', '/api/sessions/abc/events', 'https://localhost:3000'), local)).toMatchObject({
      code: 'forbidden_origin',
    });
    // Behind a proxy that terminates TLS the browser is on https, and the proxy says so.
    expect(checkOrigin({ ...facts('POST', '/api/sessions', 'https://localhost:3000'), scheme: 'https' }, local)).toBeUndefined();
    expect(
      checkOrigin({ ...facts('POST', '/api/sessions', 'https://127.0.0.1:3000', '127.0.0.1:3000'), scheme: 'https' }, local),
    ).toBeUndefined();
    expect(
      checkOrigin({ ...facts('POST', '/api/sessions', 'http://127.0.0.1:3000', '127.0.0.1:3000'), scheme: 'https' }, local),
    ).toMatchObject({ code: 'forbidden_origin' });
  });

  it('fills in default ports on both sides, and never lets one side drop a port the other has', () => {
    expect(checkOrigin(facts('POST', '/api/sessions', 'http://localhost', 'localhost'), local)).toBeUndefined();
    expect(checkOrigin(facts('POST', '/api/sessions', 'http://localhost:80', 'localhost'), local)).toBeUndefined();
    expect(checkOrigin(facts('POST', '/api/sessions', 'http://localhost', 'localhost:80'), local)).toBeUndefined();
    expect(
      checkOrigin({ ...facts('POST', '/api/sessions', 'https://localhost', 'localhost:443'), scheme: 'https' }, local),
    ).toBeUndefined();
    expect(checkOrigin(facts('POST', '/api/sessions', 'http://localhost', 'localhost:3000'), local)).toMatchObject({
      code: 'forbidden_origin',
    });
    expect(checkOrigin(facts('POST', '/api/sessions', 'http://127.0.0.1:3000', '127.0.0.1'), local)).toMatchObject({
      code: 'forbidden_origin',
    });
    expect(checkOrigin(facts('POST', '/api/sessions', 'http://[::1]:3000', '[::1]:3000'), local)).toBeUndefined();
    expect(checkOrigin(facts('POST', '/api/sessions', 'https://[::1]:3000', '[::1]:3000'), local)).toMatchObject({
      code: 'forbidden_origin',
    });
  });

  it('reads the scheme from X-Forwarded-Proto, https only when it says so', () => {
    expect(requestScheme(null)).toBe('http');
    expect(requestScheme('https')).toBe('https');
    expect(requestScheme('HTTPS, http')).toBe('https');
    expect(requestScheme('http, https')).toBe('http');
    expect(requestScheme('wss')).toBe('http');
  });

  it('still accepts PUBLIC_URL with its own scheme whatever the proxy says', () => {
    const settings = readSecuritySettings({ PUBLIC_URL: 'https://scope.example.com', MCPSCOPE_ACCESS_TOKEN: 't' });
    expect(checkOrigin(facts('POST', '/api/sessions', 'https://scope.example.com', 'scope.example.com'), settings)).toBeUndefined();
    expect(checkOrigin(facts('POST', '/api/sessions', 'https://scope.example.com:8443', 'scope.example.com'), settings)).toMatchObject({
      code: 'forbidden_origin',
    });
  });

  it('accepts origins listed in MCPSCOPE_ALLOWED_ORIGINS', () => {
    const settings = readSecuritySettings({ MCPSCOPE_ALLOWED_ORIGINS: 'https://tools.example.com/' });
    expect(checkOrigin(facts('POST', '/api/sessions', 'https://tools.example.com'), settings)).toBeUndefined();
  });
});

describe('access token', () => {
  it('is required beyond loopback, in hosted mode, or when asked, and never otherwise', () => {
    expect(readSecuritySettings({}).requireToken).toBe(false);
    expect(readSecuritySettings({ HOST: '0.0.0.0' }).requireToken).toBe(true);
    expect(readSecuritySettings({ HOST: '0.0.0.0', MCPSCOPE_REQUIRE_TOKEN: '0' }).requireToken).toBe(true);
    expect(readSecuritySettings({ MCPSCOPE_MODE: 'hosted' }).requireToken).toBe(true);
    expect(readSecuritySettings({ MCPSCOPE_MODE: 'hosted', MCPSCOPE_REQUIRE_TOKEN: '0' }).requireToken).toBe(false);
    expect(readSecuritySettings({ MCPSCOPE_REQUIRE_TOKEN: '1' }).requireToken).toBe(true);
  });

  const settings = { requireToken: true, accessToken: 'the-access-token-123' };
  const request = (
    overrides: Partial<{ pathname: string; authorization: string | null; accessCookie: string; queryToken: string | null; method: string }>,
  ) => ({
    method: 'GET',
    pathname: '/api/sessions/x',
    authorization: null,
    accessCookie: undefined,
    queryToken: null,
    ...overrides,
  });

  it('refuses a request without it with 401, and a wrong one too', async () => {
    expect(await checkAccessToken(request({}), settings)).toMatchObject({
      action: 'deny',
      denial: { status: 401, code: 'access_token_required' },
    });
    expect(await checkAccessToken(request({ authorization: 'Bearer nope' }), settings)).toMatchObject({
      action: 'deny',
      denial: { code: 'access_token_invalid' },
    });
    expect(await checkAccessToken(request({ queryToken: 'nope' }), settings)).toMatchObject({
      action: 'deny',
      denial: { code: 'access_token_invalid' },
    });
    expect(await checkAccessToken(request({ accessCookie: 'the-access-token-123' }), settings)).toMatchObject({ action: 'deny' });
  });

  it('accepts a bearer header, a ?token= once (turned into a cookie), and that cookie', async () => {
    expect(await checkAccessToken(request({ authorization: 'Bearer the-access-token-123' }), settings)).toEqual({ action: 'allow' });
    const viaQuery = await checkAccessToken(request({ pathname: '/', queryToken: 'the-access-token-123' }), settings);
    expect(viaQuery).toEqual({ action: 'accept-query-token', cookie: await accessCookieValue('the-access-token-123') });
    if (viaQuery.action !== 'accept-query-token') return;
    // The cookie holds a hash, not the token.
    expect(viaQuery.cookie).not.toContain('the-access-token-123');
    expect(await checkAccessToken(request({ accessCookie: viaQuery.cookie }), settings)).toEqual({ action: 'allow' });
    expect(accessCookieHeader(viaQuery.cookie, false)).toMatch(/^mcpscope_access=[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    expect(accessCookieHeader(viaQuery.cookie, true)).toMatch(/; Secure$/);
  });

  it('exempts the liveness probe and the demo server mcpscope calls itself', async () => {
    expect(await checkAccessToken(request({ pathname: '/api/health' }), settings)).toEqual({ action: 'allow' });
    expect(await checkAccessToken(request({ pathname: '/demo/mcp', method: 'POST' }), settings)).toEqual({ action: 'allow' });
    expect(await checkAccessToken(request({ pathname: '/demo/mcp/../../api/sessions' }), settings)).toMatchObject({ action: 'deny' });
  });

  it('fails closed when required but not configured', async () => {
    expect(await checkAccessToken(request({}), { requireToken: true })).toMatchObject({
      action: 'deny',
      denial: { status: 503, code: 'access_token_unset' },
    });
  });

  it('is not asked for when not required', async () => {
    expect(await checkAccessToken(request({}), { requireToken: false })).toEqual({ action: 'allow' });
  });

  it('compares in constant time', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('', 'a')).toBe(false);
  });
});
