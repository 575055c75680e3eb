// A session with a pre-registered machine client that authenticates with its private key (private_key_jwt):
// connected through the client credentials grant at a real authorization server (oidc-provider); the key never
// shows in the summary, the status or the log. The API refuses keys it cannot use, naming the field.
import { expect, it } from 'vitest';
import { parseCreateSession } from '@/lib/sessions';
import { toolText } from '../oauth/helpers';
import { registryOnOAuthFixture } from './helpers';

const { fx, registry } = registryOnOAuthFixture();

it('connects with the client credentials grant and a client key, and shows the key nowhere', async () => {
  const outcome = await registry().create('owner-kkkkkkkkkkkkkkkkkkkkkk', {
    url: fx().mcpUrl,
    auth: {
      type: 'oauth',
      grant: 'client_credentials',
      clientId: fx().machineKeyClient.clientId,
      clientKey: fx().machineKeyClient.privateKeyPem,
    },
  });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.body));
  const session = outcome.session;
  expect(session.state).toBe('connected');
  const answer = (await registry().rpc(session, { method: 'tools/call', params: { name: 'whoami', arguments: {} } })) as {
    result: unknown;
  };
  expect(JSON.parse(toolText(answer.result)).client_id).toBe(fx().machineKeyClient.clientId);
  const status = await session.auth.status();
  expect(status.client).toMatchObject({ authMethod: 'private_key_jwt', source: 'pre-registered' });
  const visible = JSON.stringify([registry().summary(session), status, session.log.events()]);
  const keyBody = fx().machineKeyClient.privateKeyPem.split('\n')[1];
  expect(keyBody.length).toBeGreaterThan(20);
  expect(visible).not.toContain(keyBody);
  expect(session.log.events().some((e) => e.kind === 'finding' && e.code === 'client_assertion')).toBe(true);
});

it('refuses a key without a client ID, beside a secret, or that is not PEM or JWK', () => {
  const create = (auth: Record<string, unknown>) => () =>
    parseCreateSession({ url: 'http://127.0.0.1:1/mcp', auth: { type: 'oauth', ...auth } });
  expect(create({ clientKey: fx().machineKeyClient.privateKeyPem })).toThrow(/needs its client ID/);
  expect(create({ clientId: 'c', clientSecret: 's', clientKey: fx().machineKeyClient.privateKeyPem })).toThrow(
    /either a client secret or a client key/,
  );
  expect(create({ clientId: 'c', clientKey: 'hello' })).toThrow(/PEM private key or a JWK/);
  expect(create({ clientId: 'c', clientKeyAlg: 'ES256' })).toThrow(/needs "auth.clientKey"/);
  expect(
    parseCreateSession({
      url: 'http://127.0.0.1:1/mcp',
      auth: { type: 'oauth', grant: 'client_credentials', clientId: 'c', clientKey: fx().machineKeyClient.privateKeyPem },
    }).secretValues,
  ).toContain(fx().machineKeyClient.privateKeyPem.trim());
});
