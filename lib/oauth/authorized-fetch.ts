// A fetch that carries the flow's access token. When the server says the token is no longer good (HTTP 401,
// or a JSON-RPC error -32001 in a JSON answer, as seed 004 does), it refreshes once and sends the request once
// more. When the server says the token lacks a scope (403 insufficient_scope / scope_required), it prepares
// the step-up authorization and throws an `insufficient_scope` error carrying its URL. When the token cannot be
// renewed (no refresh token, or the refresh refused), the server may have moved to another authorization server:
// discovery runs again (SEP-2352) so the next authorization goes to, and registers with, the one it names now.
import { mediaType, type TraceLog } from '../trace';
import { bearerChallenge, parseScopes } from './decisions';
import { OAuthFlowError, readOAuthErrorBody } from './errors';
import type { AuthorizationRequest } from './flow';
import { isJsonObject } from '../json';

/** The part of OAuthClientFlow this wrapper uses. */
export interface BearerTokenSource {
  readonly log: TraceLog;
  getAccessToken(): Promise<string>;
  refresh(): Promise<unknown>;
  stepUp(requiredScope: string | readonly string[]): Promise<AuthorizationRequest>;
  /** Discovery again, from the refusal's challenge; says whether the authorization server changed. */
  rediscover(wwwAuthenticate: string | null): Promise<Rediscovery>;
  /**
   * The headers that carry the token for one request: `Authorization: Bearer …`, or for a DPoP-bound token
   * `Authorization: DPoP …` and a fresh `DPoP` proof for this method and URL (RFC 9449). Without it, Bearer.
   */
  requestCredentials?(method: string, url: string): Promise<{ authorization: string; dpop?: string }>;
  /** Sees every answer (a DPoP nonce may ride on any of them); true when it is a DPoP nonce challenge. */
  observeResponse?(response: Response, url: string): boolean;
}

/** What discovering again found, compared with before. */
export interface Rediscovery {
  changed: boolean;
  issuer: string;
  previousIssuer?: string;
}

/** A refresh that failed with one of these leaves a dead token: the person must authorize again. */
const DEAD_TOKEN_CODES = new Set(['reauthorization_required', 'authorization_required']);

/** The JSON-RPC code some servers use for "access token expired" (seed 004). */
export const TOKEN_EXPIRED_RPC_CODE = -32001;

const SCOPE_ERRORS = new Set(['insufficient_scope', 'scope_required']);

export function authorizedFetch(baseFetch: typeof fetch, flow: BearerTokenSource): typeof fetch {
  const send = async (
    input: RequestInfo | URL,
    init: RequestInit | undefined,
  ): Promise<{ response: Response; nonceChallenge: boolean }> => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const credentials = flow.requestCredentials
      ? await flow.requestCredentials(method, url)
      : { authorization: `Bearer ${await flow.getAccessToken()}` };
    headers.set('authorization', credentials.authorization);
    if (credentials.dpop) headers.set('dpop', credentials.dpop);
    const response = await baseFetch(input, { ...init, headers });
    return { response, nonceChallenge: flow.observeResponse?.(response, url) ?? false };
  };
  /** One request, made again once with a fresh proof when the server asks for a DPoP nonce (RFC 9449 §9). */
  const attempt = async (input: RequestInfo | URL, init: RequestInit | undefined): Promise<Response> => {
    // A Request's body can be read once: each attempt gets its own copy. (String bodies, which the SDK sends, resend as is.)
    const copy = () => (input instanceof Request ? input.clone() : input);
    const first = await send(copy(), init);
    if (!first.nonceChallenge) return first.response;
    await first.response.body?.cancel().catch(() => undefined);
    flow.log.finding(
      'info',
      'dpop_nonce',
      'The server asked for a DPoP nonce (use_dpop_nonce); mcpscope signs a new proof with it and sends the request once more (RFC 9449 §9).',
    );
    return (await send(copy(), init)).response;
  };
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const spare = input instanceof Request ? input.clone() : input;
    const first = await attempt(input, init);
    const expired = await tokenRejection(first);
    if (expired) {
      await first.body?.cancel().catch(() => undefined);
      if (expired === 'jsonrpc') {
        flow.log.finding(
          'info',
          'token_expired_jsonrpc',
          `The server answered JSON-RPC error ${TOKEN_EXPIRED_RPC_CODE} (its way of saying the access token expired); mcpscope refreshes the token and sends the request once more.`,
        );
      }
      try {
        await flow.refresh();
      } catch (error) {
        if (!(error instanceof OAuthFlowError) || !DEAD_TOKEN_CODES.has(error.code)) throw error;
        throw await afterDeadToken(flow, first.headers.get('www-authenticate'), error);
      }
      const retry = await attempt(spare, init);
      // A fresh token refused too: the old authorization server may still refresh while the server trusts a new one.
      if (retry.status === 401) {
        const moved = await afterDeadToken(flow, retry.headers.get('www-authenticate'), undefined);
        if (moved) {
          await retry.body?.cancel().catch(() => undefined);
          throw moved;
        }
      }
      return retry;
    }
    if (first.status === 403) {
      const demand = await scopeDemand(first, flow.log);
      if (demand) {
        await first.body?.cancel().catch(() => undefined);
        if (demand.scopes.length === 0) {
          throw new OAuthFlowError(
            'insufficient_scope',
            `The server refused the call for lack of scope (${demand.error}) but did not say which scope it needs; add it to the scopes and authorize again.`,
            { status: 403, oauthError: demand.error, requiredScopes: [] },
          );
        }
        const request = await flow.stepUp(demand.scopes);
        throw new OAuthFlowError(
          'insufficient_scope',
          `The server requires the scope ${demand.scopes.join(' ')}, which the current token lacks (${demand.error}); authorize again to grant ${request.scopes.join(' ')}.`,
          { status: 403, oauthError: demand.error, requiredScopes: demand.scopes, authorizationUrl: request.authorizationUrl },
        );
      }
    }
    return first;
  }) as typeof fetch;
}

/**
 * The token is refused and cannot be renewed. SEP-2352: the server may now name another authorization server,
 * whose client registration and tokens are not the old one's; discovery runs again so the authorization the
 * person is asked for goes there. The error says which case it is.
 */
async function afterDeadToken(flow: BearerTokenSource, wwwAuthenticate: string | null, refused: OAuthFlowError): Promise<OAuthFlowError>;
async function afterDeadToken(
  flow: BearerTokenSource,
  wwwAuthenticate: string | null,
  refused: undefined,
): Promise<OAuthFlowError | undefined>;
async function afterDeadToken(
  flow: BearerTokenSource,
  wwwAuthenticate: string | null,
  refused: OAuthFlowError | undefined,
): Promise<OAuthFlowError | undefined> {
  const found = await flow.rediscover(wwwAuthenticate);
  if (!found.changed) return refused;
  return new OAuthFlowError(
    'reauthorization_required',
    `The server no longer accepts the access token and now names ${found.issuer} as its authorization server instead of ${found.previousIssuer} (SEP-2352): authorize again there; mcpscope uses a client of ${found.issuer}'s own, never the one registered at ${found.previousIssuer}.`,
    { status: 401, ...(refused ? { cause: refused } : {}) },
  );
}

/** `401` for an HTTP 401, `jsonrpc` for a JSON answer carrying error -32001, else undefined. */
async function tokenRejection(response: Response): Promise<'401' | 'jsonrpc' | undefined> {
  if (response.status === 401) return '401';
  if (!isJson(response) || response.status >= 500) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await response.clone().text());
  } catch {
    return undefined;
  }
  const messages = Array.isArray(parsed) ? parsed : [parsed];
  const hit = messages.some((m) => {
    const error = isJsonObject(m) ? m.error : undefined;
    return isJsonObject(error) && error.code === TOKEN_EXPIRED_RPC_CODE;
  });
  return hit ? 'jsonrpc' : undefined;
}

/** What a 403 says about scope, from its WWW-Authenticate challenge or its JSON body. */
async function scopeDemand(response: Response, log: TraceLog): Promise<{ error: string; scopes: string[] } | undefined> {
  const challenge = bearerChallenge(response.headers.get('www-authenticate'));
  if (challenge.error && SCOPE_ERRORS.has(challenge.error)) {
    return { error: challenge.error, scopes: parseScopes(challenge.scope) };
  }
  if (!isJson(response)) return undefined;
  let text: string;
  try {
    text = await response.clone().text();
  } catch {
    return undefined;
  }
  const body = readOAuthErrorBody(text);
  if (!body.error || !SCOPE_ERRORS.has(body.error)) return undefined;
  if (body.misspelledKey) {
    log.finding(
      'warning',
      'oauth_error_misspelled_key',
      `The server's error body names its message "${body.misspelledKey}" instead of "message" or "error_description"; mcpscope read it anyway.`,
    );
  }
  let scopes: string[] = [];
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const named = json.scope ?? json.required_scope ?? json.required_scopes ?? json.scopes;
    scopes = parseScopes(typeof named === 'string' || Array.isArray(named) ? (named as string | string[]) : undefined);
  } catch {
    // already parsed once by readOAuthErrorBody; unreachable in practice
  }
  return { error: body.error, scopes };
}

function isJson(response: Response): boolean {
  return /[/+]json$/.test(mediaType(response.headers.get('content-type')));
}

/** The last authentication challenge a server answered with. */
export interface AuthChallengeSeen {
  url: string;
  status: 401 | 403;
  wwwAuthenticate: string | null;
}

/**
 * Wraps a fetch to remember the last 401/403 and its `WWW-Authenticate` header, which the SDK's transport does
 * not hand back: the engine reads it after a connection fails with 401 and starts the OAuth flow from it.
 */
export function watchAuthChallenges(baseFetch: typeof fetch): { fetch: typeof fetch; last(): AuthChallengeSeen | undefined } {
  let last: AuthChallengeSeen | undefined;
  const watching = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await baseFetch(input, init);
    if (response.status === 401 || response.status === 403) {
      last = {
        url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
        status: response.status,
        wwwAuthenticate: response.headers.get('www-authenticate'),
      };
    }
    return response;
  }) as typeof fetch;
  return { fetch: watching, last: () => last };
}
