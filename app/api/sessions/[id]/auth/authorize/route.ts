// POST /api/sessions/:id/auth/authorize: authorize again with the session's client (AuthorizeAgainRequest); with
// `scopes`, a step-up adding them to those held. Answers AuthorizeAgainResponse: the link to send the browser to,
// or (client credentials) the new token, masked, with the session connected again on it.
import type { AuthorizeAgainResponse } from '@/lib/contract';
import { getRegistry, parseScopeList, readJson, SessionError, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withSession(async (session, request) => {
  const body = (await readJson(request)) ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new SessionError('invalid_request', 'The body must be a JSON object.');
  const scopes = parseScopeList((body as { scopes?: unknown }).scopes, 'scopes');
  const answer: AuthorizeAgainResponse = await session.auth.authorizeAgain(scopes);
  if (answer.kind === 'token') await getRegistry().resumeAfterAuthorization(session);
  return answer;
});
