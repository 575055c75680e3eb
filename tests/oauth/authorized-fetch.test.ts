// authorizedFetch against a tiny local server that answers the ways real MCP servers say "token expired"
// or "scope missing", with a stand-in token source that counts what it was asked.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authorizedFetch, OAuthFlowError, watchAuthChallenges, type AuthorizationRequest, type BearerTokenSource } from '@/lib/oauth';
import { TraceLog } from '@/lib/trace';

interface Seen {
  method: string;
  authorization?: string;
  body: string;
}

type Behaviour = (seen: Seen, res: http.ServerResponse) => void;

let server: http.Server;
let base = '';
let seen: Seen[] = [];
let behaviour: Behaviour = (_s, res) => res.end();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Seen = { method: req.method ?? 'GET', body: Buffer.concat(chunks).toString('utf8') };
      if (req.headers.authorization) entry.authorization = req.headers.authorization;
      seen.push(entry);
      behaviour(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
});

class FakeSource implements BearerTokenSource {
  readonly log = new TraceLog({ sessionId: 't', serverUrl: 'http://x', startedAt: Date.now(), transport: 'auto' });
  token = 'token-1';
  refreshes = 0;
  stepUps: string[][] = [];
  failRefresh = false;
  async getAccessToken(): Promise<string> {
    return this.token;
  }
  async refresh(): Promise<void> {
    this.refreshes += 1;
    if (this.failRefresh) throw new OAuthFlowError('reauthorization_required', 'refresh refused');
    this.token = `token-${this.refreshes + 1}`;
  }
  rediscoveries: Array<string | null> = [];
  nextIssuer = 'https://as.test';
  async rediscover(wwwAuthenticate: string | null) {
    this.rediscoveries.push(wwwAuthenticate);
    const previousIssuer = 'https://as.test';
    return this.nextIssuer === previousIssuer
      ? { changed: false, issuer: previousIssuer }
      : { changed: true, issuer: this.nextIssuer, previousIssuer };
  }
  async stepUp(scope: string | readonly string[]): Promise<AuthorizationRequest> {
    const scopes = typeof scope === 'string' ? [scope] : [...scope];
    this.stepUps.push(scopes);
    return {
      authorizationUrl: `https://as.test/authorize?scope=${scopes.join('+')}`,
      state: 's',
      scopes: ['base', ...scopes],
      scopeSource: 'challenge',
      redirectUri: 'r',
      expiresAt: 0,
    };
  }
  findingCodes(): string[] {
    return this.log.events().flatMap((e) => (e.kind === 'finding' ? [e.code] : []));
  }
}

const rpc = (id: number) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'add', arguments: { a: 1, b: 2 } } });
const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const post = (f: typeof fetch, body = rpc(1)) => f(base, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('authorizedFetch', () => {
  it('sends the bearer token and leaves good answers alone', async () => {
    behaviour = (_s, res) => json(res, 200, { jsonrpc: '2.0', id: 1, error: { code: -32600, message: 'other error' } });
    const source = new FakeSource();
    const response = await post(authorizedFetch(fetch, source));
    expect(((await response.json()) as { error: { code: number } }).error.code).toBe(-32600);
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer token-1']);
    expect(source.refreshes).toBe(0);
  });

  it('on JSON-RPC -32001 refreshes once and retries the same request once', async () => {
    behaviour = (s, res) =>
      s.authorization === 'Bearer token-1'
        ? json(res, 200, { jsonrpc: '2.0', id: 1, error: { code: -32001, message: 'Access token expired' } })
        : json(res, 200, { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: '3' }] } });
    const source = new FakeSource();
    const response = await post(authorizedFetch(fetch, source));
    expect(await response.json()).toMatchObject({ result: { content: [{ text: '3' }] } });
    expect(source.refreshes).toBe(1);
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(seen[1].body).toBe(seen[0].body);
    expect(source.findingCodes()).toContain('token_expired_jsonrpc');
  });

  it('retries only once: a second -32001 goes back to the caller', async () => {
    behaviour = (_s, res) => json(res, 200, [{ jsonrpc: '2.0', id: 1, error: { code: -32001, message: 'Access token expired' } }]);
    const source = new FakeSource();
    const response = await post(authorizedFetch(fetch, source));
    expect(response.status).toBe(200);
    expect(((await response.json()) as Array<{ error: { code: number } }>)[0].error.code).toBe(-32001);
    expect(seen).toHaveLength(2);
    expect(source.refreshes).toBe(1);
  });

  it('on HTTP 401 refreshes and resends a Request object with its body intact', async () => {
    behaviour = (s, res) =>
      s.authorization === 'Bearer token-1' ? json(res, 401, { error: 'invalid_token' }) : json(res, 200, { ok: true });
    const source = new FakeSource();
    const request = new Request(base, { method: 'POST', headers: { 'content-type': 'application/json', 'x-extra': '1' }, body: rpc(7) });
    const response = await authorizedFetch(fetch, source)(request);
    expect(await response.json()).toEqual({ ok: true });
    expect(seen.map((s) => [s.authorization, s.body])).toEqual([
      ['Bearer token-1', rpc(7)],
      ['Bearer token-2', rpc(7)],
    ]);
  });

  it('passes a failed refresh on as the flow error', async () => {
    behaviour = (_s, res) => json(res, 401, { error: 'invalid_token' });
    const source = new FakeSource();
    source.failRefresh = true;
    const error = await post(authorizedFetch(fetch, source)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'reauthorization_required' });
    expect(seen).toHaveLength(1);
  });

  it('a refused refresh rediscovers (SEP-2352): a new authorization server is named in the error, the same one keeps the refusal', async () => {
    behaviour = (_s, res) =>
      json(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer resource_metadata="https://rs.test/prm"' });
    const source = new FakeSource();
    source.failRefresh = true;
    const same = await post(authorizedFetch(fetch, source)).catch((e: unknown) => e);
    expect(same).toMatchObject({ code: 'reauthorization_required', message: 'refresh refused' });
    expect(source.rediscoveries).toEqual(['Bearer resource_metadata="https://rs.test/prm"']);
    source.nextIssuer = 'https://as2.test';
    const moved = await post(authorizedFetch(fetch, source)).catch((e: unknown) => e);
    expect(moved).toMatchObject({ code: 'reauthorization_required' });
    expect((moved as Error).message).toMatch(/now names https:\/\/as2\.test .* instead of https:\/\/as\.test \(SEP-2352\)/);
  });

  it('a fresh token refused too: thrown when the authorization server moved, else the 401 goes back to the caller', async () => {
    behaviour = (_s, res) => json(res, 401, { error: 'invalid_token' });
    const source = new FakeSource();
    const response = await post(authorizedFetch(fetch, source));
    expect(response.status).toBe(401);
    expect(source.refreshes).toBe(1);
    expect(source.rediscoveries).toHaveLength(1);
    source.nextIssuer = 'https://as2.test';
    const moved = await post(authorizedFetch(fetch, source)).catch((e: unknown) => e);
    expect(moved).toMatchObject({ code: 'reauthorization_required', status: 401 });
  });

  it('turns 403 insufficient_scope into a step-up error with the authorization URL', async () => {
    behaviour = (_s, res) =>
      json(
        res,
        403,
        { error: 'insufficient_scope' },
        { 'www-authenticate': 'Bearer error="insufficient_scope", scope="files:read files:admin"' },
      );
    const source = new FakeSource();
    const error = (await post(authorizedFetch(fetch, source)).catch((e: unknown) => e)) as OAuthFlowError;
    expect(error).toBeInstanceOf(OAuthFlowError);
    expect(error).toMatchObject({ code: 'insufficient_scope', status: 403, requiredScopes: ['files:read', 'files:admin'] });
    expect(error.authorizationUrl).toBe('https://as.test/authorize?scope=files:read+files:admin');
    expect(source.stepUps).toEqual([['files:read', 'files:admin']]);
    expect(source.refreshes).toBe(0);
  });

  it("reads seed 004's 403 scope_required body, misspelled message key and all", async () => {
    behaviour = (_s, res) => json(res, 403, { error: 'scope_required', scope: 'forms:write', messsage: 'forms:write is required' });
    const source = new FakeSource();
    const error = (await post(authorizedFetch(fetch, source)).catch((e: unknown) => e)) as OAuthFlowError;
    expect(error).toMatchObject({ code: 'insufficient_scope', oauthError: 'scope_required', requiredScopes: ['forms:write'] });
    expect(source.findingCodes()).toContain('oauth_error_misspelled_key');
  });

  it('returns other 403s untouched', async () => {
    behaviour = (_s, res) => json(res, 403, { error: 'tier_required', message: 'Upgrade your plan' });
    const source = new FakeSource();
    const response = await post(authorizedFetch(fetch, source));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'tier_required' });
    expect(source.stepUps).toEqual([]);
  });
});

describe('watchAuthChallenges', () => {
  it('remembers the last 401/403 challenge for starting discovery', async () => {
    const watcher = watchAuthChallenges(fetch);
    behaviour = (_s, res) => json(res, 200, {});
    await post(watcher.fetch);
    expect(watcher.last()).toBeUndefined();
    behaviour = (_s, res) => json(res, 401, {}, { 'www-authenticate': 'Bearer resource_metadata="http://x/prm"' });
    await post(watcher.fetch);
    expect(watcher.last()).toEqual({ url: base, status: 401, wwwAuthenticate: 'Bearer resource_metadata="http://x/prm"' });
  });
});
