export { useLogSelector, useLogSnapshot, useProgress, useSessionLog, useStaticLog } from './hooks';
export { LogStore } from './store';
export type { ExchangeView, LogSnapshot, PhaseView, ProgressInfo, StreamConnection, StreamKind } from './views';
