// rjsf's validator over @cfworker/json-schema (lib/schema-form/cfworker-ajv.ts) against rjsf's validator over
// real Ajv: for every schema and value below both must find the same failures: the same schemas refused, and
// the same errors (instance path, keyword, schema path, message, params), in any order. The differences we
// accept, each taken out of both sides before comparing (see ACCEPTED), are where the library reports less
// than Ajv or Ajv stops early. Real Ajv compiles with `new Function`, which the browser's
// Content-Security-Policy forbids; the library never generates code (no Function, no eval: checked below too).
import { customizeValidator } from '@rjsf/validator-ajv8';
import type { RJSFSchema } from '@rjsf/utils';
import type { ErrorObject } from 'ajv';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formValidator, prepareToolSchema, validateStructuredContent } from '@/lib/schema-form';
import { CfworkerAjv } from '@/lib/schema-form/cfworker-ajv';

const realAjv = customizeValidator();

type Case = { name: string; schema: unknown; values: unknown[] };

const CASES: Case[] = [
  {
    name: 'types',
    schema: {
      type: 'object',
      properties: {
        s: { type: 'string' },
        n: { type: 'number' },
        i: { type: 'integer' },
        b: { type: 'boolean' },
        z: { type: 'null' },
        a: { type: 'array' },
        o: { type: 'object' },
        u: { type: ['string', 'null'] },
      },
    },
    values: [
      { s: 1, n: '1', i: 1.5, b: 0, z: false, a: {}, o: [], u: 3 },
      { s: 'x', n: 2, i: 2, b: true, z: null, a: [], o: {}, u: null },
      'not an object',
      null,
    ],
  },
  {
    name: 'numbers',
    schema: { type: 'number', minimum: 1, maximum: 32, exclusiveMinimum: 0, exclusiveMaximum: 40, multipleOf: 0.5 },
    values: [0, 1, 33, 0.25, 40, 12.5, 'x'],
  },
  { name: 'integer with limits (type error first)', schema: { type: 'integer', maximum: 3 }, values: [4.5, 'x', 2, 5] },
  { name: 'multipleOf precision', schema: { type: 'number', multipleOf: 0.01 }, values: [0.07, 1.1, 0.005, 19.99] },
  {
    name: 'strings',
    schema: { type: 'string', minLength: 2, maxLength: 4, pattern: '^[a-z]+$' },
    values: ['a', 'abcde', 'AB', 'ok', '😀😀', '😀', 5],
  },
  {
    name: 'formats',
    schema: {
      type: 'object',
      properties: {
        when: { format: 'date-time' },
        day: { format: 'date' },
        mail: { format: 'email' },
        site: { format: 'uri' },
        id: { format: 'uuid' },
        ip: { format: 'ipv4' },
        re: { format: 'regex' },
        n: { type: 'integer', format: 'int32' },
        colour: { format: 'color' },
        made_up: { format: 'phone-number' },
      },
    },
    values: [
      {
        when: 'yesterday',
        day: '2024-02-30',
        mail: 'no',
        site: 'not a uri',
        id: 'x',
        ip: '999.1.1.1',
        re: '(',
        n: 2 ** 40,
        colour: 'nope',
        made_up: '?',
      },
      {
        when: '2024-01-02T03:04:05Z',
        day: '2024-02-29',
        mail: 'a@b.co',
        site: 'https://x.example/',
        id: '123e4567-e89b-12d3-a456-426614174000',
        ip: '10.0.0.1',
        re: '^a+$',
        n: 5,
        colour: '#fff',
        made_up: 'x',
      },
      { when: 5, n: 'x' },
    ],
  },
  {
    name: 'enum and const',
    schema: { type: 'object', properties: { e: { enum: ['a', 1, null, { k: [1] }] }, c: { const: { x: [1, 2] } } } },
    values: [{ e: 'b', c: { x: [1] } }, { e: { k: [1] }, c: { x: [1, 2] } }, { e: null }],
  },
  { name: 'single type with rules: enum before type', schema: { type: 'string', maxLength: 3, enum: ['a'] }, values: [5, 'abcd', 'a'] },
  {
    name: 'arrays',
    schema: { type: 'array', minItems: 2, maxItems: 3, items: { type: 'string' }, uniqueItems: true },
    values: [['a'], ['a', 'b', 'c', 'd'], ['a', 1, 'a'], ['a', 'b', 'a'], 'x'],
  },
  {
    name: 'unique objects',
    schema: { type: 'array', uniqueItems: true },
    values: [[{ a: 1 }, { a: 2 }, { a: 1 }], [1, '1', 1], [[1], [1]], []],
  },
  {
    name: 'unique with several scalar item types',
    schema: { type: 'array', uniqueItems: true, items: { type: ['string', 'number'] } },
    values: [
      [1, '1', 2, 1],
      ['a', 'a'],
      [1, 2],
    ],
  },
  {
    name: 'tuples',
    schema: { type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false },
    values: [['a', 1], ['a', 'b', 3], [1]],
  },
  {
    name: 'tuple with additionalItems schema',
    schema: { type: 'array', items: [{ type: 'string' }], additionalItems: { type: 'number' } },
    values: [['a', 1, 'x', 2], [2]],
  },
  { name: 'contains', schema: { type: 'array', contains: { type: 'number', minimum: 5 } }, values: [[1, 2, 7], [1, 'a'], []] },
  {
    name: 'objects',
    schema: {
      type: 'object',
      minProperties: 1,
      maxProperties: 3,
      required: ['a', 'b'],
      properties: { a: { type: 'string' }, b: { type: 'number' } },
      additionalProperties: false,
    },
    values: [{}, { a: 1, b: 'x', c: 1, d: 2 }, { a: 'x', b: 1 }, { a: 'x', b: 1, '/weird~key': 1 }],
  },
  {
    name: 'additionalProperties schema and patternProperties',
    schema: {
      type: 'object',
      properties: { a: {} },
      patternProperties: { '^x-': { type: 'string' }, '^n\\d+$': { type: 'number' } },
      additionalProperties: { type: 'boolean' },
    },
    values: [{ a: 1, 'x-one': 2, n1: 'z', other: 'no', more: true }],
  },
  {
    name: 'propertyNames',
    schema: { type: 'object', propertyNames: { pattern: '^[a-z]+$', maxLength: 3 } },
    values: [{ ok: 1, BAD: 2, long: 3 }],
  },
  {
    name: 'dependencies',
    schema: { type: 'object', dependencies: { card: ['address', 'name'], vip: { required: ['since'] }, one: ['two'] } },
    values: [{ card: 1 }, { card: 1, address: 1, name: 1 }, { vip: true, one: 1 }, { vip: true, since: 1, one: 1, two: 2 }],
  },
  { name: 'anyOf', schema: { anyOf: [{ type: 'string', minLength: 3 }, { type: 'number' }] }, values: ['ab', 3, 'abc', null] },
  {
    name: 'oneOf',
    schema: { oneOf: [{ type: 'number', multipleOf: 2 }, { type: 'number', multipleOf: 3 }, { type: 'string' }] },
    values: [4, 9, 6, 'x', 1, null],
  },
  { name: 'oneOf where three pass', schema: { oneOf: [{ type: 'number' }, { minimum: 0 }, { maximum: 10 }] }, values: [5, -1, 20] },
  {
    name: 'allOf and not',
    schema: { allOf: [{ type: 'object', required: ['a'] }, { not: { required: ['b'] } }] },
    values: [{}, { a: 1, b: 2 }, { a: 1 }],
  },
  {
    name: 'if/then/else',
    schema: {
      type: 'object',
      if: { properties: { kind: { const: 'card' } } },
      then: { required: ['number'] },
      else: { required: ['iban'] },
    },
    values: [{ kind: 'card' }, { kind: 'bank' }, { kind: 'card', number: 1 }],
  },
  { name: 'if/then only', schema: { if: { type: 'number' }, then: { minimum: 10 } }, values: [5, 'x', 12] },
  {
    name: 'refs and definitions',
    schema: {
      type: 'object',
      properties: { tags: { type: 'array', items: { $ref: '#/definitions/Tag' } }, self: { $ref: '#' } },
      definitions: { Tag: { type: 'object', properties: { key: { enum: ['a', 'b'] } }, required: ['key'] } },
    },
    values: [{ tags: [{ key: 'c' }, {}], self: { tags: [{}] } }, { tags: [{ key: 'a' }] }],
  },
  {
    name: 'ref with siblings',
    schema: { definitions: { N: { type: 'number' } }, $ref: '#/definitions/N', minimum: 3 },
    values: [1, 'x', 4],
  },
  {
    name: 'boolean schemas',
    schema: { type: 'object', properties: { never: false, always: true }, additionalProperties: false },
    values: [{ never: 1, always: 2 }, { other: 1 }],
  },
  {
    name: 'nested instance paths',
    schema: {
      type: 'object',
      properties: {
        a: {
          type: 'array',
          items: { type: 'object', properties: { 'b/c': { type: 'object', properties: { '~d': { type: 'string' } } } } },
        },
      },
    },
    values: [{ a: [{ 'b/c': { '~d': 1 } }] }],
  },
];

const BAD_SCHEMAS: unknown[] = [
  { type: 'object', properties: { a: { type: 'string', pattern: '(?i)abc' } } },
  { type: 'strnig' },
  { type: 'object', required: 'a' },
  { minimum: '5' },
  { $ref: '#/definitions/missing' },
  { $ref: 'https://x.example/s.json' },
  { type: 'object', patternProperties: { '(': { type: 'string' } } },
  { $schema: 'https://example.com/my-own-dialect', type: 'object' },
  { items: 5 },
];

/** Formats only ajv-formats and rjsf define: the library does not check them (tolerated, as unknown formats). */
const FORMATS_NOT_CHECKED = new Set(['int32', 'color']);

/**
 * What the library does not report as Ajv does, taken out of both sides:
 * - formats only ajv-formats / rjsf define;
 * - uniqueItems' params (Ajv names the duplicate pair) and the suffix of its message;
 * - the errors of oneOf's failing branches when several pass (Ajv stops looking at the second that passes);
 * - the per-item errors under a `contains` none of whose items match (the library keeps only `contains`).
 */
function accepted(errors: ErrorObject[]): Array<Record<string, unknown>> {
  const severalPassing = errors
    .filter((e) => e.keyword === 'oneOf' && Array.isArray(e.params.passingSchemas))
    .map((e) => `${e.schemaPath}/`);
  return errors
    .filter((e) => !(e.keyword === 'format' && FORMATS_NOT_CHECKED.has(String(e.params.format))))
    .filter((e) => !severalPassing.some((prefix) => e.schemaPath.startsWith(prefix)))
    .filter((e) => !e.schemaPath.includes('/contains/'))
    .map((e) => {
      const { instancePath, schemaPath, keyword, params, message, propertyName } = e;
      const comparedParams = keyword === 'uniqueItems' ? {} : params;
      const comparedMessage = keyword === 'uniqueItems' ? 'must NOT have duplicate items' : message;
      return {
        instancePath,
        schemaPath,
        keyword,
        params: comparedParams,
        message: comparedMessage,
        ...(propertyName !== undefined ? { propertyName } : {}),
      };
    })
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function comparable(result: { errors?: ErrorObject[]; validationError?: Error }) {
  return { refused: result.validationError !== undefined, errors: accepted(result.errors ?? []) };
}

describe('rawValidation: the library finds what Ajv finds', () => {
  for (const { name, schema, values } of CASES) {
    it(name, () => {
      for (const value of values) {
        const expected = comparable(realAjv.rawValidation<ErrorObject>(schema as RJSFSchema, value));
        const actual = comparable(formValidator.rawValidation<ErrorObject>(schema as RJSFSchema, value));
        expect(actual, `${name}: ${JSON.stringify(value)}`).toEqual(expected);
      }
      // The corpus is not vacuous: each case has a failing value.
      expect(values.some((value) => (realAjv.rawValidation(schema as RJSFSchema, value).errors ?? []).length > 0)).toBe(true);
    });
  }

  it('reports errors in the order Ajv does, a combinator after its branches', () => {
    const schema = {
      type: 'object',
      properties: { v: { anyOf: [{ type: 'string', minLength: 3 }, { type: 'number' }] } },
      required: ['w'],
    } as RJSFSchema;
    const keywords = (result: { errors?: ErrorObject[] }) => (result.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
    expect(keywords(formValidator.rawValidation<ErrorObject>(schema, { v: 'ab' }))).toEqual(
      keywords(realAjv.rawValidation<ErrorObject>(schema, { v: 'ab' })),
    );
  });

  it('tolerates formats it does not know, as Ajv with strict: false', () => {
    const schema = {
      type: 'object',
      properties: { n: { type: 'integer', format: 'int32' }, c: { format: 'color' }, p: { format: 'phone-number' } },
    } as RJSFSchema;
    const result = formValidator.rawValidation(schema, { n: 2 ** 40, c: 'nope', p: '?' });
    expect(result.validationError).toBeUndefined();
    expect(result.errors).toBeUndefined();
  });

  it.each(BAD_SCHEMAS.map((schema) => [JSON.stringify(schema), schema]))('refuses what Ajv refuses to compile: %s', (_, schema) => {
    expect(realAjv.rawValidation(schema as RJSFSchema, {}).validationError).toBeInstanceOf(Error);
    const ours = formValidator.rawValidation(schema as RJSFSchema, {});
    expect(ours.validationError).toBeInstanceOf(Error);
    expect(ours.errors).toBeUndefined();
  });

  it('treats a property left undefined (a cleared form field) as absent, as Ajv does', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a'] } as RJSFSchema;
    const value = { a: undefined, b: undefined };
    expect(comparable(formValidator.rawValidation<ErrorObject>(schema, value))).toEqual(
      comparable(realAjv.rawValidation<ErrorObject>(schema, value)),
    );
    expect(formValidator.rawValidation<ErrorObject>(schema, value).errors?.map((e) => e.params.missingProperty)).toEqual(['a']);
  });
});

describe('dialects Ajv (draft-07) refused', () => {
  const failures = (schema: unknown, value: unknown) => {
    const { errors, validationError } = formValidator.rawValidation<ErrorObject>(schema as RJSFSchema, value);
    expect(validationError).toBeUndefined();
    return (errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`).sort();
  };

  it('validates a 2020-12 schema as 2020-12: $defs, prefixItems, dependentRequired', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false },
        tag: { $ref: '#/$defs/Tag' },
      },
      dependentRequired: { card: ['address'] },
      $defs: { Tag: { type: 'string', minLength: 2 } },
    };
    expect(failures(schema, { point: [1, 2], tag: 'ok' })).toEqual([]);
    expect(failures(schema, { point: [1, 'x', 3], tag: 'a', card: 1 })).toEqual([
      ' dependentRequired',
      '/point/1 type',
      '/point/2 false schema',
      '/tag minLength',
    ]);
  });

  it('applies unevaluatedProperties (2019-09 and later) across allOf', () => {
    const schema = { allOf: [{ properties: { a: { type: 'number' } } }], properties: { b: {} }, unevaluatedProperties: false };
    expect(failures(schema, { a: 1, b: 2 })).toEqual([]);
    const { errors } = formValidator.rawValidation<ErrorObject>(schema as RJSFSchema, { a: 1, b: 2, c: 3 });
    expect(errors?.map((e) => [e.instancePath, e.keyword, e.params.unevaluatedProperty])).toEqual([['', 'unevaluatedProperties', 'c']]);
  });

  it('reads a $ref beside other keywords as 2020-12 does (both apply), and as draft-07 does when declared (the $ref alone)', () => {
    const modern = { $defs: { N: { type: 'number' } }, $ref: '#/$defs/N', minimum: 3 };
    expect(failures(modern, 1)).toEqual([' minimum']);
    const draft07 = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: { N: { type: 'number' } },
      $ref: '#/definitions/N',
      minimum: 3,
    };
    expect(failures(draft07, 1)).toEqual([]);
    expect(failures(draft07, 'x')).toEqual([' type']);
  });
});

describe('hostile schemas: refused or stopped, never a hang or a stack overflow', () => {
  const refusal = (schema: unknown) => {
    const { errors, validationError } = formValidator.rawValidation(schema as RJSFSchema, { a: 1 });
    expect(errors).toBeUndefined();
    return validationError?.message;
  };

  it.each([
    [
      'two definitions referring to each other',
      { definitions: { a: { $ref: '#/definitions/b' }, b: { $ref: '#/definitions/a' } }, $ref: '#/definitions/a' },
    ],
    ['the root referring to itself', { $ref: '#' }],
    [
      'a cycle through allOf, anyOf and not',
      {
        definitions: { a: { allOf: [{ anyOf: [{ not: { $ref: '#/definitions/a' } }] }] } },
        properties: { a: { $ref: '#/definitions/a' } },
      },
    ],
    [
      'a cycle through if/then and dependencies',
      {
        type: 'object',
        if: { $ref: '#/definitions/x' },
        definitions: { x: { dependencies: { a: { then: { $ref: '#/definitions/x' }, if: true } } } },
      },
    ],
  ])('refuses a $ref cycle that never moves into the value: %s', (_, schema) => {
    expect(refusal(schema)).toMatch(/refers to itself without moving into the value/);
    expect(validateStructuredContent(schema, { a: 1 })).toMatchObject({ status: 'schema-error' });
    const prepared = prepareToolSchema(schema);
    expect(prepared.ok).toBe(false);
    if (!prepared.ok) expect(prepared.reason).toMatch(/refers to itself/);
  });

  it('accepts recursion that moves into the value, and finds the error at the deepest level', () => {
    const tree = {
      $ref: '#/$defs/Node',
      $defs: {
        Node: {
          type: 'object',
          properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
          required: ['label'],
        },
      },
    };
    let value: Record<string, unknown> = {};
    let path = '';
    for (let depth = 0; depth < 60; depth++) {
      value = { label: `n${depth}`, children: [value] };
      path += '/children/0';
    }
    const { errors, validationError } = formValidator.rawValidation<ErrorObject>(tree as RJSFSchema, value);
    expect(validationError).toBeUndefined();
    expect(errors?.map((e) => `${e.instancePath} ${e.keyword} ${String(e.params.missingProperty)}`)).toEqual([`${path} required label`]);
  });

  it('stops a schema whose references branch out exponentially (2^40 paths), with a clear error instead of hanging', () => {
    const $defs: Record<string, unknown> = { a40: { type: 'number' } };
    for (let i = 0; i < 40; i++) $defs[`a${i}`] = { allOf: [{ $ref: `#/$defs/a${i + 1}` }, { $ref: `#/$defs/a${i + 1}` }] };
    const schema = { $ref: '#/$defs/a0', $defs };
    expect(formValidator.rawValidation(schema as RJSFSchema, 1).validationError?.message).toMatch(/branches out too much/);
    expect(validateStructuredContent({ type: 'object', properties: { v: { $ref: '#/$defs/a0' } }, $defs }, { v: 1 })).toMatchObject({
      status: 'schema-error',
      message: expect.stringMatching(/branches out too much/),
    });
    // A value failing at every leaf piles up errors faster than references: stopped all the same.
    expect(formValidator.rawValidation(schema as RJSFSchema, 'x').validationError?.message).toMatch(/Checking stopped/);
  });

  it('reports a value nested too deeply to check instead of overflowing the stack', () => {
    const schema = { $ref: '#/$defs/N', $defs: { N: { type: 'object', properties: { a: { $ref: '#/$defs/N' } } } } };
    const value = JSON.parse(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`) as unknown;
    expect(formValidator.rawValidation(schema as RJSFSchema, value).validationError?.message).toMatch(/nested too deeply/);
    expect(validateStructuredContent(schema, value)).toMatchObject({
      status: 'schema-error',
      message: expect.stringMatching(/nested too deeply/),
    });
  });

  it('refuses a schema nested too deeply to use instead of overflowing the stack', () => {
    const schema = JSON.parse(`${'{"properties":{"a":'.repeat(20000)}{}${'}}'.repeat(20000)}`) as unknown;
    expect(formValidator.rawValidation(schema as RJSFSchema, {}).validationError?.message).toMatch(/nested too deeply/);
    const prepared = prepareToolSchema(schema);
    expect(prepared.ok).toBe(false);
    if (!prepared.ok) expect(prepared.reason).toMatch(/nested too deeply/);
    expect(validateStructuredContent(schema, {})).toMatchObject({
      status: 'schema-error',
      message: expect.stringMatching(/nested too deeply/),
    });
  });
});

describe('rjsf over the library', () => {
  const root = {
    type: 'object',
    definitions: {
      Pet: {
        oneOf: [
          { type: 'object', properties: { kind: { const: 'cat' }, lives: { type: 'integer', maximum: 9 } }, required: ['kind'] },
          { type: 'object', properties: { kind: { const: 'dog' } }, required: ['kind'] },
        ],
      },
    },
    properties: { pet: { $ref: '#/definitions/Pet' }, size: { type: 'integer', maximum: 32, title: 'Size' } },
    required: ['size'],
  } as RJSFSchema;

  it('validates form data into the same errors and error schema', () => {
    for (const data of [{ size: 33, pet: { kind: 'cat', lives: 10 } }, {}, { size: 3, pet: { kind: 'dog' } }]) {
      const expected = realAjv.validateFormData(data, root);
      const actual = formValidator.validateFormData(data, root);
      expect(actual.errors.map((e) => [e.property, e.message, e.stack])).toEqual(
        expected.errors.map((e) => [e.property, e.message, e.stack]),
      );
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
  it('resolves references against the root schema registered now, not one registered before', () => {
    const validator = customizeValidator({
      AjvClass: CfworkerAjv as unknown as NonNullable<Parameters<typeof customizeValidator>[0]>['AjvClass'],
    });
    const option = { $ref: '#/definitions/Id' } as RJSFSchema;
    const numbers = { definitions: { Id: { type: 'number' } } } as RJSFSchema;
    const strings = { definitions: { Id: { type: 'string' } } } as RJSFSchema;
    expect(validator.isValid(option, 5, numbers)).toBe(true);
    expect(validator.isValid(option, 5, strings)).toBe(false);
    expect(validator.isValid(option, 'x', strings)).toBe(true);
  });
});

describe('no generated code', () => {
  afterEach(() => vi.restoreAllMocks());

  it('compiles and validates without the Function constructor or eval', () => {
    const ajv = new CfworkerAjv();
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
