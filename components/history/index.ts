// The History view: this client's requests (pin, re-run, edit and resend), the raw JSON-RPC console, and Replay.
export { HistoryView } from './HistoryView';
export { ConsolePanel, type ConsoleDraft } from './ConsolePanel';
export { MessageResend, resendable, openEditor, useHistoryState, type EditTarget, type HistoryPane } from './resend';
