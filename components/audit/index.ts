// The workspace's Audit view: the Connection Doctor and the server audit.
export { AuditView } from './AuditView';
