#!/usr/bin/env node
// The mcpscope command. lib/ is TypeScript shared with the app, so tsx's loaders are registered first.
// The repository's package.json has no "type": "module", so tsx compiles lib/ as CommonJS: both its
// CommonJS and ESM hooks are needed. Its tsconfig (for the `@/` path alias) is named explicitly, because
// tsx otherwise looks in the current directory, which is wherever the user runs the command from.
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
process.env.TSX_TSCONFIG_PATH = fileURLToPath(new URL('tsconfig.json', root));
const { register: registerCjs } = await import('tsx/cjs/api');
const { register: registerEsm } = await import('tsx/esm/api');
registerCjs();
registerEsm({ tsconfig: process.env.TSX_TSCONFIG_PATH });

const entry = await import(new URL('lib/cli/main.ts', root).href);
// Compiled as CommonJS, the module may arrive as its `default` export.
const main = entry.main ?? entry.default?.main;
const code = await main(process.argv.slice(2));
// Open sockets or timers left by a server must not keep the command running: flush, then exit.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(code);
