export {
  TAB_LABEL,
  TAB_ORDER,
  WorkspaceNavProvider,
  useWorkspaceNav,
  type ExchangeDetailTab,
  type MessagesViewState,
  type TabKey,
  type TrafficKind,
  type TrafficViewState,
} from './nav';
