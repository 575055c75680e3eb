// POST /api/sessions/:id/rpc {method, params?, callId?}: 200 {result} or 200 {error} (the server's
// JSON-RPC error); 4xx/5xx {error:{code,message}} when no answer came.
import { findSession, fromError, getRegistry, json, notFound, readJson } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    return json(await getRegistry().rpc(session, await readJson(request), request.signal));
  } catch (error) {
    return fromError(error);
  }
}
