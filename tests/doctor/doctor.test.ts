// The Connection Doctor against real servers: every chaos behaviour the checklist can see is named at the right
// step with its code and advice; healthy servers of each era pass; DNS, TCP and TLS failures stop where they are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deadUrl,
  startChaosServer,
  startLegacySse,
  startStateful,
  startStateless2026,
  type ChaosServer,
  type FixtureServer,
} from '@/e2e/fixtures';
import { startSelfSigned } from '@/e2e/fixtures/self-signed';
import { DOCTOR_EXPECTED, DOCTOR_OUT_OF_SCOPE } from '@/e2e/fixtures/doctor-expected';
import { adviceFor, hasAdvice, type DoctorStepId } from '@/lib/doctor';
import { diagnose, step } from './helpers';
import { startedForSuite } from '../fixtures/suite';

const EXPECTED = DOCTOR_EXPECTED as Record<string, { step: DoctorStepId; status: 'fail' | 'warn'; code: string }>;

let chaos: ChaosServer;
beforeAll(async () => {
  chaos = await startChaosServer();
});
afterAll(async () => {
  await chaos?.close();
});

describe('chaos behaviours', () => {
  it('the table names every chaos behaviour (or says why the Doctor cannot see it)', () => {
    expect([...Object.keys(EXPECTED), ...DOCTOR_OUT_OF_SCOPE].sort()).toEqual(chaos.behaviours.map((behaviour) => behaviour.path).sort());
  });

  for (const [path, expected] of Object.entries(EXPECTED)) {
    it(`${path}: ${expected.step} ${expected.status} (${expected.code})`, async () => {
      const { report, log } = await diagnose(chaos.url(path), { stepTimeoutMs: 8_000 });
      const named = step(report, expected.step);
      expect(named.status, named.seen.join(' | ')).toBe(expected.status);
      expect(named.code).toBe(expected.code);
      expect(hasAdvice(expected.code), `advice for ${expected.code}`).toBe(true);
      expect(named.advice).toBe(adviceFor(expected.code));
      // Every step lists its exchanges, which are in the log for Traffic.
      if (expected.step === 'http') {
        expect(named.exchangeIds.length).toBeGreaterThan(0);
        const ids = new Set(
          log
            .events()
            .filter((event) => event.kind === 'http.request')
            .map((event) => (event as { exchangeId: string }).exchangeId),
        );
        for (const id of named.exchangeIds) expect(ids.has(id)).toBe(true);
      }
      if (expected.status === 'fail') {
        expect(report.outcome).toBe('failed');
        expect(report.failedStep).toBe(expected.step);
        // Everything after the failure is skipped, not run.
        const after = report.steps.slice(report.steps.indexOf(named) + 1);
        expect(after.every((later) => later.status === 'skipped')).toBe(true);
      } else {
        expect(report.outcome).toBe('ok');
        expect(step(report, 'transport').status).toMatch(/pass|warn/);
      }
    }, 30_000);
  }
});

describe('healthy servers of each era', () => {
  const servers: FixtureServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });
  /** The doctor's report on a server `start` gives, closed after the suite. */
  async function diagnosed(start: () => Promise<FixtureServer>) {
    const server = await start();
    servers.push(server);
    return (await diagnose(server.url)).report;
  }

  it('a stateful 2025 server passes every step, with its session checked', async () => {
    const report = await diagnosed(startStateful);
    expect(report.outcome).toBe('ok');
    expect(step(report, 'http').status).toBe('pass');
    expect(step(report, 'transport').seen.join(' ')).toMatch(/stateful-2025/);
    expect(step(report, 'session').status).toBe('pass');
    expect(step(report, 'list').seen[0]).toMatch(/tools\/list: \d+ tools/);
    expect(step(report, 'tls').status).toBe('na');
    expect(step(report, 'resource-metadata').status).toBe('na');
  });

  it('a legacy SSE server: the POST is refused (4xx), the transport step finds the legacy transport', async () => {
    const report = await diagnosed(startLegacySse);
    expect(report.outcome).toBe('ok');
    expect(step(report, 'http').status).toBe('warn');
    expect(step(report, 'http').code).toBe('not_streamable_http');
    expect(step(report, 'transport').seen.join(' ')).toMatch(/legacy-sse/);
  });

  it('a stateless 2026-07-28 server: initialize refused, server/discover speaks', async () => {
    const report = await diagnosed(startStateless2026);
    expect(report.outcome).toBe('ok');
    expect(step(report, 'transport').seen.join(' ')).toMatch(/stateless-2026/);
    expect(step(report, 'session').status).toBe('na');
  });
});

describe('the network steps', () => {
  it('an invalid URL stops at the first step', async () => {
    const { report } = await diagnose('ftp://example.com/mcp');
    expect(report.failedStep).toBe('url');
    expect(step(report, 'url').code).toBe('invalid_url');
  });

  it('a name that does not resolve stops at DNS', async () => {
    const { report } = await diagnose('http://no-such-host.invalid/mcp');
    expect(report.failedStep).toBe('dns');
    expect(step(report, 'dns').code).toBe('host_not_found');
    expect(step(report, 'dns').advice).toMatch(/spelling/);
  });

  it('a port nobody listens on stops at TCP', async () => {
    const { report } = await diagnose(await deadUrl());
    expect(report.failedStep).toBe('tcp');
    expect(step(report, 'tcp').code).toBe('connection_refused');
    expect(step(report, 'dns').status).toBe('na');
  });

  describe('a self-signed https server', () => {
    const tlsServer = startedForSuite(() => startSelfSigned(chaos.url('/ok')));

    it('is explained, with its fingerprint, and stops at TLS', async () => {
      const { report } = await diagnose(tlsServer().url);
      const tls = step(report, 'tls');
      expect(report.failedStep).toBe('tls');
      expect(tls.code).toBe('tls_self_signed');
      expect(tls.seen.join(' ')).toContain(tlsServer().fingerprint256);
      expect(tls.advice).toMatch(/trusting this certificate for this run only/);
    });

    it('trusted by its fingerprint for this run, the checklist goes on and connects', async () => {
      const { report } = await diagnose(tlsServer().url, { trustCertificate: tlsServer().fingerprint256 });
      expect(step(report, 'tls').status).toBe('warn');
      expect(step(report, 'tls').code).toBe('tls_self_signed_trusted');
      expect(report.outcome, report.summary).toBe('ok');
      expect(step(report, 'list').status).toBe('pass');
    });

    it('another fingerprint is not trusted', async () => {
      const { report } = await diagnose(tlsServer().url, { trustCertificate: 'AA:BB' });
      expect(report.failedStep).toBe('tls');
      expect(step(report, 'tls').seen.join(' ')).toMatch(/not the one presented/);
    });
  });

  it('a token the server refuses: the first POST fails and the authorization metadata is still checked', async () => {
    const { report } = await diagnose(chaos.url('/prm-other-origin'), { headers: { Authorization: 'Bearer wrong-token-123456' } });
    expect(step(report, 'http').code).toBe('credentials_refused');
    expect(step(report, 'resource-metadata').code).toBe('resource_mismatch');
  });
});
