// The audit against real servers: the demo server is clean, server-everything's real gaps are found, and a server
// with planted violations has each one reported by its check, with level, spec reference, evidence and fix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFetchHandler, startEverything, type RunningServer } from '@/e2e/fixtures';
import { PLANTED, startAuditViolations, type ViolationsServer } from '@/e2e/fixtures/audit-violations';
import { createDemoHandler, loopbackHostnames, type DemoHandler } from '@/lib/demo';
import { failsAt, type AuditReport } from '@/lib/audit';
import { audit, byId, failed } from './helpers';
import { startedForSuite } from '../fixtures/suite';

describe('the demo server', () => {
  let handler: DemoHandler;
  let server: RunningServer;
  beforeAll(async () => {
    handler = createDemoHandler({ allowedHostnames: loopbackHostnames() });
    server = await serveFetchHandler((request) => handler.handle(request));
  });
  afterAll(async () => {
    await handler.close();
    await server.close();
  });

  it('audits clean, its structured tools checked with consent', async () => {
    const { report } = await audit(`${server.origin}/mcp`, [{ name: 'structured_weather', arguments: { city: 'Lyon' } }]);
    expect(failed(report), JSON.stringify(report.checks.filter((check) => check.result === 'fail'))).toEqual([]);
    expect(report.score.mustFailures).toBe(0);
    expect(report.score.shouldFailures).toBe(0);
    expect(byId(report, 'dns-rebinding').result).toBe('pass');
    expect(byId(report, 'structured-results').result).toBe('pass');
    expect(failsAt(report, 'should')).toBe(false);
  });

  it('calls no tool without consent', async () => {
    const { report, log } = await audit(`${server.origin}/mcp`);
    expect(byId(report, 'structured-results').result).toBe('consent');
    const called = log.events().filter((event) => event.kind === 'rpc' && event.direction === 'out' && event.method === 'tools/call');
    // Only the deliberately wrong call to a tool that does not exist (the invalid-params check).
    expect(called.map((event) => JSON.stringify((event as { message?: unknown }).message))).toEqual([
      expect.stringContaining('mcpscope-audit-no-such-tool'),
    ]);
  });
});

describe('server-everything', () => {
  const everything = startedForSuite(() => startEverything('streamableHttp'), 60_000);

  it('its real gaps: a foreign Host answered on loopback, a terminated session answered 400 instead of 404', async () => {
    const { report } = await audit(everything().url);
    const rebinding = byId(report, 'dns-rebinding');
    expect(rebinding.result).toBe('fail');
    expect(rebinding.detail.join(' ')).toMatch(/Host: mcpscope-audit\.example: HTTP 200/);
    const lifecycle = byId(report, 'session-lifecycle');
    expect(lifecycle.result).toBe('fail');
    expect(lifecycle.detail.join(' ')).toMatch(/ended session id: HTTP 400 \(MUST be 404\)/);
    expect(lifecycle.spec.url).toContain('#session-management');
    expect(lifecycle.exchangeIds.length).toBeGreaterThan(3);
    expect(failsAt(report, 'must')).toBe(true);
  }, 60_000);
});

describe('a server with planted violations', () => {
  let server: ViolationsServer;
  let report: AuditReport;
  let log: Awaited<ReturnType<typeof audit>>['log'];
  beforeAll(async () => {
    server = await startAuditViolations();
    ({ report, log } = await audit(server.url, [{ name: 'weather' }]));
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  for (const [id, planted] of Object.entries(PLANTED)) {
    it(`${id}: ${planted}`, () => {
      const check = byId(report, id);
      expect(check.result, check.detail.join(' | ')).toBe('fail');
      expect(check.spec.section).toMatch(/MCP 2025-11-25|JSON-RPC 2\.0/);
      expect(check.spec.url).toMatch(/^https:\/\//);
      expect(check.fix).toBeTruthy();
      // Each failure is a finding in the session log too, so exports and shares carry it.
      const code = `audit_${id.replace(/-/g, '_')}`;
      expect(log.events().some((event) => event.kind === 'finding' && event.code === code)).toBe(true);
    });
  }

  it('scores per level and keeps the passive findings of the session', () => {
    const must = report.checks.filter((check) => check.result === 'fail' && check.level === 'MUST').length;
    expect(report.score.mustFailures).toBe(must);
    expect(report.score.mustFailures).toBeGreaterThanOrEqual(8);
    expect(report.score.shouldFailures).toBeGreaterThanOrEqual(3);
    // tools/list paging looped at connect: the engine's finding joins the report.
    expect(report.passive.map((finding) => finding.code)).toContain('pagination_loop');
  });
});
