// POST /api/sessions/:id/cancel {callId, reason?}: stops an in-flight call; the server is told
// (notifications/cancelled, or a closed request stream on 2026-07-28 servers).
import { findSession, fromError, getRegistry, json, notFound, parseCancelRequest, readJson } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    const { callId, reason } = parseCancelRequest(await readJson(request));
    // false when the call already finished: not an error, the race is normal.
    return json({ cancelled: getRegistry().cancel(session, callId, reason) });
  } catch (error) {
    return fromError(error);
  }
}
