// POST /api/sessions/:id/doctor {trustCertificate?} → 200 {report}: the Connection Doctor's checklist against the
// session's server, every exchange in the session's log.
import { diagnoseSession } from '@/lib/doctor';
import { getRegistry, notFound, readJson, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withSession(async (session, request) => {
  const input = getRegistry().connectInput(session);
  if (!input) return notFound();
  return { report: await diagnoseSession(session, input, await readJson(request), request.signal) };
});
