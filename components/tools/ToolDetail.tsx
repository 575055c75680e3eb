'use client';

import { useImperativeHandle, useMemo, useRef, useState, forwardRef } from 'react';
import { prepareToolSchema } from '@/lib/schema-form';
import { toolCallSnippet } from '@/lib/trace';
import type { ToolInfo } from '../api';
import { AppBadge, AppPanel } from '../apps';
import { CopyAsPanel } from '../copy-as';
import type { LogStore } from '../log-store';
import { TaskPanel, createdTask, taskSupportOf } from '../tasks';
import { Button, DetailHeader, IconAlert, IconPlay, JsonTree, modKeyLabel, TextButton } from '../ui';
import { ArgumentsEditor, type ArgumentsEditorHandle } from './ArgumentsEditor';
import { CallStatus } from './CallStatus';
import { Markdown } from './Markdown';
import { toolLabel } from './namespaces';
import { AnnotationBadges, ToolIcon } from './ToolBits';
import { ToolResultView } from './ToolResultView';
import type { SnippetContext } from './snippet';
import type { CallRecord } from './use-tools-state';

export interface ToolDetailHandle {
  call: () => void;
  focusFirstField: () => void;
}

/** A tool's description as the Markdown it usually is (safe: no HTML, http(s) links only, no images fetched). */
function Description({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  const long = text.length > 280 || text.split('\n').length > 4;
  return (
    <div className="mt-1.5 text-[13px] text-muted" data-testid="tool-description">
      <div className={long && !open ? 'line-clamp-3' : undefined}>
        <Markdown text={text} images={false} className="md-description break-words" testId="description-markdown" />
      </div>
      {long && (
        <TextButton className="text-xs" onClick={() => setOpen((value) => !value)}>
          {open ? 'Show less' : 'Show more'}
        </TextButton>
      )}
    </div>
  );
}

export const ToolDetail = forwardRef<
  ToolDetailHandle,
  {
    tool: ToolInfo;
    store: LogStore;
    args: unknown;
    onArgs: (args: unknown) => void;
    record: CallRecord | undefined;
    onCall: (args: Record<string, unknown>, options?: { asTask?: boolean }) => void;
    onCancel: () => void;
    canCall: boolean;
    cannotCallReason?: string;
    /** Server, transport and headers for "Copy as TypeScript"; without it the button is not shown. */
    snippet?: SnippetContext;
  }
>(function ToolDetail({ tool, store, args, onArgs, record, onCall, onCancel, canCall, cannotCallReason, snippet }, ref) {
  const prepared = useMemo(() => prepareToolSchema(tool.inputSchema), [tool.inputSchema]);
  const editor = useRef<ArgumentsEditorHandle>(null);
  const [blocked, setBlocked] = useState<{ errors: string[]; overridable: boolean; shownInline?: boolean } | null>(null);
  const [showSchema, setShowSchema] = useState(false);
  const [snippetCode, setSnippetCode] = useState<string | null>(null);
  const running = record?.status === 'running';
  const mod = useMemo(() => modKeyLabel(), []);
  // 2025-11-25 tasks: a tool that requires them is always called as a task; an optional one asks.
  const taskSupport = taskSupportOf(tool);
  const [taskChosen, setTaskChosen] = useState(false);
  const asTask = taskSupport === 'required' || (taskSupport === 'optional' && taskChosen);
  const task = record?.status === 'done' && record.outcome?.kind === 'result' ? createdTask(record.outcome.result) : undefined;

  const call = (force = false) => {
    if (!canCall || running || !editor.current) return;
    if (force) {
      const current = editor.current.current();
      if (!current) return;
      setBlocked(null);
      onCall(current, { asTask });
      return;
    }
    const check = editor.current.check();
    if (!check.ok) {
      setBlocked({ errors: check.errors, overridable: check.overridable, shownInline: check.shownInline });
      return;
    }
    setBlocked(null);
    onCall(check.args, { asTask });
  };

  // The arguments in the form now: before a call, what would be sent; after one, what was.
  const copyAsTypeScript = () => {
    if (!snippet) return;
    const current = editor.current?.current() ?? (record?.args as Record<string, unknown> | undefined) ?? {};
    setSnippetCode(toolCallSnippet({ ...snippet, toolName: tool.name, args: current }));
  };

  useImperativeHandle(ref, () => ({
    call: () => call(false),
    focusFirstField: () => editor.current?.focusFirstField(),
  }));

  return (
    <div className="@container flex h-full min-h-0 flex-col" id="tool-detail" data-testid="tool-detail" data-tool={tool.name}>
      <DetailHeader
        title={toolLabel(tool)}
        name={tool.name}
        icon={<ToolIcon tool={tool} />}
        titleTestId="tool-title"
        className="shrink-0"
        below={
          <>
            {!canCall && cannotCallReason && <div className="mt-1 text-right text-xs text-muted">{cannotCallReason}</div>}
            {tool.description && <Description text={tool.description} />}
            {showSchema && (
              <div className="mt-2 grid max-h-64 gap-3 overflow-auto rounded border border-line bg-panel-2 p-2 @3xl:grid-cols-2">
                <div>
                  <div className="field-label">inputSchema</div>
                  <JsonTree data={tool.inputSchema ?? {}} expandDepth={3} />
                </div>
                {tool.outputSchema !== undefined && (
                  <div>
                    <div className="field-label">outputSchema</div>
                    <JsonTree data={tool.outputSchema} expandDepth={3} />
                  </div>
                )}
              </div>
            )}
          </>
        }
      >
        <AnnotationBadges tool={tool} />
        <AppBadge tool={tool} />
        <button
          type="button"
          className="ml-auto shrink-0 rounded px-1.5 py-0.5 text-xs text-muted hover:bg-hover hover:text-fg"
          aria-expanded={showSchema}
          onClick={() => setShowSchema((value) => !value)}
          data-testid="schema-toggle"
        >
          {showSchema ? 'Hide schema' : 'Schema'}
        </button>
        {snippet && (
          <button
            type="button"
            className="shrink-0 rounded px-1.5 py-0.5 text-xs text-muted hover:bg-hover hover:text-fg"
            onClick={copyAsTypeScript}
            data-testid="copy-ts"
            title="Copy the TypeScript (MCP SDK) that makes this call with the arguments in the form"
          >
            Copy as TypeScript
          </button>
        )}
        {taskSupport !== 'forbidden' && (
          <label
            className="flex shrink-0 items-center gap-1 text-xs text-muted"
            title={
              taskSupport === 'required'
                ? 'This tool must run as a task (execution.taskSupport: required)'
                : 'Send params.task so the server runs the call as a task'
            }
          >
            <input
              type="checkbox"
              checked={asTask}
              disabled={taskSupport === 'required'}
              onChange={(event) => setTaskChosen(event.target.checked)}
              data-testid="call-as-task"
            />
            as task
          </label>
        )}
        <Button
          variant="primary"
          onClick={() => call(false)}
          disabled={!canCall || running}
          data-testid="call-tool"
          title={canCall ? `Call ${tool.name} (${mod}+Enter)` : cannotCallReason}
        >
          <IconPlay className="h-3 w-3" /> {running ? 'Running…' : 'Call tool'}
          <span className="ml-1 hidden font-mono text-[10px] opacity-75 @xl:inline">{mod}+↵</span>
        </Button>
      </DetailHeader>

      {/* One column: the form, then the result right under it (rows not stretched apart); two columns fill the height. */}
      <div className="grid min-h-0 flex-1 grid-cols-1 [align-content:start] overflow-auto @4xl:grid-cols-2 @4xl:[align-content:stretch] @4xl:overflow-hidden">
        {/* Block layout, not flex: flex children would shrink and overlap when the form is taller than the pane. */}
        <div className="min-h-0 space-y-3 p-4 @4xl:overflow-auto @4xl:border-r @4xl:border-line">
          <ArgumentsEditor key={tool.name} ref={editor} toolName={tool.name} prepared={prepared} value={args} onChange={onArgs} />
        </div>

        <div className="flex min-h-0 flex-col gap-3 p-4 @4xl:overflow-auto [&>*]:shrink-0" data-testid="result-pane">
          {snippetCode !== null && (
            <CopyAsPanel
              key={snippetCode}
              title="TypeScript (@modelcontextprotocol/client)"
              code={snippetCode}
              onClose={() => setSnippetCode(null)}
              testId="ts-snippet"
              className="rounded border"
            />
          )}
          {blocked && (
            <div className="rounded border border-err/40 bg-err-soft px-3 py-2 text-xs" data-testid="validation-errors" role="alert">
              <div className="flex items-center gap-1.5 font-semibold text-err">
                <IconAlert className="h-3.5 w-3.5" /> Not sent: the arguments do not match the input schema
              </div>
              {blocked.shownInline ? (
                <div className="mt-0.5">
                  {blocked.errors.length === 1 ? 'One field needs' : `${blocked.errors.length} fields need`} fixing: each error is shown
                  next to its field.
                </div>
              ) : (
                <ul className="mt-1 list-disc pl-5 font-mono text-[11px]">
                  {blocked.errors.map((error) => (
                    <li key={error}>{error}</li>
                  ))}
                </ul>
              )}
              {blocked.overridable && (
                <TextButton
                  className="mt-1.5 text-xs"
                  onClick={() => call(true)}
                  data-testid="call-anyway"
                  title="Send the arguments as they are, to see how the server handles them"
                >
                  Call anyway
                </TextButton>
              )}
            </div>
          )}
          {record?.status === 'running' && <CallStatus record={record} store={store} onCancel={onCancel} />}
          {record?.status === 'done' &&
            (task ? (
              <TaskPanel
                key={task.taskId}
                sessionId={store.sessionId}
                store={store}
                initial={task}
                renderResult={(result, receivedAt) => (
                  <ToolResultView record={{ ...record, endedAt: receivedAt, outcome: { kind: 'result', result } }} tool={tool} />
                )}
              />
            ) : (
              <>
                {/* MCP Apps: the tool's view beside its result (components/apps). */}
                {record.outcome?.kind === 'result' && (
                  <AppPanel
                    sessionId={store.sessionId}
                    callId={record.callId}
                    tool={tool}
                    toolArgs={(record.args ?? {}) as Record<string, unknown>}
                    result={record.outcome.result}
                  />
                )}
                <ToolResultView
                  record={record}
                  tool={tool}
                  store={store}
                  onRetry={canCall ? () => onCall(record.args as Record<string, unknown>, { asTask }) : undefined}
                />
              </>
            ))}
          {!record && !blocked && (
            <div className="flex min-h-40 flex-1 items-center justify-center rounded border border-dashed border-line p-6 text-center text-xs text-muted">
              Fill in the arguments and press Call tool ({mod}+Enter). The result appears here; the request and its messages appear in
              Traffic and Messages.
            </div>
          )}
        </div>
      </div>
    </div>
  );
});
