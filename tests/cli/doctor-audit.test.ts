// `mcpscope doctor` and `mcpscope audit` as a person or a CI runs them: the real command in a child process, real
// servers, and the exit codes the usage text promises.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deadUrl,
  serveFetchHandler,
  startChaosServer,
  startStateful,
  type ChaosServer,
  type RunningServer,
  type ToolFixtureServer,
} from '@/e2e/fixtures';
import { startAuditViolations, type ViolationsServer } from '@/e2e/fixtures/audit-violations';
import { createDemoHandler, loopbackHostnames, type DemoHandler } from '@/lib/demo';
import { parseCommandLine } from '@/lib/cli';
import { runCli } from './helpers';

let chaos: ChaosServer;
let stateful: ToolFixtureServer;
let violations: ViolationsServer;
let demoHandler: DemoHandler;
let demo: RunningServer;

beforeAll(async () => {
  [chaos, stateful, violations] = await Promise.all([startChaosServer(), startStateful(), startAuditViolations()]);
  demoHandler = createDemoHandler({ allowedHostnames: loopbackHostnames() });
  demo = await serveFetchHandler((request) => demoHandler.handle(request));
});
afterAll(async () => {
  await Promise.all([chaos?.close(), stateful?.close(), violations?.close(), demoHandler?.close(), demo?.close()]);
});

describe('mcpscope doctor', () => {
  it('exit 0 and every step listed for a healthy server', async () => {
    const run = await runCli(['doctor', stateful.url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/PASS {2}First POST \(initialize\)/);
    expect(run.stdout).toMatch(/PASS {2}First list call +tools\/list: 3 tools/);
  }, 60_000);

  it('exit 3 at the failing step, with its advice; --json gives the report', async () => {
    const run = await runCli(['doctor', chaos.url('/html-502'), '--json']);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as {
      outcome: string;
      failedStep: string;
      steps: Array<{ id: string; code?: string; advice?: string }>;
    };
    expect(report.outcome).toBe('failed');
    expect(report.failedStep).toBe('http');
    expect(report.steps.find((step) => step.id === 'http')).toMatchObject({
      code: 'html_error_page',
      advice: expect.stringMatching(/proxy/),
    });
  }, 60_000);

  it('exit 3 for nothing listening (TCP), exit 4 for broken authorization metadata', async () => {
    const dead = await runCli(['doctor', await deadUrl()]);
    expect(dead.code).toBe(3);
    expect(dead.stdout).toMatch(/FAIL {2}TCP connection/);
    const auth = await runCli(['doctor', chaos.url('/prm-other-origin')]);
    expect(auth.code).toBe(4);
    expect(auth.stdout).toMatch(/FAIL {2}Protected resource metadata/);
  }, 60_000);
});

describe('mcpscope audit', () => {
  it('exit 0 for the demo server', async () => {
    const run = await runCli(['audit', `${demo.origin}/mcp`, '--consent', 'structured_weather={"city":"Lyon"}']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/0 MUST failure\(s\), 0 SHOULD failure\(s\)/);
  }, 60_000);

  it('exit 6 for MUST failures, with spec references in the text and in --json', async () => {
    const must = await runCli(['audit', violations.url, '--json']);
    expect(must.code).toBe(6);
    const report = JSON.parse(must.stdout) as {
      score: { mustFailures: number };
      checks: Array<{ id: string; result: string; spec: { url: string } }>;
    };
    expect(report.score.mustFailures).toBeGreaterThan(0);
    expect(report.checks.find((check) => check.id === 'session-lifecycle')).toMatchObject({
      result: 'fail',
      spec: { url: expect.stringContaining('session-management') },
    });
    const human = await runCli(['audit', violations.url]);
    expect(human.stdout).toMatch(/FAIL {2}MUST {3}Session ids: required, ended by DELETE, then 404/);
    expect(human.stdout).toMatch(/spec: MCP 2025-11-25/);
  }, 90_000);

  it('--fail-on should: SHOULD failures count too', async () => {
    // The SDK v1 stateful fixture answers a call to an unknown tool with a tool error, not -32602 (a SHOULD failure).
    const should = await runCli(['audit', stateful.url, '--fail-on', 'should', '--json']);
    const report = JSON.parse(should.stdout) as { score: { mustFailures: number; shouldFailures: number } };
    expect(report.score.shouldFailures).toBeGreaterThan(0);
    expect(should.code).toBe(6);
  }, 60_000);
});

describe('parsing', () => {
  it('keeps each option to its command', () => {
    expect(() => parseCommandLine(['call', 'http://x/mcp', 't', '--fail-on', 'must'])).toThrow(/only applies to the audit/);
    expect(() => parseCommandLine(['audit', 'http://x/mcp', '--fail-on', 'may'])).toThrow(/must or should/);
    expect(() => parseCommandLine(['info', 'http://x/mcp', '--trust-cert', 'AA'])).toThrow(/only applies to the doctor/);
    const audit = parseCommandLine(['audit', 'http://x/mcp', '--consent', 'a', '--consent', 'b={"n":1}']);
    expect(audit.kind === 'run' && audit.options).toMatchObject({
      failOn: 'must',
      consent: [{ name: 'a' }, { name: 'b', arguments: { n: 1 } }],
    });
    expect(() => parseCommandLine(['audit', 'http://x/mcp', '--consent', 'b=[1]'])).toThrow(/JSON object/);
  });
});
