export { useLogSelector, useLogSnapshot, useProgress, useSessionLog, useStaticLog } from './hooks';
export { LogStore } from './store';
export type {
  ExchangeView,
  LogSnapshot,
  PhaseView,
  ProgressInfo,
  StdioLineView,
  StdioRowView,
  StreamConnection,
  StreamKind,
} from './views';
