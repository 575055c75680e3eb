// POST /api/sessions/:id/ping → {result, latencyMs} | {error, latencyMs}. 400 unsupported_method on
// 2026-07-28 servers, which have no ping.
import { ping, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withSession((session, request) => ping(session, request.signal));
