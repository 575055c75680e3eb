export { useLogSelector, useLogSnapshot, useProgress, useSessionLog, useStaticLog } from './hooks';
export { exchangeVerdict, useOutcomes } from './outcomes';
export { appendOnlyFilter, selectionOf, type LogSelect } from './selection';
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
