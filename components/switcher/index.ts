export { SessionSwitcher } from './SessionSwitcher';
export { compareHref, SESSION_STATE, sessionName, transportLabel } from './session-label';
