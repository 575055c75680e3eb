'use client';

import { useState } from 'react';
import { toolCallSnippet, type RpcEvent, type TraceMeta } from '@/lib/trace';
import type { CallToolResult, ToolInfo } from '../api';
import { CopyAsPanel } from '../copy-as';
import { useLogSelector, type LogSnapshot, type LogStore } from '../log-store';
import { ToolResultView, snippetContext, type CallRecord, type CallOutcome } from '../tools';
import { Badge, EmptyState, IconWrench, JsonTree, cn, formatMs, formatOffset } from '../ui';
import { isJsonObject } from '@/lib/json';

interface RecordedCall {
  request: RpcEvent;
  response?: RpcEvent;
  toolName: string;
  args: Record<string, unknown>;
  record: CallRecord;
}

/** What the log says about one call: its arguments, its answer, whether mcpscope cancelled it. */
function recordedCalls(store: LogStore): RecordedCall[] {
  const cancelled = new Set<string>();
  for (const event of store.rpc) {
    if (event.direction !== 'out' || event.method !== 'notifications/cancelled' || !isJsonObject(event.message)) continue;
    const params = event.message.params;
    if (isJsonObject(params) && (typeof params.requestId === 'string' || typeof params.requestId === 'number'))
      cancelled.add(String(params.requestId));
  }
  const calls: RecordedCall[] = [];
  for (const request of store.rpc) {
    if (request.direction !== 'out' || request.type !== 'request' || request.method !== 'tools/call') continue;
    const params = isJsonObject(request.message) && isJsonObject(request.message.params) ? request.message.params : {};
    const toolName = typeof params.name === 'string' ? params.name : '(unknown tool)';
    const args = isJsonObject(params.arguments) ? params.arguments : {};
    const pair = store.pairOf(request.seq);
    const response = pair !== undefined ? store.rpcBySeq(pair) : undefined;
    let outcome: CallOutcome | undefined;
    if (response && isJsonObject(response.message)) {
      const message = response.message;
      if (isJsonObject(message.error)) {
        outcome = { kind: 'rpc-error', error: message.error as unknown as Extract<CallOutcome, { kind: 'rpc-error' }>['error'] };
      } else {
        outcome = {
          kind: 'result',
          result: (isJsonObject(message.result) ? message.result : { content: [], structuredContent: message.result }) as CallToolResult,
        };
      }
    } else if (response?.dropped) {
      outcome = { kind: 'api-error', code: 'dropped', message: 'The answer was recorded, but the log’s size cap dropped its content.' };
    }
    calls.push({
      request,
      response,
      toolName,
      args,
      record: {
        callId: String(request.seq),
        toolName,
        args,
        startedAt: request.t,
        endedAt: response?.t,
        status: outcome ? 'done' : 'running',
        cancelRequested: request.id !== undefined && cancelled.has(String(request.id)),
        outcome,
      },
    });
  }
  return calls;
}

/** The tools the server listed, as the log recorded them (the latest tools/list answer). */
function listedTools(store: LogStore): Map<string, ToolInfo> {
  const tools = new Map<string, ToolInfo>();
  for (let i = store.rpc.length - 1; i >= 0; i--) {
    const event = store.rpc[i];
    if (event.direction !== 'in' || event.type !== 'result' || event.method !== 'tools/list' || !isJsonObject(event.message)) continue;
    const result = event.message.result;
    if (isJsonObject(result) && Array.isArray(result.tools)) {
      for (const tool of result.tools)
        if (isJsonObject(tool) && typeof tool.name === 'string' && !tools.has(tool.name)) tools.set(tool.name, tool as unknown as ToolInfo);
    }
  }
  return tools;
}

function callTone(call: RecordedCall): { label: string; tone: 'ok' | 'err' | 'neutral' } {
  const outcome = call.record.outcome;
  if (!outcome) return { label: 'no answer', tone: 'neutral' };
  if (call.record.cancelRequested && outcome.kind !== 'result') return { label: 'cancelled', tone: 'neutral' };
  if (outcome.kind === 'result' && outcome.result.isError !== true) return { label: 'ok', tone: 'ok' };
  return { label: 'error', tone: 'err' };
}

const selectCalls = (_snapshot: LogSnapshot, store: LogStore) => recordedCalls(store);
const selectTools = (_snapshot: LogSnapshot, store: LogStore) => listedTools(store);

/** The tool calls a recorded session made, with their arguments and results, read-only. */
export function ToolCallsView({ store, meta }: { store: LogStore; meta: TraceMeta }) {
  const calls = useLogSelector(store, selectCalls);
  const tools = useLogSelector(store, selectTools);
  const [selectedSeq, setSelectedSeq] = useState<number | null>(null);
  const [snippet, setSnippet] = useState<{ seq: number; code: string } | null>(null);
  const selected = calls.find((call) => call.request.seq === selectedSeq) ?? calls[0];

  if (calls.length === 0) {
    return (
      <EmptyState title="No tool calls in this log" icon={<IconWrench className="h-6 w-6" />} testId="tool-calls-empty">
        The session did not call any tool. Its handshake and traffic are in the Timeline and Traffic views.
      </EmptyState>
    );
  }

  const tool: ToolInfo = tools.get(selected.toolName) ?? { name: selected.toolName };
  const copySnippet = () => {
    const exchange = selected.request.exchangeId ? store.exchange(selected.request.exchangeId) : undefined;
    const context = snippetContext({
      serverUrl: meta.serverUrl,
      transport: meta.transport,
      era: meta.era,
      headers: exchange?.requestHeaders,
    });
    setSnippet({ seq: selected.request.seq, code: toolCallSnippet({ ...context, toolName: selected.toolName, args: selected.args }) });
  };

  return (
    <div className="flex h-full min-h-0" data-testid="tool-calls">
      <aside className="w-[300px] shrink-0 overflow-auto border-r border-line bg-panel">
        <div className="flex h-8 items-center border-b border-line px-3 text-[11px] font-semibold tracking-wide text-muted uppercase">
          {calls.length} tool call{calls.length === 1 ? '' : 's'}
        </div>
        <ul>
          {calls.map((call) => {
            const tone = callTone(call);
            return (
              <li key={call.request.seq}>
                <button
                  type="button"
                  onClick={() => setSelectedSeq(call.request.seq)}
                  data-testid="tool-call-row"
                  aria-current={call === selected}
                  className={cn(
                    'flex w-full items-center gap-2 border-b border-line px-3 py-1.5 text-left text-[13px] hover:bg-hover',
                    call === selected && 'bg-selected hover:bg-selected',
                  )}
                >
                  <span className="min-w-0 flex-1 truncate font-medium">{call.toolName}</span>
                  <span className="shrink-0 font-mono text-[11px] text-faint">{formatOffset(call.request.t)}</span>
                  <Badge tone={tone.tone}>{tone.label}</Badge>
                </button>
              </li>
            );
          })}
        </ul>
      </aside>
      <section className="flex min-w-0 flex-1 flex-col overflow-auto bg-bg" data-testid="tool-call-detail" data-tool={selected.toolName}>
        <div className="flex shrink-0 items-center gap-2 border-b border-line bg-panel px-4 py-2.5">
          <h2 className="truncate text-[15px] font-semibold" data-testid="tool-title">
            {tool.title ?? selected.toolName}
          </h2>
          {tool.title && <span className="truncate font-mono text-xs text-muted">{selected.toolName}</span>}
          <span className="font-mono text-xs text-muted">
            {formatOffset(selected.request.t)}
            {selected.response?.latencyMs !== undefined && ` · ${formatMs(selected.response.latencyMs)}`}
          </span>
          <button
            type="button"
            className="ml-auto shrink-0 rounded px-1.5 py-0.5 text-xs text-muted hover:bg-hover hover:text-fg"
            onClick={copySnippet}
            data-testid="copy-ts"
          >
            Copy as TypeScript
          </button>
        </div>
        <div className="flex flex-col gap-3 p-4">
          {snippet?.seq === selected.request.seq && (
            <CopyAsPanel
              key={snippet.code}
              title="TypeScript (@modelcontextprotocol/client)"
              code={snippet.code}
              onClose={() => setSnippet(null)}
              testId="ts-snippet"
              className="rounded border"
            />
          )}
          <div>
            <div className="field-label">Arguments</div>
            <div className="rounded border border-line bg-panel p-2.5" data-testid="tool-call-args">
              <JsonTree data={selected.args} expandDepth={4} />
            </div>
          </div>
          {selected.record.status === 'done' ? (
            <ToolResultView record={selected.record} tool={tool} />
          ) : (
            <div className="rounded border border-dashed border-line p-4 text-center text-xs text-muted" data-testid="tool-call-unanswered">
              No answer to this call was recorded: the log ends before it, or the answer fell out of it.
            </div>
          )}
        </div>
      </section>
    </div>
  );
}
