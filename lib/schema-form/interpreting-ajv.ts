// The part of Ajv's API that rjsf's validator (@rjsf/validator-ajv8, through its `AjvClass` option) and
// ajv-formats use, answered by lib/schema-form/interpret.ts instead of compiled code: no `new Function`, so the
// forms and checks work under a Content-Security-Policy without 'unsafe-eval' (see interpret.ts for why).
// Like Ajv, a schema is checked before use (against the draft-07 meta-schema, references, patterns) and one that
// fails throws from `compile`; the validate function it returns sets `errors` the way Ajv's does.
import draft07MetaSchema from 'ajv/dist/refs/json-schema-draft-07.json';
import { interpret, schemaProblems, type FormatDefinition, type SchemaError } from './interpret';

export interface InterpretedValidateFunction {
  (data: unknown): boolean;
  errors: SchemaError[] | null;
  schema: unknown;
}

const DRAFT_07_ID = 'http://json-schema.org/draft-07/schema';
const NO_FORMATS: ReadonlyMap<string, FormatDefinition> = new Map();

function normalizeId(id: string): string {
  return id.endsWith('#') ? id.slice(0, -1) : id;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Ajv's `errorsText`: "data/a must be string, data must have required property 'b'". */
function errorsText(errors: readonly SchemaError[]): string {
  return errors.map((error) => `data${error.instancePath} ${error.message}`).join(', ');
}

export class InterpretingAjv {
  /** ajv-formats writes `opts.code.formats` (for Ajv's standalone code); nothing reads it here. */
  readonly opts: { code: Record<string, unknown>; multipleOfPrecision?: number };
  private readonly formats = new Map<string, FormatDefinition>();
  private readonly schemas = new Map<string, unknown>();
  private readonly compiledById = new Map<string, InterpretedValidateFunction>();
  private readonly compiled = new WeakMap<object, InterpretedValidateFunction>();
  private metaValidator?: InterpretedValidateFunction;

  constructor(options: { multipleOfPrecision?: number } = {}) {
    this.opts = { code: {}, ...(options.multipleOfPrecision !== undefined ? { multipleOfPrecision: options.multipleOfPrecision } : {}) };
    this.schemas.set(DRAFT_07_ID, draft07MetaSchema);
  }

  addFormat(name: string, format: FormatDefinition | string): this {
    this.formats.set(name, typeof format === 'string' ? new RegExp(format) : format);
    return this;
  }

  /** Custom keywords (ajv-formats' formatMaximum…, rjsf's flag) have no effect here, as rjsf uses none. */
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
    const id = key ?? (isObject(schema) && typeof schema.$id === 'string' ? schema.$id : undefined);
    if (id === undefined) throw new Error('schema must have a key or an $id');
    const normalized = normalizeId(id);
    if (this.schemas.has(normalized)) throw new Error(`schema with key or id "${normalized}" already exists`);
    this.schemas.set(normalized, schema);
    return this;
  }

  getSchema(key: string): InterpretedValidateFunction | undefined {
    const id = normalizeId(key);
    const known = this.compiledById.get(id);
    if (known) return known;
    if (!this.schemas.has(id)) return undefined;
    const validate = this.build(this.schemas.get(id), id);
    this.compiledById.set(id, validate);
    return validate;
  }

  removeSchema(keyOrSchema?: unknown): this {
    if (keyOrSchema === undefined) {
      for (const id of [...this.schemas.keys()]) if (id !== DRAFT_07_ID) this.schemas.delete(id);
      this.compiledById.clear();
      return this;
    }
    if (typeof keyOrSchema === 'string') {
      const id = normalizeId(keyOrSchema);
      this.schemas.delete(id);
      this.compiledById.delete(id);
      return this;
    }
    if (isObject(keyOrSchema)) {
      this.compiled.delete(keyOrSchema);
      if (typeof keyOrSchema.$id === 'string') this.removeSchema(keyOrSchema.$id);
    }
    return this;
  }

  compile(schema: unknown): InterpretedValidateFunction {
    if (isObject(schema)) {
      const cached = this.compiled.get(schema);
      if (cached) return cached;
    }
    const id = isObject(schema) && typeof schema.$id === 'string' ? normalizeId(schema.$id) : '';
    const validate = this.build(schema, id);
    if (isObject(schema)) this.compiled.set(schema, validate);
    return validate;
  }

  private lookup = (id: string): unknown => this.schemas.get(normalizeId(id));

  /** Checks the schema as Ajv's compile does, then returns the function that interprets it. */
  private build(schema: unknown, docId: string): InterpretedValidateFunction {
    if (typeof schema !== 'boolean' && !isObject(schema)) throw new Error('schema must be object or boolean');
    if (isObject(schema) && docId !== DRAFT_07_ID) this.checkAgainstMetaSchema(schema);
    const place = { schema, path: `${docId}#`, doc: schema, docId };
    const problems = schemaProblems(place, this.lookup);
    if (problems.length > 0) throw new Error(problems.join('; '));
    // Ajv checks schemas against the meta-schema without formats (a `pattern` is checked by building it).
    const formats = docId === DRAFT_07_ID ? NO_FORMATS : this.formats;
    const options = { formats, lookup: this.lookup, ...(this.opts.multipleOfPrecision !== undefined ? { multipleOfPrecision: this.opts.multipleOfPrecision } : {}) };
    const validate = ((data: unknown) => {
      const errors: SchemaError[] = [];
      interpret(place, data, '', errors, options);
      validate.errors = errors.length > 0 ? errors : null;
      return errors.length === 0;
    }) as InterpretedValidateFunction;
    validate.errors = null;
    validate.schema = schema;
    return validate;
  }

  private checkAgainstMetaSchema(schema: Record<string, unknown>): void {
    const declared = schema.$schema;
    if (declared !== undefined && typeof declared !== 'string') throw new Error('$schema must be a string');
    if (typeof declared === 'string' && normalizeId(declared) !== DRAFT_07_ID) throw new Error(`no schema with key or ref "${declared}"`);
    this.metaValidator ??= this.build(draft07MetaSchema, DRAFT_07_ID);
    if (!this.metaValidator(schema)) throw new Error(`schema is invalid: ${errorsText(this.metaValidator.errors ?? [])}`);
  }
}
