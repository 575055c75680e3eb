// "How this form differs from the schema" shows only when it does: rewrites that say the same thing are not news.
import { describe, expect, it } from 'vitest';
import { prepareToolSchema } from '@/lib/schema-form';

function notesOf(schema: unknown): string[] {
  const prepared = prepareToolSchema(schema);
  if (!prepared.ok) throw new Error(prepared.reason);
  return prepared.notes;
}

const DIALECT_2020 = 'https://json-schema.org/draft/2020-12/schema';

describe('form differences', () => {
  it.each<[string, unknown, RegExp[]]>([
    ['a plain 2020-12 schema', { $schema: DIALECT_2020, type: 'object', properties: { a: { type: 'string' } } }, []],
    [
      'a draft-07 schema',
      { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { a: { type: 'number' } } },
      [],
    ],
    ['OpenAPI nullable', { type: 'object', properties: { a: { type: 'string', nullable: true } } }, []],
    ['draft-04 boolean bounds', { type: 'object', properties: { n: { type: 'number', minimum: 0, exclusiveMinimum: true } } }, []],
    [
      '2020-12 prefixItems and dependentRequired',
      {
        $schema: DIALECT_2020,
        type: 'object',
        properties: { p: { type: 'array', prefixItems: [{ type: 'string' }] } },
        dependentRequired: { a: ['b'] },
      },
      [],
    ],
    ['a multi-type field (a choice in the form)', { type: 'object', properties: { id: { type: ['string', 'integer'] } } }, []],
    ['a nullable root', { type: ['object', 'null'], properties: {} }, []],
    [
      'if/then/else',
      {
        type: 'object',
        properties: { country: { type: 'string' } },
        if: { properties: { country: { const: 'US' } } },
        then: { required: ['zip'] },
      },
      [/does not show a condition \(if\/then\/else\) at the top level; it is still checked/],
    ],
    ['not', { type: 'object', properties: { a: { type: 'string', not: { const: 'x' } } } }, [/an exclusion \(not\) at \/properties\/a/]],
    [
      'propertyNames and patternProperties',
      { type: 'object', propertyNames: { pattern: '^[a-z]+$' }, patternProperties: { '^x-': { type: 'string' } } },
      [/field names \(propertyNames\)/, /named by a pattern \(patternProperties\)/],
    ],
    [
      'contains',
      { type: 'object', properties: { l: { type: 'array', contains: { const: 1 } } } },
      [/list items \(contains\) at \/properties\/l/],
    ],
    [
      'a multi-type field that also has anyOf',
      { type: 'object', properties: { v: { type: ['string', 'number'], anyOf: [{ minLength: 1 }, { minimum: 0 }] } } },
      [/offers it only as string/],
    ],
  ])('%s', (_name, schema, expected) => {
    const notes = notesOf(schema);
    expect(notes).toHaveLength(expected.length);
    expected.forEach((pattern, index) => expect(notes[index]).toMatch(pattern));
  });

  it('still records every rewrite for the curious', () => {
    const prepared = prepareToolSchema({ $schema: DIALECT_2020, type: 'object', properties: { a: { type: 'string', nullable: true } } });
    expect(prepared.ok && prepared.rewrites.length).toBeGreaterThanOrEqual(2);
  });

  it('does not count a false subschema (not: {}) as a rule to explain', () => {
    expect(notesOf({ type: 'object', properties: { a: false } })).toEqual([]);
  });
});
