'use client';

import { lazy, Suspense, useCallback, useState } from 'react';
import {
  ERA_LABELS as HTTP_ERA_LABELS,
  ERA_SHORT_LABELS as HTTP_ERA_SHORT_LABELS,
  STDIO_ERA_LABELS,
  STDIO_ERA_SHORT_LABELS,
  type SessionSummary,
} from '@/lib/contract';
import type { ProtocolEraName } from '@/lib/trace/types';
import type { StreamConnection } from '../log-store';
import { SessionSwitcher } from '../switcher';
import { ThemeToggle } from '../theme';
import { DISPLAY_LABEL, DISPLAY_TONE, displayState, displayTitle } from './session-status';
import {
  Badge,
  Button,
  IconChevronDown,
  IconChevronRight,
  IconDownload,
  NewConnectionLink,
  SessionHeader,
  Spinner,
  urlHost,
  type Tone,
} from '../ui';

// Export (HAR/JSON conversion), sharing and the handshake script come with the share folder's viewer code:
// loaded after the page, not with it.
const loadShare = () => import('../share');
const ExportMenu = lazy(() => loadShare().then((module) => ({ default: module.ExportMenu })));
const ShareDialog = lazy(() => loadShare().then((module) => ({ default: module.ShareDialog })));
const HandshakeDialog = lazy(() => loadShare().then((module) => ({ default: module.HandshakeDialog })));

/** Looks like the Export button while its code loads. */
function ExportMenuPlaceholder() {
  return (
    <span
      aria-busy="true"
      className="inline-flex h-7 items-center gap-1.5 rounded border border-line-strong bg-panel px-2.5 text-[13px] font-medium text-muted"
    >
      <IconDownload className="h-3.5 w-3.5" /> Export <IconChevronDown className="h-3 w-3 text-muted" />
    </span>
  );
}

const ERA_TONE: Record<ProtocolEraName, Tone> = {
  'legacy-sse': 'warn',
  'stateful-2025': 'accent',
  'stateless-2026': 'purple',
};
const CONNECTION_LABEL: Record<StreamConnection, { text: string; dot: string }> = {
  connecting: { text: 'Opening the live log…', dot: 'bg-faint' },
  open: { text: "Live: mcpscope's log of this session updates as events happen (this is not the server's state)", dot: 'bg-ok' },
  reconnecting: { text: 'Live log interrupted: reconnecting…', dot: 'bg-warn animate-pulse' },
  closed: { text: 'Live log closed: showing what was recorded', dot: 'bg-faint' },
};
const TRANSPORT_LABEL = { auto: 'auto', 'streamable-http': 'Streamable HTTP', sse: 'SSE', stdio: 'stdio' } as const;

function capabilityTitle(name: string, value: unknown): string {
  const json = JSON.stringify(value);
  return json && json !== '{}' ? `${name}: ${json}` : name;
}

export function WorkspaceHeader({
  summary,
  sessionId,
  connection,
  onDisconnect,
  disconnecting,
}: {
  summary: SessionSummary | undefined;
  sessionId: string;
  connection: StreamConnection;
  onDisconnect: () => void;
  disconnecting: boolean;
}) {
  const [showInstructions, setShowInstructions] = useState(false);
  const [dialog, setDialog] = useState<'share' | 'handshake' | null>(null);
  const loadLog = useCallback(() => loadShare().then((module) => module.fetchSessionLog(sessionId)), [sessionId]);
  const server = summary?.server;
  const live = summary?.state === 'connected' || summary?.state === 'auth_required' || summary?.state === 'connecting';
  const capabilities = Object.entries(server?.capabilities ?? {});
  const shown = summary ? displayState(summary) : undefined;

  return (
    <SessionHeader
      homeTitle="New connection"
      identity={
        <>
          <span
            data-testid="server-name"
            className={server ? 'truncate text-sm font-semibold' : 'truncate text-sm text-muted'}
            title={server ? `${server.name} ${server.version}` : summary?.url}
          >
            {server ? server.title || server.name : summary ? urlHost(summary.url) || summary.url : 'Loading…'}
          </span>
          {server && (
            // Narrow (a side of the split view) the name's tooltip carries the version: the actions need the room.
            <span data-testid="server-version" className="hidden shrink-0 font-mono text-xs text-muted @3xl:inline">
              {server.title && server.title !== server.name ? `${server.name} ` : ''}v{server.version}
            </span>
          )}
        </>
      }
      badges={
        <>
          {shown && summary && (
            <Badge
              tone={DISPLAY_TONE[shown]}
              data-testid="session-state"
              data-state={summary.state}
              data-display={shown}
              title={displayTitle(shown, summary)}
            >
              {summary.state === 'connecting' && <Spinner className="mr-1 h-2.5 w-2.5 border-[1.5px]" />}
              {shown === 'session_lost' && summary.health?.code === 'process_exited' ? 'process exited' : DISPLAY_LABEL[shown]}
            </Badge>
          )}
          {server && (
            <Badge
              tone={ERA_TONE[server.era]}
              data-testid="era-badge"
              data-era={server.era}
              title={`Protocol era: ${(summary?.transport === 'stdio' ? STDIO_ERA_LABELS : HTTP_ERA_LABELS)[server.era]}`}
            >
              <span className="hidden min-[1400px]:inline">
                {(summary?.transport === 'stdio' ? STDIO_ERA_LABELS : HTTP_ERA_LABELS)[server.era]}
              </span>
              <span className="min-[1400px]:hidden">
                {(summary?.transport === 'stdio' ? STDIO_ERA_SHORT_LABELS : HTTP_ERA_SHORT_LABELS)[server.era]}
              </span>
            </Badge>
          )}
          {server && (
            <Badge mono data-testid="protocol-version" title="Negotiated protocol version">
              {server.protocolVersion}
            </Badge>
          )}
        </>
      }
      actions={
        <>
          <span
            className="mr-1 inline-flex items-center gap-1.5 text-[11px] text-muted"
            title={CONNECTION_LABEL[connection].text}
            data-testid="stream-status"
            data-connection={connection}
          >
            <span className={`h-2 w-2 rounded-full ${CONNECTION_LABEL[connection].dot}`} />
            <span className="hidden @6xl:inline">{connection === 'open' ? 'log live' : `log ${connection}`}</span>
          </span>
          <SessionSwitcher currentId={sessionId} />
          <Suspense fallback={<ExportMenuPlaceholder />}>
            <ExportMenu source={{ kind: 'live', sessionId }} onHandshakeScript={() => setDialog('handshake')} />
          </Suspense>
          <Button onClick={() => setDialog('share')} data-testid="share-open" title="Create a read-only link to this session">
            Share
          </Button>
          {live ? (
            <Button
              variant="danger"
              onClick={onDisconnect}
              disabled={disconnecting}
              data-testid="disconnect"
              title={summary?.state === 'connecting' ? 'Stop connecting; the log recorded so far is kept' : undefined}
            >
              {disconnecting ? <Spinner className="h-3 w-3" /> : null}
              {disconnecting ? 'Disconnecting…' : summary?.state === 'connecting' ? 'Cancel' : 'Disconnect'}
            </Button>
          ) : (
            <NewConnectionLink testId="new-connection" />
          )}
          <ThemeToggle />
        </>
      }
      url={summary?.url}
      details={
        <>
          {summary && (
            <span className="shrink-0 text-faint" title="Transport requested at connect">
              · {TRANSPORT_LABEL[summary.transport]}
            </span>
          )}
          {summary && summary.headerNames.length > 0 && (
            <span className="shrink-0 text-faint" title={`Headers sent: ${summary.headerNames.join(', ')}`}>
              · {summary.headerNames.length} custom header{summary.headerNames.length === 1 ? '' : 's'}
            </span>
          )}
          {capabilities.length > 0 && (
            <div className="ml-2 flex min-w-0 items-center gap-1 overflow-hidden" data-testid="capabilities">
              <span className="shrink-0 text-faint">Capabilities</span>
              {capabilities.map(([name, value]) => (
                <Badge key={name} tone="neutral" mono data-testid={`capability-${name}`} title={capabilityTitle(name, value)}>
                  {name}
                </Badge>
              ))}
            </div>
          )}
          {server?.instructions && (
            <button
              type="button"
              onClick={() => setShowInstructions((value) => !value)}
              aria-expanded={showInstructions}
              data-testid="instructions-toggle"
              className="ml-auto inline-flex shrink-0 items-center gap-0.5 text-muted hover:text-fg"
            >
              {showInstructions ? <IconChevronDown className="h-3 w-3" /> : <IconChevronRight className="h-3 w-3" />}
              Instructions
            </button>
          )}
        </>
      }
    >
      <Suspense fallback={null}>
        {dialog === 'share' && <ShareDialog sessionId={sessionId} onClose={() => setDialog(null)} />}
        {dialog === 'handshake' && <HandshakeDialog load={loadLog} onClose={() => setDialog(null)} />}
      </Suspense>
      {server?.instructions && showInstructions && (
        <div
          data-testid="instructions"
          className="max-h-40 overflow-auto border-t border-line bg-panel-2 px-3 py-2 text-[13px] whitespace-pre-wrap"
        >
          {server.instructions}
        </div>
      )}
    </SessionHeader>
  );
}
