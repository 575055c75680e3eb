// The API shapes of stdio targets: a server mcpscope starts as a local process and speaks to over its
// stdin/stdout (POST /api/sessions with `kind: "command"`, GET /api/stdio). Shared by the routes and the page.
import * as z from 'zod';
import type { ProtocolEraName } from '../trace/types';
import type { CreateSessionRequest } from './index';

z.config({ jitless: true });

/** The header that carries the launch token (GET /api/stdio) on a request that starts a process. */
export const STDIO_LAUNCH_HEADER = 'x-mcpscope-launch';

/** POSIX environment variable names (what a shell can set). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_ARGS = 256;
const MAX_ENV = 100;

/** `POST /api/sessions` with `kind: "command"`: the process to start. */
export const commandTargetSchema = z.strictObject({
  kind: z.literal('command'),
  command: z
    .string({ error: '"command" must be the program to run, e.g. "npx" or "node"' })
    .trim()
    .min(1, { error: '"command" must not be empty' })
    .max(4096)
    .refine((value) => !/[\0\r\n]/.test(value), { error: '"command" must not contain line breaks or NUL characters' }),
  args: z
    .array(
      z
        .string()
        .max(8192)
        .refine((value) => !value.includes('\0'), { error: 'arguments must not contain NUL characters' }),
      { error: '"args" must be a list of strings' },
    )
    .max(MAX_ARGS, { error: `at most ${MAX_ARGS} arguments` })
    .default([]),
  env: z
    .record(
      z.string().regex(ENV_NAME, { error: 'environment variable names are letters, digits and _, not starting with a digit' }),
      z
        .string()
        .max(32_768)
        .refine((value) => !value.includes('\0'), { error: 'environment values must not contain NUL characters' }),
      { error: '"env" must be an object of variable names to string values' },
    )
    .refine((env) => Object.keys(env).length <= MAX_ENV, { error: `at most ${MAX_ENV} environment variables` })
    .default({}),
  cwd: z
    .string()
    .trim()
    .max(4096)
    .refine((value) => !value.includes('\0'), { error: '"cwd" must not contain NUL characters' })
    .optional(),
});

export type CommandTarget = z.infer<typeof commandTargetSchema>;

/** `POST /api/sessions` body for a local stdio server (sent with the `x-mcpscope-launch` header). */
export type CommandSessionRequest = z.input<typeof commandTargetSchema> & Pick<CreateSessionRequest, 'timeouts' | 'wait'>;

/** What a session summary says about its process (environment values never leave the server). */
export interface CommandSummary {
  command: string;
  args: string[];
  envNames: string[];
  cwd?: string;
  /** The command line as a shell would take it (see `formatCommandLine`). */
  line: string;
}

/** `GET /api/stdio`: whether this instance may start local servers, and the token a launch must carry. */
export interface StdioAvailability {
  available: boolean;
  /** Why not: `stdio_disabled` (MCPSCOPE_STDIO=0), `stdio_hosted` (hosted mode), `stdio_not_loopback`. */
  code?: string;
  message?: string;
  /** Send as the `x-mcpscope-launch` header with a `kind: "command"` session. Only when `available`. */
  launchToken?: string;
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word as a POSIX shell would need it written: bare when it is plain, else single-quoted. */
export function quoteWord(word: string): string {
  if (word !== '' && SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The exact command line, each word quoted as needed: what a person confirms before a first launch. */
export function formatCommandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(quoteWord).join(' ');
}

/** Splits a command line typed in one box into words (single and double quotes, backslash escapes); no expansion. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else current += char;
      continue;
    }
    if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) current += line[++i];
      else current += char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\' && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** How the era badge names a stdio session's protocol (the HTTP labels name their transport: not this one). */
export const STDIO_ERA_LABELS: Record<ProtocolEraName, string> = {
  'legacy-sse': 'stdio',
  'stateful-2025': 'stdio (2025 protocol)',
  'stateless-2026': 'stdio (2026-07-28 protocol)',
};

export const STDIO_ERA_SHORT_LABELS: Record<ProtocolEraName, string> = {
  'legacy-sse': 'stdio',
  'stateful-2025': 'stdio 2025',
  'stateless-2026': 'stdio 2026',
};
