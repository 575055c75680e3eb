// POST /api/sessions/:id/audit {consent?} → 200 {report}: the server audit on the connected session.
// GET → 200 {report} (the last one) | 404 no_audit.
import { auditSession, lastAudit } from '@/lib/audit';
import { errorResponse, getRegistry, notFound, readJson, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withSession(async (session, request) => {
  const input = getRegistry().connectInput(session);
  if (!input) return notFound();
  return { report: await auditSession(session, input, await readJson(request)) };
});

export const GET = withSession((session) => {
  const report = lastAudit(session.id);
  return report ? { report } : errorResponse('no_audit', 'This session has not been audited yet.', 404);
});
