// `npm run conformance`: the official MCP conformance suite (@modelcontextprotocol/conformance, pinned) run
// against mcpscope. Client scenarios drive the `mcpscope` command (scripts/conformance/client.mjs turns each
// scenario into the commands a person would type); server scenarios run against the built-in demo server,
// served standalone on a free loopback port. One line per scenario, then `N passed, M failed`.
//
//   npm run conformance                               client and server scenarios of the pinned suite
//   npm run conformance -- --only client              one side (client | server)
//   npm run conformance -- --scenario auth/iss-supported --scenario tools_call
//   npm run conformance -- --suite-version 0.1.16     another published suite
//   npm run conformance -- --json results.json --jobs 2 --verbose
//   npm run conformance -- --baseline other.json      expected failures from another file (--no-baseline: none)
//
// A committed baseline (scripts/conformance/expected-failures.json, for the pinned suite version) lists the
// scenarios, or single checks of one, that are expected to fail, each with its reason (see baseline.ts).
// Exit code 0 when every failure is an expected one and no baseline entry passes now (a stale entry),
// 1 otherwise, 2 when the suite or the baseline could not be set up. The last line is `N passed, M failed`
// and how many of the failures were expected.
// The suite and (on Node < 22) a Node 22 come from the npm registry into MCPSCOPE_CONFORMANCE_CACHE
// (default node_modules/.cache/mcpscope-conformance). Everything binds 127.0.0.1.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDemoHandler, loopbackHostnames } from '../../lib/demo';
import { serveFetchHandler } from '../../e2e/fixtures/node-adapter';
import { inBatches } from '../bench/sessions';
import {
  BaselineError,
  gatePassed,
  judgeAll,
  loadBaseline,
  summaryLine,
  tally,
  unknownEntries,
  type Baseline,
  type CheckRecord,
  type Judged,
} from './baseline';
import { DEFAULT_SUITE_VERSION, ensureSuite, ensureSuiteNode, listScenarios, SetupError } from './suite';

const ROOT = path.resolve(__dirname, '..', '..');
const DRIVER = path.join(ROOT, 'scripts', 'conformance', 'client.mjs');
const DEFAULT_BASELINE = path.join(ROOT, 'scripts', 'conformance', 'expected-failures.json');

interface Options {
  suiteVersion: string;
  sides: Set<'client' | 'server'>;
  scenarios: string[];
  jobs: number;
  json?: string;
  verbose: boolean;
  timeoutMs: number;
  /** The expected-failures file; null: none. */
  baseline: string | null;
  /** --baseline was given: a file for another suite version is then an error, not a note. */
  baselineExplicit: boolean;
}

interface Outcome {
  side: 'client' | 'server';
  scenario: string;
  passed: boolean;
  /** The suite's `Passed: x/y` figure. */
  checks: string;
  /** The failing checks, `id: message`. */
  failures: string[];
  /** Every check the suite wrote, id and status (what the baseline is matched against). */
  checkRecords: CheckRecord[];
  seconds: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    suiteVersion: DEFAULT_SUITE_VERSION,
    sides: new Set(['client', 'server']),
    scenarios: [],
    jobs: 2,
    verbose: false,
    timeoutMs: 120_000,
    baseline: DEFAULT_BASELINE,
    baselineExplicit: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new SetupError('usage', `${arg} needs a value.`);
      return next;
    };
    if (arg === '--suite-version') options.suiteVersion = value();
    else if (arg === '--only') {
      const side = value();
      if (side !== 'client' && side !== 'server') throw new SetupError('usage', `--only takes client or server, not "${side}".`);
      options.sides = new Set([side]);
    } else if (arg === '--scenario') options.scenarios.push(value());
    else if (arg === '--jobs') options.jobs = Math.max(1, Number(value()) || 1);
    else if (arg === '--json') options.json = value();
    else if (arg === '--timeout') options.timeoutMs = Math.max(1_000, Number(value()) * 1000 || 60_000);
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--baseline') {
      options.baseline = path.resolve(value());
      options.baselineExplicit = true;
    } else if (arg === '--no-baseline') options.baseline = null;
    else throw new SetupError('usage', `Unknown option ${arg} (see the top of scripts/conformance/index.ts).`);
  }
  return options;
}

/** Runs one `conformance client|server` invocation and reads its verdict and checks. */
async function runScenario(
  node: string,
  entry: string,
  side: 'client' | 'server',
  scenario: string,
  target: string,
  options: Options,
): Promise<Outcome> {
  const outputDir = mkdtempSync(path.join(os.tmpdir(), 'mcpscope-conformance-results-'));
  const args =
    side === 'client'
      ? [
          entry,
          'client',
          '--command',
          `${quoteForSuite(process.execPath)} ${quoteForSuite(DRIVER)}`,
          '--scenario',
          scenario,
          '--timeout',
          String(options.timeoutMs),
          '-o',
          outputDir,
        ]
      : [entry, 'server', '--url', target, '--scenario', scenario, '--timeout', String(options.timeoutMs), '-o', outputDir];
  const started = Date.now();
  const { code, output } = await run(node, args);
  const checksFile = findChecks(outputDir);
  const checks: Array<{ id?: string; name?: string; status?: string; errorMessage?: string }> = checksFile
    ? JSON.parse(readFileSync(checksFile, 'utf8'))
    : [];
  const failures = checks
    .filter((c) => c.status === 'FAILURE' || c.status === 'WARNING')
    .map((c) => `${c.id ?? c.name}: ${oneLine(c.errorMessage ?? c.status ?? '')}`);
  const passedLine = /Passed: (\d+\/\d+)/.exec(output)?.[1] ?? `${checks.filter((c) => c.status === 'SUCCESS').length}/${checks.length}`;
  // A scenario whose every check was skipped (or that has none) passed nothing: the client never did what it
  // tests (e.g. Skills, which mcpscope does not speak yet). The suite calls that a pass; this report does not.
  const exercised = checks.some((c) => c.status === 'SUCCESS' || c.status === 'FAILURE');
  if (code === 0 && !exercised) failures.push('not exercised: no check ran, so mcpscope never did what this scenario tests');
  if (code !== 0 && failures.length === 0) {
    const reason = /CLIENT (TIMED OUT|EXITED WITH ERROR[^\n]*)/.exec(output)?.[0] ?? lastLines(output, 3);
    failures.push(oneLine(reason));
  }
  if (options.verbose) process.stderr.write(`\n--- ${side} ${scenario}\n${output}\n`);
  rmSync(outputDir, { recursive: true, force: true });
  const checkRecords = checks.map((c) => ({ id: String(c.id ?? c.name ?? ''), status: String(c.status ?? '') }));
  return {
    side,
    scenario,
    passed: code === 0 && exercised,
    checks: passedLine,
    failures,
    checkRecords,
    seconds: (Date.now() - started) / 1000,
  };
}

function findChecks(dir: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name === 'checks.json')
      return path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
  }
  return undefined;
}

function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code: code ?? 1, output: stripAnsi(output) }));
    child.on('error', (error) => resolve({ code: 1, output: String(error) }));
  });
}

/** The suite splits --command on spaces and runs it through a shell: double quotes keep a path whole. */
function quoteForSuite(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`;
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 240 ? `${line.slice(0, 239)}…` : line;
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join(' ');
}

const MARKS = { pass: 'PASS', expected: 'XFAIL', unexpected: 'FAIL', stale: 'STALE' } as const;

/** One scenario's line(s): PASS, XFAIL (a failure the baseline expects), FAIL, or STALE (expected to fail, passed). */
function report({ run: outcome, verdict }: Judged<Outcome>): void {
  const mark = MARKS[verdict.kind].padEnd(5);
  process.stdout.write(
    `${mark} ${outcome.side} ${outcome.scenario.padEnd(44)} ${outcome.checks.padStart(7)} checks  ${outcome.seconds.toFixed(1)}s\n`,
  );
  if (verdict.kind === 'expected') process.stdout.write(`       expected: ${verdict.reason}\n`);
  if (verdict.kind === 'stale') {
    const what = verdict.checks.length > 0 ? `check(s) ${verdict.checks.join(', ')} no longer fail` : 'it passes now';
    process.stdout.write(`       stale baseline entry: ${what}; remove it from the baseline (it said: ${verdict.reason})\n`);
  }
  if (verdict.kind === 'unexpected') {
    const shown =
      verdict.checks.length > 0 ? outcome.failures.filter((f) => verdict.checks.some((id) => f.startsWith(`${id}:`))) : outcome.failures;
    for (const failure of (shown.length > 0 ? shown : outcome.failures).slice(0, 4)) process.stdout.write(`       ${failure}\n`);
  }
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`conformance: ${(error as Error).message}\n`);
    return 2;
  }
  const cacheDir = path.resolve(
    process.env.MCPSCOPE_CONFORMANCE_CACHE || path.join(ROOT, 'node_modules', '.cache', 'mcpscope-conformance'),
  );
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let node: string;
  let entry: string;
  let lists: { client: string[]; server: string[] };
  try {
    node = ensureSuiteNode(cacheDir, log);
    entry = ensureSuite(cacheDir, options.suiteVersion, log);
    lists = listScenarios(node, entry);
  } catch (error) {
    process.stderr.write(`conformance: ${error instanceof SetupError ? `${error.code}: ` : ''}${(error as Error).message}\n`);
    return 2;
  }
  let baseline: Baseline | undefined;
  if (options.baseline) {
    try {
      baseline = loadBaseline(options.baseline);
    } catch (error) {
      process.stderr.write(`conformance: ${error instanceof BaselineError ? `${error.code}: ` : ''}${(error as Error).message}\n`);
      return 2;
    }
    if (baseline.suiteVersion !== options.suiteVersion) {
      const note = `${path.relative(ROOT, options.baseline)} is for suite ${baseline.suiteVersion}, not ${options.suiteVersion}`;
      if (options.baselineExplicit) {
        process.stderr.write(`conformance: invalid_baseline: ${note}.\n`);
        return 2;
      }
      process.stdout.write(`no expected failures for suite ${options.suiteVersion} (${note}): every failure counts\n`);
      baseline = undefined;
    } else {
      const unknownInBaseline = unknownEntries(baseline, lists);
      if (unknownInBaseline.length > 0) {
        process.stderr.write(
          `conformance: invalid_baseline: ${path.relative(ROOT, options.baseline)} names scenario(s) suite ${options.suiteVersion} does not have: ${unknownInBaseline.map((e) => `${e.side} ${e.scenario}`).join(', ')}\n`,
        );
        return 2;
      }
    }
  }
  const pick = (names: string[]) => (options.scenarios.length > 0 ? names.filter((n) => options.scenarios.includes(n)) : names);
  const unknown = options.scenarios.filter((n) => !lists.client.includes(n) && !lists.server.includes(n));
  if (unknown.length > 0) {
    process.stderr.write(`conformance: suite ${options.suiteVersion} has no scenario ${unknown.join(', ')}\n`);
    return 2;
  }
  process.stdout.write(
    `@modelcontextprotocol/conformance@${options.suiteVersion} on Node ${spawnVersion(node)}; mcpscope on Node ${process.versions.node}\n`,
  );

  const judged: Judged<Outcome>[] = [];
  const record = (outcome: Outcome): Outcome => {
    const [one] = judgeAll([outcome], baseline);
    judged.push(one);
    report(one);
    return outcome;
  };
  if (options.sides.has('client')) {
    const scenarios = pick(lists.client);
    if (scenarios.length > 0)
      process.stdout.write(`client scenarios (${scenarios.length}), driving ${path.relative(ROOT, DRIVER)} → bin/mcpscope.mjs\n`);
    await inBatches(scenarios, options.jobs, async (scenario) => record(await runScenario(node, entry, 'client', scenario, '', options)));
  }
  if (options.sides.has('server')) {
    const scenarios = pick(lists.server);
    if (scenarios.length > 0) {
      const demo = createDemoHandler({ allowedHostnames: loopbackHostnames() });
      const running = await serveFetchHandler((request) => demo.handle(request));
      const url = `${running.origin}/mcp`;
      process.stdout.write(`server scenarios (${scenarios.length}) against the demo server at ${url}\n`);
      try {
        // One at a time: scenarios share the one demo server, and some count its sessions.
        await inBatches(scenarios, 1, async (scenario) => record(await runScenario(node, entry, 'server', scenario, url, options)));
      } finally {
        await demo.close();
        await running.close();
      }
    }
  }

  for (const side of ['client', 'server'] as const) {
    const mine = judged.filter((j) => j.run.side === side);
    if (mine.length === 0) continue;
    const t = tally(mine);
    process.stdout.write(
      `${side}: ${t.passed}/${mine.length} scenarios passed, ${t.expected} expected failure(s)${t.unexpected > 0 ? `, ${t.unexpected} unexpected` : ''}${t.stale > 0 ? `, ${t.stale} stale` : ''}\n`,
    );
  }
  if (options.json) {
    const results = judged.map(({ run, verdict }) => ({ ...run, verdict }));
    writeFileSync(options.json, `${JSON.stringify({ suiteVersion: options.suiteVersion, outcomes: results }, null, 2)}\n`);
  }
  const totals = tally(judged);
  process.stdout.write(`${summaryLine(totals)}\n`);
  return gatePassed(totals) ? 0 : 1;
}

function spawnVersion(node: string): string {
  return node === process.execPath
    ? process.versions.node
    : spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`conformance: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
