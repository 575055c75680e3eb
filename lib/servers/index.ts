// Saved servers: reading the servers of an mcp.json-style config file, and writing one back as the snippet each
// client wants. Pure and browser-safe (the store keeps them: lib/store).
export {
  checkSavedServer,
  parseServerConfig,
  MAX_CONFIG_LENGTH,
  MAX_CONFIG_DEPTH,
  MAX_CONFIG_SERVERS,
  type EntryOutcome,
  type ImportOptions,
} from './import';
export { exportServer, exportServers, EXPORT_FORMATS, EXPORT_FORMAT_LABELS, type ExportableServer } from './export';
export type * from './types';
export { planConnect, type ConnectableServer, type ConnectPlan, type FilledValues, type MissingValue } from './connect';
export { credentialsInClear } from './clear-secrets';
