// POST /api/sessions/:id/pending/:requestId {result} | {error: {code, message}}: answers one of the
// server's waiting requests. 404 when it is no longer waiting (answered, timed out, withdrawn).
import { answerPending, readJson, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withSession<{ id: string; requestId: string }>(async (session, request, { requestId }) =>
  answerPending(session, requestId, await readJson(request)),
);
