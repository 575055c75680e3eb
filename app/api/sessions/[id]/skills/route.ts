// GET /api/sessions/:id/skills → {offered, skills}: the server's skills (SEP-2640), listed; no file is read.
import { findSession, fromError, json, notFound, sessionSkills } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    return json(await sessionSkills(session));
  } catch (error) {
    return fromError(error);
  }
}
