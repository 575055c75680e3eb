// Getting the official conformance suite and a Node it runs on, from the npm registry, into a cache
// directory (not the project's dependencies: the suite pulls in ~120 packages and Node itself is ~185 MB).
// The suite needs Node >= 22 (it imports fs.globSync); on an older Node the `node-<os>-<arch>` package of a
// pinned 22.x release is installed and the suite runs on it. mcpscope itself keeps running on this Node.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The suite version `npm run conformance` runs: the newest published (see README § Conformance). */
export const DEFAULT_SUITE_VERSION = '0.2.0-alpha.12';
/** The Node fetched when this one is older than the suite needs. */
export const PINNED_NODE_VERSION = '22.23.3';
const MIN_NODE_MAJOR = 22;

export class SetupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Runs npm (the one running this script under `npm run`, else the one on PATH). */
function npm(args: string[], cwd: string): void {
  const npmCli = process.env.npm_execpath;
  const [command, argv] = npmCli && npmCli.endsWith('.js') ? [process.execPath, [npmCli, ...args]] : ['npm', args];
  const result = spawnSync(command, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    const said = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim().split('\n').slice(-5).join('\n');
    throw new SetupError('npm_install_failed', `npm ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${said}`);
  }
}

/** Installs `spec` (name@exact-version) alone into `dir` once; later runs reuse it. */
function installOnce(dir: string, spec: string, marker: string): void {
  if (existsSync(marker)) return;
  mkdirSync(dir, { recursive: true });
  // A package.json of its own, so npm installs here and not into the enclosing project.
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'mcpscope-conformance-cache', private: true }, null, 2)}\n`);
  npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', '--save-exact', spec], dir);
  if (!existsSync(marker)) throw new SetupError('npm_install_failed', `npm installed ${spec} into ${dir}, but ${marker} is missing.`);
}

function nodeMajor(executable: string): number | undefined {
  const result = spawnSync(executable, ['--version'], { encoding: 'utf8' });
  const match = /^v(\d+)\./.exec(result.stdout ?? '');
  return match ? Number(match[1]) : undefined;
}

/** A Node >= 22 to run the suite with: this one, or the pinned release from the registry. */
export function ensureSuiteNode(cacheDir: string, log: (line: string) => void): string {
  const ownMajor = Number(process.versions.node.split('.')[0]);
  if (ownMajor >= MIN_NODE_MAJOR) return process.execPath;
  const platform = process.platform === 'win32' ? 'win' : process.platform;
  const name = `node-${platform}-${process.arch}`;
  const dir = path.join(cacheDir, `node-${PINNED_NODE_VERSION}`);
  const executable = path.join(dir, 'node_modules', name, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(executable))
    log(
      `conformance: Node ${process.versions.node} is older than the suite needs (>= ${MIN_NODE_MAJOR}); installing ${name}@${PINNED_NODE_VERSION} from the npm registry into ${dir}`,
    );
  installOnce(dir, `${name}@${PINNED_NODE_VERSION}`, executable);
  const major = nodeMajor(executable);
  if (major === undefined || major < MIN_NODE_MAJOR) {
    throw new SetupError('node_unusable', `${executable} does not run here (it printed no Node ${MIN_NODE_MAJOR}+ version).`);
  }
  return executable;
}

/** The suite's CLI entry, installed at `version` under the cache. */
export function ensureSuite(cacheDir: string, version: string, log: (line: string) => void): string {
  const dir = path.join(cacheDir, `suite-${version}`);
  const entry = path.join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
  if (!existsSync(entry)) log(`conformance: installing @modelcontextprotocol/conformance@${version} into ${dir}`);
  installOnce(dir, `@modelcontextprotocol/conformance@${version}`, entry);
  return entry;
}

export interface ScenarioLists {
  client: string[];
  server: string[];
}

/** The scenarios the suite lists (`conformance list`), client and server. */
export function listScenarios(node: string, entry: string): ScenarioLists {
  const lists: ScenarioLists = { client: [], server: [] };
  for (const kind of ['client', 'server'] as const) {
    const result = spawnSync(node, [entry, 'list', `--${kind}`], { encoding: 'utf8' });
    if (result.status !== 0) throw new SetupError('suite_unusable', `conformance list --${kind} failed: ${(result.stderr ?? '').trim()}`);
    for (const line of result.stdout.split('\n')) {
      const match = /^\s+-\s+(\S+)/.exec(line);
      if (match) lists[kind].push(match[1]);
    }
  }
  return lists;
}
