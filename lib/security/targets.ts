// Where the proxy may go. Local mode (bound to loopback): anywhere, the user's own servers included.
// Hosted mode: never to this machine, the cloud metadata service or a private network, judged on the
// addresses a name resolves to (every one of them), unless the allow-list names the host or its range.
import type { HttpRule } from '../url-policy';
import { classifyAddress, cidrContains, parseCidr, parseIp, RULE_DESCRIPTIONS, type AddressRule, type Cidr } from './ip';

export type TargetMode = 'local' | 'hosted';

export interface TargetAllowList {
  /** Exact host names (lower case), and suffixes from `*.example.com` entries (stored as `.example.com`). */
  hosts: string[];
  cidrs: Cidr[];
}

export interface TargetPolicy {
  mode: TargetMode;
  allow: TargetAllowList;
  /**
   * Origins of mcpscope itself whose `/demo/` paths are always reachable (the built-in demo server is
   * called server-to-server at the origin the browser used).
   */
  selfOrigins: string[];
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type TargetDecision =
  | { allowed: true; reason: 'local-mode' | 'allow-listed-host' | 'allow-listed-range' | 'public' | 'self-demo' }
  | { allowed: false; rule: AddressRule | 'unresolvable'; address?: string; range?: string; message: string };

export const EMPTY_ALLOW_LIST: TargetAllowList = { hosts: [], cidrs: [] };

/**
 * Parses MCPSCOPE_ALLOWED_TARGETS: comma or space separated host names (`mcp.internal`, `*.corp.example`),
 * addresses and CIDR ranges (`10.1.0.0/16`, `fd00::/8`). Returns what it understood and what it did not.
 */
export function parseAllowList(raw: string | undefined): { allow: TargetAllowList; rejected: string[] } {
  const allow: TargetAllowList = { hosts: [], cidrs: [] };
  const rejected: string[] = [];
  for (const entry of (raw ?? '')
    .split(/[\s,]+/)
    .map((e) => e.trim())
    .filter(Boolean)) {
    const range = parseCidr(entry);
    if (range) {
      allow.cidrs.push(range);
      continue;
    }
    const host = entry.toLowerCase().replace(/\.$/, '');
    if (/^\*\.[a-z0-9.-]+$/.test(host)) allow.hosts.push(host.slice(1));
    else if (/^[a-z0-9_.-]+$/.test(host) && !host.includes('/')) allow.hosts.push(host);
    else rejected.push(entry);
  }
  return { allow, rejected };
}

/** A URL's host name without IPv6 brackets or a trailing dot, lower case. */
export function normalizeHostname(hostname: string): string {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return bare.toLowerCase().replace(/\.$/, '');
}

export function hostIsAllowListed(hostname: string, allow: TargetAllowList): boolean {
  const host = normalizeHostname(hostname);
  return allow.hosts.some((entry) => (entry.startsWith('.') ? host.endsWith(entry) && host.length > entry.length : host === entry));
}

function addressAllowListed(address: string, allow: TargetAllowList): boolean {
  const ip = parseIp(address);
  return ip !== undefined && allow.cidrs.some((range) => cidrContains(range, ip));
}

function isSelfDemo(url: URL, policy: TargetPolicy): boolean {
  return url.pathname.startsWith('/demo/') && policy.selfOrigins.includes(url.origin);
}

/** Decides on a URL before any lookup: enough for local mode, IP literals, allow-listed names and mcpscope's demo. */
export function decideTargetUrl(url: URL, policy: TargetPolicy): TargetDecision | undefined {
  if (policy.mode === 'local') return { allowed: true, reason: 'local-mode' };
  if (isSelfDemo(url, policy)) return { allowed: true, reason: 'self-demo' };
  if (hostIsAllowListed(url.hostname, policy.allow)) return { allowed: true, reason: 'allow-listed-host' };
  const literal = normalizeHostname(url.hostname);
  if (parseIp(literal)) return decideAddresses(literal, [{ address: literal, family: literal.includes(':') ? 6 : 4 }], policy);
  return undefined;
}

/**
 * When a server-supplied URL mcpscope sends a browser to or fetches (OAuth endpoints, authorization servers) may
 * be plain http: in local mode always (the person's own development servers); in hosted mode only for the
 * targets an administrator allowed (MCPSCOPE_ALLOWED_TARGETS) and mcpscope's own demo, never a public host, so
 * a hosted instance never sends people to sign in over plaintext. Decided on the URL alone (no DNS lookup).
 */
export function httpUrlRule(policy: TargetPolicy): HttpRule {
  if (policy.mode === 'local') return 'allow';
  return {
    allows: (url) => {
      if (isSelfDemo(url, policy) || hostIsAllowListed(url.hostname, policy.allow)) return true;
      const literal = normalizeHostname(url.hostname);
      return parseIp(literal) !== undefined && addressAllowListed(literal, policy.allow);
    },
    refusal: 'a hosted mcpscope accepts http: only for hosts and ranges listed in MCPSCOPE_ALLOWED_TARGETS, so it was not used',
  };
}

/**
 * Decides on the addresses a host resolved to. Every address must pass: a name that resolves to one public
 * and one private address could be connected to either.
 */
export function decideAddresses(hostname: string, addresses: readonly ResolvedAddress[], policy: TargetPolicy): TargetDecision {
  if (policy.mode === 'local') return { allowed: true, reason: 'local-mode' };
  if (hostIsAllowListed(hostname, policy.allow)) return { allowed: true, reason: 'allow-listed-host' };
  const host = normalizeHostname(hostname);
  if (addresses.length === 0) {
    return {
      allowed: false,
      rule: 'unresolvable',
      message: `The host ${host} did not resolve to any address, so it cannot be checked against the hosted-mode target rules.`,
    };
  }
  let viaAllowList = false;
  for (const { address } of addresses) {
    const ip = parseIp(address);
    if (!ip)
      return {
        allowed: false,
        rule: 'unresolvable',
        address,
        message: `The host ${host} resolved to "${address}", which is not an IP address.`,
      };
    const found = classifyAddress(ip);
    if (!found) continue;
    if (addressAllowListed(address, policy.allow)) {
      viaAllowList = true;
      continue;
    }
    return {
      allowed: false,
      rule: found.rule,
      address,
      range: found.range,
      message: refusal(host, address, found.rule, found.range, found.embeddedIpv4),
    };
  }
  return { allowed: true, reason: viaAllowList ? 'allow-listed-range' : 'public' };
}

function refusal(host: string, address: string, rule: AddressRule, range: string, embedded: string | undefined): string {
  const where = host === address ? `${address} is` : `${host} resolves to ${address}, which is`;
  const carried = embedded ? ` (it carries the IPv4 address ${embedded})` : '';
  return (
    `Target refused by the hosted-mode rule "${rule}": ${where} ${RULE_DESCRIPTIONS[rule]}${carried}, in ${range}. ` +
    'A hosted mcpscope does not reach its own machine, link-local or private networks; an administrator can allow ' +
    'a host or range with MCPSCOPE_ALLOWED_TARGETS.'
  );
}
