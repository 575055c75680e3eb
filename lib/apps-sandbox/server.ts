// The MCP Apps sandbox proxy's HTTP server: a node:http server on its own loopback port, so a view never runs on
// mcpscope's origin. Each view gets its own host name under `localhost` (`v-<viewId>.localhost:<port>`, which
// browsers resolve to loopback): its own origin and site, so two views cannot reach each other and none shares
// cookies with mcpscope. It serves three static documents; the view's CSP is a response header built from the
// resource's declared `_meta.ui.csp` (lib/apps), inherited by the view's srcdoc frame.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appCsp, viewContentSecurityPolicy } from '../apps';
import { PROXY_JS, REPORT_JS, proxyHtml } from './page';

export interface SandboxServerOptions {
  /** Interface to bind: loopback unless mcpscope itself is told otherwise. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Origins allowed to frame the proxy (mcpscope's own). */
  hostOrigins: string[];
}

export interface SandboxServer {
  readonly port: number;
  close(): Promise<void>;
}

const MAX_CSP_PARAM = 8192;

/** The Host names the server answers to: loopback names only (no DNS rebinding through it). */
export function sandboxHostAllowed(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const match = /^([a-z0-9.-]+|\[::1\]):(\d+)$/i.exec(hostHeader);
  if (!match || Number(match[2]) !== port) return false;
  const name = match[1]!.toLowerCase();
  return name === 'localhost' || name === '127.0.0.1' || name === '[::1]' || /^[a-z0-9-]{1,63}\.localhost$/.test(name);
}

/** The CSP param: base64url JSON of `_meta.ui.csp` as the resource declared it (re-checked here). */
export function cspFromParam(param: string | null): ReturnType<typeof appCsp> {
  if (!param || param.length > MAX_CSP_PARAM) return appCsp(undefined);
  try {
    return appCsp(JSON.parse(Buffer.from(param, 'base64url').toString('utf8')));
  } catch {
    return appCsp(undefined);
  }
}

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

function send(response: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...COMMON_HEADERS, ...headers });
  response.end(body);
}

export function handleSandboxRequest(
  request: IncomingMessage,
  response: ServerResponse,
  port: number,
  hostOrigins: readonly string[],
): void {
  if (!sandboxHostAllowed(request.headers.host, port)) return send(response, 421, 'text/plain; charset=utf-8', 'Unknown host.\n');
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return send(response, 405, 'text/plain; charset=utf-8', 'GET only.\n', { Allow: 'GET, HEAD' });
  const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
  switch (url.pathname) {
    case '/proxy.html': {
      const host = url.searchParams.get('host');
      if (!host || !hostOrigins.includes(host))
        return send(response, 403, 'text/plain; charset=utf-8', 'Only mcpscope may frame this page.\n');
      const policy = `${viewContentSecurityPolicy(cspFromParam(url.searchParams.get('csp')))}; frame-ancestors ${host}`;
      return send(response, 200, 'text/html; charset=utf-8', proxyHtml(), { 'Content-Security-Policy': policy });
    }
    case '/proxy.js':
      return send(response, 200, 'text/javascript; charset=utf-8', PROXY_JS);
    case '/report.js':
      return send(response, 200, 'text/javascript; charset=utf-8', REPORT_JS);
    default:
      return send(response, 404, 'text/plain; charset=utf-8', 'Not found.\n');
  }
}

/** mcpscope's origins as a browser may load it: the public URL, and `localhost` / `127.0.0.1` at its port. */
export function mcpscopeOrigins(publicUrl: string | undefined, port: string | number): string[] {
  const out = new Set<string>([`http://localhost:${port}`, `http://127.0.0.1:${port}`]);
  if (publicUrl) {
    try {
      out.add(new URL(publicUrl).origin);
    } catch {
      // A malformed PUBLIC_URL is reported by the app itself; the loopback origins still work.
    }
  }
  return [...out];
}

export function startSandboxServer(options: SandboxServerOptions): Promise<SandboxServer> {
  return new Promise((resolve, reject) => {
    let port = 0;
    const server: Server = createServer((request, response) => handleSandboxRequest(request, response, port, options.hostOrigins));
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
