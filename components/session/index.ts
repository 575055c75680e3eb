export { SessionView } from './SessionView';
