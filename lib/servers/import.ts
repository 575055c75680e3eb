// Reads the servers of an mcp.json-style file: the `mcpServers` map of Claude Desktop, Cursor, Windsurf and Claude
// Code's `.mcp.json`, VS Code's `servers` map (`.vscode/mcp.json`, with `inputs`) and its settings.json `mcp.servers`.
// The file is the person's, but may come from anywhere (a README, a gist): it is bounded in size, depth and entry
// count, every URL passes lib/url-policy, every field is checked with the same rules as a connect request, and an
// entry that fails is reported on its own without sinking the others. Placeholders (`${input:x}`, `${env:X}`,
// `${workspaceFolder}`) are kept as written and listed, never expanded: only the client that wrote them can.
// Pure and browser-safe.
import { parse as parseJsonc, printParseErrorCode, createScanner, type ParseError } from 'jsonc-parser';
import * as z from 'zod';
import { commandTargetSchema } from '../contract/stdio';
import { checkServerUrl, quoteUrl, type HttpRule } from '../url-policy';
import { credentialsInClear } from './clear-secrets';
import type {
  CommandServerTarget,
  ConfigInput,
  ConfigSection,
  ImportProblem,
  ImportProblemCode,
  ImportResult,
  SavedServerDraft,
  SavedServerTarget,
  TransportHint,
  UrlServerTarget,
} from './types';

z.config({ jitless: true });

/** The longest file read, in characters (a real one is a few thousand). */
export const MAX_CONFIG_LENGTH = 1024 * 1024;
export const MAX_CONFIG_SERVERS = 200;
/** Deeper nesting than any client's format needs (settings.json → mcp → servers → entry → env → value is 5). */
export const MAX_CONFIG_DEPTH = 32;
const MAX_INPUTS = 200;
const MAX_NAME = 200;
const MAX_URL = 8192;
const MAX_HEADERS = 50;
const MAX_HEADER_VALUE = 8192;
const MAX_PROBLEMS_PER_ENTRY = 10;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const PLACEHOLDER = /\$\{[^{}\s]{1,200}\}/g;

/** What each client writes in `type` (or `transport`), and what it means. */
const TYPES: Record<string, TransportHint | 'stdio'> = {
  stdio: 'stdio',
  // Claude Code: Streamable HTTP. VS Code: Streamable HTTP falling back to SSE, which is what mcpscope does with
  // no hint, so in VS Code's maps it is read as none (see entryKind).
  http: 'streamable-http',
  'streamable-http': 'streamable-http',
  streamable_http: 'streamable-http',
  streamableHttp: 'streamable-http',
  sse: 'sse',
};

export interface ImportOptions {
  /** Whether plain http: URLs are accepted (lib/security decides by mode); default allow, as in local mode. */
  http?: HttpRule;
}

const typeField = (field: string) =>
  z
    .string({ error: `"${field}" must be a string: stdio, http or sse` })
    .refine((value) => Object.hasOwn(TYPES, value), { error: `"${field}" must be stdio, http or sse` })
    .optional();

const headersSchema = z
  .record(
    z
      .string()
      .regex(HEADER_NAME, { error: "header names are letters, digits and !#$%&'*+.^_`|~-" })
      .refine((name) => name !== '__proto__', { error: 'this header name is not allowed' }),
    z
      .string()
      .max(MAX_HEADER_VALUE, { error: `header values are at most ${MAX_HEADER_VALUE} characters` })
      .refine((value) => !/[\r\n\0]/.test(value), { error: 'header values must not contain line breaks or NUL characters' }),
    { error: '"headers" must be an object of header names to string values' },
  )
  .refine((headers) => Object.keys(headers).length <= MAX_HEADERS, { error: `at most ${MAX_HEADERS} headers` })
  .optional();

const urlField = (field: string) =>
  z
    .string({ error: `"${field}" must be a string` })
    .max(MAX_URL, { error: `"${field}" is longer than ${MAX_URL} characters` })
    .optional();

const { command, args, env, cwd } = commandTargetSchema.shape;

/** One entry of any client's map; fields a client adds that mcpscope has no use for (`disabled`, `autoApprove`, `envFile`) pass. */
const entrySchema = z.looseObject(
  {
    type: typeField('type'),
    transport: typeField('transport'),
    command: command.optional(),
    args,
    // A `__proto__` key never reaches the output: zod's record drops it (tests/servers: no pollution, no pass).
    env,
    cwd,
    url: urlField('url'),
    // Windsurf's spelling.
    serverUrl: urlField('serverUrl'),
    headers: headersSchema,
  },
  { error: 'must be an object with "command" (a local server) or "url" (a remote one)' },
);

const inputSchema = z.looseObject({
  id: z.string().min(1).max(MAX_NAME),
  type: z.string().max(100).default('promptString'),
  description: z.string().max(2000).optional(),
  password: z.boolean().default(false),
});

type Entry = z.infer<typeof entrySchema>;

/**
 * Reads a config file's text (JSON with comments and trailing commas, as VS Code writes it) or an already-parsed value.
 * Never throws for anything the file holds: what went wrong is in `problems`.
 */
export function parseServerConfig(source: string | unknown, options: ImportOptions = {}): ImportResult {
  const result: ImportResult = { servers: [], problems: [], sections: [], inputs: [] };
  const fail = (code: ImportProblemCode, message: string) => {
    result.problems.push({ code, severity: 'error', message });
    return result;
  };

  let root: unknown = source;
  if (typeof source === 'string') {
    if (source.length > MAX_CONFIG_LENGTH)
      return fail('too_large', `The file is longer than ${MAX_CONFIG_LENGTH} characters; a config file of MCP servers is a few thousand.`);
    if (textDepth(source) > MAX_CONFIG_DEPTH)
      return fail('too_deep', `The file nests deeper than ${MAX_CONFIG_DEPTH} levels; no client's format does.`);
    const errors: ParseError[] = [];
    root = parseJsonc(source, errors, { allowTrailingComma: true, allowEmptyContent: false, disallowComments: false });
    if (errors.length > 0) {
      const first = errors[0]!;
      const { line, column } = position(source, first.offset);
      return fail('invalid_json', `The file is not valid JSON: ${describeParseError(first)} at line ${line}, column ${column}.`);
    }
  } else if (valueDepth(source) > MAX_CONFIG_DEPTH) {
    return fail('too_deep', `The file nests deeper than ${MAX_CONFIG_DEPTH} levels; no client's format does.`);
  }

  if (!isPlainObject(root)) return fail('not_an_object', 'The file must be a JSON object with "mcpServers" or "servers" in it.');

  const maps: Array<[ConfigSection, unknown]> = [];
  if (Object.hasOwn(root, 'mcpServers')) maps.push(['mcpServers', root.mcpServers]);
  if (Object.hasOwn(root, 'servers')) maps.push(['servers', root.servers]);
  const settings = Object.hasOwn(root, 'mcp') ? root.mcp : undefined;
  if (isPlainObject(settings) && Object.hasOwn(settings, 'servers')) maps.push(['mcp.servers', settings.servers]);
  if (maps.length === 0) {
    return fail(
      'no_servers',
      'No servers found: the file needs "mcpServers" (Claude Desktop, Cursor, Claude Code) or "servers" (VS Code) with an entry per server.',
    );
  }

  const inputsSource = Object.hasOwn(root, 'inputs')
    ? root.inputs
    : isPlainObject(settings) && Object.hasOwn(settings, 'inputs')
      ? settings.inputs
      : undefined;
  result.inputs = readInputs(inputsSource, result.problems);
  const declaredInputs = new Set(result.inputs.map((input) => input.id));

  const seen = new Set<string>();
  let count = 0;
  for (const [section, map] of maps) {
    if (!isPlainObject(map)) {
      result.problems.push({
        code: 'not_an_object',
        severity: 'error',
        message: `"${section}" must be an object of server names to their settings.`,
      });
      continue;
    }
    result.sections.push(section);
    for (const [name, raw] of Object.entries(map)) {
      if (++count > MAX_CONFIG_SERVERS) {
        result.problems.push({
          code: 'too_many_servers',
          severity: 'error',
          message: `The file lists more than ${MAX_CONFIG_SERVERS} servers; the first ${MAX_CONFIG_SERVERS} were read.`,
        });
        return result;
      }
      const { draft, problems } = readEntry(name, raw, section, options, declaredInputs);
      result.problems.push(...problems);
      if (!draft) continue;
      if (seen.has(draft.name)) {
        result.problems.push({
          code: 'duplicate_name',
          severity: 'error',
          entry: draft.name,
          message: `Server "${quoteName(draft.name)}" is listed twice (in "${section}" again); only the first was read.`,
        });
        continue;
      }
      seen.add(draft.name);
      result.servers.push(draft);
    }
  }
  return result;
}

export type EntryOutcome = { draft?: SavedServerDraft; problems: ImportProblem[] };

/**
 * Checks one server in mcpscope's own shape (`{kind: "url", url, transport?, headers?}` or `{kind: "command", command,
 * args?, env?, cwd?}`), as a save request from the connect form sends it, by the same rules as a file's entries.
 */
export function checkSavedServer(name: string, target: unknown, options: ImportOptions = {}): EntryOutcome {
  if (!isPlainObject(target) || (target.kind !== 'url' && target.kind !== 'command')) {
    return {
      problems: [
        {
          code: 'invalid_entry',
          severity: 'error',
          entry: name,
          field: 'kind',
          message: `Server "${quoteName(name)}": the target must be {"kind": "url", "url": ...} or {"kind": "command", "command": ...}.`,
        },
      ],
    };
  }
  const { kind, transport, ...rest } = target;
  // `auto` is mcpscope's word for no hint.
  const entry =
    kind === 'url' ? { ...rest, ...(transport !== undefined && transport !== 'auto' ? { transport } : {}) } : { ...rest, type: 'stdio' };
  return readEntry(name, entry, 'mcpServers', options, new Set());
}

function readEntry(
  rawName: string,
  raw: unknown,
  section: ConfigSection,
  options: ImportOptions,
  declaredInputs: ReadonlySet<string>,
): EntryOutcome {
  const name = rawName.trim();
  const shown = quoteName(name);
  const problem = (code: ImportProblemCode, message: string, field?: string, severity: 'error' | 'warning' = 'error'): ImportProblem => ({
    code,
    severity,
    entry: name,
    ...(field ? { field } : {}),
    message: `Server "${shown}"${field ? `, field "${field}"` : ''}: ${message}`,
  });

  if (name === '' || name.length > MAX_NAME || CONTROL.test(name)) {
    return {
      problems: [
        {
          code: 'invalid_name',
          severity: 'error',
          entry: name.slice(0, MAX_NAME),
          message: `Server "${shown}": a server's name must be 1 to ${MAX_NAME} characters without control characters.`,
        },
      ],
    };
  }

  const parsed = entrySchema.safeParse(raw);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.slice(0, MAX_PROBLEMS_PER_ENTRY).map((issue) => {
        const field = issue.path.map(String).join('.');
        return problem('invalid_entry', issueMessage(issue), field || undefined);
      }),
    };
  }
  const entry = parsed.data;
  const kind = entryKind(entry, section);
  if (typeof kind === 'string') return { problems: [problem('invalid_entry', kind)] };

  let target: SavedServerTarget;
  if (kind.kind === 'command') {
    const commandTarget: CommandServerTarget = { kind: 'command', command: entry.command!, args: entry.args, env: entry.env };
    if (entry.cwd) commandTarget.cwd = entry.cwd;
    target = commandTarget;
  } else {
    const field = entry.url !== undefined ? 'url' : 'serverUrl';
    const verdict = checkServerUrl(kind.url, { what: 'The URL', http: options.http ?? 'allow' });
    if (!verdict.ok) {
      const placeholder = kind.url.match(PLACEHOLDER)?.[0];
      const message = placeholder
        ? `the URL ${quoteUrl(kind.url)} holds ${placeholder}, which only the client that wrote the file expands; write the address out to use it here.`
        : verdict.message;
      return { problems: [problem('unsafe_url', message, field)] };
    }
    const urlTarget: UrlServerTarget = { kind: 'url', url: verdict.href };
    if (kind.transport) urlTarget.transport = kind.transport;
    if (entry.headers && Object.keys(entry.headers).length > 0) urlTarget.headers = entry.headers;
    target = urlTarget;
  }

  const placeholders = placeholdersIn(target);
  const draft: SavedServerDraft = { name, target, placeholders };
  const warnings: ImportProblem[] = credentialsInClear(target).map((field) =>
    problem(
      'credential_in_clear',
      'holds a credential outside the header and environment values, which are the only ones kept back; it would be saved and exported as written. Move it into an environment variable or header.',
      field,
      'warning',
    ),
  );
  const undeclared = placeholders
    .map((p) => /^\$\{input:([^}]+)\}$/.exec(p)?.[1])
    .filter((id): id is string => id !== undefined && !declaredInputs.has(id));
  return {
    draft,
    problems: [
      ...warnings,
      ...undeclared.map((id) =>
        problem(
          'unknown_input',
          `uses \${input:${quoteName(id)}}, which the file's "inputs" do not declare; fill it in before connecting.`,
          undefined,
          'warning',
        ),
      ),
    ],
  };
}

/** The entry's kind from its fields and its `type`, or why they disagree. */
function entryKind(
  entry: Entry,
  section: ConfigSection,
): { kind: 'command' } | { kind: 'url'; url: string; transport?: TransportHint } | string {
  const declared = entry.type ?? entry.transport;
  const meaning = declared === undefined ? undefined : TYPES[declared];
  const url = entry.url ?? entry.serverUrl;
  if (entry.command !== undefined && url !== undefined)
    return 'has both "command" and "url"; a server is either a local command or a remote URL.';
  if (entry.command !== undefined) {
    if (meaning !== undefined && meaning !== 'stdio') return `"type" is "${declared}", which needs "url", but the entry has "command".`;
    return { kind: 'command' };
  }
  if (url !== undefined) {
    if (meaning === 'stdio') return '"type" is "stdio", which needs "command", but the entry has "url".';
    const vsCodeHttp = declared === 'http' && section !== 'mcpServers';
    return meaning === undefined || vsCodeHttp ? { kind: 'url', url } : { kind: 'url', url, transport: meaning };
  }
  return 'has neither "command" (a local server) nor "url" (a remote one).';
}

function readInputs(raw: unknown, problems: ImportProblem[]): ConfigInput[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push({ code: 'invalid_entry', severity: 'warning', field: 'inputs', message: '"inputs" must be a list; it was ignored.' });
    return [];
  }
  const inputs: ConfigInput[] = [];
  raw.slice(0, MAX_INPUTS).forEach((item, index) => {
    const parsed = inputSchema.safeParse(item);
    if (!parsed.success) {
      problems.push({
        code: 'invalid_entry',
        severity: 'warning',
        field: `inputs.${index}`,
        message: `"inputs.${index}" needs an "id" (a string); it was ignored.`,
      });
      return;
    }
    const { id, type, description, password } = parsed.data;
    inputs.push({ id, type, password, ...(description !== undefined ? { description } : {}) });
  });
  return inputs;
}

/** Every `${...}` in the target's strings, in the order they appear, each once. */
function placeholdersIn(target: SavedServerTarget): string[] {
  const strings =
    target.kind === 'url'
      ? [target.url, ...Object.values(target.headers ?? {})]
      : [target.command, ...target.args, ...Object.values(target.env), ...(target.cwd ? [target.cwd] : [])];
  const found = new Set<string>();
  for (const text of strings) for (const match of text.matchAll(PLACEHOLDER)) found.add(match[0]);
  return [...found];
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key' && issue.issues[0]) return `"${String(issue.path.at(-1))}": ${issue.issues[0].message}.`;
  return issue.message.replace(/\.?$/, '.');
}

/** A name as it may be quoted in a message: control characters shown, long ones cut. */
function quoteName(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
  return clean.length > 80 ? `${clean.slice(0, 80)}…` : clean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// jsonc-parser's SyntaxKind is a const enum, which isolated modules cannot read: its values, as the package defines them.
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

/** The deepest nesting of brackets in the text, found by scanning tokens (no recursion, so no stack to overflow). */
function textDepth(text: string): number {
  const scanner = createScanner(text, false);
  let depth = 0;
  let max = 0;
  for (let token: number = scanner.scan(); token !== EOF; token = scanner.scan()) {
    if (token === OPEN_BRACE || token === OPEN_BRACKET) max = Math.max(max, ++depth);
    else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) depth--;
  }
  return max;
}

/** The same for a parsed value, level by level (stops past `MAX_CONFIG_DEPTH`, so a cycle ends too). */
function valueDepth(value: unknown): number {
  let level: unknown[] = [value];
  let depth = 0;
  while (depth <= MAX_CONFIG_DEPTH) {
    const objects = level.filter((item): item is object => typeof item === 'object' && item !== null);
    if (objects.length === 0) return depth;
    depth++;
    level = objects.flatMap((item) => (Array.isArray(item) ? item : Object.values(item)));
  }
  return depth;
}

function describeParseError(error: ParseError): string {
  const words = printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words;
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
