// Safe by default: who may use mcpscope (Host, Origin, access token), where its proxy may go (target policy
// and the guarded fetch), and how much anyone may ask of it (limits). See README § Security.
import type { TraceLog } from '../trace';
import { createGuardedFetch, type Resolver } from './guard';
import { getSecuritySettings, type SecuritySettings } from './settings';

export {
  accessCookieHeader,
  accessCookieValue,
  checkAccessToken,
  checkHost,
  checkOrigin,
  isAllowedHost,
  isAllowedOrigin,
  needsOriginCheck,
  requestScheme,
  safeEqual,
  splitHost,
  tokenExempt,
  type AccessDecision,
  type Denial,
  type RequestFacts,
  type RequestScheme,
} from './access';
export { admit, ADMITTED_HEADERS, cookieValue, type Admission, type AdmissionFacts } from './admit';
export { bodyLimitApplies, bodyTooLarge, formatSize, rateLimitDenial, rateLimitFor, TokenBuckets, type RateLimitName, type RateOutcome } from './limits';
export {
  ACCESS_COOKIE,
  DEFAULT_SECURITY_LIMITS,
  LOOPBACK_NAMES,
  getSecuritySettings,
  isLoopbackHost,
  readSecuritySettings,
  type RateSpec,
  type SecurityLimits,
  type SecuritySettings,
} from './settings';
export {
  EMPTY_ALLOW_LIST,
  decideAddresses,
  decideTargetUrl,
  hostIsAllowListed,
  normalizeHostname,
  parseAllowList,
  type ResolvedAddress,
  type TargetAllowList,
  type TargetDecision,
  type TargetMode,
  type TargetPolicy,
} from './targets';
export { classifyAddress, cidrContains, embeddedIpv4, formatIp, isIpLiteral, isLoopbackAddress, parseCidr, parseIp, RULE_DESCRIPTIONS, type AddressClass, type AddressRule, type Cidr, type ParsedIp } from './ip';
export { capResponse, createGuardedFetch, GuardError, systemResolver, type GuardErrorCode, type GuardFinding, type GuardOptions, type Resolver } from './guard';
export { checkTargetUrl, TargetForbiddenError } from './check';

/**
 * The guarded fetch for one session: refusals and responses cut short become findings in its log.
 * Pass it as the engine's `baseFetch` and as the OAuth flow's `fetch`.
 */
export function guardedFetchFor(
  log: Pick<TraceLog, 'finding'>,
  options: { settings?: SecuritySettings; fetch?: typeof fetch; resolve?: Resolver } = {},
): typeof fetch {
  const settings = options.settings ?? getSecuritySettings();
  return createGuardedFetch({
    policy: settings.targets,
    limits: settings.limits,
    fetch: options.fetch,
    resolve: options.resolve,
    report: (finding) => log.finding(finding.severity, finding.code, finding.message),
  });
}
