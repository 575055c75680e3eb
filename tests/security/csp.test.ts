// The Content-Security-Policy every answer carries: nonce-based scripts only, no eval in production, nothing
// framing mcpscope, no <base> or plugins; what the app needs (inline styles, data:/blob: media, its worker).
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newCspNonce, REFERRER_POLICY, referrerPolicyFor } from '@/lib/security';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('contentSecurityPolicy', () => {
  it('allows scripts only by this response’s nonce (and what they load), never eval or inline code', () => {
    const nonce = newCspNonce();
    const policy = directives(contentSecurityPolicy({ nonce }));
    expect(policy.get('script-src')).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
    expect(policy.get('script-src')).not.toContain("'unsafe-eval'");
    expect([...policy.keys()].some((name) => name === 'script-src-attr' || name === 'script-src-elem')).toBe(false);
  });

  it('closes plugins, <base>, framing by any other origin; keeps what the app uses', () => {
    const policy = directives(contentSecurityPolicy({ nonce: newCspNonce() }));
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    // Only mcpscope itself may frame its pages (the split view): no host, scheme or wildcard source.
    expect(policy.get('frame-ancestors')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('style-src')).toContain("'unsafe-inline'");
    expect(policy.get('img-src')).toEqual(expect.arrayContaining(['data:', 'blob:']));
    expect(policy.get('media-src')).toEqual(expect.arrayContaining(['data:', 'blob:']));
    expect(policy.get('worker-src')).toContain("'self'");
    // A nonce in style-src would switch 'unsafe-inline' off for React's style attributes.
    expect(policy.get('style-src')!.some((source) => source.startsWith("'nonce-"))).toBe(false);
  });

  it('adds unsafe-eval only for next dev', () => {
    expect(directives(contentSecurityPolicy({ nonce: newCspNonce(), development: true })).get('script-src')).toContain("'unsafe-eval'");
  });

  it('makes a fresh 128-bit nonce each time, and refuses one that could break out of the header', () => {
    const nonces = new Set(Array.from({ length: 200 }, () => newCspNonce()));
    expect(nonces.size).toBe(200);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(() => contentSecurityPolicy({ nonce: "abc'; script-src *" })).toThrow();
    expect(() => contentSecurityPolicy({ nonce: 'short' })).toThrow();
  });

  it('sends only the origin to other sites, and nothing from pages whose URL is a secret', () => {
    expect(REFERRER_POLICY).toBe('strict-origin-when-cross-origin');
    for (const path of ['/', '/inspect/abc', '/tokens', '/api/sessions']) expect(referrerPolicyFor(path)).toBe(REFERRER_POLICY);
    for (const path of ['/callback', '/share/AAAAAAAAAAAAAAAAAAAAAAAA']) expect(referrerPolicyFor(path)).toBe('no-referrer');
  });
});
