// lib/trace/depth.ts: measuring and cutting JSON nesting without recursion.
import { describe, expect, it } from 'vitest';
import { capJsonDepth, cutMarker, jsonDepth, MAX_JSON_DEPTH } from '@/lib/trace';

function nested(levels: number): unknown {
  return JSON.parse(`${'{"a":'.repeat(levels)}0${'}'.repeat(levels)}`);
}

describe('jsonDepth', () => {
  it('counts levels of objects and arrays', () => {
    expect(jsonDepth(7)).toBe(0);
    expect(jsonDepth(null)).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth([1, [2, [3]]])).toBe(3);
    expect(jsonDepth({ a: [{ b: {} }], c: 1 })).toBe(4);
  });

  it('measures 100,000 levels and a million-key object without overflowing the stack', () => {
    expect(jsonDepth(nested(100_000))).toBe(100_000);
    expect(jsonDepth(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))).toBe(100_000);
    const wide: Record<string, number> = {};
    for (let i = 0; i < 1_000_000; i++) wide[`k${i}`] = i;
    expect(jsonDepth(wide)).toBe(1);
  });
});

describe('capJsonDepth', () => {
  it('returns a shallow value itself, untouched', () => {
    const value = { a: [1, 2, { b: 'c' }] };
    const checked = capJsonDepth(value);
    expect(checked).toEqual({ value, depth: Number.NaN, cut: false });
    expect(capJsonDepth(value, 3).cut).toBe(false);
    expect(capJsonDepth(value, 2).cut).toBe(true);
    expect(checked.value).toBe(value);
  });

  it('cuts a 5,000-level value at the limit, leaves the marker there, and the result serialises', () => {
    const deep = nested(5_000);
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    const { value, depth, cut } = capJsonDepth(deep);
    expect(depth).toBe(5_000);
    expect(cut).toBe(true);
    expect(jsonDepth(value)).toBe(MAX_JSON_DEPTH);
    const text = JSON.stringify(value);
    expect(text.startsWith('{"a":'.repeat(MAX_JSON_DEPTH))).toBe(true);
    expect(text).toContain(JSON.stringify(cutMarker(MAX_JSON_DEPTH)));
  });

  it('keeps everything above the cut, siblings included', () => {
    const { value } = capJsonDepth({ keep: 'me', list: [1, [2, [3, [4]]]] }, 3);
    expect(value).toEqual({ keep: 'me', list: [1, [2, cutMarker(3)]] });
  });
});
