// Next.js 16 "proxy" (formerly middleware): runs before every page and API route. It applies the access
// rules of lib/security: the Host header (DNS rebinding), the Origin of state-changing requests and of the
// events stream (cross-site requests), the access token when mcpscope is reachable beyond loopback, the
// request-body limit and the creation rate limits. A refused request changes nothing: it never reaches a route.
import { NextResponse, type NextRequest } from 'next/server';
import {
  ACCESS_COOKIE,
  accessCookieHeader,
  bodyLimitApplies,
  bodyTooLarge,
  checkAccessToken,
  checkHost,
  checkOrigin,
  getSecuritySettings,
  rateLimitDenial,
  rateLimitFor,
  TokenBuckets,
  type Denial,
  type RateLimitName,
  type SecuritySettings,
} from '@/lib/security';

/** The owner cookie lib/sessions sets (kept in step by tests/security/proxy-rules.test.ts). */
const OWNER_COOKIE = 'mcpscope_owner';
const OWNER_FORMAT = /^[A-Za-z0-9_-]{22,64}$/;

type Buckets = Record<RateLimitName | `${RateLimitName}-anonymous`, TokenBuckets>;
/** Requests without an owner cookie (every browser's first) share a per-address budget this much larger. */
const ANONYMOUS_FACTOR = 10;
const BUCKETS_KEY = Symbol.for('mcpscope.rate-limits');

function buckets(settings: SecuritySettings): Buckets {
  const holder = globalThis as typeof globalThis & { [BUCKETS_KEY]?: Buckets };
  const { sessionRate, shareRate } = settings.limits;
  const larger = (spec: typeof sessionRate) => ({ perMinute: spec.perMinute * ANONYMOUS_FACTOR, burst: spec.burst * ANONYMOUS_FACTOR });
  holder[BUCKETS_KEY] ??= {
    session: new TokenBuckets(sessionRate),
    share: new TokenBuckets(shareRate),
    'session-anonymous': new TokenBuckets(larger(sessionRate)),
    'share-anonymous': new TokenBuckets(larger(shareRate)),
  };
  return holder[BUCKETS_KEY];
}

function wantsHtml(request: NextRequest): boolean {
  return !request.nextUrl.pathname.startsWith('/api/') && (request.headers.get('accept') ?? '').includes('text/html');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function refuse(request: NextRequest, denial: Denial, extraHeaders: Record<string, string> = {}): Response {
  const headers = { 'Cache-Control': 'no-store', ...extraHeaders };
  if (wantsHtml(request)) {
    const title = denial.status === 401 ? 'mcpscope needs its access token' : 'Request refused';
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5"><h1 style="font-size:1.3rem">${title}</h1><p>${escapeHtml(denial.message)}</p><p style="color:#666;font-family:monospace">${denial.code}</p></body></html>`;
    return new Response(html, { status: denial.status, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' } });
  }
  return Response.json({ error: { code: denial.code, message: denial.message } }, { status: denial.status, headers });
}

function isSecure(request: NextRequest, settings: SecuritySettings): boolean {
  return settings.publicOrigin.startsWith('https:') || request.headers.get('x-forwarded-proto') === 'https';
}

async function bodySize(request: NextRequest): Promise<number | undefined> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim())) return Number(declared);
  if (!request.body) return undefined;
  // A chunked body declares no length; Next.js has buffered it for the proxy, so measuring it is cheap.
  return (await request.clone().arrayBuffer()).byteLength;
}

/** The owner's bucket, or for a request without an owner yet (a first visit, a client that drops cookies) its address's. */
function rateKey(request: NextRequest): { key: string; anonymous: boolean } {
  const owner = request.cookies.get(OWNER_COOKIE)?.value;
  if (owner && OWNER_FORMAT.test(owner)) return { key: `owner:${owner}`, anonymous: false };
  return { key: `address:${request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || 'local'}`, anonymous: true };
}

export async function proxy(request: NextRequest): Promise<Response> {
  const settings = getSecuritySettings();
  const { pathname } = request.nextUrl;
  const method = request.method.toUpperCase();
  const host = request.headers.get('host');

  const hostDenial = checkHost(host, settings);
  if (hostDenial) return refuse(request, hostDenial);
  const originDenial = checkOrigin({ method, pathname, origin: request.headers.get('origin'), host }, settings);
  if (originDenial) return refuse(request, originDenial);

  const access = await checkAccessToken(
    {
      method,
      pathname,
      authorization: request.headers.get('authorization'),
      accessCookie: request.cookies.get(ACCESS_COOKIE)?.value,
      queryToken: request.nextUrl.searchParams.get('token'),
    },
    settings,
  );
  if (access.action === 'deny') return refuse(request, access.denial, access.denial.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="mcpscope"' } : {});
  if (access.action === 'accept-query-token') {
    // Once: the token goes into an httpOnly cookie and out of the address bar (and out of history and Referer).
    const clean = request.nextUrl.clone();
    clean.searchParams.delete('token');
    const redirect = NextResponse.redirect(clean, 303);
    redirect.headers.set('Set-Cookie', accessCookieHeader(access.cookie, isSecure(request, settings)));
    redirect.headers.set('Cache-Control', 'no-store');
    redirect.headers.set('Referrer-Policy', 'no-referrer');
    return redirect;
  }

  if (bodyLimitApplies(method, pathname)) {
    const size = await bodySize(request);
    const tooLarge = size === undefined ? undefined : bodyTooLarge(size, settings.limits);
    if (tooLarge) return refuse(request, tooLarge);
  }

  const limit = rateLimitFor(method, pathname);
  if (limit) {
    const { key, anonymous } = rateKey(request);
    const name: keyof Buckets = anonymous ? (limit === 'session' ? 'session-anonymous' : 'share-anonymous') : limit;
    const bucket = buckets(settings)[name];
    const outcome = bucket.take(key);
    if (!outcome.ok) {
      return refuse(request, rateLimitDenial(limit, bucket.spec, outcome.retryAfterMs), { 'Retry-After': String(Math.ceil(outcome.retryAfterMs / 1000)) });
    }
  }

  const response = NextResponse.next();
  // mcpscope is never framed (clickjacking a Connect or Disconnect button), and never sniffed.
  response.headers.set('X-Frame-Options', 'DENY');
  response.headers.set('X-Content-Type-Options', 'nosniff');
  return response;
}

export const config = {
  // Everything but build assets, which carry no data (the pages that load them are checked).
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
