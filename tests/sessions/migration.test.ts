// SEP-2352 on a session: the MCP server moves to another authorization server while the session is connected.
// The failed call leaves the session waiting for an authorization at the new one (registered there), and the
// session carries on after it. Two real authorization servers (oidc-provider), one real MCP server.
import { afterEach, expect, it } from 'vitest';
import { startOAuthFixture, type OAuthFixture } from '@/e2e/fixtures/oauth';
import { readConfig } from '@/lib/config';
import { followAuthorizationRedirects } from '@/lib/oauth';
import { completeAuthorization, newOwnerId, OWNER_COOKIE, signOwner, SessionRegistry } from '@/lib/sessions';
import { tempStore, toolText, type TestStore } from '../oauth/helpers';

const PUBLIC_URL = 'http://localhost:3000';
const OWNER = newOwnerId();

let fx: OAuthFixture | undefined;
let ts: TestStore | undefined;
let registry: SessionRegistry | undefined;

afterEach(async () => {
  await registry?.shutdown();
  await fx?.close();
  await ts?.close();
});

it('a session whose server changed authorization servers asks to authorize at the new one, then carries on', async () => {
  fx = await startOAuthFixture({ secondAuthorizationServer: true });
  ts = await tempStore();
  const store = ts.store;
  const reg = (registry = new SessionRegistry({ config: { ...readConfig({}), publicUrl: PUBLIC_URL }, store: async () => store }));
  const browserAuthorizes = async (authorizationUrl: string) => {
    const walk = await followAuthorizationRedirects(authorizationUrl, { redirectUri: `${PUBLIC_URL}/callback` });
    if (walk.kind !== 'callback') throw new Error(`authorization stopped at ${walk.url}`);
    return completeAuthorization(new Request(walk.callbackUrl, { headers: { cookie: `${OWNER_COOKIE}=${signOwner(OWNER)}` } }), {
      registry: reg,
      store: async () => store,
      publicUrl: PUBLIC_URL,
    });
  };
  const whoami = async () => {
    const answer = await reg.rpc(session, { method: 'tools/call', params: { name: 'whoami', arguments: {} } }).catch((e: unknown) => e);
    return 'result' in (answer as object)
      ? (JSON.parse(toolText((answer as { result: unknown }).result)) as { client_id: string })
      : answer;
  };

  const outcome = await reg.create(OWNER, { url: fx.mcpUrl });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.body));
  const session = outcome.session;
  await browserAuthorizes(reg.summary(session).authorizationUrl!);
  expect(session.state).toBe('connected');
  const before = (await whoami()) as { client_id: string };

  fx.migrateAuthorizationServer();
  const failed = await whoami();
  expect(failed).toMatchObject({ code: 'auth_required' });
  const waiting = reg.summary(session);
  expect(waiting.auth?.needed).toBe('reauthorize');
  expect(new URL(waiting.authorizationUrl!).origin).toBe(new URL(fx.second!.issuer).origin);
  const registered = fx.second!.events.filter((e) => e.kind === 'registration');
  expect(registered).toHaveLength(1);
  expect(registered[0].detail.client_id).not.toBe(before.client_id);

  await browserAuthorizes(waiting.authorizationUrl!);
  expect(session.state).toBe('connected');
  // The call goes through again, with the new authorization server's token (the fixture's whoami names the
  // client of the token its MCP session began with, so the token grant is what shows whose token this is).
  expect(await whoami()).toHaveProperty('client_id');
  expect(fx.second!.events.filter((e) => e.kind === 'token').map((e) => e.detail.client_id)).toEqual([registered[0].detail.client_id]);
  expect(fx.second!.events.filter((e) => e.detail.client_id === before.client_id)).toEqual([]);
  expect(session.log.events().some((e) => e.kind === 'finding' && e.code === 'authorization_server_changed')).toBe(true);
});
