// OAuth failures as a code a program can branch on and a sentence a person can act on. Authorization servers
// explain themselves in `error` / `error_description`, and some in other keys (`message`, seed 004's misspelled
// `messsage`): all are read, and the explanation says what the code usually means.
import type { TraceError } from '../trace';
import type { CheckRefusal } from './tolerate';

export type OAuthFlowErrorCode =
  /** No token for this server yet: run the authorization flow. */
  | 'authorization_required'
  /** The token expired and could not be refreshed (refresh refused, no refresh token): authorize again. */
  | 'reauthorization_required'
  /** The server wants a scope the token lacks; `requiredScopes` and `authorizationUrl` say what and where. */
  | 'insufficient_scope'
  | 'discovery_failed'
  | 'unsupported_server'
  | 'client_required'
  | 'registration_failed'
  | 'invalid_state'
  | 'state_expired'
  | 'authorization_denied'
  /** The authorization server shows a page that needs a person (login, consent): open the URL in a browser. */
  | 'interaction_required'
  | 'token_request_failed'
  | 'insecure_endpoint'
  /**
   * A URL from the server or its metadata that mcpscope would send a browser to or fetch is not https (or http
   * where allowed): javascript:, data:, file:, relative... (lib/url-policy). Refused, with a finding.
   */
  | 'unsafe_url'
  /** RFC 8414 §3.3: the metadata's issuer is not the URL it was fetched for (`refusal` has both). */
  | 'issuer_mismatch'
  /** RFC 9728 §3.3: the protected resource metadata describes another resource (`refusal` has both). */
  | 'resource_mismatch'
  /** RFC 9207: the authorization response's `iss` is missing or names another issuer (`refusal` has both). */
  | 'iss_mismatch'
  | 'invalid_response'
  /**
   * Nothing says the server speaks OAuth (a 401 with no challenge, no metadata, no default endpoints): it wants a
   * token or an API key header the person has to add.
   */
  | 'credentials_required'
  | 'network_error';

export interface OAuthFlowErrorDetails {
  status?: number;
  /** The server's own `error` value, e.g. `invalid_grant`. */
  oauthError?: string;
  requiredScopes?: string[];
  authorizationUrl?: string;
  /** A check the flow refused (by default) and a person may tolerate for a session. */
  refusal?: CheckRefusal;
  cause?: unknown;
}

export class OAuthFlowError extends Error {
  readonly code: OAuthFlowErrorCode;
  readonly status?: number;
  readonly oauthError?: string;
  readonly requiredScopes?: string[];
  readonly authorizationUrl?: string;
  readonly refusal?: CheckRefusal;

  constructor(code: OAuthFlowErrorCode, message: string, details: OAuthFlowErrorDetails = {}) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = 'OAuthFlowError';
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.oauthError !== undefined) this.oauthError = details.oauthError;
    if (details.requiredScopes !== undefined) this.requiredScopes = details.requiredScopes;
    if (details.authorizationUrl !== undefined) this.authorizationUrl = details.authorizationUrl;
    if (details.refusal !== undefined) this.refusal = details.refusal;
  }

  toTraceError(): TraceError {
    return { code: this.code, message: this.message };
  }
}

export function isOAuthFlowError(value: unknown): value is OAuthFlowError {
  return value instanceof OAuthFlowError;
}

/** What an error body said, whatever keys it used. */
export interface OAuthErrorBody {
  error?: string;
  description?: string;
  /** Set when the text came from a misspelled key (seed 004 sends `messsage`). */
  misspelledKey?: string;
}

const DESCRIPTION_KEYS = ['error_description', 'message', 'detail', 'error_message'] as const;
/** Keys that are near-misses of `message`, seen in the wild. */
const MISSPELLED_KEYS = ['messsage', 'mesage', 'massage'] as const;

/** Reads an error response body (JSON or form-encoded); tolerates shapes like `{error: {code, message}}`. */
export function readOAuthErrorBody(text: string | undefined): OAuthErrorBody {
  if (!text) return {};
  const trimmed = text.trim();
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch {
    if (/^[\w.-]+=[^&]*(&[\w.-]+=[^&]*)*$/.test(trimmed)) {
      const form = new URLSearchParams(trimmed);
      return definedOnly({ error: form.get('error') ?? undefined, description: form.get('error_description') ?? undefined });
    }
    return {};
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
  const record = data as Record<string, unknown>;
  const out: OAuthErrorBody = {};
  const nested = record.error;
  if (typeof nested === 'string') out.error = nested;
  else if (typeof nested === 'object' && nested !== null) {
    const inner = nested as Record<string, unknown>;
    if (typeof inner.code === 'string') out.error = inner.code;
    if (typeof inner.message === 'string') out.description = inner.message;
  }
  if (out.description === undefined) {
    for (const key of DESCRIPTION_KEYS) {
      if (typeof record[key] === 'string' && record[key]) {
        out.description = record[key] as string;
        break;
      }
    }
  }
  if (out.description === undefined) {
    for (const key of MISSPELLED_KEYS) {
      if (typeof record[key] === 'string' && record[key]) {
        out.description = record[key] as string;
        out.misspelledKey = key;
        break;
      }
    }
  }
  if (out.error === undefined && typeof record.code === 'string') out.error = record.code;
  return out;
}

/** What each standard error code usually means for the person looking at the flow. */
const HINTS: Record<string, string> = {
  invalid_request: 'The request was malformed or lacked a parameter this server requires.',
  invalid_client:
    'The server does not accept this client: the client ID is unknown there, or the client secret or authentication method is wrong.',
  invalid_grant:
    'The authorization code or refresh token is expired, revoked, already used, or was issued to another client or redirect URI.',
  unauthorized_client: 'This client is not allowed to use this grant type at this server.',
  unsupported_grant_type: 'The server does not support this grant type.',
  invalid_scope: 'The server does not accept one of the requested scopes; edit the scopes and try again.',
  invalid_target: 'The server does not accept the `resource` indicator that was sent (RFC 8707).',
  invalid_redirect_uri:
    'The server does not allow this redirect URI. Some servers only accept http://localhost:<port>/callback: set PUBLIC_URL to such an origin, or ask the server owner to allow the URI.',
  invalid_client_metadata: 'The server rejected the client registration metadata.',
  access_denied: 'The user or the server declined the authorization request.',
  temporarily_unavailable: 'The server is temporarily unable to handle the request; try again shortly.',
  server_error: 'The server failed while handling the request.',
  scope_required: 'The token lacks a scope this call needs; authorize again with the additional scope.',
  insufficient_scope: 'The token lacks a scope this call needs; authorize again with the additional scope.',
  invalid_token: 'The server no longer accepts the access token (expired or revoked).',
};

/**
 * One explanation: what failed, what the server said, and what that usually means.
 * `what` names the step, e.g. "The token endpoint refused the authorization code".
 */
export function explainOAuthError(what: string, status: number | undefined, body: OAuthErrorBody, extraHint?: string): string {
  const said: string[] = [];
  if (status !== undefined) said.push(`HTTP ${status}`);
  if (body.error) said.push(body.error);
  let message = said.length > 0 ? `${what} (${said.join(', ')})` : what;
  if (body.description) message += `: ${body.description.trim().replace(/\.?$/, '.')}`;
  else message += '.';
  const hint = body.error ? HINTS[body.error] : undefined;
  if (hint) message += ` ${hint}`;
  if (extraHint) message += ` ${extraHint}`;
  return message;
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
