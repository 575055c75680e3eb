// Builds the app (`next build`) when its sources are newer than the last build: `npm start` and `npm pack` both
// start here. MCPSCOPE_SKIP_BUILD=1 serves or packs the last build as it is; MCPSCOPE_DIST_DIR names the build folder.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const SOURCE_DIRS = ['app', 'components', 'lib', 'public'];
const SOURCE_FILES = ['package.json', 'next.config.ts', 'postcss.config.mjs', 'tsconfig.json', 'proxy.ts', 'instrumentation.ts'];

function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

export function distDirOf(env = process.env) {
  return env.MCPSCOPE_DIST_DIR || '.next';
}

function needsBuild(root, env) {
  if (env.MCPSCOPE_SKIP_BUILD === '1') return false;
  const buildId = path.join(root, distDirOf(env), 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return [...SOURCE_DIRS, ...SOURCE_FILES].some((p) => newestMtime(path.join(root, p)) > built);
}

/** Exits the process with the build's status when the build fails. */
export function buildIfChanged(root, env) {
  if (!needsBuild(root, env)) return;
  console.log('mcpscope: building (sources changed since the last build)…');
  const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const result = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
