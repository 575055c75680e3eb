import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BaselineError,
  failingChecks,
  gatePassed,
  judge,
  judgeAll,
  loadBaseline,
  parseBaseline,
  summaryLine,
  tally,
  unknownEntries,
  type BaselineEntry,
  type ScenarioRun,
} from '@/scripts/conformance/baseline';
import { DEFAULT_SUITE_VERSION } from '@/scripts/conformance/suite';

const ok = (id: string) => ({ id, status: 'SUCCESS' });
const bad = (id: string) => ({ id, status: 'FAILURE' });

function run(scenario: string, passed: boolean, checkRecords = [ok('a')], side: 'client' | 'server' = 'server'): ScenarioRun {
  return { side, scenario, passed, checkRecords };
}

const whole: BaselineEntry = { side: 'server', scenario: 'tools-call-image', reason: "calls the suite's fixture tool test_image_content" };
const perCheck: BaselineEntry = {
  side: 'server',
  scenario: 'server-stateless',
  checks: ['needs-fixture-1', 'needs-fixture-2'],
  reason: 'diagnostic tools',
};

describe('conformance baseline: judging one scenario', () => {
  it('a pass with no entry is a pass; a failure with no entry is unexpected, naming its failing checks', () => {
    expect(judge(run('ping', true), undefined)).toEqual({ kind: 'pass' });
    expect(judge(run('ping', false, [ok('a'), bad('b'), bad('b'), bad('c')]), undefined)).toEqual({
      kind: 'unexpected',
      checks: ['b', 'c'],
    });
  });

  it('a whole-scenario entry excuses any failure, and is stale once the scenario passes', () => {
    expect(judge(run('tools-call-image', false, [bad('x')]), whole)).toEqual({ kind: 'expected', reason: whole.reason });
    // Failing with no failing check at all (e.g. every check skipped: "not exercised") is still a failure.
    expect(judge(run('tools-call-image', false, [{ id: 'x', status: 'SKIPPED' }]), whole).kind).toBe('expected');
    expect(judge(run('tools-call-image', true), whole)).toEqual({ kind: 'stale', checks: [], reason: whole.reason });
  });

  it('a per-check entry excuses exactly its checks', () => {
    const failing = [ok('kept'), bad('needs-fixture-1'), bad('needs-fixture-2')];
    expect(judge(run('server-stateless', false, failing), perCheck)).toEqual({ kind: 'expected', reason: 'diagnostic tools' });
    // A regression in a check the entry does not name fails the gate, even though the scenario was "expected" to fail.
    expect(judge(run('server-stateless', false, [...failing.slice(1), bad('kept')]), perCheck)).toEqual({
      kind: 'unexpected',
      checks: ['kept'],
    });
  });

  it('a per-check entry whose check stopped failing is stale, even while the other still fails', () => {
    const verdict = judge(run('server-stateless', false, [bad('needs-fixture-1'), ok('needs-fixture-2')]), perCheck);
    expect(verdict).toEqual({ kind: 'stale', checks: ['needs-fixture-2'], reason: 'diagnostic tools' });
    expect(judge(run('server-stateless', true, [ok('needs-fixture-1'), ok('needs-fixture-2')]), perCheck)).toMatchObject({
      kind: 'stale',
      checks: ['needs-fixture-1', 'needs-fixture-2'],
    });
  });

  it('a per-check entry does not excuse a scenario that failed without any failing check (crash, timeout, nothing exercised)', () => {
    expect(judge(run('server-stateless', false, []), perCheck)).toEqual({ kind: 'unexpected', checks: [] });
  });

  it('warnings and skipped checks are not failures (the suite exits 0 on them)', () => {
    expect(failingChecks([{ id: 'w', status: 'WARNING' }, { id: 's', status: 'SKIPPED' }, { id: 'i', status: 'INFO' }, bad('f')])).toEqual([
      'f',
    ]);
  });
});

describe('conformance baseline: a whole run', () => {
  const baseline = parseBaseline({
    suiteVersion: '9.9.9',
    server: [
      { scenario: whole.scenario, reason: whole.reason },
      { scenario: perCheck.scenario, checks: perCheck.checks, reason: perCheck.reason },
    ],
  });

  it('matches entries by side and scenario, and ignores entries for scenarios that were not run', () => {
    const judged = judgeAll(
      [run('tools-call-image', false, [bad('x')]), run('tools-call-image', false, [bad('x')], 'client'), run('ping', true)],
      baseline,
    );
    expect(judged.map((j) => j.verdict.kind)).toEqual(['expected', 'unexpected', 'pass']);
  });

  it('the gate passes only with no unexpected failure and no stale entry; the closing line says N passed, M failed and how many were expected', () => {
    const clean = tally(judgeAll([run('tools-call-image', false, [bad('x')]), run('ping', true), run('tools-list', true)], baseline));
    expect(clean).toEqual({ passed: 2, failed: 1, expected: 1, unexpected: 0, stale: 0 });
    expect(gatePassed(clean)).toBe(true);
    expect(summaryLine(clean)).toBe('2 passed, 1 failed (1 expected)');
    expect(summaryLine(clean)).toMatch(/^\d+ passed, \d+ failed/);

    const regressed = tally(judgeAll([run('tools-call-image', false, [bad('x')]), run('ping', false, [bad('ping')])], baseline));
    expect(gatePassed(regressed)).toBe(false);
    expect(summaryLine(regressed)).toBe('0 passed, 2 failed (1 expected, 1 unexpected)');

    const stale = tally(judgeAll([run('tools-call-image', true)], baseline));
    expect(stale).toEqual({ passed: 1, failed: 0, expected: 0, unexpected: 0, stale: 1 });
    expect(gatePassed(stale)).toBe(false);
    expect(summaryLine(stale)).toBe('1 passed, 0 failed (0 expected, 1 stale baseline entry)');
  });

  it('names entries for scenarios the suite does not have', () => {
    expect(unknownEntries(baseline, { client: [], server: ['tools-call-image'] }).map((e) => e.scenario)).toEqual(['server-stateless']);
  });
});

describe('conformance baseline: the file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mcpscope-baseline-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [[], /expected an object/],
    [{ server: [] }, /suiteVersion/],
    [{ suiteVersion: '1', server: {} }, /must be a list/],
    [{ suiteVersion: '1', server: [{ scenario: 'x' }] }, /needs a one-line "reason"/],
    [{ suiteVersion: '1', server: [{ scenario: 'x', reason: 'two\nlines' }] }, /must be one line/],
    [{ suiteVersion: '1', server: [{ reason: 'r' }] }, /needs a "scenario"/],
    [{ suiteVersion: '1', server: [{ scenario: 'x', reason: 'r', because: 'typo' }] }, /unknown key\(s\) because/],
    [{ suiteVersion: '1', server: [{ scenario: 'x', reason: 'r', checks: [] }] }, /non-empty list of check ids/],
    [{ suiteVersion: '1', server: [{ scenario: 'x', reason: 'r', checks: ['a', 'a'] }] }, /listed twice/],
    [
      {
        suiteVersion: '1',
        server: [
          { scenario: 'x', reason: 'r' },
          { scenario: 'x', reason: 'r' },
        ],
      },
      /x is listed twice/,
    ],
    [{ suiteVersion: '1', servers: [] }, /unknown key\(s\) servers/],
  ])('refuses %j', (document, message) => {
    expect(() => parseBaseline(document)).toThrow(BaselineError);
    expect(() => parseBaseline(document)).toThrow(message);
  });

  it('loads a file, and says which file is broken', () => {
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ suiteVersion: '1', client: [{ scenario: 'auth/x', reason: 'r' }] }));
    expect(loadBaseline(good)).toEqual({ suiteVersion: '1', entries: [{ side: 'client', scenario: 'auth/x', reason: 'r' }] });
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ not json');
    expect(() => loadBaseline(broken)).toThrow(/broken\.json is not JSON/);
    expect(() => loadBaseline(path.join(dir, 'missing.json'))).toThrow(/cannot read/);
  });

  it('the committed baseline is valid, is for the pinned suite, and gives every entry a reason', () => {
    const file = path.resolve(__dirname, '..', '..', 'scripts', 'conformance', 'expected-failures.json');
    const baseline = loadBaseline(file);
    expect(baseline.suiteVersion).toBe(DEFAULT_SUITE_VERSION);
    expect(baseline.entries.length).toBeGreaterThan(0);
    for (const entry of baseline.entries) expect(entry.reason.length).toBeGreaterThan(10);
    // Client scenarios all pass: nothing of the client side may hide in the baseline.
    expect(baseline.entries.filter((e) => e.side === 'client')).toEqual([]);
    expect(JSON.parse(readFileSync(file, 'utf8')).suiteVersion).toBe(DEFAULT_SUITE_VERSION);
  });
});
