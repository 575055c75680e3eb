// GET /api/sessions/:id/auth: the session's OAuth state (discovery, client, masked token, what it waits for).
// DELETE: forget this browser's tokens for the session's server.
import { findSession, fromError, getRegistry, json, notFound } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

type Context = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    return json(await session.auth.status());
  } catch (error) {
    return fromError(error);
  }
}

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    const forgotten = await session.auth.forgetTokens();
    getRegistry().notify(session);
    return json({ forgotten });
  } catch (error) {
    return fromError(error);
  }
}
