// Sessions belong to the browser that made them: an httpOnly cookie holds an owner id signed by mcpscope
// (lib/security/owner.ts, the one reader of that cookie), and every session lookup is keyed by it (another
// browser gets 404, as if the session did not exist). A cookie mcpscope did not sign is no owner.
import { newOwnerId, ownerCookieHeader, ownerFromCookieHeader } from '../security';

export { newOwnerId, OWNER_COOKIE, ownerFromCookieHeader, signOwner } from '../security';

/** The owner the request's cookie proves, if any. */
export function readOwner(request: Request): string | undefined {
  return ownerFromCookieHeader(request.headers.get('cookie'));
}

/** A Set-Cookie value for the owner id; `secure` when mcpscope is served over https. */
export function ownerCookie(ownerId: string, secure: boolean): string {
  return ownerCookieHeader(ownerId, secure);
}

/** The request's owner, or a freshly issued one plus the cookie to set on the response. */
export function resolveOwner(request: Request, secure: boolean): { ownerId: string; setCookie?: string } {
  const existing = readOwner(request);
  if (existing) return { ownerId: existing };
  const ownerId = newOwnerId();
  return { ownerId, setCookie: ownerCookie(ownerId, secure) };
}
