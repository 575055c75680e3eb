// GET /api/sessions/:id/log-level → {level?, mode}. POST {level} sets it: logging/setLevel on 2025-era
// servers → {mode: "setLevel", outcome: {result}|{error}}; per-request _meta on 2026-07-28 → {mode: "per-request"}.
import { getLogLevel, readJson, setLogLevel, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = withSession((session) => getLogLevel(session));

export const POST = withSession(async (session, request) => setLogLevel(session, await readJson(request)));
