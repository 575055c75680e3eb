// What the Authorization panel says about a session, derived from its summary, its auth status and its log. Pure,
// so the wording can be tested without a browser. Nothing here ever holds a credential in clear: the API sends
// tokens masked and header values never; the log masked them at capture.
import type { AuthStatus, MaskedToken, SessionSummary } from '@/lib/contract';
import type { HeaderList } from '@/lib/trace/types';
import type { ExchangeView, PhaseView } from '../log-store';

export type AuthMethodKind = 'none' | 'bearer' | 'headers' | 'oauth';

export interface AuthMethod {
  kind: AuthMethodKind;
  /** A badge's words. */
  label: string;
  /** One sentence on what mcpscope sends. */
  explanation: string;
}

const AUTHORIZATION = 'authorization';

/** How the session authenticates: OAuth once a flow runs (or was asked for), else the credentials typed at connect. */
export function authMethodOf(summary: SessionSummary, status: AuthStatus | undefined): AuthMethod {
  const type = status?.auth.type ?? summary.auth?.type ?? 'none';
  const others = summary.headerNames.filter((name) => name.toLowerCase() !== AUTHORIZATION);
  const extra = others.length > 0 ? ` It also sends ${others.join(', ')} with every request.` : '';
  if (type === 'oauth' || status?.discovery || summary.auth?.usesTokens) {
    return {
      kind: 'oauth',
      label: 'OAuth 2.1',
      explanation: `mcpscope is the OAuth client: it holds the tokens on its server and sends the access token as a Bearer header.${extra}`,
    };
  }
  if (type === 'bearer' || summary.headerNames.some((name) => name.toLowerCase() === AUTHORIZATION)) {
    return {
      kind: 'bearer',
      label: 'Bearer token',
      explanation: `The Authorization header typed at connect goes with every request.${extra}`,
    };
  }
  if (others.length > 0) {
    return {
      kind: 'headers',
      label: others.length === 1 ? 'API key header' : 'Custom headers',
      explanation: `mcpscope sends ${others.join(', ')} with every request.`,
    };
  }
  return {
    kind: 'none',
    label: 'None',
    explanation: 'mcpscope sends no credentials. Should the server answer 401 with a Bearer challenge, OAuth starts by itself.',
  };
}

const CLIENT_SOURCES: Record<string, string> = {
  'pre-registered': 'pre-registered (entered at connect)',
  registered: 'dynamic client registration',
  remembered: 'dynamic client registration (remembered from earlier)',
  'metadata-document': 'client ID metadata document',
};

/** How the client ID was obtained, in words. */
export function clientSourceLabel(source: string | undefined): string {
  if (!source) return 'from the stored token (the client was not needed again yet)';
  return CLIENT_SOURCES[source] ?? source;
}

const METADATA_KINDS: Record<string, string> = {
  oauth: 'RFC 8414 metadata',
  oidc: 'OpenID discovery',
  fallback: 'no metadata: the 2025-03-26 default endpoints',
};

export function metadataKindLabel(kind: string): string {
  return METADATA_KINDS[kind] ?? kind;
}

const AUTH_METHODS: Record<string, string> = {
  none: 'public client (PKCE, no secret)',
  client_secret_basic: 'client_secret_basic',
  client_secret_post: 'client_secret_post',
  private_key_jwt: 'private_key_jwt (a signed assertion; the key stays on the server)',
};

/** How the session gets its tokens, in words. */
export const GRANT_LABELS: Record<string, string> = {
  authorization_code: 'authorization code with PKCE (S256)',
  client_credentials: 'client credentials (no browser)',
  jwt_bearer: 'jwt-bearer with a workload identity token (SEP-1933, no browser)',
  id_jag: 'enterprise-managed: ID-JAG from the identity provider, then jwt-bearer (SEP-990, no browser)',
};

/** Whether the session's grant runs without a person. */
export function isMachineGrant(grant: string | undefined): boolean {
  return grant !== undefined && grant !== 'authorization_code';
}

export function clientAuthLabel(method: string): string {
  return AUTH_METHODS[method] ?? method;
}

export type TokenHealth =
  /** No token held for this server. */
  | 'none'
  | 'valid'
  /** Within the last two minutes: the session refreshes it on the next request. */
  | 'expiring'
  /** Expired, but a refresh token renews it on the next request. */
  | 'renewable'
  /** Expired for good: authorize again. */
  | 'expired';

const EXPIRING_MS = 120_000;

export function tokenHealth(token: MaskedToken | undefined, now: number): TokenHealth {
  if (!token) return 'none';
  if (token.expiresAt === undefined) return 'valid';
  if (token.expiresAt <= now) return token.refreshToken ? 'renewable' : 'expired';
  return token.expiresAt - now <= EXPIRING_MS ? 'expiring' : 'valid';
}

/** The last refresh this session ran, from its log (a finished `oauth:refresh` phase). */
export function lastRefreshPhase(phases: readonly PhaseView[]): PhaseView | undefined {
  for (let i = phases.length - 1; i >= 0; i--) {
    const phase = phases[i];
    if (phase.name === 'oauth:refresh' && phase.status !== 'started') return phase;
  }
  return undefined;
}

/** A key that changes whenever an OAuth step of the session finishes: the status is worth asking for again. */
export function oauthProgressKey(phases: readonly PhaseView[]): string {
  for (let i = phases.length - 1; i >= 0; i--) {
    const phase = phases[i];
    if (phase.name.startsWith('oauth:') && phase.status !== 'started') return `${phase.phaseId}:${phase.status}`;
  }
  return '';
}

/** The latest request to the MCP server: it shows what went on the wire, masked at capture. */
export function lastMcpRequest(exchanges: readonly ExchangeView[]): ExchangeView | undefined {
  for (let i = exchanges.length - 1; i >= 0; i--) {
    const exchange = exchanges[i];
    if (exchange.purpose === 'mcp' || exchange.purpose === 'mcp-stream') return exchange;
  }
  return undefined;
}

export interface SentCredential {
  name: string;
  /** As the log recorded it (masked to the last 4 characters); undefined when no request carried it yet. */
  value?: string;
}

/** The credential headers the session sends, with their values as the log shows them (masked). */
export function sentCredentials(method: AuthMethodKind, headerNames: readonly string[], headers: HeaderList | undefined): SentCredential[] {
  const names = [...headerNames];
  if ((method === 'oauth' || method === 'bearer') && !names.some((name) => name.toLowerCase() === AUTHORIZATION))
    names.unshift('Authorization');
  return names.map((name) => {
    const found = headers?.find(([key]) => key.toLowerCase() === name.toLowerCase());
    return found ? { name, value: found[1] } : { name };
  });
}
