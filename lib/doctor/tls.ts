// The TLS step: connect, look at the certificate the server presents (without trusting it yet), and say in words
// what a client will think of it. Server-side only (node:tls).
import tls from 'node:tls';

export interface CertificateFacts {
  subject: string;
  issuer: string;
  /** subjectAltName entries, e.g. `DNS:example.com`, `IP Address:127.0.0.1`. */
  altNames: string[];
  validFrom: number;
  validTo: number;
  fingerprint256: string;
  /** The leaf certificate as PEM: what a "trust it for this run" opt-in trusts, and nothing else. */
  pem: string;
  /** Node's verdict against the system's roots (undefined: trusted). */
  authorizationError?: string;
  /** Why the certificate does not cover the host name, when it does not. */
  nameError?: string;
  protocol?: string;
}

export type TlsJudgement =
  | { status: 'pass'; seen: string[] }
  | { status: 'warn'; seen: string[]; advice: string; code: string }
  | { status: 'fail'; seen: string[]; advice: string; code: string };

const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);
const SOON_MS = 14 * 24 * 3_600_000;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * What a client makes of the certificate. `trusted`: the person opted in to trust this self-signed certificate
 * for this run only (never a certificate that is expired or for another name).
 */
export function judgeCertificate(facts: CertificateFacts, now: number, trusted = false): TlsJudgement {
  const seen = [
    `certificate for ${facts.subject || '(no subject)'}, issued by ${facts.issuer || '(no issuer)'}`,
    `valid ${day(facts.validFrom)} to ${day(facts.validTo)}`,
    ...(facts.altNames.length > 0 ? [`names: ${facts.altNames.slice(0, 8).join(', ')}${facts.altNames.length > 8 ? ', …' : ''}`] : []),
    `SHA-256 fingerprint ${facts.fingerprint256}`,
    ...(facts.protocol ? [`negotiated ${facts.protocol}`] : []),
  ];
  if (now > facts.validTo) {
    return {
      status: 'fail',
      code: 'tls_expired',
      seen: [...seen, `expired on ${day(facts.validTo)}`],
      advice: 'The server presents an expired certificate: renew it (e.g. with your ACME client) and reload the server.',
    };
  }
  if (now < facts.validFrom) {
    return {
      status: 'fail',
      code: 'tls_not_yet_valid',
      seen: [...seen, `not valid before ${day(facts.validFrom)}`],
      advice: "The certificate is not valid yet: check the server's clock, or the clock of this machine.",
    };
  }
  if (facts.nameError) {
    return {
      status: 'fail',
      code: 'tls_name_mismatch',
      seen: [...seen, facts.nameError],
      advice:
        'The certificate does not cover the host name in the URL: use the name the certificate was issued for, or reissue it with this name in its subjectAltName.',
    };
  }
  const error = facts.authorizationError;
  if (error && SELF_SIGNED.has(error)) {
    if (trusted) {
      return {
        status: 'warn',
        code: 'tls_self_signed_trusted',
        seen: [...seen, `self-signed (${error}); trusted for this run only, as asked`],
        advice:
          'Other clients will refuse this certificate. For a development server this is fine; in production use a certificate from a public CA.',
      };
    }
    return {
      status: 'fail',
      code: 'tls_self_signed',
      seen: [...seen, `self-signed (${error}): no certificate authority vouches for it`],
      advice:
        "The server uses a self-signed certificate, which clients refuse. If this is your own development server, run the Doctor again trusting this certificate for this run only (its fingerprint is above: compare it with the server's); otherwise give the server a certificate from a public CA (e.g. Let's Encrypt).",
    };
  }
  if (error) {
    return {
      status: 'fail',
      code: 'tls_untrusted',
      seen: [...seen, `not trusted: ${error}`],
      advice:
        error === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || error === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'
          ? 'The server does not send the intermediate certificates of its chain: configure it to serve the full chain (fullchain.pem).'
          : 'The certificate chain does not lead to a trusted authority: serve a certificate from a public CA with its full chain.',
    };
  }
  if (facts.validTo - now < SOON_MS) {
    return {
      status: 'warn',
      code: 'tls_expires_soon',
      seen: [...seen, `expires in ${Math.ceil((facts.validTo - now) / 86_400_000)} days`],
      advice: 'The certificate expires soon: renew it before it does.',
    };
  }
  return { status: 'pass', seen };
}

function name(part: Record<string, unknown> | undefined): string {
  if (!part) return '';
  const cn = part.CN;
  const text = Array.isArray(cn) ? cn.join(', ') : typeof cn === 'string' ? cn : '';
  return (
    text ||
    Object.entries(part)
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(', ')
  );
}

function toPem(raw: Buffer): string {
  const base64 = raw.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/** Connects to `address:port` (an address the target policy allowed), asks for `hostname`, reads the certificate. */
export function inspectTls(options: {
  address: string;
  port: number;
  hostname: string;
  timeoutMs: number;
  signal?: AbortSignal;
}): Promise<CertificateFacts> {
  const isIp = /^[\d.]+$|:/.test(options.hostname);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: options.address,
      port: options.port,
      ...(isIp ? {} : { servername: options.hostname }),
      // Looked at, not trusted: the judgement above decides, and nothing is sent on this connection.
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const timer = setTimeout(
      () => finish(Object.assign(new Error(`The TLS handshake took longer than ${options.timeoutMs} ms.`), { code: 'ETIMEDOUT' })),
      options.timeoutMs,
    );
    const onAbort = () => finish(Object.assign(new Error('cancelled'), { name: 'AbortError' }));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let done = false;
    function finish(error: Error | undefined, facts?: CertificateFacts): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve(facts!);
    }
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate(false);
      if (!cert || !cert.raw) {
        finish(new Error('The server presented no certificate.'));
        return;
      }
      const identity = tls.checkServerIdentity(options.hostname, cert);
      const authorizationError = socket.authorized ? undefined : String(socket.authorizationError ?? 'not trusted');
      finish(undefined, {
        subject: name(cert.subject as unknown as Record<string, unknown>),
        issuer: name(cert.issuer as unknown as Record<string, unknown>),
        altNames: (cert.subjectaltname ?? '').split(/,\s*/).filter(Boolean),
        validFrom: Date.parse(cert.valid_from),
        validTo: Date.parse(cert.valid_to),
        fingerprint256: cert.fingerprint256,
        pem: toPem(cert.raw),
        ...(authorizationError ? { authorizationError } : {}),
        ...(identity ? { nameError: identity.message } : {}),
        protocol: socket.getProtocol() ?? undefined,
      });
    });
    socket.once('error', (error) => finish(error));
  });
}
