// GET /callback: the authorization server sends the browser back here. The pending request (found by `state`)
// names the session; the browser must be the one that started it (owner cookie). Then the session's flow
// exchanges the code (or, guided, holds it for the token step) and the session connects with its token.
import { INSTANCE_STOPPED_MESSAGE, wasForwarded } from '../cluster';
import { callbackParamsFromUrl } from '../oauth';
import { getSharedStore, type Store } from '../store';
import { findFlowError } from './auth';
import { readOwner } from './owner';
import { getRegistry, type SessionRegistry } from './registry';

export type CallbackOutcome =
  /** A path on this origin to send the browser to. */
  | { kind: 'redirect'; location: string }
  | { kind: 'error'; status: number; code: string; message: string; sessionId?: string }
  /** The answer of the instance that holds the session (several instances, lib/cluster), as it is. */
  | { kind: 'response'; response: Response };

export interface CallbackDeps {
  registry?: SessionRegistry;
  store?: () => Promise<Store>;
  /** Where people reach mcpscope, for the "open it there" advice. */
  publicUrl?: string;
}

export async function completeAuthorization(request: Request, deps: CallbackDeps = {}): Promise<CallbackOutcome> {
  const registry = deps.registry ?? getRegistry();
  const params = callbackParamsFromUrl(request.url);
  if (!params.state) {
    const said = params.error ? ` It said: ${params.error}${params.errorDescription ? ` (${params.errorDescription})` : ''}.` : '';
    return {
      kind: 'error',
      status: 400,
      code: 'invalid_state',
      message: `The authorization server sent the browser back without a state, so mcpscope cannot tell which request this answers.${said}`,
    };
  }
  const store = await (deps.store ?? getSharedStore)();
  const pending = await store.peekPendingAuthorization(params.state);
  if (!pending) {
    return {
      kind: 'error',
      status: 400,
      code: 'invalid_state',
      message:
        'This authorization response matches no pending request: it was already used, it expired (requests are valid for 10 minutes), or mcpscope never sent it. Start the authorization again from the session.',
    };
  }
  const owner = readOwner(request);
  const sessionId = pending.sessionId;
  if (!owner) {
    const where = deps.publicUrl ? ` at ${deps.publicUrl}` : '';
    return {
      kind: 'error',
      status: 403,
      code: 'missing_owner_cookie',
      message: `This browser sent no mcpscope cookie with the callback, so the authorization cannot be matched to its session. Open mcpscope${where} (the same origin as the redirect URI) and authorize from there.`,
    };
  }
  if (pending.owner !== owner) {
    return {
      kind: 'error',
      status: 403,
      code: 'invalid_state',
      message: 'This authorization was started in another browser and cannot be completed here.',
    };
  }
  if (!sessionId) {
    return {
      kind: 'error',
      status: 400,
      code: 'invalid_state',
      message: 'This authorization was not started by a session of the web app (the CLI waits for its own callback).',
    };
  }
  const session = registry.get(owner, sessionId);
  if (!session) {
    // The login's flow lives with its session: on another instance, that instance finishes it.
    const where = registry.cluster ? await registry.cluster.whereabouts(owner, sessionId) : undefined;
    if (where?.kind === 'elsewhere' && registry.cluster && !wasForwarded(request)) {
      return { kind: 'response', response: await registry.cluster.forward(request, where.address) };
    }
    if (where?.kind === 'orphaned') {
      return {
        kind: 'error',
        status: 404,
        code: 'session_gone',
        message: `${INSTANCE_STOPPED_MESSAGE} The authorization in progress was held there too: reconnect, and authorize again if the server asks.`,
        sessionId,
      };
    }
    return {
      kind: 'error',
      status: 404,
      code: 'session_gone',
      message:
        'The session this authorization belongs to has ended (it expired after being idle, or mcpscope restarted). Connect again; the authorization starts anew.',
    };
  }
  let outcome: 'held' | 'authorized';
  try {
    outcome = await session.auth.completeCallback(params);
  } catch (error) {
    registry.notify(session);
    const flowError = findFlowError(error);
    return {
      kind: 'error',
      status: flowError?.code === 'invalid_state' || flowError?.code === 'state_expired' ? 400 : 502,
      code: flowError?.code ?? 'callback_failed',
      message: flowError?.message ?? (error instanceof Error ? error.message : String(error)),
      sessionId,
    };
  }
  const path = `/inspect/${encodeURIComponent(sessionId)}`;
  if (outcome === 'held') {
    registry.notify(session);
    return { kind: 'redirect', location: `${path}/oauth` };
  }
  await registry.resumeAfterAuthorization(session);
  return { kind: 'redirect', location: path };
}
