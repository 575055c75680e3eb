// API input checked against the zod schemas of lib/contract; every complaint names the field and says what is expected.
import { MAX_CONNECT_TIMEOUT_MS } from '../config';
import type * as z from 'zod';
import {
  cancelRequestSchema,
  commandTargetSchema,
  formatCommandLine,
  PREFER_RESPOND_ASYNC,
  reconnectRequestSchema,
  rpcRequestSchema,
  sessionCommonSchema,
  urlTargetSchema,
  type CommandTarget,
  type RpcRequestBody,
  type TransportChoice,
} from '../contract';
import { isEngineError, validateServerUrl } from '../mcp';
import { worthRemembering } from '../trace';
import { DEFAULT_OAUTH_SETTINGS, parseTolerate, withTolerate, type OAuthSettings } from './auth-settings';
import { parseBody } from './parse-body';

export { parseBody };
import type { TolerableCheck } from '../oauth';
import { SessionError } from './errors';
import { isJsonObject } from '../json';

export interface ValidatedCreate {
  /** The server URL; for a command target, its command line as shown. */
  url: string;
  /** Set for a local stdio server (`kind: "command"`): the process to start. */
  command?: CommandTarget;
  transport: TransportChoice;
  /** User headers plus `Authorization` for a bearer token. */
  headers: Record<string, string>;
  /** Values to mask everywhere: the token, and the header values worth remembering (`worthRemembering`). */
  secretValues: string[];
  authType: 'none' | 'bearer' | 'oauth';
  /** Set when `authType` is `oauth`; its client secret is in `secretValues` too. */
  oauth?: OAuthSettings;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  answerTimeoutMs?: number;
  requestMaxMs?: number;
  /** What the body said about waiting for the connect (`wait`); absent when it said nothing. */
  wait?: boolean;
}

function invalid(message: string): never {
  throw new SessionError('invalid_request', message);
}

export function parseCreateSession(body: unknown): ValidatedCreate {
  if (isJsonObject(body) && body.kind === 'command') return parseCommandCreate(body);
  const request = parseBody(urlTargetSchema(MAX_CONNECT_TIMEOUT_MS), body);
  let url: string;
  try {
    url = validateServerUrl(request.url).href;
  } catch (error) {
    if (isEngineError(error)) throw new SessionError('invalid_url', error.message);
    throw error;
  }

  const headers: Record<string, string> = { ...request.headers };
  // Every header value is masked in the headers; it is also remembered (masked where it shows up again) when its
  // name says it is a secret, or when it is long enough not to be an ordinary word.
  const secretValues = Object.entries(headers)
    .filter(([name, value]) => worthRemembering(name, value))
    .map(([, value]) => value);

  const auth = request.auth;
  let oauth: OAuthSettings | undefined;
  if (auth?.type === 'bearer') {
    // The token field wins over an Authorization header typed by hand: it is the more specific intent.
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
    headers.Authorization = `Bearer ${auth.token}`;
    secretValues.push(auth.token);
  }
  if (auth?.type === 'none' && auth.tolerate !== undefined) {
    // No auth asked for, but OAuth starts by itself on a 401: what it may go past is said here too.
    oauth = { ...DEFAULT_OAUTH_SETTINGS, tolerate: parseTolerate(auth.tolerate, 'auth.tolerate') };
  }
  if (auth?.type === 'oauth') {
    oauth = withTolerate(auth.settings, 'auth');
    if (oauth.clientSecret) secretValues.push(oauth.clientSecret);
    if (oauth.clientKey) secretValues.push(oauth.clientKey);
    if (oauth.assertion) secretValues.push(oauth.assertion);
    if (oauth.idp) secretValues.push(oauth.idp.idToken, ...(oauth.idp.clientSecret ? [oauth.idp.clientSecret] : []));
  }

  return {
    url,
    transport: request.transport,
    headers,
    secretValues,
    authType: auth?.type ?? 'none',
    ...(oauth ? { oauth } : {}),
    ...common(request),
  };
}

/** Fields every kind of target takes, as the schema gave them: timeouts and `wait`. */
function common(
  request: z.output<ReturnType<typeof sessionCommonSchema>>,
): Pick<ValidatedCreate, 'connectTimeoutMs' | 'requestTimeoutMs' | 'answerTimeoutMs' | 'requestMaxMs' | 'wait'> {
  const timeouts = request.timeouts;
  return {
    connectTimeoutMs: timeouts?.connectMs,
    requestTimeoutMs: timeouts?.requestMs,
    answerTimeoutMs: timeouts?.answerMs,
    ...(timeouts?.requestMaxMs !== undefined ? { requestMaxMs: timeouts.requestMaxMs } : {}),
    ...(request.wait !== undefined ? { wait: request.wait } : {}),
  };
}

/** Fields a command target takes besides those of `CommandTarget`. */
const COMMAND_COMMON_FIELDS = new Set(['timeouts', 'wait']);

/**
 * `{kind: "command", command, args?, env?, cwd?}`: a local stdio server. Environment values are secrets as header
 * values are: masked wherever they show up (stderr, messages) when worth remembering, never in a summary.
 */
function parseCommandCreate(body: Record<string, unknown>): ValidatedCreate {
  const target: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (COMMAND_COMMON_FIELDS.has(key)) continue;
    if (key === 'url' || key === 'headers' || key === 'auth' || key === 'transport') {
      invalid(`"${key}" is for URL targets; a command target takes "command", "args", "env" and "cwd".`);
    }
    target[key] = value;
  }
  const parsed = commandTargetSchema.safeParse(target);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `"${issue.path.join('.')}": ` : '';
    invalid(`${where}${issue?.message ?? 'invalid command target'}.`);
  }
  const command = parsed.data;
  const secretValues = Object.entries(command.env)
    .filter(([name, value]) => worthRemembering(name, value))
    .map(([, value]) => value);
  return {
    url: formatCommandLine(command.command, command.args),
    command,
    transport: 'auto',
    headers: {},
    secretValues,
    authType: 'none',
    ...common(parseBody(sessionCommonSchema(MAX_CONNECT_TIMEOUT_MS), body)),
  };
}

/** Whether a `Prefer` header (RFC 7240) carries `respond-async`: answer before the work is over. */
export function prefersRespondAsync(header: string | null | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((preference) => preference.split(';')[0]?.trim().toLowerCase() === PREFER_RESPOND_ASYNC);
}

export function parseRpcRequest(body: unknown): RpcRequestBody {
  const { method, params, callId } = parseBody(rpcRequestSchema, body);
  return { method, ...(params === undefined ? {} : { params }), ...(callId === undefined ? {} : { callId }) };
}

export function parseCancelRequest(body: unknown): { callId: string; reason?: string } {
  const { callId, reason } = parseBody(cancelRequestSchema, body);
  return { callId, ...(reason === undefined ? {} : { reason }) };
}

/** `POST /api/sessions/:id/reconnect`: an empty body, or `{tolerate: [check, ...]}`. */
export function parseReconnectRequest(body: unknown): { tolerate?: TolerableCheck[] } {
  if (body === undefined || body === null) return {};
  const { tolerate } = parseBody(reconnectRequestSchema, body);
  return tolerate === undefined ? {} : { tolerate: parseTolerate(tolerate, 'tolerate') };
}
