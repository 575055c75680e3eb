// Small helpers that keep the route handlers thin: JSON in and out, errors shaped as the API contract says.
import type { ApiErrorBody } from '../contract';
import { isStoreError } from '../store';
import { apiErrorOf, SessionError, statusForCode } from './errors';
import { getRegistry, type Session } from './registry';
import { getConfig } from '../config';
import { readOwner, resolveOwner } from './owner';
import { answerElsewhere, type OrphanHandler } from './elsewhere';

/** The headers of every JSON answer of the API. */
export const JSON_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/json; charset=utf-8',
  // no-transform: API answers are small and latency-bound; Next's gzip costs more than it saves on loopback.
  'Cache-Control': 'no-store, no-transform',
};

export function json(body: unknown, status = 200, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

export function errorResponse(code: string, message: string, status = statusForCode(code), extra?: Partial<ApiErrorBody>): Response {
  return json({ error: { code, message }, ...extra } satisfies ApiErrorBody, status);
}

/** Any thrown error as an API error body and status (unknown errors become a 500 without internals). */
export function errorAnswer(error: unknown): { status: number; body: ApiErrorBody } {
  const known = apiErrorOf(error);
  if (known && isStoreError(error)) {
    console.error('store failure', error);
    return { status: 503, body: { error: known } };
  }
  if (known) return { status: statusForCode(known.code), body: { error: known } };
  console.error('unexpected API error', error);
  return {
    status: 500,
    body: { error: { code: 'internal_error', message: 'Something went wrong inside mcpscope; the server log has the details.' } },
  };
}

/** Any thrown error as an API error response. */
export function fromError(error: unknown): Response {
  const { status, body } = errorAnswer(error);
  return json(body, status);
}

export async function readJson(request: Request): Promise<unknown> {
  return parseJsonBody(await request.text());
}

/** A request body as JSON: undefined when empty, a 400 invalid_request when malformed. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SessionError('invalid_request', 'The request body is not valid JSON.');
  }
}

export const NOT_FOUND_MESSAGE = 'No such session here: it may have expired, or it belongs to another browser.';

export function notFound(): Response {
  return errorResponse('not_found', NOT_FOUND_MESSAGE, 404);
}

/** The session named in the route, if it belongs to the caller. */
export function findSession(request: Request, id: string): Session | undefined {
  return getRegistry().get(readOwner(request), id);
}

/** The route's dynamic segments; every session route has `id`, some have more (`requestId`). */
export type SessionRouteParams = { id: string } & Record<string, string>;

/** What a session route's handler answers: a Response as it is, or a body sent as JSON with status 200. */
export type SessionRouteAnswer = Response | object;

/**
 * A session route from its handler: finds the caller's session named in the route (404 when it is not theirs or
 * gone), runs the handler, and shapes what it throws as the API's error body. `onError` replaces that shaping
 * where a route has its own (share links). A session another instance holds is answered by that instance; one
 * whose instance stopped by `onOrphan` (default: 409 `instance_stopped`); see lib/sessions/elsewhere.ts.
 */
export function withSession<P extends SessionRouteParams = { id: string }>(
  handler: (session: Session, request: Request, params: P) => SessionRouteAnswer | Promise<SessionRouteAnswer>,
  options: { onError?: (error: unknown) => Response; onOrphan?: OrphanHandler } = {},
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    const params = await context.params;
    const session = findSession(request, params.id);
    if (!session) {
      try {
        return (await answerElsewhere(request, params.id, options.onOrphan)) ?? notFound();
      } catch (error) {
        return (options.onError ?? fromError)(error);
      }
    }
    try {
      const answer = await handler(session, request, params);
      return answer instanceof Response ? answer : json(answer);
    } catch (error) {
      return (options.onError ?? fromError)(error);
    }
  };
}

/** What an owner route's handler answers: a Response as it is, or a body sent as JSON with its status. */
export type OwnerRouteAnswer = Response | { body: unknown; status: number };

/**
 * A route that acts for the caller rather than on one session (saved servers, creating a session): resolves the
 * caller's owner id, minting one (and its cookie, Secure under an https public URL) on a first visit, runs the
 * handler, and shapes what it throws as the API's error body.
 */
export function withOwner(
  handler: (ownerId: string, request: Request) => OwnerRouteAnswer | Promise<OwnerRouteAnswer>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    let setCookie: string | undefined;
    let response: Response;
    try {
      const owner = resolveOwner(request, getConfig().publicUrl.startsWith('https:'));
      setCookie = owner.setCookie;
      const answer = await handler(owner.ownerId, request);
      response = answer instanceof Response ? answer : json(answer.body, answer.status);
    } catch (error) {
      response = fromError(error);
    }
    // A first visit keeps the owner it was given even when its request failed: its next one is the same browser.
    if (setCookie) response.headers.append('Set-Cookie', setCookie);
    return response;
  };
}
