import { it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { startOAuthFixture } from '@/e2e/fixtures/oauth';

it('scratch', async () => {
  const fx = await startOAuthFixture({ accessTokenTtlSeconds: 60 });
  try {
    const r401 = await fetch(fx.mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }) });
    console.log(r401.status, r401.headers.get('www-authenticate'));
    const prm = await (await fetch(`${new URL(fx.mcpUrl).origin}/.well-known/oauth-protected-resource/mcp`)).json();
    console.log(prm);
    const meta = await (await fetch(`${fx.issuer}/.well-known/oauth-authorization-server`)).json();
    console.log(JSON.stringify(meta).slice(0, 3000));
    const redirectUri = 'http://localhost:3999/callback';
    const reg = await fetch(meta.registration_endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', client_name: 'scratch' }) });
    const client = await reg.json();
    console.log(reg.status, client);
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const u = new URL(meta.authorization_endpoint);
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: client.client_id, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state: 'st123', scope: 'mcp:read mcp:write', resource: fx.mcpUrl })) u.searchParams.set(k, v);
    let url = u.href;
    const jar = new Map<string, string>();
    let code: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const c of res.headers.getSetCookie()) { const [pair] = c.split(';'); const eq = pair.indexOf('='); jar.set(pair.slice(0, eq), pair.slice(eq + 1)); }
      const loc = res.headers.get('location');
      console.log(i, res.status, loc, res.status >= 400 ? await res.text() : '');
      if (!loc) break;
      const next = new URL(loc, url);
      if (next.href.startsWith(redirectUri)) { code = next.searchParams.get('code'); console.log('callback', next.href); break; }
      url = next.href;
    }
    const tok = await fetch(meta.token_endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code: code!, redirect_uri: redirectUri, code_verifier: verifier, client_id: client.client_id, resource: fx.mcpUrl }) });
    const tokens = await tok.json();
    console.log(tok.status, tokens);
    const ok = await fetch(fx.mcpUrl, { method: 'POST', headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }) });
    console.log(ok.status, (await ok.text()).slice(0, 300));
    const rt = await fetch(meta.token_endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: client.client_id, resource: fx.mcpUrl }) });
    console.log(rt.status, await rt.json());
    console.log(fx.events);
  } finally {
    await fx.close();
  }
});
