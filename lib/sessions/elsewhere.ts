// A session this instance does not hold, when several instances share the store (lib/cluster): handed to the
// instance that holds it while that one runs; once it stopped, answered from the session's record, truthfully
// ("ended when its instance stopped"), and connected again here on Reconnect.
import { INSTANCE_STOPPED_MESSAGE, wasForwarded, type Cluster } from '../cluster';
import type { SessionSummary, TransportChoice } from '../contract';
import { clientOfHeaders, getSecuritySettings } from '../security';
import type { SessionRecord } from '../store';
import { EVENT_STREAM_HEADERS, formatSummaryFrame } from './events';
import { errorResponse, json } from './http';
import { readOwner } from './owner';
import { getRegistry } from './registry';

/** What a route answers for a session whose instance stopped. */
export type OrphanHandler = (record: SessionRecord, request: Request) => Response | Promise<Response>;

export const INSTANCE_STOPPED = 'instance_stopped';

/**
 * The answer for a session that is not in this instance's memory: the holder's answer, the orphan handler's, a
 * 409 `instance_stopped`, or undefined when no instance knows it (the caller says 404).
 */
export async function answerElsewhere(request: Request, id: string, onOrphan?: OrphanHandler): Promise<Response | undefined> {
  const cluster = getRegistry().cluster;
  if (!cluster) return undefined;
  const where = await cluster.whereabouts(readOwner(request), id);
  if (!where) return undefined;
  if (where.kind === 'elsewhere') {
    // Handed over once at most: two instances that disagree must not bounce a request between them.
    if (wasForwarded(request)) return undefined;
    const answer = await handOver(cluster, request, where.address, id);
    if (answer) return answer;
  }
  if (where.kind === 'unreachable') {
    return errorResponse(
      'instance_unreachable',
      'Another mcpscope instance holds this session, and it gave no address to reach it at (MCPSCOPE_INSTANCE_URL): the load balancer must send this browser back to it.',
      503,
      { sessionId: id },
    );
  }
  // Orphaned, or held by an instance that did not take the request: its sessions ended with it.
  if (onOrphan) return onOrphan(where.record, request);
  return errorResponse(INSTANCE_STOPPED, INSTANCE_STOPPED_MESSAGE, 409, { sessionId: id });
}

export const HOLDER_STOPPED_ANSWERING = 'holder_stopped_answering';

/**
 * The holder's answer to the request; undefined when the request did not reach it (refused, reset, no connection
 * in time), which is the holder having stopped: the caller answers as for an orphaned session. A request the
 * holder may have received and then dropped is not sent again: the caller is told it may or may not have run.
 */
export async function handOver(cluster: Cluster, request: Request, address: string, sessionId: string): Promise<Response | undefined> {
  const outcome = await cluster.forward(request, address);
  if (outcome.kind === 'answered') return outcome.response;
  if (outcome.kind === 'unreached') {
    console.warn(`mcpscope: ${outcome.reason}; session ${sessionId} is answered as its instance having stopped`);
    return undefined;
  }
  return errorResponse(
    HOLDER_STOPPED_ANSWERING,
    'The mcpscope instance holding this session stopped answering while handling this request: it may or may not have run. Reload the session to see where it stands; if its instance stopped, Reconnect connects it here.',
    502,
    { sessionId },
  );
}

/** The session as its record knows it: closed, saying why. */
export function orphanSummary(record: SessionRecord): SessionSummary {
  const headers = record.settings.headers;
  return {
    id: record.id,
    state: 'closed',
    url: record.serverUrl,
    transport: record.transport as TransportChoice,
    createdAt: record.createdAt,
    headerNames: headers && typeof headers === 'object' ? Object.keys(headers) : [],
    error: { code: INSTANCE_STOPPED, message: INSTANCE_STOPPED_MESSAGE },
  };
}

/** GET /api/sessions/:id (and DELETE: there is nothing left to disconnect). */
export const orphanSummaryAnswer: OrphanHandler = (record) => json(orphanSummary(record));

/** The events stream of an orphan: one summary frame, so an open page stops saying "connected", then the end. */
export const orphanEventsAnswer: OrphanHandler = (record) =>
  new Response(formatSummaryFrame(orphanSummary(record)), { headers: EVENT_STREAM_HEADERS });

/** POST /api/sessions/:id/reconnect: this instance takes the session over and connects it with its settings. */
export const orphanReconnectAnswer: OrphanHandler = async (record, request) => {
  const clientAddress = clientOfHeaders(request.headers, getSecuritySettings().trustedProxies);
  const outcome = await getRegistry().adopt(record, { clientAddress });
  if (!outcome) {
    // Another instance took it over first: hand the request to it (or say where things stand).
    return (await answerElsewhere(request, record.id)) ?? errorResponse('not_found', 'The session moved while reconnecting; reload.', 404);
  }
  return outcome.ok ? json(outcome.summary) : json(outcome.body, outcome.status);
};
