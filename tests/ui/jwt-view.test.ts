// The decoded-JWT view, rendered server-side (no DOM): a JWT from the log (signature masked) shows its header and
// claims; only a signature checked against a key gets a tick; the signature never appears; an imported file's
// malformed note renders without a tick instead of breaking the page.
import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { JwtView, RequestJwts, requestJwts } from '@/components/auth';
import { maskBodyText, redactHeaders, SecretSet, type JwtNote } from '@/lib/trace';
import { es256Jwt } from '../fixtures/jwt';

describe('JwtView', () => {
  const note = (state: JwtNote['signature']['state']): JwtNote => ({
    label: 'client assertion (private_key_jwt)',
    header: { alg: 'ES256', kid: 'k1' },
    claims: { iss: 'client-1', exp: 1_800_000_000 },
    signature: { state, alg: 'ES256', key: "the client's key, thumbprint abc", detail: 'why.' },
  });

  it('ticks only a verified signature, and says who signed otherwise', () => {
    const verified = renderToStaticMarkup(h(JwtView, { note: note('verified') }));
    expect(verified).toContain('data-signature="verified"');
    expect(verified).toContain('signature verified');
    expect(verified).toContain('<svg');
    expect(verified).toContain('signed ES256, verified with the client&#x27;s key, thumbprint abc');
    expect(verified).toContain('2027-01-15T08:00:00Z');
    for (const state of ['signed_by_mcpscope', 'not_verified'] as const) {
      const html = renderToStaticMarkup(h(JwtView, { note: note(state) }));
      expect(html).not.toContain('<svg');
      expect(html).not.toContain('verified with');
    }
    expect(renderToStaticMarkup(h(JwtView, { note: note('not_verified') }))).toContain('not verified: why.');
  });

  it("renders an imported file's malformed note without a tick", () => {
    const bad = { label: 3, header: null, claims: 'x', signature: { state: 'verified!' } } as unknown as JwtNote;
    const html = renderToStaticMarkup(h(JwtView, { note: bad }));
    expect(html).toContain('data-signature="not_verified"');
    expect(html).not.toContain('<svg');
  });
});

describe('the JWTs of a request, from the log', () => {
  it('decodes the DPoP header and form assertions from their masked form, never showing a signature', () => {
    const secrets = new SecretSet();
    const proof = es256Jwt({ typ: 'dpop+jwt' }, { htm: 'POST', htu: 'https://as.example/token', jti: 'j1' });
    const assertion = es256Jwt({}, { iss: 'wl', aud: 'https://as.example' });
    const headers = redactHeaders({ DPoP: proof }, { secrets, learn: true });
    const body = maskBodyText(
      `grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=${assertion}`,
      'application/x-www-form-urlencoded',
      secrets,
    );
    const notes = requestJwts(headers, body);
    expect(notes.map((n) => [n.label, n.signature.state])).toEqual([
      ['DPoP proof (DPoP header)', 'signed_by_mcpscope'],
      ['assertion (jwt-bearer grant)', 'not_verified'],
    ]);
    expect(notes[0]!.claims).toMatchObject({ htm: 'POST', jti: 'j1' });
    const html = renderToStaticMarkup(h(RequestJwts, { headers, body }));
    for (const whole of [proof, assertion]) expect(html).not.toContain(whole.split('.')[2]!.slice(0, 12));
    expect(html).toContain('https://as.example/token');
    expect(renderToStaticMarkup(h(RequestJwts, { headers: [['accept', 'x']], body: 'a=b' }))).toBe('');
  });
});
