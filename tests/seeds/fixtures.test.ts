// The seed fixtures on the wire, without mcpscope: each behaves as its public doc says, so the e2e tests in
// e2e/seeds.spec.ts prove mcpscope against the documented behaviour, not against a friendlier server.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jsonRpcErrorName } from '@/lib/trace';
import {
  AQUEDUCT_TOKEN,
  CARAMEL_SUBMIT_TOOL,
  OBSERVEE_API_KEY,
  PRAISON_API_KEY,
  startAqueduct,
  startCaramel,
  startObservee,
  startPraisonAi,
} from '../../e2e/fixtures/seeds';
import { startedForSuite } from '../fixtures/suite';

const json = { 'content-type': 'application/json' };
const init = (id: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
});

describe('002 PraisonAI-style', () => {
  it('needs X-API-Key, answers in the POST body, and uses the five standard error codes', async () => {
    const fx = await startPraisonAi();
    try {
      expect((await fetch(fx.url)).status).toBe(401);
      const controller = new AbortController();
      const stream = await fetch(fx.url, { headers: { 'x-api-key': PRAISON_API_KEY }, signal: controller.signal });
      const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      const endpoint = /data: (\S+)/.exec(first)?.[1] as string;
      expect(endpoint).toMatch(/^\/messages\/\?session_id=/);
      const post = async (body: string) => {
        const response = await fetch(new URL(endpoint, fx.url), {
          method: 'POST',
          headers: { ...json, 'x-api-key': PRAISON_API_KEY },
          body,
        });
        return { status: response.status, body: (await response.json()) as { result?: unknown; error?: { code: number } } };
      };
      const listed = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body.result)).toContain('execute_assistant_task');
      const codes = [
        (await post('{not json')).body.error?.code,
        (await post(JSON.stringify({ jsonrpc: '1.0', id: 2, method: 'tools/list' }))).body.error?.code,
        (await post(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'no/such' }))).body.error?.code,
        (await post(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'nope', arguments: {} } }))).body.error
          ?.code,
        (
          await post(
            JSON.stringify({
              jsonrpc: '2.0',
              id: 5,
              method: 'tools/call',
              params: { name: 'execute_assistant_task', arguments: { prompt: 'crash' } },
            }),
          )
        ).body.error?.code,
      ];
      expect(codes).toEqual([-32700, -32600, -32601, -32602, -32603]);
      expect(codes.map((code) => jsonRpcErrorName(code as number))).toEqual([
        'Parse error',
        'Invalid request',
        'Method not found',
        'Invalid params',
        'Internal error',
      ]);
      controller.abort();
    } finally {
      await fx.close();
    }
  });
});

describe('001 Observee-style', () => {
  it('initialize as an event stream with mcp-session-id, notifications 202 empty, the rest JSON', async () => {
    const fx = await startObservee();
    try {
      const headers = { ...json, accept: 'application/json, text/event-stream', authorization: `Bearer ${OBSERVEE_API_KEY}` };
      expect(
        (await fetch(fx.url, { method: 'POST', headers: { ...headers, authorization: 'Bearer wrong' }, body: JSON.stringify(init(0)) }))
          .status,
      ).toBe(401);
      const first = await fetch(fx.url, { method: 'POST', headers, body: JSON.stringify(init(0)) });
      expect(first.headers.get('content-type')).toBe('text/event-stream');
      const session = first.headers.get('mcp-session-id') as string;
      expect(session).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(await first.text()).toContain('"protocolVersion":"2025-06-18"');
      const withSession = { ...headers, 'mcp-session-id': session };
      const note = await fetch(fx.url, {
        method: 'POST',
        headers: withSession,
        body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
      });
      expect(note.status).toBe(202);
      expect(await note.text()).toBe('');
      const list = await fetch(fx.url, {
        method: 'POST',
        headers: withSession,
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
      });
      expect(list.headers.get('content-type')).toBe('application/json');
      expect(await list.text()).toContain('Gmail__search_emails');
    } finally {
      await fx.close();
    }
  });
});

describe('003 Aqueduct-style', () => {
  it('serves only /mcp-servers/{name}/mcp and ends a session on DELETE', async () => {
    const fx = await startAqueduct();
    try {
      const headers = { ...json, accept: 'application/json, text/event-stream', authorization: `Bearer ${AQUEDUCT_TOKEN}` };
      expect(
        (await fetch(fx.url.replace('my-cool-server', 'other'), { method: 'POST', headers, body: JSON.stringify(init(0)) })).status,
      ).toBe(404);
      const first = await fetch(fx.url, { method: 'POST', headers, body: JSON.stringify(init(0)) });
      const session = first.headers.get('mcp-session-id') as string;
      expect(session).toBeTruthy();
      const del = await fetch(fx.url, { method: 'DELETE', headers: { ...headers, 'mcp-session-id': session } });
      expect(del.status).toBe(200);
      expect(await del.text()).toContain('Session terminated');
      const after = await fetch(fx.url, {
        method: 'POST',
        headers: { ...headers, 'mcp-session-id': session },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(after.status).toBe(404);
    } finally {
      await fx.close();
    }
  });
});

describe('004 Caramel-style', () => {
  const fx = startedForSuite(startCaramel);

  const metadata = async () =>
    (await (await fetch(new URL('/.well-known/oauth-authorization-server', fx().url))).json()) as Record<string, string>;
  const register = (redirect: string) =>
    fetch(fx().issuer + '/functions/v1/mcp-oauth/register', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ client_name: 't', redirect_uris: [redirect], token_endpoint_auth_method: 'none' }),
    });
  const login = async (scope = '') => {
    const redirect = 'http://localhost:4567/callback';
    const { client_id: clientId } = (await (await register(redirect)).json()) as { client_id: string };
    const verifier = randomBytes(32).toString('base64url');
    const meta = await metadata();
    const authorize = new URL(meta.authorization_endpoint as string);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirect,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state: 's',
      scope,
    })) {
      authorize.searchParams.set(k, v);
    }
    const back = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location') as string);
    expect(back.searchParams.get('state')).toBe('s');
    const token = await fetch(meta.token_endpoint as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code') as string,
        redirect_uri: redirect,
        client_id: clientId,
        code_verifier: verifier,
      }),
    });
    return {
      clientId,
      tokens: (await token.json()) as { access_token: string; refresh_token: string; scope: string },
      tokenEndpoint: meta.token_endpoint as string,
    };
  };
  const call = (token: string, name: string) =>
    fetch(fx().url, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: { form: 'f' } } }),
    });

  it('publishes metadata whose issuer is another origin, and answers GET with 405', async () => {
    const meta = await metadata();
    expect(new URL(meta.issuer as string).origin).not.toBe(new URL(fx().url).origin);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect((await fetch(fx().url)).status).toBe(405);
  });

  it('registers only allow-listed redirect URIs, with the "messsage" key in its error', async () => {
    const refused = await register('https://evil.example/callback');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_redirect_uri', messsage: expect.stringContaining('allow-list') });
    expect((await register('http://localhost:3000/callback')).status).toBe(201);
  });

  it('rotates refresh tokens; reusing a stale one revokes the session', async () => {
    const { clientId, tokens, tokenEndpoint } = await login();
    expect(tokens.scope).toBe('meta:read');
    const refresh = (token: string) =>
      fetch(tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: clientId }),
      });
    const rotated = (await (await refresh(tokens.refresh_token)).json()) as { access_token: string; refresh_token: string };
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    expect((await call(rotated.access_token, 'caramel.v1.business.list')).status).toBe(200);
    expect((await refresh(tokens.refresh_token)).status).toBe(401);
    expect((await call(rotated.access_token, 'caramel.v1.business.list')).status).toBe(401);
    expect((await refresh(rotated.refresh_token)).status).toBe(401);
  });

  it('answers an expired token with JSON-RPC -32001 and a missing scope with 403 scope_required', async () => {
    const { tokens } = await login();
    const refused = await call(tokens.access_token, CARAMEL_SUBMIT_TOOL);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'scope_required', required_scope: 'forms:write' });
    const upgraded = await login('forms:write');
    expect((await call(upgraded.tokens.access_token, CARAMEL_SUBMIT_TOOL)).status).toBe(200);
    fx().expireAccessTokens();
    const expired = await call(upgraded.tokens.access_token, 'caramel.v1.business.list');
    expect(expired.status).toBe(200);
    expect(await expired.json()).toMatchObject({ error: { code: -32001 } });
  });
});
