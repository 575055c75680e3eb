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
}
