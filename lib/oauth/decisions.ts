// The flow's decisions as pure functions: which URL to try next, which scopes to ask for, how to authenticate
// the client. The flow calls these; the guided mode can show them before anything is sent.
import { buildDiscoveryUrls, computeScopeUnion, selectClientAuthMethod } from '@modelcontextprotocol/client';
import type { ClientAuthMethod } from '../store';
import { isSecretName } from '../trace';

export type { ClientAuthMethod };

// -------------------------------------------------------------------------------------------------
// WWW-Authenticate (RFC 9110 §11.6.1): several challenges, each a scheme with a token68 or auth-params.

export interface AuthChallenge {
  /** As sent, e.g. `Bearer`. */
  scheme: string;
  /** Parameter names lower-cased; quoted values unescaped. */
  params: Record<string, string>;
  token68?: string;
}

const TOKEN = /[^\s,="]+/y;

export function parseWwwAuthenticate(header: string | null | undefined): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  if (!header) return challenges;
  const s = header;
  let i = 0;
  let current: AuthChallenge | undefined;
  const skip = (chars: RegExp) => {
    while (i < s.length && chars.test(s[i])) i++;
  };
  const readToken = (): string => {
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(s);
    if (!m) return '';
    i = TOKEN.lastIndex;
    return m[0];
  };
  const readQuoted = (): string => {
    let out = '';
    i++; // opening quote
    while (i < s.length && s[i] !== '"') {
      if (s[i] === '\\' && i + 1 < s.length) i++;
      out += s[i++];
    }
    i++; // closing quote
    return out;
  };
  // True right after a scheme: a bare token there is its token68 (`Basic dXNlcg==`), not a new challenge.
  let afterScheme = false;
  while (i < s.length) {
    const before = i;
    skip(/[\s,]/);
    const sawComma = s.slice(before, i).includes(',');
    if (i >= s.length) break;
    const name = readToken();
    if (!name) {
      i++; // a stray character: step over it rather than loop
      continue;
    }
    const token68Here = afterScheme && !sawComma && current !== undefined;
    afterScheme = false;
    skip(/[ \t]/);
    if (s[i] === '=') {
      let eq = i;
      while (s[eq] === '=') eq++;
      let j = eq;
      while (j < s.length && /[ \t]/.test(s[j])) j++;
      const nothingFollows = j >= s.length || s[j] === ',';
      if (token68Here && (nothingFollows || eq - i > 1)) {
        (current as AuthChallenge).token68 = name + s.slice(i, eq);
        i = eq;
        continue;
      }
      if (!current) {
        i = eq; // a parameter before any scheme: ignore it
        continue;
      }
      i = j;
      const value = nothingFollows ? '' : s[i] === '"' ? readQuoted() : readToken();
      current.params[name.toLowerCase()] = value;
      continue;
    }
    if (token68Here) {
      (current as AuthChallenge).token68 = name;
      continue;
    }
    current = { scheme: name, params: {} };
    challenges.push(current);
    afterScheme = true;
  }
  return challenges;
}

export interface BearerChallenge {
  resourceMetadata?: string;
  scope?: string;
  error?: string;
  errorDescription?: string;
}

/** The parameters of the first `Bearer` (or `DPoP`) challenge. */
export function bearerChallenge(header: string | null | undefined): BearerChallenge {
  const challenge = parseWwwAuthenticate(header).find((c) => ['bearer', 'dpop'].includes(c.scheme.toLowerCase()));
  if (!challenge) return {};
  const out: BearerChallenge = {};
  const p = challenge.params;
  if (p.resource_metadata) out.resourceMetadata = p.resource_metadata;
  if (p.scope) out.scope = p.scope;
  if (p.error) out.error = p.error;
  if (p.error_description) out.errorDescription = p.error_description;
  return out;
}

// -------------------------------------------------------------------------------------------------
// Discovery URLs

/**
 * Where to look for protected resource metadata (RFC 9728), in order: the `resource_metadata` URL from the
 * 401 challenge, then the path-based well-known URL, then the root one.
 */
export function protectedResourceMetadataUrls(serverUrl: string, wwwAuthenticate?: string | null): string[] {
  const server = new URL(serverUrl);
  const urls: string[] = [];
  const fromChallenge = bearerChallenge(wwwAuthenticate).resourceMetadata;
  if (fromChallenge) {
    try {
      urls.push(new URL(fromChallenge, server).href);
    } catch {
      // an unusable URL in the header: fall through to the well-known ones
    }
  }
  const path = server.pathname.replace(/\/+$/, '');
  if (path) urls.push(`${server.origin}/.well-known/oauth-protected-resource${path}`);
  urls.push(`${server.origin}/.well-known/oauth-protected-resource`);
  return [...new Set(urls)];
}

export type MetadataKind = 'oauth' | 'oidc';

/**
 * Where to look for authorization server metadata, in order: RFC 8414 (`oauth-authorization-server`, path
 * inserted after the well-known prefix), then OpenID discovery with the path inserted, then OpenID discovery
 * appended to the issuer path (Keycloak's realms). Same order as the SDK walks.
 */
export function authorizationServerMetadataUrls(issuer: string): Array<{ url: string; kind: MetadataKind }> {
  return buildDiscoveryUrls(issuer).map(({ url, type }) => ({ url: url.href, kind: type }));
}

/** 2025-03-26 servers without metadata: the default endpoints at the server's origin. */
export function fallbackEndpoints(serverUrl: string): { issuer: string; authorization: string; token: string; registration: string } {
  const origin = new URL(serverUrl).origin;
  return { issuer: origin, authorization: `${origin}/authorize`, token: `${origin}/token`, registration: `${origin}/register` };
}

// -------------------------------------------------------------------------------------------------
// Scopes

export type ScopeSource = 'user' | 'challenge' | 'scopes_supported' | 'none';

export function parseScopes(value: string | readonly string[] | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  const parts = typeof value === 'string' ? value.split(/\s+/) : value.flatMap((v) => v.split(/\s+/));
  return [...new Set(parts.filter((p) => p.length > 0))];
}

/**
 * Which scopes to request: the user's own list when they gave one, else the `scope` of the 401 challenge,
 * else the protected resource's `scopes_supported`, else none (the server applies its default).
 * An empty user list counts as "not given".
 */
export function chooseScopes(input: {
  wwwAuthenticateScope?: string | null;
  scopesSupported?: readonly string[] | null;
  userScopes?: string | readonly string[] | null;
}): { scopes: string[]; source: ScopeSource } {
  const user = parseScopes(input.userScopes);
  if (user.length > 0) return { scopes: user, source: 'user' };
  const challenge = parseScopes(input.wwwAuthenticateScope);
  if (challenge.length > 0) return { scopes: challenge, source: 'challenge' };
  const supported = parseScopes(input.scopesSupported);
  if (supported.length > 0) return { scopes: supported, source: 'scopes_supported' };
  return { scopes: [], source: 'none' };
}

/** Step-up: everything held or asked for before, plus what the server now requires, each once, in order. */
export function unionScopes(...lists: Array<string | readonly string[] | null | undefined>): string[] {
  return parseScopes(computeScopeUnion(...lists.map((l) => parseScopes(l).join(' ') || undefined)));
}

// -------------------------------------------------------------------------------------------------
// Client identity

/**
 * How to authenticate at the token endpoint: `client_secret_basic`, else `client_secret_post`, when there is a
 * secret and the server supports it; `none` for public clients. A method the client registered with wins when
 * the server supports it. (The SDK's rule, so the token requests it sends agree with what is shown.)
 */
export function chooseClientAuth(
  tokenEndpointAuthMethodsSupported: readonly string[] | null | undefined,
  hasSecret: boolean,
  registeredMethod?: string,
): ClientAuthMethod {
  return selectClientAuthMethod(
    {
      client_id: 'client',
      ...(hasSecret ? { client_secret: 'secret' } : {}),
      ...(registeredMethod ? { token_endpoint_auth_method: registeredMethod } : {}),
    },
    [...(tokenEndpointAuthMethodsSupported ?? [])],
  );
}

/** What to ask for when registering dynamically: a public client (`none`) whenever the server allows it. */
export function registrationAuthMethod(tokenEndpointAuthMethodsSupported: readonly string[] | null | undefined): ClientAuthMethod {
  const methods = tokenEndpointAuthMethodsSupported ?? [];
  if (methods.length === 0 || methods.includes('none')) return 'none';
  if (methods.includes('client_secret_basic')) return 'client_secret_basic';
  if (methods.includes('client_secret_post')) return 'client_secret_post';
  return 'client_secret_basic';
}

/** Which client identity the flow uses, and why (the flow acts on it; guided mode shows it before). */
export type ClientChoice =
  | { kind: 'pre-registered'; clientId: string; hasSecret: boolean }
  /** `given`: the person's URL (used even when the server does not advertise support); else mcpscope's own. */
  | { kind: 'metadata-document'; url: string; given: boolean; advertised: boolean }
  | { kind: 'remembered'; clientId: string; authMethod: ClientAuthMethod }
  | { kind: 'register'; endpoint: string }
  /** Nothing works without a client registered by hand. */
  | { kind: 'needs-pre-registration' };

/**
 * The one order both the flow and guided mode follow: what the person configured wins (a pre-registered client,
 * then a client metadata URL they gave), then a registration remembered at this authorization server for this
 * redirect URI, then mcpscope's own metadata document where the server fetches them, then dynamic registration.
 * A given metadata URL must already be valid (https with a path); the settings parser checks that.
 */
export function chooseClientIdentity(input: {
  preRegistered?: { clientId: string; hasSecret: boolean };
  givenMetadataUrl?: string;
  remembered?: { clientId: string; authMethod: ClientAuthMethod };
  ownMetadataUrl?: string;
  metadataDocumentSupported?: boolean;
  registrationEndpoint?: string;
}): ClientChoice {
  if (input.preRegistered) return { kind: 'pre-registered', ...input.preRegistered };
  const advertised = input.metadataDocumentSupported === true;
  if (input.givenMetadataUrl) return { kind: 'metadata-document', url: input.givenMetadataUrl, given: true, advertised };
  if (input.remembered) return { kind: 'remembered', ...input.remembered };
  if (canUseClientMetadataDocument(input.metadataDocumentSupported, input.ownMetadataUrl)) {
    return { kind: 'metadata-document', url: input.ownMetadataUrl, given: false, advertised };
  }
  if (input.registrationEndpoint) return { kind: 'register', endpoint: input.registrationEndpoint };
  return { kind: 'needs-pre-registration' };
}

/**
 * A client ID metadata document can be used when the server says it fetches them and the document has an
 * https URL the server can reach (the app's own, when its public URL is https; or one the user gave).
 */
export function canUseClientMetadataDocument(
  clientIdMetadataDocumentSupported: boolean | undefined,
  documentUrl: string | undefined,
): documentUrl is string {
  if (clientIdMetadataDocumentSupported !== true || !documentUrl) return false;
  try {
    const url = new URL(documentUrl);
    return url.protocol === 'https:' && url.pathname !== '/';
  } catch {
    return false;
  }
}

// -------------------------------------------------------------------------------------------------
// URLs and time

/** `<public origin>/callback` */
export function redirectUriFor(publicOrigin: string): string {
  return `${new URL(publicOrigin).origin}/callback`;
}

/**
 * The MCP server URL as a resource indicator (RFC 8707): scheme and host lower-cased, default port and
 * fragment dropped, no trailing slash. Query parameters with a secret name (`?api_key=`) are dropped too: the
 * indicator names the server to the authorization server (and travels in the browser's address bar), and a
 * credential that was part of the typed URL is not part of the server's name.
 */
export function canonicalResourceUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.hash = '';
  const credentials = [...new Set(url.searchParams.keys())].filter((name) => isSecretName(name, 'param'));
  for (const name of credentials) url.searchParams.delete(name);
  let href = url.href;
  if (url.search === '' && href.endsWith('/')) href = href.slice(0, -1);
  return href;
}

/**
 * True when a token expiring at `expiresAt` should be refreshed now: it is within `skewMs` of expiry. For
 * tokens that live barely longer than that (given `issuedAt`), the window shrinks to half their lifetime, so a
 * 30-second token is used for 15 seconds rather than refreshed before every request.
 */
export function isExpiring(expiresAt: number | undefined, now: number, skewMs = 60_000, issuedAt?: number): boolean {
  if (expiresAt === undefined) return false;
  const lifetime = issuedAt !== undefined ? expiresAt - issuedAt : Number.POSITIVE_INFINITY;
  const window = Math.min(skewMs, Math.max(0, lifetime / 2));
  return expiresAt - now <= window;
}
