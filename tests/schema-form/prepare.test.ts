import { describe, expect, it } from 'vitest';
import { prepareToolSchema, validateStructuredContent, validateWithSchema, type JsonSchema } from '@/lib/schema-form';

function renderable(input: unknown): JsonSchema {
  const prepared = prepareToolSchema(input);
  if (!prepared.ok) throw new Error(`expected renderable, got: ${prepared.reason}`);
  return prepared.schema;
}

describe('prepareToolSchema', () => {
  it('accepts an empty or missing schema as an object with no fields', () => {
    expect(renderable(undefined)).toEqual({ type: 'object' });
    expect(renderable({})).toEqual({ type: 'object' });
  });

  it('refuses a non-object root with a reason that names the type', () => {
    const prepared = prepareToolSchema({ type: 'string' });
    expect(prepared.ok).toBe(false);
    if (!prepared.ok) expect(prepared.reason).toContain('"string"');
  });

  it('refuses a schema that is not a schema at all', () => {
    const prepared = prepareToolSchema('nope');
    expect(prepared.ok).toBe(false);
  });

  it('falls back with the ref problem as the reason', () => {
    const prepared = prepareToolSchema({ type: 'object', properties: { a: { $ref: 'other.json#/x' } } });
    expect(prepared.ok).toBe(false);
    if (!prepared.ok) {
      expect(prepared.reason).toMatch(/external schema/);
      expect(prepared.validatable).toBe(false);
    }
  });

  it('falls back when Ajv cannot compile the schema (invalid regex)', () => {
    const prepared = prepareToolSchema({ type: 'object', properties: { a: { type: 'string', pattern: '(?i)abc' } } });
    expect(prepared.ok).toBe(false);
    if (!prepared.ok) expect(prepared.reason).toMatch(/cannot be compiled/);
  });

  it('validates 2020-12 schemas after normalisation, catching wrong arguments', () => {
    const schema = renderable({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        user: {
          type: 'object',
          properties: { name: { type: 'string', minLength: 1 }, age: { type: ['integer', 'null'], minimum: 0 } },
          required: ['name'],
        },
        tags: { type: 'array', items: { $ref: '#/$defs/Tag' } },
        when: { type: 'string', format: 'date-time' },
      },
      $defs: { Tag: { type: 'object', properties: { key: { enum: ['a', 'b'] } }, required: ['key'] } },
      required: ['user'],
    });
    expect(validateWithSchema(schema, { user: { name: 'x', age: null }, tags: [{ key: 'a' }] })).toEqual({
      status: 'valid',
    });
    const bad = validateWithSchema(schema, { user: { age: -1 }, tags: [{ key: 'c' }], when: 'yesterday' });
    expect(bad.status).toBe('invalid');
    if (bad.status === 'invalid') {
      // In words, each with its place (lib/schema-form/messages.ts).
      expect(bad.errors).toContain('user: “name” is required.');
      expect(bad.errors).toContain('user.age: Must be at least 0.');
      expect(bad.errors).toContain('tags.0.key: Must be one of “a” or “b”.');
      expect(bad.errors).toContain('when: Must be a date and time (e.g. 2025-01-31T12:00:00Z).');
    }
  });
});

describe('validateStructuredContent', () => {
  const outputSchema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { total: { type: 'number' }, items: { type: 'array', items: { type: 'string' } } },
    required: ['total'],
    additionalProperties: false,
  };

  it('accepts matching structured content', () => {
    expect(validateStructuredContent(outputSchema, { total: 3, items: ['a'] })).toEqual({ status: 'valid' });
  });

  it('lists every mismatch', () => {
    const result = validateStructuredContent(outputSchema, { items: [1], extra: true });
    expect(result.status).toBe('invalid');
    if (result.status === 'invalid') {
      expect(result.errors).toEqual(
        expect.arrayContaining([
          "(root): must have required property 'total'",
          '(root): must NOT have additional properties ("extra")',
          'items.0: must be string',
        ]),
      );
    }
  });

  it('reports an unusable output schema instead of calling the content invalid', () => {
    expect(validateStructuredContent({ $ref: 'https://x.example/s.json' }, {}).status).toBe('schema-error');
  });
});
