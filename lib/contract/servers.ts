// The saved-servers API (`/api/servers`): request bodies as zod schemas, and the shapes the routes answer with.
// A saved server's header and environment values never come back from the API, kept or not: the answer names them
// and says which are kept. Browser-safe (zod only).
import * as z from 'zod';
import type { ConfigSection, ExportFormat, ImportProblem } from '../servers/types';
import type { SessionState } from './index';

z.config({ jitless: true });

const MAX_TEXT = 1024 * 1024;
const valueMap = (field: string) =>
  z
    .record(z.string().max(200), z.string().max(32_768), { error: `"${field}" must be an object of names to string values` })
    .refine((values) => Object.keys(values).length <= 100, { error: `at most 100 "${field}" values` })
    .optional();

/** `POST /api/servers` and `PUT /api/servers/:id`: a server from the connect form (the target is checked by lib/servers). */
export const saveServerRequestSchema = z.strictObject(
  {
    name: z
      .string({ error: '"name" must be the name to save the server under' })
      .trim()
      .min(1, { error: '"name" must not be empty' })
      .max(200, { error: '"name" is at most 200 characters' }),
    target: z.unknown(),
    /** Keep header and environment values (encrypted). Default: only their names; they are asked for at connect. */
    keepSecrets: z.boolean({ error: '"keepSecrets" must be true or false' }).optional(),
  },
  { error: 'The body must be {"name": "...", "target": {"kind": "url", "url": "..."}}' },
);
export type SaveServerRequest = z.input<typeof saveServerRequestSchema>;

/** `POST /api/servers/import`: a config file's text; `preview` reads it without saving anything. */
export const importServersRequestSchema = z.strictObject(
  {
    text: z.string({ error: '"text" must be the config file\'s text' }).max(MAX_TEXT, { error: 'the file is over 1 MiB' }),
    keepSecrets: z.boolean({ error: '"keepSecrets" must be true or false' }).optional(),
    preview: z.boolean({ error: '"preview" must be true or false' }).optional(),
    /** Only these entries (by name, as the preview listed them); all that read cleanly when absent. */
    names: z.array(z.string().max(200)).max(200).optional(),
  },
  { error: 'The body must be {"text": "<the file>"}' },
);
export type ImportServersRequest = z.input<typeof importServersRequestSchema>;

export const EXPORT_FORMAT_NAMES = ['claude-desktop', 'cursor', 'vscode', 'claude-code'] as const satisfies readonly ExportFormat[];

/** `POST /api/servers/export`: the snippet for one client, of the servers named (all when `ids` is absent). */
export const exportServersRequestSchema = z.strictObject(
  {
    format: z.enum(EXPORT_FORMAT_NAMES, { error: `"format" must be one of ${EXPORT_FORMAT_NAMES.join(', ')}` }),
    ids: z.array(z.string().max(200)).min(1).max(200).optional(),
    /** Write kept header and environment values as they are; default placeholders. */
    keepSecrets: z.boolean({ error: '"keepSecrets" must be true or false' }).optional(),
  },
  { error: 'The body must be {"format": "cursor"}' },
);
export type ExportServersRequest = z.input<typeof exportServersRequestSchema>;

/** `POST /api/servers/:id/connect`: the values a person typed for what was withheld or left as a placeholder. */
export const connectServerRequestSchema = z.strictObject(
  {
    headers: valueMap('headers'),
    env: valueMap('env'),
    wait: z.boolean({ error: '"wait" must be true or false' }).optional(),
    timeouts: z
      .strictObject({
        connectMs: z.number().int().positive().optional(),
        requestMs: z.number().int().positive().optional(),
      })
      .optional(),
  },
  { error: 'The body must be empty or {"headers": {...}, "env": {...}}' },
);
export type ConnectServerRequest = z.input<typeof connectServerRequestSchema>;

/** The answer of `POST /api/servers/import`. */
export interface ImportServersResponse {
  /** What the file holds, as it would be saved (values shown by name only). */
  servers: SavedServerEntryView[];
  problems: ImportProblem[];
  sections: ConfigSection[];
  /** The saved servers, when not a preview. */
  saved?: SavedServerView[];
}

/** A server as read from a file or saved, without any header or env value. */
export interface SavedServerEntryView {
  name: string;
  target: SavedTargetView;
  /** The `${...}` placeholders its values hold (e.g. `${input:api-key}`). */
  placeholders: string[];
}

export type SavedTargetView =
  | { kind: 'url'; url: string; transport?: 'streamable-http' | 'sse'; headerNames: string[] }
  | { kind: 'command'; command: string; args: string[]; envNames: string[]; cwd?: string; line: string };

/** `GET /api/servers` lists these. */
export interface SavedServerView extends SavedServerEntryView {
  id: string;
  secretsKept: boolean;
  /** The header and env names whose values were not kept: asked for at connect. */
  withheld: { headers: string[]; env: string[] };
  /** What must be typed before connecting (withheld values, placeholders); empty when one click is enough. */
  needs: Array<{ field: 'header' | 'env' | 'url' | 'command' | 'args' | 'cwd'; name: string; reason: 'withheld' | 'placeholder' }>;
  /** How the last connect from the list went. */
  lastOutcome?: { state: SessionState; at: number; errorCode?: string };
  createdAt: number;
  updatedAt: number;
}
