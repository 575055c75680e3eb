// The live sessions of this server process: who owns each, its log, its connection, its in-flight calls,
// and when it expires. One registry per process, on globalThis, because Next.js may load each route
// module separately and they must all see the same sessions.
import type { Tool } from '@modelcontextprotocol/client';
import {
  type ApiErrorBody,
  type CommandSummary,
  type SessionHealth,
  type SessionState,
  type SessionSummary,
  type ToolListResponse,
  type TransportChoice,
} from '../contract';
import { decideStdio, verifyLaunchToken } from '../stdio';
import { getConfig, type AppConfig } from '../config';
import {
  connect as connectEngine,
  EngineError,
  isEngineError,
  watchWireFindings,
  type ConnectOptions,
  type McpConnection,
  type RpcOutcome,
  type SubscriptionSnapshot,
} from '../mcp';
import { checkTargetUrl, getSecuritySettings, guardedFetchFor, httpUrlRule, UNKNOWN_CLIENT } from '../security';
import { isJsonObject } from '../json';
import { maskUrl, SecretSet, TraceLog } from '../trace';
import type { TraceError } from '../trace/types';
import { isStoreError, type SessionRecord, type Store } from '../store';
import { getCluster, type Cluster } from '../cluster';
import { SessionAuth } from './auth';
import type { TolerableCheck } from '../oauth';
import type { OAuthSettings } from './auth-settings';
import { isSessionError, SessionError, statusForCode } from './errors';
import { SessionLogs } from './logs';
import { HEALTHY, watchSessionHealth } from './health';
import { ServerRequests } from './pending';
import { parseCreateSession, parseRpcRequest, type ValidatedCreate } from './validate';

export interface Session {
  readonly id: string;
  readonly ownerId: string;
  /** Who asked for it, by address (lib/security/client-address.ts): what the per-client limits count. */
  readonly clientAddress: string;
  readonly log: TraceLog;
  readonly secrets: SecretSet;
  /** The server URL as shown (credential query values masked); the real one is only used to connect. */
  readonly url: string;
  readonly transport: TransportChoice | 'stdio';
  /** A stdio server's process, as shown (environment variable names only). */
  readonly command?: CommandSummary;
  readonly headerNames: string[];
  readonly createdAt: number;
  readonly requestTimeoutMs: number;
  state: SessionState;
  error?: TraceError;
  /** What the wire says about the live connection (lib/sessions/health.ts). */
  health: SessionHealth;
  connection?: McpConnection;
  lastActivity: number;
  /** Calls that can still be cancelled, by the caller's callId. */
  readonly inFlight: Map<string, AbortController>;
  /** Open events streams; a session being watched is not idle. */
  watchers: number;
  /** The server's requests to the client (elicitation, sampling, roots) and the roots list. */
  readonly serverRequests: ServerRequests;
  /** How the session authenticates; its OAuth flow and what it waits for (lib/sessions/auth.ts). */
  readonly auth: SessionAuth;
  readonly summaryListeners: Set<(summary: SessionSummary) => void>;
  readonly endListeners: Set<() => void>;
}

export type CreateOutcome = { ok: true; session: Session; summary: SessionSummary } | { ok: false; status: number; body: ApiErrorBody };

export interface CreateOptions {
  /**
   * The request asked to be answered before connecting is over (`Prefer: respond-async`). The body's `wait`
   * wins when it says something.
   */
  respondAsync?: boolean;
  /** The client's key from lib/security `clientOfHeaders`; requests without one share the `unknown` client. */
  clientAddress?: string;
  /** The `x-mcpscope-launch` header: a command target needs the owner's launch token (lib/stdio/policy.ts). */
  launchToken?: string | null;
  /** The id of a session taken over from a stopped instance (lib/cluster); new sessions get a fresh one. */
  id?: string;
  /**
   * False: the session is made but not connected (state `connecting` until someone connects it). A session taken
   * over to finish its OAuth login: the code is exchanged first, then it connects with the new token.
   */
  connect?: boolean;
}

export interface RegistryOptions {
  config?: AppConfig;
  connect?: (options: ConnectOptions) => Promise<McpConnection>;
  /** Passed to the engine; tests use it to reach servers through a custom fetch. */
  baseFetch?: typeof fetch;
  /** Where OAuth clients and tokens are kept; default the process's shared store. */
  store?: () => Promise<Store>;
  now?: () => number;
  /** Where session logs live (memory budget, disk once disconnected); default from the config. */
  logs?: SessionLogs;
  /** Instances sharing the store (lib/cluster); default: on when the store is Postgres. `null`: off. */
  cluster?: Cluster | null;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly config: AppConfig;
  private readonly connectImpl: (options: ConnectOptions) => Promise<McpConnection>;
  private readonly baseFetch?: typeof fetch;
  private readonly now: () => number;
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private readonly storeProvider?: () => Promise<Store>;
  /** What each session was created with (header values included), so it can connect again after OAuth. */
  private readonly inputs = new WeakMap<Session, ValidatedCreate>();
  /** The connect under way for a session, so a close (or a newer connect) can stop it. */
  private readonly connectAborts = new WeakMap<Session, AbortController>();
  /** Subscriptions of a dropped connection, kept until a new connection has taken them over (survives a detour through OAuth). */
  private readonly subscriptionsToRestore = new WeakMap<Session, SubscriptionSnapshot>();
  /** What each session was created with, for another instance to connect it again (lib/cluster). */
  private readonly createBodies = new WeakMap<Session, Record<string, unknown>>();
  /** The logs' memory budget, and their files once their session is disconnected. */
  readonly logs: SessionLogs;
  /** The other instances' view of this one's sessions (undefined: one instance alone). */
  readonly cluster: Cluster | undefined;

  constructor(options: RegistryOptions = {}) {
    this.config = options.config ?? getConfig();
    this.connectImpl = options.connect ?? connectEngine;
    this.baseFetch = options.baseFetch;
    this.storeProvider = options.store;
    this.now = options.now ?? Date.now;
    this.logs = options.logs ?? new SessionLogs({ dataDir: this.config.dataDir, budgetBytes: this.config.logBudgetBytes });
    this.cluster = options.cluster === undefined ? getCluster() : (options.cluster ?? undefined);
  }

  get idleMs(): number {
    return this.config.sessionIdleMinutes * 60_000;
  }

  /**
   * Validates the request, connects, and keeps the session even when connecting failed (its log explains why).
   * Asked not to wait (`wait: false`, `Prefer: respond-async`), it answers as soon as the session exists, in
   * state `connecting`, and connects in the background: the handshake then shows live on the events stream.
   */
  async create(ownerId: string, body: unknown, options: CreateOptions = {}): Promise<CreateOutcome> {
    let input;
    try {
      input = parseCreateSession(body);
    } catch (error) {
      if (isSessionError(error)) return { ok: false, status: statusForCode(error.code), body: { error: error.toTraceError() } };
      throw error;
    }
    return this.createFrom(ownerId, input, options, isJsonObject(body) ? body : undefined);
  }

  /**
   * A new session to the same server as `source`, with what it was created with (transport, headers, bearer token,
   * OAuth settings): a replay against the server a session is connected to reuses its credentials without the
   * browser ever holding them. A local process is not started twice this way.
   */
  async createTwin(source: Session, options: CreateOptions = {}): Promise<CreateOutcome> {
    const input = this.inputs.get(source);
    if (!input || input.command)
      return {
        ok: false,
        status: statusForCode('invalid_request'),
        body: { error: { code: 'invalid_request', message: 'Only a session with a server URL can be connected again as a new session.' } },
      };
    return this.createFrom(
      source.ownerId,
      { ...input, wait: true },
      { ...options, clientAddress: options.clientAddress ?? source.clientAddress },
      this.createBodies.get(source),
    );
  }

  /**
   * `requestBody` is what the session was asked for, kept (sealed, in the store) so that another instance can
   * connect it again when this one stops; a session without one stays this instance's alone.
   */
  private async createFrom(
    ownerId: string,
    input: ValidatedCreate,
    options: CreateOptions,
    requestBody: Record<string, unknown> | undefined,
  ): Promise<CreateOutcome> {
    const security = this.config.security ?? getSecuritySettings();
    if (input.command) {
      // Starting a program: only on a loopback, non-hosted instance, and only for a request from mcpscope's own page.
      const decision = decideStdio(this.config.stdioEnabled ?? true, security);
      if (!decision.available)
        return { ok: false, status: statusForCode(decision.code), body: { error: { code: decision.code, message: decision.message } } };
      if (!verifyLaunchToken(ownerId, options.launchToken)) {
        return {
          ok: false,
          status: statusForCode('launch_token_invalid'),
          body: {
            error: {
              code: 'launch_token_invalid',
              message:
                "Starting a local server needs the launch token of this browser (GET /api/stdio, sent as the x-mcpscope-launch header). mcpscope's own page sends it; a request from another site cannot.",
            },
          },
        };
      }
    } else {
      // Hosted mode refuses internal targets before anything is sent (the guarded fetch checks again at connect time).
      const target = await checkTargetUrl(input.url, security.targets);
      if (!target.allowed)
        return {
          ok: false,
          status: statusForCode('target_forbidden'),
          body: { error: { code: 'target_forbidden', message: target.message } },
        };
    }
    // Room is made only for a session that will exist, and from here to `sessions.set` nothing awaits: concurrent
    // requests cannot all pass the same limit before any of them counts.
    const clientAddress = options.clientAddress ?? UNKNOWN_CLIENT;
    try {
      this.makeRoom(ownerId, clientAddress);
    } catch (error) {
      if (isSessionError(error)) return { ok: false, status: statusForCode(error.code), body: { error: error.toTraceError() } };
      throw error;
    }

    const id = options.id ?? crypto.randomUUID();
    const secrets = new SecretSet();
    for (const value of input.secretValues) secrets.add(value);
    // What the log, the summary and everything made from them show: credential query values masked (and learned,
    // so every request URL is masked too). The real URL stays in `inputs`, for connecting.
    // A command line is not a URL: only the known secrets (environment values worth remembering) are masked in it.
    const shownUrl = input.command ? secrets.maskText(input.url) : maskUrl(input.url, secrets);
    const createdAt = this.now();
    const log = new TraceLog(
      { sessionId: id, serverUrl: shownUrl, startedAt: createdAt, transport: input.command ? 'stdio' : input.transport },
      { ...this.config.logLimits, ...this.config.notificationLimits },
      { maskText: (text) => secrets.maskText(text) },
    );
    this.logs.opened(log, id);
    const session: Session = {
      id,
      ownerId,
      clientAddress,
      log,
      secrets,
      url: shownUrl,
      transport: input.command ? 'stdio' : input.transport,
      ...(input.command ? { command: commandSummary(input.command, shownUrl, secrets) } : {}),
      headerNames: Object.keys(input.headers),
      createdAt,
      requestTimeoutMs: input.requestTimeoutMs ?? this.config.requestTimeoutMs,
      state: 'connecting',
      health: HEALTHY,
      lastActivity: createdAt,
      inFlight: new Map(),
      watchers: 0,
      serverRequests: new ServerRequests(log, { timeoutMs: input.answerTimeoutMs ?? this.config.answerTimeoutMs, now: this.now }),
      summaryListeners: new Set(),
      endListeners: new Set(),
      auth: new SessionAuth({
        sessionId: id,
        ownerId,
        serverUrl: input.url,
        log,
        secrets,
        publicUrl: this.config.publicUrl,
        type: input.authType,
        ...(input.oauth ? { oauth: input.oauth } : {}),
        hasAuthorizationHeader: Object.keys(input.headers).some((name) => name.toLowerCase() === 'authorization'),
        ...(this.storeProvider ? { store: this.storeProvider } : {}),
        // Every request of the session (MCP and OAuth) goes through the guard: target policy, size caps, findings.
        networkFetch: guardedFetchFor(log, { settings: security, ...(this.baseFetch ? { fetch: this.baseFetch } : {}) }),
        httpUrls: httpUrlRule(security.targets),
      }),
    };
    this.sessions.set(id, session);
    // The other instances learn of it (a local process is this machine's alone: it cannot move).
    if (requestBody) this.createBodies.set(session, requestBody);
    if (this.cluster && !input.command && requestBody) {
      void this.cluster.recordSession({
        id,
        owner: ownerId,
        serverUrl: shownUrl,
        transport: session.transport,
        state: session.state,
        settings: { ...requestBody },
      });
    }
    watchWireFindings(log);
    // A dead or restarted server leaves the session "connected" in name only: the wire decides what it is.
    watchSessionHealth(log, {
      now: this.now,
      onChange: (health) => {
        session.health = health;
        if (health.status === 'session_lost' && session.state === 'connected') {
          this.setState(session, 'closed', {
            code: health.code === 'process_exited' ? 'process_exited' : 'server_session_lost',
            message: health.reason ?? 'The server no longer knows this session.',
          });
        } else {
          this.notify(session);
        }
      },
    });
    this.inputs.set(session, input);
    this.ensureSweeper();
    if (options.connect === false) return { ok: true, session, summary: this.summary(session) };
    if (!(input.wait ?? !options.respondAsync)) {
      const summary = this.summary(session);
      // open() records every failure in the log and the state; this only catches a bug in mcpscope itself.
      void this.open(session, input).catch((error: unknown) => {
        console.error('connecting in the background failed', error);
        this.setState(session, 'failed', {
          code: 'internal_error',
          message: 'Connecting failed inside mcpscope; the server log has the details.',
        });
      });
      return { ok: true, session, summary };
    }
    return (await this.open(session, input)) ?? { ok: true, session, summary: this.summary(session) };
  }

  /**
   * Connects the session (again) with what it was created with, through its auth (which may start OAuth). Leaves
   * the state connected, auth_required or failed; returns the API error for a failure other than auth_required.
   */
  private async open(session: Session, input: ValidatedCreate): Promise<CreateOutcome | undefined> {
    const id = session.id;
    // One connect at a time: a newer one (reconnect, resume after OAuth) replaces any still under way.
    this.connectAborts.get(session)?.abort('the session connects again');
    const abort = new AbortController();
    this.connectAborts.set(session, abort);
    try {
      const command = input.command;
      // What every connect of this session shares, whatever its target.
      const recorded = {
        log: session.log,
        secrets: session.secrets,
        connectTimeoutMs: input.connectTimeoutMs ?? this.config.connectTimeoutMs,
        requestTimeoutMs: session.requestTimeoutMs,
        requestMaxMs: input.requestMaxMs ?? this.config.requestMaxMs,
        signal: abort.signal,
        clientFeatures: session.serverRequests,
      };
      const connection = command
        ? // A local process: no HTTP, no auth wiring; the launch is the connect.
          await this.connectImpl({
            url: session.url,
            transport: 'auto',
            stdio: { spec: { command: command.command, args: command.args, env: command.env, cwd: command.cwd }, shown: session.url },
            headers: {},
            ...recorded,
          })
        : await session.auth.connect((wiring) =>
            this.connectImpl({
              url: input.url,
              transport: input.transport,
              headers: input.headers,
              ...recorded,
              baseFetch: wiring.baseFetch,
              ...(wiring.authorize ? { authorize: wiring.authorize } : {}),
            }),
          );
      if (!this.sessions.has(id) || abort.signal.aborted) {
        // Expired, closed or replaced while connecting: do not leave the connection dangling.
        await connection.close().catch(() => undefined);
        return this.stoppedWhileConnecting(session);
      }
      session.connection = connection;
      connection.onUnexpectedClose((error) => this.setState(session, 'closed', error));
      this.setState(session, 'connected');
    } catch (error) {
      // Whoever stopped the connect (close, expiry, a newer connect) owns the state now.
      if (abort.signal.aborted || !this.sessions.has(id)) return this.stoppedWhileConnecting(session);
      if (isStoreError(error)) {
        const store = { code: error.code, message: error.message };
        this.setState(session, 'failed', store);
        return { ok: false, status: 503, body: { error: store, sessionId: id } };
      }
      const engineError = isEngineError(error)
        ? error
        : new EngineError('protocol_error', error instanceof Error ? error.message : String(error));
      if (engineError.code === 'auth_required') {
        this.setState(session, 'auth_required', engineError.toTraceError());
      } else {
        this.setState(session, 'failed', engineError.toTraceError());
        return { ok: false, status: statusForCode(engineError.code), body: { error: engineError.toTraceError(), sessionId: id } };
      }
    } finally {
      if (this.connectAborts.get(session) === abort) this.connectAborts.delete(session);
    }
    return undefined;
  }

  private stoppedWhileConnecting(session: Session): CreateOutcome {
    if (!this.sessions.has(session.id)) {
      if (session.error?.code === EVICTED) return { ok: false, status: statusForCode(EVICTED), body: { error: session.error } };
      return { ok: false, status: 404, body: { error: { code: 'not_found', message: 'The session ended while it was connecting.' } } };
    }
    return {
      ok: false,
      status: statusForCode('not_connected'),
      body: { error: { code: 'not_connected', message: 'The session was closed while it was connecting.' }, sessionId: session.id },
    };
  }

  /**
   * Drops the connection (if any) and connects again with the session's settings; the log continues. `tolerate`:
   * checks the OAuth flow refused that the person now chooses to go past for this session.
   */
  async reconnect(session: Session, options: { tolerate?: readonly TolerableCheck[] } = {}): Promise<SessionSummary> {
    const input = this.inputs.get(session);
    if (!input) throw new SessionError('not_found', 'This session cannot connect again: its settings are gone.');
    // A disconnected session's log waits on disk: back into memory before it records again.
    await this.logs.reconnecting(session.log);
    if (options.tolerate) session.auth.tolerate(options.tolerate);
    for (const controller of session.inFlight.values()) controller.abort('the session reconnects');
    session.inFlight.clear();
    // A disconnect closed the answer queue; the new connection may ask again.
    session.serverRequests.queue.reopen();
    const old = session.connection;
    const previous = old?.subscriptionSnapshot();
    if (previous && previous.resources.length + (previous.listen ? 1 : 0) > 0) this.subscriptionsToRestore.set(session, previous);
    session.connection = undefined;
    if (old && !old.closed) await old.close().catch(() => undefined);
    this.setState(session, 'connecting');
    await this.open(session, input);
    await this.restoreSubscriptions(session);
    return this.summary(session);
  }

  /** The new connection subscribes again to what the session's previous one was subscribed to. */
  private async restoreSubscriptions(session: Session): Promise<void> {
    const previous = this.subscriptionsToRestore.get(session);
    const connection = session.connection;
    if (!previous || session.state !== 'connected' || !connection || connection.closed) return;
    this.subscriptionsToRestore.delete(session);
    await connection.restoreSubscriptions(previous).catch(() => undefined);
    this.notify(session);
  }

  /** After an authorization completed: a live connection carries on with the new token, else it connects again. */
  async resumeAfterAuthorization(session: Session): Promise<SessionSummary> {
    session.auth.clearNeed();
    const connection = session.connection;
    if (connection && !connection.closed) {
      this.setState(session, 'connected');
      return this.summary(session);
    }
    return this.reconnect(session);
  }

  /** "Connect with OAuth" on a session that exists: new OAuth settings, then connect again through them. */
  async startOAuth(session: Session, settings: OAuthSettings): Promise<SessionSummary> {
    if (settings.clientSecret) session.secrets.add(settings.clientSecret);
    if (settings.clientKey) session.secrets.add(settings.clientKey);
    if (settings.assertion) session.secrets.add(settings.assertion);
    if (settings.idp) session.secrets.add(settings.idp.idToken).add(settings.idp.clientSecret);
    session.auth.restart(settings);
    return this.reconnect(session);
  }

  /**
   * Connects, on this instance, a session whose instance stopped (lib/cluster): same id, same settings, the
   * owner's stored tokens. Its log starts anew (the old one was in the stopped instance's memory). Undefined
   * when another instance took it over first.
   */
  async adopt(record: SessionRecord, options: Omit<CreateOptions, 'id' | 'respondAsync'> = {}): Promise<CreateOutcome | undefined> {
    if (!this.cluster || !(await this.cluster.claim(record))) return undefined;
    return this.create(record.owner, { ...record.settings, wait: true }, { ...options, id: record.id });
  }

  /** Sends the current summary to the session's watchers (auth state changed without a state change). */
  notify(session: Session): void {
    this.setState(session, session.state, session.error);
  }

  /** The owner's session, or undefined (an unknown id and someone else's session look the same). */
  /**
   * What the session connects with (header values and the bearer token included): the Connection Doctor and the
   * audit (lib/doctor, lib/audit) send their own requests with it. Server-side only; never answered to a browser.
   */
  connectInput(session: Session): { url: string; transport: TransportChoice; headers: Record<string, string> } | undefined {
    const input = this.inputs.get(session);
    return input ? { url: input.url, transport: input.transport, headers: { ...input.headers } } : undefined;
  }

  get(ownerId: string | undefined, id: string): Session | undefined {
    if (!ownerId) return undefined;
    const session = this.sessions.get(id);
    if (!session || session.ownerId !== ownerId) return undefined;
    session.lastActivity = this.now();
    return session;
  }

  /** Disconnects; the log stays readable until the session expires. */
  async close(session: Session): Promise<SessionSummary> {
    this.connectAborts.get(session)?.abort('the session was closed');
    for (const controller of session.inFlight.values()) controller.abort('the session was closed');
    session.inFlight.clear();
    session.serverRequests.queue.closeAll('the session was closed');
    const connection = session.connection;
    if (session.state === 'closed' && !connection) return this.summary(session);
    if (connection) await connection.close().catch(() => undefined);
    this.setState(session, 'closed');
    return this.summary(session);
  }

  async rpc(session: Session, body: unknown, signal?: AbortSignal): Promise<RpcOutcome> {
    return (await this.timedRpc(session, body, signal)).outcome;
  }

  /**
   * `rpc`, with how long the engine waited for the answer (ms): from handing the request to the MCP client until
   * its answer came back. What the person reads as the call's latency: the browser's round trip adds mcpscope's
   * own hop to it.
   */
  async timedRpc(session: Session, body: unknown, signal?: AbortSignal): Promise<{ outcome: RpcOutcome; engineMs: number }> {
    const request = parseRpcRequest(body);
    const connection = session.connection;
    if (session.state !== 'connected' || !connection || connection.closed) {
      throw new SessionError(
        'not_connected',
        `The session is ${session.state === 'connected' ? 'disconnected' : session.state}; connect again to send requests.`,
      );
    }
    if (request.callId !== undefined && session.inFlight.has(request.callId)) {
      throw new SessionError('invalid_request', `A call with callId "${request.callId}" is already running.`);
    }
    const controller = new AbortController();
    const onClientGone = () => controller.abort('the browser closed the request');
    if (signal?.aborted) onClientGone();
    signal?.addEventListener('abort', onClientGone, { once: true });
    if (request.callId !== undefined) session.inFlight.set(request.callId, controller);
    session.lastActivity = this.now();
    const startedAt = Date.now();
    try {
      const sentAt = performance.now();
      const outcome = await connection.request(request.method, request.params, { signal: controller.signal });
      const engineMs = performance.now() - sentAt;
      // The summary lists the subscriptions: watchers learn of a change however the request was sent.
      if (request.method === 'resources/subscribe' || request.method === 'resources/unsubscribe') this.notify(session);
      return { outcome, engineMs };
    } catch (error) {
      throw await this.explainFailure(session, error, startedAt);
    } finally {
      signal?.removeEventListener('abort', onClientGone);
      if (request.callId !== undefined && session.inFlight.get(request.callId) === controller) session.inFlight.delete(request.callId);
      session.lastActivity = this.now();
    }
  }

  /** Cancels an in-flight call; false when it is not running (any more). */
  cancel(session: Session, callId: string, reason?: string): boolean {
    const controller = session.inFlight.get(callId);
    if (!controller) return false;
    session.inFlight.delete(callId);
    controller.abort(reason ?? 'cancelled by the user');
    return true;
  }

  async tools(session: Session, refresh: boolean): Promise<Tool[]> {
    return (await this.listedTools(session, refresh)).tools;
  }

  /** `GET /api/sessions/:id/tools`: the tools as the server sent them, and those mcpscope will not call, with why. */
  async toolList(session: Session, refresh: boolean): Promise<ToolListResponse> {
    const connection = await this.listedTools(session, refresh);
    const excluded = Object.fromEntries(connection.excludedTools);
    return { tools: connection.tools, ...(Object.keys(excluded).length > 0 ? { excluded } : {}) };
  }

  /** The connection, its tools listed again first when `refresh`. */
  private async listedTools(session: Session, refresh: boolean): Promise<McpConnection> {
    const connection = session.connection;
    if (session.state !== 'connected' || !connection) {
      throw new SessionError('not_connected', `The session is ${session.state}; connect again to list tools.`);
    }
    if (!refresh) return connection;
    const startedAt = Date.now();
    try {
      await connection.refreshTools();
    } catch (error) {
      throw await this.explainFailure(session, error, startedAt);
    }
    return connection;
  }

  /**
   * The error to answer a failed request with. The authorizer already refreshed an expired token and retried;
   * what still fails for auth is a dead token (the session waits to be authorized again) or a missing scope
   * (the step-up prompt, the session stays connected): the session says what to do next.
   */
  private async explainFailure(session: Session, error: unknown, startedAt: number): Promise<unknown> {
    const auth = await session.auth.requestFailed(error, startedAt);
    if (!auth) return error;
    if (auth.waitForAuthorization) this.setState(session, 'auth_required', auth.error.toTraceError());
    else this.notify(session);
    return auth.error;
  }

  summary(session: Session): SessionSummary {
    const connection = session.connection;
    const summary: SessionSummary = {
      id: session.id,
      state: session.state,
      url: session.url,
      transport: session.transport,
      ...(session.command ? { command: session.command } : {}),
      createdAt: session.createdAt,
      headerNames: session.headerNames,
    };
    if (connection) {
      summary.server = {
        name: connection.serverInfo.name,
        version: connection.serverInfo.version,
        ...(connection.serverInfo.title ? { title: connection.serverInfo.title } : {}),
        protocolVersion: connection.protocolVersion,
        era: connection.era,
        capabilities: connection.capabilities,
        ...(connection.instructions ? { instructions: connection.instructions } : {}),
      };
    }
    if (connection && session.state === 'connected' && !connection.closed)
      summary.resourceSubscriptions = [...connection.resourceSubscriptions];
    if (session.error) summary.error = session.error;
    if (connection || session.health.status !== 'ok') summary.health = session.health;
    if (session.auth.authorizationUrl) summary.authorizationUrl = session.auth.authorizationUrl;
    summary.auth = session.auth.summary();
    return summary;
  }

  subscribeSummary(session: Session, listener: (summary: SessionSummary) => void): () => void {
    session.summaryListeners.add(listener);
    return () => session.summaryListeners.delete(listener);
  }

  /** Counts an open events stream: a watched session does not expire. Returns the matching stop. */
  watch(session: Session): () => void {
    session.watchers += 1;
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      session.watchers -= 1;
      session.lastActivity = this.now();
    };
  }

  /** Called when the session is removed from the registry (expired): events streams end. */
  onEnd(session: Session, listener: () => void): () => void {
    session.endListeners.add(listener);
    return () => session.endListeners.delete(listener);
  }

  /** Removes sessions idle for longer than the configured time. Returns how many expired. */
  async sweep(): Promise<number> {
    const cutoff = this.now() - this.idleMs;
    const expired = [...this.sessions.values()].filter((session) => session.lastActivity < cutoff && session.watchers === 0);
    await Promise.all(expired.map((session) => this.expire(session)));
    return expired.length;
  }

  /** Closes every session (process shutdown, tests). */
  async shutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    // Their records stay: the other instances say these sessions ended with this one, and can connect them again.
    await Promise.all([...this.sessions.values()].map((session) => this.expire(session, undefined, { keepRecord: true })));
    await this.logs.shutdown();
  }

  /** The owner's sessions, newest first (the session switcher lists them). */
  listFor(ownerId: string): Session[] {
    return [...this.sessions.values()].filter((session) => session.ownerId === ownerId).sort((a, b) => b.createdAt - a.createdAt);
  }

  countFor(ownerId: string): number {
    let count = 0;
    for (const session of this.sessions.values()) if (session.ownerId === ownerId) count += 1;
    return count;
  }

  private async expire(session: Session, why?: Ending, options: { keepRecord?: boolean } = {}): Promise<void> {
    this.sessions.delete(session.id);
    if (this.cluster && !options.keepRecord && session.transport !== 'stdio') void this.cluster.forgetSession(session.ownerId, session.id);
    // Forgotten first, so closing it does not write its log to disk only to remove it.
    void this.logs.forget(session.log);
    if (session.state === 'connected' || session.state === 'connecting') {
      const ending = why ?? {
        severity: 'info',
        code: 'session_expired',
        message: `The session was idle for ${this.config.sessionIdleMinutes} minutes and was closed.`,
      };
      session.log.finding(ending.severity, ending.code, ending.message);
      await this.close(session).catch(() => undefined);
    }
    for (const listener of [...session.endListeners]) safeCall(listener);
    session.endListeners.clear();
    session.summaryListeners.clear();
  }

  /**
   * Makes room for one more session of this owner and client, or says which limit refuses it. Nothing is ended
   * unless the new session can then be admitted. Per client address: connecting and live sessions are capped
   * (whatever cookies it sends). Per owner: its oldest sessions that are over give way. In all: sessions that
   * are over give way, then, fair share, the oldest connecting sessions of the client holding the most; a
   * client is refused only when no other holds more than it would.
   */
  private makeRoom(ownerId: string, clientAddress: string): void {
    const all = [...this.sessions.values()];
    const fromClient = all.filter((session) => session.clientAddress === clientAddress);
    const connecting = fromClient.filter((session) => session.state === 'connecting').length;
    if (connecting >= this.config.maxConnectingPerAddress) {
      throw new SessionError(
        'too_many_sessions',
        `${connecting} sessions from your address are still connecting, waiting for their servers (the limit is ${this.config.maxConnectingPerAddress}, MCPSCOPE_MAX_CONNECTING_PER_ADDRESS). Wait for them, or disconnect some, before connecting more.`,
      );
    }
    const live = fromClient.filter(isLive).length;
    if (live >= this.config.maxSessionsPerAddress) {
      throw new SessionError(
        'too_many_sessions',
        `Your address already holds ${live} live sessions (the limit is ${this.config.maxSessionsPerAddress} per client address, MCPSCOPE_MAX_SESSIONS_PER_ADDRESS). Disconnect some first.`,
      );
    }

    const idle: Session[] = [];
    const owned = all.filter((session) => session.ownerId === ownerId);
    if (owned.length >= this.config.maxSessionsPerOwner) {
      const excess = owned.length - this.config.maxSessionsPerOwner + 1;
      const over = owned.filter(isOver).sort(byLastActivity);
      if (over.length < excess) {
        throw new SessionError(
          'too_many_sessions',
          `This browser already has ${owned.length} sessions (the limit is ${this.config.maxSessionsPerOwner}, MCPSCOPE_MAX_SESSIONS). Disconnect some first.`,
        );
      }
      idle.push(...over.slice(0, excess));
    }

    let excess = this.sessions.size - idle.length - this.config.maxSessionsTotal + 1;
    const evicted: Session[] = [];
    if (excess > 0) {
      // Logs of sessions that are over give way first: the heaviest client's first (a flood of sessions that end
      // at once, e.g. waiting for OAuth, must not push out someone else's), oldest first.
      const held = new Map<string, number>();
      for (const session of all) held.set(session.clientAddress, (held.get(session.clientAddress) ?? 0) + 1);
      const over = all
        .filter((session) => isOver(session) && !idle.includes(session))
        .sort((a, b) => held.get(b.clientAddress)! - held.get(a.clientAddress)! || byLastActivity(a, b))
        .slice(0, excess);
      idle.push(...over);
      excess -= over.length;
    }
    if (excess > 0) {
      evicted.push(...this.fairShareVictims(clientAddress, excess));
      if (evicted.length < excess) {
        throw new SessionError(
          'too_many_sessions',
          `mcpscope already holds ${this.sessions.size} sessions, its limit for all clients together (MCPSCOPE_MAX_SESSIONS_TOTAL = ${this.config.maxSessionsTotal}), and none can give way to yours: only the connecting sessions of a client holding more than you would are ended to make room. Try again when some have ended.`,
        );
      }
    }
    for (const session of idle) void this.expire(session);
    for (const session of evicted) {
      const message = `mcpscope was full (MCPSCOPE_MAX_SESSIONS_TOTAL = ${this.config.maxSessionsTotal}) and this session's client address held the most sessions, so its oldest handshake still waiting for the server was stopped to make room for another client's.`;
      session.error = { code: EVICTED, message };
      void this.expire(session, { severity: 'warning', code: EVICTED, message });
    }
  }

  /**
   * Up to `count` connecting sessions to end so that `clientAddress` gets one more: each from the client then
   * holding the most live sessions, its oldest handshake first, and only from a client that would still hold
   * at least as many as this one afterwards. Connected sessions are never taken.
   */
  private fairShareVictims(clientAddress: string, count: number): Session[] {
    const holdings = new Map<string, Session[]>();
    for (const session of this.sessions.values()) {
      if (!isLive(session)) continue;
      const held = holdings.get(session.clientAddress);
      if (held) held.push(session);
      else holdings.set(session.clientAddress, [session]);
    }
    const mine = holdings.get(clientAddress)?.length ?? 0;
    const victims: Session[] = [];
    while (victims.length < count) {
      let heaviest: Session[] | undefined;
      for (const [address, held] of holdings) {
        if (address === clientAddress || held.length <= mine + 1 || !held.some((session) => session.state === 'connecting')) continue;
        if (!heaviest || held.length > heaviest.length) heaviest = held;
      }
      if (!heaviest) break;
      const oldest = heaviest.filter((session) => session.state === 'connecting').sort((a, b) => a.createdAt - b.createdAt)[0]!;
      heaviest.splice(heaviest.indexOf(oldest), 1);
      victims.push(oldest);
    }
    return victims;
  }

  private setState(session: Session, state: SessionState, error?: TraceError): void {
    if (this.cluster && session.state !== state && session.transport !== 'stdio' && this.sessions.get(session.id) === session)
      void this.cluster.recordState(session.id, state);
    session.state = state;
    if (error) session.error = error;
    else if (state === 'connected') delete session.error;
    const summary = this.summary(session);
    for (const listener of [...session.summaryListeners]) safeCall(() => listener(summary));
    // Disconnected: its log leaves the memory budget for disk (read back from there; back in memory on reconnect).
    if (state === 'closed' || state === 'failed') this.logs.disconnected(session.log);
  }

  private ensureSweeper(): void {
    if (this.sweeper) return;
    const every = Math.min(60_000, Math.max(1_000, Math.floor(this.idleMs / 4)));
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), every);
    // The sweeper must never keep the process alive on its own.
    this.sweeper.unref?.();
  }
}

function commandSummary(command: NonNullable<ValidatedCreate['command']>, line: string, secrets: SecretSet): CommandSummary {
  return {
    command: secrets.maskText(command.command),
    args: command.args.map((arg) => secrets.maskText(arg)),
    envNames: Object.keys(command.env),
    ...(command.cwd ? { cwd: command.cwd } : {}),
    line,
  };
}

/** The code of a session ended to make room for another client's (fair share at MCPSCOPE_MAX_SESSIONS_TOTAL). */
const EVICTED = 'session_evicted';

/** The finding that says why a session left the registry. */
interface Ending {
  severity: 'info' | 'warning';
  code: string;
  message: string;
}

/** Connected or connecting: holding (or about to hold) a connection to a server. */
function isLive(session: Session): boolean {
  return session.state === 'connected' || session.state === 'connecting';
}

/** Ended and nobody watching it: only its log is left, and it may give way to a new session. */
function isOver(session: Session): boolean {
  return !isLive(session) && session.watchers === 0;
}

function byLastActivity(a: Session, b: Session): number {
  return a.lastActivity - b.lastActivity;
}

function safeCall(fn: () => void): void {
  try {
    fn();
  } catch (error) {
    console.error('session listener failed', error);
  }
}

const REGISTRY_KEY = Symbol.for('mcpscope.sessions');

/** The process-wide registry. */
export function getRegistry(): SessionRegistry {
  const holder = globalThis as typeof globalThis & { [REGISTRY_KEY]?: SessionRegistry };
  holder[REGISTRY_KEY] ??= new SessionRegistry();
  return holder[REGISTRY_KEY];
}
