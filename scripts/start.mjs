#!/usr/bin/env node
// `npm start`: build when the sources are newer than the last build, then serve the app: Next.js in this
// process behind a node:http server that first offers each request to lib/direct-rpc (tool calls answered
// without Next's request pipeline; everything else, and anything unusual, goes to Next as with `next start`).
// Binds 127.0.0.1 by default (safe by default); HOST and PORT override; MCPSCOPE_DIRECT_RPC=0 sends every
// request through Next.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const buildId = path.join(root, process.env.MCPSCOPE_DIST_DIR || '.next', 'BUILD_ID');
const sourceDirs = ['app', 'components', 'lib', 'public'];
const sourceFiles = ['package.json', 'next.config.ts', 'postcss.config.mjs', 'tsconfig.json', 'proxy.ts', 'instrumentation.ts'];

function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

function needsBuild() {
  if (process.env.MCPSCOPE_SKIP_BUILD === '1') return false;
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const paths = [...sourceDirs, ...sourceFiles].map((p) => path.join(root, p));
  return paths.some((p) => newestMtime(p) > built);
}

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
if (needsBuild()) {
  console.log('mcpscope: building (sources changed since the last build)…');
  const result = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const host = process.env.HOST || '127.0.0.1';
const port = process.env.PORT || '3000';
const openAt = process.env.PUBLIC_URL || `http://localhost:${port}`;
// Beyond loopback (or in hosted mode) every page and API call needs the access token; without one configured, a
// fresh one is made for this run and printed once (one the operator set is never printed).
// The decision is lib/security's own (the one every request is judged by), loaded from its TypeScript source.
const { accessTokenSetup } = await tsImport('../lib/security/access-setup.ts', import.meta.url);
const access = accessTokenSetup(process.env, openAt);
if (access.generatedToken) env.MCPSCOPE_ACCESS_TOKEN = access.generatedToken;
for (const message of access.messages) console.log(message);

// MCP Apps views run on the sandbox proxy's own port (lib/apps-sandbox), never on mcpscope's origin.
const { startSandboxServer, mcpscopeOrigins } = await tsImport('../lib/apps-sandbox/index.ts', import.meta.url);
const sandbox = await startSandboxServer({
  host,
  port: Number(process.env.MCPSCOPE_SANDBOX_PORT || 0),
  hostOrigins: mcpscopeOrigins(openAt, port),
});
env.MCPSCOPE_SANDBOX_PORT = String(sandbox.port);

Object.assign(process.env, env, { NODE_ENV: 'production' });
const { default: next } = await import('next');
const app = next({ dev: false, dir: root, hostname: host, port: Number(port) });
const handle = app.getRequestHandler();
await app.prepare();
const directRpcKey = Symbol.for('mcpscope.direct-rpc');
const direct = process.env.MCPSCOPE_DIRECT_RPC !== '0';
// The per-client limits key on the address of the connection's peer (lib/security/client-address.ts). Next only
// sees headers, so the peer goes in this header, after removing any copy the client sent; the flag tells
// lib/security that this server is in front, so the header can be believed.
const peerAddressHeader = 'x-mcpscope-peer-address';
globalThis[Symbol.for('mcpscope.front-sets-peer-address')] = true;
const server = createServer((request, response) => {
  delete request.headers[peerAddressHeader];
  if (request.socket.remoteAddress) request.headers[peerAddressHeader] = request.socket.remoteAddress;
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
});
server.on('error', (error) => {
  console.error(`mcpscope: cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});
server.listen(Number(port), host, () =>
  console.log(`mcpscope: serving on http://${host}:${port} (open ${openAt}); app sandbox on port ${sandbox.port}`),
);
let stopping = false;
const stop = () => {
  if (stopping) process.exit(0);
  stopping = true;
  server.close();
  server.closeAllConnections();
  void sandbox.close();
  Promise.resolve(app.close?.())
    .catch(() => undefined)
    .finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
