// The shapes of saved servers: what an imported config file yields, what an export takes, what the store keeps.
// Browser-safe (types only).

/** A transport the config file named: Streamable HTTP (`http`) or the legacy HTTP+SSE transport (`sse`). */
export type TransportHint = 'streamable-http' | 'sse';

export interface UrlServerTarget {
  kind: 'url';
  url: string;
  /** Absent: the file did not say (mcpscope tries Streamable HTTP, then legacy SSE). */
  transport?: TransportHint;
  /** Header name to value, as the file spelled them; values may be placeholders (`${input:token}`). */
  headers?: Record<string, string>;
}

export interface CommandServerTarget {
  kind: 'command';
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
}

export type SavedServerTarget = UrlServerTarget | CommandServerTarget;

/** A server read from a config file, not saved yet. */
export interface SavedServerDraft {
  name: string;
  target: SavedServerTarget;
  /**
   * The `${...}` references left in its values (`${input:api-key}`, `${env:HOME}`, `${workspaceFolder}`, `${TOKEN}`),
   * kept as written: the client that wrote the file fills them in, so a person must before connecting.
   */
  placeholders: string[];
}

/** Where in the file an entry came from: the Claude Desktop / Cursor / Claude Code map, VS Code's, or VS Code settings. */
export type ConfigSection = 'mcpServers' | 'servers' | 'mcp.servers';

/** A VS Code `inputs` entry: a value VS Code asks for and substitutes for `${input:<id>}`. */
export interface ConfigInput {
  id: string;
  type: string;
  description?: string;
  password: boolean;
}

export type ImportProblemCode =
  | 'too_large'
  | 'invalid_json'
  | 'too_deep'
  | 'not_an_object'
  | 'no_servers'
  | 'too_many_servers'
  | 'invalid_name'
  | 'duplicate_name'
  | 'invalid_entry'
  | 'unsafe_url'
  | 'unknown_input'
  | 'credential_in_clear';

export interface ImportProblem {
  code: ImportProblemCode;
  /** `error`: the entry (or the file, without `entry`) was not imported; `warning`: imported, but look. */
  severity: 'error' | 'warning';
  /** The server's name in the file. */
  entry?: string;
  /** The field within the entry, dotted (`args.2`, `env.API_KEY`, `headers.Authorization`). */
  field?: string;
  /** A sentence that names the entry and the field. */
  message: string;
}

export interface ImportResult {
  servers: SavedServerDraft[];
  problems: ImportProblem[];
  /** The sections the servers were read from. */
  sections: ConfigSection[];
  inputs: ConfigInput[];
}

/** The clients a saved server can be exported for. */
export type ExportFormat = 'claude-desktop' | 'cursor' | 'vscode' | 'claude-code';

export interface ExportOptions {
  /** Write header and environment values as they are. Default: placeholders a person fills in. */
  keepSecrets?: boolean;
}

/** A value the snippet leaves for a person to fill in. */
export interface ExportPlaceholder {
  server: string;
  /** `env` or `header`, and its name. */
  field: string;
  /** What stands in the snippet: `${GITHUB_TOKEN}`, `${input:github-token}`, `$GITHUB_TOKEN`. */
  placeholder: string;
}

export interface ExportedSnippet {
  format: ExportFormat;
  /** JSON for the config-file formats, shell command lines (one per server) for Claude Code. */
  text: string;
  placeholders: ExportPlaceholder[];
  /** What the client cannot express (e.g. a working directory for Claude Code), one sentence each. */
  notes: string[];
}
