// The 2025-11-25 experimental tasks shapes the UI reads, and how to recognise a task-creating answer.

export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled' | (string & {});

export interface TaskInfo {
  taskId: string;
  status: TaskStatus;
  statusMessage?: string;
  createdAt?: string;
  lastUpdatedAt?: string;
  ttl?: number | null;
  pollInterval?: number;
}

export function isTerminal(status: TaskStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** The task in a `CreateTaskResult` (`{task: {taskId, status, …}}`), or undefined for an ordinary result. */
export function createdTask(result: unknown): TaskInfo | undefined {
  if (!result || typeof result !== 'object') return undefined;
  const task = (result as { task?: unknown }).task;
  if (!task || typeof task !== 'object') return undefined;
  const { taskId, status } = task as { taskId?: unknown; status?: unknown };
  return typeof taskId === 'string' && typeof status === 'string' ? (task as TaskInfo) : undefined;
}

/** How a tool takes task augmentation (`execution.taskSupport`); "forbidden" when it says nothing. */
export function taskSupportOf(tool: { execution?: { taskSupport?: unknown } }): 'forbidden' | 'optional' | 'required' {
  const support = tool.execution?.taskSupport;
  return support === 'optional' || support === 'required' ? support : 'forbidden';
}
