import { startOAuthFixture, type OAuthFixture, type OAuthFixtureOptions } from '@/e2e/fixtures/oauth';
import { readConfig } from '@/lib/config';
import type { SessionSummary } from '@/lib/contract';
import { followAuthorizationRedirects } from '@/lib/oauth';
import {
  completeAuthorization,
  OWNER_COOKIE,
  SessionRegistry,
  signOwner,
  type CallbackDeps,
  type CreateOptions,
  type Session,
} from '@/lib/sessions';
import { startedForSuite } from '../fixtures/suite';
import { tempStore } from '../oauth/helpers';

/**
 * For the enclosing suite: an OAuth fixture started with `options`, a temporary store and a session registry
 * that keeps its tokens there; all stopped after the suite. Read each through its function, in a test or hook.
 */
export function registryOnOAuthFixture(options?: OAuthFixtureOptions): {
  fx: () => OAuthFixture;
  registry: () => SessionRegistry;
} {
  const suite = startedForSuite(async () => {
    const fx = await startOAuthFixture(options);
    const ts = await tempStore();
    const registry = new SessionRegistry({ config: readConfig({}), store: async () => ts.store });
    const close = async () => {
      await registry.shutdown();
      await fx.close();
      await ts.close();
    };
    return { fx, registry, close };
  });
  return { fx: () => suite().fx, registry: () => suite().registry };
}

/** Creates a session as `owner`; a refused create fails the test, showing what the registry answered. */
export async function createdSession(
  registry: SessionRegistry,
  owner: string,
  body: unknown,
  options?: CreateOptions,
): Promise<{ session: Session; summary: SessionSummary }> {
  const outcome = await registry.create(owner, body, options);
  if (!outcome.ok) throw new Error(`create failed: ${JSON.stringify(outcome.body)}`);
  return { session: outcome.session, summary: outcome.summary };
}

/**
 * What the browser does: follow the (auto-approving) authorization URL to mcpscope's callback at `publicUrl`, then
 * GET /callback with the owner's cookie.
 */
export async function browserAuthorizes(authorizationUrl: string, owner: string, deps: CallbackDeps & { publicUrl: string }) {
  const walk = await followAuthorizationRedirects(authorizationUrl, { redirectUri: `${deps.publicUrl}/callback` });
  if (walk.kind !== 'callback') throw new Error(`authorization stopped at ${walk.url} (${walk.status})`);
  const request = new Request(walk.callbackUrl, { headers: { cookie: `${OWNER_COOKIE}=${signOwner(owner)}` } });
  return { walk, outcome: await completeAuthorization(request, deps) };
}

/** A create request for the fixture's MCP server, authorized with its machine client (the client credentials grant). */
export function machineClientSession(fx: OAuthFixture) {
  return {
    url: fx.mcpUrl,
    auth: { type: 'oauth', grant: 'client_credentials', clientId: fx.machineClient.clientId, clientSecret: fx.machineClient.clientSecret },
  };
}
