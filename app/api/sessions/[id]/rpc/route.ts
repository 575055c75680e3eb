// POST /api/sessions/:id/rpc {method, params?, callId?}: 200 {result} or 200 {error} (the server's
// JSON-RPC error); 4xx/5xx {error:{code,message}} when no answer came.
// Production calls mostly skip this file: scripts/start.mjs offers each request to lib/direct-rpc first, which
// answers a plain admissible call from node:http with the same registry.rpc and error shapes; this route serves
// what it passes on (refusals, unknown sessions, unusual requests) and every call under `next dev` and the tests.
import { engineServerTiming } from '@/lib/contract';
import { getRegistry, json, readJson, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// The engine's time goes out as Server-Timing: the figure the Tools view shows (lib/contract/server-timing.ts).
export const POST = withSession(async (session, request) => {
  const { outcome, engineMs } = await getRegistry().timedRpc(session, await readJson(request), request.signal);
  return json(outcome, 200, { 'Server-Timing': engineServerTiming(engineMs) });
});
