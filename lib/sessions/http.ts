// Small helpers that keep the route handlers thin: JSON in and out, errors shaped as the API contract says.
import type { ApiErrorBody } from '../contract';
import { EngineError } from '../mcp';
import { SessionError, statusForCode } from './errors';
import { getRegistry, type Session } from './registry';
import { readOwner } from './owner';

export function json(body: unknown, status = 200, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), {
    status,
    // no-transform: API answers are small and latency-bound; Next's gzip costs more than it saves on loopback.
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store, no-transform', ...headers },
  });
}

export function errorResponse(code: string, message: string, status = statusForCode(code), extra?: Partial<ApiErrorBody>): Response {
  return json({ error: { code, message }, ...extra } satisfies ApiErrorBody, status);
}

/** Any thrown error as an API error response (unknown errors become a 500 without internals). */
export function fromError(error: unknown): Response {
  if (error instanceof SessionError || error instanceof EngineError) return errorResponse(error.code, error.message);
  console.error('unexpected API error', error);
  return errorResponse('internal_error', 'Something went wrong inside mcpscope; the server log has the details.', 500);
}

export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SessionError('invalid_request', 'The request body is not valid JSON.');
  }
}

export function notFound(): Response {
  return errorResponse('not_found', 'No such session here: it may have expired, or it belongs to another browser.', 404);
}

/** The session named in the route, if it belongs to the caller. */
export function findSession(request: Request, id: string): Session | undefined {
  return getRegistry().get(readOwner(request), id);
}
