// bytesToBase64 encodes a captured binary body: the same text as btoa, for any view into a larger buffer.
import { describe, expect, it } from 'vitest';
import { bytesToBase64 } from '@/lib/trace/bytes';

describe('bytesToBase64', () => {
  it('encodes every byte value, from a view that starts and ends inside its buffer', () => {
    const whole = new Uint8Array(70_003);
    for (let i = 0; i < whole.length; i++) whole[i] = (i * 7919) % 256;
    const view = whole.subarray(5, 70_000);
    expect(bytesToBase64(view)).toBe(btoa(String.fromCharCode(...view)));
    expect(bytesToBase64(new Uint8Array(0))).toBe('');
    expect(bytesToBase64(whole.subarray(1, 3))).toBe(btoa(String.fromCharCode(whole[1]!, whole[2]!)));
  });
});
