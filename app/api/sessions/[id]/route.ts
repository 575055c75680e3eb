// GET /api/sessions/:id: the session summary, current. DELETE: disconnect (the log stays until expiry).
import { findSession, fromError, getRegistry, json, notFound } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

type Context = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  return json(getRegistry().summary(session));
}

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    return json(await getRegistry().close(session));
  } catch (error) {
    return fromError(error);
  }
}
