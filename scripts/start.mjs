#!/usr/bin/env node
// `npm start`: build when the sources are newer than the last build, then serve the app (bin/server.mjs, the
// same server `mcpscope serve` runs from the package). Binds 127.0.0.1 by default (safe by default); HOST and
// PORT override; MCPSCOPE_DIRECT_RPC=0 sends every request through Next.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { serveApp, stopOnSignals } from '../bin/server.mjs';
import { buildIfChanged } from './build-app.mjs';
import { captureShellIfMissing } from './shell-capture.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
buildIfChanged(root, env);
await captureShellIfMissing(root, env);

const host = process.env.HOST || '127.0.0.1';
const port = process.env.PORT || '3000';
// lib/ is TypeScript here; the package carries it bundled (scripts/pack.mjs). The decisions are lib's own (the
// access policy every request is judged by, the sandbox's server).
const lib = {
  ...(await tsImport('../lib/security/access-setup.ts', import.meta.url)),
  ...(await tsImport('../lib/apps-sandbox/index.ts', import.meta.url)),
  ...(await tsImport('../lib/app-shell/index.ts', import.meta.url)),
};
try {
  const running = await serveApp({
    appDir: root,
    distDir: process.env.MCPSCOPE_DIST_DIR || '.next',
    host,
    port,
    publicUrl: process.env.PUBLIC_URL,
    lib,
    env,
  });
  stopOnSignals(running);
} catch (error) {
  console.error(`mcpscope: cannot serve on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
