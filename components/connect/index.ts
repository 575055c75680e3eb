export { ConnectScreen } from './ConnectScreen';
export { recordOutcome, type RecentOutcome } from './recent';
