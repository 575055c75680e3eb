// POST /api/sessions/:id/twin: a new session to this session's server, connected with the same settings and
// credentials (a replay against the same server reuses its auth; the browser never holds the secrets). 201 with
// the new session's summary, or an error with its id.
import { clientOfHeaders, getSecuritySettings } from '@/lib/security';
import { getRegistry, json, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const POST = withSession(async (session, request) => {
  const clientAddress = clientOfHeaders(request.headers, getSecuritySettings().trustedProxies);
  const outcome = await getRegistry().createTwin(session, { clientAddress });
  return outcome.ok ? json(outcome.summary, 201) : json(outcome.body, outcome.status);
});
