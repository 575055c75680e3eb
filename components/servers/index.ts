export { SavedServers } from './SavedServers';
export { SaveServer } from './SaveServer';
export { StdioConfirm } from './StdioConfirm';
export { commandFingerprint, isConfirmed, rememberConfirmed } from './stdio-confirm';
export { listLiveSessions } from './api';
