import { describe, expect, it } from 'vitest';
import { captureText, LogBudget, TraceLog, type FindingEvent, type HttpEndEvent, type TraceMeta } from '@/lib/trace';
import { waterLevel } from '@/lib/trace/budget';

const META: TraceMeta = { sessionId: 's', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: 1_000_000, transport: 'auto' };

function newLog(id: string): TraceLog {
  // No per-session cap in the way: only the budget decides here.
  return new TraceLog({ ...META, sessionId: id }, { maxEvents: Infinity, maxBytes: Infinity });
}

/** Appends `count` responses with `bodyBytes`-byte bodies, numbered from `from`. */
function fill(log: TraceLog, count: number, bodyBytes: number, from = 0): void {
  const text = 'b'.repeat(bodyBytes);
  for (let i = from; i < from + count; i++) {
    log.append({ kind: 'http.end', exchangeId: `ex${i}`, bytes: bodyBytes, durationMs: 1, body: captureText(text, 1 << 20) });
  }
}

function budgetFindings(log: TraceLog): FindingEvent[] {
  return log.events().filter((e): e is FindingEvent => e.kind === 'finding' && e.code === 'log_budget');
}

function ends(log: TraceLog): HttpEndEvent[] {
  return log.events().filter((e): e is HttpEndEvent => e.kind === 'http.end');
}

describe('LogBudget', () => {
  it('adds up what every tracked log holds, and forgets a log it stops tracking', () => {
    const budget = new LogBudget({ limitBytes: 100 * 1024 * 1024 });
    const a = newLog('a');
    const b = newLog('b');
    fill(a, 10, 1_000);
    budget.track(a);
    budget.track(b);
    expect(budget.totalBytes).toBe(a.heldBytes);
    fill(b, 20, 1_000);
    expect(budget.totalBytes).toBe(a.heldBytes + b.heldBytes);
    budget.untrack(a);
    expect(budget.totalBytes).toBe(b.heldBytes);
    fill(a, 5, 1_000); // no longer counted
    expect(budget.totalBytes).toBe(b.heldBytes);
    expect(budget.trackedLogs).toBe(1);
  });

  it('past the budget, takes from the heaviest log first, its oldest bodies first, and leaves light logs alone', () => {
    const light = newLog('light');
    const heavy = newLog('heavy');
    const budget = new LogBudget({ limitBytes: 400_000 });
    budget.track(light);
    budget.track(heavy);
    fill(light, 20, 2_000); // ~45 KB
    fill(heavy, 150, 2_000); // ~330 KB: together still under 400 KB
    expect(budget.totalBytes).toBeLessThan(400_000);
    expect(budgetFindings(heavy)).toHaveLength(0);
    const lightBefore = light.heldBytes;
    fill(heavy, 20, 2_000, 150); // over
    expect(budget.rebalanceCount).toBe(1);
    expect(budget.totalBytes).toBeLessThanOrEqual(400_000);
    // The light log lost nothing and says nothing.
    expect(light.heldBytes).toBe(lightBefore);
    expect(ends(light).every((e) => e.body?.dropped !== true)).toBe(true);
    expect(budgetFindings(light)).toHaveLength(0);
    // The heavy one gave up its oldest bodies (bodies before events: every event is still listed).
    const heavyEnds = ends(heavy);
    expect(heavyEnds).toHaveLength(170);
    const dropped = heavyEnds.map((e) => e.body?.dropped === true);
    const firstKept = dropped.indexOf(false);
    expect(firstKept).toBeGreaterThan(0);
    expect(dropped.slice(0, firstKept).every(Boolean)).toBe(true);
    expect(dropped.slice(firstKept).some(Boolean)).toBe(false);
    const [finding] = budgetFindings(heavy);
    expect(finding).toMatchObject({ severity: 'warning', code: 'log_budget' });
    expect(finding.message).toContain('MCPSCOPE_LOG_BUDGET_BYTES');
    expect(finding.message).toContain(`${firstKept} bodies, frame texts and messages emptied`);
    expect(finding.message).toMatch(/390\.6 KB/);
  });

  it('cuts the heaviest logs down to a common level, then takes whole old events once bodies are gone', () => {
    const logs = [newLog('a'), newLog('b'), newLog('c')];
    const budget = new LogBudget({ limitBytes: 600_000, headroom: 0.2 });
    for (const log of logs) budget.track(log);
    fill(logs[0], 200, 0); // skeletons only: nothing to empty
    fill(logs[1], 100, 1_500);
    fill(logs[2], 10, 500);
    const sizes = logs.map((log) => log.heldBytes);
    fill(logs[0], 2_000, 0, 200); // a grows past the budget with events that have no body
    expect(budget.totalBytes).toBeLessThanOrEqual(600_000);
    // a is the heaviest: it lost whole events, oldest first (no body to empty), and the newest stay.
    const aEnds = ends(logs[0]);
    expect(aEnds.length).toBeLessThan(2_200);
    expect(aEnds.at(-1)?.exchangeId).toBe('ex2199');
    expect(aEnds[0].exchangeId).not.toBe('ex0');
    expect(budgetFindings(logs[0])[0].message).toMatch(/whole events removed, oldest first/);
    // The small one was under the level: untouched.
    expect(logs[2].heldBytes).toBe(sizes[2]);
    expect(budgetFindings(logs[2])).toHaveLength(0);
  });

  it('finds the level that frees exactly the excess from the top', () => {
    expect(waterLevel([100, 50, 10], 30)).toBe(70);
    expect(waterLevel([100, 50, 10], 60)).toBe(45);
    expect(waterLevel([100, 50, 10], 500)).toBe(0);
    expect(waterLevel([40, 40], 20)).toBe(30);
  });

  it('never shrinks a log to nothing: the newest event stays', () => {
    const log = newLog('only');
    const budget = new LogBudget({ limitBytes: 1_000, headroom: 0 });
    budget.track(log);
    fill(log, 50, 100);
    expect(log.size).toBeGreaterThanOrEqual(1);
    expect(ends(log).at(-1)?.exchangeId).toBe('ex49');
  });
});
