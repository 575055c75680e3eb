// The expected failures of `npm run conformance`: a committed list of the scenarios (or single checks of a
// scenario) that are known to fail, each with the reason. It turns the run into a gate: a failure not in the
// list fails the run, and so does an entry that no longer fails (a stale list hides regressions later).
//
// Same grammar as the suite's own `--expected-failures` (whole scenario, or named checks of one; a named
// check addresses every occurrence of its id), plus a reason per entry, and one file per suite version: the
// list only means something for the version whose scenarios it names.
import { readFileSync } from 'node:fs';

export type Side = 'client' | 'server';

export interface BaselineEntry {
  side: Side;
  scenario: string;
  /** When set, only these check ids may fail; any other failing check of the scenario is unexpected. */
  checks?: string[];
  /** One line: why it fails and why that is not mcpscope's to fix. */
  reason: string;
}

export interface Baseline {
  suiteVersion: string;
  entries: BaselineEntry[];
}

/** One check as the suite writes it to checks.json. */
export interface CheckRecord {
  id: string;
  status: string;
}

/** One scenario as run, before the baseline is applied. */
export interface ScenarioRun {
  side: Side;
  scenario: string;
  /** The scenario passed by this script's rules (suite exit 0 and at least one check exercised). */
  passed: boolean;
  /** Every check the suite wrote for it. */
  checkRecords: CheckRecord[];
}

export type Verdict =
  | { kind: 'pass' }
  | { kind: 'expected'; reason: string }
  /** Failed, and the baseline does not excuse it; `checks` are the failing ids it does not list. */
  | { kind: 'unexpected'; checks: string[] }
  /** The baseline says it fails, but (these checks of) it passed: the entry must go. */
  | { kind: 'stale'; checks: string[]; reason: string };

export class BaselineError extends Error {
  readonly code = 'invalid_baseline';
}

const ENTRY_KEYS = new Set(['scenario', 'checks', 'reason']);

function parseEntries(value: unknown, side: Side, file: string): BaselineEntry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new BaselineError(`${file}: "${side}" must be a list of entries.`);
  const seen = new Set<string>();
  return value.map((raw, index) => {
    const where = `${file}: ${side}[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BaselineError(`${where} must be an object.`);
    const record = raw as Record<string, unknown>;
    const unknown = Object.keys(record).filter((key) => !ENTRY_KEYS.has(key));
    if (unknown.length > 0)
      throw new BaselineError(`${where} has unknown key(s) ${unknown.join(', ')} (allowed: scenario, checks, reason).`);
    const { scenario, checks, reason } = record;
    if (typeof scenario !== 'string' || scenario.trim() === '') throw new BaselineError(`${where} needs a "scenario" name.`);
    if (typeof reason !== 'string' || reason.trim() === '') throw new BaselineError(`${where} (${scenario}) needs a one-line "reason".`);
    if (/[\r\n]/.test(reason)) throw new BaselineError(`${where} (${scenario}): "reason" must be one line.`);
    if (seen.has(scenario)) throw new BaselineError(`${where}: ${scenario} is listed twice; put every check of a scenario in one entry.`);
    seen.add(scenario);
    if (checks === undefined) return { side, scenario, reason };
    if (!Array.isArray(checks) || checks.length === 0 || !checks.every((c) => typeof c === 'string' && c.trim() !== '')) {
      throw new BaselineError(
        `${where} (${scenario}): "checks" must be a non-empty list of check ids (leave it out to expect the whole scenario to fail).`,
      );
    }
    if (new Set(checks).size !== checks.length) throw new BaselineError(`${where} (${scenario}): a check id is listed twice.`);
    return { side, scenario, checks: [...checks], reason };
  });
}

/** Validates a parsed baseline document. */
export function parseBaseline(document: unknown, file = 'baseline'): Baseline {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new BaselineError(`${file}: expected an object.`);
  const record = document as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !['$comment', 'suiteVersion', 'client', 'server'].includes(key));
  if (unknown.length > 0) throw new BaselineError(`${file}: unknown key(s) ${unknown.join(', ')}.`);
  if (typeof record.suiteVersion !== 'string' || record.suiteVersion === '')
    throw new BaselineError(`${file}: "suiteVersion" is required.`);
  return {
    suiteVersion: record.suiteVersion,
    entries: [...parseEntries(record.client, 'client', file), ...parseEntries(record.server, 'server', file)],
  };
}

export function loadBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BaselineError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`${file} is not JSON: ${(error as Error).message}`);
  }
  return parseBaseline(document, file);
}

/** The ids of the checks that failed; an id that occurs more than once fails if any occurrence did. */
export function failingChecks(checks: CheckRecord[]): string[] {
  const failing = new Set<string>();
  for (const check of checks) if (check.status === 'FAILURE') failing.add(check.id);
  return [...failing];
}

/** Judges one scenario run against its baseline entry (if any). */
export function judge(run: ScenarioRun, entry: BaselineEntry | undefined): Verdict {
  if (!entry) return run.passed ? { kind: 'pass' } : { kind: 'unexpected', checks: failingChecks(run.checkRecords) };
  if (!entry.checks) return run.passed ? { kind: 'stale', checks: [], reason: entry.reason } : { kind: 'expected', reason: entry.reason };
  const failing = failingChecks(run.checkRecords);
  const listed = new Set(entry.checks);
  const unlisted = failing.filter((id) => !listed.has(id));
  // Failed with no failing check at all (crashed, timed out, exercised nothing): nothing the entry names.
  if (unlisted.length > 0 || (!run.passed && failing.length === 0)) return { kind: 'unexpected', checks: unlisted };
  const noLongerFailing = entry.checks.filter((id) => !failing.includes(id));
  if (noLongerFailing.length > 0) return { kind: 'stale', checks: noLongerFailing, reason: entry.reason };
  return { kind: 'expected', reason: entry.reason };
}

export interface Judged<T extends ScenarioRun = ScenarioRun> {
  run: T;
  verdict: Verdict;
}

/** Judges every run; baseline entries for scenarios that were not run (a partial run) are not consulted. */
export function judgeAll<T extends ScenarioRun>(runs: T[], baseline: Baseline | undefined): Judged<T>[] {
  const entries = new Map((baseline?.entries ?? []).map((e) => [`${e.side} ${e.scenario}`, e]));
  return runs.map((run) => ({ run, verdict: judge(run, entries.get(`${run.side} ${run.scenario}`)) }));
}

/** Baseline entries that name a scenario the suite does not have (renamed or removed upstream). */
export function unknownEntries(baseline: Baseline, lists: Record<Side, string[]>): BaselineEntry[] {
  return baseline.entries.filter((e) => !lists[e.side].includes(e.scenario));
}

export interface Tally {
  passed: number;
  failed: number;
  expected: number;
  unexpected: number;
  stale: number;
}

export function tally(judged: Judged[]): Tally {
  const count = (kind: Verdict['kind']) => judged.filter((j) => j.verdict.kind === kind).length;
  const expected = count('expected');
  const unexpected = count('unexpected');
  return { passed: count('pass') + count('stale'), failed: expected + unexpected, expected, unexpected, stale: count('stale') };
}

/** The closing line: `N passed, M failed`, then how many of the failures the baseline expects. */
export function summaryLine(t: Tally): string {
  const extra = [`${t.expected} expected`];
  if (t.unexpected > 0) extra.push(`${t.unexpected} unexpected`);
  if (t.stale > 0) extra.push(`${t.stale} stale baseline ${t.stale === 1 ? 'entry' : 'entries'}`);
  return `${t.passed} passed, ${t.failed} failed (${extra.join(', ')})`;
}

/** The gate: only failures the baseline expects, and no entry that no longer fails. */
export function gatePassed(t: Tally): boolean {
  return t.unexpected === 0 && t.stale === 0;
}
