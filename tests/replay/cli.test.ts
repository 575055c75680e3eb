// `mcpscope replay` and `mcpscope diff` as a person's CI runs them: the real command, real fixture servers from the
// official SDKs, a recording made by the engine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startReplayTarget, type ReplayTarget } from '@/e2e/fixtures/replay-target';
import { errorOf, runCli } from '../cli/helpers';
import { recordSession } from './record';
import { SEARCH_LIMIT_CHANGES, SEARCH_LIMIT_INTERFACE } from './expected';

// Each test runs the command (a fresh node + tsx) one to four times: give it room on a busy machine.
vi.setConfig({ testTimeout: 90_000, hookTimeout: 60_000 });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-replay-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(['2026', '2025'] as const)('replay against the %s-era target', (era) => {
  let target: ReplayTarget;
  const recorded = path.join(dir, `before-${era}.json`);
  beforeAll(async () => {
    target = await startReplayTarget(era, 'before');
    await recordSession(target.url, recorded);
  });
  afterAll(() => target.close());

  it('the same release: every request identical (the fresh timestamp and UUID ignored), exit 0', async () => {
    target.release = 'before';
    const run = await runCli(['replay', recorded, '--against', target.url]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^7 identical, 0 differ, 0 failed; ignored .*\b1 \(timestamps and ids in text\)$/m);
  });

  it('the changed release: exactly the schema and the result, exit 6', async () => {
    target.release = 'after';
    const run = await runCli(['replay', recorded, '--against', target.url, '--json']);
    expect(run.code).toBe(6);
    const report = JSON.parse(run.stdout);
    const differing = report.requests.filter((r: { verdict: string }) => r.verdict !== 'identical');
    expect(differing.map((r: { label: string }) => r.label)).toEqual(['tools/list', 'tools/call greet']);
    expect(differing[0].changes.map((c: { kind: string; path: string }) => `${c.kind} ${c.path}`)).toEqual(SEARCH_LIMIT_CHANGES);
    expect(differing[1].changes).toEqual([
      { kind: 'changed', path: '$.result.content[0].text', before: 'Hello, Ada.', after: 'Hello, Ada!' },
    ]);
    expect(report.interface).toEqual(SEARCH_LIMIT_INTERFACE);
    expect(report.summary).toEqual({ total: 7, identical: 5, differs: 2, failed: 0, breaking: 1 });
  });

  it('the text report names each difference, and --ignore sets one aside', async () => {
    target.release = 'after';
    const run = await runCli(['replay', recorded, '--against', target.url]);
    expect(run.code).toBe(6);
    expect(run.stdout).toContain('      changed $.result.content[0].text: "Hello, Ada." → "Hello, Ada!"');
    expect(run.stdout).toContain('  tool search: changed (breaking)\n      breaking: new required argument "limit" (integer)');
    const ignoring = await runCli([
      'replay',
      recorded,
      '--against',
      target.url,
      '--ignore',
      '$.result.content[*].text',
      '--ignore',
      '$.result.tools',
    ]);
    expect(ignoring.stdout).toMatch(/^7 identical, 0 differ, 0 failed; 1 interface change \(1 breaking\)/m);
    // The interface still changed: that alone fails the run.
    expect(ignoring.code).toBe(6);
  });
});

describe('replay across eras and offline diff', () => {
  let modern: ReplayTarget;
  let legacy: ReplayTarget;
  beforeAll(async () => {
    [modern, legacy] = await Promise.all([startReplayTarget('2026'), startReplayTarget('2025')]);
    await recordSession(modern.url, path.join(dir, 'modern.json'));
    await recordSession(legacy.url, path.join(dir, 'legacy.json'));
    legacy.release = 'after';
    await recordSession(legacy.url, path.join(dir, 'legacy-after.json'));
  });
  afterAll(() => Promise.all([modern.close(), legacy.close()]));

  it('a 2025 recording replayed against the 2026 server of the same release: the envelope is ignored, exit 0', async () => {
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'legacy.json'), 'utf8')).meta.era).toBe('stateful-2025');
    const run = await runCli(['replay', path.join(dir, 'legacy.json'), '--against', modern.url, '--json']);
    const report = JSON.parse(run.stdout);
    expect(report.requests.filter((r: { verdict: string }) => r.verdict !== 'identical')).toEqual([]);
    expect(report.era).toBe('stateless-2026');
    expect(run.code).toBe(0);
  });

  it('diff of two recordings: 0 for the same release across eras, 6 across releases', async () => {
    const same = await runCli(['diff', path.join(dir, 'modern.json'), path.join(dir, 'legacy.json')]);
    expect(same.code).toBe(0);
    const changed = await runCli(['diff', path.join(dir, 'legacy.json'), path.join(dir, 'legacy-after.json'), '--json']);
    expect(changed.code).toBe(6);
    const report = JSON.parse(changed.stdout);
    expect(report.summary).toMatchObject({ differs: 2, failed: 0 });
    expect(report.interface.map((c: { name: string; breaking: boolean }) => [c.name, c.breaking])).toEqual([['search', true]]);
  });

  it('usage mistakes and unreadable recordings exit 2 with one line', async () => {
    const missing = await runCli(['replay', path.join(dir, 'modern.json')]);
    expect(missing.code).toBe(2);
    expect(errorOf(missing).message).toContain('--against');
    const nofile = await runCli(['replay', path.join(dir, 'nope.json'), '--against', modern.url]);
    expect(nofile.code).toBe(2);
    expect(errorOf(nofile).code).toBe('recording_not_found');
    fs.writeFileSync(path.join(dir, 'junk.json'), '{"hello": 1}');
    const junk = await runCli(['diff', path.join(dir, 'junk.json'), path.join(dir, 'modern.json')]);
    expect(junk.code).toBe(2);
    expect(errorOf(junk).code).toBe('invalid_recording');
    const badRule = await runCli(['diff', path.join(dir, 'modern.json'), path.join(dir, 'modern.json'), '--ignore', '$.a[']);
    expect(badRule.code).toBe(2);
  });
});
