// proxy.ts itself, called the way Next.js calls it (a NextRequest in, a Response out), with this process's
// settings (local mode, no token, no trusted proxies): the Host and Origin checks, the body limit, the rate limits.
import { randomBytes } from 'node:crypto';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEER_ADDRESS_HEADER } from '@/lib/security';
import { newOwnerId, OWNER_COOKIE, signOwner } from '@/lib/sessions';
import { config, proxy } from '@/proxy';

// What scripts/start.mjs does in front of Next: it sets the peer address header, and says so.
const FRONT = Symbol.for('mcpscope.front-sets-peer-address');
const holder = globalThis as typeof globalThis & { [FRONT]?: boolean };
beforeAll(() => {
  holder[FRONT] = true;
});
afterAll(() => {
  delete holder[FRONT];
});

function request(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): NextRequest {
  return new NextRequest(`http://localhost:3000${path}`, {
    method: init.method ?? 'GET',
    headers: { host: 'localhost:3000', ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
}

async function errorCode(response: Response): Promise<string | undefined> {
  return ((await response.json()) as { error?: { code?: string } }).error?.code;
}

/** NextResponse.next() marks "carry on to the route" with this header. */
const passes = (response: Response) => response.headers.get('x-middleware-next') === '1';

describe('proxy', () => {
  it('reads the owner cookie through the one reader (lib/security/owner.ts), not its own copy of the rules', async () => {
    const source = await import('node:fs').then((fs) => fs.readFileSync('proxy.ts', 'utf8'));
    expect(source).toContain('ownerFromCookieHeader(');
    expect(source).not.toContain(OWNER_COOKIE);
    expect(source.toLowerCase()).not.toContain("'x-forwarded-for'");
  });

  it("gives a first page view its owner cookie (so the page's parallel first API calls share one owner), and a known browser none", async () => {
    const first = await proxy(request('/', { headers: { accept: 'text/html' } }));
    expect(passes(first)).toBe(true);
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    const value = /^([^=]+)=([^;]+)/.exec(cookie);
    expect(value?.[1]).toBe(OWNER_COOKIE);
    // The cookie it set is one mcpscope signed: the next page view carries it and gets no other.
    const again = await proxy(request('/inspect/abc', { headers: { accept: 'text/html', cookie: `${OWNER_COOKIE}=${value![2]}` } }));
    expect(again.headers.get('set-cookie')).toBeNull();
    // An API call is left to its route (which mints when it must); a forged cookie is no owner.
    expect((await proxy(request('/api/stdio', { headers: { accept: 'application/json' } }))).headers.get('set-cookie')).toBeNull();
    const forged = await proxy(request('/', { headers: { accept: 'text/html', cookie: `${OWNER_COOKIE}=${newOwnerId()}.forged` } }));
    expect(forged.headers.get('set-cookie')).toMatch(new RegExp(`^${OWNER_COOKIE}=`));
  });

  it('runs on pages and API routes, not on build assets', () => {
    const matcher = new RegExp(`^${config.matcher[0]!.replace('/((?!', '/(?!').replace(').*)', ').*')}$`);
    expect(matcher.test('/api/sessions')).toBe(true);
    expect(matcher.test('/inspect/abc')).toBe(true);
    expect(matcher.test('/_next/static/chunks/x.js')).toBe(false);
  });

  it('passes a request from mcpscope itself, with anti-framing headers (framed by itself only)', async () => {
    const response = await proxy(request('/api/sessions', { method: 'POST', headers: { origin: 'http://localhost:3000' }, body: '{}' }));
    expect(passes(response)).toBe(true);
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('refuses a foreign Host and a foreign Origin before any route runs', async () => {
    const host = await proxy(request('/api/health', { headers: { host: 'rebind.attacker.example' } }));
    expect(host.status).toBe(403);
    expect(await errorCode(host)).toBe('forbidden_host');
    const origin = await proxy(request('/api/sessions/x', { method: 'DELETE', headers: { origin: 'http://localhost:5173' } }));
    expect(origin.status).toBe(403);
    expect(await errorCode(origin)).toBe('forbidden_origin');
    const page = await proxy(request('/', { headers: { host: 'evil.example', accept: 'text/html' } }));
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toContain('text/html');
  });

  it('refuses a page at https://localhost:<port> sending to http://localhost:<port> (issue 12: the scheme is part of the origin)', async () => {
    const spoofed = await proxy(request('/api/sessions/x', { method: 'DELETE', headers: { origin: 'https://localhost:3000' } }));
    expect(spoofed.status).toBe(403);
    expect(await errorCode(spoofed)).toBe('forbidden_origin');
    const events = await proxy(request('/api/sessions/x/events', { headers: { origin: 'https://localhost:3000' } }));
    expect(events.status).toBe(403);
    // The same page behind a TLS-terminating proxy that says so is mcpscope's own.
    expect(
      passes(
        await proxy(
          request('/api/sessions/x', { method: 'DELETE', headers: { origin: 'https://localhost:3000', 'x-forwarded-proto': 'https' } }),
        ),
      ),
    ).toBe(true);
  });

  it('refuses an API body over the limit with 413, declared or not', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    const declared = await proxy(
      request('/api/sessions', { method: 'POST', body: big, headers: { 'content-length': String(big.length) } }),
    );
    expect(declared.status).toBe(413);
    expect(await errorCode(declared)).toBe('body_too_large');
    const chunked = await proxy(request('/api/sessions', { method: 'POST', body: big }));
    expect(chunked.status).toBe(413);
  });

  it('rate-limits session creation per signed owner, with Retry-After', async () => {
    const peer = '198.51.100.10';
    const owner = `${OWNER_COOKIE}=${signOwner(newOwnerId())}`;
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 60 && statuses.at(-1) !== 429; i++) {
      last = await proxy(request('/api/sessions', { method: 'POST', body: '{}', headers: { cookie: owner, [PEER_ADDRESS_HEADER]: peer } }));
      statuses.push(passes(last) ? 200 : last.status);
    }
    // The burst (30), plus at most a token or two refilled (1 per second) while the loop runs.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(30);
    expect(statuses.filter((s) => s === 200).length).toBeLessThan(33);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorCode(last!)).toBe('rate_limited');
    // Another browser at the same address has its own bucket.
    const other = `${OWNER_COOKIE}=${signOwner(newOwnerId())}`;
    expect(
      passes(
        await proxy(request('/api/sessions', { method: 'POST', body: '{}', headers: { cookie: other, [PEER_ADDRESS_HEADER]: peer } })),
      ),
    ).toBe(true);
  });

  it('a cookie-minting flood with forged X-Forwarded-For shares one budget per address, and others keep theirs', async () => {
    const flooder = '198.51.100.20';
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 200 && statuses.at(-1) !== 429; i++) {
      // Each request invents a well-formed owner cookie and claims to come from somewhere else.
      const headers = {
        cookie: `${OWNER_COOKIE}=${randomBytes(32).toString('base64url')}`,
        'x-forwarded-for': `203.0.113.${i % 250}`,
        [PEER_ADDRESS_HEADER]: flooder,
      };
      last = await proxy(request('/api/sessions', { method: 'POST', body: '{}', headers }));
      statuses.push(passes(last) ? 200 : last.status);
    }
    // One browser's burst (30) for the whole address, not 30 per invented cookie nor per forged address.
    const passed = statuses.filter((s) => s === 200).length;
    expect(passed).toBeGreaterThanOrEqual(30);
    expect(passed).toBeLessThan(33);
    expect(statuses.at(-1)).toBe(429);
    const body = (await last!.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toContain('per browser');
    // Another address is not held back by the flood, with or without a cookie.
    expect(
      passes(await proxy(request('/api/sessions', { method: 'POST', body: '{}', headers: { [PEER_ADDRESS_HEADER]: '198.51.100.21' } }))),
    ).toBe(true);
  });

  it("caps one address at four browsers' budget, however many signed owners it holds", async () => {
    const peer = '198.51.100.30';
    const statuses: number[] = [];
    let last: Response | undefined;
    const started = Date.now();
    for (let i = 0; i < 200 && statuses.at(-1) !== 429; i++) {
      // A fresh signed owner every 10 requests: no single browser reaches its own limit.
      const owner = `${OWNER_COOKIE}=${signOwner(newOwnerIdFor(Math.floor(i / 10)))}`;
      last = await proxy(request('/api/sessions', { method: 'POST', body: '{}', headers: { cookie: owner, [PEER_ADDRESS_HEADER]: peer } }));
      statuses.push(passes(last) ? 200 : last.status);
    }
    const passed = statuses.filter((s) => s === 200).length;
    // The address's burst (4 × 30), plus what refills (4 per second) while the loop runs.
    expect(passed).toBeGreaterThanOrEqual(120);
    expect(passed).toBeLessThanOrEqual(120 + Math.ceil(((Date.now() - started) / 1000) * 4));
    const body = (await last!.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'rate_limited' });
    expect(body.error.message).toContain('per client address (4 × MCPSCOPE_SESSION_RATE)');
  });
});

const owners: string[] = [];
function newOwnerIdFor(index: number): string {
  owners[index] ??= newOwnerId();
  return owners[index];
}
