// Next.js 16 "proxy" (formerly middleware): runs before every page and API route. It applies the access
// rules of lib/security: the Host header (DNS rebinding), the Origin of state-changing requests and of the
// events stream (cross-site requests), the access token when mcpscope is reachable beyond loopback, the
// request-body limit and the creation rate limits (per signed owner and per client address). A refused
// request changes nothing: it never reaches a route.
import { NextResponse, type NextRequest } from 'next/server';
import {
  ACCESS_COOKIE,
  accessCookieHeader,
  admit,
  admittedAnswerHeaders,
  answerSecurity,
  clientOfHeaders,
  getSecuritySettings,
  NONCE_HEADER,
  ownerFromCookieHeader,
  requestScheme,
  servedOverHttps,
  type Denial,
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

async function bodySize(request: NextRequest): Promise<number | undefined> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim())) return Number(declared);
  if (!request.body) return undefined;
  // A chunked body declares no length; Next.js has buffered it for the proxy, so measuring it is cheap.
  return (await request.clone().arrayBuffer()).byteLength;
}

/**
 * The Content-Security-Policy of this answer, with a fresh nonce, and the Referrer-Policy (lib/security
 * answerSecurity). Every answer gets them, refusals and route handlers' HTML included. Next.js reads the policy
 * from the request headers and puts the nonce on its own scripts; the root layout reads `x-nonce` for its inline
 * theme script.
 */
function contentSecurity(request: NextRequest): { responseHeaders: Record<string, string>; requestHeaders: Headers } {
  const { nonce, headers } = answerSecurity(request.nextUrl.pathname);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', headers['Content-Security-Policy']);
  requestHeaders.set(NONCE_HEADER, nonce);
  return { responseHeaders: { ...headers }, requestHeaders };
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
    redirect.headers.set(
      'Set-Cookie',
      accessCookieHeader(decision.cookie, servedOverHttps(settings, request.headers.get('x-forwarded-proto'))),
    );
    redirect.headers.set('Cache-Control', 'no-store');
    redirect.headers.set('Content-Security-Policy', security.responseHeaders['Content-Security-Policy']);
    redirect.headers.set('Referrer-Policy', 'no-referrer');
    return redirect;
  }
  const response = NextResponse.next({ request: { headers: security.requestHeaders } });
  for (const [name, value] of Object.entries(security.responseHeaders)) response.headers.set(name, value);
  const pageView = wantsHtml(request);
  const secure = servedOverHttps(settings, request.headers.get('x-forwarded-proto'));
  for (const [name, value] of admittedAnswerHeaders({ owner, pageView, secure })) {
    if (name === 'Set-Cookie') response.headers.append(name, value);
    else response.headers.set(name, value);
  }
  return response;
}

export const config = {
  // Everything but build assets, which carry no data (the pages that load them are checked).
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
