// Safe by default: who may use mcpscope (Host, Origin, access token), who a request is (the signed owner, the
// client address), where its proxy may go (target policy and the guarded fetch), and how much anyone may ask of
// it (limits). See README § Security.
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
export { admittedAnswerHeaders, servedOverHttps } from './answer';
export { nodeAdmissionFacts, nodeHeader } from './node-request';
export {
  ADDRESS_FACTOR,
  addressRate,
  bodyLimitApplies,
  bodyTooLarge,
  formatSize,
  rateLimitDenial,
  rateLimitFor,
  TokenBuckets,
  type RateLimitName,
  type RateOutcome,
  type RateScope,
} from './limits';
export { newOwnerId, OWNER_COOKIE, ownerCookieHeader, ownerFromCookieHeader, ownerSigningKey, signOwner, verifyOwner } from './owner';
export {
  clientKey,
  clientOfHeaders,
  clientOfPeer,
  parseClientAddress,
  parseTrustedProxies,
  PEER_ADDRESS_HEADER,
  peerHeaderIsSet,
  resolveClientAddress,
  UNKNOWN_CLIENT,
  type HeaderSource,
} from './client-address';
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
  httpUrlRule,
  normalizeHostname,
  parseAllowList,
  type ResolvedAddress,
  type TargetAllowList,
  type TargetDecision,
  type TargetMode,
  type TargetPolicy,
} from './targets';
export {
  classifyAddress,
  cidrContains,
  embeddedIpv4,
  formatIp,
  isIpLiteral,
  isLoopbackAddress,
  parseCidr,
  parseIp,
  RULE_DESCRIPTIONS,
  type AddressClass,
  type AddressRule,
  type Cidr,
  type ParsedIp,
} from './ip';
export {
  capResponse,
  createGuardedFetch,
  GuardError,
  systemResolver,
  type GuardErrorCode,
  type GuardFinding,
  type GuardOptions,
  type Resolver,
} from './guard';
export { checkTargetUrl, TargetForbiddenError } from './check';
export {
  answerSecurity,
  contentSecurityPolicy,
  newCspNonce,
  NONCE_HEADER,
  REFERRER_POLICY,
  referrerPolicyFor,
  type AnswerSecurity,
  type CspOptions,
} from './csp';

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
