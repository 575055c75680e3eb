// GET /api/sessions/:id/roots → {roots}. PUT {roots: [{uri: "file:///…", name?}]} replaces the list the
// server gets on roots/list, and sends notifications/roots/list_changed when connected.
import { findSession, fromError, getRoots, json, notFound, readJson, setRoots } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  return json(getRoots(session));
}

export async function PUT(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    return json(await setRoots(session, await readJson(request)));
  } catch (error) {
    return fromError(error);
  }
}
