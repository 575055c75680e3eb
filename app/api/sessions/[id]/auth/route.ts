// GET /api/sessions/:id/auth: the session's OAuth state (discovery, client, masked token, what it waits for).
// DELETE: forget this browser's tokens for the session's server.
import { getRegistry, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = withSession((session) => session.auth.status());

export const DELETE = withSession(async (session) => {
  const forgotten = await session.auth.forgetTokens();
  getRegistry().notify(session);
  return { forgotten };
});
