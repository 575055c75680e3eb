// The door to the session log. Everything here is plain TypeScript that runs on the server and in the browser.
export * from './types';
export { TraceLog, formatBytes } from './log';
export type { PhaseHandle, ReleasedEvents } from './log';
export { heapEstimate, payloadSize, skeletonSize } from './size';
export { LogBudget } from './budget';
export { NotificationFold, notificationFoldFor } from './fold';
export {
  MASK,
  SecretSet,
  isSecretHeaderName,
  worthRemembering,
  maskSecret,
  maskCredential,
  redactHeaders,
  maskUrl,
  maskJsonCredentials,
  maskBodyText,
} from './secrets';
export { isSecretName, nameWords } from './secret-names';
export { createSseFrameReader, parseSseFrames } from './sse';
export type { SseFrame } from './sse';
export { JSONRPC_ERROR_NAMES, jsonRpcErrorName, classifyJsonRpc, classifyRpcMessage, parseJsonRpcText, RpcPairer } from './jsonrpc';
export type { JsonRpcId } from './jsonrpc';
export { recordRpc } from './rpc-log';
export { capJsonDepth, jsonDepth, cutMarker, MAX_JSON_DEPTH } from './depth';
export { createRecordingFetch, mediaType } from './record';
export { describeFetchError } from './errors';
export { captureText } from './body';
export { truncateUtf8, utf8ByteLength } from './bytes';
export { toJsonExport, parseJsonExport, TraceExportError, EXPORT_FORMAT, EXPORT_VERSION } from './export';
export type { SessionExport } from './export';
export { groupExchanges, phaseTree, rpcMessages } from './derive';
export type { ExchangeEvents, ExchangeState, PhaseNode } from './derive';
export { migrateExport } from './export-migrate';
export type { ExportMigrations } from './export-migrate';
export { toHar, fromHar, validateHar, HarImportError } from './har';
export type { Har, ImportedSession } from './har';
export { exchangeToCurl, handshakeScript, buildHandshakeScript, toolCallSnippet, shellQuote, CopyAsError } from './curl';
export type { CurlCommand, ShellVariable, HandshakeScript, ToolCallSnippetInput } from './curl';
export { classify, countFailures, isExpected, outcomeContext, VERDICT_LABEL, VERDICT_REASON } from './outcome';
export type { OutcomeContext, PhaseFacts, Verdict } from './outcome';
export {
  addToRpcSummary,
  describeIds,
  describeMethods,
  emptyRpcSummary,
  rpcSummaryMatches,
  summarizeRpc,
  SUMMARY_MAX_IDS,
  SUMMARY_MAX_METHODS,
} from './exchange-summary';
export type { RpcSummary } from './exchange-summary';
export { decodeJwtText, isJwtValuedName, maskJwt } from './jwt';
