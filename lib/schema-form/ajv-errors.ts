// @cfworker/json-schema's output (one flat list of units: keyword, keyword location, instance location and an
// English sentence, including "a subschema had errors" units for every applicator on the way) turned into the
// errors Ajv reports, which is what rjsf reads (instancePath, keyword, params, message, schemaPath,
// parentSchema) and what every message mcpscope shows is built from. The library says which keyword failed
// where; the params and Ajv's wording come from that keyword's value in the schema and from the value checked.
import type { ErrorObject } from 'ajv';
import type { OutputUnit, Schema } from '@cfworker/json-schema';
import { isJsonObject } from '../json';

export type Lookup = Record<string, Schema | boolean>;

export interface ErrorContext {
  /** The schema validated (the adapter's prepared copy, dereferenced into `lookup`). */
  root: Schema;
  lookup: Lookup;
  /** The value validated, as JSON. */
  data: unknown;
  /** Prepared `{ not: {} }` objects that stand for boolean `false` subschemas (see cfworker-ajv.ts). */
  falseSchemas: WeakSet<object>;
  /** The base URI schemas were dereferenced against. */
  baseUri: string;
}

interface Located {
  node: unknown;
  path: string;
  /** The object holding `node`, and the key it holds it under (for a `false` subschema's context). */
  holder?: { node: unknown; path: string; key: string };
}

/** Wrapper units ("a subschema had errors") whose inner units carry the real errors, as in Ajv's output. */
const WRAPPERS = new Set([
  '$ref',
  '$recursiveRef',
  'properties',
  'patternProperties',
  'additionalProperties',
  'unevaluatedProperties',
  'items',
  'prefixItems',
  'additionalItems',
  'unevaluatedItems',
  'allOf',
  'dependentSchemas',
]);

const COMPARISON: Record<string, string> = { maximum: '<=', minimum: '>=', exclusiveMaximum: '<', exclusiveMinimum: '>' };
const FEWER_OR_MORE: Record<string, [string, string]> = {
  minLength: ['fewer', 'characters'],
  maxLength: ['more', 'characters'],
  minItems: ['fewer', 'items'],
  maxItems: ['more', 'items'],
  minProperties: ['fewer', 'properties'],
  maxProperties: ['more', 'properties'],
};

function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

function decodeSegment(segment: string): string {
  return decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A schema path segment as Ajv writes it (the library leaves more characters unencoded). */
function ajvSegment(segment: string): string {
  return encodeURIComponent(decodeURIComponent(segment));
}

/** A schema's absolute URI as Ajv writes a schema path: `#/definitions/A` in the schema itself, `key#/…` in a registered one. */
export function schemaPathOf(uri: string, baseUri: string): string {
  const relative = uri.startsWith(baseUri) ? uri.slice(baseUri.length) : uri;
  const hash = relative.indexOf('#');
  if (hash < 0) return `${relative}#`;
  return `${relative.slice(0, hash)}#${relative
    .slice(hash + 1)
    .split('/')
    .map(ajvSegment)
    .join('/')}`;
}

/** The library writes `#/a/b%20c` (a URI fragment); Ajv writes the JSON pointer `/a/b c`. */
function instancePathOf(location: string): string {
  return decodeURIComponent(location.slice(1));
}

function lastSegment(pointer: string): string {
  return pointer
    .slice(pointer.lastIndexOf('/') + 1)
    .replace(/~1/g, '/')
    .replace(/~0/g, '~');
}

function parentPointer(pointer: string): string {
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isJsonObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

export function toAjvErrors(units: readonly OutputUnit[], context: ErrorContext): ErrorObject[] {
  const errors: ErrorObject[] = [];
  const done = new Set<string>();
  /** Units validating one property name (`propertyNames`): Ajv reports them at the object, naming the key. */
  let propertyNames: { keywordLocation: string; instancePath: string; key: string } | undefined;
  /**
   * The library reports anyOf, oneOf, if and propertyNames before the errors of their subschemas, Ajv after
   * them (rjsf lists errors in that order): each waits until the units under `prefix` are done.
   */
  const waiting: Array<{ prefix: string; error: ErrorObject }> = [];
  const release = (location?: string) => {
    while (waiting.length > 0 && (location === undefined || !location.startsWith(waiting[waiting.length - 1]!.prefix)))
      errors.push(waiting.pop()!.error);
  };

  /** Follows a keyword location (through `$ref`s) to the schema holding the keyword. */
  const locate = (keywordLocation: string): Located | undefined => {
    let node: unknown = context.root;
    let path = schemaPathOf(context.root.__absolute_uri__ ?? '', context.baseUri);
    let holder: Located['holder'];
    const segments = keywordLocation.split('/').slice(1, -1);
    for (const raw of segments) {
      if (!isJsonObject(node) && !Array.isArray(node)) return undefined;
      if (raw === '$ref' && isJsonObject(node) && typeof node.__absolute_ref__ === 'string') {
        node = context.lookup[node.__absolute_ref__];
        path =
          isJsonObject(node) && typeof node.__absolute_uri__ === 'string' ? schemaPathOf(node.__absolute_uri__, context.baseUri) : path;
        holder = undefined;
        continue;
      }
      const key = decodeSegment(raw);
      holder = { node, path, key };
      node = (node as Record<string, unknown>)[key];
      path = `${path}/${ajvSegment(raw)}`;
    }
    return { node, path, ...(holder ? { holder } : {}) };
  };

  units.forEach((unit, index) => {
    release(unit.keywordLocation);
    if (propertyNames && !unit.keywordLocation.startsWith(`${propertyNames.keywordLocation}/`)) propertyNames = undefined;
    const nameChecked = propertyNames;
    const push = (error: Omit<ErrorObject, 'data'>, after?: string) => {
      const data = valueAt(context.data, error.instancePath);
      const full = nameChecked
        ? { ...error, instancePath: nameChecked.instancePath, propertyName: nameChecked.key, data: nameChecked.key }
        : { ...error, data };
      if (after === undefined) errors.push(full);
      else waiting.push({ prefix: after, error: full });
    };
    if (WRAPPERS.has(unit.keyword)) return;
    const instancePath = instancePathOf(unit.instanceLocation);
    const at = locate(unit.keywordLocation);
    const parent = isJsonObject(at?.node) ? at.node : {};
    const parentPath = at?.path ?? unit.keywordLocation.slice(0, unit.keywordLocation.lastIndexOf('/'));
    const keyword = unit.keyword;
    const base = { keyword, instancePath, schemaPath: `${parentPath}/${keyword}`, schema: parent[keyword], parentSchema: parent };
    const once = (key: string) => {
      if (done.has(key)) return false;
      done.add(key);
      return true;
    };

    switch (keyword) {
      case 'not': {
        if (!context.falseSchemas.has(parent)) return push({ ...base, params: {}, message: 'must NOT be valid' });
        // A `false` subschema. Ajv reports additionalProperties / unevaluatedProperties: false at the object,
        // additionalItems / unevaluatedItems: false once for the array, any other as "false schema".
        const holder = at?.holder;
        const owner = holder && isJsonObject(holder.node) ? holder.node : {};
        const objectPath = parentPointer(instancePath);
        const ownerBase = { instancePath: objectPath, schemaPath: `${holder?.path}/${holder?.key}`, schema: false, parentSchema: owner };
        switch (holder?.key) {
          case 'additionalProperties':
            return push({
              ...ownerBase,
              keyword: 'additionalProperties',
              params: { additionalProperty: lastSegment(instancePath) },
              message: 'must NOT have additional properties',
            });
          case 'unevaluatedProperties':
            return push({
              ...ownerBase,
              keyword: 'unevaluatedProperties',
              params: { unevaluatedProperty: lastSegment(instancePath) },
              message: 'must NOT have unevaluated properties',
            });
          case 'additionalItems':
          case 'unevaluatedItems': {
            if (!once(`${objectPath} ${ownerBase.schemaPath}`)) return;
            const limit = Array.isArray(owner.items) ? owner.items.length : Array.isArray(owner.prefixItems) ? owner.prefixItems.length : 0;
            return push({ ...ownerBase, keyword: holder.key, params: { limit }, message: `must NOT have more than ${limit} items` });
          }
          default:
            return push({
              ...base,
              keyword: 'false schema',
              schemaPath: `${parentPath}/false schema`,
              schema: false,
              parentSchema: owner,
              params: {},
              message: 'boolean schema is false',
            });
        }
      }
      case 'false':
        return push({ ...base, keyword: 'false schema', params: {}, message: 'boolean schema is false' });
      case 'type': {
        const types = ([] as unknown[]).concat(parent.type);
        return push({ ...base, params: { type: parent.type }, message: `must be ${types.join(',')}` });
      }
      case 'const':
        return push({ ...base, params: { allowedValue: parent.const }, message: 'must be equal to constant' });
      case 'enum':
        return push({ ...base, params: { allowedValues: parent.enum }, message: 'must be equal to one of the allowed values' });
      case 'required': {
        // One unit per missing property, all at the same location: named here from the value itself.
        if (!once(`${unit.instanceLocation} ${unit.keywordLocation}`)) return;
        const value = valueAt(context.data, instancePath);
        const required = Array.isArray(parent.required) ? (parent.required as unknown[]) : [];
        for (const missingProperty of required) {
          if (typeof missingProperty !== 'string' || (isJsonObject(value) && hasOwn(value, missingProperty))) continue;
          push({ ...base, params: { missingProperty }, message: `must have required property '${missingProperty}'` });
        }
        return;
      }
      case 'dependencies':
      case 'dependentRequired': {
        // The units for property lists (a unit for a dependent schema is only its wrapper): named from the value.
        if (!once(`${unit.instanceLocation} ${parentPath}/${keyword}`)) return;
        const value = valueAt(context.data, instancePath);
        const table = isJsonObject(parent[keyword]) ? (parent[keyword] as Record<string, unknown>) : {};
        if (!isJsonObject(value)) return;
        for (const [property, dependency] of Object.entries(table)) {
          if (!hasOwn(value, property) || !Array.isArray(dependency)) continue;
          const deps = dependency.join(', ');
          const words = dependency.length === 1 ? 'property' : 'properties';
          for (const missingProperty of dependency as string[]) {
            if (hasOwn(value, missingProperty)) continue;
            push({
              ...base,
              params: { property, missingProperty, depsCount: dependency.length, deps },
              message: `must have ${words} ${deps} when property ${property} is present`,
            });
          }
        }
        return;
      }
      case 'maximum':
      case 'minimum':
      case 'exclusiveMaximum':
      case 'exclusiveMinimum': {
        // Draft-04 boolean exclusives make maximum/minimum strict.
        const strict =
          (keyword === 'maximum' && parent.exclusiveMaximum === true) || (keyword === 'minimum' && parent.exclusiveMinimum === true);
        const comparison = strict ? COMPARISON[`exclusive${keyword[0]!.toUpperCase()}${keyword.slice(1)}`]! : COMPARISON[keyword]!;
        return push({
          ...base,
          params: { comparison, limit: parent[keyword] },
          message: `must be ${comparison} ${String(parent[keyword])}`,
        });
      }
      case 'multipleOf':
        return push({ ...base, params: { multipleOf: parent.multipleOf }, message: `must be multiple of ${String(parent.multipleOf)}` });
      case 'minLength':
      case 'maxLength':
      case 'minItems':
      case 'maxItems':
      case 'minProperties':
      case 'maxProperties': {
        const [side, unitWord] = FEWER_OR_MORE[keyword]!;
        return push({
          ...base,
          params: { limit: parent[keyword] },
          message: `must NOT have ${side} than ${String(parent[keyword])} ${unitWord}`,
        });
      }
      case 'pattern':
        return push({ ...base, params: { pattern: parent.pattern }, message: `must match pattern "${String(parent.pattern)}"` });
      case 'format':
        return push({ ...base, params: { format: parent.format }, message: `must match format "${String(parent.format)}"` });
      case 'uniqueItems':
        return push({ ...base, params: {}, message: 'must NOT have duplicate items' });
      case 'contains':
        return push({ ...base, params: { minContains: 1 }, message: 'must contain at least 1 valid item(s)' });
      case 'minContains':
        return push({
          ...base,
          keyword: 'contains',
          params: { minContains: parent.minContains },
          message: `must contain at least ${String(parent.minContains)} valid item(s)`,
        });
      case 'maxContains':
        return push({
          ...base,
          keyword: 'contains',
          params: { maxContains: parent.maxContains },
          message: `must contain at most ${String(parent.maxContains)} valid item(s)`,
        });
      case 'anyOf':
        return push({ ...base, params: {}, message: 'must match a schema in anyOf' }, `${unit.keywordLocation}/`);
      case 'oneOf': {
        // The library keeps the units of every failing branch: the others passed. Ajv names the first two.
        const branches = Array.isArray(parent.oneOf) ? parent.oneOf.length : 0;
        const failing = new Set<string>();
        for (let next = index + 1; next < units.length && units[next]!.keywordLocation.startsWith(`${unit.keywordLocation}/`); next++) {
          failing.add(units[next]!.keywordLocation.slice(unit.keywordLocation.length + 1).split('/')[0]!);
        }
        const passing = Array.from({ length: branches }, (_, i) => i).filter((i) => !failing.has(String(i)));
        const passingSchemas = passing.length >= 2 ? passing.slice(0, 2) : null;
        return push({ ...base, params: { passingSchemas }, message: 'must match exactly one schema in oneOf' }, `${unit.keywordLocation}/`);
      }
      case 'if': {
        // The units after this one are the failing clause's.
        const clauses = unit.keywordLocation.slice(0, -'/if'.length);
        const clause = units[index + 1]?.keywordLocation.startsWith(`${clauses}/else`) ? 'else' : 'then';
        return push({ ...base, params: { failingKeyword: clause }, message: `must match "${clause}" schema` }, `${clauses}/${clause}`);
      }
      case 'propertyNames': {
        const next = units[index + 1];
        const key = next ? lastSegment(instancePathOf(next.instanceLocation)) : '';
        push({ ...base, params: { propertyName: key }, message: 'property name must be valid' }, `${unit.keywordLocation}/`);
        propertyNames = { keywordLocation: unit.keywordLocation, instancePath, key };
        return;
      }
      default:
        return push({ ...base, params: {}, message: unit.error });
    }
  });
  release();
  return errors;
}

/** Ajv's `errorsText`: "data/a must be string, data must have required property 'b'". */
export function errorsText(errors: readonly ErrorObject[]): string {
  return errors.map((error) => `data${error.instancePath} ${error.message}`).join(', ');
}
