#!/usr/bin/env node
// `npm start`: build when the sources are newer than the last build, then serve with `next start`.
// Binds 127.0.0.1 by default (safe by default); HOST and PORT override.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
const buildId = path.join(root, '.next', 'BUILD_ID');
const sourceDirs = ['app', 'components', 'lib', 'public'];
const sourceFiles = ['package.json', 'next.config.ts', 'postcss.config.mjs', 'tsconfig.json'];

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
console.log(`mcpscope: serving on http://${host}:${port} (open ${process.env.PUBLIC_URL || `http://localhost:${port}`})`);
const server = spawn(process.execPath, [nextBin, 'start', '-H', host, '-p', port], { cwd: root, env, stdio: 'inherit' });
const stop = (signal) => server.kill(signal);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
