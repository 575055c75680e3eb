// The command line: `mcpscope <command> <url> [tool] [options]`, parsed with node:util's parseArgs and
// checked as a whole, so every mistake is a usage error (exit 2) before anything touches the network.
import { parseArgs } from 'node:util';
import { ENV_NAME, formatCommandLine } from '../contract/stdio';
import type { TransportMode } from '../mcp';
import { parseTolerateList, type TolerableCheck } from '../oauth/tolerate';
import { usageError } from './errors';

export type Command = 'info' | 'tools' | 'call' | 'skills' | 'doctor' | 'audit';
export type MachineGrantName = 'client_credentials' | 'jwt_bearer' | 'id_jag';
const MACHINE_GRANTS: readonly MachineGrantName[] = ['client_credentials', 'jwt_bearer', 'id_jag'];
export type ElicitationAction = 'accept' | 'decline' | 'cancel';

export const COMMANDS: readonly Command[] = ['info', 'tools', 'call', 'skills', 'doctor', 'audit'];
const TRANSPORTS: readonly TransportMode[] = ['auto', 'streamable-http', 'sse'];
const ELICITATION_ACTIONS: readonly ElicitationAction[] = ['accept', 'decline', 'cancel'];

/** A local stdio server to start: the words after `--`, with --env and --cwd. */
export interface CliStdioTarget {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export interface CliOptions {
  command: Command;
  /** The server URL; with a command after `--`, that command line as shown. */
  url: string;
  /** Set when a command after `--` takes the URL's place. */
  stdio?: CliStdioTarget;
  /** `call` only. */
  tool?: string;
  /** `call` only: the tool's arguments. */
  args: Record<string, unknown>;
  /** `skills` only: load this skill (its name or SKILL.md URI), verifying every file. */
  loadSkill?: string;
  transport: TransportMode;
  /** Extra request headers, in the order given. */
  headers: Record<string, string>;
  bearer?: string;
  /** Authorization code flow (also implied by the client options below). */
  oauth: boolean;
  /** A grant without a person: client credentials, jwt-bearer with an assertion (SEP-1933), or ID-JAG (SEP-990). */
  grant?: MachineGrantName;
  /** jwt_bearer: a file holding the assertion (a workload identity token, e.g. a Kubernetes or CI OIDC token). */
  assertionFile?: string;
  /** id_jag: the enterprise identity provider's token endpoint, the person's ID token (a file), this client there. */
  idpTokenEndpoint?: string;
  idTokenFile?: string;
  idpClientId?: string;
  idpClientSecret?: string;
  clientId?: string;
  clientSecret?: string;
  /** A file holding the client's private key (PEM or JWK): `private_key_jwt` instead of a secret. */
  clientKeyFile?: string;
  /** The key's signing algorithm, when not the key type's usual one. */
  clientKeyAlg?: string;
  clientMetadataUrl?: string;
  scopes: string[];
  /** The loopback port for the OAuth redirect; default: the one used last time, else a free one. */
  callbackPort?: number;
  /** Checks the OAuth flow refuses by default that the person chose to get past (each a finding). */
  tolerate: TolerableCheck[];
  /** Undefined: elicitation is not offered to the server at all. */
  onElicitation?: ElicitationAction;
  logFile?: string;
  json: boolean;
  /** Request timeout override, in milliseconds. */
  timeoutMs?: number;
  /** `doctor` only: the SHA-256 fingerprint of a self-signed certificate to trust for this run. */
  trustCertificate?: string;
  /** `audit` only: which failures make the exit code non-zero (default must). */
  failOn?: 'must' | 'should';
  /** `audit` only: tools the audit may call (each `name` or `name=<json arguments>`). */
  consent?: Array<{ name: string; arguments?: Record<string, unknown> }>;
}

export type CommandLine = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; options: CliOptions };

export const USAGE = `Usage: mcpscope <command> <url> [options]
       mcpscope <command> [options] -- <server command> [args…]
       mcpscope [serve] [--port N] [--host H]

Inspect an MCP server from the command line, or serve the web app.

Commands:
  serve [--port N] [--host H]    Serve the web app (also with no command) and print its URL
  info <url>                     Connect and show the server: name, version, era, protocol version,
                                 capabilities and instructions
  tools <url>                    List the server's tools
  call <url> <tool> [--args J]   Call a tool with JSON arguments and show its result
  skills <url> [--load <skill>]  List the server's skills (SEP-2640); --load one (name or SKILL.md URI): read
                                 its files, each verified against the listing (size, sha256, frontmatter)
  replay <recording> --against <url>
                                 Re-issue a recorded session's requests (file or share link) against a server
                                 and diff each answer and the interface; exit 6 when something differs
  diff <a> <b>                   Compare two recorded sessions offline (mcpscope replay --help: the options)
  mock <recording> [--port N]    Serve a recorded session as an MCP server on 127.0.0.1

  doctor <url>                   Diagnose a connection step by step (URL, DNS, TCP, TLS, first POST, authorization
                                 metadata, transport and era, session, first list); stops at the first hard failure.
                                 --trust-cert <sha256> trusts that self-signed certificate for this run only;
                                 with --oauth / --client-id it also sends the authorization request a run would
                                 (redirect URI on --callback-port) and reads the first answer
  audit <url>                    Audit how well the server keeps the spec: each check with its result, level
                                 (MUST/SHOULD), spec section and fix. --fail-on must|should (default must) sets
                                 what fails the exit code; --consent <tool>[=<json args>] (repeatable) lets it
                                 call that tool (to check structured results against its outputSchema)

A local stdio server instead of a URL: put its command after --; mcpscope starts it, speaks MCP over its
stdin/stdout and stops it (its whole process group) at the end. Its stderr goes into --log.
  --env NAME=value               Set an environment variable for it (repeatable; values are masked in --log)
  --cwd <dir>                    Its working directory

Connection:
  --transport <mode>             auto (default), streamable-http or sse
  --header 'Name: value'         Send a header with every request (repeatable)
  --timeout <seconds>            How long to wait for an answer to each request (default 60)

Authorization:
  --bearer <token>               Send Authorization: Bearer <token>
  --oauth                        Authorization code flow with PKCE: discovers the authorization server,
                                 registers a client if needed, prints the authorization URL on stderr and
                                 waits for the redirect on http://localhost:<port>/callback. A server that
                                 approves at once is followed without a browser. Tokens are kept
                                 (encrypted) in the data directory and refreshed on later runs.
  --client-id <id>               Use a pre-registered client (implies --oauth unless --grant is given)
  --client-secret <secret>       Its secret
  --client-key <file>            Its private key instead (PEM or JWK): private_key_jwt client authentication,
                                 a signed assertion on each token request (RFC 7523)
  --client-key-alg <alg>         The key's JWS algorithm (default: ES256/ES384/ES512 by curve, RS256, EdDSA)
  --client-metadata-url <url>    Use an https client ID metadata document as the client ID
  --scope <scopes>               Scopes to ask for (repeatable, or space-separated)
  --grant client_credentials     Machine-to-machine: needs --client-id and --client-secret or --client-key
  --grant jwt_bearer             Workload identity (SEP-1933): trade the JWT in --assertion-file <file> for a token
                                 (RFC 7523), as client --client-id (with its secret or key, if it has one)
  --grant id_jag                 Enterprise-managed (SEP-990): exchange the ID token in --id-token-file <file> at
                                 --idp-token-endpoint <url> as --idp-client-id <id> [--idp-client-secret <s>] for
                                 an ID-JAG, then trade that for a token as --client-id (and --client-secret)
  --callback-port <port>         Loopback port for the redirect (default: the last one used, else a free one)
  --tolerate <check>             Go past a check the OAuth flow refuses by default, knowingly (repeatable):
                                 issuer_mismatch (RFC 8414 §3.3), resource_mismatch (RFC 9728 §3.3) or
                                 iss_mismatch (RFC 9207). Recorded as a finding. Scheme and PKCE checks cannot be.

Tool calls:
  --args <json>                  The tool's arguments as a JSON object (default {})
  --on-elicitation <action>      Answer the server's elicitation requests: accept (with the form's
                                 defaults), decline or cancel. Without it, elicitation is not offered.

Output:
  --json                         Machine-readable JSON on stdout
  --log <file.json>              Write the session log (every HTTP exchange, SSE frame and JSON-RPC
                                 message, secrets masked) as an mcpscope session export
  -h, --help                     Show this help
  --version                      Show the version

Exit codes:
  0 ok, 2 usage error, 3 connection failed, 4 authorization failed,
  5 the tool returned isError or the server answered with a JSON-RPC error, 1 unexpected failure.
  6 replay/diff: something differs beyond the ignore rules.
  doctor: 0 every step passed (warnings allowed), 3 a connection step failed, 4 an authorization step failed
  or authorization is needed. audit: 0 no failure at the --fail-on level, 6 failures at that level.
  Errors are printed on stderr as one line: mcpscope: <code>: <message>

Environment:
  MCPSCOPE_DATA_DIR              Where OAuth clients and tokens are kept (default ~/.mcpscope)

Examples:
  mcpscope info http://localhost:3001/mcp
  mcpscope tools https://example.com/mcp --bearer "$TOKEN" --json
  mcpscope call http://localhost:3001/mcp add --args '{"a": 1, "b": 2}'
  mcpscope call https://example.com/mcp whoami --oauth --scope 'mcp:read mcp:write'
  mcpscope tools -- npx -y @modelcontextprotocol/server-everything stdio
  mcpscope call echo --args '{"message": "hi"}' --env API_KEY="$KEY" -- node ./server.js
`;

const OPTIONS = {
  transport: { type: 'string' },
  header: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  bearer: { type: 'string' },
  oauth: { type: 'boolean' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'client-key': { type: 'string' },
  'client-key-alg': { type: 'string' },
  'client-metadata-url': { type: 'string' },
  scope: { type: 'string', multiple: true },
  grant: { type: 'string' },
  'assertion-file': { type: 'string' },
  'idp-token-endpoint': { type: 'string' },
  'id-token-file': { type: 'string' },
  'idp-client-id': { type: 'string' },
  'idp-client-secret': { type: 'string' },
  'callback-port': { type: 'string' },
  tolerate: { type: 'string', multiple: true },
  args: { type: 'string' },
  load: { type: 'string' },
  'on-elicitation': { type: 'string' },
  json: { type: 'boolean' },
  log: { type: 'string' },
  env: { type: 'string', multiple: true },
  cwd: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  'trust-cert': { type: 'string' },
  'fail-on': { type: 'string' },
  consent: { type: 'string', multiple: true },
} as const;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Options whose value is a random credential, which may begin with "-" (base64url does, one time in 64). */
const SECRET_VALUED = new Set(['--bearer', '--client-secret']);

/**
 * `--client-secret -abc` as `--client-secret=-abc`: parseArgs refuses a separate value that begins with "-" (it
 * may be a forgotten value followed by another option), but a secret is random and can. One of our own options
 * in that place is still left alone, so a forgotten value is still reported.
 */
function attachSecretValues(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < words.length; index++) {
    const word = words[index]!;
    const next = words[index + 1];
    const ownOption = next !== undefined && (next === '-h' || (next.startsWith('--') && next.slice(2).split('=')[0]! in OPTIONS));
    if (SECRET_VALUED.has(word) && next !== undefined && next.startsWith('-') && !ownOption) {
      out.push(`${word}=${next}`);
      index++;
    } else out.push(word);
  }
  return out;
}

export function parseCommandLine(argv: readonly string[]): CommandLine {
  // Everything after the first `--` is the server's command line, untouched (its own options included).
  const split = argv.indexOf('--');
  const serverWords = split === -1 ? undefined : argv.slice(split + 1);
  const ours = split === -1 ? argv : argv.slice(0, split);
  let parsed;
  try {
    parsed = parseArgs({ args: attachSecretValues(ours), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(describeParseError(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const [commandName, ...afterCommand] = positionals;
  if (!commandName) throw usageError(`Missing the command: ${COMMANDS.join(', ')}.`);
  if (!isCommand(commandName)) throw usageError(`Unknown command "${commandName}": use ${COMMANDS.join(', ')}.`);
  const stdio = serverWords === undefined ? undefined : parseStdioTarget(serverWords, values.env ?? [], values.cwd);
  if (!stdio && (values.env !== undefined || values.cwd !== undefined))
    throw usageError('--env and --cwd are for a local server: put its command after --, e.g. mcpscope info --env A=1 -- node server.js.');
  if (stdio) {
    for (const name of ['transport', 'header', 'bearer', 'oauth', 'grant', 'client-id', 'client-metadata-url', 'scope'] as const) {
      if (values[name] !== undefined)
        throw usageError(`--${name} is for servers reached by URL; a local server is started from its command.`);
    }
  }
  const url = stdio ? formatCommandLine(stdio.command, stdio.args) : afterCommand.shift();
  const rest = afterCommand;
  if (!url) throw usageError(`Missing the server URL (or a command after --): mcpscope ${commandName} <url>.`);

  let tool: string | undefined;
  if (commandName === 'call') {
    tool = rest.shift();
    if (!tool) throw usageError("Missing the tool name: mcpscope call <url> <tool> --args '{...}'.");
  }
  if (rest.length > 0) throw usageError(`Unexpected argument "${rest[0]}".`);
  if (values.args !== undefined && commandName !== 'call') throw usageError('--args only applies to the call command.');
  if (values.load !== undefined && commandName !== 'skills') throw usageError('--load only applies to the skills command.');
  if (values['trust-cert'] !== undefined && commandName !== 'doctor') throw usageError('--trust-cert only applies to the doctor command.');
  if (values['fail-on'] !== undefined && commandName !== 'audit') throw usageError('--fail-on only applies to the audit command.');
  if (values.consent !== undefined && commandName !== 'audit') throw usageError('--consent only applies to the audit command.');
  if (values['fail-on'] !== undefined && values['fail-on'] !== 'must' && values['fail-on'] !== 'should')
    throw usageError(`--fail-on takes must or should, not "${values['fail-on']}".`);

  const transport = values.transport ?? 'auto';
  if (!(TRANSPORTS as readonly string[]).includes(transport)) {
    throw usageError(`--transport must be one of ${TRANSPORTS.join(', ')}, not "${transport}".`);
  }
  const onElicitation = values['on-elicitation'];
  if (onElicitation !== undefined && !(ELICITATION_ACTIONS as readonly string[]).includes(onElicitation)) {
    throw usageError(`--on-elicitation must be one of ${ELICITATION_ACTIONS.join(', ')}, not "${onElicitation}".`);
  }
  if (values.grant !== undefined && !(MACHINE_GRANTS as readonly string[]).includes(values.grant)) {
    throw usageError(`--grant takes ${MACHINE_GRANTS.join(', ')}, not "${values.grant}" (use --oauth for the authorization code flow).`);
  }
  const grant = values.grant as MachineGrantName | undefined;
  if (grant === 'client_credentials' && (!values['client-id'] || (!values['client-secret'] && !values['client-key']))) {
    throw usageError('--grant client_credentials needs --client-id and --client-secret (or --client-key).');
  }
  if ((grant === 'jwt_bearer' || grant === 'id_jag') && !values['client-id'])
    throw usageError(`--grant ${grant} needs --client-id (the client the authorization server knows).`);
  if (grant === 'jwt_bearer' && !values['assertion-file'])
    throw usageError("--grant jwt_bearer needs --assertion-file <file> (the workload's identity token).");
  if (grant === 'id_jag' && (!values['idp-token-endpoint'] || !values['id-token-file'] || !values['idp-client-id'])) {
    throw usageError('--grant id_jag needs --idp-token-endpoint <url>, --id-token-file <file> and --idp-client-id <id>.');
  }
  if (values['assertion-file'] !== undefined && grant !== 'jwt_bearer') throw usageError('--assertion-file goes with --grant jwt_bearer.');
  for (const name of ['idp-token-endpoint', 'id-token-file', 'idp-client-id', 'idp-client-secret'] as const) {
    if (values[name] !== undefined && grant !== 'id_jag') throw usageError(`--${name} goes with --grant id_jag.`);
  }
  if (values['client-secret'] !== undefined && values['client-id'] === undefined) throw usageError('--client-secret needs --client-id.');
  if (values['client-key'] !== undefined && values['client-id'] === undefined) throw usageError('--client-key needs --client-id.');
  if (values['client-key'] !== undefined && values['client-secret'] !== undefined)
    throw usageError('Use either --client-secret or --client-key, not both.');
  if (values['client-key-alg'] !== undefined && values['client-key'] === undefined)
    throw usageError('--client-key-alg needs --client-key.');
  if (values['client-id'] !== undefined && values['client-metadata-url'] !== undefined) {
    throw usageError('Use either --client-id or --client-metadata-url, not both.');
  }
  if (grant && values['client-metadata-url'] !== undefined) throw usageError(`--grant ${grant} cannot use --client-metadata-url.`);
  if (grant && values.oauth) throw usageError(`Use either --oauth (authorization code) or --grant ${grant}, not both.`);

  const scopes = parseScopeOptions(values.scope ?? []);
  const tolerate = parseTolerateList(values.tolerate ?? [], (message) => {
    throw usageError(`--tolerate: ${message.replace(/^"tolerate"/, 'it')}`);
  });
  const clientOptionGiven =
    ['client-id', 'client-secret', 'client-key', 'client-metadata-url', 'callback-port'].some(
      (name) => values[name as keyof typeof values] !== undefined,
    ) ||
    scopes.length > 0 ||
    tolerate.length > 0;
  const oauth = !grant && (values.oauth === true || clientOptionGiven);
  if (values.bearer !== undefined && (oauth || grant)) {
    throw usageError('--bearer gives a token directly; it cannot be combined with --oauth, --grant or the client options.');
  }
  if (values.bearer !== undefined && values.bearer.trim() === '') throw usageError('--bearer needs a token.');

  const options: CliOptions = {
    command: commandName,
    url,
    args: commandName === 'call' ? parseToolArgs(values.args) : {},
    transport: transport as TransportMode,
    headers: parseHeaders(values.header ?? []),
    oauth,
    scopes,
    tolerate,
    json: values.json === true,
  };
  if (tool !== undefined) options.tool = tool;
  if (stdio) options.stdio = stdio;
  if (values.load !== undefined) options.loadSkill = nonEmpty(values.load, '--load');
  if (values.bearer !== undefined) options.bearer = values.bearer.trim();
  if (grant) options.grant = grant;
  if (values['assertion-file'] !== undefined) options.assertionFile = nonEmpty(values['assertion-file'], '--assertion-file');
  if (values['idp-token-endpoint'] !== undefined)
    options.idpTokenEndpoint = parseHttpUrl(values['idp-token-endpoint'], '--idp-token-endpoint');
  if (values['id-token-file'] !== undefined) options.idTokenFile = nonEmpty(values['id-token-file'], '--id-token-file');
  if (values['idp-client-id'] !== undefined) options.idpClientId = nonEmpty(values['idp-client-id'], '--idp-client-id');
  if (values['idp-client-secret'] !== undefined) options.idpClientSecret = nonEmpty(values['idp-client-secret'], '--idp-client-secret');
  if (values['client-id'] !== undefined) options.clientId = nonEmpty(values['client-id'], '--client-id');
  if (values['client-secret'] !== undefined) options.clientSecret = nonEmpty(values['client-secret'], '--client-secret');
  if (values['client-key'] !== undefined) options.clientKeyFile = nonEmpty(values['client-key'], '--client-key');
  if (values['client-key-alg'] !== undefined) options.clientKeyAlg = nonEmpty(values['client-key-alg'], '--client-key-alg');
  if (values['client-metadata-url'] !== undefined) options.clientMetadataUrl = parseMetadataUrl(values['client-metadata-url']);
  if (values['callback-port'] !== undefined) options.callbackPort = parsePort(values['callback-port']);
  if (onElicitation !== undefined) options.onElicitation = onElicitation as ElicitationAction;
  if (values.log !== undefined) options.logFile = nonEmpty(values.log, '--log');
  if (values.timeout !== undefined) options.timeoutMs = parseSeconds(values.timeout);
  if (values['trust-cert'] !== undefined) options.trustCertificate = nonEmpty(values['trust-cert'], '--trust-cert');
  if (commandName === 'audit') options.failOn = values['fail-on'] === 'should' ? 'should' : 'must';
  if (values.consent !== undefined) options.consent = values.consent.map(parseConsent);
  return { kind: 'run', options };
}

/** The words after `--`, with --env NAME=value (repeatable; the last one of a name wins) and --cwd. */
export function parseStdioTarget(words: readonly string[], env: readonly string[], cwd: string | undefined): CliStdioTarget {
  const [command, ...args] = words;
  if (!command || command.trim() === '') throw usageError('Missing the server command after --: mcpscope info -- <command> [args…].');
  const variables: Record<string, string> = {};
  for (const item of env) {
    const equals = item.indexOf('=');
    const name = equals === -1 ? item : item.slice(0, equals);
    if (equals <= 0 || !ENV_NAME.test(name)) throw usageError(`--env must look like NAME=value, not "${item}".`);
    variables[name] = item.slice(equals + 1);
  }
  return { command, args, env: variables, ...(cwd !== undefined ? { cwd: nonEmpty(cwd, '--cwd') } : {}) };
}

function isCommand(name: string): name is Command {
  return (COMMANDS as readonly string[]).includes(name);
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1];
    return option ? `Unknown option ${option}.` : message;
  }
  // Node's messages here are already specific ("Option '--args <value>' argument missing").
  return message.replace(/\.?$/, '.');
}

/** `{"a": 1}`: a JSON object. Anything else is a usage error that says what was wrong. */
export function parseToolArgs(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw usageError(
      `--args is not valid JSON (${error instanceof Error ? error.message : String(error)}); quote it like --args '{"a": 1}'.`,
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw usageError('--args must be a JSON object, like --args \'{"a": 1}\'.');
  }
  return value as Record<string, unknown>;
}

/** `tool` or `tool=<json object>`: a tool the audit may call, with its arguments. */
export function parseConsent(value: string): { name: string; arguments?: Record<string, unknown> } {
  const equals = value.indexOf('=');
  const name = (equals < 0 ? value : value.slice(0, equals)).trim();
  if (!name) throw usageError(`--consent needs a tool name, like --consent get_weather or --consent 'get_weather={"city":"Lyon"}'.`);
  if (equals < 0) return { name };
  try {
    return { name, arguments: parseToolArgs(value.slice(equals + 1)) };
  } catch {
    throw usageError(`--consent ${name}=… must be followed by a JSON object of arguments.`);
  }
}

/** `Name: value` lines; the last one wins for a repeated name (case-insensitively). */
export function parseHeaders(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw usageError(`--header must look like 'Name: value', not "${line}".`);
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (!HEADER_NAME.test(name)) throw usageError(`"${name}" is not a valid HTTP header name.`);
    if (/[\r\n\0]/.test(value)) throw usageError(`The value of header ${name} contains a line break.`);
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    headers[name] = value;
  }
  return headers;
}

/** Each --scope may hold several space-separated scopes; duplicates are dropped, order kept. */
export function parseScopeOptions(values: readonly string[]): string[] {
  const scopes: string[] = [];
  for (const value of values) for (const scope of value.split(/\s+/)) if (scope && !scopes.includes(scope)) scopes.push(scope);
  return scopes;
}

function nonEmpty(value: string, option: string): string {
  if (value.trim() === '') throw usageError(`${option} needs a value.`);
  return value;
}

function parseMetadataUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw usageError(`--client-metadata-url must be a URL, not "${value}".`);
  }
  if (url.protocol !== 'https:' || url.pathname === '/') {
    throw usageError('--client-metadata-url must be an https URL with a path (the authorization server fetches it).');
  }
  return url.href;
}

function parseHttpUrl(value: string, option: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
  } catch {
    // said below
  }
  throw usageError(`${option} must be an http(s) URL, not "${value}".`);
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw usageError(`--callback-port must be a port number (1-65535), not "${value}".`);
  return port;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw usageError(`--timeout must be a positive number of seconds, not "${value}".`);
  return Math.round(seconds * 1000);
}
