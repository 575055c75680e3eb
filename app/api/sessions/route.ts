// POST /api/sessions: connect to an MCP server. 201 with the session summary (connected, or
// auth_required), or an error with the id of the failed session whose log says what happened.
// With `"wait": false` (or `Prefer: respond-async`): 202 with the summary in state `connecting` as soon as
// the session exists; the handshake goes on in the background and shows on the session's events stream.
import { PREFER_RESPOND_ASYNC, STDIO_LAUNCH_HEADER } from '@/lib/contract';
import { clientOfHeaders, getSecuritySettings } from '@/lib/security';
import { fromError, getRegistry, json, prefersRespondAsync, readJson, readOwner, withOwner } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withOwner(async (ownerId, request) => {
  const respondAsync = prefersRespondAsync(request.headers.get('prefer'));
  const clientAddress = clientOfHeaders(request.headers, getSecuritySettings().trustedProxies);
  const launchToken = request.headers.get(STDIO_LAUNCH_HEADER);
  const outcome = await getRegistry().create(ownerId, await readJson(request), { respondAsync, clientAddress, launchToken });
  if (!outcome.ok) return outcome;
  if (outcome.summary.state !== 'connecting') return { body: outcome.summary, status: 201 };
  const headers: Record<string, string> = { Location: `/api/sessions/${encodeURIComponent(outcome.summary.id)}` };
  if (respondAsync) headers['Preference-Applied'] = PREFER_RESPOND_ASYNC;
  return json(outcome.summary, 202, headers);
});

// GET /api/sessions: this browser's live sessions, newest first (the session switcher).
export async function GET(request: Request): Promise<Response> {
  try {
    const registry = getRegistry();
    const ownerId = readOwner(request);
    return json({ sessions: ownerId ? registry.listFor(ownerId).map((session) => registry.summary(session)) : [] });
  } catch (error) {
    return fromError(error);
  }
}
