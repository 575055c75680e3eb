// The HTTP API's request and response shapes (DESIGN.md § HTTP API). Shared by the route handlers and
// the browser, so both sides agree at compile time. Request bodies are zod schemas (./requests) with their types
// derived from them. Safe to import anywhere (types, constants, zod).
import type { ProtocolEraName, TraceError } from '../trace/types';
import type { EnterpriseIdpSettings, OAuthGrant, SessionAuthSummary } from './auth';
import type { CommandSummary } from './stdio';

export type * from './auth';
export * from './requests';
export * from './sessions';
export { appLogRequestSchema, type AppLogRequest, type AppSandboxInfo } from './apps';
export * from './stdio';
export * from './server-timing';

export type TransportChoice = 'auto' | 'streamable-http' | 'sse';

/**
 * `POST /api/sessions`. A URL target by default; `kind: "command"` starts a local stdio server instead (the body then
 * holds `command`, `args`, `env`, `cwd` as in `CommandTarget`, plus `timeouts` and `wait`; see lib/contract/stdio.ts).
 */
export interface CreateSessionRequest {
  kind?: 'url';
  url: string;
  transport?: TransportChoice;
  headers?: Record<string, string>;
  auth?: {
    type: 'none' | 'bearer' | 'oauth';
    token?: string;
    scopes?: string[];
    clientId?: string;
    clientSecret?: string;
    /** OAuth: the pre-registered client's private key (PEM or JWK as JSON): `private_key_jwt` instead of a secret. */
    clientKey?: string;
    /** OAuth: the key's JWS algorithm (default from the key: ES256/ES384/ES512, RS256, EdDSA). */
    clientKeyAlg?: string;
    /** OAuth: an https URL used as the client ID (a client ID metadata document). */
    clientMetadataUrl?: string;
    /**
     * OAuth: `authorization_code` (default: a person signs in), `client_credentials` (machine to machine),
     * `jwt_bearer` (with `assertion`: a workload identity token) or `id_jag` (with `idp`: enterprise-managed).
     */
    grant?: OAuthGrant;
    /** `jwt_bearer`: the signed assertion to trade for a token (RFC 7523). */
    assertion?: string;
    /** `id_jag`: the identity provider's token endpoint, the person's ID token, and this client there. */
    idp?: EnterpriseIdpSettings;
    /** OAuth: step through the flow one request at a time (`/api/sessions/:id/auth/guided`). */
    guided?: boolean;
    /**
     * OAuth: checks refused by default that this session goes past, knowingly: `issuer_mismatch` (RFC 8414 §3.3),
     * `resource_mismatch` (RFC 9728 §3.3), `iss_mismatch` (RFC 9207). Each is a finding when it happens.
     */
    tolerate?: string[];
  };
  /**
   * Per-session timeouts in milliseconds (defaults: connect 15 s, request 60 s, answer 5 min: how long a
   * server's elicitation or sampling request waits for the person before it is answered with an error;
   * requestMax 10 min: the most one request may take in all, even while the server reports progress).
   */
  timeouts?: { connectMs?: number; requestMs?: number; answerMs?: number; requestMaxMs?: number };
  /**
   * `true` (default): answer when connecting is over (201 connected or auth_required, or an error with the
   * session's id). `false`: answer `202 {id, state: "connecting"}` as soon as the session exists and connect in
   * the background; follow it on `GET /api/sessions/:id/events` (or poll `GET /api/sessions/:id`). The header
   * `Prefer: respond-async` asks the same when the body does not say.
   */
  wait?: boolean;
}

/** `Prefer` token (RFC 7240) that asks `POST /api/sessions` to answer before connecting is over. */
export const PREFER_RESPOND_ASYNC = 'respond-async';

export type SessionState = 'connecting' | 'connected' | 'auth_required' | 'failed' | 'closed';

/** How a connected session's server behaves now (lib/sessions/health.ts decides it from the wire). */
export type SessionHealthStatus = 'ok' | 'degraded' | 'session_lost';
/** `stream_lost`: the standing stream broke; `requests_failing`: requests get no answer or 5xx; `session_not_found`: 400/404 for its session id. */
export type SessionHealthCode = 'stream_lost' | 'requests_failing' | 'session_not_found' | 'process_exited';

export interface SessionHealth {
  status: SessionHealthStatus;
  code?: SessionHealthCode;
  /** What was seen, in a sentence. */
  reason?: string;
  /** When it went wrong (epoch ms). */
  since?: number;
  /** Requests that failed since the session was last healthy. */
  failures?: number;
  /** The standing stream is lost (stays degraded until it opens again or the session reconnects). */
  streamLost?: boolean;
}

export interface ServerSummary {
  name: string;
  version: string;
  title?: string;
  protocolVersion: string;
  era: ProtocolEraName;
  capabilities: Record<string, unknown>;
  instructions?: string;
}

export interface SessionSummary {
  id: string;
  state: SessionState;
  /** The server URL; for a stdio server, its command line (`command` has the parts). */
  url: string;
  /** `stdio` for a local server started from a command. */
  transport: TransportChoice | 'stdio';
  /** Set for a stdio server: the process mcpscope starts (environment variable names only, never values). */
  command?: CommandSummary;
  createdAt: number;
  server?: ServerSummary;
  /** Why the session failed or ended, when it did. */
  error?: TraceError;
  /**
   * What the wire says about the connection (set once a session has connected): `degraded` while the state is
   * still `connected`, `session_lost` when the server forgot the session (the state is then `closed`).
   */
  health?: SessionHealth;
  authorizationUrl?: string;
  /** Header names sent with every request (values never leave the server). */
  headerNames: string[];
  /** How the session authenticates, and what a person must do when it waits for authorization. */
  auth?: SessionAuthSummary;
  /**
   * Resource URIs the live connection gets `notifications/resources/updated` for (accepted `resources/subscribe`
   * calls; on 2026-07-28 the `subscriptions/listen` filter). After a reconnect they are subscribed to again.
   */
  resourceSubscriptions?: string[];
}

export interface ApiErrorBody {
  error: TraceError;
  /** When the failure happened inside a session (e.g. connect failed), its id: its log keeps what happened. */
  sessionId?: string;
}

/** `GET /api/sessions/:id/tools` */
export interface ToolListResponse {
  /** Exactly as the server listed them (MCP `Tool` objects). */
  tools: Array<{ name: string } & Record<string, unknown>>;
  /**
   * Tools mcpscope will not call, by name, with the reason (2026-07-28: invalid x-mcp-header declarations, which
   * SEP-2243 says a client MUST exclude). A call to one answers `400 tool_excluded` and sends nothing.
   */
  excluded?: Record<string, string>;
}

export type RpcResponseBody = { result: unknown } | { error: { code: number; message: string; data?: unknown } };

export const ERA_LABELS: Record<ProtocolEraName, string> = {
  'legacy-sse': 'Legacy HTTP+SSE (2024-11-05)',
  'stateful-2025': 'Streamable HTTP, stateful (2025)',
  'stateless-2026': 'Streamable HTTP, stateless (2026-07-28)',
};

/** The same, short: where the header is narrow (the long label goes into the title). */
export const ERA_SHORT_LABELS: Record<ProtocolEraName, string> = {
  'legacy-sse': 'Legacy SSE',
  'stateful-2025': 'Stateful 2025',
  'stateless-2026': 'Stateless 2026',
};
export * from './doctor';
export * from './servers';
