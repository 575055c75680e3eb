// The interface diff: what a server offers (tools, resources, resource templates, prompts) before and after, in
// words a person reviewing a release reads: what was added or removed, and how each input and output schema
// changed, with what breaks a client called out (a new required argument breaks every existing call; a new
// optional one does not).
import { isJsonObject } from '../json';

export type InterfaceKind = 'tool' | 'resource' | 'resource template' | 'prompt';

export interface InterfaceChange {
  kind: InterfaceKind;
  /** The tool or prompt name, the resource URI or URI template. */
  name: string;
  change: 'added' | 'removed' | 'changed';
  /** True when a client written against the old interface may fail against the new one. */
  breaking: boolean;
  /** One sentence per change, e.g. `new required argument "limit" (integer)`; breaking ones first. */
  details: Array<{ text: string; breaking: boolean }>;
}

/** What one side listed; a kind left undefined was not listed on that side, so it is not compared. */
export interface ServerInterface {
  tools?: unknown[];
  resources?: unknown[];
  resourceTemplates?: unknown[];
  prompts?: unknown[];
}

const LIST_METHODS: Record<string, { field: keyof ServerInterface; item: string }> = {
  'tools/list': { field: 'tools', item: 'tools' },
  'resources/list': { field: 'resources', item: 'resources' },
  'resources/templates/list': { field: 'resourceTemplates', item: 'resourceTemplates' },
  'prompts/list': { field: 'prompts', item: 'prompts' },
};

/**
 * Builds an interface from list answers (`tools/list` and friends, every page). Pages of one listing follow each
 * other; a listing that starts again (no cursor) replaces what an earlier one gave, so the last full listing wins.
 */
export function interfaceFromAnswers(
  answers: Iterable<{ method: string; params?: Record<string, unknown>; result?: unknown }>,
): ServerInterface {
  const found: ServerInterface = {};
  for (const { method, params, result } of answers) {
    const list = LIST_METHODS[method];
    if (!list || !isJsonObject(result) || !Array.isArray(result[list.item])) continue;
    const items = result[list.item] as unknown[];
    const continued = params !== undefined && typeof params.cursor === 'string';
    found[list.field] = continued ? [...(found[list.field] ?? []), ...items] : [...items];
  }
  return found;
}

const ENTRY_KINDS: ReadonlyArray<{ kind: InterfaceKind; field: keyof ServerInterface; key: string }> = [
  { kind: 'tool', field: 'tools', key: 'name' },
  { kind: 'resource', field: 'resources', key: 'uri' },
  { kind: 'resource template', field: 'resourceTemplates', key: 'uriTemplate' },
  { kind: 'prompt', field: 'prompts', key: 'name' },
];

/**
 * What one side lists, one row per tool, resource, template and prompt (by the name the interface diff uses), for
 * showing two sides next to each other; `listed` says which kinds the side listed at all.
 */
export function interfaceEntries(iface: ServerInterface): {
  entries: Array<{ kind: InterfaceKind; name: string }>;
  listed: InterfaceKind[];
} {
  const entries: Array<{ kind: InterfaceKind; name: string }> = [];
  const listed: InterfaceKind[] = [];
  for (const { kind, field, key } of ENTRY_KINDS) {
    const list = iface[field];
    if (!list) continue;
    listed.push(kind);
    for (const name of byKey(list, key).keys()) entries.push({ kind, name });
  }
  return { entries, listed };
}

export function diffInterfaces(before: ServerInterface, after: ServerInterface): InterfaceChange[] {
  const changes: InterfaceChange[] = [];
  const compare = (
    kind: InterfaceKind,
    a: unknown[] | undefined,
    b: unknown[] | undefined,
    key: string,
    describe: (x: Record<string, unknown>, y: Record<string, unknown>) => Detail[],
  ) => {
    if (!a || !b) return;
    const left = byKey(a, key);
    const right = byKey(b, key);
    for (const [name, item] of left) {
      const other = right.get(name);
      if (!other) {
        changes.push({ kind, name, change: 'removed', breaking: true, details: [{ text: `${kind} removed`, breaking: true }] });
        continue;
      }
      const details = sortDetails(describe(item, other));
      if (details.length > 0) changes.push({ kind, name, change: 'changed', breaking: details.some((d) => d.breaking), details });
    }
    for (const name of right.keys()) {
      if (!left.has(name))
        changes.push({ kind, name, change: 'added', breaking: false, details: [{ text: `new ${kind}`, breaking: false }] });
    }
  };
  compare('tool', before.tools, after.tools, 'name', describeTool);
  compare('resource', before.resources, after.resources, 'uri', describeResource);
  compare('resource template', before.resourceTemplates, after.resourceTemplates, 'uriTemplate', describeResource);
  compare('prompt', before.prompts, after.prompts, 'name', describePrompt);
  return changes;
}

type Detail = { text: string; breaking: boolean };

function sortDetails(details: Detail[]): Detail[] {
  return [...details.filter((d) => d.breaking), ...details.filter((d) => !d.breaking)];
}

function byKey(list: unknown[], key: string): Map<string, Record<string, unknown>> {
  const map = new Map<string, Record<string, unknown>>();
  for (const item of list)
    if (isJsonObject(item) && typeof item[key] === 'string' && !map.has(item[key] as string)) map.set(item[key] as string, item);
  return map;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function textChange(label: string, a: unknown, b: unknown): Detail[] {
  return same(a, b) ? [] : [{ text: `${label} changed`, breaking: false }];
}

function describeTool(a: Record<string, unknown>, b: Record<string, unknown>): Detail[] {
  const details: Detail[] = [];
  details.push(...describeSchema(a.inputSchema, b.inputSchema, 'input', 'argument'));
  if (a.outputSchema !== undefined || b.outputSchema !== undefined) {
    if (a.outputSchema === undefined) details.push({ text: 'now declares an output schema', breaking: false });
    else if (b.outputSchema === undefined)
      details.push({ text: 'no longer declares an output schema (structured content may be gone)', breaking: true });
    else details.push(...describeSchema(a.outputSchema, b.outputSchema, 'output', 'field'));
  }
  details.push(...textChange('title', a.title, b.title), ...textChange('description', a.description, b.description));
  details.push(...describeAnnotations(a.annotations, b.annotations));
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'].includes(key)) continue;
    if (!same(a[key], b[key])) details.push({ text: `${key} changed`, breaking: false });
  }
  return details;
}

function describeAnnotations(a: unknown, b: unknown): Detail[] {
  const left = isJsonObject(a) ? a : {};
  const right = isJsonObject(b) ? b : {};
  const details: Detail[] = [];
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    if (same(left[key], right[key])) continue;
    // A tool that turns destructive (or stops being read-only) is a change a client's consent rules depend on.
    const breaking =
      (key === 'destructiveHint' && right[key] === true) || (key === 'readOnlyHint' && left[key] === true && right[key] !== true);
    details.push({
      text: `annotation ${key}: ${JSON.stringify(left[key]) ?? 'unset'} → ${JSON.stringify(right[key]) ?? 'unset'}`,
      breaking,
    });
  }
  return details;
}

function describeResource(a: Record<string, unknown>, b: Record<string, unknown>): Detail[] {
  const details: Detail[] = [];
  if (!same(a.mimeType, b.mimeType))
    details.push({ text: `MIME type ${JSON.stringify(a.mimeType) ?? 'unset'} → ${JSON.stringify(b.mimeType) ?? 'unset'}`, breaking: true });
  details.push(
    ...textChange('name', a.name, b.name),
    ...textChange('title', a.title, b.title),
    ...textChange('description', a.description, b.description),
  );
  return details;
}

function describePrompt(a: Record<string, unknown>, b: Record<string, unknown>): Detail[] {
  const details: Detail[] = [];
  const args = (p: Record<string, unknown>) => byKey(Array.isArray(p.arguments) ? p.arguments : [], 'name');
  const left = args(a);
  const right = args(b);
  for (const [name, arg] of right) {
    const old = left.get(name);
    const required = arg.required === true;
    if (!old) details.push({ text: `new ${required ? 'required' : 'optional'} argument "${name}"`, breaking: required });
    else if (required && old.required !== true) details.push({ text: `argument "${name}" is now required`, breaking: true });
    else if (!required && old.required === true) details.push({ text: `argument "${name}" is now optional`, breaking: false });
  }
  for (const name of left.keys()) if (!right.has(name)) details.push({ text: `argument "${name}" removed`, breaking: true });
  details.push(...textChange('title', a.title, b.title), ...textChange('description', a.description, b.description));
  return details;
}

/** A JSON Schema's type in a few words: `integer`, `string (one of "a", "b")`, `array of string`, `object`. */
export function describeType(schema: unknown): string {
  if (!isJsonObject(schema)) return 'any';
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : typeof schema.type === 'string' ? schema.type : undefined;
  if (Array.isArray(schema.enum))
    return `${type ?? 'value'} (one of ${schema.enum
      .slice(0, 5)
      .map((v) => JSON.stringify(v))
      .join(', ')}${schema.enum.length > 5 ? ', …' : ''})`;
  if (type === 'array' && isJsonObject(schema.items)) return `array of ${describeType(schema.items)}`;
  if (type) return type;
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) return 'one of several shapes';
  return 'any';
}

function typesOf(schema: unknown): string[] | undefined {
  if (!isJsonObject(schema)) return undefined;
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string');
  return undefined;
}

/**
 * The changes between two object schemas, property by property, nested objects included (as `profile.name`).
 * `side` decides what breaks: for an input, a client must now send more or may no longer send what it did; for an
 * output, a client may no longer find what it read.
 */
function describeSchema(a: unknown, b: unknown, side: 'input' | 'output', noun: string, prefix = '', depth = 0): Detail[] {
  if (depth > 16) return same(a, b) ? [] : [{ text: `${prefix || `${side} schema`} changed deep inside`, breaking: false }];
  const left = isJsonObject(a) ? a : {};
  const right = isJsonObject(b) ? b : {};
  const details: Detail[] = [];
  const props = (s: Record<string, unknown>) => (isJsonObject(s.properties) ? s.properties : {});
  const required = (s: Record<string, unknown>) =>
    new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
  const lp = props(left);
  const rp = props(right);
  const lr = required(left);
  const rr = required(right);
  const input = side === 'input';
  for (const name of Object.keys(rp)) {
    const label = `${prefix}${name}`;
    if (!(name in lp)) {
      const req = rr.has(name);
      details.push({
        text: `new ${req ? 'required' : 'optional'} ${noun} "${label}" (${describeType(rp[name])})`,
        // A new required input breaks every call that does not send it; a new output field breaks nobody.
        breaking: input && req,
      });
      continue;
    }
    details.push(...describeProperty(lp[name], rp[name], side, noun, label, depth));
    if (rr.has(name) && !lr.has(name)) details.push({ text: `${noun} "${label}" is now required`, breaking: input });
    if (!rr.has(name) && lr.has(name)) details.push({ text: `${noun} "${label}" is now optional`, breaking: !input });
  }
  for (const name of Object.keys(lp)) {
    if (!(name in rp)) {
      const label = `${prefix}${name}`;
      // A removed input is refused by a strict schema and ignored by a loose one; a removed output is gone.
      details.push({ text: `${noun} "${label}" removed`, breaking: !input || right.additionalProperties === false });
    }
  }
  if (depth === 0 && !same(left.additionalProperties, right.additionalProperties)) {
    const closes = right.additionalProperties === false && left.additionalProperties !== false;
    details.push({
      text: closes ? `${side} schema no longer accepts extra ${noun}s` : `${side} schema additionalProperties changed`,
      breaking: closes && input,
    });
  }
  return details;
}

function describeProperty(a: unknown, b: unknown, side: 'input' | 'output', noun: string, label: string, depth: number): Detail[] {
  if (same(a, b)) return [];
  const left = isJsonObject(a) ? a : {};
  const right = isJsonObject(b) ? b : {};
  const input = side === 'input';
  const details: Detail[] = [];
  const lt = typesOf(left);
  const rt = typesOf(right);
  if (!same(lt, rt)) {
    // Widening an input's types (or narrowing an output's) keeps every existing client working.
    const widened = lt && rt ? (input ? lt.every((t) => rt.includes(t)) : rt.every((t) => lt.includes(t))) : false;
    details.push({ text: `${noun} "${label}" type ${describeType(left)} → ${describeType(right)}`, breaking: !widened });
  }
  if (Array.isArray(left.enum) || Array.isArray(right.enum)) {
    const le = Array.isArray(left.enum) ? left.enum.map((v) => JSON.stringify(v)) : undefined;
    const re = Array.isArray(right.enum) ? right.enum.map((v) => JSON.stringify(v)) : undefined;
    const removed = le && re ? le.filter((v) => !re.includes(v)) : [];
    const added = le && re ? re.filter((v) => !le.includes(v)) : [];
    if (removed.length > 0) details.push({ text: `${noun} "${label}" no longer allows ${removed.join(', ')}`, breaking: input });
    if (added.length > 0) details.push({ text: `${noun} "${label}" now also allows ${added.join(', ')}`, breaking: !input });
    if (!le && re) details.push({ text: `${noun} "${label}" is now limited to ${re.join(', ')}`, breaking: input });
    if (le && !re) details.push({ text: `${noun} "${label}" is no longer limited to a list of values`, breaking: !input });
  }
  for (const bound of [
    'minimum',
    'maximum',
    'exclusiveMinimum',
    'exclusiveMaximum',
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
    'pattern',
    'format',
  ] as const) {
    if (same(left[bound], right[bound])) continue;
    // Without knowing the direction's meaning for every keyword, a new or tighter bound on an input is breaking.
    const tighter =
      right[bound] !== undefined &&
      (left[bound] === undefined ||
        (typeof left[bound] === 'number' &&
          typeof right[bound] === 'number' &&
          (bound.startsWith('min') || bound === 'exclusiveMinimum'
            ? (right[bound] as number) > (left[bound] as number)
            : (right[bound] as number) < (left[bound] as number))) ||
        bound === 'pattern' ||
        bound === 'format');
    details.push({
      text: `${noun} "${label}" ${bound} ${JSON.stringify(left[bound]) ?? 'unset'} → ${JSON.stringify(right[bound]) ?? 'unset'}`,
      breaking: input ? tighter : !tighter && right[bound] === undefined,
    });
  }
  if (!same(left.default, right.default))
    details.push({
      text: `${noun} "${label}" default ${JSON.stringify(left.default) ?? 'unset'} → ${JSON.stringify(right.default) ?? 'unset'}`,
      breaking: false,
    });
  if (!same(left.description, right.description)) details.push({ text: `${noun} "${label}" description changed`, breaking: false });
  if (isJsonObject(left.properties) || isJsonObject(right.properties))
    details.push(...describeSchema(left, right, side, noun, `${label}.`, depth + 1));
  if (isJsonObject(left.items) && isJsonObject(right.items))
    details.push(...describeProperty(left.items, right.items, side, noun, `${label}[]`, depth + 1));
  if (details.length === 0) details.push({ text: `${noun} "${label}" schema changed`, breaking: false });
  return details;
}
