'use client';

// The Apps view: every MCP App view the server has (its `ui://` resources, and those its tools name), each openable
// with a tool and an input the person types, and a result that is either the tool's real answer (called through the
// session), one the person types, or none yet: then the person sends it, or cancels the call, while the view runs.
// That is how a view's handling of partial input, late results and cancellation is tried without a model.
import { useEffect, useMemo, useRef, useState } from 'react';
import { appCatalog, toolVisibility, type AppCatalogEntry } from '@/lib/apps';
import type { SessionSummary } from '@/lib/contract';
import { cancelCall, describeFailure, newCallId, rpcResult, useMcpList, type CallToolResult, type ToolInfo } from '../api';
import type { LogStore } from '../log-store';
import { useNotificationCount } from '../notifications';
import {
  Badge,
  Button,
  cn,
  EmptyState,
  RadioChoice,
  ListFailure,
  ListLoading,
  ListNote,
  ListOption,
  ListSearchRow,
  RefreshButton,
  SearchBox,
  Spinner,
  useStickyState,
} from '../ui';
import { HostContextControls, defaultHostContext } from './AppPanel';
import { AppView, type HostContextSettings } from './AppView';

type ResultMode = 'call' | 'typed' | 'later';

const RESULT_MODES: readonly { mode: ResultMode; label: string }[] = [
  { mode: 'call', label: 'Call the tool through the session (recorded like any call)' },
  { mode: 'typed', label: 'Send this result (typed below)' },
  { mode: 'later', label: 'None yet: send it or cancel the call while the view runs' },
];

interface Opened {
  key: number;
  uri: string;
  tool?: ToolInfo;
  args: Record<string, unknown>;
  stream: boolean;
  mode: ResultMode;
  typed?: CallToolResult;
}

const NO_TOOL = '';
const EXAMPLE_RESULT = '{\n  "content": [{ "type": "text", "text": "A result typed in mcpscope" }]\n}';

function label(entry: AppCatalogEntry<ToolInfo>): string {
  return entry.title || entry.name || entry.uri;
}

function parseObject(text: string, what: string): { value: Record<string, unknown> } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (error) {
    return { error: `${what} is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: `${what} must be a JSON object.` };
  return { value: value as Record<string, unknown> };
}

function asResult(value: Record<string, unknown>): { value: CallToolResult } | { error: string } {
  if (!Array.isArray(value.content)) return { error: 'A tool result needs a "content" array (CallToolResult).' };
  return { value: value as unknown as CallToolResult };
}

/** A failed call is still the tool's outcome: the view gets it as an error result, as a host shows the model. */
function failureResult(error: unknown): CallToolResult {
  return { content: [{ type: 'text', text: describeFailure(error) }], isError: true } as CallToolResult;
}

export function AppsView({
  sessionId,
  store,
  summary,
  tools,
}: {
  sessionId: string;
  store: LogStore;
  summary: SessionSummary | undefined;
  tools: readonly ToolInfo[];
}) {
  const connected = summary?.state === 'connected';
  const offersResources = 'resources' in (summary?.server?.capabilities ?? {});
  const changes = useNotificationCount(store, 'notifications/resources/list_changed');
  // The same cached list the Resources view shows: opening Apps asks the server only if nothing listed it yet.
  const resources = useMcpList<{ uri: string }>(sessionId, 'resources/list', connected && offersResources, changes);
  const catalog = useMemo(() => appCatalog(resources.items, tools), [resources.items, tools]);
  const [search, setSearch] = useStickyState(sessionId, 'apps-search', '');
  const [selectedUri, setSelectedUri] = useStickyState<string | null>(sessionId, 'apps-selection', null);
  const query = search.trim().toLowerCase();
  const shown = catalog.filter(
    (entry) => !query || [entry.uri, entry.name, entry.title, entry.description].some((v) => v?.toLowerCase().includes(query)),
  );
  const selected = catalog.find((entry) => entry.uri === selectedUri) ?? shown[0];

  if (!summary || summary.state === 'connecting') return <EmptyState title="Waiting for the connection…" icon={<Spinner />} />;
  if (!connected) {
    return (
      <EmptyState title="Not connected" testId="apps-unavailable">
        App views run live against the server; connect to open them.
      </EmptyState>
    );
  }

  let list;
  if (offersResources && resources.query.isPending) list = <ListLoading />;
  else if (shown.length === 0)
    list = (
      <ListNote>
        {query
          ? `No app view matches “${search}”.`
          : 'No ui:// resources: the server lists none, and no tool names one in _meta.ui.resourceUri.'}
      </ListNote>
    );
  else
    list = shown.map((entry) => (
      <ListOption
        key={entry.uri}
        selected={entry.uri === selected?.uri}
        onClick={() => setSelectedUri(entry.uri)}
        data-testid="app-resource-item"
        data-uri={entry.uri}
        title={entry.description}
      >
        <span className="flex items-center gap-1.5">
          <span className="truncate text-[13px] font-medium">{label(entry)}</span>
          {!entry.listed && (
            <Badge className="h-4 px-1 text-[10px]" title="A tool names it, but resources/list does not list it">
              not listed
            </Badge>
          )}
        </span>
        <span className="block truncate font-mono text-[11px] text-muted">{entry.uri}</span>
        {entry.tools.length > 0 && (
          <span className="block truncate text-[10px] text-faint">
            {entry.tools.length === 1 ? 'tool' : 'tools'}: {entry.tools.map((t) => t.name).join(', ')}
          </span>
        )}
      </ListOption>
    ));

  return (
    <div className="flex h-full min-h-0" data-testid="apps-view">
      <aside className="flex w-[320px] shrink-0 flex-col border-r border-line bg-panel">
        <ListSearchRow>
          <SearchBox
            value={search}
            onSearch={setSearch}
            placeholder="Search app views"
            data-testid="apps-search"
            aria-label="Search app views"
          />
          {offersResources && (
            <RefreshButton
              onClick={() => void resources.query.refetch()}
              title="List again (resources/list)"
              label="List again"
              testId="apps-refresh"
              spinning={resources.query.isFetching}
            />
          )}
        </ListSearchRow>
        {resources.query.isError && (
          <ListFailure method="resources/list" testId="apps-list-error">
            {describeFailure(resources.query.error)}
          </ListFailure>
        )}
        <div role="listbox" aria-label="App views" className="min-h-0 flex-1 overflow-auto py-1" data-testid="apps-list">
          {list}
          {resources.hasMore && (
            <div className="px-3 py-2">
              <Button size="sm" variant="ghost" onClick={resources.loadMore}>
                List more resources
              </Button>
            </div>
          )}
        </div>
      </aside>
      <section className="min-w-0 flex-1 overflow-auto p-4" data-testid="apps-detail">
        {selected ? (
          <AppOpener key={selected.uri} sessionId={sessionId} entry={selected} tools={tools} />
        ) : (
          <EmptyState title="No app view selected">Pick a ui:// resource on the left to open its view.</EmptyState>
        )}
      </section>
    </div>
  );
}

function AppOpener({ sessionId, entry, tools }: { sessionId: string; entry: AppCatalogEntry<ToolInfo>; tools: readonly ToolInfo[] }) {
  const linked = entry.tools;
  const others = tools.filter((tool) => !linked.includes(tool));
  const [toolName, setToolName] = useStickyState<string>(sessionId, `apps-tool:${entry.uri}`, linked[0]?.name ?? NO_TOOL);
  const [argsText, setArgsText] = useStickyState(sessionId, `apps-args:${entry.uri}`, '{}');
  const [stream, setStream] = useStickyState(sessionId, `apps-stream:${entry.uri}`, false);
  const [mode, setMode] = useStickyState<ResultMode>(sessionId, `apps-mode:${entry.uri}`, linked.length > 0 ? 'call' : 'typed');
  const [resultText, setResultText] = useStickyState(sessionId, `apps-result:${entry.uri}`, EXAMPLE_RESULT);
  const [problem, setProblem] = useState<string | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [settings, setSettings] = useState<HostContextSettings>(defaultHostContext);
  const tool = tools.find((t) => t.name === toolName);
  // The person stands in for the model: a tool only the view may call (visibility ["app"]) is not theirs to call.
  const personMayCall = tool !== undefined && toolVisibility(tool).includes('model');
  const effectiveMode: ResultMode = mode === 'call' && !personMayCall ? 'typed' : mode;

  const open = () => {
    const args = parseObject(argsText, 'The input');
    if ('error' in args) return setProblem(args.error);
    let typed: CallToolResult | undefined;
    if (effectiveMode === 'typed') {
      const parsed = parseObject(resultText, 'The result');
      if ('error' in parsed) return setProblem(parsed.error);
      const checked = asResult(parsed.value);
      if ('error' in checked) return setProblem(checked.error);
      typed = checked.value;
    }
    setProblem(null);
    setOpened({ key: (opened?.key ?? 0) + 1, uri: entry.uri, tool, args: args.value, stream, mode: effectiveMode, typed });
  };

  return (
    <div className="space-y-3" data-testid="app-opener">
      <header className="space-y-1">
        <div className="flex flex-wrap items-center gap-2">
          <h2 className="text-sm font-semibold">{label(entry)}</h2>
          {entry.mimeType && (
            <Badge mono tone={entry.mimeType.replace(/\s+/g, '') === 'text/html;profile=mcp-app' ? 'purple' : 'warn'}>
              {entry.mimeType}
            </Badge>
          )}
        </div>
        <div className="font-mono text-xs text-muted" data-testid="app-opener-uri">
          {entry.uri}
        </div>
        {entry.description && <p className="text-xs text-muted">{entry.description}</p>}
      </header>

      <div className="grid gap-3 rounded border border-line bg-panel p-3 text-xs lg:grid-cols-2">
        <div className="space-y-2">
          <label className="block">
            <span className="field-label">Tool (its definition reaches the view as toolInfo)</span>
            <select
              className="input mt-1 h-7 w-full py-0 text-xs"
              value={toolName}
              onChange={(e) => setToolName(e.target.value)}
              data-testid="app-open-tool"
            >
              <ToolGroup label="Tools that render this view" tools={linked} />
              <option value={NO_TOOL}>(no tool: the view alone)</option>
              <ToolGroup label="Other tools" tools={others} />
            </select>
          </label>
          <label className="block">
            <span className="field-label">Tool input (JSON object, sent as ui/notifications/tool-input)</span>
            <JsonTextArea className="mt-1 h-28" value={argsText} onChange={setArgsText} testId="app-open-args" />
          </label>
          <label className="flex items-center gap-1.5">
            <input type="checkbox" checked={stream} onChange={(e) => setStream(e.target.checked)} data-testid="app-open-stream" />
            Stream it first as tool-input-partial, the way a host does while the model writes it
          </label>
        </div>
        <div className="space-y-2">
          <fieldset className="space-y-1">
            <legend className="field-label">Tool result</legend>
            {RESULT_MODES.map(({ mode: choice, label }) => {
              // Calling needs a chosen tool that the model may call (a tool's visibility may keep it for the view alone).
              const refused = choice === 'call' && !personMayCall;
              return (
                <RadioChoice
                  key={choice}
                  name="app-result-mode"
                  checked={effectiveMode === choice}
                  disabled={refused}
                  onChoose={() => setMode(choice)}
                  testId={`app-open-mode-${choice}`}
                  className={refused ? 'opacity-50' : undefined}
                >
                  {label}
                  {refused && tool && <span className="text-faint">: only the view may call {tool.name}</span>}
                </RadioChoice>
              );
            })}
          </fieldset>
          {effectiveMode !== 'call' && (
            <JsonTextArea
              className="h-24"
              value={resultText}
              onChange={setResultText}
              label="Tool result (CallToolResult JSON)"
              testId="app-open-result"
            />
          )}
        </div>
        <div className="flex items-center gap-2 lg:col-span-2">
          <Button variant="primary" size="sm" onClick={open} data-testid="app-open">
            {opened ? 'Open again' : 'Open view'}
          </Button>
          {problem && (
            <span className="text-err" role="alert" data-testid="app-open-problem">
              {problem}
            </span>
          )}
        </div>
      </div>

      {opened && (
        <OpenedView
          key={opened.key}
          sessionId={sessionId}
          opened={opened}
          tools={tools}
          typedText={resultText}
          settings={settings}
          onSettings={setSettings}
          onClose={() => setOpened(null)}
        />
      )}
    </div>
  );
}

/** A JSON text the person writes for the view (its tool input, a tool result): monospaced, not spell-checked. */
function JsonTextArea({
  value,
  onChange,
  label,
  testId,
  className,
}: {
  value: string;
  onChange: (text: string) => void;
  /** Its accessible name when no label wraps it. */
  label?: string;
  testId: string;
  /** Its height and margin. */
  className: string;
}) {
  return (
    <textarea
      className={cn('input w-full resize-y font-mono text-xs', className)}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      spellCheck={false}
      aria-label={label}
      data-testid={testId}
    />
  );
}

/** The tools of one group in the opener's tool list, by name; nothing when the group is empty. */
function ToolGroup({ label, tools }: { label: string; tools: readonly ToolInfo[] }) {
  if (tools.length === 0) return null;
  return (
    <optgroup label={label}>
      {tools.map((t) => (
        <option key={t.name} value={t.name}>
          {t.name}
        </option>
      ))}
    </optgroup>
  );
}

function OpenedView({
  sessionId,
  opened,
  tools,
  typedText,
  settings,
  onSettings,
  onClose,
}: {
  sessionId: string;
  opened: Opened;
  tools: readonly ToolInfo[];
  typedText: string;
  settings: HostContextSettings;
  onSettings: (update: (settings: HostContextSettings) => HostContextSettings) => void;
  onClose: () => void;
}) {
  const [result, setResult] = useState<CallToolResult | undefined>(opened.typed);
  const [cancelled, setCancelled] = useState<{ reason?: string } | undefined>(undefined);
  const [calling, setCalling] = useState(false);
  const [reason, setReason] = useState('user action');
  const [problem, setProblem] = useState<string | null>(null);
  const started = useRef(false);
  // The running call's id, so that "Cancel the call" cancels it at the server too (notifications/cancelled).
  const runningCall = useRef<string | null>(null);
  const done = result !== undefined || cancelled !== undefined;

  const call = () => {
    if (!opened.tool) return;
    const callId = newCallId();
    runningCall.current = callId;
    setCalling(true);
    void rpcResult<CallToolResult>(sessionId, 'tools/call', { name: opened.tool.name, arguments: opened.args }, callId)
      .then(
        (answer) => setResult((current) => current ?? answer),
        (error: unknown) => setResult((current) => current ?? failureResult(error)),
      )
      .finally(() => {
        if (runningCall.current === callId) runningCall.current = null;
        setCalling(false);
      });
  };
  const cancel = () => {
    const why = reason.trim() || undefined;
    setCancelled({ reason: why });
    const callId = runningCall.current;
    if (!callId) return;
    runningCall.current = null;
    cancelCall(sessionId, { callId, ...(why ? { reason: why } : {}) }).catch((error: unknown) =>
      setProblem(`The view was told, but cancelling the call at the server failed: ${describeFailure(error)}`),
    );
  };
  // "Call the tool" starts the call as the view opens: the view sees the input first and the result when it comes.
  useEffect(() => {
    if (opened.mode !== 'call' || started.current) return;
    started.current = true;
    call();
    // Once per opened view (the parent keys it).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const sendTyped = () => {
    const parsed = parseObject(typedText, 'The result');
    if ('error' in parsed) return setProblem(parsed.error);
    const checked = asResult(parsed.value);
    if ('error' in checked) return setProblem(checked.error);
    setProblem(null);
    setResult(checked.value);
  };

  return (
    <div className="space-y-2" data-testid="app-opened">
      <HostContextControls settings={settings} onChange={onSettings} />
      <div
        className="flex flex-wrap items-center gap-2 rounded border border-line bg-panel-2 px-3 py-1.5 text-xs"
        data-testid="app-call-state"
        data-state={cancelled ? 'cancelled' : result ? 'result' : calling ? 'calling' : 'waiting'}
      >
        <span className="font-semibold">Tool call</span>
        <span className="text-muted">
          {cancelled
            ? `cancelled (${cancelled.reason || 'no reason'}): sent as ui/notifications/tool-cancelled`
            : result
              ? `result ${result.isError ? '(an error) ' : ''}sent as ui/notifications/tool-result`
              : calling
                ? `calling ${opened.tool?.name ?? ''} through the session…`
                : 'no result yet: the view has the input and waits'}
        </span>
        {!done && (
          <span className="ml-auto flex flex-wrap items-center gap-1">
            {opened.mode === 'later' && opened.tool && toolVisibility(opened.tool).includes('model') && (
              <Button size="sm" variant="ghost" onClick={call} disabled={calling} data-testid="app-call-now">
                Call {opened.tool.name}
              </Button>
            )}
            {opened.mode === 'later' && (
              <Button size="sm" variant="ghost" onClick={sendTyped} data-testid="app-send-result">
                Send the typed result
              </Button>
            )}
            <input
              className="input h-6 w-32 py-0 text-xs"
              value={reason}
              maxLength={200}
              onChange={(e) => setReason(e.target.value)}
              aria-label="Why the call was cancelled"
              data-testid="app-cancel-reason"
            />
            <Button
              size="sm"
              variant="ghost"
              onClick={cancel}
              data-testid="app-cancel-call"
              title="Cancel the running call at the server (notifications/cancelled) and tell the view (ui/notifications/tool-cancelled)"
            >
              Cancel the call
            </Button>
          </span>
        )}
        {problem && (
          <span className="text-err" role="alert">
            {problem}
          </span>
        )}
      </div>
      <AppView
        sessionId={sessionId}
        tool={opened.tool}
        resourceUri={opened.uri}
        tools={tools}
        toolArgs={opened.args}
        streamInput={opened.stream}
        result={cancelled ? undefined : result}
        cancelled={cancelled}
        settings={settings}
        onDisplayModeChange={(displayMode) => onSettings((s) => ({ ...s, displayMode }))}
        onClose={onClose}
      />
    </div>
  );
}
