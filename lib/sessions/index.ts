// Live sessions: ownership (signed cookie), limits (per browser, per client address, in all), idle expiry, and
// the helpers the API routes are built from.
export { SessionRegistry, getRegistry, type Session, type CreateOptions, type CreateOutcome, type RegistryOptions } from './registry';
export { apiErrorOf, isSessionError, SessionError, statusForCode, type SessionErrorCode } from './errors';
export { OWNER_COOKIE, newOwnerId, ownerCookie, ownerFromCookieHeader, readOwner, resolveOwner, signOwner } from './owner';
export {
  parseCancelRequest,
  parseCreateSession,
  parseReconnectRequest,
  parseBody,
  parseRpcRequest,
  prefersRespondAsync,
  type ValidatedCreate,
} from './validate';
export {
  CATCH_UP_EVENTS,
  EVENT_STREAM_HEADERS,
  KEEP_ALIVE_MS,
  STREAM_HIGH_WATER_BYTES,
  createEventStream,
  formatSummaryFrame,
  formatTraceFrame,
  replayStart,
  type EventStreamSource,
} from './events';
export {
  errorAnswer,
  errorResponse,
  findSession,
  fromError,
  json,
  JSON_HEADERS,
  NOT_FOUND_MESSAGE,
  notFound,
  parseJsonBody,
  readJson,
  withOwner,
  withSession,
  type OwnerRouteAnswer,
  type SessionRouteAnswer,
  type SessionRouteParams,
} from './http';
export {
  DEFAULT_ANSWER_TIMEOUT_MS,
  PendingQueue,
  ServerRequests,
  type PendingAnswer,
  type PendingEntry,
  type PendingSettlement,
  type Root,
} from './pending';
export {
  answerPending,
  getListen,
  getLogLevel,
  getRoots,
  listPending,
  listen,
  ping,
  setLogLevel,
  setRoots,
  stopListening,
  type LogLevelState,
  type PendingList,
  type PingOutcome,
  type RootsState,
} from './client-ops';
export {
  SessionAuth,
  classifyRequestFailure,
  findFlowError,
  nextAfterDiscovery,
  shouldStartOAuth,
  type AfterDiscovery,
  type AuthType,
  type ConnectAttempt,
  type RequestFailure,
  type StartDecision,
} from './auth';
export { DEFAULT_OAUTH_SETTINGS, clientMetadataUrlProblem, parseOAuthSettings, parseScopeList, type OAuthSettings } from './auth-settings';
export { GUIDED_STEP_TITLES, guidedState, guidedStepsFor, nextGuidedStep, parseGuidedStepRequest, runGuidedStep } from './auth-guided';
export {
  answerElsewhere,
  INSTANCE_STOPPED,
  orphanEventsAnswer,
  orphanReconnectAnswer,
  orphanSummary,
  orphanSummaryAnswer,
  type OrphanHandler,
} from './elsewhere';
export { completeAuthorization, type CallbackOutcome, type CallbackDeps } from './auth-callback';
export { loadSessionSkill, parseSkillLoad, sessionSkills, type SkillList, type SkillLoadResult } from './skills';
