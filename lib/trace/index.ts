// The door to the session log. Everything here is plain TypeScript that runs on the server and in the browser.
export * from './types';
export { TraceLog, formatBytes } from './log';
export type {
  PhaseHandle,
  BeginPhaseOptions,
  FindingRefs,
  TraceStats,
  TraceLogOptions,
  DroppedData,
  ReleasedEvents,
  MemoryAccountant,
} from './log';
export { heapEstimate, payloadSize, skeletonSize } from './size';
export { LogBudget } from './budget';
export type { LogBudgetOptions } from './budget';
export { NotificationFold, notificationFoldFor } from './fold';
export type { FoldNotice, NotificationFoldOptions } from './fold';
export {
  MASK,
  MIN_SECRET_LENGTH,
  SECRET_HEADER_NAMES,
  SecretSet,
  isSecretHeaderName,
  worthRemembering,
  maskSecret,
  maskCredential,
  maskHeaderValue,
  redactHeaders,
  headerEntries,
  maskUrl,
  maskFormEncoded,
  maskJsonCredentials,
  maskBodyText,
} from './secrets';
export type { HeadersInputLike, RedactHeadersOptions } from './secrets';
export { isSecretName, nameWords } from './secret-names';
export type { NameContext } from './secret-names';
export { createSseFrameReader, parseSseFrames } from './sse';
export type { SseFrame, SseFrameReader, SseFrameReaderOptions } from './sse';
export { JSONRPC_ERROR_NAMES, jsonRpcErrorName, classifyRpcMessage, classifyJsonRpc, parseJsonRpcText, RpcPairer } from './jsonrpc';
export type { JsonRpcId, RpcMessageInfo, RpcClassification, RpcDirection, RpcPairing } from './jsonrpc';
export { recordRpc, rpcPairerFor } from './rpc-log';
export { capJsonDepth, jsonDepth, cutMarker, MAX_JSON_DEPTH } from './depth';
export type { DepthCheck } from './depth';
export type { RecordRpcOptions } from './rpc-log';
export { createRecordingFetch, mediaType } from './record';
export type { RecordingFetchOptions, RecordingContext } from './record';
export { describeFetchError, describeStreamError, errorCodes } from './errors';
export { captureText, captureBytes, BodyCollector } from './body';
export { utf8ByteLength, truncateUtf8, bytesToBase64 } from './bytes';
export { toJsonExport, parseJsonExport, TraceExportError, EXPORT_FORMAT, EXPORT_VERSION } from './export';
export type { SessionExport } from './export';
export { groupExchanges, phaseTree, rpcMessages } from './derive';
export type { ExchangeEvents, ExchangeState, PhaseNode } from './derive';
export { migrateExport, migrations, ExportVersionError } from './export-migrate';
export type { ExportMigrations, VersionedDoc } from './export-migrate';
export type { JsonExportOptions, TraceExportErrorCode } from './export';
export { toHar, fromHar, validateHar, HarImportError } from './har';
export type {
  Har,
  HarLog,
  HarEntry,
  HarRequest,
  HarResponse,
  HarContent,
  HarPostData,
  HarTimings,
  HarPage,
  HarCreator,
  HarNameValue,
  HarSseFrame,
  HarSseFrameExtension,
  HarBodyMeta,
  HarEntryExtension,
  HarLogExtension,
  HarExportOptions,
  ImportedSession,
} from './har';
export {
  exchangeToCurl,
  handshakeScript,
  buildHandshakeScript,
  toolCallSnippet,
  shellQuote,
  displayHeaderName,
  secretHeaderVariable,
  CopyAsError,
} from './curl';
export type { CurlCommand, CurlOptions, ShellVariable, HandshakeScript, HandshakeScriptOptions, ToolCallSnippetInput } from './curl';
export { classify, countFailures, isExpected, outcomeContext, VERDICT_LABEL, VERDICT_REASON } from './outcome';
export type { ExchangeFacts, OutcomeContext, PhaseFacts, RpcFacts, Subject, Verdict } from './outcome';
export {
  addToRpcSummary,
  describeIds,
  describeMethods,
  emptyRpcSummary,
  rpcSummaryMatches,
  summarizeRpc,
  SUMMARY_MAX_IDS,
  SUMMARY_MAX_METHODS,
  SUMMARY_MAX_NAMES,
} from './exchange-summary';
export type { RpcSummary } from './exchange-summary';
export { decodeJwtText, isJwtValuedName, maskJwt } from './jwt';
export type { DecodedJwtText } from './jwt';
