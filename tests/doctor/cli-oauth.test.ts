// `mcpscope doctor <url> --client-id …`: the redirect URI step with the flow an OAuth run of the CLI would use (its
// store in the data directory, its redirect URI on the loopback callback port), against oidc-provider.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '@/e2e/fixtures/ports';
import { PUBLIC_CLIENT_ID, startOAuthFixture, type OAuthFixture } from '@/e2e/fixtures/oauth';
import { parseCommandLine } from '@/lib/cli/args';
import { doctorCommand } from '@/lib/cli/doctor';
import { EXIT } from '@/lib/cli/errors';
import type { DoctorReport } from '@/lib/doctor';
import { SecretSet, TraceLog } from '@/lib/trace';

let fx: OAuthFixture;
let dataDir: string;
let registeredPort: number;

beforeAll(async () => {
  registeredPort = await freeLoopbackPort();
  // The pre-registered client knows the CLI's callback on one loopback port only.
  fx = await startOAuthFixture({ redirectUris: [`http://localhost:${registeredPort}/callback`] });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-doctor-cli-'));
});
afterAll(async () => {
  await fx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function doctor(...extra: string[]): Promise<{ exit: number; report: DoctorReport }> {
  const line = parseCommandLine(['doctor', fx.mcpUrl, '--json', ...extra]);
  if (line.kind !== 'run') throw new Error('not a run');
  const secrets = new SecretSet();
  const log = new TraceLog({ sessionId: 'doctor-cli', serverUrl: fx.mcpUrl, startedAt: Date.now(), transport: 'auto' });
  let out = '';
  const exit = await doctorCommand(
    line.options,
    { stdout: { write: (text: string) => (out += text) } },
    log,
    secrets,
    { MCPSCOPE_DATA_DIR: dataDir },
    { connectTimeoutMs: 5_000 },
  );
  return { exit, report: JSON.parse(out) as DoctorReport };
}

describe('mcpscope doctor with a pre-registered client', () => {
  it('on the registered callback port: the authorization request is accepted (exit 4: authorization needed)', async () => {
    const { exit, report } = await doctor('--client-id', PUBLIC_CLIENT_ID, '--callback-port', String(registeredPort));
    expect(exit).toBe(EXIT.authorization);
    expect(report.outcome).toBe('auth_required');
    const redirect = report.steps.find((step) => step.id === 'redirect-uri')!;
    expect(redirect.status, redirect.seen.join('\n')).toBe('pass');
    expect(redirect.seen[0]).toContain(`redirect_uri http://localhost:${registeredPort}/callback`);
  });

  it('on another port: refused, named at the redirect URI step (exit 4)', async () => {
    const other = await freeLoopbackPort();
    const { exit, report } = await doctor('--client-id', PUBLIC_CLIENT_ID, '--callback-port', String(other));
    expect(exit).toBe(EXIT.authorization);
    expect(report.failedStep).toBe('redirect-uri');
    const redirect = report.steps.find((step) => step.id === 'redirect-uri')!;
    expect(redirect.code).toBe('redirect_uri_refused');
    expect(redirect.advice).toContain(`Add http://localhost:${other}/callback to the redirect URIs of the client ${PUBLIC_CLIENT_ID}`);
    expect(fx.events.filter((event) => event.kind === 'token')).toEqual([]);
  });

  it('without OAuth options the step does not apply', async () => {
    const { exit, report } = await doctor();
    expect(exit).toBe(EXIT.authorization);
    expect(report.steps.find((step) => step.id === 'redirect-uri')?.status).toBe('na');
  });
});
