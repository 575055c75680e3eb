'use client';

import { useMemo, type ReactNode } from 'react';
import type { SessionSummary } from '@/lib/contract';
import type { TraceError } from '@/lib/trace/types';
import { recallConnectError } from '../api';
import { AuthPrompt } from '../auth';
import { requestDiagnosis } from '../doctor';
import { useWorkspaceNav } from '../nav';
import { Button, IconAlert, IconInfo, Spinner } from '../ui';
import { ReconnectButton } from './ReconnectButton';
import { displayState } from './session-status';

/** Opens the Audit view and runs the Connection Doctor there (a failed or slow connect). */
function DiagnoseButton({ sessionId }: { sessionId: string }) {
  const nav = useWorkspaceNav();
  return (
    <Button
      size="sm"
      data-testid="diagnose"
      title="Run the Connection Doctor: each step from the URL to the first list call, with what to do"
      onClick={() => {
        requestDiagnosis(sessionId);
        nav.setTab('audit');
      }}
    >
      Diagnose
    </Button>
  );
}

/** The quiet form of the banner: connecting, or closed. */
function StateLine({ background, children }: { background: string; children: ReactNode }) {
  return (
    <div
      className={`flex shrink-0 items-center gap-2 border-b border-line px-3 py-1.5 text-[13px] ${background}`}
      data-testid="session-banner"
    >
      {children}
    </div>
  );
}

/** The one line that says what state the session is in, when that is not plain "connected". */
export function SessionBanner({ summary }: { summary: SessionSummary | undefined }) {
  const sessionId = summary?.id;
  // How the connect failed, handed over by the connect screen (sessionStorage: read in the browser only, and
  // there is no summary, so nothing to show, while the server renders).
  const handedOver = useMemo<TraceError | undefined>(() => (sessionId ? recallConnectError(sessionId) : undefined), [sessionId]);
  if (!summary) return null;
  const error = summary.error ?? handedOver;
  const shown = displayState(summary);
  if (shown === 'degraded' || shown === 'session_lost') {
    const lost = shown === 'session_lost';
    const exited = lost && summary.health?.code === 'process_exited';
    return (
      <div
        role="alert"
        data-testid="session-banner"
        data-health={shown}
        className={`flex shrink-0 items-center gap-2 border-b px-3 py-1.5 text-[13px] ${lost ? 'border-err/40 bg-err-soft' : 'border-warn/40 bg-warn-soft'}`}
      >
        <IconAlert className={`h-4 w-4 shrink-0 ${lost ? 'text-err' : 'text-warn'}`} />
        <span className="min-w-0 flex-1 break-words" data-testid={lost ? 'session-closed' : 'session-degraded'}>
          <span className="font-semibold">
            {exited ? 'The server process exited. ' : lost ? 'The server session is gone. ' : 'The connection is degraded. '}
          </span>
          {lost ? (error?.message ?? summary.health?.reason) : summary.health?.reason}{' '}
          {exited
            ? 'Reconnect starts the process again; the log so far stays above it.'
            : lost
              ? 'Reconnect starts a new MCP session; the log so far stays above it.'
              : 'Calls may fail until the server answers again; Reconnect starts a new MCP session with the same log.'}
        </span>
        <ReconnectButton sessionId={summary.id} />
      </div>
    );
  }
  switch (summary.state) {
    case 'connected':
      // A connected session may still need a person: a step-up for a missing scope.
      return <AuthPrompt summary={summary} />;
    case 'connecting':
      return (
        <StateLine background="bg-accent-soft">
          <Spinner className="h-3 w-3 text-accent" />
          <span>
            Connecting to <span className="font-mono text-xs">{summary.url}</span>… each step appears on the timeline as it happens.
          </span>
          <span className="ml-auto">
            <DiagnoseButton sessionId={summary.id} />
          </span>
        </StateLine>
      );
    case 'failed':
      return (
        <div
          role="alert"
          data-testid="connect-error"
          className="flex shrink-0 gap-2.5 border-b border-err/40 bg-err-soft px-3 py-2.5 text-[13px]"
        >
          <IconAlert className="mt-0.5 h-4 w-4 shrink-0 text-err" />
          <div className="min-w-0">
            <div className="font-semibold text-err">Connection failed</div>
            <div className="break-words">{error?.message ?? 'The connection could not be established.'}</div>
            {error?.code && (
              <div className="mt-0.5 font-mono text-[11px] text-err/80" data-testid="connect-error-code">
                {error.code}
              </div>
            )}
            <div className="mt-1 text-xs text-muted">The timeline below shows every step that was tried and where it stopped.</div>
          </div>
          <div className="ml-auto flex shrink-0 gap-1.5 self-center">
            <DiagnoseButton sessionId={summary.id} />
            <ReconnectButton
              sessionId={summary.id}
              label="Retry"
              testId="retry-connect"
              title="Connect again with the same settings (headers and secrets stay on the server)"
            />
          </div>
        </div>
      );
    case 'auth_required':
      return <AuthPrompt summary={summary} />;
    case 'closed':
      return (
        <StateLine background="bg-panel-2">
          <IconInfo className="h-4 w-4 shrink-0 text-muted" />
          <span data-testid="session-closed">
            Disconnected{error ? `: ${error.message}` : '.'}
            {/* Its instance stopped (README § Several instances): the log was in that instance's memory. */}
            {error?.code === 'instance_stopped' ? '' : ' The recorded log stays available: browse it or export it.'}
          </span>
          <ReconnectButton sessionId={summary.id} />
        </StateLine>
      );
  }
}
