// The front server's answers while Next starts (lib/app-shell/early.ts), on a real node:http server and a build
// folder laid out as Next leaves it: the home page from the template, the build's static files, and nothing else.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CAPTURE_ORIGIN, createEarlyResponder, makeShellTemplate, SHELL_FILE, type EarlyResponder } from '@/lib/app-shell';

const NONCE = 'Y2FwdHVyZWQtbm9uY2UtdmFsdWU=';
const HTML = `<!DOCTYPE html><html><head><script nonce="${NONCE}">theme()</script></head><body><script nonce="${NONCE}">self.__next_f.push([1,"{\\"publicOrigin\\":\\"${CAPTURE_ORIGIN}\\"}"])</script></body></html>`;
const CSS = 'body{color:red}';
const HELD = 599;

let appDir: string;
let origin: string;
let server: http.Server;

function layBuild(dir: string, buildId: string, templateBuildId = buildId): void {
  fs.mkdirSync(path.join(dir, '.next', 'static', 'chunks'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.next', 'BUILD_ID'), buildId);
  fs.writeFileSync(path.join(dir, '.next', 'static', 'chunks', 'a1.css'), CSS);
  fs.writeFileSync(path.join(dir, '.next', 'static', 'chunks', 'notes.md'), '# not a build asset type');
  const template = makeShellTemplate({
    buildId: templateBuildId,
    html: HTML,
    nonce: NONCE,
    headers: [['content-type', 'text/html; charset=utf-8']],
  });
  fs.writeFileSync(path.join(dir, '.next', SHELL_FILE), JSON.stringify(template));
}

beforeAll(async () => {
  appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-early-'));
  // The owner-signing key is made in the data folder: a throwaway one.
  process.env.MCPSCOPE_DATA_DIR = path.join(appDir, 'data');
  layBuild(appDir, 'build-a');
  const early = createEarlyResponder({ appDir, distDir: '.next' }) as EarlyResponder;
  expect(early).toBeDefined();
  server = http.createServer((request, response) => {
    void early(request, response).then((answered) => {
      if (!answered) response.writeHead(HELD).end('held for Next');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(appDir, { recursive: true, force: true });
});

/** A raw request, so the Host header and the path go out exactly as written. */
function ask(
  pathname: string,
  { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: pathname, method, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject).end();
  });
}

describe('while Next starts', () => {
  it('serves the home page from the template with a fresh nonce, its CSP and the public origin', async () => {
    const first = await ask('/', { headers: { accept: 'text/html' } });
    expect(first.status).toBe(200);
    expect(first.headers['x-mcpscope-page']).toBe('early');
    const nonce = /'nonce-([^']+)'/.exec(String(first.headers['content-security-policy']))?.[1];
    expect(nonce).toBeDefined();
    expect(nonce).not.toBe(NONCE);
    expect(first.body).toBe(HTML.split(NONCE).join(nonce!).replace(CAPTURE_ORIGIN, 'http://localhost:3000'));
    expect(first.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(first.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(first.headers['content-length']).toBe(String(Buffer.byteLength(first.body)));
    // A first visit gets its owner at once, as from Next (proxy.ts); a browser that has one keeps it.
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toMatch(/^mcpscope_owner=[A-Za-z0-9_-]{43}$/);
    const again = await ask('/', { headers: { accept: 'text/html', cookie } });
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(/'nonce-([^']+)'/.exec(String(again.headers['content-security-policy']))?.[1]).not.toBe(nonce);
  });

  it('treats a minted or altered owner cookie as none: the browser gets a fresh owner, never the one it made up', async () => {
    const first = await ask('/', { headers: { accept: 'text/html' } });
    const genuine = String(first.headers['set-cookie']).split(';')[0]!;
    const altered = genuine.slice(0, -2) + (genuine.endsWith('AA') ? 'AB' : 'AA');
    for (const cookie of ['mcpscope_owner=' + 'A'.repeat(43), altered, 'mcpscope_owner=admin']) {
      const answer = await ask('/', { headers: { accept: 'text/html', cookie } });
      expect(answer.status).toBe(200);
      const issued = String(answer.headers['set-cookie']).split(';')[0]!;
      expect(issued).toMatch(/^mcpscope_owner=[A-Za-z0-9_-]{43}$/);
      expect(issued).not.toBe(cookie);
      expect(issued).not.toBe(genuine);
    }
  });

  it('answers HEAD / with the headers only', async () => {
    const head = await ask('/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['x-mcpscope-page']).toBe('early');
    expect(head.body).toBe('');
  });

  it("serves the build's static files, cached for good", async () => {
    const css = await ask('/_next/static/chunks/a1.css');
    expect(css.status).toBe(200);
    expect(css.body).toBe(CSS);
    expect(css.headers['content-type']).toBe('text/css; charset=UTF-8');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it.each([
    ['a state-changing method', '/', { method: 'POST' }],
    ['a query (the page reads it)', '/?token=abc', {}],
    ["a client navigation asking for Next's RSC payload", '/', { headers: { rsc: '1' } }],
    ['a server action', '/', { method: 'POST', headers: { 'next-action': 'x' } }],
    ['a Host that is not mcpscope (DNS rebinding)', '/', { headers: { host: 'attacker.example:3000' } }],
    ['another page', '/tokens', {}],
    ['an API route', '/api/health', {}],
    ['a dot segment out of the static folder', '/_next/static/../BUILD_ID', {}],
    ['an encoded dot segment', '/_next/static/%2e%2e/BUILD_ID', {}],
    ['a file type that is not a build asset', '/_next/static/chunks/notes.md', {}],
    ['a static file that does not exist', '/_next/static/chunks/missing.css', {}],
  ])('leaves %s to Next', async (_, pathname, options) => {
    const answer = await ask(pathname, options);
    expect(answer.status).toBe(HELD);
  });
});

describe('which builds have a template', () => {
  it('has none for a build whose template was captured from another build, or that has none', () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-early-'));
    try {
      layBuild(other, 'build-b', 'build-a');
      expect(createEarlyResponder({ appDir: other, distDir: '.next' })).toBeUndefined();
      fs.rmSync(path.join(other, '.next', SHELL_FILE));
      expect(createEarlyResponder({ appDir: other, distDir: '.next' })).toBeUndefined();
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('when mcpscope needs its access token', () => {
  it('leaves every page view to Next, which asks for the token (the early page never skips it)', async () => {
    vi.stubEnv('MCPSCOPE_REQUIRE_TOKEN', '1');
    vi.stubEnv('MCPSCOPE_ACCESS_TOKEN', 'a-long-enough-access-token-for-this-test');
    vi.resetModules();
    try {
      // A fresh copy of lib/ reads the settings from this environment.
      const fresh = await import('@/lib/app-shell');
      const early = fresh.createEarlyResponder({ appDir, distDir: '.next' })!;
      const guarded = http.createServer((request, response) => {
        void early(request, response).then((answered) => {
          if (!answered) response.writeHead(HELD).end('held for Next');
        });
      });
      await new Promise<void>((resolve) => guarded.listen(0, '127.0.0.1', resolve));
      const port = (guarded.address() as AddressInfo).port;
      try {
        const status = (headers: Record<string, string>) =>
          new Promise<number>((resolve, reject) => {
            http
              .get({ host: '127.0.0.1', port, path: '/', headers }, (response) => {
                response.resume();
                resolve(response.statusCode ?? 0);
              })
              .on('error', reject);
          });
        expect(await status({ accept: 'text/html' })).toBe(HELD);
        expect(await status({ accept: 'text/html', authorization: 'Bearer wrong-token' })).toBe(HELD);
        // With the token it is a plain admission, served early like any other.
        expect(await status({ accept: 'text/html', authorization: 'Bearer a-long-enough-access-token-for-this-test' })).toBe(200);
      } finally {
        guarded.closeAllConnections();
        await new Promise((resolve) => guarded.close(resolve));
      }
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
