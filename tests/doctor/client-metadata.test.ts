// The Doctor's client registration step and mcpscope's own client ID metadata document: an authorization server
// that accepts metadata documents gets them checked when the app's public URL is https (the only kind that can be a
// client ID), and is told that registration is used otherwise.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientMetadataReachability } from '@/lib/doctor/run';
import { diagnose } from './helpers';

type Answer = { status: number; type?: string; body: string };
let server: http.Server;
let origin = '';
const documents = new Map<string, (url: string) => Answer>();

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', origin).pathname;
    const document = documents.get(path);
    if (document) {
      const answer = document(`${origin}${path}`);
      res.writeHead(answer.status, { 'content-type': answer.type ?? 'application/json' });
      res.end(answer.body);
      return;
    }
    if (path === '/mcp')
      return json(
        res,
        401,
        { error: 'unauthorized' },
        { 'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"` },
      );
    if (path === '/.well-known/oauth-protected-resource/mcp')
      return json(res, 200, { resource: `${origin}/mcp`, authorization_servers: [origin] });
    if (path === '/.well-known/oauth-authorization-server')
      return json(res, 200, {
        issuer: origin,
        authorization_endpoint: `${origin}/authorize`,
        token_endpoint: `${origin}/token`,
        registration_endpoint: `${origin}/register`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        client_id_metadata_document_supported: true,
      });
    if (path === '/token') return json(res, 400, { error: 'invalid_grant' });
    json(res, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function registrationStep(report: Awaited<ReturnType<typeof diagnose>>['report']) {
  const step = report.steps.find((candidate) => candidate.id === 'client-registration');
  expect(step).toBeDefined();
  return step!;
}

describe('client registration step with an authorization server that accepts metadata documents', () => {
  it('under an http public URL, says the app registers dynamically and fetches no document', async () => {
    let fetched = 0;
    documents.set('/oauth/client-metadata.json', () => {
      fetched += 1;
      return { status: 200, body: '{}' };
    });
    const { report } = await diagnose(`${origin}/mcp`, { clientMetadataUrl: 'http://localhost:3000/oauth/client-metadata.json' });
    const step = registrationStep(report);
    expect(step.status).toBe('pass');
    expect(step.seen.join('\n')).toContain('client ID metadata documents accepted');
    expect(step.seen.join('\n')).toMatch(/only under an https public URL .*registers dynamically/);
    expect(fetched).toBe(0);
    documents.clear();
  });
});

describe('clientMetadataReachability', () => {
  const check = (path: string, answer: (url: string) => Answer) => {
    documents.set(path, answer);
    return clientMetadataReachability(fetch, `${origin}${path}`, 3_000);
  };

  it('accepts a document whose client_id is its own URL and that lists redirect URIs', async () => {
    const verdict = await check('/good.json', (url) => ({
      status: 200,
      body: JSON.stringify({ client_id: url, redirect_uris: ['https://scope.example/callback'] }),
    }));
    expect(verdict).toEqual({ ok: true, seen: expect.stringContaining('client_id matches, 1 redirect URI(s)') });
  });

  it.each([
    ['/missing.json', () => ({ status: 404, body: 'no' }), /HTTP 404$/],
    ['/html.json', () => ({ status: 200, type: 'text/html', body: '<html>login</html>' }), /not JSON: <html>login/],
    [
      '/other-id.json',
      () => ({ status: 200, body: JSON.stringify({ client_id: 'https://elsewhere.example/c.json', redirect_uris: ['x'] }) }),
      /client_id is not the document's own URL/,
    ],
    ['/no-redirects.json', (url: string) => ({ status: 200, body: JSON.stringify({ client_id: url }) }), /no redirect_uris/],
  ] as const)('refuses %s', async (path, answer, seen) => {
    const verdict = await check(path, answer);
    expect(verdict.ok).toBe(false);
    expect(verdict.seen).toMatch(seen);
  });
});
