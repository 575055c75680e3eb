// Pure checks on what a server lists: is each tool schema valid JSON Schema for its dialect (and usable: it
// compiles, its $refs resolve), and does each tool name follow the naming rules. Server-side (Ajv compiles with
// new Function, which the browser's CSP forbids; here it only judges schemas, it never runs them on input).
import Ajv from 'ajv';
import Ajv2019 from 'ajv/dist/2019';
import Ajv2020 from 'ajv/dist/2020';
import { isJsonObject } from '../json';

const MAX_SCHEMA_CHARS = 512 * 1024;

type Dialect = '2020-12' | '2019-09' | 'draft-07' | 'draft-06' | 'draft-04' | 'unknown';

function dialectOf(schema: Record<string, unknown>): { dialect: Dialect; uri?: string } {
  const uri = typeof schema.$schema === 'string' ? schema.$schema : undefined;
  if (!uri) return { dialect: '2020-12' };
  if (uri.includes('2020-12')) return { dialect: '2020-12', uri };
  if (uri.includes('2019-09')) return { dialect: '2019-09', uri };
  if (uri.includes('draft-07')) return { dialect: 'draft-07', uri };
  if (uri.includes('draft-06')) return { dialect: 'draft-06', uri };
  if (uri.includes('draft-04')) return { dialect: 'draft-04', uri };
  return { dialect: 'unknown', uri };
}

let validators: Partial<Record<'2020-12' | '2019-09' | 'draft-07', InstanceType<typeof Ajv>>> = {};

function validatorFor(dialect: '2020-12' | '2019-09' | 'draft-07'): InstanceType<typeof Ajv> {
  // strict: false: MCP schemas carry extension keywords (x-mcp-header, annotations) that JSON Schema allows.
  const options = { strict: false, allErrors: true, validateFormats: false, addUsedSchema: false } as const;
  validators[dialect] ??= dialect === '2020-12' ? new Ajv2020(options) : dialect === '2019-09' ? new Ajv2019(options) : new Ajv(options);
  return validators[dialect]!;
}

/** Forgets compiled schemas (each audit starts clean; hostile schemas must not pile up in memory). */
export function resetSchemaValidators(): void {
  validators = {};
}

export interface SchemaProblem {
  problem: string;
}

/**
 * What is wrong with a tool's inputSchema or outputSchema, or undefined when nothing is. `kind` names which (both
 * MUST be JSON Schema objects whose root type is "object", MCP 2025-11-25 server/tools § Tool).
 */
export function toolSchemaProblem(schema: unknown, kind: 'inputSchema' | 'outputSchema'): string | undefined {
  if (schema === undefined) return kind === 'inputSchema' ? 'has no inputSchema (it is required)' : undefined;
  if (!isJsonObject(schema)) return `${kind} is not a JSON object`;
  let size = 0;
  try {
    size = JSON.stringify(schema).length;
  } catch {
    return `${kind} cannot be serialised`;
  }
  if (size > MAX_SCHEMA_CHARS) return `${kind} is larger than ${MAX_SCHEMA_CHARS / 1024} KB: not checked further`;
  if (schema.type !== 'object') return `${kind}'s root "type" is ${JSON.stringify(schema.type) ?? 'missing'}, not "object"`;
  const { dialect, uri } = dialectOf(schema);
  if (dialect === 'unknown') return `${kind} declares $schema ${uri}, a dialect no client can be expected to know`;
  // draft-04/06 are checked against draft-07's meta-schema, which accepts what they define (bar boolean exclusive bounds).
  const ajv = validatorFor(dialect === '2020-12' || dialect === '2019-09' ? dialect : 'draft-07');
  const { $schema: _ignored, ...body } = schema;
  if (!ajv.validateSchema(body)) {
    return `${kind} is not valid JSON Schema ${dialect}: ${ajv.errorsText(ajv.errors, { dataVar: kind, separator: '; ' }).slice(0, 400)}`;
  }
  try {
    ajv.compile(body);
  } catch (error) {
    return `${kind} is not usable: ${(error instanceof Error ? error.message : String(error)).slice(0, 300)}`;
  }
  return undefined;
}

/** MCP 2025-11-25 server/tools § Tool names: 1–128 characters of A–Z a–z 0–9 _ - . , case-sensitive, no spaces. */
export function toolNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 128) return `is ${name.length} characters long (at most 128)`;
  const bad = [...new Set([...name].filter((char) => !/[A-Za-z0-9_.-]/.test(char)))];
  if (bad.length > 0)
    return `contains ${bad.map((char) => (char === ' ' ? 'a space' : JSON.stringify(char))).join(', ')} (allowed: A-Z a-z 0-9 _ - .)`;
  return undefined;
}

/** Names listed more than once. */
export function duplicateNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const name of names) (seen.has(name) ? twice : seen).add(name);
  return [...twice];
}
