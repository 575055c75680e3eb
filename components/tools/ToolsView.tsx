'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { SessionSummary } from '@/lib/contract';
import { useRefreshTools, type ApiError, type ToolInfo } from '../api';
import { useLogSelector, type LogStore } from '../log-store';
import { useWorkspaceNav } from '../nav';
import { Button, EmptyState, IconAlert, IconWrench, ListChangeNotice, Spinner } from '../ui';
import type { ToolDetailHandle } from './ToolDetail';
import { BackToList, useNarrowPanes } from './NarrowPanes';
import { ToolList } from './ToolList';
import { snippetContext } from './snippet';
import { useToolsChange } from './use-fresh-tools';
import type { ToolsState } from './use-tools-state';

// The detail pane brings the form generator, Ajv and the result views (~130 KB gzip): loaded when a tool is
// first selected, not with the workspace page.
const ToolDetail = lazy(() => import('./ToolDetail').then((module) => ({ default: module.ToolDetail })));

function ToolDetailSkeleton() {
  return (
    <div className="flex h-full items-start gap-2 p-4 text-xs text-muted" aria-busy="true" data-testid="tool-detail-loading">
      <Spinner label="Loading the tool form" /> Loading…
    </div>
  );
}

export function ToolsView({
  sessionId,
  store,
  summary,
  toolsQuery,
  state,
}: {
  sessionId: string;
  store: LogStore;
  summary: SessionSummary | undefined;
  toolsQuery: UseQueryResult<ToolInfo[], ApiError>;
  state: ToolsState;
}) {
  const refreshTools = useRefreshTools(sessionId);
  const refresh = refreshTools.mutate;
  const nav = useWorkspaceNav();
  const detail = useRef<ToolDetailHandle>(null);
  const tools = useMemo(() => toolsQuery.data ?? [], [toolsQuery.data]);
  const connected = summary?.state === 'connected';
  // The server said its tools changed (maybe while another tab was shown; the workspace listed them again).
  const fresh = useToolsChange(sessionId);
  const newTools = useMemo(() => new Set(fresh.change?.added ?? []), [fresh.change]);

  const { selected, setSelected } = state;
  const panes = useNarrowPanes();
  useEffect(() => {
    if (tools.length === 0) return;
    if (!selected || !tools.some((tool) => tool.name === selected)) setSelected(tools[0].name);
  }, [tools, selected, setSelected]);

  const selectedTool = tools.find((tool) => tool.name === selected);
  const snippetVersion = useLogSelector(store, (snapshot) => snapshot.exchangeCount);
  const snippet = useMemo(() => {
    if (!summary) return undefined;
    // The latest MCP POST shows the headers a call is sent with (its credentials masked).
    const post = [...store.exchanges].reverse().find((exchange) => exchange.purpose === 'mcp' && exchange.method === 'POST');
    return snippetContext({
      serverUrl: summary.url,
      transport: summary.transport,
      era: summary.server?.era,
      headers: post?.requestHeaders,
      headerNames: summary.headerNames,
      envNames: summary.command?.envNames,
    });
    // The store's list grows in place; its exchange count says when.
  }, [summary, store, snippetVersion]); // eslint-disable-line react-hooks/exhaustive-deps
  const runningTools = useMemo(
    () =>
      new Set(
        Object.values(state.calls)
          .filter((call) => call.status === 'running')
          .map((call) => call.toolName),
      ),
    [state.calls],
  );

  const onKeyDownCapture = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      event.stopPropagation();
      detail.current?.call();
    }
  };

  if (!summary || summary.state === 'connecting') {
    return <EmptyState title="Waiting for the connection…" icon={<Spinner />} />;
  }
  if (!connected && !toolsQuery.data) {
    return (
      <EmptyState title="No tools: the session is not connected" icon={<IconAlert className="h-6 w-6" />} testId="tools-unavailable">
        {summary.state === 'failed'
          ? 'The connection failed before tools could be listed. The Timeline shows where it stopped.'
          : summary.state === 'auth_required'
            ? 'Authorize mcpscope with the server first, then the tools appear here.'
            : 'This session is disconnected. Start a new connection to call tools.'}
        <div className="mt-3">
          <Button size="sm" onClick={() => nav.setTab('timeline')}>
            Open the Timeline
          </Button>
        </div>
      </EmptyState>
    );
  }
  if (toolsQuery.isPending) {
    return (
      <div className="flex h-full items-center justify-center gap-2 text-muted">
        <Spinner /> Listing tools…
      </div>
    );
  }
  if (toolsQuery.isError) {
    return (
      <EmptyState title="Could not list the tools" icon={<IconAlert className="h-6 w-6 text-err" />} testId="tools-error">
        <span className="text-fg">{toolsQuery.error.message}</span> <span className="font-mono text-[11px]">({toolsQuery.error.code})</span>
        <div className="mt-3 flex justify-center gap-2">
          <Button size="sm" onClick={() => void toolsQuery.refetch()}>
            Try again
          </Button>
          <Button size="sm" variant="ghost" onClick={() => nav.setTab('messages')}>
            See the messages
          </Button>
        </div>
      </EmptyState>
    );
  }
  if (tools.length === 0) {
    const offersTools = summary.server?.capabilities && 'tools' in summary.server.capabilities;
    return (
      <EmptyState title="This server has no tools" icon={<IconWrench className="h-6 w-6" />} testId="tools-empty">
        {offersTools ? 'tools/list returned an empty list.' : 'The server did not declare the tools capability during the handshake.'}
      </EmptyState>
    );
  }

  return (
    <div className="flex h-full min-h-0" onKeyDownCapture={onKeyDownCapture}>
      <aside className={`flex w-[300px] shrink-0 flex-col border-r border-line bg-panel ${panes.listClass}`}>
        {fresh.change && (
          <ListChangeNotice
            title={fresh.change.reason === 'reconnect' ? 'Other tools on the new connection' : 'The server changed its tools'}
            method={fresh.change.reason === 'reconnect' ? 'tools/list after reconnecting' : 'notifications/tools/list_changed'}
            change={fresh.change}
            onDismiss={fresh.dismiss}
            testId="tools-changed"
          />
        )}
        <div className="min-h-0 flex-1">
          <ToolList
            tools={tools}
            selected={selected}
            onSelect={setSelected}
            onOpen={panes.showDetail}
            search={state.search}
            onSearch={state.setSearch}
            onRefresh={() => refresh()}
            refreshing={refreshTools.isPending}
            refreshError={refreshTools.error}
            runningTools={runningTools}
            newTools={newTools}
            onEnter={() => {
              panes.showDetail();
              detail.current?.focusFirstField();
            }}
          />
        </div>
      </aside>
      <section className={`flex min-w-0 flex-1 flex-col bg-bg ${panes.detailClass}`}>
        <BackToList label="All tools" onBack={panes.showList} />
        <div className="min-h-0 flex-1">
          {selectedTool ? (
            <Suspense fallback={<ToolDetailSkeleton />}>
              <ToolDetail
                key={selectedTool.name}
                ref={detail}
                tool={selectedTool}
                store={store}
                args={state.argsByTool[selectedTool.name]}
                onArgs={(args) => state.setArgs(selectedTool.name, args)}
                record={state.calls[selectedTool.name]}
                onCall={(args, options) => state.startCall(selectedTool.name, args, options)}
                onCancel={() => state.cancel(selectedTool.name)}
                canCall={connected && !selectedTool.excluded}
                cannotCallReason={
                  selectedTool.excluded
                    ? `Not callable: ${selectedTool.excluded} (SEP-2243: clients must exclude this tool).`
                    : connected
                      ? undefined
                      : 'The session is not connected.'
                }
                snippet={snippet}
              />
            </Suspense>
          ) : (
            <EmptyState title="Pick a tool">Select a tool on the left to get a form for its arguments.</EmptyState>
          )}
        </div>
      </section>
    </div>
  );
}
