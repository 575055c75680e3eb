// Rate limits (token buckets per key) and the request-body limit, as pure decisions the proxy applies.
import type { Denial } from './access';
import type { RateSpec, SecurityLimits } from './settings';

export type RateOutcome = { ok: true; remaining: number } | { ok: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** One bucket per key; refills continuously at `perMinute`, holds at most `burst`. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly spec: RateSpec,
    private readonly now: () => number = Date.now,
    /** Forget the least recently used keys past this many, so a flood of cookies cannot grow memory. */
    private readonly maxKeys = 10_000,
  ) {}

  take(key: string): RateOutcome {
    const now = this.now();
    const perMs = this.spec.perMinute / 60_000;
    const existing = this.buckets.get(key);
    const bucket = existing ?? { tokens: this.spec.burst, updatedAt: now };
    bucket.tokens = Math.min(this.spec.burst, bucket.tokens + (now - bucket.updatedAt) * perMs);
    bucket.updatedAt = now;
    // Re-insert so the map's order is least-recently-used first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true, remaining: Math.floor(bucket.tokens) };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / perMs) };
  }

  get size(): number {
    return this.buckets.size;
  }
}

export type RateLimitName = 'session' | 'share';

const RATE_LABELS: Record<RateLimitName, { what: string; env: string }> = {
  session: { what: 'new sessions', env: 'MCPSCOPE_SESSION_RATE' },
  share: { what: 'new share links', env: 'MCPSCOPE_SHARE_RATE' },
};

/** Which rate limit a request counts against, if any. */
export function rateLimitFor(method: string, pathname: string): RateLimitName | undefined {
  if (method.toUpperCase() !== 'POST') return undefined;
  if (/^\/api\/sessions\/?$/.test(pathname) || /^\/api\/sessions\/[^/]+\/reconnect\/?$/.test(pathname)) return 'session';
  if (/^\/api\/sessions\/[^/]+\/share\/?$/.test(pathname) || /^\/api\/shares\/?$/.test(pathname)) return 'share';
  return undefined;
}

/** Who a rate budget belongs to: one browser (its signed owner id), or everything from one client address. */
export type RateScope = 'browser' | 'address';

/** One client address may be several browsers (a household, an office behind NAT): it gets this many browsers' budget. */
export const ADDRESS_FACTOR = 4;

/** The budget of one client address, from the per-browser one. */
export function addressRate(spec: RateSpec): RateSpec {
  return { perMinute: spec.perMinute * ADDRESS_FACTOR, burst: spec.burst * ADDRESS_FACTOR };
}

export function rateLimitDenial(name: RateLimitName, spec: RateSpec, retryAfterMs: number, scope: RateScope = 'browser'): Denial {
  const { what, env } = RATE_LABELS[name];
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const whose = scope === 'browser' ? 'per browser' : `per client address (${ADDRESS_FACTOR} × ${env})`;
  return {
    status: 429,
    code: 'rate_limited',
    message: `Too many ${what}: the limit is ${spec.perMinute} per minute ${whose}, ${spec.burst} at once (${env}). Try again in ${seconds} s.`,
  };
}

/** Request bodies are only limited on the API; the demo MCP server reads its own. */
export function bodyLimitApplies(method: string, pathname: string): boolean {
  return pathname.startsWith('/api/') && !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

export function bodyTooLarge(size: number, limits: Pick<SecurityLimits, 'maxBodyBytes'>): Denial | undefined {
  if (size <= limits.maxBodyBytes) return undefined;
  return {
    status: 413,
    code: 'body_too_large',
    message: `The request body is ${formatSize(size)}; the limit is ${formatSize(limits.maxBodyBytes)} (MCPSCOPE_MAX_BODY_BYTES).`,
  };
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB`;
}
