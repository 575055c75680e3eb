// The web app's server, shared by `npm start` (scripts/start.mjs: the repository's build) and `mcpscope serve`
// (bin/mcpscope.mjs: the package's standalone build). Next.js runs in this process behind a node:http server that
// first offers each request to lib/direct-rpc (tool calls answered without Next's request pipeline; everything
// else, and anything unusual, goes to Next as with `next start`). MCPSCOPE_DIRECT_RPC=0 sends every request to Next.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * @typedef {object} AppLib What the server needs from lib/ (TypeScript in the repository, bundled in the package).
 * @property {(env: Record<string, string | undefined>, openAt: string) => { generatedToken?: string; messages: string[] }} accessTokenSetup
 * @property {(options: { host: string; port: number; hostOrigins: string[] }) => Promise<{ port: number; close(): Promise<void> }>} startSandboxServer
 * @property {(openAt: string, port: string) => string[]} mcpscopeOrigins
 */

/**
 * Serves the built app in `appDir` (the folder holding the build directory and the `next` it was built with).
 * @param {{ appDir: string; distDir?: string; host: string; port: string; publicUrl?: string; lib: AppLib;
 *   env?: Record<string, string | undefined> }} options
 * @returns {Promise<{ url: string; openAt: string; close(): Promise<void> }>}
 */
export async function serveApp({ appDir, distDir = '.next', host, port, publicUrl, lib, env = process.env }) {
  const openAt = publicUrl || `http://localhost:${port}`;
  // lib/security reads the address it serves on from HOST and PORT (its own origin, the names it answers to).
  const runEnv = { ...env, HOST: host, PORT: port, NEXT_TELEMETRY_DISABLED: '1' };
  // Beyond loopback (or in hosted mode) every page and API call needs the access token; without one configured, a
  // fresh one is made for this run and printed once (one the operator set is never printed).
  const access = lib.accessTokenSetup(runEnv, openAt);
  if (access.generatedToken) runEnv.MCPSCOPE_ACCESS_TOKEN = access.generatedToken;
  for (const message of access.messages) console.log(message);

  // MCP Apps views run on the sandbox proxy's own port (lib/apps-sandbox), never on mcpscope's origin.
  const sandbox = await lib.startSandboxServer({
    host,
    port: Number(runEnv.MCPSCOPE_SANDBOX_PORT || 0),
    hostOrigins: lib.mcpscopeOrigins(openAt, port),
  });
  runEnv.MCPSCOPE_SANDBOX_PORT = String(sandbox.port);

  // The build's own serialized config, as Next's standalone server.js passes it: Next then neither looks for
  // next.config.ts nor compiles it, which is most of its start-up time (and needs the build tools).
  const serverFiles = JSON.parse(readFileSync(path.join(appDir, distDir, 'required-server-files.json'), 'utf8'));
  // By default Next loads the code of every route (about 40 here) before serving anything; the first page needs its own
  // only, and each of the others loads when first asked for (tool calls mostly skip Next: lib/direct-rpc).
  serverFiles.config.experimental = { ...serverFiles.config.experimental, preloadEntriesOnStart: false };
  runEnv.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(serverFiles.config);
  Object.assign(process.env, runEnv, { NODE_ENV: 'production' });

  // Listening comes first and Next prepares behind it: the port is taken (or found busy) at once, and a request
  // that arrives meanwhile (the browser the URL was opened in) waits in `held` instead of being refused.
  const directRpcKey = Symbol.for('mcpscope.direct-rpc');
  const direct = process.env.MCPSCOPE_DIRECT_RPC !== '0';
  // The per-client limits key on the address of the connection's peer (lib/security/client-address.ts). Next only
  // sees headers, so the peer goes in this header, after removing any copy the client sent; the flag tells
  // lib/security that this server is in front, so the header can be believed.
  const peerAddressHeader = 'x-mcpscope-peer-address';
  globalThis[Symbol.for('mcpscope.front-sets-peer-address')] = true;
  /** @type {((request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void) | undefined} */
  let serve;
  /** @type {Array<[import('node:http').IncomingMessage, import('node:http').ServerResponse]>} */
  const held = [];
  const server = createServer((request, response) => {
    delete request.headers[peerAddressHeader];
    if (request.socket.remoteAddress) request.headers[peerAddressHeader] = request.socket.remoteAddress;
    if (serve) serve(request, response);
    else held.push([request, response]);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port), host, () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });

  let app;
  try {
    const next = createRequire(path.join(appDir, 'package.json'))('next');
    app = next({ dev: false, dir: appDir, hostname: host, port: Number(port) });
    const handle = app.getRequestHandler();
    await app.prepare();
    serve = (request, response) => {
      const nextServes = () => {
        handle(request, response).catch((error) => {
          console.error('mcpscope: request failed', error);
          if (!response.headersSent) response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
          response.end('Internal error; the server log has the details.');
        });
      };
      // instrumentation.ts installs the handler when Next starts; until then (and when turned off) Next serves all.
      const serveDirectly = direct ? globalThis[directRpcKey] : undefined;
      if (serveDirectly) serveDirectly(request, response, nextServes);
      else nextServes();
    };
  } catch (error) {
    for (const [, response] of held.splice(0)) {
      response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('mcpscope could not start; the server log has the details.');
    }
    server.close();
    await sandbox.close().catch(() => undefined);
    throw error;
  }
  for (const [request, response] of held.splice(0)) serve(request, response);
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : Number(port);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  console.log(`mcpscope: serving on http://${shownHost}:${bound} (open ${openAt}); app sandbox on port ${sandbox.port}`);

  let closing;
  return {
    url: `http://${shownHost}:${bound}`,
    openAt,
    close() {
      closing ??= (async () => {
        server.close();
        server.closeAllConnections();
        await sandbox.close().catch(() => undefined);
        await Promise.resolve(app.close?.()).catch(() => undefined);
      })();
      return closing;
    },
  };
}

/** Stops on SIGINT/SIGTERM (twice: at once), giving the app 3 s to stop the servers it started. */
export function stopOnSignals(running) {
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(0);
    stopping = true;
    setTimeout(() => process.exit(0), 3000).unref();
    void running.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
