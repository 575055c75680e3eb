import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appCsp, appResourceMeta, appResourceUri, toolVisibility, viewContentSecurityPolicy, visibleToApps } from '@/lib/apps';
import { mcpscopeOrigins, sandboxHostAllowed, startSandboxServer, type SandboxServer } from '@/lib/apps-sandbox';
import { request } from 'node:http';

describe('app metadata', () => {
  it('reads the nested key first, then the legacy flat key, only ui:// URIs', () => {
    expect(appResourceUri({ _meta: { ui: { resourceUri: 'ui://a/x.html' }, 'ui/resourceUri': 'ui://b/y.html' } })).toBe('ui://a/x.html');
    expect(appResourceUri({ _meta: { 'ui/resourceUri': 'ui://b/y.html' } })).toBe('ui://b/y.html');
    expect(appResourceUri({ _meta: { ui: { resourceUri: 'https://evil.example/x.html' } } })).toBeUndefined();
    expect(appResourceUri({ _meta: { ui: { resourceUri: 42 } } })).toBeUndefined();
    expect(appResourceUri({})).toBeUndefined();
  });

  it('visibility defaults to model and app', () => {
    expect(toolVisibility({})).toEqual(['model', 'app']);
    expect(visibleToApps({ _meta: { ui: { visibility: ['model'] } } })).toBe(false);
    expect(visibleToApps({ _meta: { ui: { visibility: ['app'] } } })).toBe(true);
  });

  it('the view CSP holds what was declared and nothing wider; junk origins are dropped', () => {
    const csp = appCsp({
      connectDomains: ['https://api.example.com', "https://x.example.com; script-src 'unsafe-eval'", 'javascript:alert(1)'],
      resourceDomains: ['https://*.cdn.example.com/'],
    });
    expect(csp.connectDomains).toEqual(['https://api.example.com']);
    expect(csp.resourceDomains).toEqual(['https://*.cdn.example.com']);
    const policy = viewContentSecurityPolicy(csp);
    expect(policy).toContain('connect-src https://api.example.com;');
    expect(policy).toContain("frame-src 'none'");
    expect(policy).not.toContain('unsafe-eval');
    expect(viewContentSecurityPolicy(appCsp(undefined))).toContain("connect-src 'none'");
    expect(appResourceMeta({ ui: { permissions: { camera: {}, usb: {} } } }).permissions).toEqual({ camera: {} });
  });
});

describe('sandbox proxy server', () => {
  let server: SandboxServer;
  const hostOrigin = 'http://localhost:3999';
  beforeAll(async () => {
    server = await startSandboxServer({ hostOrigins: mcpscopeOrigins(undefined, 3999) });
  });
  afterAll(async () => {
    await server.close();
  });

  function get(
    path: string,
    host = `v-abc.localhost:${server.port}`,
  ): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('serves the proxy page with the declared CSP and only to mcpscope as a framer', async () => {
    const csp = Buffer.from(JSON.stringify({ connectDomains: ['https://api.example.com'] })).toString('base64url');
    const ok = await get(`/proxy.html?host=${encodeURIComponent(hostOrigin)}&csp=${csp}`);
    expect(ok.status).toBe(200);
    const policy = String(ok.headers['content-security-policy']);
    expect(policy).toContain('connect-src https://api.example.com;');
    expect(policy).toContain(`frame-ancestors ${hostOrigin}`);
    expect(ok.body).toContain('/proxy.js');
    expect((await get(`/proxy.html?host=${encodeURIComponent('https://evil.example')}`)).status).toBe(403);
  });

  it('answers loopback names at its own port only', async () => {
    expect((await get('/proxy.js', `evil.example:${server.port}`)).status).toBe(421);
    expect((await get('/proxy.js')).status).toBe(200);
    expect(sandboxHostAllowed(`v-1.localhost:${server.port}`, server.port)).toBe(true);
    expect(sandboxHostAllowed(`a.b.localhost:${server.port}`, server.port)).toBe(false);
    expect(sandboxHostAllowed(`localhost:1`, server.port)).toBe(false);
  });
});
