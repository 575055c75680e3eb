// POST /api/sessions/:id/cancel {callId, reason?}: stops an in-flight call; the server is told
// (notifications/cancelled, or a closed request stream on 2026-07-28 servers).
import { getRegistry, parseCancelRequest, readJson, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withSession(async (session, request) => {
  const { callId, reason } = parseCancelRequest(await readJson(request));
  // false when the call already finished: not an error, the race is normal.
  return { cancelled: getRegistry().cancel(session, callId, reason) };
});
