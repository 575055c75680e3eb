'use client';

import { useMutation } from '@tanstack/react-query';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import type { RpcResponseBody } from '@/lib/contract';
import { ApiError, callRpcTimed, cancelCall, newCallId, type CallToolResult, type JsonRpcErrorObject } from '../api';

export type CallOutcome =
  | { kind: 'result'; result: CallToolResult }
  | { kind: 'rpc-error'; error: JsonRpcErrorObject }
  | { kind: 'api-error'; code: string; message: string };

export interface CallRecord {
  callId: string;
  toolName: string;
  args: unknown;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms: when the answer reached the browser (so `endedAt - startedAt` includes mcpscope's own hop). */
  endedAt?: number;
  /**
   * The call's latency as mcpscope's engine saw it (the answer's Server-Timing, or the log's recorded latency for a
   * call read back from the log): the server's time, without the browser↔mcpscope hop. What the view shows.
   */
  engineMs?: number;
  status: 'running' | 'done';
  cancelRequested?: boolean;
  cancelError?: string;
  outcome?: CallOutcome;
}

export interface ToolsState {
  selected: string | null;
  setSelected: (name: string | null) => void;
  search: string;
  setSearch: (search: string) => void;
  /** Arguments per tool, kept while the user moves between tools and tabs. */
  argsByTool: Readonly<Record<string, unknown>>;
  setArgs: (toolName: string, args: unknown) => void;
  /** Latest call per tool. */
  calls: Readonly<Record<string, CallRecord>>;
  /** `asTask` sends `params.task` (2025-11-25 tasks): the server answers with a task to poll. */
  startCall: (toolName: string, args: unknown, options?: { asTask?: boolean }) => void;
  cancel: (toolName: string) => void;
  /** Shows calls read back from the session log (after a reload) for the tools with no call on this page yet. */
  restoreCalls: (records: Readonly<Record<string, CallRecord>>) => void;
  /** Drops a tool's shown call (a result the view could not draw); the log keeps it. */
  clearCall: (toolName: string) => void;
}

/** How long a task's result is kept on the server (the request's `task.ttl`). */
const TASK_TTL_MS = 5 * 60_000;

function toOutcome(body: RpcResponseBody): CallOutcome {
  if ('error' in body) return { kind: 'rpc-error', error: body.error };
  const result = body.result;
  return {
    kind: 'result',
    result: typeof result === 'object' && result !== null ? (result as CallToolResult) : { content: [], structuredContent: result },
  };
}

/** Workspace-level tool state: survives the Tools tab unmounting while another view is open. */
export function useToolsState(sessionId: string): ToolsState {
  const [selected, setSelected] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [argsByTool, setArgsByTool] = useState<Record<string, unknown>>({});
  const [calls, setCalls] = useState<Record<string, CallRecord>>({});
  // Cancel reads the latest calls without being re-created on each one (kept current after each render).
  const callsRef = useRef(calls);
  useLayoutEffect(() => {
    callsRef.current = calls;
  }, [calls]);

  const callMutation = useMutation<
    { body: RpcResponseBody; engineMs?: number },
    Error,
    { callId: string; name: string; args: unknown; asTask?: boolean }
  >({
    mutationFn: ({ callId, name, args, asTask }) =>
      callRpcTimed(sessionId, {
        method: 'tools/call',
        // The call id doubles as the progress token, so progress notifications can be matched to this call.
        params: {
          name,
          arguments: args as Record<string, unknown>,
          _meta: { progressToken: callId },
          ...(asTask ? { task: { ttl: TASK_TTL_MS } } : {}),
        },
        callId,
      }),
  });
  // Stable across renders (react-query memoises it per mutation observer).
  const { mutateAsync } = callMutation;

  const update = useCallback((toolName: string, callId: string, patch: Partial<CallRecord>) => {
    setCalls((current) => {
      const record = current[toolName];
      if (!record || record.callId !== callId) return current; // a newer call replaced it
      return { ...current, [toolName]: { ...record, ...patch } };
    });
  }, []);

  const startCall = useCallback(
    (toolName: string, args: unknown, options?: { asTask?: boolean }) => {
      const callId = newCallId();
      setCalls((current) => ({
        ...current,
        [toolName]: { callId, toolName, args, startedAt: Date.now(), status: 'running' },
      }));
      mutateAsync({ callId, name: toolName, args, asTask: options?.asTask }).then(
        ({ body, engineMs }) => update(toolName, callId, { status: 'done', endedAt: Date.now(), engineMs, outcome: toOutcome(body) }),
        (error: unknown) =>
          update(toolName, callId, {
            status: 'done',
            endedAt: Date.now(),
            outcome: {
              kind: 'api-error',
              code: error instanceof ApiError ? error.code : 'client_error',
              message: error instanceof Error ? error.message : String(error),
            },
          }),
      );
    },
    [update, mutateAsync],
  );

  const cancel = useCallback(
    (toolName: string) => {
      const record = callsRef.current[toolName];
      if (!record || record.status !== 'running') return;
      update(toolName, record.callId, { cancelRequested: true });
      cancelCall(sessionId, { callId: record.callId, reason: 'Cancelled by the user in mcpscope' }).catch((error: unknown) =>
        update(toolName, record.callId, { cancelError: error instanceof Error ? error.message : String(error) }),
      );
    },
    [sessionId, update],
  );

  const setArgs = useCallback((toolName: string, args: unknown) => {
    setArgsByTool((current) => (current[toolName] === args ? current : { ...current, [toolName]: args }));
  }, []);

  /** Tools whose shown call was dropped on purpose: the log's copy is not brought back either. */
  const cleared = useRef(new Set<string>());
  const restoreCalls = useCallback((records: Readonly<Record<string, CallRecord>>) => {
    setCalls((current) => {
      const missing = Object.entries(records).filter(([tool]) => !current[tool] && !cleared.current.has(tool));
      return missing.length === 0 ? current : { ...current, ...Object.fromEntries(missing) };
    });
  }, []);

  const clearCall = useCallback((toolName: string) => {
    cleared.current.add(toolName);
    setCalls((current) => {
      if (!current[toolName]) return current;
      const { [toolName]: _dropped, ...rest } = current;
      return rest;
    });
  }, []);

  return { selected, setSelected, search, setSearch, argsByTool, setArgs, calls, startCall, cancel, restoreCalls, clearCall };
}
