// Writes saved servers as the snippet each client wants: the `mcpServers` JSON of Claude Desktop and Cursor, VS Code's
// `servers` JSON (with `inputs` for what it should ask for), and Claude Code's `claude mcp add` command lines.
// Header and environment values are credentials more often than not, so by default each one becomes a placeholder in
// the client's own syntax (a person fills it in, or the client asks for it); `keepSecrets` writes them as they are.
// Pure and browser-safe.
import { formatCommandLine, quoteWord } from '../contract/stdio';
import type {
  CommandServerTarget,
  ExportedSnippet,
  ExportFormat,
  ExportOptions,
  ExportPlaceholder,
  SavedServerDraft,
  UrlServerTarget,
} from './types';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['claude-desktop', 'cursor', 'vscode', 'claude-code'];

export const EXPORT_FORMAT_LABELS: Record<ExportFormat, string> = {
  'claude-desktop': 'Claude Desktop (claude_desktop_config.json)',
  cursor: 'Cursor (.cursor/mcp.json)',
  vscode: 'VS Code (.vscode/mcp.json)',
  'claude-code': 'Claude Code (claude mcp add)',
};

/**
 * What an export needs of a saved server: its name and target, and the names whose values the store did not keep
 * (StoredServer.withheld), which are written as placeholders even with `keepSecrets`.
 */
export type ExportableServer = Pick<SavedServerDraft, 'name' | 'target'> & { withheld?: { headers: string[]; env: string[] } };

interface VsCodeInput {
  type: 'promptString';
  id: string;
  description: string;
  password: true;
}

/** Schemes whose credential is the part after the first space: the placeholder keeps the scheme, as a person would. */
const AUTH_SCHEME = /^(Bearer|Basic|Token|Bot|DPoP|ApiKey)\s+(?=\S)/i;

/** One snippet holding every server given, for the client `format`. */
export function exportServers(servers: readonly ExportableServer[], format: ExportFormat, options: ExportOptions = {}): ExportedSnippet {
  const writer = new SecretWriter(format, options.keepSecrets === true);
  const notes: string[] = [];
  let text: string;
  if (format === 'claude-code') {
    text = servers.map((server) => claudeCodeLine(server, writer, notes)).join('\n');
  } else if (format === 'vscode') {
    const document: Record<string, unknown> = { servers: serverMap(servers, (server) => vsCodeEntry(server, writer)) };
    // Kept values may be VS Code placeholders already (an imported file's `${input:token}`): VS Code must be told
    // what to ask for, or it cannot start the server.
    writer.declareInputsIn(JSON.stringify(document.servers));
    const only = servers.filter((server) => server.target.kind === 'url' && server.target.transport === 'streamable-http');
    if (only.length > 0)
      notes.push(
        `VS Code's "http" falls back to SSE when Streamable HTTP fails; it has no way to say Streamable HTTP only (${only.map((s) => `"${s.name}"`).join(', ')}).`,
      );
    if (writer.inputs.length > 0) document.inputs = writer.inputs;
    text = JSON.stringify(document, null, 2);
  } else {
    text = JSON.stringify({ mcpServers: serverMap(servers, (server) => mcpServersEntry(server, format, writer)) }, null, 2);
  }
  return { format, text, placeholders: writer.placeholders, notes };
}

/** One server, for the client `format`. */
export function exportServer(server: ExportableServer, format: ExportFormat, options: ExportOptions = {}): ExportedSnippet {
  return exportServers([server], format, options);
}

// -------------------------------------------------------------------------------------------------
// JSON formats

/** Name → entry; built with fromEntries so a server named `__proto__` is a key like any other. */
function serverMap(
  servers: readonly ExportableServer[],
  entry: (server: ExportableServer) => Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(servers.map((server) => [server.name, entry(server)]));
}

function mcpServersEntry(server: ExportableServer, format: 'claude-desktop' | 'cursor', writer: SecretWriter): Record<string, unknown> {
  const { target } = server;
  if (target.kind === 'command') return commandEntry(server, target, writer);
  if (format === 'claude-desktop') return mcpRemoteEntry(server, target, writer);
  const entry: Record<string, unknown> = {};
  if (target.transport) entry.type = target.transport === 'sse' ? 'sse' : 'http';
  entry.url = target.url;
  const headers = headerValues(server, writer);
  if (headers) entry.headers = headers;
  return entry;
}

function vsCodeEntry(server: ExportableServer, writer: SecretWriter): Record<string, unknown> {
  const { target } = server;
  if (target.kind === 'command') return { type: 'stdio', ...commandEntry(server, target, writer) };
  const entry: Record<string, unknown> = { type: target.transport === 'sse' ? 'sse' : 'http', url: target.url };
  const headers = headerValues(server, writer);
  if (headers) entry.headers = headers;
  return entry;
}

function commandEntry(server: ExportableServer, target: CommandServerTarget, writer: SecretWriter): Record<string, unknown> {
  const entry: Record<string, unknown> = { command: target.command, args: [...target.args] };
  const env = envEntries(server);
  if (env.length > 0) entry.env = Object.fromEntries(env.map(([key, value]) => [key, writer.json(server.name, `env ${key}`, key, value)]));
  if (target.cwd) entry.cwd = target.cwd;
  return entry;
}

function headerValues(server: ExportableServer, writer: SecretWriter): Record<string, string> | undefined {
  const entries = headerEntries(server);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([header, value]) => [header, writer.headerJson(server.name, header, value)]));
}

/** The target's headers, then the withheld ones (no value). */
function headerEntries(server: ExportableServer): Array<[string, string | undefined]> {
  const headers = server.target.kind === 'url' ? (server.target.headers ?? {}) : {};
  return withWithheld(headers, server.withheld?.headers ?? []);
}

function envEntries(server: ExportableServer): Array<[string, string | undefined]> {
  const env = server.target.kind === 'command' ? server.target.env : {};
  return withWithheld(env, server.withheld?.env ?? []);
}

function withWithheld(values: Record<string, string>, withheld: readonly string[]): Array<[string, string | undefined]> {
  const entries: Array<[string, string | undefined]> = Object.entries(values);
  for (const name of withheld) if (!Object.hasOwn(values, name)) entries.push([name, undefined]);
  return entries;
}

/**
 * Claude Desktop's config file starts local processes only (remote servers are added as connectors in its settings),
 * so a remote server goes through mcp-remote, the bridge its documentation points to. Each header travels as
 * `Name:${VAR}` with the value in the bridge's environment: mcp-remote expands it there, and the value stays out of
 * the arguments (and out of the space-splitting that breaks `Bearer x` arguments on Windows).
 */
function mcpRemoteEntry(server: ExportableServer, target: UrlServerTarget, writer: SecretWriter): Record<string, unknown> {
  const args = ['-y', 'mcp-remote', target.url];
  if (target.transport) args.push('--transport', target.transport === 'sse' ? 'sse-only' : 'http-only');
  const env: Record<string, string> = {};
  for (const [header, value] of headerEntries(server)) {
    const variable = uniqueName(headerVariable(header), env);
    args.push('--header', `${header}:\${${variable}}`);
    env[variable] = writer.json(server.name, `header ${header}`, variable, value);
  }
  const entry: Record<string, unknown> = { command: 'npx', args };
  if (Object.keys(env).length > 0) entry.env = env;
  return entry;
}

// -------------------------------------------------------------------------------------------------
// Claude Code

function claudeCodeLine(server: ExportableServer, writer: SecretWriter, notes: string[]): string {
  const { target, name } = server;
  if (name.startsWith('-'))
    notes.push(`"${name}" starts with "-", which claude would read as an option: rename it before running the command.`);
  if (target.kind === 'url') {
    const words = [
      'claude',
      'mcp',
      'add',
      '--transport',
      target.transport === 'sse' ? 'sse' : 'http',
      quoteWord(name),
      quoteWord(target.url),
    ];
    for (const [header, value] of headerEntries(server)) words.push('--header', writer.shellHeader(name, header, value));
    return words.join(' ');
  }
  const words = ['claude', 'mcp', 'add', quoteWord(name)];
  for (const [key, value] of envEntries(server)) words.push('-e', writer.shellEnv(name, key, value));
  if (target.cwd)
    notes.push(`Claude Code has no option for a working directory: "${name}" will run where claude starts, not in ${target.cwd}.`);
  return `${words.join(' ')} -- ${formatCommandLine(target.command, target.args)}`;
}

// -------------------------------------------------------------------------------------------------
// Secrets

/** Writes each secret value, or the placeholder that stands for it, and remembers what a person must fill in. */
class SecretWriter {
  readonly placeholders: ExportPlaceholder[] = [];
  readonly inputs: VsCodeInput[] = [];
  /** Placeholder variable → the server that reads it. */
  private readonly variables = new Map<string, string>();

  constructor(
    private readonly format: ExportFormat,
    private readonly keep: boolean,
  ) {}

  /** A value in a JSON format: itself, or the placeholder for `variable`. */
  json(server: string, field: string, variable: string, value: string | undefined): string {
    if (this.keep && value !== undefined) return value;
    return this.placeholder(server, field, variable);
  }

  headerJson(server: string, header: string, value: string | undefined): string {
    if (this.keep && value !== undefined) return value;
    const scheme = AUTH_SCHEME.exec(value ?? '')?.[0] ?? '';
    return `${scheme}${this.placeholder(server, `header ${header}`, headerVariable(header))}`;
  }

  /** `-e NAME=value`'s word; a placeholder reads the variable from the person's shell. */
  shellEnv(server: string, key: string, value: string | undefined): string {
    if (this.keep && value !== undefined) return quoteWord(`${key}=${value}`);
    return withVariable(`${key}=`, this.placeholder(server, `env ${key}`, key));
  }

  /** `--header "Name: value"`'s word. */
  shellHeader(server: string, header: string, value: string | undefined): string {
    if (this.keep && value !== undefined) return quoteWord(`${header}: ${value}`);
    const scheme = AUTH_SCHEME.exec(value ?? '')?.[0] ?? '';
    return withVariable(`${header}: ${scheme}`, this.placeholder(server, `header ${header}`, headerVariable(header)));
  }

  private placeholder(server: string, field: string, variable: string): string {
    let placeholder: string;
    if (this.format === 'vscode') {
      const id = this.inputId(server, variable);
      placeholder = `\${input:${id}}`;
    } else {
      const name = this.variableFor(server, variable);
      if (this.format === 'cursor') placeholder = `\${env:${name}}`;
      else if (this.format === 'claude-code') placeholder = `$${name}`;
      // Claude Desktop does not expand it: a person replaces it. The same JSON in Claude Code's .mcp.json is expanded.
      else placeholder = `\${${name}}`;
    }
    this.placeholders.push({ server, field, placeholder });
    return placeholder;
  }

  /**
   * The variable a placeholder reads: its own name, unless another server of the same snippet already reads that
   * one (two servers' `GITHUB_TOKEN`s are two values), then prefixed with the server's name.
   */
  private variableFor(server: string, variable: string): string {
    let name = variable;
    const owner = this.variables.get(name);
    if (owner !== undefined && owner !== server) {
      const base = `${
        server
          .toUpperCase()
          .replace(/[^A-Z0-9]+/g, '_')
          .replace(/^_+|_+$/g, '') || 'SERVER'
      }_${variable}`;
      name = /^[A-Z_]/.test(base) ? base : `S_${base}`;
      for (let n = 2; this.variables.has(name) && this.variables.get(name) !== server; n++) name = `${base}_${n}`;
    }
    this.variables.set(name, server);
    return name;
  }

  /** Declares every `${input:id}` in `text` that has no input yet (a secret VS Code asks for). */
  declareInputsIn(text: string): void {
    for (const [, id] of text.matchAll(/\$\{input:([^}]{1,200})\}/g)) {
      if (!this.inputs.some((input) => input.id === id))
        this.inputs.push({ type: 'promptString', id: id!, description: id!, password: true });
    }
  }

  /** A VS Code input per secret; one server's `GITHUB_TOKEN` and another's get different ids. */
  private inputId(server: string, variable: string): string {
    const base = slug(variable);
    let id = this.inputs.some((input) => input.id === base) ? `${slug(server)}-${base}` : base;
    for (let n = 2; this.inputs.some((input) => input.id === id); n++) id = `${slug(server)}-${base}-${n}`;
    this.inputs.push({ type: 'promptString', id, description: `${variable} for ${server}`, password: true });
    return id;
  }
}

/** A shell word: `literal` as written, then the variable expanded (double quotes keep a value with spaces whole). */
function withVariable(literal: string, variable: string): string {
  // Inside double quotes only $ ` \ " (and ! in an interactive shell) are special.
  if (!/[$`\\"!]/.test(literal)) return `"${literal}${variable}"`;
  return `${quoteWord(literal)}"${variable}"`;
}

/** `X-API-Key` → `X_API_KEY`: an environment variable name for a header's value. */
function headerVariable(header: string): string {
  const name = header.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return /^[A-Z_]/.test(name) ? name : `H_${name}`;
}

function uniqueName(name: string, taken: Record<string, string>): string {
  let candidate = name;
  for (let n = 2; Object.hasOwn(taken, candidate); n++) candidate = `${name}_${n}`;
  return candidate;
}

function slug(text: string): string {
  const out = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return out || 'value';
}
