// The OAuth client the server side runs for one MCP server and one owner (a browser): discovery, client
// identity, authorization code with PKCE, callback, refresh with rotation, client credentials and step-up.
// Every step is a phase of the session log with its HTTP exchanges under it. Tokens, client secrets and
// verifiers live in the store, encrypted; what leaves this class for a person is masked (TokenView).
import { randomBytes } from 'node:crypto';
import {
  exchangeAuthorization,
  fetchToken,
  IssuerMismatchError,
  refreshAuthorization,
  registerClient,
  requestJwtAuthorizationGrant,
  resolveClientMetadata,
  startAuthorization as sdkStartAuthorization,
  validateAuthorizationResponseIssuer,
  DPOP_SUPPORTED_ALGS,
  DpopSession,
  isDpopNonceChallenge,
  type DpopAlg,
  type AddClientAuthentication,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthTokens,
} from '@modelcontextprotocol/client';
import { tokenView, type ClientAuthMethod, type Store, type TokenView } from '../store';
import { maskCredential, maskUrl, SecretSet, type TraceLog } from '../trace';
import type { HttpRule } from '../url-policy';
import { clientMetadataUrlFor, DEFAULT_CLIENT_NAME } from './client-metadata';
import {
  canUseClientMetadataDocument,
  chooseClientAuth,
  chooseClientIdentity,
  chooseScopes,
  parseWwwAuthenticate,
  isExpiring,
  parseScopes,
  redirectUriFor,
  registrationAuthMethod,
  unionScopes,
  type ScopeSource,
} from './decisions';
import { decodeJwt, describeJwt, privateKeyJwtAuthentication, readClientKey, type ClientKey } from './client-assertion';
import { clientAssertionSignature, jwtNote, unverifiedSignature } from './jwt-note';
import { discover, requireSafeUrl, type DiscoveryResult } from './discovery';
import { explainOAuthError, OAuthFlowError } from './errors';
import type { Rediscovery } from './authorized-fetch';
import { followAuthorizationRedirects } from './follow';
import { machineProvider, type MachineGrant } from './machine-provider';
import { FlowRuntime } from './runtime';
import type { TolerableCheck } from './tolerate';

export interface PreRegisteredClient {
  clientId: string;
  clientSecret?: string;
  /** A private key instead of a secret: `private_key_jwt` client authentication (RFC 7523, SEP-1046). */
  privateKey?: ClientKey;
  /** Default: chosen from what the server supports (`chooseClientAuth`). */
  authMethod?: ClientAuthMethod;
}

/** The RFC 7523 grant type. */
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** SEP-990: where and as whom to exchange the person's ID token for an ID-JAG. */
export interface EnterpriseIdp {
  /** The identity provider's token endpoint. */
  tokenEndpoint: string;
  /** The person's OpenID Connect ID token from that identity provider. */
  idToken: string;
  /** This client's ID (and secret) at the identity provider. */
  clientId: string;
  clientSecret?: string;
}

/** How the client authenticates at the token endpoint. */
export type TokenEndpointAuthMethod = ClientAuthMethod | 'private_key_jwt';

export interface OAuthFlowOptions {
  /** The MCP server URL. */
  serverUrl: string;
  /** Whose tokens these are (the browser's owner id); tokens are stored per owner and resource. */
  owner: string;
  store: Store;
  /** The session log: each step becomes a phase, each exchange is recorded under it. */
  log: TraceLog;
  /** The origin people reach the app at; the redirect URI is `<publicOrigin>/callback`. */
  publicOrigin: string;
  /** The fetch that reaches the network (not a recording one: the flow records into `log` itself). */
  fetch?: typeof fetch;
  /** The session's known secrets; tokens, codes, verifiers and client secrets the flow handles are added. */
  secrets?: SecretSet;
  /** Stored with pending authorizations so the callback can find the session again. */
  sessionId?: string;
  /** Nest the flow's phases under this one (e.g. the session's `connect`). */
  parentPhaseId?: string;
  /** A client registered by hand at the authorization server (skips registration). */
  client?: PreRegisteredClient;
  /** Use this https URL as the client ID (a client ID metadata document), e.g. the CLI's --client-metadata-url. */
  clientMetadataUrl?: string;
  /** The user's scopes; overrides the challenge and scopes_supported. */
  scopes?: string | readonly string[];
  clientName?: string;
  /**
   * Checks the person chose to get past for this flow (issuer or resource mismatch, RFC 9207 `iss`): each becomes
   * a warning finding instead of a refusal. Nothing else can be tolerated (see ./tolerate).
   */
  tolerate?: readonly TolerableCheck[];
  now?: () => number;
  /** Refresh this long before expiry. Default 60 s. */
  refreshSkewMs?: number;
  /**
   * Whether the authorization server's URLs may be plain http (lib/security `httpUrlRule`: always in local mode,
   * allow-listed targets only in hosted mode). Other schemes are always refused. Default `allow`.
   */
  httpUrls?: HttpRule;
}

export type ClientSource = 'pre-registered' | 'remembered' | 'registered' | 'metadata-document';

/** The client the flow uses, without its secret. */
export interface ClientIdentity {
  clientId: string;
  authMethod: TokenEndpointAuthMethod;
  source: ClientSource;
  hasSecret: boolean;
}

export interface AuthorizationRequest {
  /** Send the browser here. */
  authorizationUrl: string;
  state: string;
  scopes: string[];
  scopeSource: ScopeSource;
  redirectUri: string;
  expiresAt: number;
}

/** The query of the redirect to `/callback`. */
export interface CallbackParams {
  state?: string | null;
  code?: string | null;
  error?: string | null;
  errorDescription?: string | null;
  /** RFC 9207 issuer identification, checked against the metadata when the server advertises it. */
  iss?: string | null;
}

interface ResolvedClient {
  identity: ClientIdentity;
  info: OAuthClientInformationMixed;
  /** Set for `private_key_jwt`: signs an assertion into each token request. */
  authenticate?: AddClientAuthentication;
}

/** Refreshes in flight per owner and resource, shared by all flows in the process: with rotation, two
 * refreshes with the same refresh token would make the server revoke the grant. */
const inflightRefreshes = new Map<string, Promise<TokenView>>();

const DEFAULT_REFRESH_SKEW_MS = 60_000;

export class OAuthClientFlow {
  readonly serverUrl: string;
  readonly owner: string;
  readonly redirectUri: string;
  readonly runtime: FlowRuntime;
  private readonly store: Store;
  private readonly options: OAuthFlowOptions;
  private readonly now: () => number;
  private discovery?: DiscoveryResult;
  private discovering?: Promise<DiscoveryResult>;
  private client?: ResolvedClient;
  private resolvingClient?: Promise<ResolvedClient>;
  private requestedScopes: string[] = [];
  /** The `WWW-Authenticate` header discovery started from (none: the server asked for nothing in particular). */
  private challengeHeader?: string;
  /** The DPoP key, once tokens are to be bound (see dpopFor). */
  private dpopSession?: DpopSession;
  private dpopDecision?: Promise<DpopSession | undefined>;
  /** DPoP-bound access tokens this flow got (only its key can prove possession of them). */
  private readonly boundHere = new Set<string>();

  constructor(options: OAuthFlowOptions) {
    // A copy: `configure` changes it between steps, and the caller's object must not change with it.
    this.options = { ...options };
    this.serverUrl = options.serverUrl;
    this.owner = options.owner;
    this.store = options.store;
    this.redirectUri = redirectUriFor(options.publicOrigin);
    this.now = options.now ?? Date.now;
    const secrets = options.secrets ?? new SecretSet();
    if (options.client?.clientSecret) secrets.add(options.client.clientSecret);
    if (options.client?.privateKey) secrets.add(options.client.privateKey.key);
    this.runtime = new FlowRuntime(
      options.log,
      options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      secrets,
      options.parentPhaseId,
    );
    for (const check of options.tolerate ?? []) this.runtime.tolerated.add(check);
  }

  /** The checks this flow tolerates, as set. */
  get tolerated(): TolerableCheck[] {
    return [...this.runtime.tolerated];
  }

  get log(): TraceLog {
    return this.runtime.log;
  }

  /** The last discovery, once there was one. */
  get discovered(): DiscoveryResult | undefined {
    return this.discovery;
  }

  /** The resource indicator tokens are stored under, once discovered. */
  get resource(): string | undefined {
    return this.discovery?.resource;
  }

  /** The client in use, once chosen. */
  get clientIdentity(): ClientIdentity | undefined {
    return this.client?.identity;
  }

  // -------------------------------------------------------------------------------------------------
  // Discovery and client identity

  /** Finds the authorization server, starting from a 401's `WWW-Authenticate` header when there is one. */
  async discover(options: { wwwAuthenticate?: string | null; why?: string } = {}): Promise<DiscoveryResult> {
    this.challengeHeader = options.wwwAuthenticate ?? undefined;
    const from = options.wwwAuthenticate ? `from WWW-Authenticate: ${options.wwwAuthenticate}` : this.serverUrl;
    const result = await this.runtime.step(
      'oauth:discovery',
      options.why ? `${options.why}; ${from}` : from,
      { code: 'discovery_failed', what: 'Discovering the authorization server failed', url: this.serverUrl },
      async ({ phase }) => {
        const found = await discover(this.runtime, this.serverUrl, options.wwwAuthenticate, this.options.httpUrls ?? 'allow');
        phase.ok(
          found.metadata
            ? `authorization server ${found.issuer} (${found.metadataKind === 'oidc' ? 'OpenID discovery' : 'RFC 8414 metadata'}); resource ${found.resource}`
            : `no metadata: default endpoints at ${found.issuer}; resource ${found.resource}`,
        );
        return found;
      },
    );
    if (this.discovery && this.discovery.issuer !== result.issuer) this.client = undefined;
    this.discovery = result;
    return result;
  }

  /**
   * Discovery again after the server refused a token that cannot be renewed (SEP-2352). When the authorization
   * server changed, the old one's client is dropped (discover does that) and its tokens for this resource are
   * forgotten: the next authorization registers with the new one and nothing of the old one is sent to it.
   */
  async rediscover(wwwAuthenticate: string | null): Promise<Rediscovery> {
    const previous = this.discovery;
    const found = await this.discover({ wwwAuthenticate, why: 'again: the server refused a token that cannot be renewed (SEP-2352)' });
    if (!previous || previous.issuer === found.issuer) return { changed: false, issuer: found.issuer };
    await this.store.forgetTokens(this.owner, previous.resource);
    this.runtime.finding(
      'warning',
      'authorization_server_changed',
      `The server now names ${found.issuer} as its authorization server (it was ${previous.issuer}). Its tokens and client registrations are bound to the issuer (SEP-2352): the old token was forgotten, and the next authorization ${this.options.client ? `uses the pre-registered client ${this.options.client.clientId}, as configured` : `registers with ${found.issuer}`}.`,
    );
    return { changed: true, issuer: found.issuer, previousIssuer: previous.issuer };
  }

  private async ensureDiscovered(): Promise<DiscoveryResult> {
    if (this.discovery) return this.discovery;
    this.discovering ??= this.discover().finally(() => {
      this.discovering = undefined;
    });
    return this.discovering;
  }

  /**
   * The client identity, in the order `chooseClientIdentity` decides (guided mode shows the same choice): a
   * pre-registered client; a client metadata URL the person gave; one registered earlier at this authorization
   * server for this redirect URI; mcpscope's own metadata document (when supported and reachable over https);
   * else dynamic client registration (RFC 7591), remembered for next time.
   */
  async ensureClient(): Promise<ClientIdentity> {
    if (this.client) return this.client.identity;
    // Two steps asking at once must not register two clients.
    this.resolvingClient ??= this.resolveClient().finally(() => {
      this.resolvingClient = undefined;
    });
    const resolved = await this.resolvingClient;
    this.client = resolved;
    return resolved.identity;
  }

  private async resolveClient(): Promise<ResolvedClient> {
    const d = await this.ensureDiscovered();
    return this.runtime.step(
      'oauth:client',
      undefined,
      { code: 'client_required', what: 'Choosing a client identity failed' },
      async ({ phase }) => {
        const pre = this.options.client;
        const given = this.options.clientMetadataUrl;
        if (given && !canUseClientMetadataDocument(true, given)) {
          // A document URL the user gave is used as asked; an http one could never be fetched by the server.
          throw new OAuthFlowError('client_required', `The client metadata URL ${given} must be an https URL with a path.`);
        }
        const remembered = pre || given ? undefined : await this.store.getClient(d.issuer, this.redirectUri);
        const choice = chooseClientIdentity({
          ...(pre ? { preRegistered: { clientId: pre.clientId, hasSecret: Boolean(pre.clientSecret) } } : {}),
          ...(given ? { givenMetadataUrl: given } : {}),
          ...(remembered ? { remembered: { clientId: remembered.clientId, authMethod: remembered.authMethod } } : {}),
          ownMetadataUrl: clientMetadataUrlFor(this.options.publicOrigin),
          ...(d.metadata?.client_id_metadata_document_supported !== undefined
            ? { metadataDocumentSupported: d.metadata.client_id_metadata_document_supported }
            : {}),
          ...(d.endpoints.registration ? { registrationEndpoint: d.endpoints.registration } : {}),
        });
        switch (choice.kind) {
          case 'pre-registered': {
            if (pre?.privateKey) return this.keyClient(d, choice.clientId, pre.privateKey, phase);
            const authMethod = pre?.authMethod ?? chooseClientAuth(d.metadata?.token_endpoint_auth_methods_supported, choice.hasSecret);
            phase.ok(`pre-registered client ${choice.clientId} (${authMethod})`);
            return this.resolvedClient(choice.clientId, pre?.clientSecret, authMethod, 'pre-registered');
          }
          case 'metadata-document':
            if (choice.given && !choice.advertised) {
              this.runtime.finding(
                'warning',
                'client_metadata_document_not_advertised',
                `${d.issuer} does not advertise client_id_metadata_document_supported; using ${choice.url} as the client ID anyway, as asked.`,
              );
            }
            phase.ok(`client ID metadata document ${choice.url}`);
            return this.resolvedClient(choice.url, undefined, 'none', 'metadata-document');
          case 'remembered': {
            const secret = remembered?.clientSecret;
            if (secret) this.runtime.secrets.add(secret);
            phase.ok(`client ${choice.clientId} registered earlier at ${d.issuer} (${choice.authMethod})`);
            return this.resolvedClient(choice.clientId, secret, choice.authMethod, 'remembered');
          }
          case 'register': {
            const registered = await this.register(d).catch((error: unknown) => {
              throw this.noSignOfOAuth(d, error) ?? error;
            });
            phase.ok(`registered client ${registered.identity.clientId} (${registered.identity.authMethod})`);
            return registered;
          }
          case 'needs-pre-registration':
            throw new OAuthFlowError(
              'client_required',
              `${d.issuer} offers neither dynamic client registration nor client ID metadata documents, so a pre-registered client is needed: register mcpscope there with the redirect URI ${this.redirectUri}, then enter its client ID (and secret, if it has one).`,
            );
        }
      },
    );
  }

  /**
   * A server that answered 401 with no challenge, publishes no OAuth metadata and has no registration endpoint at
   * the 2025-03-26 default either almost surely wants a token or an API key, not OAuth: say that first, rather than
   * "refused to register (HTTP 404)" about an endpoint that never existed.
   */
  private noSignOfOAuth(d: DiscoveryResult, error: unknown): OAuthFlowError | undefined {
    if (!(error instanceof OAuthFlowError) || error.code !== 'registration_failed') return undefined;
    if (error.status === undefined || error.status < 400 || error.status >= 500) return undefined;
    // An RFC 7591 error answer (400 with an `error`) is a registration endpoint speaking OAuth: its refusal stands.
    if (error.status === 400 && error.oauthError) return undefined;
    if (this.challengeHeader || d.resourceMetadata || d.metadata) return undefined;
    return new OAuthFlowError(
      'credentials_required',
      `This server wants a token or a header: add one (a bearer token, or the API key header its documentation names). It answered 401 without a WWW-Authenticate challenge and publishes no OAuth metadata (RFC 9728, RFC 8414), and POST ${d.endpoints.registration} answered HTTP ${error.status}, so there is no OAuth flow to run.`,
      { status: 401, cause: error },
    );
  }

  /** A pre-registered client that signs its assertions with a private key (`private_key_jwt`). */
  private keyClient(d: DiscoveryResult, clientId: string, key: ClientKey, phase: { ok(detail?: string): void }): ResolvedClient {
    const supported = d.metadata?.token_endpoint_auth_methods_supported;
    if (supported && !supported.includes('private_key_jwt')) {
      this.runtime.finding(
        'warning',
        'private_key_jwt_not_advertised',
        `${d.issuer} does not list private_key_jwt in token_endpoint_auth_methods_supported (${supported.join(', ') || 'none'}); mcpscope signs client assertions anyway, as configured.`,
      );
    }
    const signingKey = readClientKey(key).privateKey;
    const authenticate = privateKeyJwtAuthentication(clientId, key, (assertion, decoded) => {
      this.runtime.secrets.add(assertion, maskCredential('client_assertion', assertion));
      this.runtime.finding(
        'info',
        'client_assertion',
        `Signed a private_key_jwt client assertion for the token request (the assertion itself is masked): ${describeJwt(decoded)}.`,
        jwtNote('client assertion (private_key_jwt)', assertion, clientAssertionSignature(assertion, signingKey)),
      );
    });
    const algs = d.metadata?.token_endpoint_auth_signing_alg_values_supported;
    const alg = readClientKey(key).alg;
    if (Array.isArray(algs) && !algs.includes(alg)) {
      this.runtime.finding(
        'warning',
        'client_assertion_alg_not_advertised',
        `The client key signs with ${alg}, which ${d.issuer} does not list in token_endpoint_auth_signing_alg_values_supported (${algs.join(', ')}).`,
      );
    }
    phase.ok(`pre-registered client ${clientId} (private_key_jwt, ${alg})`);
    return {
      identity: { clientId, authMethod: 'private_key_jwt', source: 'pre-registered', hasSecret: true },
      info: { client_id: clientId, token_endpoint_auth_method: 'private_key_jwt' },
      authenticate,
    };
  }

  private resolvedClient(
    clientId: string,
    clientSecret: string | undefined,
    authMethod: ClientAuthMethod,
    source: ClientSource,
  ): ResolvedClient {
    return {
      identity: { clientId, authMethod, source, hasSecret: Boolean(clientSecret) },
      info: { client_id: clientId, ...(clientSecret ? { client_secret: clientSecret } : {}), token_endpoint_auth_method: authMethod },
    };
  }

  /** The registration request body `ensureClient` would send (for the guided mode to show first). */
  registrationRequest(): OAuthClientMetadata {
    // The SDK's defaults fill SEP-837's `application_type`: `native` for a loopback redirect URI (the CLI's, or
    // the app on localhost), `web` for a public one (RFC 8252; OpenID Connect registration §2).
    return resolveClientMetadata({
      redirectUrl: this.redirectUri,
      clientMetadata: {
        client_name: this.options.clientName ?? DEFAULT_CLIENT_NAME,
        redirect_uris: [this.redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: registrationAuthMethod(this.discovery?.metadata?.token_endpoint_auth_methods_supported),
        client_uri: new URL(this.options.publicOrigin).origin,
      },
    });
  }

  private async register(d: DiscoveryResult): Promise<ResolvedClient> {
    const endpoint = d.endpoints.registration as string;
    return this.runtime.step(
      'oauth:registration',
      endpoint,
      {
        code: 'registration_failed',
        what: 'The authorization server refused to register mcpscope',
        hint: `mcpscope asked for the redirect URI ${this.redirectUri}.`,
        url: endpoint,
      },
      async ({ phase }) => {
        // No `scope` in the registration: servers that pin a client to its registered scopes would then refuse
        // a later step-up to a scope outside them.
        const full = await registerClient(d.authorizationServerUrl, {
          metadata: d.metadata,
          clientMetadata: this.registrationRequest(),
          fetchFn: this.runtime.fetch,
        });
        if (full.client_secret) this.runtime.secrets.add(full.client_secret);
        const registrationToken = (full as Record<string, unknown>).registration_access_token;
        if (typeof registrationToken === 'string') this.runtime.secrets.add(registrationToken);
        const granted = full.token_endpoint_auth_method;
        const authMethod: ClientAuthMethod =
          granted === 'client_secret_basic' || granted === 'client_secret_post' || granted === 'none'
            ? granted
            : chooseClientAuth(d.metadata?.token_endpoint_auth_methods_supported, Boolean(full.client_secret));
        await this.store.saveClient({
          issuer: d.issuer,
          redirectUri: this.redirectUri,
          clientId: full.client_id,
          ...(full.client_secret ? { clientSecret: full.client_secret } : {}),
          authMethod,
          registration: { ...full } as Record<string, unknown>,
        });
        phase.ok(`client ${full.client_id} (${authMethod}), remembered for ${d.issuer}`);
        return this.resolvedClient(full.client_id, full.client_secret, authMethod, 'registered');
      },
    );
  }

  /**
   * Changes the client settings or the scopes for the steps still to come (the guided mode lets a person edit
   * them between steps). `null` clears a setting. A changed client is chosen again on its next use.
   */
  configure(settings: {
    client?: PreRegisteredClient | null;
    clientMetadataUrl?: string | null;
    scopes?: string | readonly string[] | null;
    /** Adds to the tolerated checks (a refusal the person chose to get past); never removes one mid-flow. */
    tolerate?: readonly TolerableCheck[];
  }): void {
    const options = this.options;
    for (const check of settings.tolerate ?? []) this.runtime.tolerated.add(check);
    if (settings.client !== undefined) {
      if (settings.client) {
        options.client = { ...settings.client };
        if (settings.client.clientSecret) this.runtime.secrets.add(settings.client.clientSecret);
        if (settings.client.privateKey) this.runtime.secrets.add(settings.client.privateKey.key);
      } else delete options.client;
      this.client = undefined;
    }
    if (settings.clientMetadataUrl !== undefined) {
      if (settings.clientMetadataUrl) options.clientMetadataUrl = settings.clientMetadataUrl;
      else delete options.clientMetadataUrl;
      this.client = undefined;
    }
    if (settings.scopes !== undefined) {
      if (settings.scopes === null) delete options.scopes;
      else options.scopes = parseScopes(settings.scopes);
    }
  }

  /** The settings a person may edit between steps, as they are now (no secret). */
  get settings(): { clientId?: string; hasClientSecret: boolean; clientMetadataUrl?: string; scopes: string[] } {
    const { client, clientMetadataUrl, scopes } = this.options;
    return {
      ...(client ? { clientId: client.clientId } : {}),
      hasClientSecret: Boolean(client?.clientSecret),
      ...(clientMetadataUrl ? { clientMetadataUrl } : {}),
      scopes: parseScopes(scopes),
    };
  }

  /** Drops the remembered registration at this authorization server (e.g. after the server forgot it). */
  async forgetClient(): Promise<void> {
    const d = await this.ensureDiscovered();
    await this.store.forgetClient(d.issuer, this.redirectUri);
    this.client = undefined;
  }

  // -------------------------------------------------------------------------------------------------
  // Authorization code flow

  /** The scopes a fresh authorization would ask for, and why. */
  async scopeChoice(): Promise<{ scopes: string[]; source: ScopeSource }> {
    const d = await this.ensureDiscovered();
    return chooseScopes({
      userScopes: this.options.scopes,
      wwwAuthenticateScope: d.challenge.scope,
      scopesSupported: d.resourceMetadata?.scopes_supported,
    });
  }

  /**
   * Builds the authorization URL (PKCE S256, a random single-use `state` valid 10 minutes, the `resource`
   * indicator, scopes) and stores the pending request. `scopes` overrides the usual choice.
   */
  async startAuthorization(options: { scopes?: string | readonly string[] } = {}): Promise<AuthorizationRequest> {
    const override = parseScopes(options.scopes);
    return this.authorize(override.length > 0 ? { scopes: override, source: 'user' } : await this.scopeChoice());
  }

  private async authorize(choice: { scopes: string[]; source: ScopeSource }): Promise<AuthorizationRequest> {
    const d = await this.ensureDiscovered();
    await this.ensureClient();
    const client = this.client as ResolvedClient;
    return this.runtime.step(
      'oauth:authorize',
      d.endpoints.authorization,
      { code: 'unsupported_server', what: 'Preparing the authorization request failed' },
      async ({ phase }) => {
        const state = randomBytes(32).toString('base64url');
        const { authorizationUrl, codeVerifier } = await sdkStartAuthorization(d.authorizationServerUrl, {
          metadata: d.metadata,
          clientInformation: client.info,
          ...(client.authenticate ? { addClientAuthentication: client.authenticate } : {}),
          redirectUrl: this.redirectUri,
          scope: choice.scopes.length > 0 ? choice.scopes.join(' ') : undefined,
          state,
          resource: d.resource,
        });
        this.runtime.secrets.add(codeVerifier);
        // The metadata was checked in discovery; the URL the browser is sent to is checked as built (the
        // defaults of a server without metadata included).
        requireSafeUrl(this.runtime, authorizationUrl.href, 'The authorization URL', this.options.httpUrls ?? 'allow');
        const pending = await this.store.savePendingAuthorization({
          state,
          owner: this.owner,
          ...(this.options.sessionId ? { sessionId: this.options.sessionId } : {}),
          serverUrl: this.serverUrl,
          resource: d.resource,
          issuer: d.issuer,
          clientId: client.identity.clientId,
          redirectUri: this.redirectUri,
          codeVerifier,
          scopes: choice.scopes,
        });
        this.requestedScopes = choice.scopes;
        phase.ok(
          `${maskUrl(authorizationUrl.href, this.runtime.secrets)} (scopes: ${describeScopes(choice)}; resource ${d.resource}; PKCE S256)`,
        );
        return {
          authorizationUrl: authorizationUrl.href,
          state,
          scopes: choice.scopes,
          scopeSource: choice.source,
          redirectUri: this.redirectUri,
          expiresAt: pending.expiresAt,
        };
      },
    );
  }

  /**
   * Forgets an authorization request that will not be completed (the Doctor's probe): its `state` and PKCE verifier
   * are deleted, so a code the server may have issued for it can never be exchanged.
   */
  async discardAuthorization(state: string): Promise<void> {
    await this.store.takePendingAuthorization(state);
  }

  /**
   * Completes an authorization from its redirect: the `state` must be pending, unexpired, this owner's and
   * this server's (it is consumed either way); then the code is exchanged with the verifier and the tokens
   * are stored encrypted. Returns the masked token view.
   */
  async handleCallback(params: CallbackParams): Promise<TokenView> {
    return this.runtime.step(
      'oauth:callback',
      undefined,
      { code: 'invalid_state', what: 'Completing the authorization failed' },
      async ({ phase }) => {
        if (!params.state) {
          throw new OAuthFlowError(
            'invalid_state',
            'The authorization response carries no state, so it cannot be matched to a request; start the authorization again.',
          );
        }
        const unknown = new OAuthFlowError(
          'invalid_state',
          'This authorization response matches no pending request (its state is unknown or was already used); start the authorization again.',
        );
        // Looked at before it is consumed, so a response replayed into another browser cannot burn the owner's request.
        const peeked = await this.store.peekPendingAuthorization(params.state);
        if (!peeked) throw unknown;
        if (peeked.owner !== this.owner) {
          throw new OAuthFlowError('invalid_state', 'This authorization was started in another browser and cannot be completed here.');
        }
        const pending = await this.store.takePendingAuthorization(params.state);
        if (!pending) throw unknown;
        if (pending.serverUrl !== this.serverUrl) {
          throw new OAuthFlowError(
            'invalid_state',
            `This authorization was started for ${maskUrl(pending.serverUrl, this.runtime.secrets)}, not ${maskUrl(this.serverUrl, this.runtime.secrets)}.`,
          );
        }
        if (pending.expiresAt <= this.now()) {
          throw new OAuthFlowError('state_expired', 'This authorization request expired (they are valid for 10 minutes); start it again.');
        }
        if (params.error) {
          throw new OAuthFlowError(
            'authorization_denied',
            explainOAuthError('The authorization server did not authorize mcpscope', undefined, {
              error: params.error,
              ...(params.errorDescription ? { description: params.errorDescription } : {}),
            }),
            { oauthError: params.error },
          );
        }
        if (!params.code) throw new OAuthFlowError('invalid_response', 'The authorization response has neither a code nor an error.');
        const code = params.code;
        this.runtime.secrets.add(code);
        const d = await this.ensureDiscovered();
        const iss = this.checkResponseIssuer(params.iss ?? undefined, d);
        const dpop = await this.dpopFor(d);
        await this.ensureClient();
        const client = this.client as ResolvedClient;
        if (client.identity.clientId !== pending.clientId) {
          throw new OAuthFlowError(
            'invalid_state',
            `This authorization was started with client ${pending.clientId}, but the flow now uses ${client.identity.clientId}; start again.`,
          );
        }
        const tokens = await this.tokenRequest('oauth:token', d, 'The token endpoint refused the authorization code', () =>
          exchangeAuthorization(d.authorizationServerUrl, {
            metadata: iss.metadata,
            clientInformation: client.info,
            ...(client.authenticate ? { addClientAuthentication: client.authenticate } : {}),
            ...(dpop ? { dpop } : {}),
            authorizationCode: code,
            ...(iss.checked ? {} : { iss: params.iss ?? undefined }),
            codeVerifier: pending.codeVerifier,
            redirectUri: pending.redirectUri,
            resource: pending.resource,
            fetchFn: this.runtime.fetch,
          }),
        );
        const view = await this.saveTokens(tokens, pending.scopes, d, client);
        phase.ok(`authorized: ${describeTokenView(view)}`);
        return view;
      },
    );
  }

  /**
   * RFC 9207 §2.4 (the SDK's table: compare `iss` when present, require it when the server advertises it), here so
   * a failure is a refusal the person may tolerate. Once checked, the token request gets metadata that does not ask
   * the SDK to check again: a tolerated mismatch must not be refused one step later.
   */
  private checkResponseIssuer(iss: string | undefined, d: DiscoveryResult): { checked: boolean; metadata: DiscoveryResult['metadata'] } {
    const metadata = d.metadata;
    if (!metadata) return { checked: false, metadata };
    try {
      validateAuthorizationResponseIssuer({
        iss,
        expectedIssuer: metadata.issuer,
        issParameterSupported: metadata.authorization_response_iss_parameter_supported === true,
      });
    } catch (error) {
      if (!(error instanceof IssuerMismatchError)) throw error;
      this.runtime.enforce(
        'iss_mismatch',
        { expected: metadata.issuer, received: iss },
        iss === undefined
          ? `The authorization response carries no iss parameter although ${metadata.issuer} advertises authorization_response_iss_parameter_supported`
          : `The authorization response names its issuer ${iss}, not ${metadata.issuer}`,
        'mcpscope redeems the code anyway',
      );
    }
    return { checked: true, metadata: { ...metadata, authorization_response_iss_parameter_supported: false } };
  }

  /**
   * Completes an authorization without a browser, for servers that approve at once: follows the redirects
   * from the authorization URL (recorded, cookies kept) to the redirect URI, then handles the callback.
   * Fails with `interaction_required` when the server shows a page a person must answer.
   */
  async authorizeWithoutBrowser(request: AuthorizationRequest): Promise<TokenView> {
    const walk = await this.runtime.step(
      'oauth:authorize-redirects',
      undefined,
      { code: 'interaction_required', what: 'Following the authorization redirects failed' },
      async ({ phase }) => {
        const result = await followAuthorizationRedirects(request.authorizationUrl, {
          redirectUri: this.redirectUri,
          fetch: this.runtime.fetch,
        });
        if (result.kind === 'interactive') {
          throw new OAuthFlowError(
            'interaction_required',
            `The authorization server wants a person to sign in or consent (HTTP ${result.status} at ${maskUrl(result.url, this.runtime.secrets)}); open the authorization URL in a browser.`,
          );
        }
        phase.ok(`redirected back to ${this.redirectUri} after ${result.hops} step(s)`);
        return result;
      },
    );
    return this.handleCallback(walk.params);
  }

  // -------------------------------------------------------------------------------------------------
  // Using and renewing tokens

  /** A valid access token, refreshed first when it is within the refresh window of expiry. */
  async getAccessToken(): Promise<string> {
    return (await this.currentToken()).accessToken;
  }

  /**
   * The headers that carry the token on one request to the server: Bearer, or for a DPoP-bound token the `DPoP`
   * scheme and a fresh proof of possession for this method and URL, bound to the token (`ath`, RFC 9449 §7).
   */
  async requestCredentials(method: string, url: string): Promise<{ authorization: string; dpop?: string }> {
    const token = await this.currentToken();
    if (token.tokenType.toLowerCase() !== 'dpop') return { authorization: `Bearer ${token.accessToken}` };
    const session = await this.dpopFor(await this.ensureDiscovered());
    if (!session)
      throw new OAuthFlowError('authorization_required', 'The token is DPoP-bound but this flow has no DPoP key; authorize again.');
    return {
      authorization: `DPoP ${token.accessToken}`,
      dpop: await session.buildProof({ htm: method, htu: url, accessToken: token.accessToken }),
    };
  }

  /**
   * Whether tokens will be DPoP-bound, and to which key (for guided mode's plan): decides it now, as the token
   * request would. Undefined before discovery or when the server did not ask for bound tokens.
   */
  async dpopPlan(): Promise<{ alg: string; thumbprint: string } | undefined> {
    if (!this.discovery) return undefined;
    const session = await this.dpopFor(this.discovery);
    return session ? { alg: session.alg, thumbprint: session.thumbprint } : undefined;
  }

  /** Keeps a DPoP nonce a server sent (on any answer); true when the answer is a `use_dpop_nonce` challenge. */
  observeResponse(response: Response, url: string): boolean {
    if (!this.dpopSession) return false;
    this.dpopSession.observeNonce(response, url);
    return isDpopNonceChallenge(response);
  }

  private async currentToken(): Promise<{ accessToken: string; tokenType: string }> {
    const d = await this.ensureDiscovered();
    const tokens = await this.store.getTokens(this.owner, d.resource);
    if (!tokens) {
      throw new OAuthFlowError(
        'authorization_required',
        `There is no access token for ${maskUrl(this.serverUrl, this.runtime.secrets)} yet; authorize first.`,
      );
    }
    // A DPoP-bound token is only good with the key it was bound to, which lives in memory with the flow that got it.
    if (tokens.tokenType.toLowerCase() === 'dpop' && !this.boundHere.has(tokens.accessToken)) {
      throw new OAuthFlowError(
        'authorization_required',
        'The stored token is bound (DPoP) to the key of an earlier session, which is gone; authorize again.',
      );
    }
    this.runtime.secrets.add(tokens.accessToken);
    if (isExpiring(tokens.expiresAt, this.now(), this.options.refreshSkewMs ?? DEFAULT_REFRESH_SKEW_MS, tokens.updatedAt)) {
      if (tokens.refreshToken) {
        await this.refresh();
        const fresh = await this.store.getTokens(this.owner, d.resource);
        if (fresh) return { accessToken: fresh.accessToken, tokenType: fresh.tokenType };
      } else if ((tokens.expiresAt as number) <= this.now()) {
        throw new OAuthFlowError(
          'reauthorization_required',
          'The access token expired and the server issued no refresh token; authorize again.',
        );
      }
    }
    return { accessToken: tokens.accessToken, tokenType: tokens.tokenType };
  }

  /**
   * SEP-1932 / RFC 9449: tokens are bound to a key of mcpscope's (DPoP) when the server asks for it: its 401
   * challenge is a DPoP one, or its protected resource metadata names DPoP algorithms or requires bound tokens
   * (RFC 9728 §2). An authorization server that merely supports DPoP is not enough: a resource server that only
   * knows Bearer would refuse a bound token. The algorithm is one both sides list (ES256 first). One key per flow,
   * kept in memory.
   */
  private dpopFor(d: DiscoveryResult): Promise<DpopSession | undefined> {
    // Decided once per flow; concurrent token requests must not make two keys.
    this.dpopDecision ??= this.decideDpop(d);
    return this.dpopDecision;
  }

  private async decideDpop(d: DiscoveryResult): Promise<DpopSession | undefined> {
    const resourceSays = d.resourceMetadata as Record<string, unknown> | undefined;
    const resourceAlgs = resourceSays?.dpop_signing_alg_values_supported;
    const challenged = parseWwwAuthenticate(this.challengeHeader).some((c) => c.scheme.toLowerCase() === 'dpop');
    if (!challenged && resourceSays?.dpop_bound_access_tokens_required !== true && !Array.isArray(resourceAlgs)) return undefined;
    const serverAlgs = (d.metadata as Record<string, unknown> | undefined)?.dpop_signing_alg_values_supported;
    const acceptable = (candidate: string) =>
      (!Array.isArray(serverAlgs) || serverAlgs.includes(candidate)) && (!Array.isArray(resourceAlgs) || resourceAlgs.includes(candidate));
    const alg = DPOP_SUPPORTED_ALGS.find(acceptable);
    if (!alg) {
      this.runtime.finding(
        'warning',
        'dpop_alg_unsupported',
        `The server wants DPoP-bound tokens, but no proof algorithm is taken by both it and its authorization server among those mcpscope signs with (${DPOP_SUPPORTED_ALGS.join(', ')}); tokens are not bound.`,
      );
      return undefined;
    }
    this.dpopSession = await DpopSession.create({ alg: alg as DpopAlg });
    this.runtime.finding(
      'info',
      'dpop',
      `The server wants DPoP-bound tokens (${challenged ? 'its challenge is DPoP' : 'its resource metadata says so'}): each token request and each request to the server carries a fresh proof signed with a key of mcpscope's (RFC 9449, ${this.dpopSession.alg}, thumbprint ${this.dpopSession.thumbprint}), and the token travels with the DPoP scheme.`,
    );
    return this.dpopSession;
  }

  /**
   * Trades the refresh token for new tokens. The newest refresh token always replaces the old one (servers
   * that rotate revoke the old one). Concurrent calls share one request. A refusal forgets the dead tokens and
   * fails with `reauthorization_required`.
   */
  async refresh(): Promise<TokenView> {
    const d = await this.ensureDiscovered();
    const key = `${this.owner}\n${d.resource}`;
    const running = inflightRefreshes.get(key);
    if (running) return running;
    const refreshing = this.runRefresh(d).finally(() => inflightRefreshes.delete(key));
    inflightRefreshes.set(key, refreshing);
    return refreshing;
  }

  private async runRefresh(d: DiscoveryResult): Promise<TokenView> {
    return this.runtime.step(
      'oauth:refresh',
      d.endpoints.token,
      { code: 'reauthorization_required', what: 'Refreshing the access token failed', url: d.endpoints.token },
      async (context) => {
        const stored = await this.store.getTokens(this.owner, d.resource);
        if (!stored)
          throw new OAuthFlowError(
            'authorization_required',
            `There is no access token for ${maskUrl(this.serverUrl, this.runtime.secrets)} to refresh; authorize first.`,
          );
        if (!stored.refreshToken) {
          throw new OAuthFlowError(
            'reauthorization_required',
            'The server issued no refresh token, so the expired access token cannot be renewed; authorize again.',
          );
        }
        await this.ensureClient();
        const client = this.client as ResolvedClient;
        if (stored.clientId && stored.clientId !== client.identity.clientId) {
          throw new OAuthFlowError(
            'reauthorization_required',
            `The stored tokens were issued to client ${stored.clientId}, not the current client ${client.identity.clientId}; authorize again.`,
          );
        }
        const oldRefresh = stored.refreshToken;
        const dpop = await this.dpopFor(d);
        this.runtime.secrets.add(oldRefresh);
        let tokens: OAuthTokens;
        try {
          tokens = await refreshAuthorization(d.authorizationServerUrl, {
            metadata: d.metadata,
            clientInformation: client.info,
            ...(client.authenticate ? { addClientAuthentication: client.authenticate } : {}),
            ...(client.authenticate ? { addClientAuthentication: client.authenticate } : {}),
            refreshToken: oldRefresh,
            resource: d.resource,
            fetchFn: this.runtime.fetch,
          });
        } catch (err) {
          // Another process may have rotated the token meanwhile: its result is as good as ours.
          const latest = await this.store.getTokens(this.owner, d.resource);
          if (latest?.refreshToken && latest.refreshToken !== oldRefresh) {
            context.phase.ok('another request refreshed the token meanwhile');
            return tokenView(latest, this.now());
          }
          const explained = this.runtime.explain(err, context, {
            code: 'reauthorization_required',
            what: 'The authorization server refused to refresh the access token',
            hint: 'Authorize again; the session and its log are kept.',
            url: d.endpoints.token,
          });
          if (explained.code === 'network_error' || explained.code === 'insecure_endpoint') throw explained;
          if (explained.status !== undefined && explained.status < 500) await this.store.forgetTokens(this.owner, d.resource);
          throw new OAuthFlowError('reauthorization_required', explained.message, {
            ...(explained.status !== undefined ? { status: explained.status } : {}),
            ...(explained.oauthError !== undefined ? { oauthError: explained.oauthError } : {}),
            cause: err,
          });
        }
        const view = await this.saveTokens(tokens, stored.scopes, d, client);
        const rotated = tokens.refresh_token !== undefined && tokens.refresh_token !== oldRefresh;
        context.phase.ok(
          rotated
            ? `new access token ${view.accessToken}; the refresh token rotated to ${view.refreshToken ?? '(none)'} and the old one was dropped`
            : `new access token ${view.accessToken}; the refresh token stays the same`,
        );
        return view;
      },
    );
  }

  /** The client credentials grant (machine to machine); needs a pre-registered client with a secret. */
  async clientCredentials(options: { scopes?: string | readonly string[] } = {}): Promise<TokenView> {
    return this.runtime.step(
      'oauth:client-credentials',
      undefined,
      { code: 'token_request_failed', what: 'The client credentials grant failed' },
      async ({ phase }) => {
        if (!this.options.client?.clientSecret && !this.options.client?.privateKey) {
          throw new OAuthFlowError(
            'client_required',
            'The client credentials grant needs a pre-registered client ID and a client secret or private key.',
          );
        }
        const d = await this.ensureDiscovered();
        await this.ensureClient();
        const client = this.client as ResolvedClient;
        const override = parseScopes(options.scopes);
        const scopes = override.length > 0 ? override : (await this.scopeChoice()).scopes;
        const view = await this.machineToken(d, client, scopes, 'The token endpoint refused the client credentials');
        phase.ok(describeTokenView(view));
        return view;
      },
    );
  }

  /**
   * RFC 7523 §2.1 jwt-bearer grant: trades a signed assertion for an access token, no person involved. The
   * assertion is a workload's identity token (SEP-1933 workload identity federation) or an ID-JAG from the
   * person's identity provider (SEP-990). The client is the pre-registered one (its secret, key, or just its ID).
   * A refusal is final: the grant is not retried, nor another one tried instead.
   */
  async jwtBearer(assertion: string, options: { scopes?: string | readonly string[]; kind?: string } = {}): Promise<TokenView> {
    return this.runtime.step(
      'oauth:jwt-bearer',
      undefined,
      { code: 'token_request_failed', what: 'The jwt-bearer grant failed' },
      async ({ phase }) => {
        if (!this.options.client)
          throw new OAuthFlowError(
            'client_required',
            'The jwt-bearer grant needs the client ID the authorization server knows this client by.',
          );
        this.showAssertion(assertion, options.kind ?? 'assertion', 'the authorization server');
        const d = await this.ensureDiscovered();
        const grants = d.metadata?.grant_types_supported;
        if (grants && !grants.includes(JWT_BEARER_GRANT)) {
          this.runtime.finding(
            'warning',
            'jwt_bearer_not_advertised',
            `${d.issuer} does not list ${JWT_BEARER_GRANT} in grant_types_supported (${grants.join(', ')}); mcpscope asks for it anyway, as configured.`,
          );
        }
        await this.ensureClient();
        const client = this.client as ResolvedClient;
        const scopes = parseScopes(options.scopes);
        const view = await this.machineToken(d, client, scopes, 'The token endpoint refused the jwt-bearer assertion', {
          grantType: JWT_BEARER_GRANT,
          params: { assertion },
        });
        phase.ok(describeTokenView(view));
        return view;
      },
    );
  }

  /**
   * SEP-990 enterprise-managed authorization: the person's ID token from their enterprise identity provider is
   * exchanged there (RFC 8693 token exchange) for an ID-JAG naming this server's authorization server and
   * resource, which the jwt-bearer grant then trades for an access token.
   */
  async enterpriseAuthorization(idp: EnterpriseIdp, options: { scopes?: string | readonly string[] } = {}): Promise<TokenView> {
    const d = await this.ensureDiscovered();
    this.runtime.secrets.add(idp.idToken, maskCredential('subject_token', idp.idToken));
    if (idp.clientSecret) this.runtime.secrets.add(idp.clientSecret);
    const scopes = parseScopes(options.scopes);
    const audience = d.metadata?.issuer ?? d.issuer;
    const grant = await this.runtime.step(
      'oauth:token-exchange',
      idp.tokenEndpoint,
      {
        code: 'token_request_failed',
        what: 'The identity provider refused to exchange the ID token for an ID-JAG',
        url: idp.tokenEndpoint,
      },
      async ({ phase }) => {
        this.showAssertion(idp.idToken, 'ID token', 'the identity provider');
        const result = await requestJwtAuthorizationGrant({
          tokenEndpoint: idp.tokenEndpoint,
          audience,
          resource: d.resource,
          idToken: idp.idToken,
          clientId: idp.clientId,
          ...(idp.clientSecret ? { clientSecret: idp.clientSecret } : {}),
          ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
          fetchFn: this.runtime.fetch,
        });
        this.runtime.secrets.add(result.jwtAuthGrant, maskCredential('assertion', result.jwtAuthGrant));
        phase.ok(`ID-JAG for ${audience} and ${d.resource}${result.expiresIn !== undefined ? `, valid ${result.expiresIn} s` : ''}`);
        return result.jwtAuthGrant;
      },
    );
    return this.jwtBearer(grant, { ...(scopes.length > 0 ? { scopes } : {}), kind: 'ID-JAG' });
  }

  /** An assertion is a credential: masked everywhere, and shown decoded (header and claims) as a finding. */
  private showAssertion(jwt: string, kind: string, receiver: string): void {
    this.runtime.secrets.add(jwt, maskCredential('assertion', jwt));
    const decoded = decodeJwt(jwt);
    if (Object.keys(decoded.header).length === 0) return;
    const issuer = typeof decoded.claims.iss === 'string' ? decoded.claims.iss : 'its issuer';
    this.runtime.finding(
      'info',
      'jwt_assertion',
      `The ${kind} (masked in the log): ${describeJwt(decoded)}.`,
      jwtNote(kind, jwt, unverifiedSignature(jwt, `mcpscope holds no key of ${issuer}; ${receiver} verifies the signature.`)),
    );
  }

  /**
   * The server wants more scope: a new authorization for everything held or asked for before plus the
   * required scope (a refresh cannot widen a grant).
   */
  async stepUp(requiredScope: string | readonly string[]): Promise<AuthorizationRequest> {
    const d = await this.ensureDiscovered();
    const required = parseScopes(requiredScope);
    const held = await this.store.getTokens(this.owner, d.resource);
    const scopes = unionScopes(held?.scopes, this.requestedScopes, required);
    return this.runtime.step(
      'oauth:step-up',
      `the server requires ${required.join(' ') || '(unnamed scope)'}`,
      { code: 'unsupported_server', what: 'Preparing the step-up authorization failed' },
      async ({ phase }) => {
        const request = await this.authorize({ scopes, source: 'challenge' });
        phase.ok(`authorize again with ${scopes.join(' ')}`);
        return request;
      },
    );
  }

  /** The stored token for this server, masked (for showing to a person). */
  async tokenStatus(): Promise<TokenView | undefined> {
    const d = await this.ensureDiscovered();
    const stored = await this.store.getTokens(this.owner, d.resource);
    return stored ? tokenView(stored, this.now()) : undefined;
  }

  async forgetTokens(): Promise<void> {
    const d = await this.ensureDiscovered();
    await this.store.forgetTokens(this.owner, d.resource);
  }

  // -------------------------------------------------------------------------------------------------

  /** A grant without a person (client credentials, jwt-bearer): one token request; the token saved and returned. */
  private async machineToken(
    d: DiscoveryResult,
    client: ResolvedClient,
    scopes: string[],
    refusal: string,
    grant?: MachineGrant,
  ): Promise<TokenView> {
    const issuer = d.metadata?.issuer ?? d.authorizationServerUrl;
    const dpop = await this.dpopFor(d);
    const tokens = await this.tokenRequest('oauth:token', d, refusal, () =>
      fetchToken(machineProvider(client, issuer, this.options.clientName, client.authenticate, grant, dpop), d.authorizationServerUrl, {
        metadata: d.metadata,
        resource: d.resource,
        ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
        fetchFn: this.runtime.fetch,
      }),
    );
    return this.saveTokens(tokens, scopes, d, client);
  }

  private tokenRequest(name: string, d: DiscoveryResult, what: string, request: () => Promise<OAuthTokens>): Promise<OAuthTokens> {
    return this.runtime.step(name, d.endpoints.token, { code: 'token_request_failed', what, url: d.endpoints.token }, async (context) => {
      try {
        return await request();
      } catch (err) {
        const explained = this.runtime.explain(err, context, { code: 'token_request_failed', what, url: d.endpoints.token });
        // A registration the server no longer knows: forget it so the next attempt registers afresh.
        if (explained.oauthError === 'invalid_client' && this.client?.identity.source === 'remembered') {
          await this.store.forgetClient(d.issuer, this.redirectUri);
          this.client = undefined;
          throw new OAuthFlowError(
            explained.code,
            `${explained.message} The remembered client registration was dropped; authorize again to register anew.`,
            { ...(explained.status !== undefined ? { status: explained.status } : {}), oauthError: 'invalid_client', cause: err },
          );
        }
        throw explained;
      }
    });
  }

  private async saveTokens(tokens: OAuthTokens, requestedScopes: string[], d: DiscoveryResult, client: ResolvedClient): Promise<TokenView> {
    for (const secret of [tokens.access_token, tokens.refresh_token, tokens.id_token]) this.runtime.secrets.add(secret);
    const dpopBound = tokens.token_type?.toLowerCase() === 'dpop' && this.dpopSession !== undefined;
    if (dpopBound) this.boundHere.add(tokens.access_token);
    else if (this.dpopSession && tokens.token_type?.toLowerCase() === 'bearer') {
      this.runtime.finding(
        'warning',
        'dpop_not_bound',
        'mcpscope sent a DPoP proof with the token request, but the authorization server issued a Bearer token: it is not bound to the key.',
      );
    }
    if (tokens.token_type && !['bearer', 'dpop'].includes(tokens.token_type.toLowerCase())) {
      this.runtime.finding(
        'warning',
        'unexpected_token_type',
        `The server issued a "${tokens.token_type}" token; mcpscope sends it as a Bearer token, which the server may refuse.`,
      );
    }
    const expiresAt =
      tokens.expires_in !== undefined && Number.isFinite(tokens.expires_in) ? this.now() + tokens.expires_in * 1000 : undefined;
    const record = {
      owner: this.owner,
      resource: d.resource,
      accessToken: tokens.access_token,
      ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
      tokenType: tokens.token_type || 'Bearer',
      scopes: tokens.scope !== undefined ? parseScopes(tokens.scope) : requestedScopes,
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      issuer: d.issuer,
      clientId: client.identity.clientId,
    };
    await this.store.saveTokens(record);
    const at = this.now();
    return tokenView({ ...record, createdAt: at, updatedAt: at }, at);
  }
}

function describeScopes(choice: { scopes: string[]; source: ScopeSource }): string {
  if (choice.scopes.length === 0) return 'none requested (the server decides)';
  const from: Record<ScopeSource, string> = {
    user: 'as entered',
    challenge: 'from the WWW-Authenticate challenge',
    scopes_supported: 'from scopes_supported',
    none: '',
  };
  return `${choice.scopes.join(' ')} (${from[choice.source]})`;
}

/** How a phase that got a token ends: the token (masked) and its scopes. */
function describeTokenView(view: TokenView): string {
  return `access token ${view.accessToken}${view.scopes.length > 0 ? `, scopes ${view.scopes.join(' ')}` : ''}`;
}
