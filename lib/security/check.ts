// The target check run before a session connects, so a refused URL is refused with a clear API error
// (403 target_forbidden) instead of a failed connection. The guarded fetch checks again at connect time.
import { systemResolver, type Resolver } from './guard';
import { decideAddresses, decideTargetUrl, type TargetDecision, type TargetPolicy } from './targets';

export class TargetForbiddenError extends Error {
  readonly code = 'target_forbidden' as const;
  readonly decision: Extract<TargetDecision, { allowed: false }>;
  constructor(decision: Extract<TargetDecision, { allowed: false }>) {
    super(decision.message);
    this.name = 'TargetForbiddenError';
    this.decision = decision;
  }
}

/**
 * Resolves a URL's host (when the policy needs to) and applies the policy. Names that do not resolve are
 * let through: connecting will fail with the usual "host not found" explanation.
 */
export async function checkTargetUrl(url: string | URL, policy: TargetPolicy, resolve: Resolver = systemResolver): Promise<TargetDecision> {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  const quick = decideTargetUrl(parsed, policy);
  if (quick) return quick;
  let addresses;
  try {
    addresses = await resolve(parsed.hostname);
  } catch {
    return { allowed: true, reason: 'public' };
  }
  return decideAddresses(parsed.hostname, addresses, policy);
}
