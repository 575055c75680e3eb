export const dynamic = 'force-dynamic';

/** When this server process started (epoch ms): a page whose session is gone can tell a restart from expiry. */
const STARTED_AT = Math.round(Date.now() - process.uptime() * 1000);

/** Liveness probe for scripts and the test runner. */
export function GET(): Response {
  return Response.json({ ok: true, startedAt: STARTED_AT });
}
