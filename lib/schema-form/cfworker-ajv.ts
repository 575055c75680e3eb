// Decision: validate with @cfworker/json-schema, behind the part of Ajv's API that rjsf's validator uses (its
// `AjvClass` option). Why: Ajv compiles schemas with `new Function`, which the CSP (no 'unsafe-eval') forbids
// and which turns a server's schema into code on our origin; this library interprets (built for Cloudflare
// Workers, which forbid eval too), passes the JSON-Schema-Test-Suite for drafts 4–2020-12, tolerates unknown
// keywords and formats, and is the MCP SDK's own eval-free validator. Added here: Ajv's checks before use
// (meta-schema, references, patterns) and bounds on hostile schemas; ajv-errors.ts gives its output Ajv's shape.
import {
  dereference,
  ignoredKeyword,
  schemaArrayKeyword,
  schemaMapKeyword,
  validate,
  type OutputUnit,
  type Schema,
  type SchemaDraft,
} from '@cfworker/json-schema';
import type { ErrorObject } from 'ajv';
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json';
import { errorsText, schemaPathOf, toAjvErrors, type Lookup } from './ajv-errors';
import { isJsonObject } from '../json';

export interface AjvShapedValidateFunction {
  (data: unknown): boolean;
  errors: ErrorObject[] | null;
  schema: unknown;
}

/** Names schemas for `$ref` resolution; nothing is ever fetched from it. */
const BASE_URI = new URL('mcpscope:/schemas/');

/** `$schema` values and the draft whose rules apply (draft-04/07 ignore a `$ref`'s siblings; later ones don't). */
const DRAFTS: Record<string, SchemaDraft> = {
  'http://json-schema.org/draft-04/schema': '4',
  'http://json-schema.org/draft-06/schema': '7',
  'http://json-schema.org/draft-07/schema': '7',
  'https://json-schema.org/draft/2019-09/schema': '2019-09',
  'https://json-schema.org/draft/2020-12/schema': '2020-12',
};
/** MCP's default dialect for a schema without `$schema` (spec 2025-11-25). */
const DEFAULT_DRAFT: SchemaDraft = '2020-12';

/**
 * `$ref`s one validation may follow: a fixed allowance plus a few per byte of the value's JSON. A schema that
 * moves through the value needs a few per value node; one that needs more branches out exponentially
 * (`allOf: [{$ref: X}, {$ref: X}]` nested) and would hang the tab (the library takes ~1.7 µs a hop).
 */
const REF_BUDGET_BASE = 100_000;
const REF_BUDGET_PER_BYTE = 4;

/** Keywords that apply a subschema to the same value: a `$ref` cycle through only these never ends. */
const IN_PLACE_SINGLE = ['not', 'if', 'then', 'else'] as const;
const IN_PLACE_ARRAYS = ['allOf', 'anyOf', 'oneOf'] as const;
const IN_PLACE_MAPS = ['dependentSchemas', 'dependencies'] as const;

function normalizeId(id: string): string {
  return id.endsWith('#') ? id.slice(0, -1) : id;
}

/** The draft-07 meta-schema, plus `$defs` (kept by normalizeSchema) so definitions there are checked too. */
function metaSchema(): unknown {
  const meta = JSON.parse(JSON.stringify(draft07MetaSchema)) as { properties: Record<string, unknown> };
  meta.properties.$defs = meta.properties.definitions;
  return meta;
}

/**
 * The library's own copy of a schema: plain JSON (it writes non-enumerable URIs onto the objects it is given,
 * which must not leak into rjsf's schemas), with every boolean `false` subschema as a `{ not: {} }` recorded in
 * `falseSchemas`: the library reports a `false` schema at a wrong keyword location, a `not` at the right one.
 * Walks subschemas exactly where the library's `dereference` looks for them.
 */
function copyForLibrary(schema: unknown, falseSchemas: WeakSet<object>): Schema | boolean {
  const asSchema = (node: unknown): unknown => {
    if (node === false) {
      const marker = { not: {} };
      falseSchemas.add(marker);
      return marker;
    }
    if (!isJsonObject(node)) return node;
    for (const [key, value] of Object.entries(node)) {
      if (ignoredKeyword[key]) continue;
      if (Array.isArray(value)) {
        if (schemaArrayKeyword[key]) node[key] = value.map(asSchema);
      } else if (schemaMapKeyword[key] && isJsonObject(value)) {
        for (const name of Object.keys(value)) value[name] = asSchema(value[name]);
      } else {
        node[key] = asSchema(value);
      }
    }
    return node;
  };
  return asSchema(JSON.parse(JSON.stringify(schema))) as Schema | boolean;
}

function describeUri(uri: string): string {
  return schemaPathOf(uri, BASE_URI.href).replace(/^#$/, '#(root)');
}

function inPlaceSubschemas(node: Record<string, unknown>, lookup: Lookup): unknown[] {
  const next: unknown[] = [];
  if (typeof node.__absolute_ref__ === 'string') next.push(lookup[node.__absolute_ref__]);
  for (const key of IN_PLACE_SINGLE) next.push(node[key]);
  for (const key of IN_PLACE_ARRAYS) if (Array.isArray(node[key])) next.push(...(node[key] as unknown[]));
  for (const key of IN_PLACE_MAPS) if (isJsonObject(node[key])) next.push(...Object.values(node[key] as object));
  return next.filter(isJsonObject);
}

/**
 * What keeps the schema from being used, as Ajv refuses to compile it (a `$ref` to nothing, a pattern that is
 * not a regular expression with the `u` flag), plus a `$ref` cycle that never moves into the value (Ajv would
 * recurse until the stack overflows). `nodes` are the schema's own subschemas, `lookup` every known one.
 */
function schemaProblems(nodes: Iterable<unknown>, lookup: Lookup): string[] {
  const problems: string[] = [];
  const objects = [...new Set(nodes)].filter(isJsonObject);
  for (const node of objects) {
    const ref = node.__absolute_ref__;
    if (typeof ref === 'string' && lookup[ref] === undefined) problems.push(`can't resolve reference ${String(node.$ref)}`);
    const patterns = [
      ...(typeof node.pattern === 'string' ? [node.pattern] : []),
      ...(isJsonObject(node.patternProperties) ? Object.keys(node.patternProperties) : []),
    ];
    for (const pattern of patterns) {
      try {
        new RegExp(pattern, 'u');
      } catch (error) {
        problems.push(error instanceof Error ? error.message : `pattern ${JSON.stringify(pattern)} is not a valid regular expression`);
      }
    }
  }
  if (problems.length > 0) return problems;
  // Depth-first over the in-place edges, without recursion: a cycle is an edge back to a node on the path.
  const state = new Map<object, 'open' | 'done'>();
  for (const start of objects) {
    if (state.has(start)) continue;
    const stack: Array<{ node: Record<string, unknown>; next: unknown[] }> = [{ node: start, next: inPlaceSubschemas(start, lookup) }];
    state.set(start, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const child = top.next.pop() as Record<string, unknown> | undefined;
      if (child === undefined) {
        state.set(top.node, 'done');
        stack.pop();
        continue;
      }
      if (state.get(child) === 'done') continue;
      if (state.get(child) === 'open') {
        const from = stack.findIndex((frame) => frame.node === child);
        const cycle = [...stack.slice(from).map((frame) => frame.node), child].map((node) => describeUri(String(node.__absolute_uri__)));
        return [`the schema refers to itself without moving into the value (${cycle.join(' → ')}), so checking it would never end`];
      }
      state.set(child, 'open');
      stack.push({ node: child, next: inPlaceSubschemas(child, lookup) });
    }
  }
  return [];
}

class RefBudgetExceeded extends Error {}

/** The library and the copies here recurse once per level of a schema: too deep a one overflows the stack. */
function tooDeepAsError<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RangeError) throw new Error('the schema is nested too deeply to be used');
    throw error;
  }
}

export class CfworkerAjv {
  /** ajv-formats writes `opts.code.formats` (for Ajv's standalone code); nothing reads it here. */
  readonly opts: { code: Record<string, unknown> } = { code: {} };
  /** Registered schemas by key: the caller's object and the library's dereferenced copy. */
  private readonly registered = new Map<string, { schema: unknown; copy: Schema | boolean; lookup: Lookup }>();
  /** The `{ not: {} }` objects standing for `false` subschemas in every copy made here. */
  private readonly falseSchemas = new WeakSet<object>();
  private compiledByKey = new Map<string, AjvShapedValidateFunction>();
  private compiledBySchema = new WeakMap<object, AjvShapedValidateFunction>();
  private metaValidator?: AjvShapedValidateFunction;

  /** Ajv's options (rjsf's allErrors, strict: false…) describe what this does anyway: all errors, lenient. */
  constructor(_options?: unknown) {}

  /** Formats are the library's (date, time, date-time, duration, email, hostname, ipv4/6, uri…, uuid, regex…); others pass. */
  addFormat(_name: string, _format: unknown): this {
    return this;
  }

  /** Custom keywords (ajv-formats' formatMaximum…, rjsf's flag) have no effect, as with Ajv when the schema has none. */
  addKeyword(_definition: unknown): this {
    return this;
  }

  addMetaSchema(_schemas: unknown): this {
    return this;
  }

  addSchema(schema: unknown, key?: string): this {
    if (Array.isArray(schema)) {
      for (const item of schema) this.addSchema(item);
      return this;
    }
    const id = key ?? (isJsonObject(schema) && typeof schema.$id === 'string' ? schema.$id : undefined);
    if (id === undefined) throw new Error('schema must have a key or an $id');
    const normalized = normalizeId(id);
    if (this.registered.has(normalized)) throw new Error(`schema with key or id "${normalized}" already exists`);
    const { copy, lookup } = this.prepare(schema, normalized);
    this.registered.set(normalized, { schema, copy, lookup });
    return this;
  }

  getSchema(key: string): AjvShapedValidateFunction | undefined {
    const id = normalizeId(key);
    const known = this.compiledByKey.get(id);
    if (known) return known;
    const entry = this.registered.get(id);
    if (!entry) return undefined;
    const validateFn = this.build(entry.schema, entry.copy, entry.lookup);
    this.compiledByKey.set(id, validateFn);
    return validateFn;
  }

  removeSchema(keyOrSchema?: unknown): this {
    if (isJsonObject(keyOrSchema) && typeof keyOrSchema.$id !== 'string') {
      this.compiledBySchema.delete(keyOrSchema);
      return this;
    }
    const key = typeof keyOrSchema === 'string' ? keyOrSchema : isJsonObject(keyOrSchema) ? (keyOrSchema.$id as string) : undefined;
    if (key !== undefined) this.registered.delete(normalizeId(key));
    else if (keyOrSchema === undefined) this.registered.clear();
    // A compiled validator resolved its references among the schemas registered then: none may outlive one.
    this.compiledByKey = new Map();
    this.compiledBySchema = new WeakMap();
    return this;
  }

  compile(schema: unknown): AjvShapedValidateFunction {
    if (isJsonObject(schema)) {
      const cached = this.compiledBySchema.get(schema);
      if (cached) return cached;
    }
    const { copy, lookup } = this.prepare(schema);
    const validateFn = this.build(schema, copy, lookup);
    if (isJsonObject(schema)) this.compiledBySchema.set(schema, validateFn);
    return validateFn;
  }

  /** The library's dereferenced copy of a schema (registered under `id` when given). */
  private prepare(schema: unknown, id?: string): { copy: Schema | boolean; lookup: Lookup } {
    if (typeof schema !== 'boolean' && !isJsonObject(schema)) throw new Error('schema must be object or boolean');
    return tooDeepAsError(() => {
      const copy = copyForLibrary(schema, this.falseSchemas);
      if (id !== undefined && isJsonObject(copy)) copy.$id = id;
      return { copy, lookup: dereference(copy, Object.create(null) as Lookup, BASE_URI) };
    });
  }

  /** Checks the schema as Ajv's compile does, then returns the function that validates against it. */
  private build(schema: unknown, copy: Schema | boolean, ownLookup: Lookup): AjvShapedValidateFunction {
    const draft = this.draftOf(schema);
    if (isJsonObject(schema)) tooDeepAsError(() => this.checkAgainstMetaSchema(schema));
    const lookup: Lookup = Object.assign(
      Object.create(null) as Lookup,
      ...[...this.registered.values()].map((entry) => entry.lookup),
      ownLookup,
    );
    const problems = schemaProblems(Object.values(ownLookup), lookup);
    if (problems.length > 0) throw new Error(problems.join('; '));
    return this.validator(schema, copy, lookup, draft);
  }

  private validator(schema: unknown, copy: Schema | boolean, lookup: Lookup, draft: SchemaDraft): AjvShapedValidateFunction {
    const falseSchemas = this.falseSchemas;
    const validateFn = ((input: unknown) => {
      let data: unknown;
      let budget = REF_BUDGET_BASE;
      let result: { valid: boolean; errors: OutputUnit[] };
      try {
        // The value as JSON, as it is sent: properties left `undefined` by a form are absent.
        const text = JSON.stringify(input) ?? 'null';
        data = JSON.parse(text);
        budget += REF_BUDGET_PER_BYTE * text.length;
        let hops = 0;
        const counted = new Proxy(lookup, {
          get(target, uri: string) {
            if (++hops > budget) throw new RefBudgetExceeded();
            return target[uri];
          },
        });
        result = validate(data, copy, draft, counted, false);
      } catch (error) {
        if (error instanceof RefBudgetExceeded) {
          throw new Error(`Checking stopped after ${budget} schema references: the schema branches out too much to check this value.`);
        }
        // The library recurses once per level of the value and gathers errors with spread calls.
        if (error instanceof RangeError)
          throw new Error(
            'Checking stopped: the value is nested too deeply, or fails its schema in too many places (tens of thousands), to check.',
          );
        throw error;
      }
      const root = isJsonObject(copy) ? copy : {};
      const errors = toAjvErrors(result.errors, { root, lookup, data, falseSchemas, baseUri: BASE_URI.href });
      // Never "valid" when the library says otherwise, whatever its units were.
      if (!result.valid && errors.length === 0)
        errors.push({
          keyword: 'invalid',
          instancePath: '',
          schemaPath: '#',
          params: {},
          message: result.errors[0]?.error ?? 'is invalid',
        });
      validateFn.errors = result.valid ? null : errors;
      return result.valid;
    }) as AjvShapedValidateFunction;
    validateFn.errors = null;
    validateFn.schema = schema;
    return validateFn;
  }

  private draftOf(schema: unknown): SchemaDraft {
    if (!isJsonObject(schema) || schema.$schema === undefined) return DEFAULT_DRAFT;
    if (typeof schema.$schema !== 'string') throw new Error('$schema must be a string');
    const draft = DRAFTS[normalizeId(schema.$schema)];
    if (draft === undefined) throw new Error(`unknown $schema "${schema.$schema}" (known: draft-04, -06, -07, 2019-09, 2020-12)`);
    return draft;
  }

  private checkAgainstMetaSchema(schema: Record<string, unknown>): void {
    if (!this.metaValidator) {
      const { copy, lookup } = this.prepare(metaSchema());
      this.metaValidator = this.validator(undefined, copy, lookup, '7');
    }
    if (!this.metaValidator(schema)) throw new Error(`schema is invalid: ${errorsText(this.metaValidator.errors ?? [])}`);
  }
}
