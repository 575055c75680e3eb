// Deep links to the connect screen (components/connect/deep-link.ts): what a link may fill and when it connects.
import { describe, expect, it } from 'vitest';
import { parseDeepLink } from '@/components/connect/deep-link';

describe('parseDeepLink', () => {
  it('fills URL and transport, connects only when asked', () => {
    expect(parseDeepLink('?url=http%3A%2F%2F127.0.0.1%3A9%2Fmcp&transport=sse')).toEqual({
      url: 'http://127.0.0.1:9/mcp',
      transport: 'sse',
      connect: false,
    });
    expect(parseDeepLink('?url=https://example.com/mcp&connect=1')).toEqual({
      url: 'https://example.com/mcp',
      transport: 'auto',
      connect: true,
    });
  });

  it('ignores a link without a URL, and an unknown transport with a word', () => {
    expect(parseDeepLink('?transport=sse&connect=1')).toBeUndefined();
    const link = parseDeepLink('?url=https://example.com/mcp&transport=carrier-pigeon&connect=1');
    expect(link).toMatchObject({ transport: 'auto', connect: true });
    expect(link?.notice).toMatch(/carrier-pigeon/);
  });

  it('never takes credentials from userinfo, and does not connect', () => {
    const link = parseDeepLink('?url=' + encodeURIComponent('https://alice:hunter2@example.com/mcp') + '&connect=1');
    expect(link?.url).toBe('https://example.com/mcp');
    expect(link?.url).not.toContain('hunter2');
    expect(link?.connect).toBe(false);
    expect(link?.notice).toMatch(/credentials.*removed.*not connected/s);
  });

  it('masks secret-looking query values and does not connect; ordinary parameters pass', () => {
    const link = parseDeepLink(
      '?url=' + encodeURIComponent('https://example.com/mcp?api_key=sk-live-123456789&profile=dev') + '&connect=1',
    );
    expect(link?.url).not.toContain('sk-live-123456789');
    expect(link?.url).toContain('profile=dev');
    expect(link?.connect).toBe(false);
    expect(parseDeepLink('?url=' + encodeURIComponent('https://example.com/mcp?profile=dev') + '&connect=1')?.connect).toBe(true);
  });

  it('does not connect to what is not an http(s) URL', () => {
    const link = parseDeepLink('?url=' + encodeURIComponent('javascript:alert(1)') + '&connect=1');
    expect(link?.connect).toBe(false);
    expect(link?.notice).toMatch(/not an http\(s\) URL/);
  });
});
