// One connection for one command: headers and bearer token, or OAuth when asked (started from the server's
// own 401 challenge), with the server's elicitation answered as --on-elicitation says.
import {
  connect,
  isEngineError,
  type ClientFeatures,
  type ExchangeAuthorizer,
  type McpConnection,
  type RpcOutcome,
  type RpcRequestOptions,
} from '../mcp';
import { OAuthFlowError, watchAuthChallenges } from '../oauth';
import { isSecretHeaderName, worthRemembering, type SecretSet, type TraceLog } from '../trace';
import type { CliOptions } from './args';
import { elicitationFeatures } from './elicitation';
import { findOAuthError, type AuthMode } from './errors';
import { authorize, type CliAuthorization } from './oauth';

export interface SessionContext {
  options: CliOptions;
  log: TraceLog;
  secrets: SecretSet;
  dataDir: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** The most one request may take in all, progress or not. */
  requestMaxMs?: number;
  notify(line: string): void;
  /** Who answers the server's requests, instead of --on-elicitation's answers (replay: the recording). */
  clientFeatures?: ClientFeatures;
}

export interface CliSession {
  readonly connection: McpConnection;
  /** With OAuth: what the connection's exchanges are sent with (the token); probes beside it use it too. */
  readonly authorize?: ExchangeAuthorizer;
  /**
   * Sends a request; a step-up demand (403 insufficient_scope), or a token that died and cannot be renewed, is
   * authorized again and the request sent once more.
   */
  request(method: string, params: Record<string, unknown> | undefined, opts?: RpcRequestOptions): Promise<RpcOutcome>;
  close(): Promise<void>;
}

export function authModeOf(options: CliOptions): AuthMode {
  if (options.grant) return 'client_credentials';
  if (options.oauth) return 'oauth';
  if (options.bearer) return 'bearer';
  return Object.keys(options.headers).some((name) => isSecretHeaderName(name)) ? 'header' : 'none';
}

/** The headers the command sends: --header values and --bearer, each learned as a secret. */
export function commandHeaders(options: CliOptions, secrets: SecretSet): Record<string, string> {
  const headers = { ...options.headers };
  // Every header value may be a credential; the log masks all of them, as the app does.
  for (const [name, value] of Object.entries(headers)) if (worthRemembering(name, value)) secrets.add(value);
  if (options.bearer) {
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
    headers.Authorization = `Bearer ${options.bearer}`;
    secrets.add(options.bearer);
  }
  return headers;
}

export async function openSession(ctx: SessionContext): Promise<CliSession> {
  const { options, log, secrets } = ctx;
  const headers = commandHeaders(options, secrets);
  if (options.clientSecret) secrets.add(options.clientSecret);
  if (options.stdio) {
    // Environment values are masked wherever they show up (stderr, messages), as header values are.
    for (const [name, value] of Object.entries(options.stdio.env)) if (worthRemembering(name, value)) secrets.add(value);
    const { command, args, env, cwd } = options.stdio;
    const connection = await connect({
      url: options.url,
      transport: 'auto',
      stdio: { spec: { command, args, env, ...(cwd ? { cwd } : {}) }, shown: secrets.maskText(options.url) },
      headers: {},
      log,
      secrets,
      connectTimeoutMs: ctx.connectTimeoutMs,
      requestTimeoutMs: ctx.requestTimeoutMs,
      ...(ctx.requestMaxMs !== undefined ? { requestMaxMs: ctx.requestMaxMs } : {}),
      ...(options.onElicitation ? { clientFeatures: elicitationFeatures(options.onElicitation, ctx.notify) } : {}),
    });
    return plainSession(connection);
  }
  const base = {
    url: options.url,
    transport: options.transport,
    headers,
    log,
    secrets,
    connectTimeoutMs: ctx.connectTimeoutMs,
    requestTimeoutMs: ctx.requestTimeoutMs,
    ...(ctx.requestMaxMs !== undefined ? { requestMaxMs: ctx.requestMaxMs } : {}),
    ...(ctx.clientFeatures
      ? { clientFeatures: ctx.clientFeatures }
      : options.onElicitation
        ? { clientFeatures: elicitationFeatures(options.onElicitation, ctx.notify) }
        : {}),
  };

  if (!options.oauth && !options.grant) {
    const connection = await connect(base);
    return plainSession(connection);
  }

  // Ask without a token first: a server that needs none is simply used, and one that does names its
  // authorization server in the 401's WWW-Authenticate.
  const watcher = watchAuthChallenges((input, init) => globalThis.fetch(input, init));
  try {
    const connection = await connect({ ...base, baseFetch: watcher.fetch });
    return plainSession(connection);
  } catch (error) {
    if (!(isEngineError(error) && error.code === 'auth_required')) throw error;
  }

  const auth = await authorize(ctx, watcher.last()?.wwwAuthenticate);
  try {
    const connection = await connectAuthorized(base, auth);
    return authorizedSession(connection, auth);
  } catch (error) {
    await auth.close();
    throw error;
  }
}

async function connectAuthorized(base: Parameters<typeof connect>[0], auth: CliAuthorization): Promise<McpConnection> {
  try {
    return await connect({ ...base, authorize: auth.authorize });
  } catch (error) {
    const oauth = findOAuthError(error) ?? auth.takeFailure();
    // A token kept from an earlier run may have been revoked, and its refresh refused: authorize afresh, once.
    if (auth.reusedStoredToken && isTokenRejection(error, oauth)) {
      await auth.reauthorize();
      return connectOnce(base, auth);
    }
    throw oauth ?? error;
  }
}

async function connectOnce(base: Parameters<typeof connect>[0], auth: CliAuthorization): Promise<McpConnection> {
  try {
    return await connect({ ...base, authorize: auth.authorize });
  } catch (error) {
    throw findOAuthError(error) ?? auth.takeFailure() ?? error;
  }
}

function isTokenRejection(error: unknown, oauth: OAuthFlowError | undefined): boolean {
  if (oauth) return oauth.code === 'reauthorization_required' || oauth.code === 'authorization_required';
  return isEngineError(error) && error.code === 'auth_required';
}

function plainSession(connection: McpConnection): CliSession {
  return {
    connection,
    request: (method, params, opts) => connection.request(method, params, opts),
    close: () => connection.close(),
  };
}

function authorizedSession(connection: McpConnection, auth: CliAuthorization): CliSession {
  return {
    connection,
    authorize: auth.authorize,
    async request(method, params, opts) {
      try {
        return await connection.request(method, params, opts);
      } catch (error) {
        const oauth = findOAuthError(error) ?? auth.takeFailure();
        if (oauth?.code === 'reauthorization_required' || oauth?.code === 'authorization_required') {
          // The token died mid-run and cannot be renewed (the flow rediscovered: a new authorization server is
          // registered with, SEP-2352): authorize afresh, once, and send the request again.
          await auth.reauthorize();
        } else if (oauth?.code === 'insufficient_scope' && oauth.authorizationUrl) {
          // Step-up: the flow prepared an authorization for the held scopes plus the missing one.
          await auth.authorizeAt(oauth.authorizationUrl);
        } else throw oauth ?? error;
        try {
          return await connection.request(method, params, opts);
        } catch (retryError) {
          throw findOAuthError(retryError) ?? auth.takeFailure() ?? retryError;
        }
      }
    },
    async close() {
      await connection.close().catch(() => undefined);
      await auth.close();
    },
  };
}
