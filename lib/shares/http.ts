// What the share routes have in common: the link's absolute URL, and errors shaped as the API contract says.
import { errorResponse, fromError } from '../sessions';
import { isStoreError } from '../store';
import { ShareError } from './errors';

/**
 * `<origin>/share/<id>`: PUBLIC_URL when it is set (mcpscope behind a proxy), otherwise the origin the
 * request came to, so the link works on whatever port mcpscope was started.
 */
export function shareUrl(request: Request, shareId: string, env: Record<string, string | undefined> = process.env): string {
  const configured = env.PUBLIC_URL?.trim().replace(/\/+$/, '');
  const origin = configured || new URL(request.url).origin;
  return `${origin}/share/${shareId}`;
}

export function shareErrorResponse(error: unknown): Response {
  if (error instanceof ShareError) return errorResponse(error.code, error.message, error.status);
  if (isStoreError(error)) {
    console.error('share store failure', error);
    return errorResponse('store_unavailable', `Share links are unavailable: the store could not be used (${error.code}).`, 503);
  }
  return fromError(error);
}
