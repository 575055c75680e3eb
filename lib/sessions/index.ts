// Live sessions: ownership (cookie), limits, idle expiry, and the helpers the API routes are built from.
export { SessionRegistry, getRegistry, type Session, type CreateOutcome, type RegistryOptions } from './registry';
export { SessionError, statusForCode, type SessionErrorCode } from './errors';
export { OWNER_COOKIE, newOwnerId, ownerCookie, readOwner, resolveOwner } from './owner';
export { parseCancelRequest, parseCreateSession, parseRpcRequest, type ValidatedCreate } from './validate';
export {
  EVENT_STREAM_HEADERS,
  KEEP_ALIVE_MS,
  createEventStream,
  formatSummaryFrame,
  formatTraceFrame,
  replayStart,
  type EventStreamSource,
} from './events';
export { errorResponse, findSession, fromError, json, notFound, readJson } from './http';
