// JSON Schema (draft-07) validation by interpretation: walks the schema for each value instead of generating
// code. Ajv compiles every schema into a function with `new Function`, which a Content-Security-Policy without
// 'unsafe-eval' forbids in the browser, and which turns a hostile server's schema into code run on mcpscope's
// origin should Ajv's generator ever mis-escape it. This reports the same errors Ajv does (keyword, params,
// message, instance and schema paths, in Ajv's order, as with `allErrors` and `verbose`), so rjsf and every
// message built from them read the same; tests/schema-form/interpret.test.ts checks it against Ajv itself.
// Pure: runs in the browser and on the server.

export interface SchemaError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message: string;
  /** The keyword's value, the schema holding it, and the value checked (Ajv's `verbose`). */
  schema: unknown;
  parentSchema: unknown;
  data: unknown;
  /** Set for errors about a property name (`propertyNames`). */
  propertyName?: string;
}

/** An ajv-formats style format: always valid, a pattern, a check, or either for one data type. */
export type FormatDefinition =
  | true
  | RegExp
  | ((value: string) => boolean)
  | { type?: 'string' | 'number'; validate: RegExp | ((value: never) => boolean); async?: boolean };

export interface InterpretOptions {
  formats: ReadonlyMap<string, FormatDefinition>;
  /** A schema registered by key or `$id` (for `$ref`s into another document), or undefined. */
  lookup(id: string): unknown;
  /** Ajv's `multipleOfPrecision` (decimal places of tolerance). Default 8. */
  multipleOfPrecision?: number;
}

type SchemaObject = Record<string, unknown>;

/** Where a schema lives: its document (for `#` references) and that document's id (for schema paths). */
interface Place {
  schema: unknown;
  /** The schema path of `schema`, e.g. `#/properties/a` or `__rjsf_rootSchema#/definitions/T`. */
  path: string;
  doc: unknown;
  docId: string;
}

const TYPE_NAMES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'array', 'object']);

// Ajv's keyword groups, in Ajv's order (ajv.RULES for draft-07): untyped keywords first, then one group per
// data type, each applied only to values of its type.
const GROUPS: ReadonlyArray<{ type: 'number' | 'string' | 'array' | 'object'; keywords: readonly string[] }> = [
  { type: 'number', keywords: ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'multipleOf', 'format'] },
  { type: 'string', keywords: ['maxLength', 'minLength', 'pattern', 'format'] },
  { type: 'array', keywords: ['maxItems', 'minItems', 'additionalItems', 'items', 'contains', 'uniqueItems'] },
  {
    type: 'object',
    keywords: ['maxProperties', 'minProperties', 'required', 'propertyNames', 'additionalProperties', 'dependencies', 'properties', 'patternProperties'],
  },
];
/** Every keyword Ajv has a rule for (a `$ref` beside none of them is the whole schema). */
const RULE_KEYWORDS = new Set([
  '$comment',
  'id',
  'type',
  'nullable',
  'const',
  'enum',
  'not',
  'anyOf',
  'oneOf',
  'allOf',
  'if',
  'then',
  'else',
  ...GROUPS.flatMap((group) => group.keywords),
]);

const LIMIT_WORDS: Record<string, string> = { maximum: '<=', minimum: '>=', exclusiveMaximum: '<', exclusiveMinimum: '>' };

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

/** Ajv's data type checks (strictNumbers off, as with `strict: false`). */
function isOfType(type: string, data: unknown): boolean {
  switch (type) {
    case 'number':
      return typeof data === 'number';
    case 'integer':
      return typeof data === 'number' && !(data % 1) && !Number.isNaN(data);
    case 'string':
      return typeof data === 'string';
    case 'boolean':
      return typeof data === 'boolean';
    case 'null':
      return data === null;
    case 'array':
      return Array.isArray(data);
    case 'object':
      return isObject(data);
    default:
      return false;
  }
}

/** Deep equality of JSON values (Ajv's fast-deep-equal on JSON data). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => jsonEqual(item, other[i]));
  }
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((key) => hasOwn(b, key) && jsonEqual((a as SchemaObject)[key], (b as SchemaObject)[key]));
}

/** Characters as Ajv counts them: code points, a surrogate pair counting once. */
function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    length++;
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if ((next & 0xfc00) === 0xdc00) i++;
    }
  }
  return length;
}

function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A schema path segment as Ajv writes it: an escaped JSON pointer segment, percent-encoded (a URI fragment). */
function schemaSegment(segment: string | number): string {
  return encodeURIComponent(escapePointer(segment));
}

/** Ajv's "always valid": `true`, or an object with no keyword Ajv has a rule for. */
function alwaysValid(schema: unknown): boolean {
  return schema === true || (isObject(schema) && !Object.keys(schema).some((key) => RULE_KEYWORDS.has(key) || key === '$ref'));
}

const regexCache = new Map<string, RegExp>();

/** The pattern as Ajv builds it (`u` flag); throws on a pattern that is not a valid regular expression. */
export function unicodePattern(pattern: string): RegExp {
  let regex = regexCache.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern, 'u');
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(pattern, regex);
  }
  return regex;
}

/** Splits a `$ref` into the document id it names ('' for the current one) and the JSON pointer inside it. */
function splitRef(ref: string): { id: string; pointer: string } {
  const hash = ref.indexOf('#');
  return hash < 0 ? { id: ref, pointer: '' } : { id: ref.slice(0, hash), pointer: ref.slice(hash + 1) };
}

function followPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return pointer === '' ? doc : isObject(doc) ? doc[''] : undefined;
  if (!pointer.startsWith('/')) return undefined;
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
    else if (isObject(node) && hasOwn(node, segment)) node = node[segment];
    else return undefined;
  }
  return node;
}

/** Resolves a `$ref` from where it is written; undefined when it names nothing known. */
export function resolveRef(ref: string, from: Pick<Place, 'doc' | 'docId'>, lookup: (id: string) => unknown): Place | undefined {
  const { id, pointer } = splitRef(ref);
  const sameDoc = id === '' || id === from.docId;
  const doc = sameDoc ? from.doc : lookup(id);
  if (doc === undefined) return undefined;
  const schema = followPointer(doc, pointer);
  if (schema === undefined || (typeof schema !== 'boolean' && !isObject(schema))) return undefined;
  const docId = sameDoc ? from.docId : id;
  return { schema, path: `${docId}#${pointer}`, doc, docId };
}

/**
 * Validates `data` against the schema at `place`, appending Ajv-shaped errors to `errors`. The schema must have
 * passed `schemaProblems` first (references resolve, patterns compile).
 */
export function interpret(place: Place, data: unknown, instancePath: string, errors: SchemaError[], options: InterpretOptions): void {
  new Walker(options, errors).node(place, data, instancePath);
}

class Walker {
  constructor(
    private readonly options: InterpretOptions,
    private readonly errors: SchemaError[],
  ) {}

  /** Runs `fn` collecting its errors apart; returns them (the caller decides whether they count). */
  private apart(fn: () => void): SchemaError[] {
    const start = this.errors.length;
    fn();
    return this.errors.splice(start);
  }

  private valid(place: Place, data: unknown, instancePath: string): boolean {
    return this.apart(() => this.node(place, data, instancePath)).length === 0;
  }

  private sub(place: Place, key: string | number, ...more: Array<string | number>): Place {
    let schema = (place.schema as SchemaObject)[key as string];
    let path = `${place.path}/${schemaSegment(key)}`;
    for (const next of more) {
      schema = (schema as Record<string | number, unknown>)[next];
      path += `/${schemaSegment(next)}`;
    }
    return { schema, path, doc: place.doc, docId: place.docId };
  }

  private report(place: Place, keyword: string, params: Record<string, unknown>, message: string, data: unknown, instancePath: string): void {
    const parent = place.schema as SchemaObject;
    this.errors.push({
      instancePath,
      schemaPath: `${place.path}/${keyword}`,
      keyword,
      params,
      message,
      schema: parent[keyword],
      parentSchema: parent,
      data,
    });
  }

  node(place: Place, data: unknown, instancePath: string): void {
    const schema = place.schema;
    if (schema === true) return;
    if (schema === false) {
      this.errors.push({ instancePath, schemaPath: `${place.path}/false schema`, keyword: 'false schema', params: {}, message: 'boolean schema is false', schema: false, parentSchema: undefined, data });
      return;
    }
    if (!isObject(schema)) return;
    if (typeof schema.$ref === 'string' && !Object.keys(schema).some((key) => key !== '$ref' && RULE_KEYWORDS.has(key))) {
      this.ref(place, data, instancePath);
      return;
    }
    const types = typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? (schema.type as string[]) : [];
    const groupUsed = (type: string) => GROUPS.some((group) => group.type === type && group.keywords.some((keyword) => schema[keyword] !== undefined));
    const checkTypes = types.length > 0 && !(types.length === 1 && groupUsed(types[0]!));
    const typeError = () => this.report(place, 'type', { type: schema.type }, `must be ${types.join(',')}`, data, instancePath);
    if (checkTypes && !types.some((type) => isOfType(type, data))) typeError();

    if (typeof schema.$ref === 'string') this.ref(place, data, instancePath);
    if (schema.const !== undefined && !jsonEqual(data, schema.const)) {
      this.report(place, 'const', { allowedValue: schema.const }, 'must be equal to constant', data, instancePath);
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((value) => jsonEqual(data, value))) {
      this.report(place, 'enum', { allowedValues: schema.enum }, 'must be equal to one of the allowed values', data, instancePath);
    }
    if (schema.not !== undefined && this.valid(this.sub(place, 'not'), data, instancePath)) {
      this.report(place, 'not', {}, 'must NOT be valid', data, instancePath);
    }
    if (Array.isArray(schema.anyOf)) this.anyOf(place, data, instancePath);
    if (Array.isArray(schema.oneOf)) this.oneOf(place, data, instancePath);
    if (Array.isArray(schema.allOf)) schema.allOf.forEach((_, i) => this.node(this.sub(place, 'allOf', i), data, instancePath));
    if (schema.if !== undefined) this.ifThenElse(place, data, instancePath);

    for (const group of GROUPS) {
      if (!groupUsed(group.type)) continue;
      if (isOfType(group.type, data)) this[group.type](place, data as never, instancePath);
      else if (types.length === 1 && types[0] === group.type && !checkTypes) typeError();
    }
  }

  private ref(place: Place, data: unknown, instancePath: string): void {
    const target = resolveRef((place.schema as SchemaObject).$ref as string, place, this.options.lookup);
    // schemaProblems refuses unresolvable references before anything is validated.
    if (target) this.node(target, data, instancePath);
  }

  private anyOf(place: Place, data: unknown, instancePath: string): void {
    const branches = (place.schema as SchemaObject).anyOf as unknown[];
    const start = this.errors.length;
    for (let i = 0; i < branches.length; i++) {
      const before = this.errors.length;
      this.node(this.sub(place, 'anyOf', i), data, instancePath);
      if (this.errors.length === before) {
        this.errors.length = start;
        return;
      }
    }
    this.report(place, 'anyOf', {}, 'must match a schema in anyOf', data, instancePath);
  }

  private oneOf(place: Place, data: unknown, instancePath: string): void {
    const branches = (place.schema as SchemaObject).oneOf as unknown[];
    const start = this.errors.length;
    let valid = false;
    let passing: number | number[] | null = null;
    for (let i = 0; i < branches.length; i++) {
      const before = this.errors.length;
      this.node(this.sub(place, 'oneOf', i), data, instancePath);
      const branchValid = this.errors.length === before;
      // As Ajv: the second passing branch settles it, and the branches after it are not looked at.
      if (i > 0 && branchValid && valid) {
        valid = false;
        passing = [passing as number, i];
        break;
      }
      if (branchValid) {
        valid = true;
        passing = i;
      }
    }
    if (valid) this.errors.length = start;
    else this.report(place, 'oneOf', { passingSchemas: passing }, 'must match exactly one schema in oneOf', data, instancePath);
  }

  private ifThenElse(place: Place, data: unknown, instancePath: string): void {
    const schema = place.schema as SchemaObject;
    const hasThen = schema.then !== undefined;
    const hasElse = schema.else !== undefined;
    if (!hasThen && !hasElse) return;
    const clause = this.valid(this.sub(place, 'if'), data, instancePath) ? 'then' : 'else';
    if (schema[clause] === undefined) return;
    const before = this.errors.length;
    this.node(this.sub(place, clause), data, instancePath);
    if (this.errors.length > before) {
      this.report(place, 'if', { failingKeyword: clause }, `must match "${clause}" schema`, data, instancePath);
    }
  }

  private number(place: Place, data: number, instancePath: string): void {
    const schema = place.schema as SchemaObject;
    for (const keyword of ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum']) {
      const limit = schema[keyword];
      if (typeof limit !== 'number') continue;
      const ok = keyword === 'maximum' ? data <= limit : keyword === 'minimum' ? data >= limit : keyword === 'exclusiveMaximum' ? data < limit : data > limit;
      if (!ok) this.report(place, keyword, { comparison: LIMIT_WORDS[keyword], limit }, `must be ${LIMIT_WORDS[keyword]} ${limit}`, data, instancePath);
    }
    const multipleOf = schema.multipleOf;
    if (typeof multipleOf === 'number') {
      const division = data / multipleOf;
      const precision = this.options.multipleOfPrecision ?? 8;
      const bad = precision ? Math.abs(Math.round(division) - division) > 10 ** -precision : division !== Number.parseInt(String(division), 10);
      if (bad) this.report(place, 'multipleOf', { multipleOf }, `must be multiple of ${multipleOf}`, data, instancePath);
    }
    this.format(place, data, instancePath, 'number');
  }

  private string(place: Place, data: string, instancePath: string): void {
    const schema = place.schema as SchemaObject;
    if (typeof schema.maxLength === 'number' && codePointLength(data) > schema.maxLength) {
      this.report(place, 'maxLength', { limit: schema.maxLength }, `must NOT have more than ${schema.maxLength} characters`, data, instancePath);
    }
    if (typeof schema.minLength === 'number' && codePointLength(data) < schema.minLength) {
      this.report(place, 'minLength', { limit: schema.minLength }, `must NOT have fewer than ${schema.minLength} characters`, data, instancePath);
    }
    if (typeof schema.pattern === 'string' && !unicodePattern(schema.pattern).test(data)) {
      this.report(place, 'pattern', { pattern: schema.pattern }, `must match pattern "${schema.pattern}"`, data, instancePath);
    }
    this.format(place, data, instancePath, 'string');
  }

  /** Formats apply to values of their own type (strings unless the format says numbers); unknown ones are ignored. */
  private format(place: Place, data: string | number, instancePath: string, dataType: 'string' | 'number'): void {
    const name = (place.schema as SchemaObject).format;
    if (typeof name !== 'string') return;
    const definition = this.options.formats.get(name);
    if (definition === undefined || definition === true) return;
    const [type, check] = definition instanceof RegExp || typeof definition === 'function' ? ['string', definition] : [definition.type ?? 'string', definition.validate];
    if (type !== dataType) return;
    const ok = check instanceof RegExp ? check.test(String(data)) : (check as (value: unknown) => boolean)(data);
    if (!ok) this.report(place, 'format', { format: name }, `must match format "${name}"`, data, instancePath);
  }

  private array(place: Place, data: unknown[], instancePath: string): void {
    const schema = place.schema as SchemaObject;
    if (typeof schema.maxItems === 'number' && data.length > schema.maxItems) {
      this.report(place, 'maxItems', { limit: schema.maxItems }, `must NOT have more than ${schema.maxItems} items`, data, instancePath);
    }
    if (typeof schema.minItems === 'number' && data.length < schema.minItems) {
      this.report(place, 'minItems', { limit: schema.minItems }, `must NOT have fewer than ${schema.minItems} items`, data, instancePath);
    }
    const items = schema.items;
    if (Array.isArray(items) && schema.additionalItems !== undefined && data.length > items.length) {
      if (schema.additionalItems === false) {
        this.report(place, 'additionalItems', { limit: items.length }, `must NOT have more than ${items.length} items`, data, instancePath);
      } else {
        for (let i = items.length; i < data.length; i++) this.node(this.sub(place, 'additionalItems'), data[i], `${instancePath}/${i}`);
      }
    }
    if (Array.isArray(items)) {
      items.forEach((_, i) => {
        if (i < data.length) this.node(this.sub(place, 'items', i), data[i], `${instancePath}/${i}`);
      });
    } else if (items !== undefined) {
      data.forEach((item, i) => this.node(this.sub(place, 'items'), item, `${instancePath}/${i}`));
    }
    if (schema.contains !== undefined) {
      const start = this.errors.length;
      let found = false;
      for (let i = 0; i < data.length && !found; i++) {
        const before = this.errors.length;
        this.node(this.sub(place, 'contains'), data[i], `${instancePath}/${i}`);
        found = this.errors.length === before;
      }
      if (found) this.errors.length = start;
      else this.report(place, 'contains', { minContains: 1 }, 'must contain at least 1 valid item(s)', data, instancePath);
    }
    if (schema.uniqueItems === true) this.uniqueItems(place, data, instancePath);
  }

  /** Ajv's two loops, each naming the first duplicate it meets (they meet different ones, and say so differently). */
  private uniqueItems(place: Place, data: unknown[], instancePath: string): void {
    if (data.length <= 1) return;
    const schema = place.schema as SchemaObject;
    const itemTypes = isObject(schema.items) ? (typeof schema.items.type === 'string' ? [schema.items.type] : Array.isArray(schema.items.type) ? (schema.items.type as string[]) : []) : [];
    const scalar = itemTypes.length > 0 && !itemTypes.some((type) => type === 'object' || type === 'array');
    if (scalar) {
      const seen = new Map<string, number>();
      for (let i = data.length - 1; i >= 0; i--) {
        let item = data[i];
        if (!itemTypes.some((type) => isOfType(type, item))) continue;
        if (itemTypes.length > 1 && typeof item === 'string') item = `${item}_`;
        const key = `${typeof item}:${String(item)}`;
        const j = seen.get(key);
        if (j !== undefined) {
          this.report(place, 'uniqueItems', { i, j }, `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, data, instancePath);
          return;
        }
        seen.set(key, i);
      }
      return;
    }
    for (let i = data.length - 1; i >= 0; i--) {
      for (let j = i - 1; j >= 0; j--) {
        if (jsonEqual(data[i], data[j])) {
          this.report(place, 'uniqueItems', { i, j }, `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, data, instancePath);
          return;
        }
      }
    }
  }

  private object(place: Place, data: SchemaObject, instancePath: string): void {
    const schema = place.schema as SchemaObject;
    const keys = Object.keys(data);
    if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) {
      this.report(place, 'maxProperties', { limit: schema.maxProperties }, `must NOT have more than ${schema.maxProperties} properties`, data, instancePath);
    }
    if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) {
      this.report(place, 'minProperties', { limit: schema.minProperties }, `must NOT have fewer than ${schema.minProperties} properties`, data, instancePath);
    }
    const present = (key: string) => hasOwn(data, key) && data[key] !== undefined;
    if (Array.isArray(schema.required)) {
      for (const missingProperty of schema.required as string[]) {
        if (!present(missingProperty)) this.report(place, 'required', { missingProperty }, `must have required property '${missingProperty}'`, data, instancePath);
      }
    }
    if (schema.propertyNames !== undefined) {
      for (const key of keys) {
        const before = this.errors.length;
        this.node(this.sub(place, 'propertyNames'), key, instancePath);
        for (const error of this.errors.slice(before)) error.propertyName = key;
        if (this.errors.length > before) {
          this.report(place, 'propertyNames', { propertyName: key }, 'property name must be valid', data, instancePath);
        }
      }
    }
    const properties = isObject(schema.properties) ? schema.properties : {};
    const patterns = isObject(schema.patternProperties) ? Object.keys(schema.patternProperties) : [];
    if (schema.additionalProperties !== undefined) {
      for (const key of keys) {
        if (hasOwn(properties, key) || patterns.some((pattern) => unicodePattern(pattern).test(key))) continue;
        if (schema.additionalProperties === false) {
          this.report(place, 'additionalProperties', { additionalProperty: key }, 'must NOT have additional properties', data, instancePath);
        } else {
          this.node(this.sub(place, 'additionalProperties'), data[key], `${instancePath}/${escapePointer(key)}`);
        }
      }
    }
    if (isObject(schema.dependencies)) {
      // Ajv checks every property dependency first, then the schema dependencies.
      const dependencies = Object.entries(schema.dependencies).filter(([property]) => present(property));
      for (const [property, dependency] of dependencies) {
        if (!Array.isArray(dependency)) continue;
        const deps = (dependency as string[]).join(', ');
        const words = dependency.length === 1 ? 'property' : 'properties';
        for (const missingProperty of dependency as string[]) {
          if (present(missingProperty)) continue;
          this.report(place, 'dependencies', { property, missingProperty, depsCount: dependency.length, deps }, `must have ${words} ${deps} when property ${property} is present`, data, instancePath);
        }
      }
      for (const [property, dependency] of dependencies) {
        if (!Array.isArray(dependency)) this.node(this.sub(place, 'dependencies', property), data, instancePath);
      }
    }
    for (const key of Object.keys(properties)) {
      if (present(key)) this.node(this.sub(place, 'properties', key), data[key], `${instancePath}/${escapePointer(key)}`);
    }
    for (const pattern of patterns) {
      const regex = unicodePattern(pattern);
      for (const key of keys) {
        if (regex.test(key)) this.node(this.sub(place, 'patternProperties', pattern), data[key], `${instancePath}/${escapePointer(key)}`);
      }
    }
  }
}

/**
 * What keeps a schema from being used, as Ajv would refuse to compile it: a `$ref` that resolves to nothing, a
 * pattern that is not a regular expression (with the `u` flag), an unknown `type`. Empty when usable.
 */
export function schemaProblems(place: Place, lookup: (id: string) => unknown): string[] {
  const problems: string[] = [];
  const seen = new Set<unknown>();
  const visit = (node: Place) => {
    const schema = node.schema;
    if (!isObject(schema) || seen.has(schema)) return;
    seen.add(schema);
    if (typeof schema.$ref === 'string') {
      const target = resolveRef(schema.$ref, node, lookup);
      if (!target) problems.push(`can't resolve reference ${schema.$ref} from id ${node.docId || '#'}`);
      else visit(target);
    }
    for (const type of typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type : []) {
      if (!TYPE_NAMES.has(type as string)) problems.push(`type must be JSON type (got ${JSON.stringify(type)})`);
    }
    // Patterns are built as Ajv builds them: `pattern` always; patternProperties' keys only when Ajv would use
    // them (some pattern's schema does something, or additionalProperties must tell the other keys apart).
    const patternSchemas = isObject(schema.patternProperties) ? schema.patternProperties : {};
    const patternsUsed =
      Object.values(patternSchemas).some((sub) => !alwaysValid(sub)) || (schema.additionalProperties !== undefined && !alwaysValid(schema.additionalProperties));
    const patterns = [...(typeof schema.pattern === 'string' ? [schema.pattern] : []), ...(patternsUsed ? Object.keys(patternSchemas) : [])];
    for (const pattern of patterns) {
      try {
        unicodePattern(pattern);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : `pattern ${JSON.stringify(pattern)} is not a valid regular expression`);
      }
    }
    const child = (key: string, ...more: Array<string | number>) => {
      let value: unknown = schema[key];
      let path = `${node.path}/${key}`;
      for (const next of more) {
        value = (value as Record<string | number, unknown>)[next];
        path += `/${schemaSegment(next)}`;
      }
      visit({ schema: value, path, doc: node.doc, docId: node.docId });
    };
    for (const key of ['not', 'if', 'then', 'else', 'contains', 'propertyNames', 'additionalProperties', 'additionalItems']) child(key);
    if (Array.isArray(schema.items)) schema.items.forEach((_, i) => child('items', i));
    else child('items');
    for (const key of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(schema[key])) (schema[key] as unknown[]).forEach((_, i) => child(key, i));
    for (const key of ['properties', 'patternProperties', 'definitions', 'dependencies']) {
      if (isObject(schema[key])) for (const name of Object.keys(schema[key] as SchemaObject)) child(key, name);
    }
  };
  visit(place);
  return problems;
}
