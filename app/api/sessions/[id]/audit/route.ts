// POST /api/sessions/:id/audit {consent?} → 200 {report}: the server audit on the connected session.
// GET → 200 {report} (the last one) | 404 no_audit.
import { auditSession, lastAudit } from '@/lib/audit';
import { errorResponse, findSession, fromError, getRegistry, json, notFound, readJson } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  const input = session && getRegistry().connectInput(session);
  if (!session || !input) return notFound();
  try {
    return json({ report: await auditSession(session, input, await readJson(request)) });
  } catch (error) {
    return fromError(error);
  }
}

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  const report = lastAudit(session.id);
  return report ? json({ report }) : errorResponse('no_audit', 'This session has not been audited yet.', 404);
}
