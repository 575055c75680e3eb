import { describe, expect, it } from 'vitest';
import {
  authorizationServerMetadataUrls,
  bearerChallenge,
  canonicalResourceUrl,
  canUseClientMetadataDocument,
  chooseClientAuth,
  chooseClientIdentity,
  chooseScopes,
  clientMetadataDocument,
  explainOAuthError,
  fallbackEndpoints,
  isExpiring,
  parseScopes,
  parseWwwAuthenticate,
  protectedResourceMetadataUrls,
  readOAuthErrorBody,
  redirectUriFor,
  registrationAuthMethod,
  unionScopes,
} from '@/lib/oauth';

describe('parseWwwAuthenticate', () => {
  it('reads a Bearer challenge with quoted parameters', () => {
    expect(
      parseWwwAuthenticate(
        'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp", scope="files:read files:write"',
      ),
    ).toEqual([
      {
        scheme: 'Bearer',
        params: { resource_metadata: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp', scope: 'files:read files:write' },
      },
    ]);
  });

  it('separates several challenges and unescapes quoted strings', () => {
    const header =
      'Basic realm="files", Bearer error="insufficient_scope", scope="files:admin", error_description="needs \\"admin\\", sorry"';
    expect(parseWwwAuthenticate(header)).toEqual([
      { scheme: 'Basic', params: { realm: 'files' } },
      { scheme: 'Bearer', params: { error: 'insufficient_scope', scope: 'files:admin', error_description: 'needs "admin", sorry' } },
    ]);
  });

  it('tells a token68 from a following challenge', () => {
    expect(parseWwwAuthenticate('Basic dXNlcjpwYXNz==, Bearer realm=api')).toEqual([
      { scheme: 'Basic', params: {}, token68: 'dXNlcjpwYXNz==' },
      { scheme: 'Bearer', params: { realm: 'api' } },
    ]);
    expect(parseWwwAuthenticate('Negotiate abcdef')).toEqual([{ scheme: 'Negotiate', params: {}, token68: 'abcdef' }]);
  });

  it('accepts unquoted values, odd spacing, case and empty input', () => {
    expect(parseWwwAuthenticate('bearer  Error = invalid_token ,scope=read')).toEqual([
      { scheme: 'bearer', params: { error: 'invalid_token', scope: 'read' } },
    ]);
    expect(parseWwwAuthenticate('Bearer')).toEqual([{ scheme: 'Bearer', params: {} }]);
    expect(parseWwwAuthenticate('')).toEqual([]);
    expect(parseWwwAuthenticate(null)).toEqual([]);
  });

  it('bearerChallenge picks the Bearer (or DPoP) challenge among others', () => {
    const picked: Array<[string | undefined, ReturnType<typeof bearerChallenge>]> = [
      ['Basic realm="x", Bearer scope="a", error="insufficient_scope"', { scope: 'a', error: 'insufficient_scope' }],
      [
        'DPoP resource_metadata="https://r.test/m", error_description="expired"',
        { resourceMetadata: 'https://r.test/m', errorDescription: 'expired' },
      ],
      ['Basic realm="x"', {}],
      [undefined, {}],
    ];
    for (const [header, challenge] of picked) expect(bearerChallenge(header), header).toEqual(challenge);
  });
});

describe('protectedResourceMetadataUrls', () => {
  it('tries the challenge URL first, then the path-based well-known URL, then the root one', () => {
    expect(
      protectedResourceMetadataUrls('https://api.example.com/v1/mcp', 'Bearer resource_metadata="https://api.example.com/custom/prm.json"'),
    ).toEqual([
      'https://api.example.com/custom/prm.json',
      'https://api.example.com/.well-known/oauth-protected-resource/v1/mcp',
      'https://api.example.com/.well-known/oauth-protected-resource',
    ]);
  });

  it('without a challenge goes straight to the well-known URLs (trailing slash ignored, query dropped)', () => {
    expect(protectedResourceMetadataUrls('https://api.example.com/mcp/?x=1')).toEqual([
      'https://api.example.com/.well-known/oauth-protected-resource/mcp',
      'https://api.example.com/.well-known/oauth-protected-resource',
    ]);
  });

  it('lists each URL once and skips an unusable challenge URL', () => {
    expect(
      protectedResourceMetadataUrls('https://a.test/', 'Bearer resource_metadata="https://a.test/.well-known/oauth-protected-resource"'),
    ).toEqual(['https://a.test/.well-known/oauth-protected-resource']);
    expect(protectedResourceMetadataUrls('https://a.test/mcp', 'Bearer resource_metadata="http://[bad"')).toEqual([
      'https://a.test/.well-known/oauth-protected-resource/mcp',
      'https://a.test/.well-known/oauth-protected-resource',
    ]);
  });
});

describe('authorizationServerMetadataUrls', () => {
  it('for a root issuer: RFC 8414, then OpenID discovery', () => {
    expect(authorizationServerMetadataUrls('https://auth.example.com')).toEqual([
      { url: 'https://auth.example.com/.well-known/oauth-authorization-server', kind: 'oauth' },
      { url: 'https://auth.example.com/.well-known/openid-configuration', kind: 'oidc' },
    ]);
  });

  it('for an issuer with a path (a Keycloak realm): path insertion for both, then OpenID appended', () => {
    expect(authorizationServerMetadataUrls('https://auth.caddey.ai/realms/caddey/')).toEqual([
      { url: 'https://auth.caddey.ai/.well-known/oauth-authorization-server/realms/caddey', kind: 'oauth' },
      { url: 'https://auth.caddey.ai/.well-known/openid-configuration/realms/caddey', kind: 'oidc' },
      { url: 'https://auth.caddey.ai/realms/caddey/.well-known/openid-configuration', kind: 'oidc' },
    ]);
  });

  it('2025-03-26 fallback endpoints sit at the origin', () => {
    expect(fallbackEndpoints('https://mcp.example.com/api/mcp?x=1')).toEqual({
      issuer: 'https://mcp.example.com',
      authorization: 'https://mcp.example.com/authorize',
      token: 'https://mcp.example.com/token',
      registration: 'https://mcp.example.com/register',
    });
  });
});

describe('scopes', () => {
  it('the user override wins', () => {
    expect(chooseScopes({ userScopes: 'openid  profile email', wwwAuthenticateScope: 'a', scopesSupported: ['b'] })).toEqual({
      scopes: ['openid', 'profile', 'email'],
      source: 'user',
    });
  });

  it('else the WWW-Authenticate scope, else scopes_supported, else none', () => {
    expect(chooseScopes({ userScopes: '  ', wwwAuthenticateScope: 'files:read', scopesSupported: ['x'] })).toEqual({
      scopes: ['files:read'],
      source: 'challenge',
    });
    expect(chooseScopes({ userScopes: [], scopesSupported: ['mcp:read', 'mcp:write'] })).toEqual({
      scopes: ['mcp:read', 'mcp:write'],
      source: 'scopes_supported',
    });
    expect(chooseScopes({ scopesSupported: [] })).toEqual({ scopes: [], source: 'none' });
    expect(chooseScopes({})).toEqual({ scopes: [], source: 'none' });
  });

  it('parses and unions scopes in first-seen order, each once', () => {
    expect(parseScopes(['a b', 'b', ' c '])).toEqual(['a', 'b', 'c']);
    expect(unionScopes(['mcp:read', 'mcp:write'], 'mcp:write mcp:admin', undefined)).toEqual(['mcp:read', 'mcp:write', 'mcp:admin']);
    expect(unionScopes(undefined, [], 'x')).toEqual(['x']);
    expect(unionScopes()).toEqual([]);
  });
});

describe('client identity', () => {
  it('chooses client_secret_basic, then client_secret_post, for a client with a secret', () => {
    expect(chooseClientAuth(['client_secret_post', 'client_secret_basic', 'none'], true)).toBe('client_secret_basic');
    expect(chooseClientAuth(['client_secret_post', 'none'], true)).toBe('client_secret_post');
    // RFC 8414's default when the server lists nothing.
    expect(chooseClientAuth(undefined, true)).toBe('client_secret_basic');
  });

  it('chooses none for a public client, and honours a supported registered method', () => {
    expect(chooseClientAuth(['client_secret_basic', 'none'], false)).toBe('none');
    expect(chooseClientAuth([], false)).toBe('none');
    expect(chooseClientAuth(['client_secret_basic', 'client_secret_post'], true, 'client_secret_post')).toBe('client_secret_post');
    expect(chooseClientAuth(['client_secret_basic'], true, 'client_secret_post')).toBe('client_secret_basic');
  });

  it('registers as a public client whenever the server allows it', () => {
    expect(registrationAuthMethod(['none'])).toBe('none');
    expect(registrationAuthMethod(undefined)).toBe('none');
    expect(registrationAuthMethod(['client_secret_basic', 'none'])).toBe('none');
    expect(registrationAuthMethod(['client_secret_post'])).toBe('client_secret_post');
    expect(registrationAuthMethod(['private_key_jwt', 'client_secret_basic'])).toBe('client_secret_basic');
  });

  it('uses a client ID metadata document only when supported and served over https', () => {
    expect(canUseClientMetadataDocument(true, 'https://mcpscope.example/oauth/client-metadata.json')).toBe(true);
    expect(canUseClientMetadataDocument(true, 'http://localhost:3000/oauth/client-metadata.json')).toBe(false);
    expect(canUseClientMetadataDocument(undefined, 'https://mcpscope.example/oauth/client-metadata.json')).toBe(false);
    expect(canUseClientMetadataDocument(true, 'https://mcpscope.example/')).toBe(false);
  });

  // One decision for the flow and guided mode. Columns: pre-registered, given metadata URL, remembered registration,
  // server fetches metadata documents, mcpscope's own document URL, registration endpoint → the choice.
  const PRE = { clientId: 'pre-1', hasSecret: true };
  const GIVEN = 'https://client.example/meta.json';
  const REMEMBERED = { clientId: 'reg-1', authMethod: 'none' as const };
  const OWN_HTTPS = 'https://scope.example/oauth/client-metadata.json';
  const OWN_HTTP = 'http://localhost:3000/oauth/client-metadata.json';
  const REGISTER = 'https://as.example/register';
  it.each([
    [
      'pre-registered wins over everything',
      PRE,
      GIVEN,
      REMEMBERED,
      true,
      OWN_HTTPS,
      REGISTER,
      { kind: 'pre-registered', clientId: 'pre-1', hasSecret: true },
    ],
    [
      'a given metadata URL wins over a remembered registration',
      undefined,
      GIVEN,
      REMEMBERED,
      true,
      OWN_HTTPS,
      REGISTER,
      { kind: 'metadata-document', url: GIVEN, given: true, advertised: true },
    ],
    [
      'a given metadata URL is used even when not advertised',
      undefined,
      GIVEN,
      REMEMBERED,
      undefined,
      OWN_HTTPS,
      REGISTER,
      { kind: 'metadata-document', url: GIVEN, given: true, advertised: false },
    ],
    [
      'a remembered registration wins over our own document',
      undefined,
      undefined,
      REMEMBERED,
      true,
      OWN_HTTPS,
      REGISTER,
      { kind: 'remembered', clientId: 'reg-1', authMethod: 'none' },
    ],
    [
      'our own document when the server fetches them and we are on https',
      undefined,
      undefined,
      undefined,
      true,
      OWN_HTTPS,
      REGISTER,
      { kind: 'metadata-document', url: OWN_HTTPS, given: false, advertised: true },
    ],
    [
      'not our own document on http: the server could not fetch it',
      undefined,
      undefined,
      undefined,
      true,
      OWN_HTTP,
      REGISTER,
      { kind: 'register', endpoint: REGISTER },
    ],
    [
      'not our own document when the server does not fetch them',
      undefined,
      undefined,
      undefined,
      false,
      OWN_HTTPS,
      REGISTER,
      { kind: 'register', endpoint: REGISTER },
    ],
    [
      'nothing possible: a client must be registered by hand',
      undefined,
      undefined,
      undefined,
      undefined,
      OWN_HTTP,
      undefined,
      { kind: 'needs-pre-registration' },
    ],
  ] as const)(
    '%s',
    (_name, preRegistered, givenMetadataUrl, remembered, metadataDocumentSupported, ownMetadataUrl, registrationEndpoint, expected) => {
      expect(
        chooseClientIdentity({
          ...(preRegistered ? { preRegistered } : {}),
          ...(givenMetadataUrl ? { givenMetadataUrl } : {}),
          ...(remembered ? { remembered } : {}),
          ...(metadataDocumentSupported !== undefined ? { metadataDocumentSupported } : {}),
          ownMetadataUrl,
          ...(registrationEndpoint ? { registrationEndpoint } : {}),
        }),
      ).toEqual(expected);
    },
  );

  it('the metadata document names the app and its callback', () => {
    expect(clientMetadataDocument('https://scope.example/anything')).toMatchObject({
      client_id: 'https://scope.example/oauth/client-metadata.json',
      redirect_uris: ['https://scope.example/callback'],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
    });
  });
});

describe('URLs and time', () => {
  it('canonicalises the resource indicator', () => {
    expect(canonicalResourceUrl('HTTPS://MCP.Example.COM:443/mcp#frag')).toBe('https://mcp.example.com/mcp');
    expect(canonicalResourceUrl('https://mcp.example.com/')).toBe('https://mcp.example.com');
    expect(canonicalResourceUrl('https://mcp.example.com/api/')).toBe('https://mcp.example.com/api');
    expect(canonicalResourceUrl('http://127.0.0.1:8080/mcp?tenant=a')).toBe('http://127.0.0.1:8080/mcp?tenant=a');
    // A credential in the typed URL is not part of the server's name (nor sent to the authorization server).
    expect(canonicalResourceUrl('https://mcp.example.com/mcp?api_key=AKIA0123&tenant=a&Secret=s3')).toBe(
      'https://mcp.example.com/mcp?tenant=a',
    );
    expect(canonicalResourceUrl('https://mcp.example.com/mcp?access_token=at-1')).toBe('https://mcp.example.com/mcp');
  });

  it('builds the redirect URI from the public origin', () => {
    expect(redirectUriFor('http://localhost:3000/')).toBe('http://localhost:3000/callback');
    expect(redirectUriFor('https://scope.example/some/path')).toBe('https://scope.example/callback');
  });

  it('refreshes within the window before expiry, never for unknown expiry', () => {
    expect(isExpiring(1_000_000, 1_000_000 - 60_000)).toBe(true);
    expect(isExpiring(1_000_000, 1_000_000 - 60_001)).toBe(false);
    expect(isExpiring(1_000_000, 2_000_000)).toBe(true);
    expect(isExpiring(undefined, 2_000_000)).toBe(false);
  });

  it('shrinks the window to half the lifetime for short-lived tokens', () => {
    const issued = 1_000_000;
    const expires = issued + 30_000; // a 30 s token: refresh after 15 s, not before every use
    expect(isExpiring(expires, issued + 1_000, 60_000, issued)).toBe(false);
    expect(isExpiring(expires, issued + 14_999, 60_000, issued)).toBe(false);
    expect(isExpiring(expires, issued + 15_000, 60_000, issued)).toBe(true);
    // Long-lived tokens keep the full window.
    expect(isExpiring(issued + 3_600_000, issued + 3_540_000, 60_000, issued)).toBe(true);
    expect(isExpiring(issued + 3_600_000, issued + 3_539_999, 60_000, issued)).toBe(false);
  });
});

describe('error bodies', () => {
  it('reads standard, nested, form-encoded and misspelled shapes', () => {
    expect(readOAuthErrorBody('{"error":"invalid_grant","error_description":"Refresh token revoked"}')).toEqual({
      error: 'invalid_grant',
      description: 'Refresh token revoked',
    });
    expect(readOAuthErrorBody('{"error":"scope_required","messsage":"forms:write is required"}')).toEqual({
      error: 'scope_required',
      description: 'forms:write is required',
      misspelledKey: 'messsage',
    });
    expect(readOAuthErrorBody('{"error":{"code":"tier_required","message":"Upgrade"}}')).toEqual({
      error: 'tier_required',
      description: 'Upgrade',
    });
    expect(readOAuthErrorBody('error=access_denied&error_description=no')).toEqual({ error: 'access_denied', description: 'no' });
    expect(readOAuthErrorBody('<html>oops</html>')).toEqual({});
  });

  it('explains an error with the status, the server words and what the code usually means', () => {
    const text = explainOAuthError('The token endpoint refused the refresh token', 400, {
      error: 'invalid_grant',
      description: 'grant request is invalid',
    });
    expect(text).toBe(
      'The token endpoint refused the refresh token (HTTP 400, invalid_grant): grant request is invalid. ' +
        'The authorization code or refresh token is expired, revoked, already used, or was issued to another client or redirect URI.',
    );
    expect(explainOAuthError('Registration failed', 400, { error: 'invalid_redirect_uri' })).toContain('http://localhost:<port>/callback');
    expect(explainOAuthError('It failed', undefined, {})).toBe('It failed.');
  });
});
