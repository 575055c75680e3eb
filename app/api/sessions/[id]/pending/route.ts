// GET /api/sessions/:id/pending: the server's requests waiting for an answer (elicitation, sampling):
// {pending: [{requestId, method, params, receivedAt, expiresAt, via, rpcId}], timeoutMs}.
import { findSession, json, listPending, notFound } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  return json(listPending(session));
}
