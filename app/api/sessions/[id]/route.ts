// GET /api/sessions/:id: the session summary, current. DELETE: disconnect (the log stays until expiry).
import { getRegistry, orphanSummaryAnswer, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = withSession((session) => getRegistry().summary(session), { onOrphan: orphanSummaryAnswer });

export const DELETE = withSession((session) => getRegistry().close(session), { onOrphan: orphanSummaryAnswer });
