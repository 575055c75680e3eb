import { describe, expect, it } from 'vitest';
import { DEFAULT_IGNORE_RULES, diffJson, ignoreRules, pathRule, ReplayError } from '@/lib/replay';

describe('diffJson', () => {
  it('names added, removed and changed paths', () => {
    const d = diffJson({ a: 1, b: { c: [1, 2] }, gone: true }, { a: 2, b: { c: [1, 2, 3] }, 'new key': null });
    expect(d.changes).toEqual([
      { kind: 'changed', path: '$.a', before: 1, after: 2 },
      { kind: 'added', path: '$.b.c[2]', after: 3 },
      { kind: 'removed', path: '$.gone', before: true },
      { kind: 'added', path: '$["new key"]', after: null },
    ]);
  });

  it('compares lists of named things by name, not position', () => {
    const before = {
      tools: [
        { name: 'a', description: 'A' },
        { name: 'b', description: 'B' },
      ],
    };
    const after = { tools: [{ name: 'b', description: 'B2' }, { name: 'a', description: 'A' }, { name: 'c' }] };
    const d = diffJson(before, after);
    expect(d.changes).toEqual([
      { kind: 'changed', path: '$.tools[name="b"].description', before: 'B', after: 'B2' },
      { kind: 'added', path: '$.tools[name="c"]', after: { name: 'c' } },
    ]);
  });

  it('equal values and scalars', () => {
    expect(diffJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }).changes).toEqual([]);
    expect(diffJson('x', 'y').changes).toEqual([{ kind: 'changed', path: '$', before: 'x', after: 'y' }]);
    expect(diffJson({ a: 1 }, [1]).changes).toHaveLength(1);
  });

  it('the default rules set aside ids, timestamps, volatile text and the 2026 envelope, and say which rule did', () => {
    const before = {
      result: {
        id: 'r1',
        createdAt: '2026-01-01T00:00:00Z',
        content: [{ type: 'text', text: 'at 2026-01-01T00:00:00.123Z req 1b4e28ba-2fa1-11d2-883f-0016d3cca427' }],
      },
    };
    const after = {
      result: {
        id: 'r2',
        createdAt: '2026-02-02T10:00:00Z',
        content: [{ type: 'text', text: 'at 2026-12-07T01:02:03.456Z req 6fa459ea-ee8a-3ca4-894e-db77e160355e' }],
        resultType: 'complete',
        _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'x' } },
      },
    };
    const d = diffJson(before, after, { ignore: DEFAULT_IGNORE_RULES });
    expect(d.changes).toEqual([]);
    expect(d.ignored.map((c) => c.rule).sort()).toEqual([
      'ids',
      'protocol envelope',
      'protocol envelope',
      'timestamps',
      'timestamps and ids in text',
    ]);
    // Without the defaults every one of them is a difference.
    expect(diffJson(before, after).changes).toHaveLength(5);
  });

  it('does not hide a real change in text that also holds a timestamp', () => {
    const d = diffJson({ t: 'sum 3 at 2026-01-01T00:00:00Z' }, { t: 'sum 4 at 2026-01-02T00:00:00Z' }, { ignore: DEFAULT_IGNORE_RULES });
    expect(d.changes).toHaveLength(1);
  });

  it('path rules: exact, wildcard, any depth, keyed, bare key, and everything below', () => {
    const before = { content: [{ text: 'a', n: 1 }, { text: 'b' }], deep: { x: { stamp: 1 } }, tools: [{ name: 'add', description: 'x' }] };
    const after = { content: [{ text: 'A', n: 2 }, { text: 'B' }], deep: { x: { stamp: 2 } }, tools: [{ name: 'add', description: 'y' }] };
    const only = (rule: string) => diffJson(before, after, { ignore: [pathRule(rule)] }).changes.map((c) => c.path);
    expect(only('$.content[*].text')).toEqual(['$.content[0].n', '$.deep.x.stamp', '$.tools[name="add"].description']);
    expect(only('$.content[0]')).toEqual(['$.content[1].text', '$.deep.x.stamp', '$.tools[name="add"].description']);
    expect(only('$..stamp')).not.toContain('$.deep.x.stamp');
    expect(only('stamp')).not.toContain('$.deep.x.stamp');
    expect(only('$.tools[name="add"].description')).toEqual(['$.content[0].text', '$.content[0].n', '$.content[1].text', '$.deep.x.stamp']);
    expect(only('$.deep.*.stamp')).not.toContain('$.deep.x.stamp');
    expect(only("$['deep']")).not.toContain('$.deep.x.stamp');
  });

  it('an unreadable rule is an error naming it', () => {
    expect(() => pathRule('$.a[')).toThrowError(ReplayError);
    expect(() => pathRule('')).toThrow(/empty/);
    expect(() => ignoreRules(['a.b'])).toThrow(/"a\.b"/);
  });

  it('caps how many changes it lists', () => {
    const d = diffJson({ list: [] }, { list: Array.from({ length: 300 }, (_, i) => i) }, { maxChanges: 10 });
    expect(d.changes).toHaveLength(10);
    expect(d.omitted).toBe(290);
  });

  it('survives a hostile depth', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    expect(() => diffJson(deep, { d: 2 })).not.toThrow();
  });
});
