// GET /api/sessions/:id/log-level → {level?, mode}. POST {level} sets it: logging/setLevel on 2025-era
// servers → {mode: "setLevel", outcome: {result}|{error}}; per-request _meta on 2026-07-28 → {mode: "per-request"}.
import { findSession, fromError, getLogLevel, json, notFound, readJson, setLogLevel } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  return json(getLogLevel(session));
}

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    return json(await setLogLevel(session, await readJson(request)));
  } catch (error) {
    return fromError(error);
  }
}
