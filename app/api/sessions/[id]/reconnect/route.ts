// POST /api/sessions/:id/reconnect: connects the session again with the settings it was created with (after the
// server forgot it, dropped it, or mcpscope disconnected). The log continues; 200 with the new summary.
// Body (optional): {tolerate: ["issuer_mismatch"]}: "continue anyway" past a check the OAuth flow refused.
import { findSession, fromError, getRegistry, json, notFound, parseReconnectRequest, readJson } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    const options = parseReconnectRequest(await readJson(request));
    return json(await getRegistry().reconnect(session, options));
  } catch (error) {
    return fromError(error);
  }
}
