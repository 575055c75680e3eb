// Guided OAuth. GET /api/sessions/:id/auth/guided: the steps, the plan of the next one, the outcome of those
// done. POST {step, settings?}: run one step (settings first), answer the new state.
import {
  findSession,
  fromError,
  getRegistry,
  guidedState,
  json,
  notFound,
  parseGuidedStepRequest,
  readJson,
  runGuidedStep,
  type Session,
} from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

type Context = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    return json(await guidedState(session.auth));
  } catch (error) {
    return fromError(error);
  }
}

export async function POST(request: Request, { params }: Context): Promise<Response> {
  const session = findSession(request, (await params).id);
  if (!session) return notFound();
  try {
    const step = parseGuidedStepRequest(await readJson(request));
    const registry = getRegistry();
    const state = await runGuidedStep(session.auth, step, () => connectWithToken(session));
    registry.notify(session);
    return json(state);
  } catch (error) {
    return fromError(error);
  }
}

async function connectWithToken(session: Session): Promise<{ ok: boolean; message: string }> {
  const summary = await getRegistry().resumeAfterAuthorization(session);
  if (summary.state === 'connected') {
    const server = summary.server ? `${summary.server.name} ${summary.server.version}`.trim() : 'the server';
    return { ok: true, message: `Connected to ${server} with the access token.` };
  }
  return { ok: false, message: summary.error?.message ?? `The session is ${summary.state}.` };
}
