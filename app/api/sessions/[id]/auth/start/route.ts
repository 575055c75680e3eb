// POST /api/sessions/:id/auth/start: "Connect with OAuth" for an existing session (after a 401, or to change the
// client or scopes). Body: StartAuthRequest. Answers the summary: connected, or auth_required with the
// authorization URL (or, guided, waiting for the steps).
import { getRegistry, parseOAuthSettings, readJson, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withSession(async (session, request) =>
  getRegistry().startOAuth(session, parseOAuthSettings((await readJson(request)) ?? {}, 'body')),
);
