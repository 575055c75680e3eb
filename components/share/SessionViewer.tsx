'use client';

import { useCallback, useMemo, useState, type ReactNode } from 'react';
import {
  ERA_LABELS as HTTP_ERA_LABELS,
  ERA_SHORT_LABELS as HTTP_ERA_SHORT_LABELS,
  STDIO_ERA_LABELS,
  STDIO_ERA_SHORT_LABELS,
} from '@/lib/contract';
import type { ShareInfo } from '@/lib/shares/document';
import type { ProtocolEraName, TraceEvent, TraceMeta } from '@/lib/trace';
import { RecordedAppViews } from '../apps';
import { FindingsView } from '../findings';
import { useLogSnapshot, useStaticLog, type LogStore } from '../log-store';
import { MessagesView } from '../messages';
import { MockBar } from '../replay';
import { WorkspaceNavProvider, useWorkspaceNav, type TabKey } from '../nav';
import { ThemeToggle } from '../theme';
import { TimelineView } from '../timeline';
import { TrafficView } from '../traffic';
import { Badge, Button, IconEye, NewConnectionLink, SessionHeader, Spinner, cn, formatMs, urlHost, type Tone } from '../ui';
import { ExportMenu } from './ExportMenu';
import { HandshakeDialog } from './HandshakeDialog';
import { ToolCallsView } from './ToolCallsView';

/** Where a read-only log came from. */
export type ViewerSource =
  { kind: 'file'; name: string; format: 'json' | 'har' } | { kind: 'share'; info: ShareInfo; onDelete?: () => void; deleting?: boolean };

const ERA_TONE: Record<ProtocolEraName, Tone> = {
  'legacy-sse': 'warn',
  'stateful-2025': 'accent',
  'stateless-2026': 'purple',
};

type ViewerTab = Extract<TabKey, 'tools' | 'timeline' | 'traffic' | 'messages' | 'findings' | 'apps'>;
const TABS: ReadonlyArray<{ key: ViewerTab; label: string }> = [
  { key: 'timeline', label: 'Timeline' },
  { key: 'traffic', label: 'Traffic' },
  { key: 'messages', label: 'Messages' },
  { key: 'tools', label: 'Tool calls' },
  { key: 'findings', label: 'Findings' },
];
/** MCP App views, read-only (components/apps/RecordedViews): only when the log has some. */
const APPS_TAB: { key: ViewerTab; label: string } = { key: 'apps', label: 'App views' };

function maskingNote(info: ShareInfo): string {
  const extra = [
    info.masking.query && 'query strings',
    info.masking.arguments && 'tool arguments',
    info.masking.results && 'tool results',
  ].filter(Boolean);
  return extra.length > 0 ? `Secrets and ${extra.join(', ')} masked` : 'Secrets masked';
}

function selectionNote(info: ShareInfo): string {
  if (info.selection.kind === 'range' && info.selection.range) {
    const { from, to } = info.selection.range;
    return `A time range (${(from / 1000).toFixed(1)}–${(to / 1000).toFixed(1)} s)`;
  }
  if (info.selection.kind === 'exchanges') return `${info.selection.exchangeCount ?? 'Some'} chosen exchanges`;
  return 'The whole session';
}

function Count({ value }: { value: number }) {
  return <span className="ml-1.5 rounded-full bg-panel-2 px-1.5 font-mono text-[10px] leading-4 text-muted">{value}</span>;
}

/**
 * A finished log (an imported file, a shared link) in the workspace's views, read-only: the same timeline,
 * traffic, frames, messages and findings as a live session, plus the tool calls it made and their results.
 */
export function SessionViewer({ meta, events, source }: { meta: TraceMeta; events: readonly TraceEvent[]; source: ViewerSource }) {
  return (
    <WorkspaceNavProvider>
      <ViewerInner meta={meta} events={events} source={source} />
    </WorkspaceNavProvider>
  );
}

function ViewerInner({ meta, events, source }: { meta: TraceMeta; events: readonly TraceEvent[]; source: ViewerSource }) {
  const store = useStaticLog(meta.sessionId, events);
  const snapshot = useLogSnapshot(store);
  const nav = useWorkspaceNav();
  const tabs = snapshot.appMessageCount > 0 ? [...TABS, APPS_TAB] : TABS;
  const tab: ViewerTab = tabs.some((item) => item.key === nav.tab) ? (nav.tab as ViewerTab) : 'timeline';
  const toolCalls = useMemo(
    () => store.rpc.filter((e) => e.direction === 'out' && e.type === 'request' && e.method === 'tools/call').length,
    [store],
  );
  const counts: Partial<Record<ViewerTab, number>> = {
    traffic: snapshot.exchangeCount,
    messages: snapshot.rpcCount,
    tools: toolCalls,
    findings: snapshot.findingCount > 0 ? snapshot.findingCount : undefined,
    apps: snapshot.appMessageCount > 0 ? snapshot.appMessageCount : undefined,
  };

  return (
    <div className="flex h-dvh min-w-0 flex-col overflow-hidden" data-testid="session-viewer" data-source={source.kind}>
      <ViewerHeader meta={meta} events={events} source={source} store={store} />
      {source.kind === 'share' && source.info.owned && <MockBar shareId={source.info.id} />}
      <div role="tablist" aria-label="Session views" className="flex h-8 shrink-0 items-stretch gap-0.5 border-b border-line bg-panel px-2">
        {tabs.map((item) => (
          <button
            key={item.key}
            type="button"
            role="tab"
            id={`tab-${item.key}`}
            aria-selected={item.key === tab}
            aria-controls="workspace-panel"
            data-testid={`tab-${item.key}`}
            onClick={() => nav.setTab(item.key)}
            className={cn(
              '-mb-px inline-flex items-center border-b-2 px-3 text-[13px] font-medium',
              item.key === tab ? 'border-accent text-fg' : 'border-transparent text-muted hover:text-fg',
            )}
          >
            {item.label}
            {counts[item.key] !== undefined && <Count value={counts[item.key] as number} />}
          </button>
        ))}
      </div>
      <main id="workspace-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="min-h-0 flex-1 overflow-hidden">
        {tab === 'timeline' && <TimelineView store={store} live={false} />}
        {tab === 'traffic' && <TrafficView store={store} />}
        {tab === 'messages' && <MessagesView store={store} />}
        {tab === 'tools' && <ToolCallsView store={store} meta={meta} />}
        {tab === 'findings' && <FindingsView store={store} />}
        {tab === 'apps' && <RecordedAppViews store={store} />}
      </main>
    </div>
  );
}

function ViewerHeader({
  meta,
  events,
  source,
  store,
}: {
  meta: TraceMeta;
  events: readonly TraceEvent[];
  source: ViewerSource;
  store: LogStore;
}) {
  const [handshake, setHandshake] = useState(false);
  const snapshot = useLogSnapshot(store);
  const loadLog = useCallback(() => Promise.resolve({ meta, events }), [meta, events]);
  const server = meta.serverInfo;
  const details: ReactNode[] = [];
  details.push(
    <span key="started" className="shrink-0 text-faint" title={new Date(meta.startedAt).toISOString()}>
      · started {new Date(meta.startedAt).toLocaleString()}
    </span>,
    <span key="length" className="shrink-0 text-faint" data-testid="viewer-event-count" data-count={snapshot.eventCount}>
      · {snapshot.eventCount} events over {formatMs(snapshot.lastT)}
    </span>,
  );
  if (source.kind === 'file') {
    details.push(
      <span key="file" className="min-w-0 truncate text-faint" title={source.name} data-testid="viewer-file-name">
        · {source.name}
      </span>,
    );
  } else {
    details.push(
      <span key="share" className="shrink-0 text-faint" data-testid="viewer-share-info">
        · {selectionNote(source.info)} · {maskingNote(source.info)} ·{' '}
        {source.info.expiresAt ? `link expires ${new Date(source.info.expiresAt).toLocaleString()}` : 'link never expires'}
      </span>,
    );
  }

  return (
    <SessionHeader
      homeTitle="Connect to a server"
      identity={
        <>
          <span
            data-testid="server-name"
            className="truncate text-sm font-semibold"
            title={server ? `${server.name} ${server.version}` : meta.serverUrl}
          >
            {server ? server.title || server.name : urlHost(meta.serverUrl) || meta.serverUrl}
          </span>
          {server && <span className="shrink-0 font-mono text-xs text-muted">v{server.version}</span>}
        </>
      }
      badges={
        <>
          {meta.era && (
            <Badge
              tone={ERA_TONE[meta.era]}
              data-testid="era-badge"
              data-era={meta.era}
              title={`Protocol era: ${(meta.transport === 'stdio' ? STDIO_ERA_LABELS : HTTP_ERA_LABELS)[meta.era]}`}
            >
              <span className="hidden min-[1400px]:inline">
                {(meta.transport === 'stdio' ? STDIO_ERA_LABELS : HTTP_ERA_LABELS)[meta.era]}
              </span>
              <span className="min-[1400px]:hidden">
                {(meta.transport === 'stdio' ? STDIO_ERA_SHORT_LABELS : HTTP_ERA_SHORT_LABELS)[meta.era]}
              </span>
            </Badge>
          )}
          {meta.protocolVersion && (
            <Badge mono data-testid="protocol-version">
              {meta.protocolVersion}
            </Badge>
          )}
          <Badge
            tone="neutral"
            data-testid="readonly-badge"
            data-source={source.kind}
            title="A recorded session: nothing here talks to the server"
          >
            <IconEye className="mr-1 h-3 w-3" />
            {source.kind === 'share' ? 'Shared link · read-only' : `${source.format === 'har' ? 'HAR' : 'JSON'} file · read-only`}
          </Badge>
        </>
      }
      actions={
        <>
          <ExportMenu source={{ kind: 'static', meta, events }} onHandshakeScript={() => setHandshake(true)} />
          {source.kind === 'share' && source.info.owned && source.onDelete && (
            <Button
              variant="danger"
              onClick={source.onDelete}
              disabled={source.deleting}
              data-testid="share-page-delete"
              title="Delete this link: it stops working for everyone"
            >
              {source.deleting && <Spinner className="h-3 w-3" />}
              Delete link
            </Button>
          )}
          <NewConnectionLink />
          <ThemeToggle />
        </>
      }
      url={meta.serverUrl}
      details={details}
    >
      {handshake && <HandshakeDialog load={loadLog} onClose={() => setHandshake(false)} />}
    </SessionHeader>
  );
}
