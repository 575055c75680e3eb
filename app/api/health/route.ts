export const dynamic = 'force-dynamic';

/** Liveness probe for scripts and the test runner. */
export function GET(): Response {
  return Response.json({ ok: true });
}
