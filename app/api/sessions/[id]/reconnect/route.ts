// POST /api/sessions/:id/reconnect: connects the session again with the settings it was created with (after the
// server forgot it, dropped it, or mcpscope disconnected). The log continues; 200 with the new summary.
import { findSession, fromError, getRegistry, json, notFound } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    return json(await getRegistry().reconnect(session));
  } catch (error) {
    return fromError(error);
  }
}
