// "Copy as": a recorded exchange as a curl command, the handshake as a bash script of curl calls, and a
// tool call as TypeScript for the MCP SDK. The log holds secrets masked (`••••abcd`), so wherever one was,
// the output names a shell (or environment) variable instead and lists what the user must set.
// Quoting is POSIX single quotes throughout: nothing inside them is expanded, so a body with `$`, quotes
// or newlines goes out byte for byte.
import { splitCommandLine } from '../contract/stdio';
import { CodedError } from '../errors';
import { groupExchanges, type ExchangeEvents } from './derive';
import { MASK, maskUrl } from './secrets';
import type { HeaderList, HttpRequestEvent, ProtocolEraName, RpcEvent, TraceEvent, TraceMeta } from './types';

export interface ShellVariable {
  name: string;
  /** One sentence: what to set it to. */
  description: string;
  /** The masked value in the recording (`••••abcd`), to tell which secret it was. */
  masked: string;
}

export interface CurlCommand {
  command: string;
  /** Variables the command uses, to set (`export NAME=…`) before running it. */
  variables: ShellVariable[];
  /** What the command cannot reproduce exactly (a body cut at capture, …). */
  warnings: string[];
}

export interface CurlOptions {
  /** One option per line, continued with ` \`. Default true. */
  multiline?: boolean;
}

export class CopyAsError extends CodedError<'no_request' | 'no_handshake'> {
  constructor(code: 'no_request' | 'no_handshake', message: string) {
    super('CopyAsError', code, message);
  }
}

// ---------------------------------------------------------------------------------------------------
// Shell words

type Segment = { lit: string } | { var: string };
type Word = Segment[];

/** POSIX single quotes: everything literal; a `'` is closed, escaped and reopened. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function renderWord(word: Word): string {
  const parts: string[] = [];
  for (const seg of word) {
    if ('var' in seg) parts.push(`"$${seg.var}"`);
    else if (seg.lit !== '') parts.push(shellQuote(seg.lit));
  }
  return parts.length > 0 ? parts.join('') : `''`;
}

const lit = (s: string): Word => [{ lit: s }];

/** Names secrets once: the same masked value gets the same variable wherever it shows up. */
class VariableRegistry {
  readonly list: ShellVariable[] = [];

  name(preferred: string, masked: string, description: string): string {
    const base = envName(preferred);
    // `••••abcd` identifies a secret well enough to reuse its variable; a bare `••••` does not.
    if (masked.length > MASK.length) {
      const same = this.list.find((v) => v.masked === masked);
      if (same) return same.name;
    }
    let name = base;
    for (let n = 2; ; n++) {
      const existing = this.list.find((v) => v.name === name);
      if (!existing) break;
      if (existing.masked === masked && masked.length > MASK.length) return name;
      name = `${base}_${n}`;
    }
    this.list.push({ name, description: `${description} ${maskedHint(masked)}`, masked });
    return name;
  }
}

function maskedHint(masked: string): string {
  const tail = masked.slice(MASK.length);
  return tail ? `(the recorded one ended in "${tail}").` : '(the recorded one was 8 characters or fewer).';
}

function envName(s: string): string {
  const name = s
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  if (name === '') return 'SECRET';
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

// A masked secret: the mask and up to 4 visible characters, which never include a delimiter of its context.
const MASKED = new RegExp(`${MASK}([^\\s"'&;,}\\]\\\\]{0,4})`, 'g');

/** Text with each masked secret replaced by a variable named after the field it sat in. */
function templateSecrets(text: string, registry: VariableRegistry, where: string): Word {
  if (!text.includes(MASK)) return lit(text);
  const word: Word = [];
  let last = 0;
  for (const m of text.matchAll(MASKED)) {
    let start = m.index ?? 0;
    // A JWT credential is masked as `header.claims.••••abcd` (./jwt): the whole JWT is the secret to supply.
    const jwtHead = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.$/.exec(text.slice(last, start))?.[0];
    if (jwtHead) start -= jwtHead.length;
    const before = text.slice(0, start);
    const field = /"([^"\\]{1,64})"\s*:\s*"$/.exec(before)?.[1] ?? /([A-Za-z0-9_.-]{1,64})=$/.exec(before)?.[1];
    const name = registry.name(field ?? 'SECRET', m[0], `The value of ${field ? `"${field}"` : 'a secret'} in ${where}`);
    word.push({ lit: text.slice(last, start) }, { var: name });
    last = (m.index ?? 0) + m[0].length;
  }
  word.push({ lit: text.slice(last) });
  return word;
}

// ---------------------------------------------------------------------------------------------------
// Headers

/** Set by curl itself, or meaningless in a replay. */
const SKIPPED_HEADERS = new Set(['content-length', 'host', 'connection', 'transfer-encoding', 'accept-encoding', 'keep-alive']);

const CANONICAL_NAMES: Record<string, string> = {
  'x-api-key': 'X-API-Key',
  'api-key': 'API-Key',
  'www-authenticate': 'WWW-Authenticate',
  'mcp-session-id': 'Mcp-Session-Id',
  'mcp-protocol-version': 'Mcp-Protocol-Version',
};

/** `content-type` → `Content-Type` (the log keeps names lower-cased; people read them capitalised). */
export function displayHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return CANONICAL_NAMES[lower] ?? lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

const API_KEY_HEADERS = new Set(['x-api-key', 'api-key']);
const AUTH_SCHEME = /^([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+(.+)$/;

/** The variable a secret header's value becomes: `TOKEN` for a bearer token, `API_KEY`, else `HEADER_<NAME>`. */
export function secretHeaderVariable(name: string, scheme?: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const prefix = lower === 'proxy-authorization' ? 'PROXY_' : '';
    const s = (scheme ?? 'bearer').toLowerCase();
    if (s === 'bearer') return `${prefix}TOKEN`;
    if (s === 'basic') return `${prefix}BASIC_CREDENTIALS`;
    return `${prefix}${envName(s)}_CREDENTIALS`;
  }
  if (API_KEY_HEADERS.has(lower)) return 'API_KEY';
  return `HEADER_${envName(lower)}`;
}

function headerWord(name: string, value: string, registry: VariableRegistry): Word {
  const display = displayHeaderName(name);
  if (!value.includes(MASK)) return lit(`${display}: ${value}`);
  const lower = name.toLowerCase();
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const m = AUTH_SCHEME.exec(value);
    if (m && m[2].startsWith(MASK)) {
      const scheme = m[1];
      const what = scheme.toLowerCase() === 'bearer' ? 'The bearer token' : `The ${scheme} credentials`;
      const v = registry.name(secretHeaderVariable(lower, scheme), m[2], `${what} for the ${display} header`);
      return [{ lit: `${display}: ${scheme} ` }, { var: v }];
    }
  }
  const v = registry.name(secretHeaderVariable(lower), value, `The whole value of the ${display} header`);
  return [{ lit: `${display}: ` }, { var: v }];
}

function headerValue(headers: HeaderList, name: string): string | undefined {
  for (const [n, v] of headers) if (n.toLowerCase() === name) return v;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// One request as curl arguments

interface CurlParts {
  /** Shell to run before `curl` and pipe into it (a binary body), or empty. */
  pipeFrom: string;
  /** Options and URL, rendered: the first line of the command. */
  head: string[];
  /** Every argument after the URL, rendered. */
  args: string[];
  warnings: string[];
}

interface PartsOptions {
  registry: VariableRegistry;
  /** Flags that go first (the script's `-sS --fail-with-body …`), already rendered. */
  flags?: string[];
  /** Replaces the recorded URL (the legacy transport's POST URL comes from the live stream). */
  urlWord?: string;
  /** Header names to leave out (lower-case). */
  omit?: ReadonlySet<string>;
  /** Extra, already rendered arguments that go after the headers (`"${SESSION_HEADER[@]}"`). */
  extraArgs?: string[];
}

function curlParts(req: Pick<HttpRequestEvent, 'method' | 'url' | 'headers' | 'body'>, o: PartsOptions): CurlParts {
  const warnings: string[] = [];
  const head: string[] = [...(o.flags ?? [])];
  const args: string[] = [];
  const method = req.method.toUpperCase();
  const body = req.body;
  const hasBody = body !== undefined && (body.size > 0 || body.text !== '');
  const accept = headerValue(req.headers, 'accept') ?? '';
  // Streamed answers must print as they arrive, not when curl's buffer fills.
  if (accept.includes('text/event-stream') && !head.includes('-N')) head.push('-N');
  if (method === 'HEAD') head.push('--head');
  else if (hasBody ? method !== 'POST' : method !== 'GET') head.push('-X', shellQuote(method));
  head.push(o.urlWord ?? renderWord(templateSecrets(req.url, o.registry, 'the URL')));
  for (const [name, value] of req.headers) {
    const lower = name.toLowerCase();
    if (SKIPPED_HEADERS.has(lower) || o.omit?.has(lower)) continue;
    args.push('-H', renderWord(headerWord(name, value, o.registry)));
  }
  if (o.extraArgs) args.push(...o.extraArgs);
  let pipeFrom = '';
  if (hasBody && body) {
    if (body.dropped)
      warnings.push(`The request body (${body.size} bytes) was dropped from the log to save space, so the command sends an empty body.`);
    else if (body.truncated)
      warnings.push(`The request body was cut at capture: the command sends only its first part, not all ${body.size} bytes.`);
    if (body.encoding === 'base64') {
      pipeFrom = `printf '%s' ${shellQuote(body.text)} | base64 -d | `;
      args.push('--data-binary', '@-');
    } else {
      const type = (headerValue(req.headers, 'content-type') ?? '').toLowerCase();
      const where = type.includes('json') ? 'the JSON body' : type.includes('form') ? 'the form body' : 'the body';
      args.push('--data-raw', renderWord(templateSecrets(body.text, o.registry, where)));
    }
  }
  return { pipeFrom, head, args, warnings };
}

function joinCommand(parts: CurlParts, multiline: boolean): string {
  const sep = multiline ? ' \\\n  ' : ' ';
  // One line per header or body, each flag next to its value.
  const lines: string[] = [`${parts.pipeFrom}curl ${parts.head.join(' ')}`];
  for (let i = 0; i < parts.args.length; i++) {
    const a = parts.args[i];
    if (/^(-H|--data-raw|--data-binary)$/.test(a) && i + 1 < parts.args.length) lines.push(`${a} ${parts.args[++i]}`);
    else lines.push(a);
  }
  return lines.join(sep);
}

/**
 * The request of one exchange as a curl command. Masked secret headers become shell variables
 * (`Authorization: Bearer $TOKEN`, `X-API-Key: $API_KEY`, else `$HEADER_<NAME>`), as do masked values
 * in the URL and body (named after their field); `variables` lists them. Throws `CopyAsError`
 * (code `no_request`) when the exchange's request is not in the log.
 */
export function exchangeToCurl(exchange: Pick<ExchangeEvents, 'request'>, opts: CurlOptions = {}): CurlCommand {
  const req = exchange.request;
  if (!req)
    throw new CopyAsError('no_request', 'This exchange has no recorded request (it fell out of the log), so it cannot be copied as curl.');
  const registry = new VariableRegistry();
  const parts = curlParts(req, { registry });
  return { command: joinCommand(parts, opts.multiline ?? true), variables: registry.list, warnings: parts.warnings };
}

// ---------------------------------------------------------------------------------------------------
// The handshake as a script

export interface HandshakeScript {
  script: string;
  variables: ShellVariable[];
  /** The JSON-RPC methods the script sends, in order. */
  steps: string[];
  /** How the script was put together where the recording was incomplete. */
  warnings: string[];
  mode: 'streamable-http' | 'stateless-2026' | 'legacy-sse';
}

export interface HandshakeScriptOptions {
  meta?: Pick<TraceMeta, 'serverUrl' | 'era' | 'protocolVersion'>;
}

interface Step {
  method: string;
  request: Pick<HttpRequestEvent, 'method' | 'url' | 'headers' | 'body'>;
  /** The JSON-RPC id to wait for (legacy transport: answers come on the stream). */
  id?: string | number;
}

/** The handshake a session recorded, as a bash script of curl calls (see `buildHandshakeScript`). */
export function handshakeScript(events: readonly TraceEvent[], opts: HandshakeScriptOptions = {}): string {
  return buildHandshakeScript(events, opts).script;
}

/**
 * A bash script that replays the recorded handshake against the same server with curl: `initialize`,
 * `notifications/initialized`, `tools/list` (threading the new `Mcp-Session-Id` from the initialize
 * response), or `server/discover` and `tools/list` on a 2026-07-28 server, or the legacy HTTP+SSE dance
 * (GET stream, `endpoint` event, POSTs, answers read from the stream). Secrets are variables checked at the
 * top. Throws `CopyAsError` (code `no_handshake`) when the log holds no successful handshake.
 */
export function buildHandshakeScript(events: readonly TraceEvent[], opts: HandshakeScriptOptions = {}): HandshakeScript {
  const exchanges = [...groupExchanges(events).values()].filter((x) => x.request);
  const rpc = events.filter((e): e is RpcEvent => e.kind === 'rpc');
  const answered = (req: RpcEvent) => rpc.some((r) => r.direction === 'in' && r.type === 'result' && r.pairSeq === req.seq);
  const sent = (method: string) =>
    rpc.filter((r) => r.direction === 'out' && r.method === method && (r.type === 'request' || r.type === 'notification'));
  const exchangeOf = (r: RpcEvent | undefined) =>
    r?.exchangeId !== undefined ? exchanges.find((x) => x.exchangeId === r.exchangeId) : undefined;
  const warnings: string[] = [];

  const init = sent('initialize').find(answered);
  const discover = init ? undefined : sent('server/discover').find(answered);
  const first = init ?? discover;
  const firstExchange = exchangeOf(first);
  if (!first || !firstExchange?.request) {
    throw new CopyAsError(
      'no_handshake',
      'This session has no successful initialize or server/discover exchange in its log, so there is no handshake to replay.',
    );
  }
  const after = (method: string) => {
    const r = sent(method).find((m) => m.seq > first.seq && exchangeOf(m)?.request);
    return r ? { rpc: r, request: exchangeOf(r)!.request! } : undefined;
  };
  const steps: Step[] = [{ method: first.method ?? 'initialize', request: firstExchange.request, id: first.id }];
  if (init) {
    const initialized = after('notifications/initialized');
    if (initialized) steps.push({ method: 'notifications/initialized', request: initialized.request });
    else warnings.push('The session sent no notifications/initialized that was recorded; the script skips it.');
  }
  const list = after('tools/list');
  if (list) steps.push({ method: 'tools/list', request: list.request, id: list.rpc.id });
  else {
    const base = steps[steps.length - 1].request;
    const id = nextId(rpc);
    steps.push({ method: 'tools/list', request: syntheticToolsList(base, first, id), id });
    warnings.push("The session never listed tools; the script sends a tools/list built from the handshake's own headers.");
  }

  const stream = exchanges.find(
    (x) => x.request?.method === 'GET' && x.firstSeq < firstExchange.firstSeq && x.frames.some((f) => f.event === 'endpoint'),
  );
  const registry = new VariableRegistry();
  const meta = opts.meta;
  const mode: HandshakeScript['mode'] = stream ? 'legacy-sse' : discover ? 'stateless-2026' : 'streamable-http';
  const body =
    mode === 'legacy-sse' ? legacyBody(stream!.request!, steps, registry) : streamableBody(steps, registry, mode === 'streamable-http');
  const serverUrl = maskUrl(meta?.serverUrl ?? (stream ?? firstExchange).request!.url);
  const header = [
    '#!/usr/bin/env bash',
    `# Replays the MCP handshake that mcpscope recorded with ${oneLine(serverUrl)}`,
    `# (${describeMode(mode)}${meta?.protocolVersion ? `, protocol ${oneLine(meta.protocolVersion)}` : ''}): ${steps.map((s) => s.method).join(', ')}.`,
    '# Each step prints what the server answered; the script stops at the first failure.',
    '# Needs bash, curl (7.76 or newer) and grep.',
    'set -euo pipefail',
    '',
  ];
  const vars = registry.list;
  if (vars.length > 0) {
    header.push('# Secrets were masked in the recording. Set these before running (export NAME=...):');
    for (const v of vars) {
      header.push(`#   ${v.name}: ${oneLine(v.description)}`);
    }
    for (const v of vars) header.push(`: "\${${v.name}:?Set ${v.name} first (see the top of this script).}"`);
    header.push('');
  }
  header.push('MAX_TIME="${MAX_TIME:-30}"', 'step() { printf \'\\n== %s\\n\' "$1" >&2; }', '');
  return {
    script: `${[...header, ...body].join('\n')}\n`,
    variables: vars,
    steps: steps.map((s) => s.method),
    warnings,
    mode,
  };
}

function describeMode(mode: HandshakeScript['mode']): string {
  if (mode === 'legacy-sse') return 'legacy HTTP+SSE transport';
  if (mode === 'stateless-2026') return 'Streamable HTTP, 2026-07-28 stateless';
  return 'Streamable HTTP';
}

function streamableBody(steps: Step[], registry: VariableRegistry, threadSession: boolean): string[] {
  const flags = ['-sS', '--fail-with-body', '--max-time', '"$MAX_TIME"'];
  const out: string[] = [];
  if (threadSession) {
    out.push('HEADERS_FILE="$(mktemp)"', 'trap \'rm -f "$HEADERS_FILE"\' EXIT', 'SESSION_HEADER=()', '');
  }
  const omit = new Set(['mcp-session-id', 'last-event-id']);
  const sessionArg = '${SESSION_HEADER[@]+"${SESSION_HEADER[@]}"}';
  steps.forEach((step, i) => {
    out.push(`step ${shellQuote(`${step.method} (${step.request.method} ${step.request.url})`)}`);
    const isFirst = i === 0;
    const parts = curlParts(step.request, {
      registry,
      flags: isFirst && threadSession ? [...flags, '-D', '"$HEADERS_FILE"'] : flags,
      omit,
      extraArgs: !isFirst && threadSession ? [sessionArg] : undefined,
    });
    out.push(joinCommand(parts, true), 'echo');
    if (isFirst && threadSession) {
      out.push(
        '# The server names the session in the Mcp-Session-Id response header; later calls send it back.',
        'SESSION_ID="$(grep -i \'^mcp-session-id:\' "$HEADERS_FILE" | head -n 1 | cut -d: -f2- | tr -d \' \\r\' || true)"',
        'if [ -n "$SESSION_ID" ]; then',
        '  printf \'session id: %s\\n\' "$SESSION_ID" >&2',
        '  SESSION_HEADER=(-H "Mcp-Session-Id: $SESSION_ID")',
        'fi',
      );
    }
    out.push('');
  });
  if (threadSession) {
    const last = steps[steps.length - 1].request;
    const headers = last.headers.filter(([n]) => !['content-type', 'accept'].includes(n.toLowerCase()));
    const parts = curlParts(
      { method: 'DELETE', url: last.url, headers },
      { registry, flags: ['-sS', '-o', '/dev/null', '--max-time', '"$MAX_TIME"'], omit, extraArgs: [sessionArg] },
    );
    out.push(
      '# End the server session so the replay leaves nothing open (servers may answer 405: that is fine).',
      'if [ -n "${SESSION_ID:-}" ]; then',
      `  step 'end the session (DELETE)'`,
      `  ${joinCommand(parts, false)} || true`,
      'fi',
    );
  }
  return out;
}

function legacyBody(stream: HttpRequestEvent, steps: Step[], registry: VariableRegistry): string[] {
  const url = new URL(stream.url);
  const dir = url.href.slice(0, url.href.length - url.search.length - url.hash.length).replace(/[^/]*$/, '');
  const streamParts = curlParts(stream, { registry, flags: ['-sS', '-N'] });
  const out: string[] = [
    'STREAM_FILE="$(mktemp)"',
    'STREAM_PID=""',
    'cleanup() { if [ -n "$STREAM_PID" ]; then kill "$STREAM_PID" 2>/dev/null || true; fi; rm -f "$STREAM_FILE"; }',
    'trap cleanup EXIT',
    '',
    '# Prints the data line of the answer matching $2 (an extended regex) once it arrives on the stream.',
    'wait_for_answer() {',
    '  local line=""',
    '  for _ in $(seq 1 "$((MAX_TIME * 10))"); do',
    '    line="$(grep -E "$2" "$STREAM_FILE" | head -n 1 || true)"',
    '    if [ -n "$line" ]; then',
    '      line="${line#data:}"',
    '      printf \'%s\\n\' "${line# }"',
    '      return 0',
    '    fi',
    '    sleep 0.1',
    '  done',
    '  printf \'No answer to %s on the event stream within %s s.\\n\' "$1" "$MAX_TIME" >&2',
    '  return 1',
    '}',
    '',
    `step ${shellQuote(`open the event stream (GET ${stream.url})`)}`,
    `${joinCommand(streamParts, true)} >"$STREAM_FILE" &`,
    'STREAM_PID=$!',
    '# The first event names the URL to POST messages to.',
    'ENDPOINT=""',
    'for _ in $(seq 1 "$((MAX_TIME * 10))"); do',
    '  ENDPOINT="$(awk \'/^event: ?endpoint\\r?$/ { found = 1; next } found && /^data:/ { sub(/^data: ?/, ""); sub(/\\r$/, ""); print; exit }\' "$STREAM_FILE")"',
    '  if [ -n "$ENDPOINT" ] || ! kill -0 "$STREAM_PID" 2>/dev/null; then break; fi',
    '  sleep 0.1',
    'done',
    'if [ -z "$ENDPOINT" ]; then',
    '  echo "The server sent no endpoint event. What the stream returned:" >&2',
    '  cat "$STREAM_FILE" >&2',
    '  exit 1',
    'fi',
    'case "$ENDPOINT" in',
    '  http://* | https://*) POST_URL="$ENDPOINT" ;;',
    `  /*) POST_URL=${shellQuote(url.origin)}"$ENDPOINT" ;;`,
    `  *) POST_URL=${shellQuote(dir)}"$ENDPOINT" ;;`,
    'esac',
    'printf \'messages go to: %s\\n\' "$POST_URL" >&2',
    '',
  ];
  for (const step of steps) {
    out.push(`step ${shellQuote(`${step.method} (POST to the endpoint)`)}`);
    const parts = curlParts(step.request, {
      registry,
      flags: ['-sS', '--fail-with-body', '--max-time', '"$MAX_TIME"'],
      urlWord: '"$POST_URL"',
    });
    out.push(joinCommand(parts, true), 'echo');
    if (step.id !== undefined) out.push(`wait_for_answer ${shellQuote(step.method)} ${shellQuote(answerPattern(step.id))}`);
    out.push('');
  }
  return out;
}

/** An extended regex for the SSE data line of the answer to request `id`. */
function answerPattern(id: string | number): string {
  const idText = typeof id === 'number' ? String(id) : JSON.stringify(id).replace(/[.[\]()*+?{}|^$\\]/g, '\\$&');
  return `^data: ?\\{.*"id": ?${idText}[,}]`;
}

function nextId(rpc: readonly RpcEvent[]): number {
  let max = 0;
  for (const r of rpc) if (r.direction === 'out' && typeof r.id === 'number' && r.id > max) max = r.id;
  return max + 1;
}

function syntheticToolsList(
  base: Step['request'],
  first: RpcEvent,
  id: number,
): Pick<HttpRequestEvent, 'method' | 'url' | 'headers' | 'body'> {
  const message: Record<string, unknown> = { jsonrpc: '2.0', id, method: 'tools/list' };
  // A 2026-07-28 request carries its own `_meta` envelope: reuse the one the discovery sent.
  const firstMessage = first.message as { params?: { _meta?: unknown } } | undefined;
  if (firstMessage?.params?._meta !== undefined) message.params = { _meta: firstMessage.params._meta };
  const text = JSON.stringify(message);
  const headers: HeaderList = base.headers.filter(([n]) => n.toLowerCase() !== 'content-type');
  headers.push(['content-type', 'application/json']);
  if (!headers.some(([n]) => n.toLowerCase() === 'accept')) headers.push(['accept', 'application/json, text/event-stream']);
  return {
    method: 'POST',
    url: base.url,
    headers,
    body: { text, encoding: 'utf8', size: text.length, truncated: false },
  };
}

/**
 * A server URL without its masked query parameters, and those parameters with the variable each becomes (named
 * after the parameter, as in the curl commands): the snippet sets them from the environment.
 */
function splitMaskedParams(url: string): { url: string; params: Array<{ name: string; variable: string }> } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, params: [] };
  }
  const params: Array<{ name: string; variable: string }> = [];
  for (const [name, value] of [...parsed.searchParams]) {
    if (!value.startsWith(MASK)) continue;
    params.push({ name, variable: envName(name) });
    parsed.searchParams.delete(name);
  }
  return { url: params.length > 0 ? parsed.href : url, params };
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

// ---------------------------------------------------------------------------------------------------
// A tool call as TypeScript

export interface ToolCallSnippetInput {
  /** The server URL; for a stdio server, its command line as shown. */
  serverUrl: string;
  transport: 'auto' | 'streamable-http' | 'sse' | 'stdio';
  /** stdio: the environment variables the session set (their values are secrets: read from the environment). */
  envNames?: readonly string[];
  era?: ProtocolEraName;
  toolName: string;
  args?: Record<string, unknown>;
  /** Headers the session sent that the snippet must send too. */
  headerNames?: readonly string[];
  /** The recorded (masked) headers: unmasked values are written as they are; a non-Bearer auth scheme is kept. */
  headers?: HeaderList;
}

/**
 * TypeScript that makes the same tool call with `@modelcontextprotocol/client` (v2): the legacy SSE
 * transport for a legacy-era server, otherwise Streamable HTTP with version negotiation in `auto` mode.
 * Header values that were secrets come from `process.env` (same names as in the curl commands).
 */
export function toolCallSnippet(input: ToolCallSnippetInput): string {
  if (input.transport === 'stdio') return stdioToolCallSnippet(input);
  const legacy = input.era === 'legacy-sse' || input.transport === 'sse';
  const transportClass = legacy ? 'SSEClientTransport' : 'StreamableHTTPClientTransport';
  const envNames: string[] = [];
  const headerLines: string[] = [];
  const seen = new Set<string>();
  for (const rawName of input.headerNames ?? []) {
    const name = rawName.toLowerCase();
    if (seen.has(name) || SKIPPED_HEADERS.has(name) || name === 'mcp-session-id' || name === 'mcp-protocol-version') continue;
    seen.add(name);
    const recorded = input.headers ? headerValue(input.headers, name) : undefined;
    const key = JSON.stringify(displayHeaderName(name));
    if (recorded !== undefined && !recorded.includes(MASK)) {
      headerLines.push(`      ${key}: ${JSON.stringify(recorded)},`);
      continue;
    }
    const scheme = recorded !== undefined ? AUTH_SCHEME.exec(recorded)?.[1] : undefined;
    const variable = secretHeaderVariable(name, scheme);
    if (!envNames.includes(variable)) envNames.push(variable);
    if (name === 'authorization' || name === 'proxy-authorization') {
      headerLines.push(`      ${key}: \`${scheme ?? 'Bearer'} \${env(${JSON.stringify(variable)})}\`,`);
    } else {
      headerLines.push(`      ${key}: env(${JSON.stringify(variable)}),`);
    }
  }
  const { url: bareUrl, params: secretParams } = splitMaskedParams(maskUrl(input.serverUrl));
  for (const param of secretParams) if (!envNames.includes(param.variable)) envNames.push(param.variable);
  const lines: string[] = [
    `// Calls the tool ${JSON.stringify(input.toolName)} on ${oneLine(maskUrl(input.serverUrl))}, as mcpscope did.`,
    '// npm install @modelcontextprotocol/client',
  ];
  if (envNames.length > 0) lines.push(`// Set ${envNames.join(', ')} in the environment first (the session's secrets were masked).`);
  lines.push(`import { Client, ${transportClass} } from '@modelcontextprotocol/client';`, '');
  if (envNames.length > 0) lines.push(...ENV_FUNCTION);
  lines.push(
    legacy
      ? "const client = new Client({ name: 'mcpscope-snippet', version: '1.0.0' });"
      : "const client = new Client({ name: 'mcpscope-snippet', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });",
  );
  let urlExpression = `new URL(${JSON.stringify(bareUrl)})`;
  if (secretParams.length > 0) {
    lines.push(`const url = new URL(${JSON.stringify(bareUrl)});`);
    for (const param of secretParams)
      lines.push(`url.searchParams.set(${JSON.stringify(param.name)}, env(${JSON.stringify(param.variable)}));`);
    urlExpression = 'url';
  }
  if (headerLines.length > 0) {
    lines.push(
      `const transport = new ${transportClass}(${urlExpression}, {`,
      '  requestInit: {',
      '    headers: {',
      ...headerLines,
      '    },',
      '  },',
      '});',
    );
  } else {
    lines.push(`const transport = new ${transportClass}(${urlExpression});`);
  }
  lines.push(...callToolLines(input));
  return lines.join('\n');
}

/** The snippets' reader of a secret from the environment, failing clearly when it is not set. */
const ENV_FUNCTION = [
  'function env(name: string): string {',
  '  const value = process.env[name];',
  '  if (!value) throw new Error(`Set ${name} in the environment first.`);',
  '  return value;',
  '}',
  '',
];

/** The end of a snippet: connect, call the tool with the recorded arguments, print the result, close. */
function callToolLines(input: ToolCallSnippetInput): string[] {
  const argsText = JSON.stringify(input.args ?? {}, null, 2).replace(/\n/g, '\n  ');
  return [
    'await client.connect(transport);',
    'try {',
    `  const result = await client.callTool({ name: ${JSON.stringify(input.toolName)}, arguments: ${argsText} });`,
    '  console.log(JSON.stringify(result, null, 2));',
    '} finally {',
    '  await client.close();',
    '}',
    '',
  ];
}

/** The same call to a stdio server: the SDK starts the command (environment values come from this environment). */
function stdioToolCallSnippet(input: ToolCallSnippetInput): string {
  const [command = '', ...args] = splitCommandLine(input.serverUrl);
  const envNames = [...(input.envNames ?? [])];
  const lines: string[] = [
    `// Calls the tool ${JSON.stringify(input.toolName)} on the stdio server ${oneLine(input.serverUrl)}, as mcpscope did.`,
    '// npm install @modelcontextprotocol/client',
  ];
  if (envNames.length > 0) lines.push(`// Set ${envNames.join(', ')} in the environment first (the session's values were not shown).`);
  lines.push(
    "import { Client } from '@modelcontextprotocol/client';",
    "import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';",
    '',
  );
  if (envNames.length > 0) lines.push(...ENV_FUNCTION);
  lines.push(
    "const client = new Client({ name: 'mcpscope-snippet', version: '1.0.0' });",
    'const transport = new StdioClientTransport({',
    `  command: ${JSON.stringify(command)},`,
    `  args: ${JSON.stringify(args)},`,
  );
  if (envNames.length > 0) {
    lines.push('  env: {', '    ...getDefaultEnvironment(),');
    for (const name of envNames) lines.push(`    ${JSON.stringify(name)}: env(${JSON.stringify(name)}),`);
    lines.push('  },');
  }
  lines.push('});', ...callToolLines(input));
  return lines.join('\n');
}
