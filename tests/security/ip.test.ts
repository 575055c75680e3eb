import { describe, expect, it } from 'vitest';
import { cidrContains, classifyAddress, embeddedIpv4, formatIp, isLoopbackAddress, parseCidr, parseIp } from '@/lib/security';

function rule(address: string): string | undefined {
  const ip = parseIp(address);
  if (!ip) throw new Error(`not an address: ${address}`);
  return classifyAddress(ip)?.rule;
}

describe('parseIp', () => {
  it('reads IPv4 and IPv6 literals, with brackets and zone ids', () => {
    expect(parseIp('10.1.2.3')).toEqual({ version: 4, bytes: new Uint8Array([10, 1, 2, 3]) });
    expect(formatIp(parseIp('[::1]')!)).toBe('0:0:0:0:0:0:0:1');
    expect(formatIp(parseIp('fe80::1%eth0')!)).toBe('fe80:0:0:0:0:0:0:1');
    expect(formatIp(parseIp('::ffff:169.254.169.254')!)).toBe('0:0:0:0:0:ffff:a9fe:a9fe');
    expect(formatIp(parseIp('2001:db8::8:800:200c:417a')!)).toBe('2001:db8:0:0:8:800:200c:417a');
  });

  it('refuses what is not an address', () => {
    for (const text of [
      'example.com',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '01.2.3.4',
      '1::2::3',
      ':::',
      'fffff::',
      '1:2:3:4:5:6:7:8:9',
      '',
    ]) {
      expect(parseIp(text), text).toBeUndefined();
    }
  });
});

describe('parseCidr and cidrContains', () => {
  it('matches addresses inside a range and not outside', () => {
    const range = parseCidr('10.1.0.0/16')!;
    expect(cidrContains(range, parseIp('10.1.255.7')!)).toBe(true);
    expect(cidrContains(range, parseIp('10.2.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('fc00::/7')!, parseIp('fd12::1')!)).toBe(true);
    expect(cidrContains(parseCidr('fc00::/7')!, parseIp('fe00::1')!)).toBe(false);
    // A single address is a /32 (or /128); versions never mix.
    expect(cidrContains(parseCidr('192.0.2.7')!, parseIp('192.0.2.7')!)).toBe(true);
    expect(cidrContains(parseCidr('192.0.2.7')!, parseIp('192.0.2.8')!)).toBe(false);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, parseIp('::1')!)).toBe(false);
  });

  it('refuses bad prefixes', () => {
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('::/129')).toBeUndefined();
    expect(parseCidr('10.0.0.0/x')).toBeUndefined();
  });
});

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['fc00::1', 'unique-local'],
    ['fd00:ec2::254', 'unique-local'],
    ['fec0::1', 'site-local'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ])('%s is %s', (address, expected) => {
    expect(rule(address)).toBe(expected);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '100.128.0.1', '11.0.0.1', '2606:4700::1111', '2001:4860:4860::8888'])(
    '%s is public',
    (address) => {
      expect(rule(address)).toBeUndefined();
    },
  );

  it('sees through IPv6 forms that carry an IPv4 address', () => {
    expect(classifyAddress(parseIp('::ffff:127.0.0.1')!)).toMatchObject({ rule: 'loopback', embeddedIpv4: '127.0.0.1' });
    expect(classifyAddress(parseIp('::ffff:a9fe:a9fe')!)).toMatchObject({ rule: 'link-local', embeddedIpv4: '169.254.169.254' });
    expect(classifyAddress(parseIp('64:ff9b::10.0.0.1')!)).toMatchObject({ rule: 'private', embeddedIpv4: '10.0.0.1' });
    expect(classifyAddress(parseIp('2002:c0a8:0101::1')!)).toMatchObject({ rule: 'private', embeddedIpv4: '192.168.1.1' });
    expect(classifyAddress(parseIp('::127.0.0.1')!)).toMatchObject({ rule: 'loopback', embeddedIpv4: '127.0.0.1' });
    expect(classifyAddress(parseIp('::ffff:8.8.8.8')!)).toBeUndefined();
    expect(embeddedIpv4(parseIp('::1')!)).toBeUndefined();
  });

  // Every IPv6 spelling that carries an IPv4 address is judged by that address (issue 12: the translated and
  // Teredo forms passed as public before).
  it.each([
    // [address, rule, embedded IPv4]
    ['::ffff:127.0.0.1', 'loopback', '127.0.0.1'], // IPv4-mapped
    ['::ffff:0:127.0.0.1', 'loopback', '127.0.0.1'], // IPv4-translated (::ffff:0:0:0/96)
    ['::ffff:0:7f00:1', 'loopback', '127.0.0.1'],
    ['0:0:0:0:ffff:0:a9fe:a9fe', 'link-local', '169.254.169.254'],
    ['::ffff:0:10.1.2.3', 'private', '10.1.2.3'],
    ['::127.0.0.1', 'loopback', '127.0.0.1'], // IPv4-compatible (::/96)
    ['::10.0.0.1', 'private', '10.0.0.1'],
    ['::169.254.169.254', 'link-local', '169.254.169.254'],
    ['64:ff9b::127.0.0.1', 'loopback', '127.0.0.1'], // NAT64 well-known prefix
    ['64:ff9b::c0a8:101', 'private', '192.168.1.1'],
    ['64:ff9b:1::a9fe:a9fe', 'link-local', '169.254.169.254'], // NAT64 local-use prefix
    ['2002:7f00:1::', 'loopback', '127.0.0.1'], // 6to4
    ['2002:a00:1:1::5', 'private', '10.0.0.1'],
    ['2002:a9fe:a9fe::1', 'link-local', '169.254.169.254'],
    // Teredo: the last 32 bits are the client's address with every bit flipped.
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback', '127.0.0.1'],
    ['2001::ffff:80ff:fffe', 'loopback', '127.0.0.1'],
    ['2001:0:0:0:0:0:f5ff:fffe', 'private', '10.0.0.1'],
    ['2001:0:4136:e378:8000:63bf:5601:5601', 'link-local', '169.254.169.254'],
    ['2001:0:4136:e378:8000:63bf:3f57:fefe', 'private', '192.168.1.1'],
    ['2001:0:4136:e378:8000:63bf:9bbf:ffff', 'cgnat', '100.64.0.0'],
  ])('%s is %s through its embedded %s', (address, expectedRule, expectedV4) => {
    expect(classifyAddress(parseIp(address)!)).toMatchObject({ rule: expectedRule, embeddedIpv4: expectedV4 });
  });

  it.each([
    ['::ffff:0:8.8.8.8', '8.8.8.8'],
    ['64:ff9b::808:808', '8.8.8.8'],
    ['2002:808:808::1', '8.8.8.8'],
    // 192.0.2.45 as a Teredo client (RFC 4380's own example).
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', '192.0.2.45'],
  ])('%s carries the public %s and stays public', (address, expectedV4) => {
    const ip = parseIp(address)!;
    expect(formatIp(embeddedIpv4(ip)!)).toBe(expectedV4);
    expect(classifyAddress(ip)).toBeUndefined();
  });

  it('does not read an IPv4 address into ordinary 2001: addresses outside Teredo', () => {
    expect(embeddedIpv4(parseIp('2001:db8::7f00:1')!)).toBeUndefined();
    expect(embeddedIpv4(parseIp('2001:4860:4860::8888')!)).toBeUndefined();
  });

  it('isLoopbackAddress', () => {
    expect(isLoopbackAddress('127.0.0.2')).toBe(true);
    expect(isLoopbackAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackAddress('10.0.0.1')).toBe(false);
    expect(isLoopbackAddress('localhost')).toBe(false);
  });
});
