// Next.js 16 "proxy" (formerly middleware): runs before every page and API route. It applies the access
// rules of lib/security: the Host header (DNS rebinding), the Origin of state-changing requests and of the
// events stream (cross-site requests), the access token when mcpscope is reachable beyond loopback, the
// request-body limit and the creation rate limits (per signed owner and per client address). A refused
// request changes nothing: it never reaches a route.
import { NextResponse, type NextRequest } from 'next/server';
import {
  ACCESS_COOKIE,
  accessCookieHeader,
  ADMITTED_HEADERS,
  admit,
  clientOfHeaders,
  contentSecurityPolicy,
  getSecuritySettings,
  newCspNonce,
  newOwnerId,
  NONCE_HEADER,
  ownerCookieHeader,
  ownerFromCookieHeader,
  referrerPolicyFor,
  requestScheme,
  type Denial,
  type SecuritySettings,
} from '@/lib/security';

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

/**
 * The Content-Security-Policy of this answer, with a fresh nonce (lib/security/csp.ts), and the Referrer-Policy.
 * Every answer gets them, refusals and route handlers' HTML included. Next.js reads the policy from the request
 * headers and puts the nonce on its own scripts; the root layout reads `x-nonce` for its inline theme script.
 */
function contentSecurity(request: NextRequest): { responseHeaders: Record<string, string>; requestHeaders: Headers } {
  const nonce = newCspNonce();
  const sandboxPort = Number(process.env.MCPSCOPE_SANDBOX_PORT);
  const policy = contentSecurityPolicy({
    nonce,
    development: process.env.NODE_ENV === 'development',
    ...(Number.isInteger(sandboxPort) && sandboxPort > 0 ? { appSandboxPort: sandboxPort } : {}),
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', policy);
  requestHeaders.set(NONCE_HEADER, nonce);
  return {
    responseHeaders: { 'Content-Security-Policy': policy, 'Referrer-Policy': referrerPolicyFor(request.nextUrl.pathname) },
    requestHeaders,
  };
}

export async function proxy(request: NextRequest): Promise<Response> {
  const security = contentSecurity(request);
  const settings = getSecuritySettings();
  const owner = ownerFromCookieHeader(request.headers.get('cookie'));
  const decision = await admit(
    {
      method: request.method.toUpperCase(),
      pathname: request.nextUrl.pathname,
      host: request.headers.get('host'),
      origin: request.headers.get('origin'),
      scheme: requestScheme(request.headers.get('x-forwarded-proto')),
      authorization: request.headers.get('authorization'),
      accessCookie: request.cookies.get(ACCESS_COOKIE)?.value,
      queryToken: request.nextUrl.searchParams.get('token'),
      bodySize: () => bodySize(request),
      owner,
      client: clientOfHeaders(request.headers, settings.trustedProxies),
    },
    settings,
  );
  if (decision.action === 'deny') return refuse(request, decision.denial, { ...decision.headers, ...security.responseHeaders });
  if (decision.action === 'accept-query-token') {
    // Once: the token goes into an httpOnly cookie and out of the address bar (and out of history and Referer).
    const clean = request.nextUrl.clone();
    clean.searchParams.delete('token');
    const redirect = NextResponse.redirect(clean, 303);
    redirect.headers.set('Set-Cookie', accessCookieHeader(decision.cookie, isSecure(request, settings)));
    redirect.headers.set('Cache-Control', 'no-store');
    redirect.headers.set('Content-Security-Policy', security.responseHeaders['Content-Security-Policy']);
    redirect.headers.set('Referrer-Policy', 'no-referrer');
    return redirect;
  }
  const response = NextResponse.next({ request: { headers: security.requestHeaders } });
  for (const [name, value] of Object.entries(security.responseHeaders)) response.headers.set(name, value);
  for (const [name, value] of Object.entries(ADMITTED_HEADERS)) response.headers.set(name, value);
  // A first page view gets its owner at once: otherwise the page's first API calls (saved servers, live sessions,
  // the launch token) would each mint a different owner in parallel, and whichever cookie came last would orphan
  // what the others made.
  if (!owner && wantsHtml(request)) response.headers.append('Set-Cookie', ownerCookieHeader(newOwnerId(), isSecure(request, settings)));
  return response;
}

export const config = {
  // Everything but build assets, which carry no data (the pages that load them are checked).
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
