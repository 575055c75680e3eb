// JWT credentials in the log: header and claims kept (a person reads them), the signature never; a JWT whose
// signature is missing or short is masked whole, since its header and claims would be the credential.
import { describe, expect, it } from 'vitest';
import { decodeJwtText, maskBodyText, maskCredential, maskJsonCredentials, maskJwt, redactHeaders, SecretSet, TraceLog } from '@/lib/trace';
import { b64, es256Jwt } from '../fixtures/jwt';

describe('maskJwt', () => {
  const jwt = es256Jwt({ typ: 'dpop+jwt' }, { htm: 'POST', htu: 'https://as.example/token', iat: 1_700_000_000, jti: 'j-1' });
  const signature = jwt.split('.')[2]!;

  it('keeps header and claims, masks the signature to its last 4 characters', () => {
    const masked = maskJwt(jwt)!;
    expect(masked).toBe(`${jwt.split('.').slice(0, 2).join('.')}.••••${signature.slice(-4)}`);
    expect(masked).not.toContain(signature.slice(0, 20));
    expect(decodeJwtText(masked)).toMatchObject({
      header: { alg: 'ES256', typ: 'dpop+jwt' },
      claims: { htm: 'POST', jti: 'j-1' },
      signatureMasked: true,
    });
  });

  it('masks whole what has no real signature (alg none, an empty or short one) or is not a JWT', () => {
    const unsigned = `${b64({ alg: 'none' })}.${b64({ sub: 'x' })}.`;
    expect(maskJwt(unsigned)).toBeUndefined();
    expect(maskJwt(`${b64({ alg: 'HS256' })}.${b64({ sub: 'x' })}.abc`)).toBeUndefined();
    expect(maskJwt(`${b64({ typ: 'JWT' })}.${b64({ sub: 'x' })}.${signature}`)).toBeUndefined();
    expect(maskJwt('not.a.jwt-at-all-but-long-enough')).toBeUndefined();
    expect(maskCredential('assertion', unsigned)).toBe(`••••${unsigned.slice(-4)}`);
    expect(maskCredential('assertion', 'opaque-assertion-value-1234')).toBe('••••1234');
  });

  it('applies only under names that carry a JWT: access tokens stay masked whole', () => {
    expect(maskCredential('access_token', jwt)).toBe(`••••${jwt.slice(-4)}`);
    expect(maskCredential('client_assertion', jwt)).toBe(maskJwt(jwt));
  });
});

describe('JWT credentials at capture', () => {
  const proof = es256Jwt(
    { typ: 'dpop+jwt', jwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' } },
    { htm: 'POST', htu: 'https://mcp.example/mcp', ath: 'hash' },
  );
  const assertion = es256Jwt({ kid: 'k1' }, { iss: 'client-1', sub: 'client-1', aud: 'https://as.example', exp: 1_700_000_300 });
  const signatureOf = (jwt: string) => jwt.split('.')[2]!;

  it('masks the DPoP header (a proof is a credential) and the DPoP scheme token, keeping the proof decodable', () => {
    const secrets = new SecretSet();
    const headers = redactHeaders({ DPoP: proof, Authorization: 'DPoP at-0123456789abcdef' }, { secrets, learn: true });
    const dpop = headers.find(([name]) => name === 'dpop')![1];
    expect(dpop).not.toContain(signatureOf(proof));
    expect(decodeJwtText(dpop)?.claims).toMatchObject({ htu: 'https://mcp.example/mcp', ath: 'hash' });
    expect(headers.find(([name]) => name === 'authorization')![1]).toBe('DPoP ••••cdef');
    // An echo of the proof elsewhere takes the same masked form.
    expect(secrets.maskText(`seen ${proof}`)).toBe(`seen ${dpop}`);
  });

  it('masks client_assertion, assertion and subject_token in form bodies and JSON the same way', () => {
    const secrets = new SecretSet();
    const form = maskBodyText(
      `grant_type=client_credentials&client_assertion=${assertion}&subject_token=${proof}`,
      'application/x-www-form-urlencoded',
      secrets,
    );
    expect(form).not.toContain(signatureOf(assertion));
    expect(form).not.toContain(signatureOf(proof));
    const params = new URLSearchParams(form);
    expect(decodeJwtText(params.get('client_assertion')!)?.claims).toMatchObject({ iss: 'client-1', aud: 'https://as.example' });
    expect(decodeJwtText(params.get('subject_token')!)).toBeDefined();
    const json = maskJsonCredentials(JSON.stringify({ assertion, access_token: assertion }), new SecretSet());
    expect(json).not.toContain(signatureOf(assertion));
    const parsed = JSON.parse(json) as { assertion: string; access_token: string };
    expect(decodeJwtText(parsed.assertion)?.header).toMatchObject({ kid: 'k1' });
    expect(parsed.access_token).toBe(`••••${assertion.slice(-4)}`);
    // Masking the masked text again changes nothing.
    expect(maskBodyText(form, 'application/x-www-form-urlencoded', secrets)).toBe(form);
  });

  it("puts a finding's decoded JWT through the session's secrets", () => {
    const secrets = new SecretSet(['secret-claim-value']);
    const log = new TraceLog({ sessionId: 's', serverUrl: 'https://x', transport: 'auto', startedAt: 0 }, undefined, {
      maskText: (text) => secrets.maskText(text),
    });
    const finding = log.finding('info', 'jwt_assertion', 'm', {
      jwt: {
        label: 'ID token',
        header: { alg: 'RS256' },
        claims: { sub: 'u', nested: { leak: 'secret-claim-value' } },
        signature: { state: 'not_verified', detail: 'no key' },
      },
    });
    expect(JSON.stringify(finding.jwt)).not.toContain('secret-claim-value');
    expect(finding.jwt?.claims.sub).toBe('u');
  });
});
