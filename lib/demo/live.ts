// State the demo's server instances share: one counter resource that changes when someone bumps it, and
// the resource subscriptions of 2025 sessions. The 2026-07-28 handler makes a server per HTTP request and
// the 2025 leg one per session, so whatever outlives a request (the counter, who wants to hear about it)
// lives here, one per demo handler.

export const COUNTER_URI = 'demo://live/counter.json';

/** Most URIs one 2025 session may subscribe to; a client asking for more gets an error, not unbounded memory. */
export const MAX_SUBSCRIPTIONS_PER_SESSION = 100;

type UpdateListener = (uri: string) => void;

export class DemoLive {
  private value = 0;
  private changedAt = new Date(0).toISOString();
  private readonly listeners = new Set<UpdateListener>();

  /** The counter resource's contents. */
  counter(): { value: number; changedAt: string } {
    return { value: this.value, changedAt: this.changedAt };
  }

  /** Changes the counter and tells everyone listening that its resource was updated. */
  bump(by: number): number {
    this.value += by;
    this.changedAt = new Date().toISOString();
    for (const listener of [...this.listeners]) listener(COUNTER_URI);
    return this.value;
  }

  /** Hears about every resource update; returns the function that stops listening. */
  onUpdate(listener: UpdateListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
