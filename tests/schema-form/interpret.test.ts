// The interpreting validator against Ajv itself: for every schema and value below, rjsf's validator over
// InterpretingAjv must say exactly what it says over real Ajv (same errors, paths, params, messages, order;
// same schemas refused). Real Ajv compiles with `new Function`, which the browser's Content-Security-Policy
// forbids; the interpreter never generates code (no Function, no eval: checked below too).
import { customizeValidator } from '@rjsf/validator-ajv8';
import type { RJSFSchema } from '@rjsf/utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formValidator } from '@/lib/schema-form';
import { InterpretingAjv } from '@/lib/schema-form/interpreting-ajv';

const realAjv = customizeValidator();

type Case = { name: string; schema: unknown; values: unknown[] };

const CASES: Case[] = [
  { name: 'types', schema: { type: 'object', properties: { s: { type: 'string' }, n: { type: 'number' }, i: { type: 'integer' }, b: { type: 'boolean' }, z: { type: 'null' }, a: { type: 'array' }, o: { type: 'object' }, u: { type: ['string', 'null'] } } }, values: [{ s: 1, n: '1', i: 1.5, b: 0, z: false, a: {}, o: [], u: 3 }, { s: 'x', n: 2, i: 2, b: true, z: null, a: [], o: {}, u: null }, 'not an object', null] },
  { name: 'numbers', schema: { type: 'number', minimum: 1, maximum: 32, exclusiveMinimum: 0, exclusiveMaximum: 40, multipleOf: 0.5 }, values: [0, 1, 33, 0.25, 40, 12.5, 'x'] },
  { name: 'integer with limits (type error first)', schema: { type: 'integer', maximum: 3 }, values: [4.5, 'x', 2, 5] },
  { name: 'multipleOf precision', schema: { type: 'number', multipleOf: 0.01 }, values: [0.07, 1.1, 0.005, 19.99] },
  { name: 'strings', schema: { type: 'string', minLength: 2, maxLength: 4, pattern: '^[a-z]+$' }, values: ['a', 'abcde', 'AB', 'ok', '😀😀', '😀', 5] },
  { name: 'formats', schema: { type: 'object', properties: { when: { format: 'date-time' }, day: { format: 'date' }, mail: { format: 'email' }, site: { format: 'uri' }, id: { format: 'uuid' }, ip: { format: 'ipv4' }, re: { format: 'regex' }, n: { type: 'integer', format: 'int32' }, colour: { format: 'color' }, made_up: { format: 'phone-number' } } }, values: [{ when: 'yesterday', day: '2024-02-30', mail: 'no', site: 'not a uri', id: 'x', ip: '999.1.1.1', re: '(', n: 2 ** 40, colour: 'nope', made_up: '?' }, { when: '2024-01-02T03:04:05Z', day: '2024-02-29', mail: 'a@b.co', site: 'https://x.example/', id: '123e4567-e89b-12d3-a456-426614174000', ip: '10.0.0.1', re: '^a+$', n: 5, colour: '#fff', made_up: 'x' }, { when: 5, n: 'x' }] },
  { name: 'enum and const', schema: { type: 'object', properties: { e: { enum: ['a', 1, null, { k: [1] }] }, c: { const: { x: [1, 2] } } } }, values: [{ e: 'b', c: { x: [1] } }, { e: { k: [1] }, c: { x: [1, 2] } }, { e: null }] },
  { name: 'single type with rules: enum before type', schema: { type: 'string', maxLength: 3, enum: ['a'] }, values: [5, 'abcd', 'a'] },
  { name: 'arrays', schema: { type: 'array', minItems: 2, maxItems: 3, items: { type: 'string' }, uniqueItems: true }, values: [['a'], ['a', 'b', 'c', 'd'], ['a', 1, 'a'], ['a', 'b', 'a'], 'x'] },
  { name: 'unique objects', schema: { type: 'array', uniqueItems: true }, values: [[{ a: 1 }, { a: 2 }, { a: 1 }], [1, '1', 1], [[1], [1]], []] },
  { name: 'unique with several scalar item types', schema: { type: 'array', uniqueItems: true, items: { type: ['string', 'number'] } }, values: [[1, '1', 2, 1], ['a', 'a'], [1, 2]] },
  { name: 'tuples', schema: { type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false }, values: [['a', 1], ['a', 'b', 3], [1]] },
  { name: 'tuple with additionalItems schema', schema: { type: 'array', items: [{ type: 'string' }], additionalItems: { type: 'number' } }, values: [['a', 1, 'x', 2], [2]] },
  { name: 'contains', schema: { type: 'array', contains: { type: 'number', minimum: 5 } }, values: [[1, 2, 7], [1, 'a'], []] },
  { name: 'objects', schema: { type: 'object', minProperties: 1, maxProperties: 3, required: ['a', 'b'], properties: { a: { type: 'string' }, b: { type: 'number' } }, additionalProperties: false }, values: [{}, { a: 1, b: 'x', c: 1, d: 2 }, { a: 'x', b: 1 }, { a: 'x', b: 1, '/weird~key': 1 }] },
  { name: 'additionalProperties schema and patternProperties', schema: { type: 'object', properties: { a: {} }, patternProperties: { '^x-': { type: 'string' }, '^n\\d+$': { type: 'number' } }, additionalProperties: { type: 'boolean' } }, values: [{ a: 1, 'x-one': 2, n1: 'z', other: 'no', more: true }] },
  { name: 'propertyNames', schema: { type: 'object', propertyNames: { pattern: '^[a-z]+$', maxLength: 3 } }, values: [{ ok: 1, BAD: 2, long: 3 }] },
  { name: 'dependencies', schema: { type: 'object', dependencies: { card: ['address', 'name'], vip: { required: ['since'] }, one: ['two'] } }, values: [{ card: 1 }, { card: 1, address: 1, name: 1 }, { vip: true, one: 1 }, { vip: true, since: 1, one: 1, two: 2 }] },
  { name: 'anyOf', schema: { anyOf: [{ type: 'string', minLength: 3 }, { type: 'number' }] }, values: ['ab', 3, 'abc', null] },
  { name: 'oneOf', schema: { oneOf: [{ type: 'number', multipleOf: 2 }, { type: 'number', multipleOf: 3 }, { type: 'string' }] }, values: [4, 9, 6, 'x', 1, null] },
  { name: 'oneOf where three pass', schema: { oneOf: [{ type: 'number' }, { minimum: 0 }, { maximum: 10 }] }, values: [5, -1, 20] },
  { name: 'allOf and not', schema: { allOf: [{ type: 'object', required: ['a'] }, { not: { required: ['b'] } }] }, values: [{}, { a: 1, b: 2 }, { a: 1 }] },
  { name: 'if/then/else', schema: { type: 'object', if: { properties: { kind: { const: 'card' } } }, then: { required: ['number'] }, else: { required: ['iban'] } }, values: [{ kind: 'card' }, { kind: 'bank' }, { kind: 'card', number: 1 }] },
  { name: 'if/then only', schema: { if: { type: 'number' }, then: { minimum: 10 } }, values: [5, 'x', 12] },
  { name: 'refs and definitions', schema: { type: 'object', properties: { tags: { type: 'array', items: { $ref: '#/definitions/Tag' } }, self: { $ref: '#' } }, definitions: { Tag: { type: 'object', properties: { key: { enum: ['a', 'b'] } }, required: ['key'] } } }, values: [{ tags: [{ key: 'c' }, {}], self: { tags: [{}] } }, { tags: [{ key: 'a' }] }] },
  { name: 'ref with siblings', schema: { definitions: { N: { type: 'number' } }, $ref: '#/definitions/N', minimum: 3 }, values: [1, 'x', 4] },
  { name: 'boolean schemas', schema: { type: 'object', properties: { never: false, always: true }, additionalProperties: false }, values: [{ never: 1, always: 2 }, { other: 1 }] },
  { name: 'nested instance paths', schema: { type: 'object', properties: { a: { type: 'array', items: { type: 'object', properties: { 'b/c': { type: 'object', properties: { '~d': { type: 'string' } } } } } } } }, values: [{ a: [{ 'b/c': { '~d': 1 } }] }] },
];

const BAD_SCHEMAS: unknown[] = [
  { type: 'object', properties: { a: { type: 'string', pattern: '(?i)abc' } } },
  { type: 'strnig' },
  { type: 'object', required: 'a' },
  { minimum: '5' },
  { $ref: '#/definitions/missing' },
  { $ref: 'https://x.example/s.json' },
  { type: 'object', patternProperties: { '(': { type: 'string' } } },
  { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' },
  { items: 5 },
];

function comparable(result: { errors?: unknown[]; validationError?: Error }) {
  return {
    refused: result.validationError !== undefined,
    errors: (result.errors ?? []).map((error) => {
      const { instancePath, schemaPath, keyword, params, message, propertyName } = error as Record<string, unknown>;
      return { instancePath, schemaPath, keyword, params, message, ...(propertyName !== undefined ? { propertyName } : {}) };
    }),
  };
}

describe('rawValidation: the interpreter says what Ajv says', () => {
  for (const { name, schema, values } of CASES) {
    it(name, () => {
      for (const value of values) {
        const expected = comparable(realAjv.rawValidation(schema as RJSFSchema, value));
        const actual = comparable(formValidator.rawValidation(schema as RJSFSchema, value));
        expect(actual, `${name}: ${JSON.stringify(value)}`).toEqual(expected);
      }
      // The corpus is not vacuous: each case has a failing value.
      expect(values.some((value) => (realAjv.rawValidation(schema as RJSFSchema, value).errors ?? []).length > 0)).toBe(true);
    });
  }

  it.each(BAD_SCHEMAS.map((schema) => [JSON.stringify(schema), schema]))('refuses what Ajv refuses to compile: %s', (_, schema) => {
    expect(realAjv.rawValidation(schema as RJSFSchema, {}).validationError).toBeInstanceOf(Error);
    const ours = formValidator.rawValidation(schema as RJSFSchema, {});
    expect(ours.validationError).toBeInstanceOf(Error);
    expect(ours.errors).toBeUndefined();
  });
});

describe('rjsf over the interpreter', () => {
  const root = {
    type: 'object',
    definitions: { Pet: { oneOf: [{ type: 'object', properties: { kind: { const: 'cat' }, lives: { type: 'integer', maximum: 9 } }, required: ['kind'] }, { type: 'object', properties: { kind: { const: 'dog' } }, required: ['kind'] }] } },
    properties: { pet: { $ref: '#/definitions/Pet' }, size: { type: 'integer', maximum: 32, title: 'Size' } },
    required: ['size'],
  } as RJSFSchema;

  it('validates form data into the same errors and error schema', () => {
    for (const data of [{ size: 33, pet: { kind: 'cat', lives: 10 } }, {}, { size: 3, pet: { kind: 'dog' } }]) {
      const expected = realAjv.validateFormData(data, root);
      const actual = formValidator.validateFormData(data, root);
      expect(actual.errors.map((e) => [e.property, e.message, e.stack])).toEqual(expected.errors.map((e) => [e.property, e.message, e.stack]));
      expect(actual.errorSchema).toEqual(expected.errorSchema);
    }
    expect(formValidator.validateFormData({ size: 33 }, root).errors.map((e) => e.stack)).toContain("'Size' must be <= 32");
  });

  it('answers isValid against sub-schemas with references into the root schema', () => {
    const cat = (root.definitions!.Pet as RJSFSchema).oneOf![0] as RJSFSchema;
    for (const [schema, data] of [
      [cat, { kind: 'cat' }],
      [cat, { kind: 'dog' }],
      [{ $ref: '#/definitions/Pet' }, { kind: 'dog' }],
      [{ $ref: '#/definitions/Pet' }, { kind: 'cow' }],
    ] as Array<[RJSFSchema, unknown]>) {
      expect(formValidator.isValid(schema, data, root)).toBe(realAjv.isValid(schema, data, root));
    }
  });
});

describe('no generated code', () => {
  afterEach(() => vi.restoreAllMocks());

  it('compiles and validates without the Function constructor or eval', () => {
    const ajv = new InterpretingAjv();
    const original = globalThis.Function;
    const trap = new Proxy(original, {
      construct: () => {
        throw new Error('Function constructor used');
      },
      apply: () => {
        throw new Error('Function called');
      },
    });
    const evalSpy = vi.spyOn(globalThis, 'eval');
    globalThis.Function = trap;
    try {
      for (const { schema, values } of CASES) {
        const validate = ajv.compile(schema);
        for (const value of values) validate(value);
      }
    } finally {
      globalThis.Function = original;
    }
    expect(evalSpy).not.toHaveBeenCalled();
  });
});
