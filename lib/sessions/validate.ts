// Checks API input by hand (it is small) so every complaint names the field and says what is expected.
import { MAX_CONNECT_TIMEOUT_MS } from '../config';
import type * as z from 'zod';
import {
  cancelRequestSchema,
  commandTargetSchema,
  describeRequestIssue,
  formatCommandLine,
  PREFER_RESPOND_ASYNC,
  reconnectRequestSchema,
  rpcRequestSchema,
  type CommandTarget,
  type CreateSessionRequest,
  type RpcRequestBody,
  type TransportChoice,
} from '../contract';
import { isEngineError, validateServerUrl } from '../mcp';
import { worthRemembering } from '../trace';
import { DEFAULT_OAUTH_SETTINGS, parseOAuthSettings, parseTolerate, type OAuthSettings } from './auth-settings';
import type { TolerableCheck } from '../oauth';
import { SessionError } from './errors';
import { isJsonObject } from '../json';

const TRANSPORTS: readonly TransportChoice[] = ['auto', 'streamable-http', 'sse'];
const AUTH_TYPES = ['none', 'bearer', 'oauth'] as const;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MAX_HEADERS = 50;
const MAX_HEADER_VALUE = 8192;
const MAX_TIMEOUT_MS = 30 * 60_000;
/** Headers the transports own or that HTTP itself manages; a user value would break the exchange. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'upgrade',
  'keep-alive',
  'te',
  'trailer',
  'mcp-session-id',
  'mcp-protocol-version',
  'mcp-method',
  'mcp-name',
  'last-event-id',
]);

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
  if (!isJsonObject(body)) invalid('The body must be a JSON object like {"url": "https://example.com/mcp"}.');
  if (body.kind === 'command') return parseCommandCreate(body);
  if (body.kind !== undefined && body.kind !== 'url') invalid('"kind" must be "url" (the default) or "command" (a local stdio server).');
  const request = body as Partial<CreateSessionRequest> & Record<string, unknown>;
  let url: string;
  try {
    url = validateServerUrl(request.url).href;
  } catch (error) {
    if (isEngineError(error)) throw new SessionError('invalid_url', error.message);
    throw error;
  }

  const transport = request.transport ?? 'auto';
  if (!TRANSPORTS.includes(transport)) invalid(`"transport" must be one of ${TRANSPORTS.join(', ')}.`);

  const headers: Record<string, string> = {};
  const secretValues: string[] = [];
  if (request.headers !== undefined) {
    if (!isJsonObject(request.headers)) invalid('"headers" must be an object of header names to string values.');
    const entries = Object.entries(request.headers);
    if (entries.length > MAX_HEADERS) invalid(`At most ${MAX_HEADERS} headers can be set.`);
    const seen = new Set<string>();
    for (const [name, value] of entries) {
      const trimmed = name.trim();
      if (!HEADER_NAME.test(trimmed)) invalid(`"${trimmed}" is not a valid HTTP header name.`);
      const lower = trimmed.toLowerCase();
      if (RESERVED_HEADERS.has(lower)) invalid(`The ${trimmed} header is managed by the transport and cannot be set.`);
      if (seen.has(lower)) invalid(`The ${trimmed} header is set twice.`);
      seen.add(lower);
      if (typeof value !== 'string') invalid(`The value of header ${trimmed} must be a string.`);
      if (/[\r\n\0]/.test(value)) invalid(`The value of header ${trimmed} contains a line break or NUL character.`);
      if (value.length > MAX_HEADER_VALUE) invalid(`The value of header ${trimmed} is longer than ${MAX_HEADER_VALUE} characters.`);
      headers[trimmed] = value;
      // Every header value is masked in the headers; it is also remembered (masked where it shows up again) when
      // its name says it is a secret, or when it is long enough not to be an ordinary word.
      if (worthRemembering(trimmed, value)) secretValues.push(value);
    }
  }

  let authType: ValidatedCreate['authType'] = 'none';
  let oauth: OAuthSettings | undefined;
  if (request.auth !== undefined) {
    if (!isJsonObject(request.auth)) invalid('"auth" must be an object like {"type": "bearer", "token": "..."}.');
    const auth = request.auth as NonNullable<CreateSessionRequest['auth']>;
    if (!AUTH_TYPES.includes(auth.type)) invalid(`"auth.type" must be one of ${AUTH_TYPES.join(', ')}.`);
    authType = auth.type;
    if (auth.type === 'bearer') {
      const token = typeof auth.token === 'string' ? auth.token.trim() : '';
      if (!token) invalid('A bearer token is required when "auth.type" is "bearer".');
      if (/[\s\0]/.test(token)) invalid('The bearer token must not contain spaces or line breaks.');
      // The token field wins over an Authorization header typed by hand: it is the more specific intent.
      for (const name of Object.keys(headers)) if (name.toLowerCase() === 'authorization') delete headers[name];
      headers.Authorization = `Bearer ${token}`;
      secretValues.push(token);
    }
    if (auth.type === 'none' && auth.tolerate !== undefined) {
      // No auth asked for, but OAuth starts by itself on a 401: what it may go past is said here too.
      oauth = { ...DEFAULT_OAUTH_SETTINGS, tolerate: parseTolerate(auth.tolerate, 'auth.tolerate') };
    }
    if (auth.type === 'oauth') {
      oauth = parseOAuthSettings(auth);
      if (oauth.clientSecret) secretValues.push(oauth.clientSecret);
      if (oauth.clientKey) secretValues.push(oauth.clientKey);
      if (oauth.assertion) secretValues.push(oauth.assertion);
      if (oauth.idp) secretValues.push(oauth.idp.idToken, ...(oauth.idp.clientSecret ? [oauth.idp.clientSecret] : []));
    }
  }

  return { url, transport, headers, secretValues, authType, ...(oauth ? { oauth } : {}), ...parseCommon(request) };
}

/** Fields every kind of target takes: timeouts and `wait`. */
function parseCommon(
  request: Record<string, unknown>,
): Pick<ValidatedCreate, 'connectTimeoutMs' | 'requestTimeoutMs' | 'answerTimeoutMs' | 'requestMaxMs' | 'wait'> {
  const timeouts = request.timeouts;
  let connectTimeoutMs: number | undefined;
  let requestTimeoutMs: number | undefined;
  let answerTimeoutMs: number | undefined;
  let requestMaxMs: number | undefined;
  if (timeouts !== undefined) {
    if (!isJsonObject(timeouts)) invalid('"timeouts" must be an object like {"connectMs": 15000, "requestMs": 60000}.');
    // Refused rather than clamped: a caller who asked for 30 minutes learns the limit instead of a silent 2.
    connectTimeoutMs = optionalTimeout(timeouts.connectMs, 'timeouts.connectMs', MAX_CONNECT_TIMEOUT_MS);
    requestTimeoutMs = optionalTimeout(timeouts.requestMs, 'timeouts.requestMs');
    answerTimeoutMs = optionalTimeout(timeouts.answerMs, 'timeouts.answerMs');
    requestMaxMs = optionalTimeout(timeouts.requestMaxMs, 'timeouts.requestMaxMs');
  }

  if (request.wait !== undefined && typeof request.wait !== 'boolean') invalid('"wait" must be true or false.');
  const wait = request.wait;

  return {
    connectTimeoutMs,
    requestTimeoutMs,
    answerTimeoutMs,
    ...(requestMaxMs !== undefined ? { requestMaxMs } : {}),
    ...(wait !== undefined ? { wait } : {}),
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
    ...parseCommon(body),
  };
}

/** Whether a `Prefer` header (RFC 7240) carries `respond-async`: answer before the work is over. */
export function prefersRespondAsync(header: string | null | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((preference) => preference.split(';')[0]?.trim().toLowerCase() === PREFER_RESPOND_ASYNC);
}

function optionalTimeout(value: unknown, field: string, max = MAX_TIMEOUT_MS): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 100 || value > max) {
    invalid(`"${field}" must be a number of milliseconds between 100 and ${max} (${describeDuration(max)}).`);
  }
  return Math.floor(value);
}

function describeDuration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${ms / 1000} seconds`;
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

/** An API body checked against its schema (lib/contract); the first problem is a 400 invalid_request in its words. */
export function parseBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) invalid(describeRequestIssue(parsed.error));
  return parsed.data;
}
