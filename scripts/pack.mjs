#!/usr/bin/env node
// `npm pack` / `npm publish` run this first (package.json "prepack"): it lays out dist/, which is, with bin/, all
// the package carries ("files"), so a user installs nothing to build and a fraction of the dependencies:
//   dist/app/      Next's standalone output (the server and only the node_modules files it uses), its static
//                  files and public/ — served by bin/server.mjs
//   dist/cli.mjs   the `mcpscope` commands (lib/cli and what it uses, bundled; lib/ is TypeScript here)
//   dist/serve-lib.mjs  the little of lib/ the server needs before Next starts (access token, apps sandbox)
// Builds first when the sources changed since the last build (scripts/build-app.mjs).
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildIfChanged, distDirOf } from './build-app.mjs';
import { captureShellIfMissing } from './shell-capture.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const next = path.join(root, distDirOf(env));

buildIfChanged(root, env);
await captureShellIfMissing(root, env);
const standalone = path.join(next, 'standalone');
if (!existsSync(path.join(standalone, 'server.js')))
  throw new Error(`${standalone} has no server.js: the build must use output: 'standalone' (next.config.ts)`);

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const app = path.join(dist, 'app');
// Symlinks in the traced node_modules are copied as what they point to: a tarball keeps no links.
cpSync(standalone, app, { recursive: true, dereference: true });
// The server runs the build's compiled chunks and node_modules: Next's own starter (server.js; bin/server.mjs is
// used) and the repository's sources the tracer copied beside them (a run-time path it cannot resolve makes it
// take the whole project) stay out.
const KEEP = new Set(['.next', 'node_modules', 'package.json']);
for (const name of readdirSync(app)) if (!KEEP.has(name)) rmSync(path.join(app, name), { recursive: true, force: true });
// sharp (and its platform's libvips) serves next/image's optimizer; the app has no next/image.
for (const unused of ['sharp', '@img']) rmSync(path.join(app, 'node_modules', unused), { recursive: true, force: true });
// What the standalone output leaves to the deployer: the browser's files.
cpSync(path.join(next, 'static'), path.join(app, distDirOf(env), 'static'), { recursive: true });
// The first page's template (lib/app-shell), captured from this build after it was built.
const shell = path.join(next, 'mcpscope-shell.json');
if (existsSync(shell)) cpSync(shell, path.join(app, distDirOf(env), 'mcpscope-shell.json'));
// With it, the list of modules Next loads as it starts (bin/server.mjs loads them ahead, between requests).
const preload = path.join(next, 'mcpscope-preload.json');
if (existsSync(preload)) cpSync(preload, path.join(app, distDirOf(env), 'mcpscope-preload.json'));
else console.warn('mcpscope: the build has no first-page template; the packed app will serve its first page once Next is ready.');
// public/screenshot.png is the README's picture, not the app's.
if (existsSync(path.join(root, 'public')))
  cpSync(path.join(root, 'public'), path.join(app, 'public'), {
    recursive: true,
    filter: (from) => path.basename(from) !== 'screenshot.png',
  });
// SQLite's WebAssembly is the package's one dependency (npm installs it beside the package): the tracer's copy
// may lack the .wasm it loads at run time, and one copy is enough.
rmSync(path.join(app, 'node_modules', 'node-sqlite3-wasm'), { recursive: true, force: true });
// The build cache is for the next build, not for serving.
rmSync(path.join(app, distDirOf(env), 'cache'), { recursive: true, force: true });

// ESM output with CommonJS dependencies inside: they call require() for Node's modules.
const banner = { js: "import { createRequire as mcpscopeRequire } from 'node:module'; const require = mcpscopeRequire(import.meta.url);" };
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner,
  tsconfig: path.join(root, 'tsconfig.json'),
  // SQLite's WebAssembly loads its .wasm beside its own file: it stays a dependency. `pg` only with DATABASE_URL,
  // which the commands never use.
  external: ['node-sqlite3-wasm', 'pg', 'pg-native'],
  logLevel: 'warning',
  legalComments: 'none',
};
await build({ ...common, entryPoints: [path.join(root, 'lib/cli/main.ts')], outfile: path.join(dist, 'cli.mjs') });
const serveLib = path.join(dist, 'serve-lib.ts');
writeFileSync(
  serveLib,
  "export { accessTokenSetup } from '../lib/security/access-setup';\nexport { startSandboxServer, mcpscopeOrigins } from '../lib/apps-sandbox';\nexport { createEarlyResponder } from '../lib/app-shell';\n",
);
// The server loads this before anything else: only what the two exports use. lib/'s modules do nothing when
// imported but define things, so one whose exports go unused is left out whole (without this, lib/apps's index
// pulls in lib/trace, the MCP SDK and zod: 228 KB and ~150 ms of the cold start, for 20 KB used).
const libDir = path.join(root, 'lib') + path.sep;
const libWithoutSideEffects = {
  name: 'lib-without-side-effects',
  setup(bundle) {
    bundle.onResolve({ filter: /.*/ }, async ({ path: request, pluginData, ...args }) => {
      if (pluginData?.resolving) return undefined;
      const resolved = await bundle.resolve(request, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolving: true },
      });
      return resolved.errors.length === 0 && resolved.path.startsWith(libDir) ? { ...resolved, sideEffects: false } : undefined;
    });
  },
};
await build({ ...common, entryPoints: [serveLib], outfile: path.join(dist, 'serve-lib.mjs'), plugins: [libWithoutSideEffects] });
rmSync(serveLib);
console.log(`mcpscope: packed layout ready in ${path.relative(root, dist)}/`);
