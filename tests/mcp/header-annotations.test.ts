// SEP-2243's rules for x-mcp-header declarations, one row per rule (the suite's http-invalid-tool-headers tools).
import { describe, expect, it } from 'vitest';
import { headerAnnotationProblem } from '@/lib/mcp/header-annotations';

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });

describe('headerAnnotationProblem', () => {
  it.each([
    ['no annotation at all', object({ a: { type: 'string' } })],
    ['a string property', object({ region: { type: 'string', 'x-mcp-header': 'Region' } })],
    [
      'integer and boolean, nested through properties',
      object({ outer: object({ n: { type: 'integer', 'x-mcp-header': 'N' }, b: { type: 'boolean', 'x-mcp-header': 'Flag' } }) }),
    ],
    ['token characters', object({ a: { type: 'string', 'x-mcp-header': "X-!#$%&'*+.^_`|~9" } })],
    ['no schema', undefined],
  ])('accepts %s', (_name, schema) => {
    expect(headerAnnotationProblem(schema)).toBeUndefined();
  });

  it.each([
    ['an empty name', object({ v: { type: 'string', 'x-mcp-header': '' } }), /non-empty string/],
    ['a name that is not a string', object({ v: { type: 'string', 'x-mcp-header': 7 } }), /non-empty string/],
    ['a space in the name', object({ v: { type: 'string', 'x-mcp-header': 'My Header' } }), /RFC 9110 token/],
    ['a colon in the name', object({ v: { type: 'string', 'x-mcp-header': 'My:Header' } }), /RFC 9110 token/],
    ['a non-ASCII name', object({ v: { type: 'string', 'x-mcp-header': 'Régión' } }), /RFC 9110 token/],
    ['a control character', object({ v: { type: 'string', 'x-mcp-header': 'A\u0001B' } }), /RFC 9110 token/],
    ['an object property', object({ v: { type: 'object', 'x-mcp-header': 'V' } }), /string, integer or boolean.*not object/],
    ['an array property', object({ v: { type: 'array', 'x-mcp-header': 'V' } }), /not array/],
    ['a null property', object({ v: { type: 'null', 'x-mcp-header': 'V' } }), /not null/],
    ['a number property', object({ v: { type: 'number', 'x-mcp-header': 'V' } }), /not number/],
    ['an untyped property', object({ v: { 'x-mcp-header': 'V' } }), /untyped/],
    [
      'the same name twice',
      object({ a: { type: 'string', 'x-mcp-header': 'Region' }, b: { type: 'string', 'x-mcp-header': 'Region' } }),
      /repeats/,
    ],
    [
      'the same name in another case',
      object({ a: { type: 'string', 'x-mcp-header': 'Region' }, b: { type: 'string', 'x-mcp-header': 'REGION' } }),
      /regardless of case/,
    ],
    ['an annotation on the root', { type: 'object', 'x-mcp-header': 'Root', properties: {} }, /only allowed on properties/],
    [
      'an annotation under items',
      object({ list: { type: 'array', items: { type: 'string', 'x-mcp-header': 'Item' } } }),
      /only allowed on properties/,
    ],
    ['an annotation under anyOf', object({ a: { anyOf: [{ type: 'string', 'x-mcp-header': 'A' }] } }), /only allowed on properties/],
    ['an annotation in $defs', object({}, { $defs: { d: { type: 'string', 'x-mcp-header': 'D' } } }), /only allowed on properties/],
  ])('refuses %s', (_name, schema, reason) => {
    expect(headerAnnotationProblem(schema)).toMatch(reason);
  });
});
