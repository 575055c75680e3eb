// GET /api/sessions/:id/events: the session log as Server-Sent Events (id = seq), replaying after
// Last-Event-ID (or ?after=), then live, with `summary` events when the session changes.
import { createEventStream, EVENT_STREAM_HEADERS, getRegistry, orphanEventsAnswer, replayStart, withSession } from '@/lib/sessions';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export const GET = withSession(
  (session, request) => {
    const registry = getRegistry();
    let unwatch: (() => void) | undefined;
    const stream = createEventStream({
      log: session.log,
      afterSeq: replayStart(request),
      summary: () => registry.summary(session),
      subscribeSummary: (listener) => registry.subscribeSummary(session, listener),
      onEnd: (listener) => registry.onEnd(session, listener),
      signal: request.signal,
      onOpen: () => {
        unwatch = registry.watch(session);
      },
      onClose: () => unwatch?.(),
    });
    return new Response(stream, { headers: EVENT_STREAM_HEADERS });
  },
  { onOrphan: orphanEventsAnswer },
);
