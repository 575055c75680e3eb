// The connection engine: speaks MCP to a server of any era over HTTP, recording everything in the
// session log. Server-side only (it holds connections and secrets).
export { connect, combineFailures } from './engine';
export { EngineError, classifyNetworkError, describeBody, isEngineError, type EngineErrorCode } from './errors';
export { decideEra, decideFallback, describeEra, isMcpContentType, type FallbackDecision } from './eras';
export { describeSdkReport, explainError, explainHttpStatus, type SdkReport } from './explain';
export { challengeProblem, watchWireFindings, type WireFindingsOptions } from './findings-wire';
export { validateServerUrl } from './url';
export {
  CLIENT_CAPABILITIES,
  SERVER_REQUEST_METHODS,
  ServerRequestRejection,
  type ClientFeatures,
  type ServerRequest,
  type ServerRequestAnswerer,
  type ServerRequestMethod,
} from './client-features';
export {
  CLIENT_TASKS_CAPABILITY,
  ClientTaskStore,
  RELATED_TASK_META_KEY,
  type ClientTask,
  type ClientTaskMethod,
  type ClientTaskStatus,
  type TaskContext,
} from './client-tasks';
export type {
  ConnectOptions,
  ExchangeAuthorizer,
  JsonRpcErrorBody,
  ListenFilter,
  ListenState,
  LogLevel,
  LogLevelOutcome,
  McpConnection,
  RpcOutcome,
  RpcProgress,
  RpcRequestOptions,
  ServerIdentity,
  SubscriptionSnapshot,
  TransportMode,
  WireTransport,
} from './types';
