// Replay a recording (this session or a file) against a server and see each answer's diff and the interface diff,
// as a list or side by side; serve a shared recording as a mock.
export { ReplayPanel } from './ReplayPanel';
export { MockBar } from './MockBar';
