// GET /api/sessions/:id: the session summary, current. DELETE: disconnect (the log stays until expiry).
import { getRegistry, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = withSession((session) => getRegistry().summary(session));

export const DELETE = withSession((session) => getRegistry().close(session));
