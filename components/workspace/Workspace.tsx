'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect } from 'react';
import { appResourceUri } from '@/lib/apps';
import type { SessionSummary } from '@/lib/contract';
import { deleteSession, queryKeys, useSessionSummary, useTools } from '../api';
import { useLogSelector, useSessionLog, type LogStore } from '../log-store';
import { MessagesView } from '../messages';
import { PendingHost } from '../pending';
import { TAB_LABEL, TAB_ORDER, WorkspaceNavProvider, useWorkspaceNav, type TabKey } from '../nav';
import { TimelineView } from '../timeline';
import { ToolsView, useKeepToolsFresh, useLastArguments, useLastResults, useToolsState } from '../tools';
import { TrafficView } from '../traffic';
import { Spinner } from '../ui';
import { SessionBanner } from './SessionBanner';
import { SessionGone, useRememberSession } from './SessionGone';
import { WorkspaceHeader } from './WorkspaceHeader';
import { WorkspaceTabs } from './WorkspaceTabs';
import { ViewBoundary } from './ViewBoundary';
import { sessionOffersSkills } from '../skills/offered';
import { useFollowAuthorization } from './useFollowAuthorization';
import { recordOutcome } from '../connect';

/** The connect screen's recent servers show how the last connect to each ended. */
function useRecordOutcome(summary: SessionSummary | undefined): void {
  const state = summary?.state;
  const url = summary?.url;
  const transport = summary?.transport;
  const errorCode = summary?.error?.code;
  useEffect(() => {
    // Recent servers are URLs; a stdio server's command line is not one.
    if (!url || !transport || transport === 'stdio') return;
    if (state === 'connected') recordOutcome(url, transport, 'connected');
    else if (state === 'auth_required') recordOutcome(url, transport, 'auth_required');
    else if (state === 'failed') recordOutcome(url, transport, 'failed', errorCode);
  }, [state, url, transport, errorCode]);
}

// Views a session rarely opens on first: out of the first load (README § Performance), fetched when the browser
// is idle after the workspace appears, so switching to them stays instant.
const loadResources = () => import('../resources');
const loadPrompts = () => import('../prompts');
const loadNotifications = () => import('../notifications');
const loadSession = () => import('../session');
const loadFindings = () => import('../findings');
const loadSkills = () => import('../skills');
const loadHistory = () => import('../history');
const loadAudit = () => import('../audit');
const loadApps = () => import('../apps');
const ResourcesView = lazy(() => loadResources().then((m) => ({ default: m.ResourcesView })));
const PromptsView = lazy(() => loadPrompts().then((m) => ({ default: m.PromptsView })));
const NotificationsView = lazy(() => loadNotifications().then((m) => ({ default: m.NotificationsView })));
const SessionView = lazy(() => loadSession().then((m) => ({ default: m.SessionView })));
const FindingsView = lazy(() => loadFindings().then((m) => ({ default: m.FindingsView })));
const SkillsView = lazy(() => loadSkills().then((m) => ({ default: m.SkillsView })));
const HistoryView = lazy(() => loadHistory().then((m) => ({ default: m.HistoryView })));
const MessageResend = lazy(() => loadHistory().then((m) => ({ default: m.MessageResend })));
const AuditView = lazy(() => loadAudit().then((m) => ({ default: m.AuditView })));
const AppsView = lazy(() => loadApps().then((m) => ({ default: m.AppsView })));

function usePrefetchViews(): void {
  useEffect(() => {
    const prefetch = () => {
      for (const load of [loadResources, loadPrompts, loadNotifications, loadSession, loadFindings]) void load().catch(() => undefined);
    };
    if (typeof window.requestIdleCallback === 'function') {
      const handle = window.requestIdleCallback(prefetch, { timeout: 3000 });
      return () => window.cancelIdleCallback(handle);
    }
    const timer = setTimeout(prefetch, 1000);
    return () => clearTimeout(timer);
  }, []);
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function defaultTab(summary: SessionSummary | undefined): TabKey {
  return summary?.state === 'connected' ? 'tools' : 'timeline';
}

/** Global shortcuts: Alt+1…9 switch views; "/" focuses the active view's search box. */
function useWorkspaceShortcuts(setTab: (tab: TabKey) => void) {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (
        event.altKey &&
        !event.ctrlKey &&
        !event.metaKey &&
        /^Digit[1-9]$/.test(event.code) &&
        Number(event.code.slice(5)) <= TAB_ORDER.length
      ) {
        event.preventDefault();
        setTab(TAB_ORDER[Number(event.code.slice(5)) - 1]);
        return;
      }
      if (event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target)) {
        const search = document.querySelector<HTMLInputElement>('#workspace-panel [data-shortcut="search"]');
        if (search) {
          event.preventDefault();
          search.focus();
          search.select();
        }
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [setTab]);
}

export function Workspace({ sessionId }: { sessionId: string }) {
  return (
    <WorkspaceNavProvider>
      <WorkspaceInner sessionId={sessionId} />
    </WorkspaceNavProvider>
  );
}

function WorkspaceInner({ sessionId }: { sessionId: string }) {
  const queryClient = useQueryClient();
  const summaryQuery = useSessionSummary(sessionId);
  const onSummary = useCallback(
    (summary: SessionSummary) => queryClient.setQueryData(queryKeys.session(sessionId), summary),
    [queryClient, sessionId],
  );
  const store = useSessionLog(sessionId, onSummary);
  const summary = summaryQuery.data;
  useRememberSession(sessionId, summary !== undefined);
  useFollowAuthorization(summary);
  useRecordOutcome(summary);
  usePrefetchViews();
  useEffect(() => {
    if (summary) store.rememberSummary(summary);
  }, [store, summary]);

  const toolsQuery = useTools(sessionId, summary?.state === 'connected');
  useKeepToolsFresh(sessionId, store, summary?.state === 'connected');
  const toolsState = useToolsState(sessionId);
  // A reload keeps each tool's last arguments (per server, this browser) and shows the last results from the log.
  useLastArguments(summary?.url, toolsState);
  useLastResults(store, summary, toolsState.restoreCalls);
  const nav = useWorkspaceNav();
  const tab = nav.tab ?? defaultTab(summary);
  useWorkspaceShortcuts(nav.setTab);

  const disconnect = useMutation({
    mutationFn: () => deleteSession(sessionId),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.session(sessionId) }),
  });

  if (summaryQuery.isError && summaryQuery.error.status === 404) return <SessionGone sessionId={sessionId} />;

  return (
    <PendingHost sessionId={sessionId} store={store} live={summary?.state === 'connected'}>
      <div className="flex h-dvh min-w-0 flex-col overflow-hidden">
        <HeaderWithConnection
          store={store}
          summary={summary}
          sessionId={sessionId}
          onDisconnect={() => disconnect.mutate()}
          disconnecting={disconnect.isPending}
        />
        {summaryQuery.isError && (
          <div role="alert" className="shrink-0 border-b border-err/40 bg-err-soft px-3 py-1.5 text-[13px] text-err">
            Could not load the session: {summaryQuery.error.message}{' '}
            <span className="font-mono text-[11px]">({summaryQuery.error.code})</span>
          </div>
        )}
        {disconnect.isError && (
          <div role="alert" className="shrink-0 border-b border-err/40 bg-err-soft px-3 py-1.5 text-[13px] text-err">
            Disconnect failed: {disconnect.error.message}
          </div>
        )}
        <SessionBanner summary={summary} />
        <WorkspaceTabs
          active={tab}
          onChange={nav.setTab}
          store={store}
          toolCount={toolsQuery.data?.length}
          showSkills={sessionOffersSkills(summary)}
          showApps={toolsQuery.data?.some((tool) => appResourceUri(tool) !== undefined) ?? false}
        />
        <main id="workspace-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="min-h-0 flex-1 overflow-hidden">
          {!summary && summaryQuery.isPending ? (
            <div className="flex h-full items-center justify-center gap-2 text-muted">
              <Spinner /> Loading session…
            </div>
          ) : (
            <Suspense
              fallback={
                <div className="flex h-full items-center justify-center gap-2 text-muted">
                  <Spinner /> Loading…
                </div>
              }
            >
              {/* Keyed by tab: a view that crashed starts afresh when the person comes back to it. */}
              <ViewBoundary
                key={tab}
                view={TAB_LABEL[tab]}
                // The Tools view would draw the selected tool's result again: drop it (the log keeps it).
                {...(tab === 'tools' && toolsState.selected ? { onRetry: () => toolsState.clearCall(toolsState.selected!) } : {})}
                {...(tab === 'timeline'
                  ? { onLeave: () => nav.setTab('traffic'), leaveLabel: 'Go to Traffic' }
                  : { onLeave: () => nav.setTab('timeline') })}
              >
                <ActiveView tab={tab} session={{ sessionId, store, summary }} toolsQuery={toolsQuery} toolsState={toolsState} />
              </ViewBoundary>
            </Suspense>
          )}
        </main>
      </div>
    </PendingHost>
  );
}

function HeaderWithConnection(props: {
  store: LogStore;
  summary: SessionSummary | undefined;
  sessionId: string;
  onDisconnect: () => void;
  disconnecting: boolean;
}) {
  // Isolated so the once-per-frame log updates re-render this small header, not the whole workspace.
  const connection = useLogSelector(props.store, (snapshot) => snapshot.connection);
  return (
    <WorkspaceHeader
      summary={props.summary}
      sessionId={props.sessionId}
      connection={connection}
      onDisconnect={props.onDisconnect}
      disconnecting={props.disconnecting}
    />
  );
}

/** What most views are given: the session, its live log and its latest summary. */
interface SessionViewProps {
  sessionId: string;
  store: LogStore;
  summary: SessionSummary | undefined;
}

function ActiveView({
  tab,
  session,
  toolsQuery,
  toolsState,
}: {
  tab: TabKey;
  session: SessionViewProps;
  toolsQuery: ReturnType<typeof useTools>;
  toolsState: ReturnType<typeof useToolsState>;
}) {
  const { sessionId, store, summary } = session;
  switch (tab) {
    case 'tools':
      return <ToolsView {...session} toolsQuery={toolsQuery} state={toolsState} />;
    case 'resources':
      return <ResourcesView {...session} />;
    case 'prompts':
      return <PromptsView {...session} />;
    case 'notifications':
      return <NotificationsView {...session} />;
    case 'session':
      return <SessionView {...session} />;
    case 'timeline':
      return <TimelineView store={store} live={summary?.state === 'connecting'} />;
    case 'traffic':
      return <TrafficView store={store} />;
    case 'messages':
      return (
        <MessagesView
          store={store}
          requestActions={(event) =>
            event.kind === 'rpc' && event.direction === 'out' && event.type === 'request' ? (
              <Suspense fallback={null}>
                <MessageResend
                  sessionId={sessionId}
                  connected={summary?.state === 'connected'}
                  toolsState={toolsState}
                  message={event.message}
                  direction={event.direction}
                  type={event.type}
                />
              </Suspense>
            ) : null
          }
        />
      );
    case 'findings':
      return <FindingsView store={store} />;
    case 'skills':
      return <SkillsView sessionId={sessionId} summary={summary} />;
    case 'history':
      return <HistoryView {...session} toolsState={toolsState} />;
    case 'audit':
      return <AuditView sessionId={sessionId} summary={summary} />;
    case 'apps':
      return <AppsView {...session} tools={toolsQuery.data ?? []} />;
  }
}
