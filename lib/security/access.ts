// Who may talk to mcpscope at all: the Host header (DNS rebinding), the Origin of state-changing requests
// (cross-site requests, other local ports), and the access token when mcpscope is reachable beyond loopback.
// Pure decisions over request facts; proxy.ts applies them.
import { ACCESS_COOKIE, type SecuritySettings } from './settings';

export interface Denial {
  status: 401 | 403 | 413 | 429 | 503;
  code:
    | 'forbidden_host'
    | 'forbidden_origin'
    | 'access_token_required'
    | 'access_token_invalid'
    | 'access_token_unset'
    | 'body_too_large'
    | 'rate_limited';
  message: string;
}

export interface RequestFacts {
  method: string;
  pathname: string;
  /** The Host header. */
  host: string | null;
  origin: string | null;
  authorization: string | null;
  /** The access cookie's value, if sent. */
  accessCookie: string | undefined;
  /** `?token=` from the URL. */
  queryToken: string | null;
  /**
   * The scheme the browser used to reach mcpscope (`requestScheme`): `http`, or `https` behind a proxy that
   * terminates TLS. Absent means `http`, the only scheme mcpscope's own server speaks.
   */
  scheme?: RequestScheme;
}

export type RequestScheme = 'http' | 'https';

/**
 * The scheme of a request, from `X-Forwarded-Proto` (first value) when a TLS-terminating proxy set it, else
 * `http`. Believing the header is safe for the Origin check, which it only feeds: a page on another site cannot
 * add it to a request (a custom header makes the browser ask first with a CORS preflight, which mcpscope never
 * approves), and a client that can send any header can as well leave Origin out.
 */
export function requestScheme(forwardedProto: string | null | undefined): RequestScheme {
  const first = forwardedProto?.split(',')[0]?.trim().toLowerCase();
  return first === 'https' ? 'https' : 'http';
}

export type AccessDecision =
  | { action: 'allow' }
  /** A valid `?token=`: set the cookie and send the browser to the same URL without it. */
  | { action: 'accept-query-token'; cookie: string }
  | { action: 'deny'; denial: Denial };

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const EVENTS_STREAM = /^\/api\/sessions\/[^/]+\/events\/?$/;
/** Paths that answer without the access token: a liveness probe, and the demo server mcpscope calls itself. */
const TOKEN_EXEMPT = [/^\/api\/health\/?$/, /^\/demo\/mcp\/?$/];

/** `example.com:3000` → { hostname: 'example.com', port: '3000' }; IPv6 keeps its brackets. */
export function splitHost(host: string): { hostname: string; port: string } {
  const trimmed = host.trim().toLowerCase();
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(trimmed);
  return match ? { hostname: match[1] ?? '', port: match[2] ?? '' } : { hostname: trimmed, port: '' };
}

/** Whether a Host header value names mcpscope (entries may be a bare name, or `name:port` to pin the port). */
export function isAllowedHost(host: string | null, allowedHosts: readonly string[]): boolean {
  if (!host) return false;
  const { hostname, port } = splitHost(host);
  if (!hostname) return false;
  const withPort = port ? `${hostname}:${port}` : hostname;
  return allowedHosts.some((entry) => entry === hostname || entry === withPort || (entry === '::1' && hostname === '[::1]'));
}

export function checkHost(host: string | null, settings: Pick<SecuritySettings, 'allowedHosts'>): Denial | undefined {
  if (isAllowedHost(host, settings.allowedHosts)) return undefined;
  return {
    status: 403,
    code: 'forbidden_host',
    message: host
      ? `The Host "${host}" is not one of mcpscope's names, so the request was refused (this blocks DNS rebinding). Add it to MCPSCOPE_ALLOWED_HOSTS or PUBLIC_URL if it is how people reach mcpscope.`
      : 'The request has no Host header, so it was refused.',
  };
}

/** The Origin check applies to state-changing methods and to the live events stream. */
export function needsOriginCheck(method: string, pathname: string): boolean {
  return STATE_CHANGING.has(method.toUpperCase()) || (method.toUpperCase() === 'GET' && EVENTS_STREAM.test(pathname));
}

/**
 * A present Origin must be mcpscope's own: the origin of the Host the request was sent to, PUBLIC_URL, or one
 * listed in MCPSCOPE_ALLOWED_ORIGINS. An absent Origin is a non-browser client (curl, the CLI, mcpscope calling
 * its own demo server): browsers always send Origin on cross-origin requests, so absence is not a cross-site request.
 */
export function checkOrigin(
  facts: Pick<RequestFacts, 'method' | 'pathname' | 'origin' | 'host' | 'scheme'>,
  settings: Pick<SecuritySettings, 'allowedHosts' | 'allowedOrigins' | 'publicOrigin'>,
): Denial | undefined {
  if (!needsOriginCheck(facts.method, facts.pathname) || facts.origin === null) return undefined;
  if (isAllowedOrigin(facts.origin, facts.host, settings, facts.scheme ?? 'http')) return undefined;
  return {
    status: 403,
    code: 'forbidden_origin',
    message: `A page at ${facts.origin === 'null' ? 'an opaque origin ("null")' : facts.origin} may not send this request to mcpscope (cross-site request refused; nothing was changed). Add the origin to MCPSCOPE_ALLOWED_ORIGINS if it should.`,
  };
}

export function isAllowedOrigin(
  origin: string,
  host: string | null,
  settings: Pick<SecuritySettings, 'allowedHosts' | 'allowedOrigins' | 'publicOrigin'>,
  scheme: RequestScheme = 'http',
): boolean {
  if (origin === 'null') return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.origin === settings.publicOrigin || settings.allowedOrigins.includes(parsed.origin)) return true;
  // Same origin as the request: the page was served by this very host (which the Host check vouched for), over the
  // scheme the request came in on. An origin is scheme + host + port: `https://localhost:3000` is another origin
  // than `http://localhost:3000` (another server could hold it), so the scheme is compared too, and the ports are
  // compared with the scheme's default filled in (`http://localhost` is `http://localhost:80`).
  if (host === null || !isAllowedHost(host, settings.allowedHosts) || parsed.protocol !== `${scheme}:`) return false;
  const request = splitHost(host);
  const defaultPort = scheme === 'https' ? '443' : '80';
  return parsed.hostname === request.hostname && (parsed.port || defaultPort) === (request.port || defaultPort);
}

/** Constant-time string comparison, so the token cannot be guessed a character at a time. */
export function safeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

/** The cookie value that stands for the token: a hash, so the cookie jar never holds the token itself. */
export async function accessCookieValue(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`mcpscope-access:${token}`));
  return Buffer.from(digest).toString('base64url');
}

export function tokenExempt(pathname: string): boolean {
  return TOKEN_EXEMPT.some((pattern) => pattern.test(pathname));
}

function bearer(authorization: string | null): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/** The access token rule: a bearer header, the cookie, or `?token=` once (which sets the cookie). */
export async function checkAccessToken(
  facts: Pick<RequestFacts, 'pathname' | 'authorization' | 'accessCookie' | 'queryToken' | 'method'>,
  settings: Pick<SecuritySettings, 'requireToken' | 'accessToken'>,
): Promise<AccessDecision> {
  if (!settings.requireToken || tokenExempt(facts.pathname)) return { action: 'allow' };
  const token = settings.accessToken;
  if (!token) {
    return {
      action: 'deny',
      denial: {
        status: 503,
        code: 'access_token_unset',
        message:
          'mcpscope is reachable beyond this machine (or runs in hosted mode) but has no access token: set MCPSCOPE_ACCESS_TOKEN (`npm start` generates one for the run when it is unset; another launcher must set it).',
      },
    };
  }
  const cookie = await accessCookieValue(token);
  const presented = bearer(facts.authorization);
  if (presented !== undefined) {
    return safeEqual(presented, token) ? { action: 'allow' } : { action: 'deny', denial: invalidToken() };
  }
  if (facts.queryToken !== null && facts.method.toUpperCase() === 'GET') {
    return safeEqual(facts.queryToken, token) ? { action: 'accept-query-token', cookie } : { action: 'deny', denial: invalidToken() };
  }
  if (facts.accessCookie !== undefined && safeEqual(facts.accessCookie, cookie)) return { action: 'allow' };
  return {
    action: 'deny',
    denial: {
      status: 401,
      code: 'access_token_required',
      message:
        'This mcpscope needs its access token: open the link printed when it started (…?token=…), or send Authorization: Bearer <token>.',
    },
  };
}

function invalidToken(): Denial {
  return {
    status: 401,
    code: 'access_token_invalid',
    message: 'The access token is not right. Use the link printed when mcpscope started, or ask whoever runs it.',
  };
}

export function accessCookieHeader(value: string, secure: boolean): string {
  return `${ACCESS_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${30 * 24 * 60 * 60}${secure ? '; Secure' : ''}`;
}
