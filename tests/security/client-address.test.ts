// Which client a request comes from: the connection's peer, never a header the client chose, unless the peer is a
// proxy listed in MCPSCOPE_TRUSTED_PROXIES (issue 12: the no-cookie budget keyed on a client-sent X-Forwarded-For).
import { afterEach, describe, expect, it } from 'vitest';
import {
  clientKey,
  clientOfHeaders,
  clientOfPeer,
  formatIp,
  parseClientAddress,
  parseTrustedProxies,
  PEER_ADDRESS_HEADER,
  readSecuritySettings,
  resolveClientAddress,
  UNKNOWN_CLIENT,
} from '@/lib/security';

const FRONT = Symbol.for('mcpscope.front-sets-peer-address');
const holder = globalThis as typeof globalThis & { [FRONT]?: boolean };
afterEach(() => {
  delete holder[FRONT];
});

const proxies = (raw: string) => parseTrustedProxies(raw).proxies;
const client = (peer: string | undefined, xff: string | undefined, trusted = '') =>
  clientKey(resolveClientAddress(peer, xff, proxies(trusted)));

describe('MCPSCOPE_TRUSTED_PROXIES', () => {
  it('takes addresses and CIDR ranges, and reports what it did not understand', () => {
    const parsed = parseTrustedProxies('10.0.0.0/8, 192.0.2.1 fd00::/8,,not-an-ip 10.0.0.0/99');
    expect(parsed.proxies.map((p) => p.text)).toEqual(['10.0.0.0/8', '192.0.2.1', 'fd00::/8']);
    expect(parsed.rejected).toEqual(['not-an-ip', '10.0.0.0/99']);
    expect(readSecuritySettings({}).trustedProxies).toEqual([]);
    expect(readSecuritySettings({ MCPSCOPE_TRUSTED_PROXIES: '127.0.0.1, nope' })).toMatchObject({ rejectedTrustedProxies: ['nope'] });
  });
});

describe('the client address', () => {
  it('is the peer when the peer is not a trusted proxy, whatever X-Forwarded-For says', () => {
    expect(client('203.0.113.9', '198.51.100.1')).toBe('203.0.113.9');
    expect(client('203.0.113.9', '198.51.100.1', '10.0.0.0/8')).toBe('203.0.113.9');
    expect(client('203.0.113.9', undefined, '203.0.113.9')).toBe('203.0.113.9');
  });

  it('from a trusted proxy, is the rightmost X-Forwarded-For address that is not a trusted proxy', () => {
    // The client wrote "1.1.1.1" itself; the proxy appended the address it really saw.
    expect(client('10.0.0.2', '1.1.1.1, 203.0.113.50', '10.0.0.0/8')).toBe('203.0.113.50');
    // Two trusted hops: skip both.
    expect(client('10.0.0.2', '1.1.1.1, 203.0.113.50, 10.0.0.7', '10.0.0.0/8')).toBe('203.0.113.50');
    // Every hop trusted: the leftmost one is as far as anyone vouches.
    expect(client('10.0.0.2', '10.0.0.9, 10.0.0.7', '10.0.0.0/8')).toBe('10.0.0.9');
    // Garbage where a trusted proxy should have written an address: stop at the last hop vouched for.
    expect(client('10.0.0.2', '203.0.113.50, unknown, 10.0.0.7', '10.0.0.0/8')).toBe('10.0.0.7');
    expect(client('10.0.0.2', 'nonsense', '10.0.0.0/8')).toBe('10.0.0.2');
  });

  it('reads ports, brackets and IPv4-mapped IPv6 as the address they name', () => {
    expect(formatted('198.51.100.2:5000')).toBe('198.51.100.2');
    expect(formatted('[2001:db8::1]:443')).toBe('2001:db8:0:0:0:0:0:1');
    expect(formatted('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(parseClientAddress('example.com')).toBeUndefined();
    // A dual-stack socket reports the mapped form; it is the same client as the plain IPv4 address.
    expect(client('::ffff:10.0.0.2', '203.0.113.50', '10.0.0.2')).toBe('203.0.113.50');
  });

  it('counts an IPv6 client by its /64, since it may change the rest at will', () => {
    expect(client('2001:db8:1:2:aaaa::1', undefined)).toBe('2001:db8:1:2::/64');
    expect(client('2001:db8:1:2:bbbb::9', undefined)).toBe('2001:db8:1:2::/64');
    expect(client('2001:db8:1:3::1', undefined)).not.toBe(client('2001:db8:1:2::1', undefined));
    expect(client(undefined, '203.0.113.50')).toBe(UNKNOWN_CLIENT);
  });
});

describe('the peer address header (set by scripts/start.mjs)', () => {
  const headers = (values: Record<string, string>) => new Headers(values);

  it('is believed only when the server in front says it sets it', () => {
    const forged = headers({ [PEER_ADDRESS_HEADER]: '203.0.113.77' });
    expect(clientOfHeaders(forged, [])).toBe(UNKNOWN_CLIENT);
    holder[FRONT] = true;
    expect(clientOfHeaders(forged, [])).toBe('203.0.113.77');
  });

  it('with X-Forwarded-For from an untrusted peer, still names the peer', () => {
    holder[FRONT] = true;
    expect(clientOfHeaders(headers({ [PEER_ADDRESS_HEADER]: '127.0.0.2', 'x-forwarded-for': '198.51.100.1' }), [])).toBe('127.0.0.2');
    expect(clientOfHeaders(headers({ [PEER_ADDRESS_HEADER]: '127.0.0.1', 'x-forwarded-for': '198.51.100.1' }), proxies('127.0.0.1'))).toBe(
      '198.51.100.1',
    );
    expect(clientOfPeer('::ffff:127.0.0.1', '198.51.100.1', proxies('127.0.0.0/8'))).toBe('198.51.100.1');
  });
});

function formatted(text: string): string | undefined {
  const ip = parseClientAddress(text);
  return ip && formatIp(ip);
}
