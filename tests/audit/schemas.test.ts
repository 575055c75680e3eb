import { describe, expect, it } from 'vitest';
import { duplicateNames, notificationProblem, toolNameProblem, toolSchemaProblem } from '@/lib/audit';

describe('toolSchemaProblem', () => {
  it('accepts a 2020-12 object schema, with extension keywords', () => {
    expect(
      toolSchemaProblem({ type: 'object', properties: { a: { type: 'string', 'x-mcp-header': 'A' } }, required: ['a'] }, 'inputSchema'),
    ).toBeUndefined();
  });
  it('refuses a missing inputSchema, a root that is not an object, and an unknown type name', () => {
    expect(toolSchemaProblem(undefined, 'inputSchema')).toMatch(/required/);
    expect(toolSchemaProblem(undefined, 'outputSchema')).toBeUndefined();
    expect(toolSchemaProblem({ type: 'string' }, 'inputSchema')).toMatch(/not "object"/);
    expect(toolSchemaProblem({ type: 'object', properties: { a: { type: 'strin' } } }, 'inputSchema')).toMatch(
      /not valid JSON Schema 2020-12/,
    );
  });
  it('checks the dialect $schema names, and refuses one nobody knows', () => {
    const draft7 = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      definitions: { x: { type: 'string' } },
      properties: { a: { $ref: '#/definitions/x' } },
    };
    expect(toolSchemaProblem(draft7, 'inputSchema')).toBeUndefined();
    expect(toolSchemaProblem({ $schema: 'https://example.com/my-dialect', type: 'object' }, 'inputSchema')).toMatch(/dialect/);
  });
  it('refuses a schema that is valid but unusable (a $ref to nowhere)', () => {
    expect(toolSchemaProblem({ type: 'object', properties: { a: { $ref: '#/$defs/missing' } } }, 'inputSchema')).toMatch(/not usable/);
  });
});

describe('toolNameProblem', () => {
  it('allows the documented characters and length', () => {
    expect(toolNameProblem('getUser')).toBeUndefined();
    expect(toolNameProblem('admin.tools.list-v2_b')).toBeUndefined();
    expect(toolNameProblem('a'.repeat(128))).toBeUndefined();
  });
  it('names what is wrong', () => {
    expect(toolNameProblem('')).toBe('is empty');
    expect(toolNameProblem('a'.repeat(129))).toMatch(/129 characters/);
    expect(toolNameProblem('bad name!')).toMatch(/a space, "!"/);
    expect(duplicateNames(['a', 'b', 'a'])).toEqual(['a']);
  });
});

describe('notificationProblem', () => {
  it('accepts well-formed notifications', () => {
    expect(notificationProblem({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } })).toBeUndefined();
    expect(notificationProblem({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' })).toBeUndefined();
  });
  it('names malformed ones', () => {
    expect(notificationProblem({ method: 'x' })).toMatch(/jsonrpc/);
    expect(notificationProblem({ jsonrpc: '2.0', id: 1, method: 'x' })).toMatch(/carries an id/);
    expect(notificationProblem({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'loud', data: 1 } })).toMatch(
      /not a log level/,
    );
    expect(
      notificationProblem({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: '1' } }),
    ).toMatch(/not a number/);
  });
});
