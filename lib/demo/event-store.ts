// A bounded in-memory EventStore for the 2025 sessions' SSE streams. With one, the SDK's transport starts
// every SSE stream with a priming event (an id and empty data, SEP-1699) carrying a `retry` hint, so a
// client whose stream drops can come back with Last-Event-ID and get what it missed. Bounded because the
// endpoint is public within the app: each session keeps its newest events only.
import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

interface Stored {
  streamId: StreamId;
  message: JSONRPCMessage;
}

export class BoundedEventStore implements EventStore {
  private readonly events = new Map<EventId, Stored>();
  private counter = 0;

  constructor(private readonly maxEvents = 500) {}

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    // The stream id is in the event id so a replay can be scoped to the stream it came from.
    const eventId = `${streamId}_${String(++this.counter).padStart(10, '0')}`;
    this.events.set(eventId, { streamId, message });
    while (this.events.size > this.maxEvents) {
      const oldest = this.events.keys().next();
      if (oldest.done) break;
      this.events.delete(oldest.value);
    }
    return eventId;
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    return this.events.get(eventId)?.streamId ?? streamIdOf(eventId);
  }

  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const streamId = this.events.get(lastEventId)?.streamId ?? streamIdOf(lastEventId);
    if (streamId === undefined) return '';
    let after = false;
    for (const [eventId, stored] of this.events) {
      if (eventId === lastEventId) {
        after = true;
        continue;
      }
      if (stored.streamId !== streamId) continue;
      // An evicted last event: everything still kept for its stream is newer than it.
      if (after || !this.events.has(lastEventId)) await send(eventId, stored.message);
    }
    return streamId;
  }

  get size(): number {
    return this.events.size;
  }
}

function streamIdOf(eventId: EventId): StreamId | undefined {
  const cut = eventId.lastIndexOf('_');
  return cut > 0 ? eventId.slice(0, cut) : undefined;
}
