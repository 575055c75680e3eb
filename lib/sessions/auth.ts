// A session's side of OAuth: when a refused connection starts the flow, which grant runs, how the session's
// requests carry the token, and what a failed refresh or a missing scope means for the session. The flow itself
// (discovery, registration, PKCE, tokens) is lib/oauth; tokens live in lib/store and never leave the server.
import type { AuthNeed, AuthorizeAgainResponse, AuthStatus, CheckRefusalView, MaskedToken, SessionAuthSummary } from '../contract';
import { EngineError, isEngineError, type ExchangeAuthorizer, type McpConnection } from '../mcp';
import {
  authorizedFetch,
  OAuthClientFlow,
  OAuthFlowError,
  parseWwwAuthenticate,
  unionScopes,
  watchAuthChallenges,
  type AuthChallengeSeen,
  type CallbackParams,
  type OAuthFlowErrorCode,
  type TolerableCheck,
} from '../oauth';
import { getSharedStore, type Store } from '../store';
import { maskUrl, type SecretSet, type TraceLog } from '../trace';
import type { HttpRule } from '../url-policy';
import { DEFAULT_OAUTH_SETTINGS, type OAuthSettings } from './auth-settings';
import { SessionError } from './errors';

export type AuthType = 'none' | 'bearer' | 'oauth';

// -------------------------------------------------------------------------------------------------
// Decisions (pure)

export interface StartDecision {
  start: boolean;
  /** Why not, in a sentence for the log; empty when starting. */
  reason: string;
}

/**
 * Whether a connection the server refused with 401 should start OAuth by itself. It does when the person asked
 * for OAuth, and when they gave no credential and the server's challenge could be OAuth (a `Bearer` or `DPoP`
 * challenge, or none at all, which 2025-03-26 servers may send). It does not when the server refused a credential
 * the person typed (they meant that one), nor when the server asks for another scheme (Basic, API keys).
 */
export function shouldStartOAuth(input: {
  authType: AuthType;
  hasAuthorizationHeader: boolean;
  challenge?: Pick<AuthChallengeSeen, 'status' | 'wwwAuthenticate'>;
}): StartDecision {
  if (input.authType === 'oauth') return { start: true, reason: '' };
  if (input.authType === 'bearer' || input.hasAuthorizationHeader) {
    return {
      start: false,
      reason:
        'The server refused the Authorization header that was given, so mcpscope did not start OAuth by itself; use "Connect with OAuth" to sign in instead.',
    };
  }
  if (!input.challenge || input.challenge.status !== 401) {
    return { start: false, reason: 'No 401 answer was seen, so there is no OAuth challenge to start from.' };
  }
  const schemes = parseWwwAuthenticate(input.challenge.wwwAuthenticate).map((c) => c.scheme.toLowerCase());
  if (schemes.length > 0 && !schemes.some((s) => s === 'bearer' || s === 'dpop')) {
    return {
      start: false,
      reason: `The server asks for ${schemes.join(', ')} authentication, not OAuth bearer tokens; add the credential it expects as a header.`,
    };
  }
  return { start: true, reason: '' };
}

/** A grant without a person: it runs at once, with no browser. */
export type MachineGrant = Exclude<OAuthSettings['grant'], 'authorization_code'>;
export type AfterDiscovery = 'use_stored_token' | MachineGrant | 'authorize';

/** After discovery: a token this browser already holds for the server is tried first, then the configured grant. */
export function nextAfterDiscovery(input: { hasStoredToken: boolean; grant: OAuthSettings['grant'] }): AfterDiscovery {
  if (input.hasStoredToken) return 'use_stored_token';
  return input.grant === 'authorization_code' ? 'authorize' : input.grant;
}

/** Whether the grant runs without a person (client credentials, jwt-bearer, ID-JAG). */
export function isMachineGrant(grant: OAuthSettings['grant']): grant is MachineGrant {
  return grant !== 'authorization_code';
}

export type RequestFailure =
  /** A scope is missing: authorize again with the union of scopes; the session stays connected meanwhile. */
  | { kind: 'step_up'; requiredScopes: string[]; authorizationUrl?: string }
  /** The token is gone or refused for good: authorize again; the session waits (its log stays). */
  | { kind: 'reauthorize' }
  /** Something transient (network, a 5xx from the token endpoint): report it, change nothing. */
  | { kind: 'transient' };

const REAUTHORIZE_CODES: ReadonlySet<OAuthFlowErrorCode> = new Set([
  'authorization_required',
  'reauthorization_required',
  'invalid_state',
  'state_expired',
  'client_required',
  'issuer_mismatch',
  'resource_mismatch',
  'iss_mismatch',
]);

/**
 * What a failed request of a token-carrying session means. `flowError` is the OAuth failure behind it (if any);
 * `engineCode` the engine's code (a 401 that survived the refresh-and-retry is `auth_required`). Undefined when
 * the failure has nothing to do with authorization.
 */
export function classifyRequestFailure(flowError: OAuthFlowError | undefined, engineCode?: string): RequestFailure | undefined {
  if (flowError) {
    if (flowError.code === 'insufficient_scope') {
      return {
        kind: 'step_up',
        requiredScopes: flowError.requiredScopes ?? [],
        ...(flowError.authorizationUrl ? { authorizationUrl: flowError.authorizationUrl } : {}),
      };
    }
    if (REAUTHORIZE_CODES.has(flowError.code)) return { kind: 'reauthorize' };
    // The token request itself failed: a refusal (4xx) means the grant is dead, anything else may pass.
    if (flowError.code === 'token_request_failed' && flowError.status !== undefined && flowError.status < 500)
      return { kind: 'reauthorize' };
    return { kind: 'transient' };
  }
  if (engineCode === 'auth_required') return { kind: 'reauthorize' };
  return undefined;
}

/** The OAuth failure behind an error, however deep the SDK or the engine wrapped it. */
export function findFlowError(error: unknown): OAuthFlowError | undefined {
  let current = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    if (current instanceof OAuthFlowError) return current;
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return undefined;
}

// -------------------------------------------------------------------------------------------------
// The session's OAuth state

/** One attempt to connect: the registry runs the engine with these fetches. */
export type ConnectAttempt = (wiring: { baseFetch: typeof fetch; authorize?: ExchangeAuthorizer }) => Promise<McpConnection>;

export interface SessionAuthInit {
  sessionId: string;
  ownerId: string;
  serverUrl: string;
  log: TraceLog;
  secrets: SecretSet;
  /** The origin people reach mcpscope at; the redirect URI is `<publicUrl>/callback`. */
  publicUrl: string;
  type: AuthType;
  oauth?: OAuthSettings;
  /** The person typed an Authorization header (or a bearer token). */
  hasAuthorizationHeader: boolean;
  store?: () => Promise<Store>;
  /** The fetch that reaches the network (the flow and the engine record into the log themselves). */
  networkFetch?: typeof fetch;
  /** Whether OAuth URLs may be plain http (lib/security `httpUrlRule` for the mode). Default `allow`. */
  httpUrls?: HttpRule;
}

/** A guided run's progress; lib/sessions/auth-guided.ts reads and writes it. */
export interface GuidedProgress {
  records: Map<string, GuidedRecord>;
  finished: boolean;
}

export interface GuidedRecord {
  status: 'done' | 'failed';
  outcome?: string;
  error?: { code: string; message: string };
  /** The identity check the step stopped at, when it did (the person may continue past it). */
  refusal?: CheckRefusalView;
  fromSeq: number;
  toSeq: number;
  facts?: Array<[string, string]>;
}

export class SessionAuth {
  type: AuthType;
  settings: OAuthSettings;
  /** Set once the session sends OAuth tokens (after a grant, or with a token held from before). */
  usesTokens = false;
  needed?: AuthNeed;
  authorizationUrl?: string;
  requiredScopes?: string[];
  error?: { code: string; message: string };
  /** The check the flow refused, when that is why the session waits (the person may tolerate it). */
  refusal?: CheckRefusalView;
  /** The 401 that started the flow (guided discovery starts from its WWW-Authenticate). */
  challenge?: AuthChallengeSeen;
  /** Guided mode: the callback's parameters, held until the person sends the token request. */
  heldCallback?: CallbackParams;
  guided?: GuidedProgress;

  private flowInstance?: OAuthClientFlow;
  private creatingFlow?: Promise<OAuthClientFlow>;
  private lastFlowFailure?: { error: OAuthFlowError; at: number };
  private readonly init: SessionAuthInit;
  private readonly storeProvider: () => Promise<Store>;
  private readonly networkFetch: typeof fetch;

  constructor(init: SessionAuthInit) {
    this.init = init;
    this.type = init.type;
    this.settings = { ...(init.oauth ?? DEFAULT_OAUTH_SETTINGS) };
    this.storeProvider = init.store ?? getSharedStore;
    this.networkFetch = init.networkFetch ?? ((input, options) => globalThis.fetch(input, options));
    if (this.settings.guided) this.guided = { records: new Map(), finished: false };
  }

  get flow(): OAuthClientFlow | undefined {
    return this.flowInstance;
  }

  get serverUrl(): string {
    return this.init.serverUrl;
  }

  /** A URL as the browser may see it: credential query values and the session's known secrets masked. */
  shownUrl(url: string): string {
    return maskUrl(url, this.init.secrets);
  }

  get sessionId(): string {
    return this.init.sessionId;
  }

  get log(): TraceLog {
    return this.init.log;
  }

  get publicUrl(): string {
    return this.init.publicUrl;
  }

  store(): Promise<Store> {
    return this.storeProvider();
  }

  summary(): SessionAuthSummary {
    const summary: SessionAuthSummary = { type: this.type };
    if (this.usesTokens) summary.usesTokens = true;
    if (this.needed) summary.needed = this.needed;
    if (this.requiredScopes && this.requiredScopes.length > 0) summary.requiredScopes = [...this.requiredScopes];
    if (this.error) summary.error = { ...this.error };
    if (this.refusal) summary.refusal = { ...this.refusal };
    if (this.settings.tolerate?.length) summary.tolerated = [...this.settings.tolerate];
    if (this.type === 'oauth' || this.flowInstance) {
      summary.grant = this.settings.grant;
      if (this.guided && !this.guided.finished) summary.guided = true;
    }
    return summary;
  }

  /** The flow for this session, created on first use with the current settings. */
  async ensureFlow(): Promise<OAuthClientFlow> {
    if (this.flowInstance) return this.flowInstance;
    this.creatingFlow ??= (async () => {
      const store = await this.storeProvider();
      const { clientId, clientSecret, clientKey, clientKeyAlg, clientMetadataUrl, scopes } = this.settings;
      const flow = new OAuthClientFlow({
        serverUrl: this.init.serverUrl,
        owner: this.init.ownerId,
        store,
        log: this.init.log,
        publicOrigin: this.init.publicUrl,
        fetch: this.networkFetch,
        secrets: this.init.secrets,
        sessionId: this.init.sessionId,
        ...(this.init.httpUrls ? { httpUrls: this.init.httpUrls } : {}),
        ...(clientId
          ? {
              client: {
                clientId,
                ...(clientSecret ? { clientSecret } : {}),
                ...(clientKey ? { privateKey: { key: clientKey, ...(clientKeyAlg ? { alg: clientKeyAlg } : {}) } } : {}),
              },
            }
          : {}),
        ...(clientMetadataUrl ? { clientMetadataUrl } : {}),
        ...(scopes.length > 0 ? { scopes } : {}),
        ...(this.settings.tolerate?.length ? { tolerate: this.settings.tolerate } : {}),
      });
      this.flowInstance = flow;
      return flow;
    })().finally(() => {
      this.creatingFlow = undefined;
    });
    return this.creatingFlow;
  }

  /** New settings from "Connect with OAuth": the next connect starts over with them (tokens held stay usable). */
  restart(settings: OAuthSettings): void {
    this.type = 'oauth';
    // What the person chose to go past stays chosen for the session unless the new settings say otherwise.
    const tolerate = settings.tolerate ?? this.settings.tolerate;
    this.settings = { ...settings, ...(tolerate ? { tolerate } : {}) };
    this.flowInstance = undefined;
    this.usesTokens = false;
    this.heldCallback = undefined;
    this.guided = settings.guided ? { records: new Map(), finished: false } : undefined;
    this.clearNeed();
  }

  /** The configured grant without a person, run now: client credentials, jwt-bearer, or ID-JAG then jwt-bearer. */
  async runMachineGrant(flow: OAuthClientFlow, scopes: readonly string[]): Promise<MaskedToken> {
    const options = scopes.length > 0 ? { scopes } : {};
    const { grant, assertion, idp } = this.settings;
    switch (grant) {
      case 'jwt_bearer':
        if (!assertion) throw new SessionError('invalid_request', 'The jwt_bearer grant needs an assertion.');
        return flow.jwtBearer(assertion, { ...options, kind: 'assertion (workload identity token)' });
      case 'id_jag':
        if (!idp) throw new SessionError('invalid_request', 'The id_jag grant needs the identity provider settings.');
        return flow.enterpriseAuthorization(idp, options);
      default:
        return flow.clientCredentials(options);
    }
  }

  clearNeed(): void {
    this.needed = undefined;
    this.authorizationUrl = undefined;
    this.requiredScopes = undefined;
    this.error = undefined;
    this.refusal = undefined;
  }

  /**
   * "Continue anyway for this session": from now on the flow goes past these checks, each time as a finding.
   * Only the named identity checks reach here (the API parsed them); a scheme check or PKCE never can.
   */
  tolerate(checks: readonly TolerableCheck[]): void {
    if (checks.length === 0) return;
    this.settings = { ...this.settings, tolerate: [...new Set([...(this.settings.tolerate ?? []), ...checks])] };
    this.flowInstance?.configure({ tolerate: checks });
    this.init.log.finding(
      'info',
      'checks_tolerated',
      `The person chose to continue past ${checks.join(', ')} for this session; mcpscope still logs each time it happens.`,
    );
  }

  private noteFailure(flowError: OAuthFlowError): void {
    this.error = { code: flowError.code, message: flowError.message };
    if (flowError.refusal) this.refusal = { ...flowError.refusal };
  }

  /**
   * Connects through `attempt`. Without a token yet, the first attempt goes out as configured; a 401 then starts
   * OAuth when `shouldStartOAuth` says so: discovery from the challenge, a token held from before, else the grant.
   * When a person must authorize, throws `auth_required` with `authorizationUrl` set (or, guided, without one).
   */
  async connect(attempt: ConnectAttempt): Promise<McpConnection> {
    this.clearNeed();
    if (this.usesTokens && this.flowInstance) {
      try {
        return await attempt({ baseFetch: this.networkFetch, authorize: this.authorizer() });
      } catch (error) {
        if (!isAuthRefusal(error)) throw error;
        this.usesTokens = false;
        return this.obtainAuthorization(attempt, error as EngineError, { triedStoredToken: true });
      }
    }
    const watcher = watchAuthChallenges(this.networkFetch);
    let refusal: EngineError;
    try {
      const connection = await attempt({ baseFetch: watcher.fetch });
      if (this.type === 'oauth') {
        this.init.log.finding('info', 'oauth_not_needed', 'The server answered without asking for authorization, so no OAuth flow ran.');
      }
      return connection;
    } catch (error) {
      if (!isEngineError(error) || error.code !== 'auth_required') throw error;
      refusal = error;
    }
    const seen = watcher.last();
    const decision = shouldStartOAuth({ authType: this.type, hasAuthorizationHeader: this.init.hasAuthorizationHeader, challenge: seen });
    if (!decision.start) {
      this.init.log.finding('info', 'oauth_not_started', decision.reason);
      throw refusal;
    }
    if (seen) this.challenge = seen;
    if (this.guided && !this.guided.finished) {
      this.needed = 'authorize';
      throw new EngineError(
        'auth_required',
        'The server wants authorization (HTTP 401). Guided OAuth: step through discovery, client registration, authorization and the token request one at a time.',
        { status: 401 },
      );
    }
    try {
      const flow = await this.ensureFlow();
      await flow.discover({ wwwAuthenticate: seen?.wwwAuthenticate ?? null });
      return await this.obtainAuthorization(attempt, refusal, { triedStoredToken: false });
    } catch (error) {
      throw this.asAuthRequired(error);
    }
  }

  private async obtainAuthorization(
    attempt: ConnectAttempt,
    refusal: EngineError,
    opts: { triedStoredToken: boolean },
  ): Promise<McpConnection> {
    const flow = await this.ensureFlow();
    try {
      const held = opts.triedStoredToken ? undefined : await flow.tokenStatus();
      // A token held from before counts only if it was issued to the client this session is configured with.
      const fits = held !== undefined && (!this.settings.clientId || held.clientId === this.settings.clientId);
      const next = nextAfterDiscovery({ hasStoredToken: fits, grant: this.settings.grant });
      if (next === 'use_stored_token') {
        this.usesTokens = true;
        try {
          return await attempt({ baseFetch: this.networkFetch, authorize: this.authorizer() });
        } catch (error) {
          if (!isAuthRefusal(error)) throw error;
          this.usesTokens = false;
          return await this.obtainAuthorization(attempt, refusal, { triedStoredToken: true });
        }
      }
      if (next !== 'authorize') {
        await this.runMachineGrant(flow, this.settings.scopes);
        this.usesTokens = true;
        return await attempt({ baseFetch: this.networkFetch, authorize: this.authorizer() });
      }
      const request = await flow.startAuthorization();
      this.authorizationUrl = request.authorizationUrl;
      this.needed = opts.triedStoredToken ? 'reauthorize' : 'authorize';
      const where = flow.discovered?.issuer ?? 'the authorization server';
      throw new EngineError(
        'auth_required',
        `The server wants authorization (HTTP ${refusal.status ?? 401}). Sign in at ${where}: mcpscope finishes connecting when the authorization server sends you back.`,
        { status: refusal.status ?? 401 },
      );
    } catch (error) {
      throw this.asAuthRequired(error);
    }
  }

  /** Any failure on the way to a token as `auth_required` (the session waits for a person), its cause kept. */
  private asAuthRequired(error: unknown): unknown {
    if (isEngineError(error) && error.code === 'auth_required') {
      const flowError = findFlowError(error);
      if (flowError && !this.error) this.noteFailure(flowError);
      this.needed ??= 'authorize';
      return error;
    }
    const flowError = findFlowError(error);
    if (!flowError) return error;
    this.noteFailure(flowError);
    this.needed ??= 'authorize';
    return new EngineError('auth_required', flowError.message, { status: flowError.status, cause: flowError });
  }

  /** The authorizer the session's connection sends with, while it holds a token (probes beside it use it too). */
  tokenAuthorizer(): ExchangeAuthorizer | undefined {
    return this.usesTokens && this.flowInstance ? this.authorizer() : undefined;
  }

  /**
   * The fetch wrapper the engine puts around each exchange: bearer token, refresh and one retry on 401 or -32001,
   * step-up preparation on 403 insufficient_scope. Its OAuth failures become `auth_required` engine errors (cause
   * kept) and are remembered, because the SDK may not hand the original error back.
   */
  authorizer(): ExchangeAuthorizer {
    const flow = this.flowInstance;
    if (!flow) throw new Error('authorizer() needs a flow');
    return (send) => {
      const inner = authorizedFetch(send, flow);
      return (async (input: RequestInfo | URL, init?: RequestInit) => {
        try {
          return await inner(input, init);
        } catch (error) {
          const flowError = findFlowError(error);
          if (!flowError) throw error;
          this.lastFlowFailure = { error: flowError, at: Date.now() };
          throw new EngineError('auth_required', flowError.message, {
            ...(flowError.status !== undefined ? { status: flowError.status } : {}),
            cause: flowError,
          });
        }
      }) as typeof fetch;
    };
  }

  /**
   * A request of this session failed (`startedAt` is when it was sent). Returns undefined when authorization has
   * nothing to do with it; else what the session should do, with the error to report. For a dead token a new
   * authorization is prepared (so the person gets a link), for a missing scope the step-up link is kept.
   */
  async requestFailed(error: unknown, startedAt: number): Promise<{ error: EngineError; waitForAuthorization: boolean } | undefined> {
    if (!this.usesTokens || !this.flowInstance) return undefined;
    const recent = this.lastFlowFailure && this.lastFlowFailure.at >= startedAt ? this.lastFlowFailure.error : undefined;
    const flowError = findFlowError(error) ?? recent;
    const failure = classifyRequestFailure(flowError, isEngineError(error) ? error.code : undefined);
    if (!failure || failure.kind === 'transient') return undefined;
    const flow = this.flowInstance;
    if (failure.kind === 'step_up') {
      this.needed = 'step_up';
      this.requiredScopes = failure.requiredScopes;
      this.error = flowError ? { code: flowError.code, message: flowError.message } : undefined;
      if (failure.authorizationUrl) this.authorizationUrl = failure.authorizationUrl;
      const message =
        flowError?.message ?? `The server requires more scope (${failure.requiredScopes.join(' ')}); authorize again to grant it.`;
      return { error: new EngineError('auth_required', message, { status: 403, cause: flowError }), waitForAuthorization: false };
    }
    this.usesTokens = false;
    this.needed = 'reauthorize';
    const message = flowError?.message ?? 'The server no longer accepts the access token, even after a refresh; authorize again.';
    this.error = { code: flowError?.code ?? 'reauthorization_required', message };
    try {
      this.authorizationUrl = (await flow.startAuthorization()).authorizationUrl;
    } catch (startError) {
      const explained = findFlowError(startError);
      if (explained)
        this.error = { code: explained.code, message: `${message} Starting a new authorization failed too: ${explained.message}` };
    }
    return {
      error: new EngineError('auth_required', `${message} The session and its log are kept.`, { status: 401, cause: flowError }),
      waitForAuthorization: true,
    };
  }

  /**
   * The authorization server sent the browser back. Guided runs hold the parameters for the token step;
   * otherwise the code is exchanged now. Throws the flow's error (the session then offers a fresh link).
   */
  async completeCallback(params: CallbackParams): Promise<'held' | 'authorized'> {
    if (this.guided && !this.guided.finished) {
      this.heldCallback = params;
      return 'held';
    }
    const flow = await this.ensureFlow();
    try {
      await flow.handleCallback(params);
    } catch (error) {
      const flowError = findFlowError(error);
      if (flowError) this.noteFailure(flowError);
      else this.error = { code: 'callback_failed', message: String(error) };
      this.needed ??= 'authorize';
      // The used link is dead now: prepare another, so "Authorize…" works again.
      try {
        this.authorizationUrl = (await flow.startAuthorization()).authorizationUrl;
      } catch {
        this.authorizationUrl = undefined;
      }
      throw error;
    }
    this.usesTokens = true;
    this.clearNeed();
    return 'authorized';
  }

  /** Everything a person may see about this session's OAuth (nothing secret). */
  async status(): Promise<AuthStatus> {
    const status: AuthStatus = { auth: this.summary() };
    if (this.authorizationUrl) status.authorizationUrl = this.authorizationUrl;
    const flow = this.flowInstance;
    if (!flow) return status;
    status.redirectUri = flow.redirectUri;
    const d = flow.discovered;
    if (d) {
      status.discovery = {
        issuer: d.issuer,
        resource: d.resource,
        metadataKind: d.metadataKind,
        ...(d.resourceMetadataUrl ? { resourceMetadataUrl: d.resourceMetadataUrl } : {}),
        ...(d.metadataUrl ? { metadataUrl: d.metadataUrl } : {}),
      };
      const token = await flow.tokenStatus();
      if (token) status.token = token;
    }
    const client = flow.clientIdentity;
    if (client) status.client = { ...client };
    return status;
  }

  /** The token this session uses, masked; undefined before discovery or without a token. */
  async tokenStatus(): Promise<MaskedToken | undefined> {
    const flow = this.flowInstance;
    if (!flow?.discovered) return undefined;
    return flow.tokenStatus();
  }

  /** Forgets this session's tokens (this browser, this server). The session keeps running until it needs one. */
  async forgetTokens(): Promise<number> {
    const flow = this.flowInstance;
    if (!flow?.discovered) return 0;
    const store = await this.storeProvider();
    const removed = await store.forgetTokens(this.init.ownerId, flow.discovered.resource);
    if (removed > 0)
      this.init.log.finding(
        'info',
        'tokens_forgotten',
        `The tokens for ${flow.discovered.resource} were forgotten; the next request needs a new authorization.`,
      );
    return removed;
  }

  /**
   * "Refresh now": trades the refresh token for a new access token at once: the same refresh the session runs
   * near expiry (shared with one already running, rotation kept, a phase in the log). A refusal drops the dead
   * tokens, as then: the next request asks for a new authorization.
   */
  async refreshNow(): Promise<MaskedToken> {
    const flow = this.discoveredFlow('refresh');
    const held = await flow.tokenStatus();
    if (!held) throw new SessionError('no_token', 'There is no token for this server to refresh; authorize first.');
    if (!held.refreshToken) {
      throw new SessionError(
        'no_refresh_token',
        'The authorization server issued no refresh token with this access token, so it cannot be refreshed; authorize again for a new one.',
      );
    }
    try {
      return await flow.refresh();
    } catch (error) {
      throw asActionError(error);
    }
  }

  /**
   * "Re-authorize" and "step up": a new authorization with the session's client, while the session goes on with
   * the token it has. With `addScopes`, everything held or asked before plus these. The client credentials grant
   * needs no browser and runs at once.
   */
  async authorizeAgain(addScopes: readonly string[] = []): Promise<AuthorizeAgainResponse> {
    const flow = this.discoveredFlow('authorize again');
    if (this.guided && !this.guided.finished) {
      throw new SessionError('invalid_request', 'This session authorizes step by step: continue the guided steps instead.');
    }
    try {
      if (isMachineGrant(this.settings.grant)) {
        const held = (await flow.tokenStatus())?.scopes ?? this.settings.scopes;
        const scopes = addScopes.length > 0 ? unionScopes(held, addScopes) : this.settings.scopes;
        const token = await this.runMachineGrant(flow, scopes);
        this.usesTokens = true;
        this.clearNeed();
        return { kind: 'token', token };
      }
      const request = addScopes.length > 0 ? await flow.stepUp(addScopes) : await flow.startAuthorization();
      return { kind: 'redirect', authorizationUrl: request.authorizationUrl, scopes: request.scopes };
    } catch (error) {
      throw asActionError(error);
    }
  }

  /** The flow, once discovery told it where the tokens come from; a person's action needs both. */
  private discoveredFlow(action: string): OAuthClientFlow {
    const flow = this.flowInstance;
    if (!flow?.discovered) {
      throw new SessionError(
        'no_oauth',
        this.type === 'oauth'
          ? `OAuth has not found this server's authorization server yet, so there is nothing to ${action}.`
          : `This session does not use OAuth, so there is nothing to ${action}.`,
      );
    }
    return flow;
  }
}

/** An OAuth failure of a person's action as an API error: its sentence kept, a network failure told apart. */
function asActionError(error: unknown): unknown {
  const flowError = findFlowError(error);
  if (!flowError) return error;
  const code = flowError.code === 'network_error' ? 'network_error' : 'auth_required';
  return new EngineError(code, flowError.message, {
    ...(flowError.status !== undefined ? { status: flowError.status } : {}),
    cause: flowError,
  });
}

/** A refusal that another authorization could fix: HTTP 401 (or an OAuth failure) while connecting with a token. */
function isAuthRefusal(error: unknown): boolean {
  return isEngineError(error) && error.code === 'auth_required';
}
