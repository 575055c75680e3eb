// --oauth against an authorization server that shows a consent page: the command prints the authorization
// URL and waits for the redirect on its loopback listener; the test plays the browser.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsentServer, type ConsentServer } from './consent-server';
import { expectCliError, runCli, tempDataDir } from './helpers';

let server: ConsentServer;
let data: { dir: string; remove(): void };

beforeAll(async () => {
  server = await startConsentServer();
  data = tempDataDir();
});

afterAll(async () => {
  await server?.close();
  data?.remove();
});

interface BrowserVisit {
  consentStatus: number;
  wrongState: { status: number; text: string };
  callback: { status: number; text: string };
}

describe('authorization that needs a person', () => {
  it('prints the URL, receives the redirect on http://localhost:<port>/callback, then calls the tool', async () => {
    let stderr = '';
    let browser: Promise<BrowserVisit> | undefined;
    const run = await runCli(['call', server.mcpUrl, 'echo', '--args', '{"message": "hello through OAuth"}', '--oauth'], {
      dataDir: data.dir,
      onStderr: (chunk) => {
        stderr += chunk;
        const url = /authorize mcpscope: (\S+)/.exec(stderr)?.[1];
        const waiting = /Waiting for the redirect to (http:\/\/localhost:\d+\/callback)/.exec(stderr)?.[1];
        if (!url || !waiting || browser) return;
        browser = (async () => {
          const consent = await fetch(url);
          await consent.text();
          // A stray redirect (another state) is answered and ignored; the command keeps waiting.
          const stray = await fetch(`${waiting}?code=abc&state=not-the-one`);
          const target = server.approve(url);
          expect(target.startsWith(`${waiting}?`)).toBe(true);
          const back = await fetch(target);
          return {
            consentStatus: consent.status,
            wrongState: { status: stray.status, text: await stray.text() },
            callback: { status: back.status, text: await back.text() },
          };
        })();
      },
    });
    expect(browser).toBeDefined();
    const visit = await (browser as Promise<BrowserVisit>);
    expect(visit.consentStatus).toBe(200);
    expect(visit.wrongState.status).toBe(400);
    expect(visit.callback).toEqual({ status: 200, text: expect.stringContaining('You can close this tab') });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('hello through OAuth\n');
    expect(server.issuedTokens).toHaveLength(1);
  });

  it('the next run uses the stored token without asking the person again', async () => {
    const run = await runCli(['call', server.mcpUrl, 'echo', '--args', '{"message": "again"}', '--oauth'], { dataDir: data.dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('again\n');
    expect(server.issuedTokens).toHaveLength(1);
  });

  it("a denial in the browser exits 4 with the server's error", async () => {
    let stderr = '';
    let answered: Promise<number> | undefined;
    const fresh = tempDataDir();
    try {
      const run = await runCli(['info', server.mcpUrl, '--oauth'], {
        dataDir: fresh.dir,
        onStderr: (chunk) => {
          stderr += chunk;
          const url = /authorize mcpscope: (\S+)/.exec(stderr)?.[1];
          const waiting = /Waiting for the redirect to (\S+) /.exec(stderr)?.[1];
          if (!url || !waiting || answered) return;
          const state = new URL(url).searchParams.get('state') ?? '';
          answered = fetch(
            `${waiting}?error=access_denied&error_description=${encodeURIComponent('The user said no')}&state=${state}`,
          ).then((r) => r.status);
        },
      });
      expect(await answered).toBe(400);
      expect(run.code).toBe(4);
      expectCliError(run, 'authorization_denied', 'The user said no');
    } finally {
      fresh.remove();
    }
  });
});
