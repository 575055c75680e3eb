// POST /api/sessions/:id/reconnect: connects the session again with the settings it was created with (after the
// server forgot it, dropped it, or mcpscope disconnected). The log continues; 200 with the new summary.
// Body (optional): {tolerate: ["issuer_mismatch"]}: "continue anyway" past a check the OAuth flow refused.
import { getRegistry, orphanReconnectAnswer, parseReconnectRequest, readJson, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withSession(
  async (session, request) => getRegistry().reconnect(session, parseReconnectRequest(await readJson(request))),
  // Its instance stopped: this one connects it again (lib/sessions/elsewhere.ts).
  { onOrphan: orphanReconnectAnswer },
);
