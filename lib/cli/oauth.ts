// OAuth for the command line: the same OAuthClientFlow the app runs, with the store in the CLI's data
// directory (owner "cli"), a loopback listener as the redirect target, and no browser when the authorization
// server approves at once.
import fs from 'node:fs';
import path from 'node:path';
import {
  authorizedFetch,
  followAuthorizationRedirects,
  OAuthClientFlow,
  OAuthFlowError,
  readOAuthErrorBody,
  type AuthorizationRequest,
  type RedirectWalk,
} from '../oauth';
import type { ExchangeAuthorizer } from '../mcp';
import type { Store } from '../store';
import { createRecordingFetch, type SecretSet, type TraceLog } from '../trace';
import type { CliOptions } from './args';
import { CliError, EXIT } from './errors';
import { startLoopbackListener, type LoopbackListener } from './loopback';

/**
 * Tokens are stored per owner and resource. The command line is one owner per client choice, so a token got
 * with one client (a machine client's, say) is never reused by a run that asked for another.
 */
export function ownerFor(options: Pick<CliOptions, 'grant' | 'clientId' | 'clientMetadataUrl'>): string {
  if (options.grant === 'client_credentials') return `cli:client-credentials:${options.clientId ?? ''}`;
  if (options.grant) return `cli:${options.grant.replace('_', '-')}:${options.clientId ?? ''}`;
  if (options.clientId) return `cli:client:${options.clientId}`;
  if (options.clientMetadataUrl) return `cli:metadata:${options.clientMetadataUrl}`;
  return 'cli';
}
const CLIENT_NAME = 'mcpscope (command line)';
const STATE_FILE = 'cli.json';
/** How long to wait for a person to finish in the browser. */
const BROWSER_WAIT_MS = 5 * 60_000;

export interface OAuthContext {
  options: CliOptions;
  log: TraceLog;
  secrets: SecretSet;
  dataDir: string;
  /** One line on stderr for the person. */
  notify(line: string): void;
}

export interface CliAuthorization {
  /**
   * Wraps each exchange's recording fetch: carries the access token, refreshes it when the server says it
   * expired. Above the recorder, so the log shows the Authorization header (masked) and each retry.
   */
  readonly authorize: ExchangeAuthorizer;
  readonly flow: OAuthClientFlow;
  /** Whether the token in use came from an earlier run (it may have been revoked since). */
  readonly reusedStoredToken: boolean;
  /** Forgets the token in use and authorizes again (interactively when needed). */
  reauthorize(): Promise<void>;
  /** A step-up: authorizes again with the URL an `insufficient_scope` answer prepared. */
  authorizeAt(authorizationUrl: string): Promise<void>;
  /**
   * The OAuth failure the authorizing fetch last threw, once: the engine reports a failed request in its own
   * words, and may not keep what the fetch threw as the cause.
   */
  takeFailure(): OAuthFlowError | undefined;
  close(): Promise<void>;
}

export async function authorize(ctx: OAuthContext, wwwAuthenticate: string | null | undefined): Promise<CliAuthorization> {
  const { options } = ctx;
  const { openStore } = await import('../store');
  fs.mkdirSync(ctx.dataDir, { recursive: true, mode: 0o700 });
  // The CLI keeps its own SQLite file: a DATABASE_URL meant for the app must not redirect it.
  const store = await openStore({ dataDir: ctx.dataDir, databaseUrl: '' });
  let listener: LoopbackListener | undefined;
  const close = async () => {
    await listener?.close();
    await store.close().catch(() => undefined);
  };
  try {
    if (!options.grant) listener = await openListener(ctx);
    // The client-credentials grant has no redirect; the flow still wants an origin to name one.
    const flow = cliFlow(ctx, store, listener?.origin ?? 'http://localhost');
    await flow.discover({ wwwAuthenticate });

    const interactive = async (request: Pick<AuthorizationRequest, 'authorizationUrl' | 'state'>) =>
      authorizeInteractively(ctx, flow, request, listener as LoopbackListener);
    const startInteractive = async () => interactive(await flow.startAuthorization({ scopes: options.scopes }));
    /** The grant this run was asked for: a person's authorization, or one of the grants without a person. */
    const obtain = async (): Promise<void> => {
      switch (options.grant) {
        case 'client_credentials':
          await flow.clientCredentials({ scopes: options.scopes });
          return;
        case 'jwt_bearer':
          await flow.jwtBearer(readSecretFile(options.assertionFile as string, '--assertion-file'), {
            scopes: options.scopes,
            kind: 'workload identity token',
          });
          return;
        case 'id_jag':
          await flow.enterpriseAuthorization(
            {
              tokenEndpoint: options.idpTokenEndpoint as string,
              idToken: readSecretFile(options.idTokenFile as string, '--id-token-file'),
              clientId: options.idpClientId as string,
              ...(options.idpClientSecret ? { clientSecret: options.idpClientSecret } : {}),
            },
            { scopes: options.scopes },
          );
          return;
        default:
          await startInteractive();
      }
    };

    let reusedStoredToken = false;
    if (await storedTokenFits(flow, store, ownerFor(options), options.scopes)) {
      reusedStoredToken = true;
    } else {
      await obtain();
    }
    let failure: OAuthFlowError | undefined;
    return {
      authorize: (send) => {
        const authorizing = authorizedFetch(send, flow);
        return (async (input: RequestInfo | URL, init?: RequestInit) => {
          try {
            return await authorizing(input, init);
          } catch (error) {
            if (error instanceof OAuthFlowError) failure = error;
            throw error;
          }
        }) as typeof fetch;
      },
      takeFailure() {
        const taken = failure;
        failure = undefined;
        return taken;
      },
      flow,
      reusedStoredToken,
      async reauthorize() {
        await flow.forgetTokens();
        await obtain();
      },
      async authorizeAt(authorizationUrl) {
        if (!listener)
          throw new CliError(
            'insufficient_scope',
            `The server wants more scope than the ${options.grant ?? 'machine'} grant gave; add it with --scope.`,
            EXIT.authorization,
          );
        const state = new URL(authorizationUrl).searchParams.get('state') ?? '';
        await interactive({ authorizationUrl, state });
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** A token from an earlier run is used when it covers the scopes asked for and is (or can be made) valid. */
async function storedTokenFits(flow: OAuthClientFlow, store: Store, owner: string, scopes: readonly string[]): Promise<boolean> {
  const resource = flow.resource;
  if (!resource) return false;
  const stored = await store.getTokens(owner, resource);
  if (!stored) return false;
  if (scopes.some((scope) => !stored.scopes.includes(scope))) return false;
  try {
    await flow.getAccessToken();
    return true;
  } catch (error) {
    if (error instanceof OAuthFlowError && (error.code === 'authorization_required' || error.code === 'reauthorization_required'))
      return false;
    throw error;
  }
}

async function authorizeInteractively(
  ctx: OAuthContext,
  flow: OAuthClientFlow,
  request: Pick<AuthorizationRequest, 'authorizationUrl' | 'state'>,
  listener: LoopbackListener,
): Promise<void> {
  const walk = await walkWithoutBrowser(ctx, flow, request.authorizationUrl);
  if (walk.kind === 'callback') {
    await flow.handleCallback(walk.params);
    return;
  }
  ctx.notify(`Open this URL in a browser to authorize mcpscope: ${request.authorizationUrl}`);
  ctx.notify(`Waiting for the redirect to ${flow.redirectUri} (up to ${BROWSER_WAIT_MS / 60_000} minutes; Ctrl-C to stop)...`);
  const params = await listener.waitForCallback(request.state, BROWSER_WAIT_MS);
  await flow.handleCallback(params);
}

/**
 * Follows the authorization URL's redirects as a browser would. It ends at the redirect URI (a server that
 * approves at once), at a page for a person (sign-in, consent: a browser is needed), or at an error answer,
 * which fails here with the server's own words instead of sending the person to a dead end.
 * (OAuthClientFlow.authorizeWithoutBrowser does the walk too, but reports every stop the same way.)
 */
async function walkWithoutBrowser(ctx: OAuthContext, flow: OAuthClientFlow, authorizationUrl: string): Promise<RedirectWalk> {
  const phase = ctx.log.beginPhase('oauth:authorize-redirects', { detail: 'following the authorization URL without a browser' });
  let lastError: { status: number; text: string } | undefined;
  const keepingErrors = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await globalThis.fetch(input, init);
    if (response.status >= 400)
      lastError = {
        status: response.status,
        text: await response
          .clone()
          .text()
          .catch(() => ''),
      };
    return response;
  }) as typeof fetch;
  const recording = createRecordingFetch(ctx.log, {
    baseFetch: keepingErrors,
    secrets: ctx.secrets,
    context: () => ({ phaseId: phase.id, purpose: 'oauth' }),
  });
  let walk: RedirectWalk;
  try {
    walk = await followAuthorizationRedirects(authorizationUrl, { redirectUri: flow.redirectUri, fetch: recording });
  } catch (error) {
    const failure = new OAuthFlowError(
      'network_error',
      `The authorization endpoint could not be reached: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
    phase.fail(failure.toTraceError());
    throw failure;
  }
  if (walk.kind === 'callback') {
    phase.ok(`redirected back to ${flow.redirectUri} after ${walk.hops} step(s)`);
    return walk;
  }
  if (walk.status >= 400) {
    const body = readOAuthErrorBody(lastError?.status === walk.status ? lastError.text : undefined);
    const said = [`HTTP ${walk.status}`, body.error].filter(Boolean).join(', ');
    const where = new URL(walk.url);
    const redirectHint = /redirect/i.test(`${body.error ?? ''} ${body.description ?? ''}`)
      ? ctx.options.clientId
        ? ` A pre-registered client needs --callback-port set to the port of a redirect URI registered for it (mcpscope asked for ${flow.redirectUri}).`
        : ` mcpscope asked for the redirect URI ${flow.redirectUri}.`
      : '';
    const failure = new OAuthFlowError(
      'authorization_denied',
      `The authorization server refused the authorization request at ${where.origin}${where.pathname} (${said})${body.description ? `: ${body.description.trim().replace(/\.?$/, '.')}` : '.'}${redirectHint}`,
      { status: walk.status, ...(body.error ? { oauthError: body.error } : {}) },
    );
    phase.fail(failure.toTraceError());
    throw failure;
  }
  phase.ok(`stopped at a page for a person (HTTP ${walk.status}): a browser is needed`);
  return walk;
}

/** The flow a run with these options uses, its redirect URI at `<publicOrigin>/callback`. */
function cliFlow(ctx: Pick<OAuthContext, 'options' | 'log' | 'secrets'>, store: Store, publicOrigin: string): OAuthClientFlow {
  const { options } = ctx;
  return new OAuthClientFlow({
    serverUrl: options.url,
    owner: ownerFor(options),
    store,
    log: ctx.log,
    secrets: ctx.secrets,
    publicOrigin,
    clientName: CLIENT_NAME,
    ...(options.clientId
      ? {
          client: {
            clientId: options.clientId,
            ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
            ...(options.clientKeyFile
              ? {
                  privateKey: {
                    key: readSecretFile(options.clientKeyFile, '--client-key'),
                    ...(options.clientKeyAlg ? { alg: options.clientKeyAlg } : {}),
                  },
                }
              : {}),
          },
        }
      : {}),
    ...(options.clientMetadataUrl ? { clientMetadataUrl: options.clientMetadataUrl } : {}),
    ...(options.scopes.length > 0 ? { scopes: options.scopes } : {}),
    ...(options.tolerate.length > 0 ? { tolerate: options.tolerate } : {}),
  });
}

/**
 * `mcpscope doctor` with OAuth options: the flow an OAuth run would use (its client options, the CLI's store), its
 * redirect URI on the loopback port the run would listen on (the one given, else the one used last, else a free one,
 * remembered as a run would). The port is not kept open: the Doctor reads the first answer and follows nothing.
 */
export async function doctorFlow(ctx: Omit<OAuthContext, 'notify'>): Promise<{ flow: OAuthClientFlow; close(): Promise<void> }> {
  const { openStore } = await import('../store');
  fs.mkdirSync(ctx.dataDir, { recursive: true, mode: 0o700 });
  const store = await openStore({ dataDir: ctx.dataDir, databaseUrl: '' });
  try {
    const listener = await openListener({ ...ctx, notify: () => undefined });
    await listener.close();
    return { flow: cliFlow(ctx, store, listener.origin), close: () => store.close().catch(() => undefined) };
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}

/**
 * The same port as last time when it is free: dynamic registrations are remembered per redirect URI, and
 * refreshing a stored token needs the client it was issued to. An explicit --callback-port must be free.
 */
async function openListener(ctx: OAuthContext): Promise<LoopbackListener> {
  const statePath = path.join(ctx.dataDir, STATE_FILE);
  const state = readState(statePath);
  const explicit = ctx.options.callbackPort;
  let listener: LoopbackListener;
  try {
    listener = await startLoopbackListener(explicit ?? state.callbackPort, { fallback: explicit === undefined });
  } catch (error) {
    if ((error as { code?: unknown })?.code === 'EADDRINUSE') {
      throw new CliError(
        'callback_port_busy',
        `Port ${explicit} on 127.0.0.1 is in use, so the OAuth redirect cannot be received there; choose another --callback-port.`,
        EXIT.usage,
      );
    }
    throw error;
  }
  // An explicit port is for one pre-registered client; the remembered one stays for the rest.
  if (explicit === undefined && listener.port !== state.callbackPort) writeState(statePath, { ...state, callbackPort: listener.port });
  return listener;
}

/** A key, token or assertion kept in a file (never on the command line, where `ps` shows it); unreadable: usage error. */
function readSecretFile(file: string, option: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new CliError('usage', `${option}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, EXIT.usage);
  }
}

interface CliState {
  callbackPort?: number;
}

function readState(file: string): CliState {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object') return {};
    const port = (parsed as { callbackPort?: unknown }).callbackPort;
    return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536 ? { callbackPort: port } : {};
  } catch {
    return {};
  }
}

function writeState(file: string, state: CliState): void {
  try {
    fs.writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  } catch {
    // Only costs a new client registration next time.
  }
}
