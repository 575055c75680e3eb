// Sends what crossed a view's bridge to the session log (POST /api/sessions/:id/apps/log), in small batches so a
// chatty view costs a request every few hundred milliseconds, not one per message.
import type { AppLogRequest } from '@/lib/contract';
import { request } from '../api';

type Note = NonNullable<AppLogRequest['notes']>[number];

const FLUSH_MS = 200;
const MAX_BATCH = 100;

export class BridgeRecorder {
  private messages: AppLogRequest['messages'] = [];
  private notes: Note[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly sessionId: string,
    private readonly viewId: string,
    private readonly resourceUri: string,
    private readonly readOnly = false,
  ) {}

  message(direction: 'in' | 'out', message: unknown): void {
    this.messages.push({ direction, at: Date.now(), message });
    this.schedule();
  }

  note(note: Note): void {
    this.notes.push(note);
    this.schedule();
  }

  private schedule(): void {
    if (this.messages.length >= MAX_BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Sends what is queued, in order (batches never overtake each other). */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.readOnly || (this.messages.length === 0 && this.notes.length === 0)) return this.chain;
    const body: AppLogRequest = {
      viewId: this.viewId,
      resourceUri: this.resourceUri,
      messages: this.messages.splice(0, MAX_BATCH),
      ...(this.notes.length > 0 ? { notes: this.notes.splice(0, 20) } : {}),
    };
    this.chain = this.chain
      .then(() => request<unknown>(`/api/sessions/${encodeURIComponent(this.sessionId)}/apps/log`, { method: 'POST', json: body }))
      .then(
        () => undefined,
        (error: unknown) => console.warn('mcpscope: recording the app bridge failed', error),
      );
    if (this.messages.length > 0 || this.notes.length > 0) this.schedule();
    return this.chain;
  }
}
