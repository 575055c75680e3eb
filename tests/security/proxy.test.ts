// proxy.ts itself, called the way Next.js calls it (a NextRequest in, a Response out), with this process's
// settings (local mode, no token): the Host and Origin checks, the body limit, the rate limit.
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { OWNER_COOKIE } from '@/lib/sessions';
import { config, proxy } from '@/proxy';

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
  it('uses the owner cookie name lib/sessions sets', async () => {
    // The proxy keys rate limits by this cookie; it hard-codes the name to stay out of the sessions module.
    expect(OWNER_COOKIE).toBe('mcpscope_owner');
    const source = await import('node:fs').then((fs) => fs.readFileSync('proxy.ts', 'utf8'));
    expect(source).toContain(`const OWNER_COOKIE = '${OWNER_COOKIE}'`);
  });

  it('runs on pages and API routes, not on build assets', () => {
    const matcher = new RegExp(`^${config.matcher[0]!.replace('/((?!', '/(?!').replace(').*)', ').*')}$`);
    expect(matcher.test('/api/sessions')).toBe(true);
    expect(matcher.test('/inspect/abc')).toBe(true);
    expect(matcher.test('/_next/static/chunks/x.js')).toBe(false);
  });

  it('passes a request from mcpscope itself, with anti-framing headers', async () => {
    const response = await proxy(request('/api/sessions', { method: 'POST', headers: { origin: 'http://localhost:3000' }, body: '{}' }));
    expect(passes(response)).toBe(true);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
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
    expect(passes(await proxy(request('/api/sessions/x', { method: 'DELETE', headers: { origin: 'https://localhost:3000', 'x-forwarded-proto': 'https' } })))).toBe(true);
  });

  it('refuses an API body over the limit with 413, declared or not', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    const declared = await proxy(request('/api/sessions', { method: 'POST', body: big, headers: { 'content-length': String(big.length) } }));
    expect(declared.status).toBe(413);
    expect(await errorCode(declared)).toBe('body_too_large');
    const chunked = await proxy(request('/api/sessions', { method: 'POST', body: big }));
    expect(chunked.status).toBe(413);
  });

  it('rate-limits session creation per owner cookie, with Retry-After', async () => {
    const owner = `${OWNER_COOKIE}=ProxyTestOwner0000000000000000`;
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 60 && statuses.at(-1) !== 429; i++) {
      last = await proxy(request('/api/sessions', { method: 'POST', body: '{}', headers: { cookie: owner } }));
      statuses.push(passes(last) ? 200 : last.status);
    }
    // The burst (30), plus at most a token or two refilled (1 per second) while the loop runs.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(30);
    expect(statuses.filter((s) => s === 200).length).toBeLessThan(33);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorCode(last!)).toBe('rate_limited');
    // Another browser has its own bucket.
    expect(passes(await proxy(request('/api/sessions', { method: 'POST', body: '{}', headers: { cookie: `${OWNER_COOKIE}=OtherOwner00000000000000000000` } })))).toBe(true);
  });

  it('gives requests without an owner cookie (first visits) a shared, ten times larger budget', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 400 && statuses.at(-1) !== 429; i++) {
      const response = await proxy(request('/api/sessions', { method: 'POST', body: '{}', headers: { 'x-forwarded-for': '192.0.2.44' } }));
      statuses.push(passes(response) ? 200 : response.status);
    }
    // A burst of 300 (10 × 30), plus the few tokens that refill (10 per second) while the loop runs.
    const passed = statuses.filter((s) => s === 200).length;
    expect(passed).toBeGreaterThanOrEqual(300);
    expect(passed).toBeLessThan(330);
    expect(statuses.at(-1)).toBe(429);
    // Another address has its own.
    expect(passes(await proxy(request('/api/sessions', { method: 'POST', body: '{}', headers: { 'x-forwarded-for': '192.0.2.45' } })))).toBe(true);
  });
});
