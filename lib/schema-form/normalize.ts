import type { JsonSchema } from './types';
import {
  SCHEMA_ARRAY_KEYWORDS,
  SCHEMA_MAP_KEYWORDS,
  SINGLE_SCHEMA_KEYWORDS,
  escapePointerSegment,
  isPlainObject,
  resolvePointer,
} from './walk';

// rjsf renders draft-07 style schemas, and validates what it renders (lib/schema-form/cfworker-ajv.ts). MCP
// tool schemas arrive in every dialect (2020-12 is the spec default since 2025-11-25, some servers still write
// draft-04 or OpenAPI's `nullable`). Rewriting the few keywords that differ is cheaper and more predictable
// than teaching rjsf every dialect; anything we cannot rewrite is reported so the UI can say why.

export interface NormalizeResult {
  schema: JsonSchema;
  /** Every rewrite, in plain sentences (most say the same thing another way: a record for the curious). */
  notes: string[];
  /** The rewrites after which the form accepts or shows something other than the schema says. */
  differences: string[];
  /** Reasons the schema cannot be used as-is (bad refs, unsupported keywords). Empty when fine. */
  problems: string[];
}

const TYPE_KEYWORDS: Record<string, readonly string[]> = {
  string: ['minLength', 'maxLength', 'pattern', 'format', 'contentMediaType', 'contentEncoding'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  object: [
    'properties',
    'required',
    'additionalProperties',
    'patternProperties',
    'minProperties',
    'maxProperties',
    'propertyNames',
    'dependencies',
    'dependentRequired',
    'dependentSchemas',
  ],
  array: ['items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems', 'contains'],
};

interface Context {
  notes: Set<string>;
  differences: Set<string>;
  problems: string[];
  anchors: Map<string, string>;
  refs: Array<{ node: JsonSchema; pointer: string }>;
  rootId?: string;
}

function where(pointer: string): string {
  return pointer === '' ? 'the root' : pointer;
}

function splitMultiType(out: JsonSchema, types: string[], ctx: Context, pointer: string): void {
  const branches: JsonSchema[] = types.map((type) => {
    const branch: JsonSchema = { type, title: type };
    for (const keyword of TYPE_KEYWORDS[type] ?? []) {
      if (keyword in out) branch[keyword] = out[keyword];
    }
    return branch;
  });
  for (const type of types) for (const keyword of TYPE_KEYWORDS[type] ?? []) delete out[keyword];
  delete out.type;
  out.anyOf = branches;
  ctx.notes.add(`A field accepting several types (${types.join(', ')}) at ${where(pointer)} is shown as a choice.`);
}

function normalizeType(out: JsonSchema, ctx: Context, pointer: string): void {
  if (out.nullable === true && typeof out.type === 'string') {
    out.type = out.type === 'null' ? 'null' : [out.type, 'null'];
    ctx.notes.add('OpenAPI `nullable: true` was read as `type: [T, "null"]`.');
  }
  delete out.nullable;
  if (!Array.isArray(out.type)) return;
  const types = [...new Set(out.type.filter((t): t is string => typeof t === 'string'))];
  if (types.length === 0) {
    delete out.type;
    return;
  }
  if (types.length === 1) {
    out.type = types[0];
    return;
  }
  const nonNull = types.filter((t) => t !== 'null');
  // rjsf renders `[T, "null"]` as a T field natively; only wider unions need an explicit choice.
  if (nonNull.length <= 1) {
    out.type = types;
    return;
  }
  if ('anyOf' in out) {
    const note = `A field accepting several types (${nonNull.join(', ')}) at ${where(pointer)} also has anyOf; the form offers it only as ${nonNull[0]} (switch to JSON for another type).`;
    ctx.notes.add(note);
    ctx.differences.add(note);
    out.type = types;
    return;
  }
  splitMultiType(out, types, ctx, pointer);
}

function normalizeBounds(out: JsonSchema, ctx: Context): void {
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[exclusive] !== 'boolean') continue;
    if (out[exclusive] === true && typeof out[bound] === 'number') {
      out[exclusive] = out[bound];
      delete out[bound];
    } else {
      delete out[exclusive];
    }
    ctx.notes.add(`Draft-04 boolean \`${exclusive}\` was rewritten as a number.`);
  }
}

function normalize2020Keywords(out: JsonSchema, ctx: Context): void {
  if (Array.isArray(out.prefixItems)) {
    if ('items' in out && !Array.isArray(out.items)) out.additionalItems = out.items;
    out.items = out.prefixItems;
    delete out.prefixItems;
    ctx.notes.add('2020-12 `prefixItems` was rewritten as a draft-07 tuple (`items` array).');
  }
  if (isPlainObject(out.dependentRequired) || isPlainObject(out.dependentSchemas)) {
    const dependencies: JsonSchema = isPlainObject(out.dependencies) ? { ...out.dependencies } : {};
    Object.assign(dependencies, out.dependentRequired ?? {}, out.dependentSchemas ?? {});
    out.dependencies = dependencies;
    delete out.dependentRequired;
    delete out.dependentSchemas;
    ctx.notes.add('2020-12 `dependentRequired`/`dependentSchemas` were rewritten as `dependencies`.');
  }
}

function normalizeNode(node: unknown, pointer: string, ctx: Context): JsonSchema {
  if (node === true) return {};
  if (node === false) return { not: {} };
  if (!isPlainObject(node)) {
    ctx.problems.push(`The schema at ${where(pointer)} is not a JSON Schema (found ${JSON.stringify(node)}).`);
    return {};
  }
  const out: JsonSchema = { ...node };

  if (typeof out.$schema === 'string' && pointer === '') {
    if (!/draft-0[467]/.test(out.$schema)) ctx.notes.add(`Dialect ${out.$schema} is read through its draft-07 equivalent.`);
  }
  delete out.$schema;
  if (typeof out.$id === 'string' && pointer === '') ctx.rootId = out.$id.replace(/#$/, '');
  // rjsf's validator looks a schema up by its $id before compiling it: dropping ids keeps two tools' schemas
  // that share an $id from being taken for one another.
  delete out.$id;
  if (typeof out.$anchor === 'string') ctx.anchors.set(out.$anchor, pointer);
  delete out.$anchor;
  for (const keyword of ['$dynamicRef', '$recursiveRef']) {
    if (keyword in out) ctx.problems.push(`${keyword} at ${where(pointer)} is not supported by the form generator.`);
  }
  delete out.$dynamicAnchor;
  delete out.$recursiveAnchor;
  if (typeof out.$ref === 'string') ctx.refs.push({ node: out, pointer });

  normalizeType(out, ctx, pointer);
  normalizeBounds(out, ctx);
  normalize2020Keywords(out, ctx);

  // Boolean schemas stay booleans here: rjsf and Ajv read `additionalProperties: false` natively, and
  // Ajv's message for it ("must NOT have additional properties") beats the one for `{not: {}}`.
  for (const keyword of SINGLE_SCHEMA_KEYWORDS) {
    const value = out[keyword];
    if (isPlainObject(value)) out[keyword] = normalizeNode(value, `${pointer}/${keyword}`, ctx);
  }
  for (const keyword of SCHEMA_ARRAY_KEYWORDS) {
    const value = out[keyword];
    if (Array.isArray(value)) {
      out[keyword] = value.map((item, i) => normalizeNode(item, `${pointer}/${keyword}/${i}`, ctx));
    }
  }
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const value = out[keyword];
    if (!isPlainObject(value)) continue;
    const mapped: JsonSchema = {};
    for (const [name, sub] of Object.entries(value)) {
      // `dependencies` mixes schemas with arrays of property names; only the schemas are walked.
      mapped[name] =
        keyword === 'dependencies' && Array.isArray(sub)
          ? sub
          : normalizeNode(sub, `${pointer}/${keyword}/${escapePointerSegment(name)}`, ctx);
      // rjsf silently skips a property whose schema is exactly `{}` ("any value"); a title is enough
      // for it to render its type-picker fallback, so the user can still fill it in.
      if (keyword === 'properties' && Object.keys(mapped[name] as JsonSchema).length === 0) {
        mapped[name] = { title: name };
      }
    }
    out[keyword] = mapped;
  }
  return out;
}

function resolveRefs(root: JsonSchema, ctx: Context): void {
  for (const { node, pointer } of ctx.refs) {
    let ref = node.$ref as string;
    if (ctx.rootId && ref.startsWith(`${ctx.rootId}#`)) ref = ref.slice(ctx.rootId.length);
    if (ref.startsWith('#') && !ref.startsWith('#/') && ref !== '#') {
      const anchorPointer = ctx.anchors.get(decodeURIComponent(ref.slice(1)));
      if (anchorPointer === undefined) {
        ctx.problems.push(`$ref "${ref}" at ${where(pointer)} names an anchor that does not exist.`);
        continue;
      }
      ref = `#${anchorPointer}`;
    }
    if (!ref.startsWith('#')) {
      ctx.problems.push(`$ref "${ref}" at ${where(pointer)} points to an external schema, which mcpscope does not fetch.`);
      continue;
    }
    if (resolvePointer(root, ref) === undefined) {
      ctx.problems.push(`$ref "${ref}" at ${where(pointer)} points to nothing in the schema.`);
      continue;
    }
    node.$ref = ref;
  }
}

/** Rewrites a JSON Schema of any common dialect into the draft-07 shape rjsf understands. Pure. */
export function normalizeSchema(input: unknown): NormalizeResult {
  const ctx: Context = { notes: new Set(), differences: new Set(), problems: [], anchors: new Map(), refs: [] };
  if (input === true || input === undefined || input === null) {
    return { schema: {}, notes: [], differences: [], problems: [] };
  }
  let schema: JsonSchema;
  try {
    schema = normalizeNode(input, '', ctx);
  } catch (error) {
    // A hostile server's schema nested thousands of levels deep overflows the stack of this walk.
    if (!(error instanceof RangeError)) throw error;
    return { schema: {}, notes: [], differences: [], problems: ['The schema is nested too deeply to be used.'] };
  }
  resolveRefs(schema, ctx);
  return { schema, notes: [...ctx.notes], differences: [...ctx.differences], problems: ctx.problems };
}
