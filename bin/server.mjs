// The web app's server, shared by `npm start` (scripts/start.mjs: the repository's build) and `mcpscope serve`
// (bin/mcpscope.mjs: the package's standalone build). Next.js runs in this process behind a node:http server that
// first offers each request to lib/direct-rpc (tool calls answered without Next's request pipeline; everything
// else, and anything unusual, goes to Next as with `next start`). MCPSCOPE_DIRECT_RPC=0 sends every request to Next.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Module, { createRequire } from 'node:module';
import path from 'node:path';

/** The modules Next loaded while it prepared, in the order they finished loading (recorded with the page template). */
const PRELOAD_FILE = 'mcpscope-preload.json';
/** Stands for the build folder (distDir) in the recorded list. */
const DIST_MARK = '<dist>';
/** How long module loading may hold the event loop before the requests waiting on it are served. */
const PRELOAD_SLICE_MS = 4;

/**
 * Records which of the app's files Next's `require` and `prepare` load, in the order each finished loading (leaves
 * first), for `preloadModules`. Called once per build by scripts/shell-capture.mjs (MCPSCOPE_RECORD_PRELOAD=1).
 */
function recordModules(appDir, distDir) {
  const root = path.resolve(appDir) + path.sep;
  const seen = new Set();
  const order = [];
  const load = Module._load;
  Module._load = function recordingLoad(request, parent, isMain) {
    const exported = load.apply(this, arguments);
    try {
      const file = Module._resolveFilename(request, parent, isMain);
      if (file.startsWith(root) && !seen.has(file)) {
        seen.add(file);
        const relative = path.relative(root, file).split(path.sep).join('/');
        // The build folder's name may differ between where this is recorded and where it is used.
        order.push(relative.startsWith(`${distDir}/`) ? `${DIST_MARK}${relative.slice(distDir.length)}` : relative);
      }
    } catch {
      // a built-in or an unresolvable name: not a file to preload
    }
    return exported;
  };
  return () => {
    Module._load = load;
    writeFileSync(path.join(appDir, distDir, PRELOAD_FILE), JSON.stringify(order));
  };
}

/**
 * Loads the modules Next will load as it prepares, one at a time, giving the event loop a turn every few
 * milliseconds: the front server keeps answering (the first page, its files) instead of freezing for the second or
 * so that loading Next takes in one piece. Leaves first, so each `require` compiles one file; Next then finds them
 * loaded. A file missing from this layout, or one that fails here, is simply loaded (or reported) by Next itself.
 */
async function preloadModules(appDir, distDir, requireFromApp) {
  let list;
  try {
    list = JSON.parse(readFileSync(path.join(appDir, distDir, PRELOAD_FILE), 'utf8'));
  } catch {
    return;
  }
  if (!Array.isArray(list)) return;
  const root = path.resolve(appDir) + path.sep;
  let sliceStart = performance.now();
  for (const entry of list) {
    if (typeof entry !== 'string') continue;
    const file = path.resolve(root, entry.startsWith(`${DIST_MARK}/`) ? distDir + entry.slice(DIST_MARK.length) : entry);
    if (!file.startsWith(root)) continue;
    try {
      requireFromApp(file);
    } catch {
      // Next loads it again when it needs it, and says what is wrong then.
    }
    if (performance.now() - sliceStart > PRELOAD_SLICE_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/**
 * @typedef {object} AppLib What the server needs from lib/ (TypeScript in the repository, bundled in the package).
 * @property {(env: Record<string, string | undefined>, openAt: string) => { generatedToken?: string; messages: string[] }} accessTokenSetup
 * @property {(options: { host: string; port: number; hostOrigins: string[] }) => Promise<{ port: number; close(): Promise<void> }>} startSandboxServer
 * @property {(openAt: string, port: string) => string[]} mcpscopeOrigins
 * @property {(options: { appDir: string; distDir: string }) => ((request: import('node:http').IncomingMessage,
 *   response: import('node:http').ServerResponse) => Promise<boolean>) | undefined} [createEarlyResponder]
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
  // Meanwhile the home page and the files it loads come from the build's template (lib/app-shell): a person sees
  // the page as soon as this process listens, and its first API calls wait here for Next.
  const early = lib.createEarlyResponder?.({ appDir, distDir });
  const serveOrHold = (request, response) => {
    if (serve) serve(request, response);
    else held.push([request, response]);
  };
  const server = createServer((request, response) => {
    delete request.headers[peerAddressHeader];
    if (request.socket.remoteAddress) request.headers[peerAddressHeader] = request.socket.remoteAddress;
    if (serve || !early) {
      serveOrHold(request, response);
      return;
    }
    early(request, response).then(
      (answered) => {
        if (!answered) serveOrHold(request, response);
      },
      (error) => {
        console.error('mcpscope: the early page failed', error);
        if (!response.headersSent) serveOrHold(request, response);
        else response.destroy();
      },
    );
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(port), host, () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });

  // The address works from now on: a request sent before Next is ready is answered once it is (or early, above).
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : Number(port);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  console.log(`mcpscope: serving on http://${shownHost}:${bound} (open ${openAt}); app sandbox on port ${sandbox.port}`);

  let app;
  try {
    const requireFromApp = createRequire(path.join(appDir, 'package.json'));
    const stopRecording = env.MCPSCOPE_RECORD_PRELOAD === '1' ? recordModules(appDir, distDir) : undefined;
    if (early && !stopRecording) await preloadModules(appDir, distDir, requireFromApp);
    const next = requireFromApp('next');
    app = next({ dev: false, dir: appDir, hostname: host, port: Number(port) });
    const handle = app.getRequestHandler();
    await app.prepare();
    stopRecording?.();
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
