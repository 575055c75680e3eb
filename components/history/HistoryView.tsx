'use client';

// History: every request this client sent in the session (tool calls, reads, prompts, raw JSON-RPC), newest first,
// read from the session log with lib/replay's script reader (the same one a replay uses). Each row can be pinned,
// run again, or edited and sent again (the tool form for a tool call, the console for anything else). The console
// and the Replay panel are sub-tabs of the same view.
import { useMemo, useState } from 'react';
import type { SessionSummary } from '@/lib/contract';
import { requestLabel, requestScript, type RecordedRequest } from '@/lib/replay';
import { callRpc } from '../api';
import { useLogSnapshot, type LogStore } from '../log-store';
import { useWorkspaceNav } from '../nav';
import type { ToolsState } from '../tools';
import { Badge, Button, EmptyState, JsonCode, SubTabs, cn, useObjectUrl } from '../ui';
import { ReplayPanel } from '../replay';
import { ConsolePanel } from './ConsolePanel';
import { openEditor, useHistoryState, type HistoryPane } from './resend';

export function HistoryView({
  sessionId,
  store,
  summary,
  toolsState,
}: {
  sessionId: string;
  store: LogStore;
  summary: SessionSummary | undefined;
  toolsState: ToolsState;
}) {
  const { pane, setPane, draft, setDraft } = useHistoryState(sessionId);
  const nav = useWorkspaceNav();
  const connected = summary?.state === 'connected';
  const edit = (request: RecordedRequest) => openEditor(request, { toolsState, nav, setDraft, setPane });

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="history-view">
      <SubTabs<HistoryPane>
        tabs={[
          { key: 'requests', label: 'Requests', testId: 'history-tab-requests' },
          { key: 'console', label: 'JSON-RPC console', testId: 'history-tab-console' },
          { key: 'replay', label: 'Replay', testId: 'history-tab-replay' },
        ]}
        active={pane}
        onChange={setPane}
      />
      <div className="min-h-0 flex-1 overflow-auto">
        {pane === 'requests' && <RequestList sessionId={sessionId} store={store} connected={connected} onEdit={edit} />}
        {pane === 'console' && <ConsolePanel sessionId={sessionId} connected={connected} draft={draft} onDraft={setDraft} />}
        {pane === 'replay' && <ReplayPanel sessionId={sessionId} summary={summary} />}
      </div>
    </div>
  );
}

// Pins outlive a reload (this browser, this session): they mark the requests a person keeps coming back to.
const PINS_KEY = 'mcpscope.history-pins.';

function readPins(sessionId: string): string[] {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(PINS_KEY + sessionId) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function writePins(sessionId: string, pins: string[]): void {
  try {
    if (pins.length === 0) window.localStorage.removeItem(PINS_KEY + sessionId);
    else window.localStorage.setItem(PINS_KEY + sessionId, JSON.stringify(pins));
  } catch {
    // storage full or refused: the pins last as long as the page
  }
}

/** A request's identity for pinning: the same method and params pinned once, whichever time it was sent. */
function pinKey(request: Pick<RecordedRequest, 'method' | 'params'>): string {
  return `${request.method} ${JSON.stringify(request.params ?? {})}`;
}

function RequestList({
  sessionId,
  store,
  connected,
  onEdit,
}: {
  sessionId: string;
  store: LogStore;
  connected: boolean;
  onEdit: (request: RecordedRequest) => void;
}) {
  const snapshot = useLogSnapshot(store);
  // Re-read when the log's message count moves; the reader is linear and the log is capped.
  const requests = useMemo(
    () => requestScript(store.rpc).requests.slice().reverse(),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- store.rpc grows in place; rpcCount says when
    [store, snapshot.rpcCount],
  );
  const [pins, setPinsState] = useState<string[]>(() => readPins(sessionId));
  const setPins = (next: string[]) => {
    setPinsState(next);
    writePins(sessionId, next);
  };
  const [open, setOpen] = useState<number | null>(null);
  const [rerun, setRerun] = useState<{ seq: number; error?: string } | null>(null);
  const ordered = useMemo(() => {
    const pinned = requests.filter((r) => pins.includes(pinKey(r)));
    return [...pinned, ...requests.filter((r) => !pins.includes(pinKey(r)))];
  }, [requests, pins]);
  // The export holds what the log holds: params and answers as recorded, secrets already masked at capture.
  const exportJson = useMemo(
    () =>
      JSON.stringify(
        {
          format: 'mcpscope-history',
          requests: requests.map(({ method, params, outcome, latencyMs }) => ({ method, params, outcome, latencyMs })),
        },
        null,
        2,
      ),
    [requests],
  );
  const exportBytes = useMemo(() => new TextEncoder().encode(exportJson), [exportJson]);
  const downloadUrl = useObjectUrl(exportBytes, 'application/json');

  const run = async (request: RecordedRequest) => {
    setRerun({ seq: request.seq });
    try {
      await callRpc(sessionId, { method: request.method, ...(request.params ? { params: request.params } : {}) });
      setRerun(null);
    } catch (error) {
      setRerun({ seq: request.seq, error: error instanceof Error ? error.message : String(error) });
    }
  };

  if (requests.length === 0) {
    return (
      <EmptyState title="No requests yet" testId="history-empty">
        Every request this client sends (tool calls, resource reads, prompts, raw JSON-RPC from the console) is listed here, newest first.
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col">
      <div className="flex items-center gap-2 border-b border-line px-3 py-1.5 text-xs text-muted">
        <span data-testid="history-count">
          {requests.length} request{requests.length === 1 ? '' : 's'}
        </span>
        <span className="ml-auto" />
        {downloadUrl && (
          <a
            href={downloadUrl}
            download={`mcpscope-history-${sessionId.slice(0, 8)}.json`}
            data-testid="history-export"
            className="rounded border border-line-strong px-2 py-0.5 text-xs text-fg hover:bg-hover"
          >
            Export history
          </a>
        )}
      </div>
      <table className="w-full table-fixed text-[13px]">
        <thead className="sticky top-0 bg-panel text-left text-[11px] text-muted">
          <tr>
            <th className="w-8 px-2 py-1" aria-label="Pinned" />
            <th className="w-[34%] px-2 py-1 font-medium">Request</th>
            <th className="px-2 py-1 font-medium">Arguments</th>
            <th className="w-28 px-2 py-1 font-medium">Outcome</th>
            <th className="w-20 px-2 py-1 text-right font-medium">Latency</th>
            <th className="w-48 px-2 py-1" aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {ordered.map((request) => {
            const pinned = pins.includes(pinKey(request));
            const args = request.method === 'tools/call' || request.method === 'prompts/get' ? request.params?.arguments : request.params;
            return (
              <HistoryRow
                key={request.seq}
                request={request}
                args={args}
                pinned={pinned}
                expanded={open === request.seq}
                onToggle={() => setOpen(open === request.seq ? null : request.seq)}
                onPin={() => setPins(pinned ? pins.filter((p) => p !== pinKey(request)) : [...pins, pinKey(request)])}
                onRerun={() => void run(request)}
                onEdit={() => onEdit(request)}
                connected={connected}
                rerunning={rerun?.seq === request.seq && !rerun.error}
                rerunError={rerun?.seq === request.seq ? rerun.error : undefined}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function outcomeBadge(request: RecordedRequest) {
  const outcome = request.outcome;
  if (!outcome) return <Badge tone="neutral">no answer</Badge>;
  if ('error' in outcome) return <Badge tone="err">error {outcome.error.code}</Badge>;
  const result = outcome.result as { isError?: unknown } | null;
  if (result && typeof result === 'object' && result.isError === true) return <Badge tone="warn">isError</Badge>;
  return <Badge tone="ok">ok</Badge>;
}

function HistoryRow(props: {
  request: RecordedRequest;
  args: unknown;
  pinned: boolean;
  expanded: boolean;
  connected: boolean;
  rerunning: boolean;
  rerunError?: string;
  onToggle: () => void;
  onPin: () => void;
  onRerun: () => void;
  onEdit: () => void;
}) {
  const { request } = props;
  const label = requestLabel(request.method, request.params);
  const argsText = props.args === undefined ? '' : JSON.stringify(props.args);
  return (
    <>
      <tr
        data-testid="history-row"
        data-method={request.method}
        className={cn('border-b border-line align-middle hover:bg-hover', props.pinned && 'bg-accent-soft/40')}
      >
        <td className="px-2 py-1">
          <button
            type="button"
            aria-pressed={props.pinned}
            aria-label={props.pinned ? `Unpin ${label}` : `Pin ${label}`}
            data-testid="history-pin"
            onClick={props.onPin}
            className={cn('text-sm', props.pinned ? 'text-accent' : 'text-faint hover:text-fg')}
          >
            {props.pinned ? '★' : '☆'}
          </button>
        </td>
        <td className="truncate px-2 py-1">
          <button
            type="button"
            onClick={props.onToggle}
            aria-expanded={props.expanded}
            className="max-w-full truncate text-left font-mono text-xs hover:underline"
            title={label}
          >
            {label}
          </button>
        </td>
        <td className="truncate px-2 py-1 font-mono text-xs text-muted" title={argsText}>
          {argsText}
        </td>
        <td className="px-2 py-1">{outcomeBadge(request)}</td>
        <td className="px-2 py-1 text-right font-mono text-xs text-muted">
          {request.latencyMs !== undefined ? `${Math.round(request.latencyMs)} ms` : '—'}
        </td>
        <td className="py-1 pr-3 pl-2 text-right whitespace-nowrap">
          <Button
            size="sm"
            variant="ghost"
            onClick={props.onRerun}
            disabled={!props.connected || props.rerunning}
            data-testid="history-rerun"
          >
            {props.rerunning ? 'Running…' : 'Re-run'}
          </Button>
          <Button size="sm" variant="ghost" onClick={props.onEdit} data-testid="history-edit">
            Edit &amp; resend
          </Button>
        </td>
      </tr>
      {props.rerunError && (
        <tr>
          <td colSpan={6} role="alert" className="bg-err-soft px-3 py-1 text-xs text-err">
            Re-run failed: {props.rerunError}
          </td>
        </tr>
      )}
      {props.expanded && (
        <tr className="border-b border-line bg-panel-2">
          <td colSpan={6} className="px-3 py-2">
            <div className="grid grid-cols-2 gap-3">
              <div className="min-w-0">
                <div className="mb-1 text-[11px] font-medium text-muted">Params</div>
                <JsonCode value={request.params ?? {}} />
              </div>
              <div className="min-w-0">
                <div className="mb-1 text-[11px] font-medium text-muted">Answer</div>
                {request.outcome ? <JsonCode value={request.outcome} /> : <span className="text-xs text-muted">No answer in the log.</span>}
              </div>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
