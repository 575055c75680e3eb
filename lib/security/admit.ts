// The whole admission sequence every request goes through before any route runs: Host, Origin, access token,
// body size, creation rate limits. proxy.ts applies it to what Next.js serves, and lib/fast-rpc to the calls it
// answers directly, so both doors keep exactly the same rules.
import { checkAccessToken, checkHost, checkOrigin, type Denial, type RequestFacts } from './access';
import { bodyLimitApplies, bodyTooLarge, rateLimitDenial, rateLimitFor, TokenBuckets, type RateLimitName } from './limits';
import { getSecuritySettings, type SecuritySettings } from './settings';

export interface AdmissionFacts extends RequestFacts {
  /** The body's size: declared, measured by the caller, or undefined when it cannot be known up front. */
  bodySize: () => number | undefined | Promise<number | undefined>;
  /** A well-formed owner id from the owner cookie (rate limits are per browser), if any. */
  owner: string | undefined;
  /** The first X-Forwarded-For address, the rate-limit key of a request without an owner. */
  forwardedFor: string | undefined;
}

export type Admission =
  | { action: 'allow' }
  /** A valid `?token=`: set the cookie and send the browser to the same URL without it. */
  | { action: 'accept-query-token'; cookie: string }
  | { action: 'deny'; denial: Denial; headers: Record<string, string> };

type Buckets = Record<RateLimitName | `${RateLimitName}-anonymous`, TokenBuckets>;
/** Requests without an owner cookie (every browser's first) share a per-address budget this much larger. */
const ANONYMOUS_FACTOR = 10;
const BUCKETS_KEY = Symbol.for('mcpscope.rate-limits');

function buckets(settings: SecuritySettings): Buckets {
  // On globalThis: Next.js may load this module more than once (the proxy, routes, instrumentation), and a
  // budget split between copies would be a budget multiplied.
  const holder = globalThis as typeof globalThis & { [BUCKETS_KEY]?: Buckets };
  const { sessionRate, shareRate } = settings.limits;
  const larger = (spec: typeof sessionRate) => ({ perMinute: spec.perMinute * ANONYMOUS_FACTOR, burst: spec.burst * ANONYMOUS_FACTOR });
  holder[BUCKETS_KEY] ??= {
    session: new TokenBuckets(sessionRate),
    share: new TokenBuckets(shareRate),
    'session-anonymous': new TokenBuckets(larger(sessionRate)),
    'share-anonymous': new TokenBuckets(larger(shareRate)),
  };
  return holder[BUCKETS_KEY];
}

const deny = (denial: Denial, headers: Record<string, string> = {}): Admission => ({ action: 'deny', denial, headers });

/** Whether the request may reach a route; a refusal changes nothing but, for creations, the caller's budget. */
export async function admit(facts: AdmissionFacts, settings: SecuritySettings = getSecuritySettings()): Promise<Admission> {
  const hostDenial = checkHost(facts.host, settings);
  if (hostDenial) return deny(hostDenial);
  const originDenial = checkOrigin(facts, settings);
  if (originDenial) return deny(originDenial);

  const access = await checkAccessToken(facts, settings);
  if (access.action === 'deny') return deny(access.denial, access.denial.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="mcpscope"' } : {});
  if (access.action === 'accept-query-token') return access;

  if (bodyLimitApplies(facts.method, facts.pathname)) {
    const size = await facts.bodySize();
    const tooLarge = size === undefined ? undefined : bodyTooLarge(size, settings.limits);
    if (tooLarge) return deny(tooLarge);
  }

  const limit = rateLimitFor(facts.method, facts.pathname);
  if (limit) {
    const anonymous = facts.owner === undefined;
    const key = anonymous ? `address:${facts.forwardedFor || 'local'}` : `owner:${facts.owner}`;
    const name: keyof Buckets = anonymous ? `${limit}-anonymous` : limit;
    const bucket = buckets(settings)[name];
    const outcome = bucket.take(key);
    if (!outcome.ok) {
      return deny(rateLimitDenial(limit, bucket.spec, outcome.retryAfterMs), { 'Retry-After': String(Math.ceil(outcome.retryAfterMs / 1000)) });
    }
  }
  return { action: 'allow' };
}

/** The headers every admitted answer carries: mcpscope is never framed (clickjacking a button), never sniffed. */
export const ADMITTED_HEADERS: Readonly<Record<string, string>> = {
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
};

/** One cookie's value from a Cookie header. */
export function cookieValue(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    return part.slice(eq + 1).trim();
  }
  return undefined;
}
