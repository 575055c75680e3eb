import { describe, expect, it } from 'vitest';
import { normalizeSchema } from '@/lib/schema-form';

describe('normalizeSchema', () => {
  it('keeps a two-type nullable as rjsf understands it and splits wider unions into anyOf branches', () => {
    const { schema, problems } = normalizeSchema({
      type: 'object',
      properties: {
        nick: { type: ['string', 'null'] },
        id: { type: ['string', 'integer'], minLength: 2, minimum: 1 },
      },
    });
    expect(problems).toEqual([]);
    const props = schema.properties as Record<string, Record<string, unknown>>;
    expect(props.nick.type).toEqual(['string', 'null']);
    expect(props.id.type).toBeUndefined();
    expect(props.id.anyOf).toEqual([
      { type: 'string', title: 'string', minLength: 2 },
      { type: 'integer', title: 'integer', minimum: 1 },
    ]);
    expect(props.id.minLength).toBeUndefined();
  });

  it('reads OpenAPI nullable and draft-04 boolean exclusive bounds', () => {
    const { schema, notes } = normalizeSchema({
      type: 'object',
      properties: {
        a: { type: 'string', nullable: true },
        n: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 5, exclusiveMaximum: false },
      },
    });
    const props = schema.properties as Record<string, Record<string, unknown>>;
    expect(props.a).toEqual({ type: ['string', 'null'] });
    expect(props.n).toEqual({ type: 'number', exclusiveMinimum: 0, maximum: 5 });
    expect(notes.length).toBeGreaterThanOrEqual(2);
  });

  it('rewrites 2020-12 prefixItems and dependentRequired and drops $schema/$id', () => {
    const { schema } = normalizeSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://example.com/tool',
      type: 'object',
      properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false } },
      dependentRequired: { a: ['b'] },
    });
    expect(schema.$schema).toBeUndefined();
    expect(schema.$id).toBeUndefined();
    expect(schema.dependencies).toEqual({ a: ['b'] });
    const pair = (schema.properties as Record<string, Record<string, unknown>>).pair;
    expect(pair.items).toEqual([{ type: 'string' }, { type: 'number' }]);
    expect(pair.additionalItems).toBe(false);
  });

  it('keeps local $defs refs, rewrites anchors and root-id refs to pointers, and never touches data keywords', () => {
    const { schema, problems } = normalizeSchema({
      $id: 'https://example.com/s.json',
      type: 'object',
      $defs: { Addr: { $anchor: 'addr', type: 'object', properties: { city: { type: 'string' } } } },
      properties: {
        home: { $ref: '#/$defs/Addr' },
        work: { $ref: '#addr' },
        other: { $ref: 'https://example.com/s.json#/$defs/Addr' },
        kind: { enum: [{ type: ['x', 'y'] }], default: { type: ['a', 'b'] } },
      },
    });
    expect(problems).toEqual([]);
    const props = schema.properties as Record<string, Record<string, unknown>>;
    expect(props.home.$ref).toBe('#/$defs/Addr');
    expect(props.work.$ref).toBe('#/$defs/Addr');
    expect(props.other.$ref).toBe('#/$defs/Addr');
    expect(props.kind.default).toEqual({ type: ['a', 'b'] });
    expect(props.kind.enum).toEqual([{ type: ['x', 'y'] }]);
    expect((schema.$defs as Record<string, Record<string, unknown>>).Addr.$anchor).toBeUndefined();
  });

  it('reports external, dangling and dynamic refs as problems with their location', () => {
    const { problems } = normalizeSchema({
      type: 'object',
      properties: {
        a: { $ref: 'https://other.example/schema.json' },
        b: { $ref: '#/$defs/Missing' },
        c: { $dynamicRef: '#node' },
        d: { $ref: '#nowhere' },
      },
    });
    expect(problems).toHaveLength(4);
    const find = (pattern: RegExp) => problems.find((p) => pattern.test(p));
    expect(find(/external schema/)).toContain('/properties/a');
    expect(find(/points to nothing/)).toContain('/properties/b');
    expect(find(/\$dynamicRef/)).toContain('/properties/c');
    expect(find(/anchor that does not exist/)).toContain('/properties/d');
  });

  it('turns boolean subschemas into objects', () => {
    const { schema } = normalizeSchema({ type: 'object', properties: { any: true, never: false } });
    expect(schema.properties).toEqual({ any: { title: 'any' }, never: { not: {} } });
  });
});
