// Sessions belong to the browser that made them: an httpOnly cookie holds a random owner id, and every
// session lookup is keyed by it (another browser gets 404, as if the session did not exist).
import { cookieValue } from '../security';

export const OWNER_COOKIE = 'mcpscope_owner';
const OWNER_FORMAT = /^[A-Za-z0-9_-]{22,64}$/;
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

export function newOwnerId(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64url');
}

/** The owner id from the request's cookies, if it carries a well-formed one. */
export function readOwner(request: Request): string | undefined {
  return ownerFromCookieHeader(request.headers.get('cookie'));
}

/** The owner id from a Cookie header, if it holds a well-formed one. */
export function ownerFromCookieHeader(header: string | null | undefined): string | undefined {
  const value = cookieValue(header, OWNER_COOKIE);
  return value !== undefined && OWNER_FORMAT.test(value) ? value : undefined;
}

/** A Set-Cookie value for the owner id; `secure` when mcpscope is served over https. */
export function ownerCookie(ownerId: string, secure: boolean): string {
  return `${OWNER_COOKIE}=${ownerId}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${ONE_YEAR_SECONDS}${secure ? '; Secure' : ''}`;
}

/** The request's owner, or a fresh one plus the cookie to set on the response. */
export function resolveOwner(request: Request, secure: boolean): { ownerId: string; setCookie?: string } {
  const existing = readOwner(request);
  if (existing) return { ownerId: existing };
  const ownerId = newOwnerId();
  return { ownerId, setCookie: ownerCookie(ownerId, secure) };
}
