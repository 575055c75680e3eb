// private_key_jwt client authentication (RFC 7523 §2.2, SEP-1046) against a real authorization server
// (oidc-provider) that knows the client's public key: the client credentials grant with a PEM key and with the
// same key as a JWK, the assertion's claims, a wrong key refused, and nothing secret in the log.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startOAuthFixture } from '@/e2e/fixtures/oauth';
import { authorizedFetch, OAuthFlowError } from '@/lib/oauth';
import { decodeJwt, readClientKey } from '@/lib/oauth/client-assertion';
import { connectMcp, findings, logText, newFlow, phase, tempStore, toolText, type TestStore } from './helpers';
import { decodeJwtText } from '@/lib/trace';
import { startedForSuite } from '../fixtures/suite';

let ts: TestStore;

const fx = startedForSuite(startOAuthFixture);
afterEach(async () => {
  await ts?.close();
});

function machineFlow(key: string, alg?: string) {
  return newFlow(ts.store, fx().mcpUrl, {
    owner: 'machine',
    client: { clientId: fx().machineKeyClient.clientId, privateKey: { key, ...(alg ? { alg } : {}) } },
  });
}

describe('private_key_jwt', () => {
  it('gets a machine token with a signed assertion (iss = sub = client, aud = issuer), and logs it decoded, masked', async () => {
    ts = await tempStore();
    const { flow, log } = machineFlow(fx().machineKeyClient.privateKeyPem);
    const view = await flow.clientCredentials({ scopes: 'mcp:read' });
    expect(flow.clientIdentity).toMatchObject({ authMethod: 'private_key_jwt', source: 'pre-registered' });
    expect(view.scopes).toEqual(['mcp:read']);
    const client = await connectMcp(fx().mcpUrl, authorizedFetch(fetch, flow));
    try {
      expect(JSON.parse(toolText(await client.callTool({ name: 'whoami', arguments: {} })))).toMatchObject({
        client_id: fx().machineKeyClient.clientId,
      });
    } finally {
      await client.close();
    }
    const note = findings(log).find((f) => f.code === 'client_assertion');
    expect(note?.message).toContain(`iss="${fx().machineKeyClient.clientId}"`);
    expect(note?.message).toContain(`aud="${fx().issuer}"`);
    expect(note?.message).toContain(`sub="${fx().machineKeyClient.clientId}"`);
    expect(note?.message).toContain('"alg":"ES256"');
    const text = logText(log);
    expect(text).not.toContain('PRIVATE KEY');
    // The token request's body carried the assertion; the log has it masked.
    const body = log.events().find((e) => e.kind === 'http.request' && e.url.endsWith('/token'));
    expect(JSON.stringify(body)).toContain('client_assertion_type');
    // Masked as a JWT credential: header and claims readable, the signature never (so never usable).
    expect(JSON.stringify(body)).not.toMatch(/client_assertion=ey[\w-]+\.ey[\w-]+\.[\w-]/);
    const masked = new URLSearchParams(body?.kind === 'http.request' ? body.body?.text : '').get('client_assertion');
    expect(masked).toMatch(/^ey[\w-]+\.ey[\w-]+\.••••[\w-]{4}$/);
    expect(decodeJwtText(masked!)?.claims).toMatchObject({ iss: fx().machineKeyClient.clientId, aud: fx().issuer });
    // The finding carries it decoded, its signature checked against the configured key's public half.
    expect(note?.jwt).toMatchObject({
      label: 'client assertion (private_key_jwt)',
      header: { alg: 'ES256' },
      claims: { sub: fx().machineKeyClient.clientId },
    });
    expect(note?.jwt?.signature).toMatchObject({ state: 'verified', alg: 'ES256', key: expect.stringMatching(/thumbprint [\w-]{16}/) });
  });

  it('takes the same key as a JWK', async () => {
    ts = await tempStore();
    const jwk = createPrivateKey(fx().machineKeyClient.privateKeyPem).export({ format: 'jwk' });
    const { flow } = machineFlow(JSON.stringify(jwk));
    expect((await flow.clientCredentials()).accessToken).toMatch(/^••••/);
  });

  it("a key the server does not know is refused with the server's invalid_client, explained", async () => {
    ts = await tempStore();
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const { flow, log } = machineFlow(other);
    const error = await flow.clientCredentials().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthFlowError);
    expect(error).toMatchObject({ code: 'token_request_failed', oauthError: 'invalid_client' });
    expect(phase(log, 'oauth:token')?.status).toBe('failed');
  });

  it('reads PEM and JWK keys, names the algorithm from the key, and says what is wrong with a bad one', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(readClientKey({ key: rsa.export({ format: 'pem', type: 'pkcs1' }).toString() }).alg).toBe('RS256');
    expect(readClientKey({ key: fx().machineKeyClient.privateKeyPem }).alg).toBe('ES256');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'pem', type: 'sec1' }).toString();
    expect(readClientKey({ key: p384 })).toMatchObject({ alg: 'ES384', privateKey: expect.stringContaining('BEGIN PRIVATE KEY') });
    expect(readClientKey({ key: fx().machineKeyClient.privateKeyPem, alg: 'ES256' }).alg).toBe('ES256');
    expect(() => readClientKey({ key: 'not a key' })).toThrow(/could not be read/);
    const publicOnly = JSON.stringify(createPrivateKey(fx().machineKeyClient.privateKeyPem).export({ format: 'jwk' }), (k, v) =>
      k === 'd' ? undefined : v,
    );
    expect(() => readClientKey({ key: publicOnly })).toThrow(/private part/);
    expect(decodeJwt('eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJhIn0.sig')).toEqual({ header: { alg: 'ES256' }, claims: { iss: 'a' } });
  });
});
