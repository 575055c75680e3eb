'use client';

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export type TabKey =
  | 'tools'
  | 'resources'
  | 'prompts'
  | 'notifications'
  | 'session'
  | 'timeline'
  | 'traffic'
  | 'messages'
  | 'findings'
  | 'skills'
  | 'history'
  | 'audit'
  | 'apps';
export const TAB_ORDER: readonly TabKey[] = [
  'tools',
  'resources',
  'prompts',
  'notifications',
  'session',
  'timeline',
  'traffic',
  'messages',
  'findings',
  'audit',
];
/** Each view's name: its tab's label and the title of its error boundary. */
export const TAB_LABEL: Record<TabKey, string> = {
  tools: 'Tools',
  resources: 'Resources',
  prompts: 'Prompts',
  notifications: 'Notifications',
  session: 'Session',
  timeline: 'Timeline',
  traffic: 'Traffic',
  messages: 'Messages',
  findings: 'Findings',
  skills: 'Skills',
  history: 'History',
  audit: 'Audit',
  apps: 'Apps',
};

export type TrafficKind = 'all' | 'mcp' | 'streams' | 'auth' | 'other';
export type ExchangeDetailTab = 'headers' | 'payload' | 'response' | 'frames';

export interface TrafficViewState {
  kind: TrafficKind;
  text: string;
  selectedId: string | null;
  detailTab: ExchangeDetailTab;
}

export interface MessagesViewState {
  method: string;
  direction: 'all' | 'out' | 'in';
  search: string;
  selectedSeq: number | null;
}

interface WorkspaceNav {
  tab: TabKey | null;
  setTab: (tab: TabKey) => void;
  traffic: TrafficViewState;
  setTraffic: (patch: Partial<TrafficViewState>) => void;
  messages: MessagesViewState;
  setMessages: (patch: Partial<MessagesViewState>) => void;
  /** Jumps to the Traffic tab with one exchange selected (from the timeline, findings, messages). */
  openExchange: (exchangeId: string, detailTab?: ExchangeDetailTab) => void;
  /** Jumps to the Messages tab with one message selected. */
  openMessage: (seq: number) => void;
}

const NavContext = createContext<WorkspaceNav | null>(null);

/** Per-workspace view state that survives tab switches (inactive tabs unmount to stay cheap). */
export function WorkspaceNavProvider({ children }: { children: ReactNode }) {
  const [tab, setTab] = useState<TabKey | null>(null);
  const [traffic, setTrafficState] = useState<TrafficViewState>({
    kind: 'all',
    text: '',
    selectedId: null,
    detailTab: 'headers',
  });
  const [messages, setMessagesState] = useState<MessagesViewState>({
    method: '',
    direction: 'all',
    search: '',
    selectedSeq: null,
  });

  const setTraffic = useCallback((patch: Partial<TrafficViewState>) => setTrafficState((state) => ({ ...state, ...patch })), []);
  const setMessages = useCallback((patch: Partial<MessagesViewState>) => setMessagesState((state) => ({ ...state, ...patch })), []);
  const openExchange = useCallback((exchangeId: string, detailTab?: ExchangeDetailTab) => {
    setTrafficState((state) => ({
      ...state,
      kind: 'all',
      text: '',
      selectedId: exchangeId,
      detailTab: detailTab ?? state.detailTab,
    }));
    setTab('traffic');
  }, []);
  const openMessage = useCallback((seq: number) => {
    setMessagesState((state) => ({ ...state, method: '', direction: 'all', search: '', selectedSeq: seq }));
    setTab('messages');
  }, []);

  const value = useMemo(
    () => ({ tab, setTab, traffic, setTraffic, messages, setMessages, openExchange, openMessage }),
    [tab, traffic, setTraffic, messages, setMessages, openExchange, openMessage],
  );
  return <NavContext.Provider value={value}>{children}</NavContext.Provider>;
}

export function useWorkspaceNav(): WorkspaceNav {
  const value = useContext(NavContext);
  if (!value) throw new Error('useWorkspaceNav must be used inside <WorkspaceNavProvider>');
  return value;
}
