export { SessionSwitcher } from './SessionSwitcher';
