'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import type { CallToolResult } from '../api';
import { describeFailure, queryKeys, rpcResult } from '../api';
import type { LogStore } from '../log-store';
import { useLatestNotification } from '../notifications';
import { Badge, Button, IconAlert, Spinner, formatMs, type Tone } from '../ui';
import { isTerminal, type TaskInfo } from './model';

const STATUS_TONE: Record<string, Tone> = {
  working: 'accent',
  input_required: 'warn',
  completed: 'ok',
  failed: 'err',
  cancelled: 'neutral',
};

const MIN_POLL_MS = 500;
const DEFAULT_POLL_MS = 1000;

/**
 * A task-augmented call (2025-11-25 experimental tasks): polls `tasks/get` at the server's
 * `pollInterval`, fetches `tasks/result` once the task completes (or needs input: the result stream is
 * where the server's questions arrive), and can cancel it with `tasks/cancel`.
 */
export function TaskPanel({
  sessionId,
  store,
  initial,
  renderResult,
}: {
  sessionId: string;
  store: LogStore;
  initial: TaskInfo;
  /** Renders the final `tasks/result` (the caller knows how its results look, e.g. a tool result). */
  renderResult: (result: CallToolResult, receivedAt: number) => ReactNode;
}) {
  const [task, setTask] = useState<TaskInfo>(initial);
  const [polls, setPolls] = useState(0);
  const [pollError, setPollError] = useState<string | null>(null);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const taskId = initial.taskId;

  // notifications/tasks/status is optional for servers; when it comes, it updates the status at once.
  const statusNote = useLatestNotification(store, 'task', (item) => item.params.taskId === taskId);
  const [appliedNote, setAppliedNote] = useState<typeof statusNote>(undefined);
  if (statusNote !== appliedNote) {
    setAppliedNote(statusNote);
    if (statusNote) setTask((current) => ({ ...current, ...(statusNote.params as Partial<TaskInfo>), taskId }));
  }

  useEffect(() => {
    if (isTerminal(task.status)) return;
    const delay = Math.max(MIN_POLL_MS, typeof task.pollInterval === 'number' ? task.pollInterval : DEFAULT_POLL_MS);
    const timer = setTimeout(() => {
      rpcResult<TaskInfo>(sessionId, 'tasks/get', { taskId })
        .then((next) => {
          setTask((current) => ({ ...current, ...next, taskId }));
          setPollError(null);
        })
        .catch((error: unknown) => setPollError(describeFailure(error)))
        .finally(() => setPolls((n) => n + 1));
    }, delay);
    return () => clearTimeout(timer);
  }, [sessionId, taskId, task.status, task.pollInterval, polls]);

  // tasks/result blocks until the task ends; while input is required, it is also how the server's queued
  // questions (elicitation, sampling) reach the client. Asked once, the first time the status allows it.
  const [resultWanted, setResultWanted] = useState(false);
  if (!resultWanted && (task.status === 'completed' || task.status === 'failed' || task.status === 'input_required')) setResultWanted(true);
  const resultQuery = useQuery<CallToolResult>({
    queryKey: queryKeys.taskResult(sessionId, taskId),
    queryFn: () => rpcResult<CallToolResult>(sessionId, 'tasks/result', { taskId }),
    enabled: resultWanted,
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnReconnect: false,
  });
  const result = resultQuery.isSuccess
    ? { value: resultQuery.data, at: resultQuery.dataUpdatedAt }
    : resultQuery.isError
      ? { error: describeFailure(resultQuery.error), at: resultQuery.errorUpdatedAt }
      : null;
  const fetchingResult = resultQuery.isFetching;

  const cancel = () => {
    setCancelError(null);
    rpcResult<TaskInfo>(sessionId, 'tasks/cancel', { taskId })
      .then((next) => setTask((current) => ({ ...current, ...next, taskId })))
      .catch((error: unknown) => setCancelError(describeFailure(error)));
  };

  return (
    <div className="flex flex-col gap-3" data-testid="task-panel" data-status={task.status}>
      <div className="rounded border border-line bg-panel">
        <div className="flex items-center gap-2 border-b border-line bg-panel-2 px-3 py-1.5 text-xs">
          <span className="font-semibold">Task</span>
          <Badge tone={STATUS_TONE[task.status] ?? 'neutral'} data-testid="task-status">
            {task.status}
          </Badge>
          {!isTerminal(task.status) && <Spinner className="h-3 w-3 text-accent" />}
          <span className="min-w-0 flex-1 truncate font-mono text-[11px] text-muted" title={`taskId ${taskId}`}>
            {taskId}
          </span>
          {!isTerminal(task.status) && (
            <Button size="sm" variant="danger" onClick={cancel} data-testid="task-cancel" title="tasks/cancel">
              Cancel task
            </Button>
          )}
        </div>
        <div className="flex flex-col gap-1 px-3 py-2 text-xs">
          {task.statusMessage && <div data-testid="task-status-message">{task.statusMessage}</div>}
          <div className="flex flex-wrap gap-x-4 gap-y-0.5 text-[11px] text-muted">
            <span>polled tasks/get {polls}×</span>
            {typeof task.pollInterval === 'number' && <span>pollInterval {formatMs(task.pollInterval)}</span>}
            {typeof task.ttl === 'number' && <span>ttl {formatMs(task.ttl)}</span>}
            {task.createdAt && <span>created {new Date(task.createdAt).toLocaleTimeString()}</span>}
            {task.lastUpdatedAt && <span>updated {new Date(task.lastUpdatedAt).toLocaleTimeString()}</span>}
          </div>
          {pollError && <div className="text-err">tasks/get failed: {pollError}</div>}
          {cancelError && <div className="text-err">tasks/cancel failed: {cancelError}</div>}
          {task.status === 'input_required' && (
            <div className="text-warn">The task needs input: its questions arrive through tasks/result and open the request panel.</div>
          )}
        </div>
      </div>
      {fetchingResult && !result && (
        <div className="flex items-center gap-2 text-xs text-muted">
          <Spinner /> Waiting for tasks/result…
        </div>
      )}
      {result?.error && (
        <div className="flex gap-2 rounded border border-err/40 bg-err-soft px-3 py-2 text-xs" role="alert" data-testid="task-result-error">
          <IconAlert className="mt-0.5 h-3.5 w-3.5 shrink-0 text-err" />
          tasks/result: {result.error}
        </div>
      )}
      {result?.value && <div data-testid="task-result">{renderResult(result.value, result.at)}</div>}
    </div>
  );
}
