// The command line against a real authorization server (oidc-provider, auto-approving) protecting a real MCP
// server: 401 without credentials, --bearer, --oauth (dynamic registration, no browser), token reuse and
// refresh on later runs, scope step-up, a pre-registered client, client credentials, and the log and the
// store holding no token in clear.
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeLoopbackPort } from '@/e2e/fixtures';
import { startOAuthFixture, type OAuthFixture } from '@/e2e/fixtures/oauth';
import { openStore, SQLITE_FILE } from '@/lib/store';
import { errorOf, expectCliError, runCli, tempDataDir } from './helpers';

let fx: OAuthFixture;
let publicClientPort: number;
const dirs: Array<{ remove(): void }> = [];

function dataDir(): string {
  const made = tempDataDir();
  dirs.push(made);
  return made.dir;
}

beforeAll(async () => {
  publicClientPort = await freeLoopbackPort();
  fx = await startOAuthFixture({ redirectUris: [`http://localhost:${publicClientPort}/callback`] });
});

afterAll(async () => {
  await fx?.close();
  for (const dir of dirs) dir.remove();
});

const count = (kind: string) => fx.events.filter((e) => e.kind === kind).length;

async function storedTokens(dir: string, owner: string) {
  const store = await openStore({ dataDir: dir, databaseUrl: '', secretKey: '' });
  try {
    const tokens = await store.getTokens(owner, fx.mcpUrl);
    if (!tokens) throw new Error(`no tokens stored for ${owner}`);
    return tokens;
  } finally {
    await store.close();
  }
}

/** A token from the machine client, got by hand (for --bearer). */
async function machineToken(): Promise<string> {
  const metadata = (await (await fetch(`${fx.issuer}/.well-known/oauth-authorization-server`)).json()) as { token_endpoint: string };
  const response = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${fx.machineClient.clientId}:${fx.machineClient.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: fx.mcpUrl, scope: 'mcp:read' }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('without OAuth', () => {
  it('a 401 without credentials exits 4 and says to use --oauth or --bearer', async () => {
    const run = await runCli(['tools', fx.mcpUrl], { dataDir: dataDir() });
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expectCliError(run, 'auth_required', '--oauth', '--bearer');
  });

  it('a wrong --bearer token exits 4 and says the token was refused', async () => {
    const run = await runCli(['tools', fx.mcpUrl, '--bearer', 'not-a-real-token-1234'], { dataDir: dataDir() });
    expect(run.code).toBe(4);
    expect(errorOf(run).message).toContain('refused the bearer token');
  });

  it('a good --bearer token works, and --log masks it', async () => {
    const token = await machineToken();
    const dir = dataDir();
    const logFile = path.join(dir, 'bearer.json');
    const run = await runCli(['call', fx.mcpUrl, 'whoami', '--bearer', token, '--log', logFile], { dataDir: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ client_id: fx.machineClient.clientId });
    const log = fs.readFileSync(logFile, 'utf8');
    expect(log).not.toContain(token);
    expect(log).toContain(`••••${token.slice(-4)}`);
  });
});

describe('--oauth (authorization code, dynamic registration, auto-approved)', () => {
  let dir: string;
  let logFile: string;
  beforeAll(() => {
    dir = dataDir();
    logFile = path.join(dir, 'session.json');
  });

  it('registers a loopback client, authorizes without a browser, and calls the tool', async () => {
    const registrations = count('registration');
    const run = await runCli(['call', fx.mcpUrl, 'whoami', '--oauth', '--log', logFile], { dataDir: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const who = JSON.parse(run.stdout) as { sub: string; client_id: string; scope: string };
    expect(who.sub).toBe('test-user');
    expect(who.scope).toBe('mcp:read mcp:write');

    expect(count('registration')).toBe(registrations + 1);
    const registration = fx.events.filter((e) => e.kind === 'registration').at(-1);
    expect(registration?.detail.client_id).toBe(who.client_id);
    const { callbackPort } = JSON.parse(fs.readFileSync(path.join(dir, 'cli.json'), 'utf8')) as { callbackPort: number };
    expect(registration?.detail.redirect_uris).toBe(`http://localhost:${callbackPort}/callback`);
    const authorization = fx.events.filter((e) => e.kind === 'authorization').at(-1);
    expect(authorization?.detail).toMatchObject({ client_id: who.client_id, code_challenge_method: 'S256', resource: fx.mcpUrl });
  });

  it('the log and the store hold no token, code or verifier in clear', async () => {
    const tokens = await storedTokens(dir, 'cli');
    const log = fs.readFileSync(logFile, 'utf8');
    const parsed = JSON.parse(log) as { format: string; events: Array<{ kind: string; name?: string; status?: string }> };
    expect(parsed.format).toBe('mcpscope-session');
    // The flow is in the log, step by step.
    const phases = parsed.events.filter((e) => e.kind === 'phase' && e.status === 'ok').map((e) => e.name);
    expect(phases).toEqual(
      expect.arrayContaining([
        'oauth:discovery',
        'oauth:registration',
        'oauth:authorize',
        'oauth:callback',
        'oauth:token',
        'connect',
        'tools/list',
      ]),
    );
    for (const secret of [tokens.accessToken, tokens.refreshToken as string]) {
      expect(secret.length).toBeGreaterThan(10);
      expect(log).not.toContain(secret);
      expect(log).toContain(`••••${secret.slice(-4)}`);
    }
    // The MCP requests show the Authorization header they were sent with, masked.
    const mcpRequests = (
      JSON.parse(log) as { events: Array<{ kind: string; purpose?: string; headers?: Array<[string, string]> }> }
    ).events.filter((e) => e.kind === 'http.request' && e.purpose === 'mcp');
    expect(mcpRequests.length).toBeGreaterThan(0);
    for (const request of mcpRequests) {
      expect(request.headers?.find(([name]) => name.toLowerCase() === 'authorization')?.[1]).toBe(
        `Bearer ••••${tokens.accessToken.slice(-4)}`,
      );
    }
    expect(log).toMatch(/code_verifier=••••/);
    expect(log).not.toMatch(/[?&]code=[^•&"]/);
    expect(log).not.toMatch(/code_verifier=[^•&"]/);
    const raw = Buffer.concat(
      [SQLITE_FILE, `${SQLITE_FILE}-wal`]
        .map((f) => path.join(dir, f))
        .filter((f) => fs.existsSync(f))
        .map((f) => fs.readFileSync(f)),
    );
    expect(raw.includes(tokens.accessToken)).toBe(false);
    expect(raw.includes(tokens.refreshToken as string)).toBe(false);
  });

  it('a later run reuses the stored token: no registration, no authorization', async () => {
    const before = { registration: count('registration'), authorization: count('authorization'), token: count('token') };
    const run = await runCli(['call', fx.mcpUrl, 'add', '--oauth', '--args', '{"a": 20, "b": 22}'], { dataDir: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('42\n');
    expect({ registration: count('registration'), authorization: count('authorization'), token: count('token') }).toEqual(before);
  });

  it('an expired token is refreshed (with rotation) on the next run', async () => {
    const old = await storedTokens(dir, 'cli');
    fx.expireAccessTokens();
    const refreshes = count('refresh');
    const run = await runCli(['call', fx.mcpUrl, 'whoami', '--oauth'], { dataDir: dir });
    expect(run.code).toBe(0);
    expect(count('refresh')).toBe(refreshes + 1);
    const fresh = await storedTokens(dir, 'cli');
    expect(fresh.accessToken).not.toBe(old.accessToken);
    expect(fresh.refreshToken).not.toBe(old.refreshToken);
  });

  it('a tool that needs more scope is stepped up (authorized again) and called once more', async () => {
    const authorizations = count('authorization');
    const run = await runCli(['call', fx.mcpUrl, 'admin_action', '--oauth'], { dataDir: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('admin action done');
    expect(count('authorization')).toBe(authorizations + 1);
    expect(fx.events.filter((e) => e.kind === 'authorization').at(-1)?.detail.scope).toContain('mcp:admin');
    expect((await storedTokens(dir, 'cli')).scopes).toContain('mcp:admin');
  });

  it('--scope asks for exactly those scopes', async () => {
    const run = await runCli(['call', fx.mcpUrl, 'whoami', '--scope', 'mcp:read'], { dataDir: dataDir() });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).scope).toBe('mcp:read');
  });
});

describe('other clients', () => {
  it('a pre-registered public client with its registered --callback-port', async () => {
    const registrations = count('registration');
    const dir = dataDir();
    const run = await runCli(
      ['call', fx.mcpUrl, 'whoami', '--client-id', fx.preRegisteredClientId, '--callback-port', String(publicClientPort)],
      { dataDir: dir },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).client_id).toBe(fx.preRegisteredClientId);
    expect(count('registration')).toBe(registrations);
    expect(fx.events.filter((e) => e.kind === 'authorization').at(-1)?.detail.redirect_uri).toBe(
      `http://localhost:${publicClientPort}/callback`,
    );
  });

  it('the pre-registered client on another port is refused by the authorization server: exit 4', async () => {
    const run = await runCli(['call', fx.mcpUrl, 'whoami', '--client-id', fx.preRegisteredClientId], { dataDir: dataDir() });
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    expectCliError(run, 'authorization_denied', 'invalid_redirect_uri', '--callback-port');
  });

  it('--grant client_credentials with the machine client', async () => {
    const dir = dataDir();
    const logFile = path.join(dir, 'machine.json');
    const { clientId, clientSecret } = fx.machineClient;
    const run = await runCli(
      [
        'call',
        fx.mcpUrl,
        'whoami',
        '--grant',
        'client_credentials',
        '--client-id',
        clientId,
        '--client-secret',
        clientSecret,
        '--log',
        logFile,
      ],
      {
        dataDir: dir,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ client_id: clientId, scope: 'mcp:read mcp:write' });
    const log = fs.readFileSync(logFile, 'utf8');
    expect(log).not.toContain(clientSecret);
    const tokens = await storedTokens(dir, `cli:client-credentials:${clientId}`);
    expect(log).not.toContain(tokens.accessToken);
  });

  it('--grant client_credentials with --client-key signs private_key_jwt assertions; neither key nor assertion is logged', async () => {
    const dir = dataDir();
    const keyFile = path.join(dir, 'machine-key.pem');
    fs.writeFileSync(keyFile, fx.machineKeyClient.privateKeyPem, { mode: 0o600 });
    const logFile = path.join(dir, 'machine-key.json');
    const { clientId } = fx.machineKeyClient;
    const run = await runCli(
      ['call', fx.mcpUrl, 'whoami', '--grant', 'client_credentials', '--client-id', clientId, '--client-key', keyFile, '--log', logFile],
      { dataDir: dir },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ client_id: clientId });
    const log = fs.readFileSync(logFile, 'utf8');
    expect(log).not.toContain('PRIVATE KEY');
    expect(log).toContain('client_assertion');
    // Masked as a JWT credential: header and claims readable, never the signature (so never usable).
    expect(log).not.toMatch(/client_assertion=ey[\w-]+\.ey[\w-]+\.[\w-]/);
    expect(log).toMatch(/client_assertion=ey[\w-]+\.ey[\w-]+\.••••[\w-]{4}/);
    // A key the server does not know is refused: exit 4.
    const otherKey = path.join(dir, 'other.pem');
    fs.writeFileSync(otherKey, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const refused = await runCli(['info', fx.mcpUrl, '--grant', 'client_credentials', '--client-id', clientId, '--client-key', otherKey], {
      dataDir: dataDir(),
    });
    expect(refused.code).toBe(4);
    expect(errorOf(refused)).toMatchObject({ code: 'token_request_failed', message: expect.stringContaining('invalid_client') });
    // A key file that is not there is a usage error.
    const missing = await runCli(
      ['info', fx.mcpUrl, '--grant', 'client_credentials', '--client-id', clientId, '--client-key', path.join(dir, 'nope.pem')],
      { dataDir: dataDir() },
    );
    expect(missing.code).toBe(2);
    // Three CLI processes in one test: on a loaded 2-core machine each start alone can take ~10 s.
  }, 60_000);

  it('--grant client_credentials with a wrong secret exits 4', async () => {
    const run = await runCli(
      [
        'info',
        fx.mcpUrl,
        '--grant',
        'client_credentials',
        '--client-id',
        fx.machineClient.clientId,
        '--client-secret',
        'wrong-secret-value',
      ],
      { dataDir: dataDir() },
    );
    expect(run.code).toBe(4);
    expect(errorOf(run).code).toBe('token_request_failed');
  });
});
