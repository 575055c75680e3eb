// The OAuth redirect target of the command line (RFC 8252 loopback redirect): a one-route HTTP server on
// 127.0.0.1. The redirect URI names `localhost`, which is what many authorization servers allow for native
// clients; the browser reaches it on 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { callbackParamsFromUrl, type CallbackParams } from '../oauth';
import { CliError, EXIT } from './errors';

export const CALLBACK_PATH = '/callback';

export interface LoopbackListener {
  readonly port: number;
  /** `http://localhost:<port>`: the public origin the OAuth flow builds its redirect URI from. */
  readonly origin: string;
  /** Resolves with the first redirect to /callback that carries this state (others are answered and ignored). */
  waitForCallback(state: string, timeoutMs: number): Promise<CallbackParams>;
  close(): Promise<void>;
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family: system-ui, sans-serif; margin: 3rem"><h1>${title}</h1><p>${text}</p></body></html>`;

/** Listens on `preferredPort`; when it is taken, on any free port if `fallback` (the default), else fails with EADDRINUSE. */
export async function startLoopbackListener(preferredPort?: number, options: { fallback?: boolean } = {}): Promise<LoopbackListener> {
  const waiters = new Map<string, (params: CallbackParams) => void>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('Not found: this is the mcpscope command line waiting for an OAuth redirect.');
      return;
    }
    const params = callbackParamsFromUrl(url);
    const waiter = params.state ? waiters.get(params.state) : undefined;
    if (!waiter) {
      res
        .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          PAGE('Unexpected redirect', 'mcpscope is not waiting for this authorization (unknown state). Start again from the command line.'),
        );
      return;
    }
    const ok = !params.error;
    res
      .writeHead(ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(
        ok
          ? PAGE('Authorized', 'mcpscope received the authorization. You can close this tab.')
          : PAGE('Not authorized', 'The authorization server did not authorize mcpscope; see the terminal.'),
      );
    waiters.delete(params.state as string);
    waiter(params);
  });
  const port = await listen(server, preferredPort).catch(async (error: unknown) => {
    if (preferredPort !== undefined && options.fallback !== false && (error as { code?: unknown })?.code === 'EADDRINUSE')
      return listen(server, 0);
    throw error;
  });
  return {
    port,
    origin: `http://localhost:${port}`,
    waitForCallback(state, timeoutMs) {
      return new Promise<CallbackParams>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(state);
          reject(
            new CliError(
              'authorization_timeout',
              `No redirect reached http://localhost:${port}${CALLBACK_PATH} within ${Math.round(timeoutMs / 1000)} s; run the command again to retry.`,
              EXIT.authorization,
            ),
          );
        }, timeoutMs);
        waiters.set(state, (params) => {
          clearTimeout(timer);
          resolve(params);
        });
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

function listen(server: http.Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: unknown) => reject(error);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
