// `npm test` runs this first (the `pretest` script): the suites need a Chromium (Playwright and the browser-side
// unit tests), PostgreSQL's server binaries (the store's Postgres tests) and HAProxy (the multi-instance test). On Debian, when we may (root, or sudo
// without a password), they are installed as `.ci/run` does; otherwise the run stops at once with one line saying
// what to do, instead of hundreds of failing tests.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { findPostgresBinDir } from '../tests/store/postgres-server';
import { CHROMIUM_PATH } from './chromium';
import { HAPROXY_PATH } from './haproxy';

interface Prerequisite {
  /** Debian's package. */
  debianPackage: string;
  /** The environment variable that points at another copy. */
  override: string;
  present(): boolean;
}

const prerequisites: Prerequisite[] = [
  {
    debianPackage: 'chromium',
    override: 'CHROMIUM_PATH',
    present: () => fs.existsSync(CHROMIUM_PATH),
  },
  {
    debianPackage: 'postgresql',
    override: 'MCPSCOPE_TEST_PG_BINDIR',
    present: () => {
      try {
        findPostgresBinDir();
        return true;
      } catch {
        return false;
      }
    },
  },
  {
    debianPackage: 'haproxy',
    override: 'MCPSCOPE_TEST_HAPROXY',
    present: () => fs.existsSync(HAPROXY_PATH),
  },
];

function succeeds(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** The prefix that lets us run apt-get, or undefined when we may not. */
function installPrefix(): string[] | undefined {
  if (process.env.MCPSCOPE_TEST_NO_INSTALL === '1' || !succeeds('sh', ['-c', 'command -v apt-get'])) return undefined;
  if (process.getuid?.() === 0) return [];
  return succeeds('sudo', ['-n', 'true']) ? ['sudo', '-n'] : undefined;
}

function run(prefix: string[], args: string[]): void {
  const [command, ...rest] = [...prefix, ...args];
  execFileSync(command!, rest, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const missing = prerequisites.filter((p) => !p.present());
if (missing.length > 0) {
  const packages = missing.map((p) => p.debianPackage);
  const prefix = installPrefix();
  const advice =
    `npm test needs Debian's ${packages.join(' and ')}: run \`sudo apt-get install -y ${packages.join(' ')}\`` +
    ` (or set ${missing.map((p) => p.override).join(' / ')} to another copy), then \`npm test\` again.`;
  if (!prefix) {
    console.error(advice);
    process.exit(1);
  }
  console.log(`test: installing Debian's ${packages.join(', ')} (needed by the browser and store tests)…`);
  try {
    run(prefix, ['apt-get', 'update', '-qq']);
    run(prefix, ['apt-get', 'install', '-y', '-qq', ...packages]);
  } catch {
    console.error(advice);
    process.exit(1);
  }
  const stillMissing = missing.filter((p) => !p.present());
  if (stillMissing.length > 0) {
    console.error(advice);
    process.exit(1);
  }
}
