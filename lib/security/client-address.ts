// Which client a request comes from, for the per-client limits: the address of the peer that opened the
// connection, which a client cannot choose. `X-Forwarded-For` is believed only when that peer is a proxy the
// operator listed in MCPSCOPE_TRUSTED_PROXIES, and only as far as trusted proxies vouch for it: the list is
// read from the right (the hop nearest mcpscope), skipping trusted proxies; the first other address is the
// client. Anything to the left of it was written by the client and proves nothing.
//
// The peer address reaches Next.js in PEER_ADDRESS_HEADER, set by the node:http server in front of it
// (scripts/start.mjs), which first removes any copy a client sent. The header is believed only when that
// server says it is in front (FRONT_KEY); without it (e.g. `next dev`) every client is "unknown".
import { cidrContains, embeddedIpv4, formatIp, parseCidr, parseIp, type Cidr, type ParsedIp } from './ip';

export const PEER_ADDRESS_HEADER = 'x-mcpscope-peer-address';
/** Set on globalThis by scripts/start.mjs: it strips and sets PEER_ADDRESS_HEADER on every request. */
const FRONT_KEY = Symbol.for('mcpscope.front-sets-peer-address');
/** The key of requests whose peer is not known: they share one budget. */
export const UNKNOWN_CLIENT = 'unknown';

export interface HeaderSource {
  get(name: string): string | null;
}

/** MCPSCOPE_TRUSTED_PROXIES: addresses and CIDR ranges, separated by commas or spaces. */
export function parseTrustedProxies(raw: string | undefined): { proxies: Cidr[]; rejected: string[] } {
  const proxies: Cidr[] = [];
  const rejected: string[] = [];
  for (const entry of (raw ?? '').split(/[\s,]+/).filter(Boolean)) {
    const cidr = parseCidr(entry);
    if (cidr) proxies.push(cidr);
    else rejected.push(entry);
  }
  return { proxies, rejected };
}

/**
 * An address as it appears in a socket or an X-Forwarded-For entry (`203.0.113.7`, `[2001:db8::1]:443`,
 * `198.51.100.2:5000`, `::ffff:127.0.0.1`), parsed; IPv4-mapped IPv6 counts as the IPv4 address it carries.
 */
export function parseClientAddress(text: string | null | undefined): ParsedIp | undefined {
  if (!text) return undefined;
  let bare = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(bare);
  if (bracketed) bare = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(bare)) bare = bare.slice(0, bare.lastIndexOf(':'));
  const ip = parseIp(bare);
  if (!ip) return undefined;
  if (ip.version === 6 && ip.bytes.slice(0, 10).every((b) => b === 0) && ip.bytes[10] === 0xff && ip.bytes[11] === 0xff)
    return embeddedIpv4(ip);
  return ip;
}

function trusted(ip: ParsedIp, proxies: readonly Cidr[]): boolean {
  return proxies.some((range) => cidrContains(range, ip));
}

/**
 * The client's address: the peer, or, when the peer is a trusted proxy, the rightmost X-Forwarded-For address
 * that is not a trusted proxy. Undefined when the peer is not known.
 */
export function resolveClientAddress(
  peer: string | null | undefined,
  forwardedFor: string | null | undefined,
  proxies: readonly Cidr[],
): ParsedIp | undefined {
  let client = parseClientAddress(peer);
  if (!client || !forwardedFor || !trusted(client, proxies)) return client;
  const hops = forwardedFor.split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseClientAddress(hops[i]);
    // Garbage where a trusted proxy should have written an address: stop at the last hop that was vouched for.
    if (!hop) return client;
    client = hop;
    if (!trusted(hop, proxies)) return hop;
  }
  return client;
}

/**
 * The key limits count a client by: its IPv4 address, or its IPv6 /64 (one subscriber's network; an IPv6
 * client can change the rest of its address at will). `unknown` when the peer is not known.
 */
export function clientKey(ip: ParsedIp | undefined): string {
  if (!ip) return UNKNOWN_CLIENT;
  if (ip.version === 4) return formatIp(ip);
  const network = new Uint8Array(16);
  network.set(ip.bytes.subarray(0, 8));
  return `${formatIp({ version: 6, bytes: network }).replace(/(:0)+$/, '::')}/64`;
}

/** Whether the server in front of Next (scripts/start.mjs) sets PEER_ADDRESS_HEADER, so it can be believed. */
export function peerHeaderIsSet(): boolean {
  return (globalThis as typeof globalThis & { [FRONT_KEY]?: boolean })[FRONT_KEY] === true;
}

let warnedAboutForwarding = false;

/** Whether X-Forwarded-For names anyone but the peer (Next.js itself fills it in with the peer when absent). */
function namesOthers(forwardedFor: string, peer: ParsedIp): boolean {
  return forwardedFor.split(',').some((hop) => {
    const ip = parseClientAddress(hop);
    return !ip || ip.version !== peer.version || !ip.bytes.every((byte, i) => byte === peer.bytes[i]);
  });
}

/** The client key of a request that went through Next.js (proxy.ts, route handlers). */
export function clientOfHeaders(headers: HeaderSource, proxies: readonly Cidr[]): string {
  const peer = peerHeaderIsSet() ? headers.get(PEER_ADDRESS_HEADER) : null;
  return clientOfPeer(peer, headers.get('x-forwarded-for'), proxies);
}

/** The client key from the peer address and the X-Forwarded-For header (lib/direct-rpc has the socket). */
export function clientOfPeer(peer: string | null | undefined, forwardedFor: string | null | undefined, proxies: readonly Cidr[]): string {
  const peerIp = parseClientAddress(peer);
  if (forwardedFor && peerIp && !trusted(peerIp, proxies) && !warnedAboutForwarding && namesOthers(forwardedFor, peerIp)) {
    warnedAboutForwarding = true;
    console.warn(
      `mcpscope: a request from ${formatIp(peerIp)} carries X-Forwarded-For, which is ignored because ${formatIp(peerIp)} is not in MCPSCOPE_TRUSTED_PROXIES. If mcpscope runs behind a reverse proxy at that address, list it there; otherwise all of that proxy's clients share one client's limits. (Said once.)`,
    );
  }
  return clientKey(resolveClientAddress(peer, forwardedFor, proxies));
}
