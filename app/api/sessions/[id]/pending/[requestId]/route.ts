// POST /api/sessions/:id/pending/:requestId {result} | {error: {code, message}}: answers one of the
// server's waiting requests. 404 when it is no longer waiting (answered, timed out, withdrawn).
import { answerPending, findSession, fromError, json, notFound, readJson } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ id: string; requestId: string }> }): Promise<Response> {
  const { id, requestId } = await params;
  const session = findSession(request, id);
  if (!session) return notFound();
  try {
    return json(answerPending(session, requestId, await readJson(request)));
  } catch (error) {
    return fromError(error);
  }
}
