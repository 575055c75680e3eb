// Sessions whose grant needs no person and no secret of mcpscope's own: a workload's identity token (jwt_bearer,
// SEP-1933) and an enterprise ID-JAG (id_jag, SEP-990), through the API against a real authorization server.
// The assertion and the ID token are secrets: in no summary, status or log line.
import { describe, expect, it } from 'vitest';
import { guidedStepsFor, parseCreateSession, type Session } from '@/lib/sessions';
import { toolText } from '../oauth/helpers';
import { registryOnOAuthFixture } from './helpers';

const { fx, registry } = registryOnOAuthFixture({ assertionGrants: true });

async function connected(auth: Record<string, unknown>): Promise<Session> {
  const outcome = await registry().create('owner-jjjjjjjjjjjjjjjjjjjjjj', { url: fx().mcpUrl, auth: { type: 'oauth', ...auth } });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.body));
  expect(outcome.session.state).toBe('connected');
  return outcome.session;
}

async function whoami(session: Session): Promise<{ client_id: string }> {
  const answer = (await registry().rpc(session, { method: 'tools/call', params: { name: 'whoami', arguments: {} } })) as {
    result: unknown;
  };
  return JSON.parse(toolText(answer.result));
}

describe('grants with an assertion', () => {
  it('jwt_bearer: a workload identity token', async () => {
    const assertion = fx().workload!.identityToken();
    const session = await connected({ grant: 'jwt_bearer', clientId: fx().workload!.clientId, assertion });
    expect((await whoami(session)).client_id).toBe(fx().workload!.clientId);
    expect(registry().summary(session).auth?.grant).toBe('jwt_bearer');
    expect(JSON.stringify([registry().summary(session), await session.auth.status(), session.log.events()])).not.toContain(assertion);
  });

  it('id_jag: the ID token exchanged at the identity provider, then jwt-bearer', async () => {
    const { idp, client } = fx().enterprise!;
    const idToken = idp.idToken();
    const session = await connected({
      grant: 'id_jag',
      ...client,
      idp: { tokenEndpoint: idp.tokenEndpoint, idToken, clientId: idp.clientId },
    });
    expect((await whoami(session)).client_id).toBe(client.clientId);
    const names = session.log
      .events()
      .filter((e) => e.kind === 'phase' && e.status === 'ok')
      .map((e) => (e as { name: string }).name);
    expect(names).toEqual(expect.arrayContaining(['oauth:token-exchange', 'oauth:jwt-bearer']));
    expect(JSON.stringify([registry().summary(session), await session.auth.status(), session.log.events()])).not.toContain(idToken);
    expect(guidedStepsFor('id_jag')).toEqual(['discovery', 'client', 'token', 'connect']);
  });

  it('says what each grant needs, naming the field', () => {
    const create = (auth: Record<string, unknown>) => () =>
      parseCreateSession({ url: 'http://127.0.0.1:1/mcp', auth: { type: 'oauth', ...auth } });
    expect(create({ grant: 'jwt_bearer', clientId: 'w' })).toThrow(/auth\.assertion/);
    expect(create({ grant: 'jwt_bearer', clientId: 'w', assertion: 'not-a-jwt' })).toThrow(/compact JWT/);
    expect(create({ grant: 'id_jag', clientId: 'c' })).toThrow(/auth\.idp/);
    expect(create({ grant: 'id_jag', clientId: 'c', idp: { tokenEndpoint: 'ftp://x/token', idToken: 'a.b.c', clientId: 'i' } })).toThrow(
      /https URL/,
    );
    expect(create({ grant: 'authorization_code', assertion: 'a.b.c' })).toThrow(/goes with the jwt_bearer grant/);
    const parsed = parseCreateSession({
      url: 'http://127.0.0.1:1/mcp',
      auth: {
        type: 'oauth',
        grant: 'id_jag',
        clientId: 'c',
        idp: { tokenEndpoint: 'https://idp.example/token', idToken: 'a.b.c', clientId: 'i', clientSecret: 'idp-secret-value' },
      },
    });
    expect(parsed.secretValues).toEqual(expect.arrayContaining(['a.b.c', 'idp-secret-value']));
  });
});
