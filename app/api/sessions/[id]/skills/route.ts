// GET /api/sessions/:id/skills → {offered, skills}: the server's skills (SEP-2640), listed; no file is read.
import { sessionSkills, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = withSession((session) => sessionSkills(session));
