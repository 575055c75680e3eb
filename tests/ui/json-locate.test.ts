import { describe, expect, it } from 'vitest';
import { locatePointer } from '@/components/tools/json-locate';

const TEXT = `{
  "size": 40,
  "profile": {
    "name": "Ada",
    "tags": ["a", 7]
  },
  "we/ird~key": true
}`;

describe('locatePointer', () => {
  it.each([
    ['', 1, 1, '{'],
    ['/size', 2, 3, '"size": 40'],
    ['/profile', 3, 3, '"profile"'],
    ['/profile/name', 4, 5, '"name": "Ada"'],
    ['/profile/tags/1', 5, 19, '7'],
    ['/we~1ird~0key', 7, 3, '"we/ird~key": true'],
    // A missing property: the deepest value that exists (its object's name).
    ['/profile/missing', 3, 3, '"profile"'],
  ])('%s is at line %i, column %i', (pointer, line, column, marked) => {
    const at = locatePointer(TEXT, pointer);
    expect(at).toMatchObject({ line, column });
    expect(TEXT.slice(at!.from, at!.to)).toBe(marked);
  });

  it('finds nothing in text with no JSON value', () => {
    expect(locatePointer('', '/a')).toBeUndefined();
  });

  it('keeps going in broken JSON as far as it can', () => {
    const at = locatePointer('{"a": 1, "b": [1, 2', '/a');
    expect(at).toMatchObject({ line: 1, column: 2 });
  });
});
