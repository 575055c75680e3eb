// The target rules, on literal addresses and a fake resolver only: nothing here sends traffic anywhere.
import { describe, expect, it } from 'vitest';
import {
  checkTargetUrl,
  decideAddresses,
  decideTargetUrl,
  parseAllowList,
  readSecuritySettings,
  type ResolvedAddress,
  type TargetPolicy,
} from '@/lib/security';

function policy(mode: 'local' | 'hosted', allowed = '', selfOrigins: string[] = []): TargetPolicy {
  return { mode, allow: parseAllowList(allowed).allow, selfOrigins };
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });

/** A resolver that knows a few names and fails for the rest, like DNS would. */
function fakeResolver(table: Record<string, ResolvedAddress[]>) {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    const found = table[hostname];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
  return { resolve, asked };
}

describe('local mode', () => {
  it('allows every target, loopback included, without resolving anything', async () => {
    const { resolve, asked } = fakeResolver({});
    for (const url of [
      'http://127.0.0.1:3000/mcp',
      'http://localhost/mcp',
      'http://169.254.169.254/latest',
      'http://[::1]/',
      'https://internal.corp/mcp',
    ]) {
      expect(await checkTargetUrl(url, policy('local'), resolve)).toEqual({ allowed: true, reason: 'local-mode' });
    }
    expect(asked).toEqual([]);
  });
});

describe('hosted mode', () => {
  it.each([
    ['http://127.0.0.1:8080/mcp', 'loopback'],
    ['http://[::1]/mcp', 'loopback'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://10.0.0.5/mcp', 'private'],
    ['http://172.20.1.1/mcp', 'private'],
    ['http://192.168.0.10/mcp', 'private'],
    ['http://[fd00::5]/mcp', 'unique-local'],
    ['http://100.100.100.200/', 'cgnat'],
    ['http://0.0.0.0:3000/', 'unspecified'],
    ['http://[::ffff:127.0.0.1]/mcp', 'loopback'],
    ['http://[::ffff:a9fe:a9fe]/', 'link-local'],
    // IPv6 spellings that carry an internal IPv4 address (translated, compatible, NAT64, 6to4, Teredo).
    ['http://[::ffff:0:127.0.0.1]/mcp', 'loopback'],
    ['http://[::127.0.0.1]:8080/mcp', 'loopback'],
    ['http://[64:ff9b::a9fe:a9fe]/latest/meta-data/', 'link-local'],
    ['http://[64:ff9b::10.0.0.1]/mcp', 'private'],
    ['http://[2002:7f00:1::1]/mcp', 'loopback'],
    ['http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/mcp', 'loopback'],
    ['http://[2001:0:4136:e378:8000:63bf:5601:5601]/', 'link-local'],
    // WHATWG URL parsing normalizes these spellings of 127.0.0.1 before any rule sees them.
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
  ])('refuses the literal %s (%s)', async (url, expectedRule) => {
    const decision = await checkTargetUrl(url, policy('hosted'), fakeResolver({}).resolve);
    expect(decision).toMatchObject({ allowed: false, rule: expectedRule });
    if (!decision.allowed) {
      expect(decision.message).toContain(`"${expectedRule}"`);
      expect(decision.message).toContain('MCPSCOPE_ALLOWED_TARGETS');
    }
  });

  it('refuses names that resolve to internal addresses, judged on every address', async () => {
    const { resolve } = fakeResolver({
      localhost: [v4('127.0.0.1'), v6('::1')],
      'metadata.google.internal': [v4('169.254.169.254')],
      'rebind.example': [v4('93.184.216.34'), v4('10.0.0.1')],
      'public.example': [v4('93.184.216.34'), v6('2606:2800:220:1::1')],
    });
    expect(await checkTargetUrl('http://localhost:3000/mcp', policy('hosted'), resolve)).toMatchObject({
      allowed: false,
      rule: 'loopback',
      address: '127.0.0.1',
    });
    const metadata = await checkTargetUrl('http://metadata.google.internal/computeMetadata/v1/', policy('hosted'), resolve);
    expect(metadata).toMatchObject({ allowed: false, rule: 'link-local' });
    if (!metadata.allowed) expect(metadata.message).toContain('metadata.google.internal resolves to 169.254.169.254');
    expect(await checkTargetUrl('https://rebind.example/mcp', policy('hosted'), resolve)).toMatchObject({
      allowed: false,
      rule: 'private',
      address: '10.0.0.1',
    });
    expect(await checkTargetUrl('https://public.example/mcp', policy('hosted'), resolve)).toEqual({ allowed: true, reason: 'public' });
  });

  it('lets allow-listed hosts, wildcard domains and ranges through, and nothing more', async () => {
    const { resolve } = fakeResolver({
      'mcp.internal': [v4('10.1.2.3')],
      'a.corp.example': [v4('192.168.5.5')],
      'lab.example': [v4('10.9.0.7')],
      'other.example': [v4('10.8.0.7')],
    });
    const allowed = policy('hosted', 'mcp.internal, *.corp.example 10.9.0.0/16,127.0.0.1');
    expect(await checkTargetUrl('http://mcp.internal/mcp', allowed, resolve)).toEqual({ allowed: true, reason: 'allow-listed-host' });
    expect(await checkTargetUrl('http://a.corp.example/mcp', allowed, resolve)).toEqual({ allowed: true, reason: 'allow-listed-host' });
    expect(await checkTargetUrl('http://lab.example/mcp', allowed, resolve)).toEqual({ allowed: true, reason: 'allow-listed-range' });
    expect(await checkTargetUrl('http://127.0.0.1:9000/mcp', allowed, resolve)).toEqual({ allowed: true, reason: 'allow-listed-range' });
    expect(await checkTargetUrl('http://other.example/mcp', allowed, resolve)).toMatchObject({ allowed: false, rule: 'private' });
    expect(await checkTargetUrl('http://127.0.0.2:9000/mcp', allowed, resolve)).toMatchObject({ allowed: false, rule: 'loopback' });
    // `*.corp.example` covers subdomains, not the bare domain.
    expect(decideAddresses('corp.example', [v4('192.168.5.5')], allowed)).toMatchObject({ allowed: false });
  });

  it('lets names that do not resolve through (fetch explains "host not found")', async () => {
    expect(await checkTargetUrl('http://nowhere.invalid/mcp', policy('hosted'), fakeResolver({}).resolve)).toMatchObject({ allowed: true });
  });

  it('always reaches its own demo server, and only that path of its own origin', () => {
    const own = policy('hosted', '', ['http://localhost:3000']);
    expect(decideTargetUrl(new URL('http://localhost:3000/demo/mcp'), own)).toEqual({ allowed: true, reason: 'self-demo' });
    expect(decideTargetUrl(new URL('http://localhost:3000/demo/../api/sessions'), own)).toBeUndefined();
    expect(decideTargetUrl(new URL('http://localhost:3001/demo/mcp'), own)).toBeUndefined();
  });

  it('refuses an empty or non-address resolution', () => {
    expect(decideAddresses('weird.example', [], policy('hosted'))).toMatchObject({ allowed: false, rule: 'unresolvable' });
    expect(decideAddresses('weird.example', [v4('not-an-ip')], policy('hosted'))).toMatchObject({ allowed: false, rule: 'unresolvable' });
  });
});

describe('parseAllowList', () => {
  it('sorts hosts from ranges and reports what it does not understand', () => {
    const { allow, rejected } = parseAllowList('Mcp.Internal., *.corp.example, 10.0.0.0/8 fd00::/8 bad/host, 10.0.0.0/99');
    expect(allow.hosts).toEqual(['mcp.internal', '.corp.example']);
    expect(allow.cidrs.map((c) => c.text)).toEqual(['10.0.0.0/8', 'fd00::/8']);
    expect(rejected).toEqual(['bad/host', '10.0.0.0/99']);
  });
});

describe('the mode a process runs in', () => {
  it('is local on loopback and hosted beyond it or when set', () => {
    expect(readSecuritySettings({}).mode).toBe('local');
    expect(readSecuritySettings({ HOST: 'localhost' }).mode).toBe('local');
    expect(readSecuritySettings({ HOST: '0.0.0.0' }).mode).toBe('hosted');
    expect(readSecuritySettings({ HOST: '192.168.1.20' }).mode).toBe('hosted');
    expect(readSecuritySettings({ HOST: '127.0.0.1', MCPSCOPE_MODE: 'hosted' }).mode).toBe('hosted');
    expect(readSecuritySettings({ MCPSCOPE_ALLOWED_TARGETS: '10.0.0.0/8, nonsense/x' }).rejectedTargets).toEqual(['nonsense/x']);
  });
});
