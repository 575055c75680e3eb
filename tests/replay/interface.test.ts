import { describe, expect, it } from 'vitest';
import { diffInterfaces, interfaceEntries, interfaceFromAnswers } from '@/lib/replay';
import { tool } from './helpers';

const texts = (changes: ReturnType<typeof diffInterfaces>, name: string) =>
  changes.find((c) => c.name === name)?.details.map((d) => `${d.breaking ? '!' : ''}${d.text}`);

describe('interface diff', () => {
  it('a new required argument breaks, a new optional one does not', () => {
    const before = { tools: [tool('search', { q: { type: 'string' } }, ['q']), tool('greet', { name: { type: 'string' } }, ['name'])] };
    const after = {
      tools: [
        tool('search', { q: { type: 'string' }, limit: { type: 'integer' } }, ['q', 'limit']),
        tool('greet', { name: { type: 'string' }, punctuation: { type: 'string', enum: ['!', '.'] } }, ['name']),
      ],
    };
    const changes = diffInterfaces(before, after);
    expect(changes).toHaveLength(2);
    expect(changes.find((c) => c.name === 'search')).toMatchObject({ kind: 'tool', change: 'changed', breaking: true });
    expect(texts(changes, 'search')).toEqual(['!new required argument "limit" (integer)']);
    expect(changes.find((c) => c.name === 'greet')?.breaking).toBe(false);
    expect(texts(changes, 'greet')).toEqual(['new optional argument "punctuation" (string (one of "!", "."))']);
  });

  it('tools added and removed; a removal breaks', () => {
    const changes = diffInterfaces({ tools: [tool('a', {}), tool('b', {})] }, { tools: [tool('b', {}), tool('c', {})] });
    expect(changes.map((c) => [c.name, c.change, c.breaking])).toEqual([
      ['a', 'removed', true],
      ['c', 'added', false],
    ]);
  });

  it('schema changes in words: types, enums, required, nested, output', () => {
    const before = {
      tools: [
        tool(
          'cfg',
          {
            mode: { type: 'string', enum: ['a', 'b'] },
            n: { type: 'integer' },
            opt: { type: 'string' },
            profile: { type: 'object', properties: { name: { type: 'string' } } },
          },
          ['mode'],
          { outputSchema: { type: 'object', properties: { ok: { type: 'boolean' }, count: { type: 'integer' } }, required: ['ok'] } },
        ),
      ],
    };
    const after = {
      tools: [
        tool(
          'cfg',
          {
            mode: { type: 'string', enum: ['a', 'c'] },
            n: { type: ['integer', 'string'] },
            opt: { type: 'string' },
            profile: { type: 'object', properties: { name: { type: 'number' } } },
          },
          ['mode', 'opt'],
          { outputSchema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
        ),
      ],
    };
    expect(texts(diffInterfaces(before, after), 'cfg')).toEqual([
      '!argument "mode" no longer allows "b"',
      '!argument "opt" is now required',
      '!argument "profile.name" type string → number',
      '!field "ok" is now optional',
      '!field "count" removed',
      'argument "mode" now also allows "c"',
      'argument "n" type integer → integer or string',
    ]);
  });

  it('prompts and resources', () => {
    const changes = diffInterfaces(
      {
        prompts: [{ name: 'p', arguments: [{ name: 'x', required: true }] }],
        resources: [{ uri: 'file:///a', name: 'a', mimeType: 'text/plain' }],
      },
      {
        prompts: [{ name: 'p', arguments: [{ name: 'x', required: true }, { name: 'y' }, { name: 'z', required: true }] }],
        resources: [{ uri: 'file:///a', name: 'a', mimeType: 'text/markdown' }],
      },
    );
    expect(texts(changes, 'p')).toEqual(['!new required argument "z"', 'new optional argument "y"']);
    expect(texts(changes, 'file:///a')).toEqual(['!MIME type "text/plain" → "text/markdown"']);
  });

  it('a kind only one side listed is not compared; identical interfaces give nothing', () => {
    expect(diffInterfaces({ tools: [tool('a', {})] }, {})).toEqual([]);
    expect(diffInterfaces({ tools: [tool('a', { x: { type: 'string' } })] }, { tools: [tool('a', { x: { type: 'string' } })] })).toEqual(
      [],
    );
  });

  it('joins the pages of a listing; a new listing replaces the last', () => {
    const found = interfaceFromAnswers([
      { method: 'tools/list', result: { tools: [{ name: 'old' }] } },
      { method: 'tools/list', result: { tools: [{ name: 'a' }], nextCursor: 'c' } },
      { method: 'tools/list', params: { cursor: 'c' }, result: { tools: [{ name: 'b' }] } },
      { method: 'prompts/list', result: { prompts: [] } },
    ]);
    expect(found).toEqual({ tools: [{ name: 'a' }, { name: 'b' }], prompts: [] });
  });

  it('lists one side entry by entry for the side-by-side view, and which kinds it listed', () => {
    expect(
      interfaceEntries({
        tools: [{ name: 'a' }, { name: 'a' }, { name: 'b' }, { nameless: true }],
        resourceTemplates: [{ uriTemplate: 'note://{id}' }],
        prompts: [],
      }),
    ).toEqual({
      entries: [
        { kind: 'tool', name: 'a' },
        { kind: 'tool', name: 'b' },
        { kind: 'resource template', name: 'note://{id}' },
      ],
      listed: ['tool', 'resource template', 'prompt'],
    });
  });
});
