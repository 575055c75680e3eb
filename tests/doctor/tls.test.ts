import { describe, expect, it } from 'vitest';
import { judgeCertificate, type CertificateFacts } from '@/lib/doctor';

const DAY = 86_400_000;
const now = Date.parse('2026-12-07T00:00:00Z');
const facts = (patch: Partial<CertificateFacts> = {}): CertificateFacts => ({
  subject: 'example.com',
  issuer: 'R11',
  altNames: ['DNS:example.com'],
  validFrom: now - 30 * DAY,
  validTo: now + 60 * DAY,
  fingerprint256: 'AA:BB',
  pem: '',
  ...patch,
});

describe('judgeCertificate', () => {
  it('passes a trusted certificate in its validity window', () => {
    expect(judgeCertificate(facts(), now).status).toBe('pass');
  });
  it('fails expired, not-yet-valid and wrong-name certificates, trusted or not', () => {
    expect(judgeCertificate(facts({ validTo: now - DAY }), now, true)).toMatchObject({ status: 'fail', code: 'tls_expired' });
    expect(judgeCertificate(facts({ validFrom: now + DAY }), now)).toMatchObject({ status: 'fail', code: 'tls_not_yet_valid' });
    expect(judgeCertificate(facts({ nameError: "Host: other.com. is not in the cert's altnames" }), now, true)).toMatchObject({
      status: 'fail',
      code: 'tls_name_mismatch',
    });
  });
  it('explains a self-signed certificate, and only warns when it is trusted for the run', () => {
    const self = facts({ authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT', issuer: 'example.com' });
    const refused = judgeCertificate(self, now);
    expect(refused).toMatchObject({ status: 'fail', code: 'tls_self_signed' });
    expect(refused.status === 'fail' && refused.advice).toMatch(/for this run only/);
    expect(judgeCertificate(self, now, true)).toMatchObject({ status: 'warn', code: 'tls_self_signed_trusted' });
  });
  it('names a missing intermediate and a certificate that expires soon', () => {
    const chain = judgeCertificate(facts({ authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), now);
    expect(chain.status === 'fail' && chain.advice).toMatch(/full chain/);
    expect(judgeCertificate(facts({ validTo: now + 3 * DAY }), now)).toMatchObject({ status: 'warn', code: 'tls_expires_soon' });
  });
});
