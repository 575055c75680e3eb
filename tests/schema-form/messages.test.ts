// Errors in words tied to the field and to the oneOf/anyOf branch the value was meant for.
import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { errorInWords, prepareToolSchema, validateWithSchema, wordedFormValidator, type JsonSchema } from '@/lib/schema-form';

function prepared(input: unknown): JsonSchema {
  const result = prepareToolSchema(input);
  if (!result.ok) throw new Error(result.reason);
  return result.schema;
}

const SHAPE = prepared({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    shape: {
      oneOf: [
        {
          title: 'Circle',
          type: 'object',
          properties: { kind: { const: 'circle' }, radius: { type: 'number', exclusiveMinimum: 0 } },
          required: ['kind', 'radius'],
        },
        {
          title: 'Square',
          type: 'object',
          properties: { kind: { const: 'square' }, side: { type: 'number', minimum: 1 } },
          required: ['kind', 'side'],
        },
      ],
    },
    amount: {
      anyOf: [
        { type: 'number', minimum: 0 },
        { type: 'string', pattern: '^[0-9]+%$' },
      ],
    },
    units: { const: 'cm' },
  },
  required: ['shape'],
});

function errorsFor(value: unknown): Array<{ path: string; message: string }> {
  const { errors } = wordedFormValidator.rawValidation<ErrorObject>(SHAPE, value);
  return (errors ?? []).map((error) => ({ path: error.instancePath, message: error.message ?? '' }));
}

describe('errorInWords', () => {
  it.each<[Partial<ErrorObject> & { keyword: string }, string]>([
    [{ keyword: 'const', params: { allowedValue: 'cm' } }, 'Must be exactly “cm”.'],
    [{ keyword: 'enum', params: { allowedValues: ['a', 'b', 'c'] } }, 'Must be one of “a”, “b” or “c”.'],
    [{ keyword: 'type', params: { type: 'integer' } }, 'Must be a whole number.'],
    [{ keyword: 'type', params: { type: ['string', 'null'] } }, 'Must be text or empty (null).'],
    [
      { keyword: 'required', params: { missingProperty: 'name' }, parentSchema: { properties: { name: { title: 'Full name' } } } },
      '“Full name” is required.',
    ],
    [{ keyword: 'minLength', params: { limit: 1 } }, 'Cannot be empty.'],
    [{ keyword: 'maxLength', params: { limit: 3 } }, 'Must be at most 3 characters long.'],
    [{ keyword: 'maximum', params: { comparison: '<=', limit: 32 } }, 'Must be at most 32.'],
    [{ keyword: 'exclusiveMinimum', params: { comparison: '>', limit: 0 } }, 'Must be more than 0.'],
    [{ keyword: 'format', params: { format: 'email' } }, 'Must be an email address.'],
    [{ keyword: 'format', params: { format: 'x-custom' } }, 'Must be in the format “x-custom”.'],
    [{ keyword: 'additionalProperties', params: { additionalProperty: 'extra' } }, '“extra” is not a field this schema accepts.'],
    [{ keyword: 'minItems', params: { limit: 1 } }, 'Needs at least 1 item.'],
    [{ keyword: 'uniqueItems', params: {} }, 'Every item must be different.'],
  ])('%j → %s', (error, words) => {
    expect(errorInWords({ message: 'raw', params: {}, ...error })).toBe(words);
  });
});

describe('oneOf / anyOf errors name the branch the value was meant for', () => {
  it('a filled circle with a bad radius: only the radius speaks, never the other branch or the raw oneOf', () => {
    const errors = errorsFor({ shape: { kind: 'circle', radius: -1 } });
    expect(errors).toEqual([{ path: '/shape/radius', message: 'Must be more than 0.' }]);
  });

  it('a square missing its side says so at the square, not "must be equal to constant"', () => {
    const errors = errorsFor({ shape: { kind: 'square' } });
    expect(errors).toEqual([{ path: '/shape', message: '“side” is required.' }]);
    expect(JSON.stringify(errors)).not.toMatch(/constant|oneOf|circle/i);
  });

  it('a scalar anyOf names the chosen branch and what is wrong with it', () => {
    const errors = errorsFor({ shape: { kind: 'circle', radius: 1 }, amount: -5 });
    expect(errors).toEqual([{ path: '/amount', message: 'Does not fit the choice “a number”: must be at least 0.' }]);
    const text = errorsFor({ shape: { kind: 'circle', radius: 1 }, amount: '5' });
    expect(text).toEqual([{ path: '/amount', message: 'Does not fit the choice “text”: must match the pattern ^[0-9]+%$.' }]);
  });

  it('a value that fits two branches of a oneOf says which two', () => {
    const schema = prepared({
      type: 'object',
      properties: {
        v: {
          oneOf: [
            { type: 'number', title: 'Number' },
            { type: 'integer', title: 'Whole' },
          ],
        },
      },
    });
    const { errors } = wordedFormValidator.rawValidation<ErrorObject>(schema, { v: 3 });
    expect(errors?.map((error) => error.message)).toEqual(['Fits more than one choice (“Number” and “Whole”), but exactly one may match.']);
  });

  it('a const field with another value is told the fixed value', () => {
    expect(errorsFor({ shape: { kind: 'circle', radius: 1 }, units: 'mm' })).toEqual([
      { path: '/units', message: 'Must be exactly “cm”.' },
    ]);
  });

  it('validateWithSchema lists each error with its place and a pointer for the JSON editor', () => {
    const result = validateWithSchema(SHAPE, { shape: { kind: 'circle', radius: 0 }, units: 'mm' });
    expect(result).toEqual({
      status: 'invalid',
      errors: ['shape.radius: Must be more than 0.', 'units: Must be exactly “cm”.'],
      details: [
        { pointer: '/shape/radius', message: 'Must be more than 0.' },
        { pointer: '/units', message: 'Must be exactly “cm”.' },
      ],
    });
  });
});
