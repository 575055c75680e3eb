import { describe, expect, it } from 'vitest';
import { bodyLimitApplies, bodyTooLarge, rateLimitDenial, rateLimitFor, readSecuritySettings, TokenBuckets } from '@/lib/security';

describe('TokenBuckets', () => {
  it('allows a burst, refuses past it, and refills at the rate', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perMinute: 6, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => buckets.take('a').ok)).toEqual([true, true, true]);
    const refused = buckets.take('a');
    expect(refused).toEqual({ ok: false, retryAfterMs: 10_000 });
    now += 9_999;
    expect(buckets.take('a').ok).toBe(false);
    now += 2;
    expect(buckets.take('a').ok).toBe(true);
    // Each key has its own bucket.
    expect(buckets.take('b').ok).toBe(true);
    // Never more than the burst, however long the quiet.
    now += 3_600_000;
    expect([1, 2, 3, 4].map(() => buckets.take('a').ok)).toEqual([true, true, true, false]);
  });

  it('forgets the least recently used keys past its size', () => {
    const buckets = new TokenBuckets({ perMinute: 1, burst: 1 }, () => 0, 3);
    for (const key of ['a', 'b', 'c', 'd']) buckets.take(key);
    expect(buckets.size).toBe(3);
    // "a" was forgotten, so it starts with a full bucket again; "d" was not.
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('d').ok).toBe(false);
  });
});

describe('which requests count against which limit', () => {
  it('session creation and reconnection count as sessions; share creation as shares', () => {
    expect(rateLimitFor('POST', '/api/sessions')).toBe('session');
    expect(rateLimitFor('POST', '/api/sessions/abc/reconnect')).toBe('session');
    expect(rateLimitFor('POST', '/api/sessions/abc/share')).toBe('share');
    expect(rateLimitFor('POST', '/api/shares')).toBe('share');
    expect(rateLimitFor('GET', '/api/sessions')).toBeUndefined();
    expect(rateLimitFor('POST', '/api/sessions/abc/rpc')).toBeUndefined();
  });

  it('names the limit and its setting when refusing', () => {
    const denial = rateLimitDenial('session', { perMinute: 60, burst: 30 }, 1500);
    expect(denial).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(denial.message).toContain('MCPSCOPE_SESSION_RATE');
    expect(denial.message).toContain('60 per minute');
    expect(denial.message).toContain('2 s');
    expect(rateLimitDenial('share', { perMinute: 10, burst: 10 }, 100).message).toContain('MCPSCOPE_SHARE_RATE');
  });
});

describe('request body limit', () => {
  it('applies to API writes only', () => {
    expect(bodyLimitApplies('POST', '/api/sessions')).toBe(true);
    expect(bodyLimitApplies('PUT', '/api/x')).toBe(true);
    expect(bodyLimitApplies('GET', '/api/sessions')).toBe(false);
    expect(bodyLimitApplies('POST', '/demo/mcp')).toBe(false);
  });

  it('refuses bodies over the limit with 413 body_too_large naming the setting', () => {
    expect(bodyTooLarge(1024 * 1024, { maxBodyBytes: 1024 * 1024 })).toBeUndefined();
    const denial = bodyTooLarge(1024 * 1024 + 1, { maxBodyBytes: 1024 * 1024 });
    expect(denial).toMatchObject({ status: 413, code: 'body_too_large' });
    expect(denial?.message).toContain('MCPSCOPE_MAX_BODY_BYTES');
    expect(denial?.message).toContain('1 MB');
  });
});

describe('limits from the environment', () => {
  it('has safe defaults and reads every knob', () => {
    const defaults = readSecuritySettings({}).limits;
    expect(defaults).toMatchObject({
      maxBodyBytes: 1024 * 1024,
      maxMessageBytes: 8 * 1024 * 1024,
      maxCompressionRatio: 500,
      maxRedirects: 5,
    });
    const set = readSecuritySettings({
      MCPSCOPE_MAX_BODY_BYTES: '2048',
      MCPSCOPE_MAX_MESSAGE_BYTES: '4096',
      MCPSCOPE_MAX_REDIRECTS: '2',
      MCPSCOPE_MAX_COMPRESSION_RATIO: '50',
      MCPSCOPE_SESSION_RATE: '120',
      MCPSCOPE_SESSION_BURST: '50',
      MCPSCOPE_SHARE_RATE: '3',
    }).limits;
    expect(set).toEqual({
      maxBodyBytes: 2048,
      maxMessageBytes: 4096,
      maxCompressionRatio: 50,
      maxRedirects: 2,
      sessionRate: { perMinute: 120, burst: 50 },
      shareRate: { perMinute: 3, burst: 3 },
    });
    // A malformed value falls back to the default instead of disabling the limit.
    expect(readSecuritySettings({ MCPSCOPE_MAX_BODY_BYTES: 'lots' }).limits.maxBodyBytes).toBe(1024 * 1024);
    // The compression ratio alone may be turned off, with 0; a malformed one keeps the default.
    expect(readSecuritySettings({ MCPSCOPE_MAX_COMPRESSION_RATIO: '0' }).limits.maxCompressionRatio).toBe(0);
    expect(readSecuritySettings({ MCPSCOPE_MAX_COMPRESSION_RATIO: '-3' }).limits.maxCompressionRatio).toBe(500);
  });
});
