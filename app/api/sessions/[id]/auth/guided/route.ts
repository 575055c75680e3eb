// Guided OAuth. GET /api/sessions/:id/auth/guided: the steps, the plan of the next one, the outcome of those
// done. POST {step, settings?}: run one step (settings first), answer the new state.
import { getRegistry, guidedState, parseGuidedStepRequest, readJson, runGuidedStep, withSession, type Session } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = withSession((session) => guidedState(session.auth));

export const POST = withSession(async (session, request) => {
  const step = parseGuidedStepRequest(await readJson(request));
  const state = await runGuidedStep(session.auth, step, () => connectWithToken(session));
  getRegistry().notify(session);
  return state;
});

async function connectWithToken(session: Session): Promise<{ ok: boolean; message: string }> {
  const summary = await getRegistry().resumeAfterAuthorization(session);
  if (summary.state === 'connected') {
    const server = summary.server ? `${summary.server.name} ${summary.server.version}`.trim() : 'the server';
    return { ok: true, message: `Connected to ${server} with the access token.` };
  }
  return { ok: false, message: summary.error?.message ?? `The session is ${summary.state}.` };
}
