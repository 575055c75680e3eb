// A small OAuth authorization server that, unlike the oidc-provider fixture, shows a consent page: the
// authorize endpoint answers 200 HTML, so the command line must print the URL and wait for the browser's
// redirect on its loopback listener. It protects the demo MCP server on the same origin. Only what the test
// needs: RFC 9728 and RFC 8414 metadata, open dynamic registration, PKCE S256, single-use codes.
import { createHash, randomBytes } from 'node:crypto';
import { serveFetchHandler, type RunningServer } from '@/e2e/fixtures';
import { createDemoHandler } from '@/lib/demo';

interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
}

export interface ConsentServer {
  mcpUrl: string;
  /** What a person clicking "Allow" on the consent page gets redirected to (the app's callback URL). */
  approve(authorizationUrl: string): string;
  /** Access tokens issued so far. */
  readonly issuedTokens: string[];
  close(): Promise<void>;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export async function startConsentServer(): Promise<ConsentServer> {
  const demo = createDemoHandler();
  const clients = new Map<string, string[]>();
  const pending = new Map<string, PendingAuthorization>();
  const codes = new Map<string, PendingAuthorization>();
  const tokens = new Set<string>();
  const issuedTokens: string[] = [];
  let origin = '';

  const running: RunningServer = await serveFetchHandler(async (request) => {
    const url = new URL(request.url);
    switch (url.pathname) {
      case '/.well-known/oauth-protected-resource/mcp':
      case '/.well-known/oauth-protected-resource':
        return json({ resource: `${origin}/mcp`, authorization_servers: [origin], scopes_supported: ['demo'] });
      case '/.well-known/oauth-authorization-server':
        return json({
          issuer: origin,
          authorization_endpoint: `${origin}/authorize`,
          token_endpoint: `${origin}/token`,
          registration_endpoint: `${origin}/register`,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none'],
        });
      case '/register': {
        const metadata = (await request.json()) as { redirect_uris?: string[] };
        const clientId = randomBytes(8).toString('hex');
        clients.set(clientId, metadata.redirect_uris ?? []);
        return json({ ...metadata, client_id: clientId, token_endpoint_auth_method: 'none' }, 201);
      }
      case '/authorize': {
        const clientId = url.searchParams.get('client_id') ?? '';
        const redirectUri = url.searchParams.get('redirect_uri') ?? '';
        if (!clients.get(clientId)?.includes(redirectUri))
          return json({ error: 'invalid_request', error_description: 'unknown client or redirect_uri' }, 400);
        const id = randomBytes(8).toString('hex');
        pending.set(id, {
          clientId,
          redirectUri,
          state: url.searchParams.get('state') ?? '',
          codeChallenge: url.searchParams.get('code_challenge') ?? '',
        });
        return new Response(
          `<!doctype html><title>Consent</title><form method="post" action="/consent/${id}"><button>Allow</button></form>`,
          {
            headers: { 'content-type': 'text/html' },
          },
        );
      }
      case '/token': {
        const form = new URLSearchParams(await request.text());
        const granted = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (
          !granted ||
          createHash('sha256').update(verifier).digest('base64url') !== granted.codeChallenge ||
          form.get('redirect_uri') !== granted.redirectUri
        ) {
          return json({ error: 'invalid_grant' }, 400);
        }
        const token = randomBytes(24).toString('base64url');
        tokens.add(token);
        issuedTokens.push(token);
        return json({ access_token: token, token_type: 'Bearer', expires_in: 3600, scope: 'demo' });
      }
      case '/mcp': {
        const bearer = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
        if (!bearer || !tokens.has(bearer)) {
          return json({ error: 'invalid_token' }, 401, {
            'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
          });
        }
        return demo.handle(request);
      }
      default:
        return new Response('not found', { status: 404 });
    }
  });
  origin = running.origin;

  return {
    mcpUrl: `${origin}/mcp`,
    issuedTokens,
    approve(authorizationUrl) {
      const params = new URL(authorizationUrl).searchParams;
      const entry = [...pending.entries()].find(([, p]) => p.state === params.get('state'));
      if (!entry) throw new Error('no pending authorization for that URL');
      pending.delete(entry[0]);
      const code = randomBytes(16).toString('base64url');
      codes.set(code, entry[1]);
      const back = new URL(entry[1].redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', entry[1].state);
      return back.href;
    },
    async close() {
      await demo.close();
      await running.close();
    },
  };
}
