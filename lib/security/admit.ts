// The whole admission sequence every request goes through before any route runs: Host, Origin, access token,
// body size, creation rate limits (per browser and per client address). proxy.ts applies it to what Next.js
// serves, and lib/direct-rpc to the calls it answers directly, so both doors keep exactly the same rules.
import { checkAccessToken, checkHost, checkOrigin, type Denial, type RequestFacts } from './access';
import {
  addressRate,
  bodyLimitApplies,
  bodyTooLarge,
  rateLimitDenial,
  rateLimitFor,
  TokenBuckets,
  type RateLimitName,
  type RateScope,
} from './limits';
import { getSecuritySettings, type SecuritySettings } from './settings';

export interface AdmissionFacts extends RequestFacts {
  /** The body's size: declared, measured by the caller, or undefined when it cannot be known up front. */
  bodySize: () => number | undefined | Promise<number | undefined>;
  /** The owner a signed owner cookie proves (lib/security/owner.ts), if any; an invented cookie proves none. */
  owner: string | undefined;
  /** Who sent the request, by address (lib/security/client-address.ts): never a value the client chooses. */
  client: string;
}

export type Admission =
  | { action: 'allow' }
  /** A valid `?token=`: set the cookie and send the browser to the same URL without it. */
  | { action: 'accept-query-token'; cookie: string }
  | { action: 'deny'; denial: Denial; headers: Record<string, string> };

type Buckets = Record<`${RateLimitName}-${RateScope}`, TokenBuckets>;
const BUCKETS_KEY = Symbol.for('mcpscope.rate-limits');

function buckets(settings: SecuritySettings): Buckets {
  // On globalThis: Next.js may load this module more than once (the proxy, routes, instrumentation), and a
  // budget split between copies would be a budget multiplied. Keyed by the rates, so equal settings share.
  const holder = globalThis as typeof globalThis & { [BUCKETS_KEY]?: Map<string, Buckets> };
  const { sessionRate, shareRate } = settings.limits;
  const key = JSON.stringify([sessionRate, shareRate]);
  holder[BUCKETS_KEY] ??= new Map();
  let found = holder[BUCKETS_KEY].get(key);
  if (!found) {
    found = {
      'session-browser': new TokenBuckets(sessionRate),
      'share-browser': new TokenBuckets(shareRate),
      'session-address': new TokenBuckets(addressRate(sessionRate)),
      'share-address': new TokenBuckets(addressRate(shareRate)),
    };
    holder[BUCKETS_KEY].set(key, found);
  }
  return found;
}

const deny = (denial: Denial, headers: Record<string, string> = {}): Admission => ({ action: 'deny', denial, headers });

/** Whether the request may reach a route; a refusal changes nothing but, for creations, the caller's budget. */
export async function admit(facts: AdmissionFacts, settings: SecuritySettings = getSecuritySettings()): Promise<Admission> {
  const hostDenial = checkHost(facts.host, settings);
  if (hostDenial) return deny(hostDenial);
  const originDenial = checkOrigin(facts, settings);
  if (originDenial) return deny(originDenial);

  const access = await checkAccessToken(facts, settings);
  if (access.action === 'deny')
    return deny(access.denial, access.denial.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="mcpscope"' } : {});
  if (access.action === 'accept-query-token') return access;

  if (bodyLimitApplies(facts.method, facts.pathname)) {
    const size = await facts.bodySize();
    const tooLarge = size === undefined ? undefined : bodyTooLarge(size, settings.limits);
    if (tooLarge) return deny(tooLarge);
  }

  const limit = rateLimitFor(facts.method, facts.pathname);
  if (limit) {
    const all = buckets(settings);
    // A browser's budget is its signed identity's; requests without one (a browser's first, or a client that
    // invents cookies) share one browser's budget per address. Every request also counts against its address.
    const budgets: Array<[RateScope, string]> = [
      ['browser', facts.owner ? `owner:${facts.owner}` : `anonymous:${facts.client}`],
      ['address', `address:${facts.client}`],
    ];
    for (const [scope, key] of budgets) {
      const bucket = all[`${limit}-${scope}`];
      const outcome = bucket.take(key);
      if (!outcome.ok) {
        return deny(rateLimitDenial(limit, bucket.spec, outcome.retryAfterMs, scope), {
          'Retry-After': String(Math.ceil(outcome.retryAfterMs / 1000)),
        });
      }
    }
  }
  return { action: 'allow' };
}

/**
 * The headers every admitted answer carries: mcpscope is framed by no other origin (clickjacking a button), only by
 * itself (the split view), and never sniffed. CSP frame-ancestors 'self' says the same to browsers that read it.
 */
export const ADMITTED_HEADERS: Readonly<Record<string, string>> = {
  'X-Frame-Options': 'SAMEORIGIN',
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
