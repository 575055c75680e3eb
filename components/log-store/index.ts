export { useLogSelector, useLogSnapshot, useProgress, useSessionLog } from './hooks';
export { LogStore } from './store';
export type { ExchangeView, LogSnapshot, PhaseView, ProgressInfo, StreamConnection, StreamKind } from './views';
