#!/usr/bin/env node
// The mcpscope command. No command, or `serve [--port N] [--host H]`: the web app. Anything else: the commands of
// lib/cli (info, tools, call, …).
// Two layouts: the installed package runs what scripts/pack.mjs laid out in dist/ (the standalone build, lib/
// bundled); a clone runs lib/ from its TypeScript (tsx) and builds the app when its sources changed (`npm start`).
import { existsSync } from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Node 22.1+ keeps the compiled code of the modules it loads (Next's are megabytes) on disk for the next start.
module.enableCompileCache?.();

const root = new URL('../', import.meta.url);
const inRepository = existsSync(new URL('lib/cli/main.ts', root));
const argv = process.argv.slice(2);

const SERVE_USAGE = `Usage: mcpscope [serve] [--port N] [--host H]

Serves the mcpscope web app (default http://127.0.0.1:3000) and prints its URL.
  --port N   the port to listen on (default: PORT, else 3000)
  --host H   the address to bind (default: HOST, else 127.0.0.1). Beyond loopback, every page and API call
             needs the access token (MCPSCOPE_ACCESS_TOKEN; one is made and printed when unset).
Data (OAuth tokens, shares, saved servers) is kept in MCPSCOPE_DATA_DIR (default ~/.mcpscope).
`;

/** `serve` options; undefined after printing the usage or an error (exit code set). */
function parseServe(args) {
  const options = { host: process.env.HOST || '127.0.0.1', port: process.env.PORT || '3000' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(SERVE_USAGE);
      process.exitCode = 0;
      return undefined;
    }
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg];
    if (name !== '--port' && name !== '--host') {
      process.stderr.write(`mcpscope serve: unknown option ${arg}\n\n${SERVE_USAGE}`);
      process.exitCode = 2;
      return undefined;
    }
    const value = inline ?? args[++i];
    if (value === undefined || value === '') {
      process.stderr.write(`mcpscope serve: ${name} needs a value\n`);
      process.exitCode = 2;
      return undefined;
    }
    if (name === '--port' && !(/^\d+$/.test(value) && Number(value) <= 65535)) {
      process.stderr.write(`mcpscope serve: --port takes a number from 0 to 65535, not "${value}"\n`);
      process.exitCode = 2;
      return undefined;
    }
    options[name.slice(2)] = value;
  }
  return options;
}

async function serve(args) {
  const options = parseServe(args);
  if (!options) return;
  if (inRepository) {
    // The clone's `npm start`, with the options as its environment.
    Object.assign(process.env, { HOST: options.host, PORT: options.port });
    await import(new URL('scripts/start.mjs', root).href);
    return;
  }
  // Installed, the working directory is wherever the user is: keep data where the commands keep theirs.
  process.env.MCPSCOPE_DATA_DIR ||= path.join(os.homedir(), '.mcpscope');
  const [{ serveApp, stopOnSignals }, lib] = await Promise.all([import('./server.mjs'), import(new URL('dist/serve-lib.mjs', root).href)]);
  try {
    const running = await serveApp({
      appDir: fileURLToPath(new URL('dist/app/', root)),
      host: options.host,
      port: options.port,
      publicUrl: process.env.PUBLIC_URL,
      lib,
    });
    stopOnSignals(running);
  } catch (error) {
    console.error(`mcpscope: cannot serve on ${options.host}:${options.port}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

async function command(args) {
  let entry;
  if (inRepository) {
    // lib/ is TypeScript shared with the app, so tsx's loaders are registered first. The repository's package.json
    // has no "type": "module", so tsx compiles lib/ as CommonJS: both its CommonJS and ESM hooks are needed. Its
    // tsconfig (for the `@/` path alias) is named explicitly, because tsx otherwise looks in the current directory.
    process.env.TSX_TSCONFIG_PATH = fileURLToPath(new URL('tsconfig.json', root));
    const { register: registerCjs } = await import('tsx/cjs/api');
    const { register: registerEsm } = await import('tsx/esm/api');
    registerCjs();
    registerEsm({ tsconfig: process.env.TSX_TSCONFIG_PATH });
    entry = await import(new URL('lib/cli/main.ts', root).href);
  } else {
    entry = await import(new URL('dist/cli.mjs', root).href);
  }
  // Compiled as CommonJS, the module may arrive as its `default` export.
  const main = entry.main ?? entry.default?.main;
  const code = await main(args);
  // Open sockets or timers left by a server must not keep the command running: flush, then exit.
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
  process.exit(code);
}

if (argv.length === 0 || argv[0] === 'serve') await serve(argv.slice(1));
else await command(argv);
