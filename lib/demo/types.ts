import type { RequestStateCodec } from '@modelcontextprotocol/server';
import type { BookingState } from './booking';
import type { DemoLive } from './live';
import type { DemoTaskStore } from './tasks';

/** Something the demo server did that a test (or a log) may want to observe. */
export type DemoEvent = {
  type: 'slow_task';
  outcome: 'completed' | 'cancelled';
  stepsDone: number;
  steps: number;
};

export interface DemoServerOptions {
  /** Called when a tool reaches an observable outcome (e.g. a slow task was cancelled). */
  onEvent?: (event: DemoEvent) => void;
  /** State shared by the server instances of one handler (made fresh when absent). */
  live?: DemoLive;
  /** Seals `book_table`'s requestState; every instance that may see a round of a flow needs the same one. */
  bookingState?: RequestStateCodec<BookingState>;
  /** The tasks of this handler (a task outlives the request, and so the server instance, that made it). */
  tasks?: DemoTaskStore;
}
