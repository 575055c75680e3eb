// POST /api/sessions/:id/ping → {result, latencyMs} | {error, latencyMs}. 400 unsupported_method on
// 2026-07-28 servers, which have no ping.
import { findSession, fromError, json, notFound, ping } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    return json(await ping(session, request.signal));
  } catch (error) {
    return fromError(error);
  }
}
