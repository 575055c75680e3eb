// IP addresses as bytes, CIDR ranges, and which special-purpose range an address falls in. Written by hand
// (no node:net) so the same code runs in the proxy and in tests with literal addresses only.

export type IpVersion = 4 | 6;

export interface ParsedIp {
  version: IpVersion;
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: Uint8Array;
}

export interface Cidr {
  version: IpVersion;
  bytes: Uint8Array;
  prefix: number;
  /** As written, for messages. */
  text: string;
}

/** Names of the address ranges hosted mode refuses; each is its own rule in error messages. */
export type AddressRule =
  'loopback' | 'link-local' | 'private' | 'cgnat' | 'unspecified' | 'unique-local' | 'site-local' | 'multicast' | 'reserved';

export interface AddressClass {
  rule: AddressRule;
  /** The range that matched, e.g. `169.254.0.0/16`. */
  range: string;
  /** Set when the address is an IPv6 form that carries an IPv4 address (mapped, translated, compatible, NAT64, 6to4, Teredo). */
  embeddedIpv4?: string;
}

export const RULE_DESCRIPTIONS: Record<AddressRule, string> = {
  loopback: 'a loopback address (this machine)',
  'link-local': 'a link-local address (cloud metadata services such as 169.254.169.254 live here)',
  private: 'a private network address',
  cgnat: 'a carrier-grade NAT (shared) address',
  unspecified: 'an unspecified ("this host") address',
  'unique-local': 'an IPv6 unique local (private) address',
  'site-local': 'an IPv6 site-local (private) address',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i]!;
    // Dotted decimal only: URL parsing already normalized hex and octal forms to this.
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

function parseIpv6(input: string): Uint8Array | undefined {
  let text = input;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (text === '' || /[^0-9a-fA-F:.]/.test(text)) return undefined;
  let tail: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    tail = parseIpv4(text.slice(lastColon + 1));
    if (!tail) return undefined;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const group = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    for (const piece of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
      out.push(parseInt(piece, 16));
    }
    return out;
  };
  const head = group(halves[0]!);
  const rest = halves.length === 2 ? group(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  const bytes = new Uint8Array(16);
  groups.forEach((value, i) => {
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  if (tail) bytes.set(tail, 12);
  return bytes;
}

/** Parses an IPv4 or IPv6 literal (brackets and a zone id are accepted); undefined for anything else. */
export function parseIp(text: string): ParsedIp | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v4 = parseIpv4(bare);
  if (v4) return { version: 4, bytes: v4 };
  if (!bare.includes(':')) return undefined;
  const v6 = parseIpv6(bare);
  return v6 ? { version: 6, bytes: v6 } : undefined;
}

export function isIpLiteral(text: string): boolean {
  return parseIp(text) !== undefined;
}

export function formatIp(ip: ParsedIp): string {
  if (ip.version === 4) return [...ip.bytes].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i]! << 8) | ip.bytes[i + 1]!).toString(16));
  return groups.join(':');
}

/** Parses `10.0.0.0/8`, `fc00::/7`, or a single address (a /32 or /128). */
export function parseCidr(text: string): Cidr | undefined {
  const trimmed = text.trim();
  const slash = trimmed.lastIndexOf('/');
  const address = parseIp(slash >= 0 ? trimmed.slice(0, slash) : trimmed);
  if (!address) return undefined;
  const max = address.version === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const raw = trimmed.slice(slash + 1);
    if (!/^\d{1,3}$/.test(raw)) return undefined;
    prefix = Number(raw);
    if (prefix > max) return undefined;
  }
  return { version: address.version, bytes: address.bytes, prefix, text: trimmed };
}

export function cidrContains(cidr: Cidr, ip: ParsedIp): boolean {
  if (cidr.version !== ip.version) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((cidr.bytes[i]! & mask) !== (ip.bytes[i]! & mask)) return false;
  }
  return true;
}

function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad built-in range ${text}`);
  return parsed;
}

const IPV4_RANGES: Array<[Cidr, AddressRule]> = [
  [cidr('0.0.0.0/8'), 'unspecified'],
  [cidr('10.0.0.0/8'), 'private'],
  [cidr('100.64.0.0/10'), 'cgnat'],
  [cidr('127.0.0.0/8'), 'loopback'],
  [cidr('169.254.0.0/16'), 'link-local'],
  [cidr('172.16.0.0/12'), 'private'],
  [cidr('192.0.0.0/24'), 'reserved'],
  [cidr('192.168.0.0/16'), 'private'],
  [cidr('198.18.0.0/15'), 'reserved'],
  [cidr('224.0.0.0/4'), 'multicast'],
  [cidr('240.0.0.0/4'), 'reserved'],
];

const IPV6_RANGES: Array<[Cidr, AddressRule]> = [
  [cidr('::/128'), 'unspecified'],
  [cidr('::1/128'), 'loopback'],
  [cidr('fe80::/10'), 'link-local'],
  [cidr('fec0::/10'), 'site-local'],
  [cidr('fc00::/7'), 'unique-local'],
  [cidr('ff00::/8'), 'multicast'],
];

interface Embedding {
  range: Cidr;
  /** Where the 4 bytes of the IPv4 address start. */
  offset: number;
  /** Teredo stores the client address inverted (each bit flipped) so NATs do not rewrite it. */
  inverted?: boolean;
}

/** IPv6 forms that carry an IPv4 address, and where: traffic to them may end at that IPv4 address. */
const EMBEDDING: Embedding[] = [
  { range: cidr('::ffff:0:0/96'), offset: 12 }, // IPv4-mapped
  { range: cidr('::ffff:0:0:0/96'), offset: 12 }, // IPv4-translated (RFC 2765 SIIT), e.g. ::ffff:0:127.0.0.1
  { range: cidr('::/96'), offset: 12 }, // IPv4-compatible (deprecated); :: and ::1 are matched before this
  { range: cidr('64:ff9b::/96'), offset: 12 }, // NAT64 well-known prefix
  { range: cidr('64:ff9b:1::/48'), offset: 12 }, // NAT64 local-use prefix
  { range: cidr('2002::/16'), offset: 2 }, // 6to4
  { range: cidr('2001::/32'), offset: 12, inverted: true }, // Teredo: the client's address, XOR 0xffffffff
];

/** The IPv4 address an IPv6 address carries, if it is one of the embedding forms. */
export function embeddedIpv4(ip: ParsedIp): ParsedIp | undefined {
  if (ip.version !== 6) return undefined;
  for (const { range, offset, inverted } of EMBEDDING) {
    if (!cidrContains(range, ip)) continue;
    // ::/96 also holds :: and ::1, which are IPv6 addresses in their own right, not carriers.
    if (range.text === '::/96' && ip.bytes.slice(12, 15).every((b) => b === 0)) return undefined;
    const bytes = ip.bytes.slice(offset, offset + 4);
    if (inverted) for (let i = 0; i < 4; i++) bytes[i] = ~bytes[i]! & 0xff;
    return { version: 4, bytes };
  }
  return undefined;
}

/** The special-purpose range an address is in, or undefined for an ordinary public address. */
export function classifyAddress(ip: ParsedIp): AddressClass | undefined {
  const ranges = ip.version === 4 ? IPV4_RANGES : IPV6_RANGES;
  for (const [range, rule] of ranges) if (cidrContains(range, ip)) return { rule, range: range.text };
  const inner = embeddedIpv4(ip);
  if (inner) {
    const found = classifyAddress(inner);
    if (found) return { ...found, embeddedIpv4: formatIp(inner) };
  }
  return undefined;
}

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackAddress(text: string): boolean {
  const ip = parseIp(text);
  return ip !== undefined && classifyAddress(ip)?.rule === 'loopback';
}
