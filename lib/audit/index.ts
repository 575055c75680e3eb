// The server audit: an active battery of checks with spec references, levels, evidence and fixes. `runAudit` is
// server-side; the report types and `scoreOf` / `failsAt` are plain data, safe anywhere.
export { runAudit, notificationProblem, type AuditOptions } from './run';
export { toolNameProblem, toolSchemaProblem, duplicateNames } from './schemas';
export { lastAudit, rememberAudit } from './reports';
export * from './types';
export { auditSession } from './session';
