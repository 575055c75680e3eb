// The HTTP API's auth shapes: OAuth state of a session, the guided flow, stored tokens. Plain types only (the
// browser imports them); nothing here ever holds a token, secret, code or verifier in clear.
import type { JwtNote } from '../trace/types';

/**
 * `authorization_code`: a person signs in. Without a person: `client_credentials`; `jwt_bearer` with an assertion
 * (a workload's identity token, SEP-1933); `id_jag`: the person's enterprise ID token exchanged at their identity
 * provider for an ID-JAG, then the jwt-bearer grant (SEP-990).
 */
export type OAuthGrant = 'authorization_code' | 'client_credentials' | 'jwt_bearer' | 'id_jag';

/** `id_jag`: where and as whom the ID token is exchanged for an ID-JAG. */
export interface EnterpriseIdpSettings {
  tokenEndpoint: string;
  /** The person's OpenID Connect ID token (a secret: masked everywhere, never sent back). */
  idToken: string;
  clientId: string;
  clientSecret?: string;
}

/** What a person has to do before the session can (fully) work again. */
export type AuthNeed =
  /** No token yet: authorize at the authorization server. */
  | 'authorize'
  /** The token expired and could not be refreshed: authorize again (the session and its log stay). */
  | 'reauthorize'
  /** The server wants a scope the token lacks: authorize again with the union of scopes. */
  | 'step_up';

/** Part of the session summary: how the session authenticates and whether it waits for a person. */
export interface SessionAuthSummary {
  type: 'none' | 'bearer' | 'oauth';
  /** True once the session sends OAuth access tokens. */
  usesTokens?: boolean;
  needed?: AuthNeed;
  /** For step-up: the scopes the server named. */
  requiredScopes?: string[];
  /** The OAuth failure behind `needed`, in the flow's words (e.g. `client_required`, `reauthorization_required`). */
  error?: { code: string; message: string };
  /** The person steps through the flow one request at a time (`/inspect/:id/oauth`). */
  guided?: boolean;
  grant?: OAuthGrant;
  /**
   * A check the flow refused (by default): the rule, what it expected and what the server sent. The person may
   * continue anyway for this session (`POST /api/sessions/:id/reconnect` with `{tolerate: [check]}`).
   */
  refusal?: CheckRefusalView;
  /** Checks this session goes past, as the person asked (each logged as a finding when it happens). */
  tolerated?: string[];
}

/** A refused identity check, as the API shows it (see lib/oauth/tolerate). */
export interface CheckRefusalView {
  /** `issuer_mismatch`, `resource_mismatch` or `iss_mismatch`: the name `tolerate` takes. */
  check: string;
  rule: string;
  expected: string;
  received: string;
}

/** `POST /api/sessions/:id/reconnect` body (optional). */
export interface ReconnectRequest {
  /** Checks to go past for this session from now on (a refused one the person chose to continue past). */
  tolerate?: string[];
}

/** A stored access token as a person may see it: masked to its last 4 characters. */
export interface MaskedToken {
  resource: string;
  issuer?: string;
  clientId?: string;
  tokenType: string;
  scopes: string[];
  /** e.g. `••••a1b2` */
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt?: number;
  expired: boolean;
  updatedAt: number;
}

/** `GET /api/tokens` */
export interface TokenListResponse {
  tokens: MaskedToken[];
}

/** `DELETE /api/tokens[?resource=]` and `DELETE /api/sessions/:id/auth` */
export interface ForgetTokensResponse {
  forgotten: number;
}

/** `POST /api/sessions/:id/auth/start`: start (or restart) OAuth for a session, on request. */
export interface StartAuthRequest {
  grant?: OAuthGrant;
  clientId?: string;
  clientSecret?: string;
  /** A private key (PEM or JWK JSON) instead of a secret: `private_key_jwt`. */
  clientKey?: string;
  clientKeyAlg?: string;
  clientMetadataUrl?: string;
  scopes?: string[];
  guided?: boolean;
  /** Checks to go past for this session (see `SessionAuthSummary.refusal`). */
  tolerate?: string[];
}

/** `GET /api/sessions/:id/auth` */
export interface AuthStatus {
  auth: SessionAuthSummary;
  authorizationUrl?: string;
  /** What discovery found, once it ran. */
  discovery?: { issuer: string; resource: string; metadataKind: string; resourceMetadataUrl?: string; metadataUrl?: string };
  client?: { clientId: string; authMethod: string; source: string; hasSecret: boolean };
  redirectUri?: string;
  /** The token this session uses, masked. */
  token?: MaskedToken;
}

/** `POST /api/sessions/:id/auth/refresh`: the refresh token was traded for a new access token just now. */
export interface RefreshTokenResponse {
  token: MaskedToken;
}

/**
 * `POST /api/sessions/:id/auth/authorize`: authorize again with the session's client. With `scopes`, a step-up:
 * the scopes held or asked before plus these (a refresh cannot widen a grant).
 */
export interface AuthorizeAgainRequest {
  scopes?: string[];
}

/**
 * `redirect`: send the browser to `authorizationUrl` (the session stays as it is until the callback).
 * `token`: the client credentials grant ran at once (no browser involved).
 */
export type AuthorizeAgainResponse =
  { kind: 'redirect'; authorizationUrl: string; scopes: string[] } | { kind: 'token'; token: MaskedToken };

// -------------------------------------------------------------------------------------------------
// Guided mode: the same flow, one request at a time.

export type GuidedStepId = 'discovery' | 'client' | 'authorize' | 'token' | 'connect';

export type GuidedStepStatus = 'pending' | 'ready' | 'waiting' | 'done' | 'failed';

/** One request the next step will send, as it will be sent (secrets masked). */
export interface PlannedRequest {
  method: string;
  url: string;
  /** Query or form parameters, in order. */
  params?: Array<[string, string]>;
  headers?: Array<[string, string]>;
  /** A JSON body, pretty-printed. */
  body?: string;
  /** Why or when it is sent (e.g. "only if the first URL has nothing"). */
  note?: string;
}

/** One HTTP exchange the step made, from the session log (already masked). */
export interface StepExchange {
  method: string;
  url: string;
  /** Request headers that carry a JWT (`DPoP`), masked as the log holds them (header and claims, no signature). */
  jwtHeaders?: Array<[string, string]>;
  status?: number;
  error?: string;
  requestBody?: string;
  responseBody?: string;
}

export interface GuidedStep {
  id: GuidedStepId;
  title: string;
  status: GuidedStepStatus;
  /** What the step will do, before it runs (for the next step). */
  explanation?: string;
  planned?: PlannedRequest[];
  /** After it ran: one line on the outcome, the exchanges, and the facts it learned. */
  outcome?: string;
  error?: { code: string; message: string };
  /**
   * The step stopped at an identity check (the rule, what was expected, what the server sent). Running the step
   * again with `settings.tolerate: [check]` goes past it for this session (a finding; `iss_mismatch`: from the
   * authorize step, since the code is spent).
   */
  refusal?: CheckRefusalView;
  exchanges?: StepExchange[];
  /** JWTs the step made or sent (client assertions, ID-JAGs...), decoded, as its findings recorded them. */
  jwts?: JwtNote[];
  facts?: Array<[string, string]>;
}

/** Settings a person may change between steps. */
export interface GuidedSettings {
  grant: OAuthGrant;
  clientId?: string;
  hasClientSecret: boolean;
  clientMetadataUrl?: string;
  scopes: string[];
  /** Where the default scopes came from. */
  scopeSource?: string;
  /** How the client authenticates at the token endpoint once chosen (e.g. `private_key_jwt`). */
  clientAuthMethod?: string;
  /** The checks this session goes past, as the person chose. */
  tolerated?: string[];
}

/** `GET /api/sessions/:id/auth/guided` and the answer to each step. */
export interface GuidedState {
  sessionId: string;
  serverUrl: string;
  redirectUri: string;
  steps: GuidedStep[];
  /** The step that runs next, when one can. */
  next?: GuidedStepId;
  settings: GuidedSettings;
  /** After the authorize step: open this in the browser. */
  authorizationUrl?: string;
  /** The callback arrived and its code waits for the token step. */
  callbackReceived: boolean;
  finished: boolean;
}

/** `POST /api/sessions/:id/auth/guided`: run the next step with these settings. */
export interface GuidedStepRequest {
  step: GuidedStepId;
  settings?: {
    grant?: OAuthGrant;
    clientId?: string | null;
    /** Omitted: keep the current secret. Empty string or null: none. */
    clientSecret?: string | null;
    clientMetadataUrl?: string | null;
    scopes?: string[];
    /** "Continue anyway for this session" past refused identity checks (each logged as a finding). */
    tolerate?: string[];
  };
}
