// POST /api/sessions/:id/doctor {trustCertificate?} → 200 {report}: the Connection Doctor's checklist against the
// session's server, every exchange in the session's log.
import { diagnoseSession } from '@/lib/doctor';
import { findSession, fromError, getRegistry, json, notFound, readJson } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  const input = session && getRegistry().connectInput(session);
  if (!session || !input) return notFound();
  try {
    return json({ report: await diagnoseSession(session, input, await readJson(request), request.signal) });
  } catch (error) {
    return fromError(error);
  }
}
