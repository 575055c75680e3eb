// GET /callback: the authorization server sends the browser back here. The pending request (found by `state`)
// names the session; the browser must be the one that started it (owner cookie). Then the session's flow
// exchanges the code (or, guided, holds it for the token step) and the session connects with its token.
import { INSTANCE_STOPPED_MESSAGE, wasForwarded } from '../cluster';
import { callbackParamsFromUrl } from '../oauth';
import { isJsonObject } from '../json';
import { clientOfHeaders, getSecuritySettings } from '../security';
import { getSharedStore, type SessionRecord, type Store } from '../store';
import { findFlowError } from './auth';
import { handOver, INSTANCE_STOPPED } from './elsewhere';
import { readOwner } from './owner';
import { getRegistry, type Session, type SessionRegistry } from './registry';

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
  let session = registry.get(owner, sessionId);
  /** Taken over here from an instance that stopped, to finish the login it began. */
  let adopted = false;
  if (!session) {
    // The login's flow lives with its session: on another instance, that instance finishes it.
    const where = registry.cluster ? await registry.cluster.whereabouts(owner, sessionId) : undefined;
    let orphan = where?.kind === 'orphaned' ? where.record : undefined;
    if (where?.kind === 'elsewhere' && registry.cluster && !wasForwarded(request)) {
      const response = await handOver(registry.cluster, request, where.address, sessionId);
      if (response) return { kind: 'response', response };
      // The holder did not take it: it stopped, and this instance finishes the login as for any orphan.
      orphan = where.record;
    }
    if (orphan) {
      const taken = await adoptToFinish(registry, orphan, request);
      if (taken.kind !== 'session') return taken;
      session = taken.session;
      adopted = true;
    } else {
      return {
        kind: 'error',
        status: 404,
        code: 'session_gone',
        message:
          'The session this authorization belongs to has ended (it expired after being idle, or mcpscope restarted). Connect again; the authorization starts anew.',
      };
    }
  }
  let outcome: 'held' | 'authorized';
  try {
    outcome = await session.auth.completeCallback(params);
  } catch (error) {
    // Taken over but not authorized: it connects as any session would, which offers a fresh authorization link.
    if (adopted) void registry.reconnect(session).catch(() => undefined);
    else registry.notify(session);
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

/**
 * The session's instance stopped between the start of its login and this callback (a rolling restart, a crash).
 * What the exchange needs is in the store: the pending request (state, owner, PKCE verifier sealed, client, resource,
 * redirect URI), the client registration and the session's settings. So this instance takes the session over, not
 * connected yet, and finishes the login here. A guided login is the exception: its steps were the stopped
 * instance's, and the person starts it again.
 */
async function adoptToFinish(
  registry: SessionRegistry,
  record: SessionRecord,
  request: Request,
): Promise<{ kind: 'session'; session: Session } | Exclude<CallbackOutcome, { kind: 'redirect' }>> {
  const stopped = {
    kind: 'error' as const,
    status: 409,
    code: INSTANCE_STOPPED,
    sessionId: record.id,
  };
  const auth = isJsonObject(record.settings.auth) ? record.settings.auth : undefined;
  if (auth?.guided === true) {
    return {
      ...stopped,
      message: `This login was started on an mcpscope instance that has since stopped, with its guided steps. Start it again: open the session, Reconnect, and authorize (stored tokens are used when there are some).`,
    };
  }
  const clientAddress = clientOfHeaders(request.headers, getSecuritySettings().trustedProxies);
  const outcome = await registry.adopt(record, { clientAddress, connect: false });
  if (!outcome) {
    // Another instance took it over first: that one finishes it (the pending request is in the store for it too).
    const where = registry.cluster ? await registry.cluster.whereabouts(record.owner, record.id) : undefined;
    if (where?.kind === 'elsewhere' && registry.cluster && !wasForwarded(request)) {
      const response = await handOver(registry.cluster, request, where.address, record.id);
      if (response) return { kind: 'response', response };
    }
    return {
      ...stopped,
      message: `${INSTANCE_STOPPED_MESSAGE} This login was started there, and it moved again while finishing; reload the session and authorize again if it asks.`,
    };
  }
  if (!outcome.ok)
    return {
      kind: 'error',
      status: outcome.status,
      code: outcome.body.error.code,
      message: outcome.body.error.message,
      sessionId: record.id,
    };
  return { kind: 'session', session: outcome.session };
}
