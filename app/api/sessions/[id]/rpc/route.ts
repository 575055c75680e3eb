// POST /api/sessions/:id/rpc {method, params?, callId?}: 200 {result} or 200 {error} (the server's
// JSON-RPC error); 4xx/5xx {error:{code,message}} when no answer came.
// Production calls mostly skip this file: scripts/start.mjs offers each request to lib/direct-rpc first, which
// answers a plain admissible call from node:http with the same registry.rpc and error shapes; this route serves
// what it passes on (refusals, unknown sessions, unusual requests) and every call under `next dev` and the tests.
import { getRegistry, readJson, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withSession(async (session, request) => getRegistry().rpc(session, await readJson(request), request.signal));
