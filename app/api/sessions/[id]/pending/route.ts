// GET /api/sessions/:id/pending: the server's requests waiting for an answer (elicitation, sampling):
// {pending: [{requestId, method, params, receivedAt, expiresAt, via, rpcId}], timeoutMs}.
import { listPending, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = withSession((session) => listPending(session));
