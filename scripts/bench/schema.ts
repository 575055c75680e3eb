// The tool forms' validator (rjsf over @cfworker/json-schema, lib/schema-form) on a big tool schema, beside
// rjsf over real Ajv (compiled code, which the browser's CSP forbids) in the same process: the first check of a
// schema (what prepareToolSchema does when a tool is opened), a check of typical arguments (what the form does
// on every change once it validates live), and a check of a large structuredContent against an outputSchema.
// Rounds interleave the two sides; figures are medians.
import { customizeValidator } from '@rjsf/validator-ajv8';
import type { RJSFSchema } from '@rjsf/utils';
import { formValidator } from '../../lib/schema-form';
import { CfworkerAjv } from '../../lib/schema-form/cfworker-ajv';
import { median } from './stats';

type Validator = Pick<typeof formValidator, 'rawValidation'>;

export interface SchemaTimings {
  properties: number;
  definitions: number;
  schemaBytes: number;
  bigValueBytes: number;
  /** First check of a fresh copy of the schema (compile + validate `{}`), ms per side. */
  firstCheck: { library: number[]; ajv: number[] };
  /** Checking typical arguments against the already checked schema. */
  arguments: { library: number[]; ajv: number[] };
  /** Checking the large value. */
  bigValue: { library: number[]; ajv: number[] };
  /** Both sides agree on which values are valid (a figure is meaningless otherwise). */
  agree: boolean;
}

/** A schema like a large real tool's: many properties, shared definitions, arrays of objects, formats, combinators. */
function bigToolSchema(properties: number, definitions: number): RJSFSchema {
  const defs: Record<string, unknown> = {};
  for (let d = 0; d < definitions; d++) {
    defs[`Item${d}`] = {
      type: 'object',
      properties: {
        id: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{3}$' },
        quantity: { type: 'integer', minimum: 1, maximum: 1000 },
        price: { type: 'number', multipleOf: 0.01, exclusiveMinimum: 0 },
        tags: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
        when: { type: 'string', format: 'date-time' },
        kind: { oneOf: [{ const: 'physical' }, { const: 'digital' }] },
        next: { anyOf: [{ $ref: `#/definitions/Item${(d + 1) % definitions}` }, { type: 'null' }] },
      },
      required: ['id', 'quantity'],
      additionalProperties: false,
    };
  }
  const props: Record<string, unknown> = {};
  for (let p = 0; p < properties; p++) {
    props[`field${p}`] =
      p % 4 === 0
        ? { type: 'array', items: { $ref: `#/definitions/Item${p % definitions}` } }
        : p % 4 === 1
          ? { type: 'string', enum: ['a', 'b', 'c', 'd'] }
          : p % 4 === 2
            ? { type: 'string', format: 'email', maxLength: 200 }
            : { type: ['integer', 'null'], minimum: 0 };
  }
  return { type: 'object', properties: props, required: ['field1'], definitions: defs } as RJSFSchema;
}

function item(i: number): Record<string, unknown> {
  return {
    id: `ABC-${String(i % 1000).padStart(3, '0')}`,
    quantity: 1 + (i % 50),
    price: 9.99,
    tags: ['x', `t${i}`],
    when: '2024-01-02T03:04:05Z',
    kind: 'digital',
    next: null,
  };
}

function time(work: () => void): number {
  const startedAt = performance.now();
  work();
  return performance.now() - startedAt;
}

export function measureSchemaValidation(rounds = 15): SchemaTimings {
  const properties = 400;
  const definitions = 100;
  const schema = bigToolSchema(properties, definitions);
  const args = { field0: [item(1), item(2)], field1: 'a', field2: 'someone@example.com', field3: 7 };
  const big: Record<string, unknown> = {};
  for (let p = 0; p < properties; p += 4) big[`field${p}`] = Array.from({ length: 40 }, (_, i) => item(p * 40 + i));
  big.field1 = 'b';
  const ajv = customizeValidator();
  const sides: Array<['library' | 'ajv', () => Validator]> = [
    [
      'library',
      () => customizeValidator({ AjvClass: CfworkerAjv as unknown as NonNullable<Parameters<typeof customizeValidator>[0]>['AjvClass'] }),
    ],
    ['ajv', () => customizeValidator()],
  ];
  const result: SchemaTimings = {
    properties,
    definitions,
    schemaBytes: JSON.stringify(schema).length,
    bigValueBytes: JSON.stringify(big).length,
    firstCheck: { library: [], ajv: [] },
    arguments: { library: [], ajv: [] },
    bigValue: { library: [], ajv: [] },
    agree: true,
  };
  for (const value of [args, big, { ...args, field3: -1 }, { ...big, field0: [{ id: 'bad' }] }]) {
    const ours = (formValidator.rawValidation(schema, value).errors ?? []).length === 0;
    const theirs = (ajv.rawValidation(schema, value).errors ?? []).length === 0;
    if (ours !== theirs) result.agree = false;
  }
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const [side, make] of order) {
      // A fresh validator and a fresh copy of the schema: nothing cached from the round before.
      const validator = make();
      const fresh = JSON.parse(JSON.stringify(schema)) as RJSFSchema;
      result.firstCheck[side].push(time(() => validator.rawValidation(fresh, {})));
      result.arguments[side].push(time(() => validator.rawValidation(fresh, args)));
      result.bigValue[side].push(time(() => validator.rawValidation(fresh, big)));
    }
  }
  return result;
}

export function summarize(timings: SchemaTimings): { firstCheck: [number, number]; args: [number, number]; big: [number, number] } {
  return {
    firstCheck: [median(timings.firstCheck.library), median(timings.firstCheck.ajv)],
    args: [median(timings.arguments.library), median(timings.arguments.ajv)],
    big: [median(timings.bigValue.library), median(timings.bigValue.ajv)],
  };
}
