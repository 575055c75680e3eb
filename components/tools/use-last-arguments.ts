'use client';

// What a reload must not lose: each tool's last arguments, per server, kept in this browser (localStorage), and
// the session's last result per tool, read back from the session log (which recorded every call). Arguments are
// stored without anything secret-looking: a value under a credential name (lib/trace isSecretName, the rule that
// masks the log) is never written, since localStorage is readable by any script on the page and stays on disk.
import { useEffect, useRef, useState } from 'react';
import type { SessionSummary } from '@/lib/contract';
import { useLogSelector } from '../log-store';
import { isSecretName } from '@/lib/trace';
import type { RpcEvent } from '@/lib/trace/types';
import type { CallToolResult, JsonRpcErrorObject } from '../api';
import type { LogStore } from '../log-store';
import type { CallRecord, ToolsState } from './use-tools-state';

const PREFIX = 'mcpscope.args.';
const INDEX_KEY = 'mcpscope.args-index';
/** Servers remembered; the least recently used go first. */
const MAX_SERVERS = 20;
/** Tools remembered per server. */
const MAX_TOOLS = 100;
/** One tool's arguments as JSON; bigger ones (a pasted file) are not kept. */
const MAX_ARGS_BYTES = 32_000;
const MAX_DEPTH = 20;

type Stored = Record<string, { args: unknown; at: number }>;

/** A copy of `value` without any entry whose name says it holds a credential; undefined when nothing is left. */
export function withoutSecrets(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, depth + 1)).filter((item) => item !== undefined);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (isSecretName(key, 'json')) continue;
    const kept = withoutSecrets(item, depth + 1);
    if (kept !== undefined) out[key] = kept;
  }
  return out;
}

function read(serverKey: string): Stored {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(PREFIX + serverKey) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const out: Stored = {};
    for (const [tool, entry] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { args, at } = entry as { args?: unknown; at?: unknown };
      // Stored by an older page or edited by hand: filtered again on the way in.
      if (args !== undefined && typeof at === 'number') out[tool] = { args: withoutSecrets(args), at };
    }
    return out;
  } catch {
    return {};
  }
}

function write(serverKey: string, stored: Stored): void {
  try {
    const entries = Object.entries(stored)
      .sort((a, b) => b[1].at - a[1].at)
      .slice(0, MAX_TOOLS);
    localStorage.setItem(PREFIX + serverKey, JSON.stringify(Object.fromEntries(entries)));
    const index = (JSON.parse(localStorage.getItem(INDEX_KEY) ?? '[]') as unknown[]).filter(
      (key): key is string => typeof key === 'string' && key !== serverKey,
    );
    index.unshift(serverKey);
    for (const old of index.splice(MAX_SERVERS)) localStorage.removeItem(PREFIX + old);
    localStorage.setItem(INDEX_KEY, JSON.stringify(index));
  } catch {
    // Storage full or disabled: arguments are simply not remembered.
  }
}

/** The arguments remembered for `serverKey` (the session's masked URL), by tool. */
export function rememberedArguments(serverKey: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(read(serverKey)).map(([tool, entry]) => [tool, entry.args]));
}

/** Remembers one tool's arguments for `serverKey`, secrets left out. */
export function rememberArguments(serverKey: string, tool: string, args: unknown): void {
  const clean = withoutSecrets(args);
  const json = JSON.stringify(clean ?? null);
  if (clean === undefined || json.length > MAX_ARGS_BYTES) return;
  const stored = read(serverKey);
  if (JSON.stringify(stored[tool]?.args ?? null) === json) return;
  stored[tool] = { args: clean, at: Date.now() };
  write(serverKey, stored);
}

/**
 * Fills the tool state with the arguments last used on this server (tools not touched yet on this page), and
 * remembers them as they change. `serverKey` undefined (summary not loaded yet): waits.
 */
export function useLastArguments(serverKey: string | undefined, state: Pick<ToolsState, 'argsByTool' | 'setArgs'>): void {
  const restoredFor = useRef<string | null>(null);
  const { argsByTool, setArgs } = state;
  useEffect(() => {
    if (!serverKey || restoredFor.current === serverKey) return;
    restoredFor.current = serverKey;
    for (const [tool, args] of Object.entries(rememberedArguments(serverKey))) {
      if (argsByTool[tool] === undefined) setArgs(tool, args);
    }
  }, [serverKey, argsByTool, setArgs]);

  const written = useRef<Readonly<Record<string, unknown>>>({});
  useEffect(() => {
    if (!serverKey || restoredFor.current !== serverKey) return;
    const timer = setTimeout(() => {
      for (const [tool, args] of Object.entries(argsByTool)) {
        if (written.current[tool] === args) continue;
        rememberArguments(serverKey, tool, args);
      }
      written.current = argsByTool;
    }, 300);
    return () => clearTimeout(timer);
  }, [serverKey, argsByTool]);
}

interface CallParams {
  name?: unknown;
  arguments?: unknown;
}

/** The newest answered `tools/call` per tool in the log, as the Tools view shows a call. */
export function lastCallsFromLog(store: Pick<LogStore, 'rpc' | 'pairOf' | 'rpcBySeq'>, startedAt: number): Record<string, CallRecord> {
  const out: Record<string, CallRecord> = {};
  for (let i = store.rpc.length - 1; i >= 0; i--) {
    const event: RpcEvent = store.rpc[i]!;
    if (event.direction !== 'out' || event.type !== 'request' || event.method !== 'tools/call') continue;
    const message = event.message as { params?: CallParams } | undefined;
    const name = message?.params?.name;
    if (typeof name !== 'string' || out[name]) continue;
    const answerSeq = store.pairOf(event.seq);
    const answer = answerSeq === undefined ? undefined : store.rpcBySeq(answerSeq);
    const body = answer?.message as { result?: unknown; error?: unknown } | undefined;
    if (!answer || !body) continue;
    const outcome: CallRecord['outcome'] =
      answer.type === 'error' && typeof body.error === 'object' && body.error !== null
        ? { kind: 'rpc-error', error: body.error as JsonRpcErrorObject }
        : typeof body.result === 'object' && body.result !== null
          ? { kind: 'result', result: body.result as CallToolResult }
          : undefined;
    if (!outcome) continue;
    out[name] = {
      callId: `log-${event.seq}`,
      toolName: name,
      args: message?.params?.arguments ?? {},
      startedAt: startedAt + event.t,
      endedAt: startedAt + answer.t,
      ...(answer.latencyMs !== undefined ? { engineMs: answer.latencyMs } : {}),
      status: 'done',
      outcome,
    };
  }
  return out;
}

/** How long after the page opened the log is read back for results (it arrives in the first seconds). */
const RESTORE_WINDOW_MS = 20_000;

/** Shows, after a reload, each tool's last result from the session log (the tools not called on this page). */
export function useLastResults(store: LogStore, summary: SessionSummary | undefined, restoreCalls: ToolsState['restoreCalls']): void {
  const rpcCount = useLogSelector(store, (snapshot) => snapshot.rpcCount);
  const [openedAt] = useState(() => Date.now());
  const createdAt = summary?.createdAt;
  useEffect(() => {
    if (createdAt === undefined || rpcCount === 0 || Date.now() - openedAt > RESTORE_WINDOW_MS) return;
    // The log arrives in bursts while it catches up: read it once it settles, not on every burst.
    const timer = setTimeout(() => restoreCalls(lastCallsFromLog(store, createdAt)), 250);
    return () => clearTimeout(timer);
  }, [store, rpcCount, createdAt, restoreCalls, openedAt]);
}
