// Sharing a session: the Export menu, the Share dialog, the handshake script, and the read-only viewer that
// shows an imported file or a shared link in the workspace's views.
export { ExportMenu, type ExportSource } from './ExportMenu';
export { ShareDialog } from './ShareDialog';
export { HandshakeDialog } from './HandshakeDialog';
export { SessionViewer, type ViewerSource } from './SessionViewer';
export { SharedSessionPage } from './SharedSessionPage';
export { Modal } from './Modal';
export { downloadJson } from './download';
export { createShareLink, deleteShareLink, fetchSessionLog, fetchSharedSession, ShareApiError } from './api';
