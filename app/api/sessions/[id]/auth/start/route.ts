// POST /api/sessions/:id/auth/start: "Connect with OAuth" for an existing session (after a 401, or to change the
// client or scopes). Body: StartAuthRequest. Answers the summary: connected, or auth_required with the
// authorization URL (or, guided, waiting for the steps).
import { findSession, fromError, getRegistry, json, notFound, parseOAuthSettings, readJson } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

type Context = { params: Promise<{ id: string }> };

export async function POST(request: Request, { params }: Context): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    const settings = parseOAuthSettings((await readJson(request)) ?? {}, 'body');
    return json(await getRegistry().startOAuth(session, settings));
  } catch (error) {
    return fromError(error);
  }
}
