// Replay a recording (this session or a file) against a server and see each answer's diff and the interface diff.
export { ReplayPanel } from './ReplayPanel';
