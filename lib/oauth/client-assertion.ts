// `private_key_jwt` client authentication (RFC 7523 §2.2, SEP-1046): the client proves who it is at the token
// endpoint with a short-lived JWT it signs with its private key, instead of a secret. The key stays on the
// server side; each assertion is a credential too (until it expires), so it is masked in the log, and what a
// person may see of it is its header and claims, decoded.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { createPrivateKeyJwtAuth, type AddClientAuthentication, type AuthorizationServerMetadata } from '@modelcontextprotocol/client';
import { OAuthFlowError } from './errors';

/** A private key as a person gives it: PEM (PKCS#8, or a PKCS#1/SEC1 key Node can read) or a JWK as JSON. */
export interface ClientKey {
  /** PEM text or JWK JSON. */
  key: string;
  /** The JWS algorithm; default from the key (ES256 for P-256, ES384, ES512, RS256 for RSA, EdDSA for Ed25519). */
  alg?: string;
}

/** What a decoded assertion shows: its header and claims (never the signature). */
export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

const CURVE_ALG: Record<string, string> = {
  'P-256': 'ES256',
  prime256v1: 'ES256',
  'P-384': 'ES384',
  secp384r1: 'ES384',
  'P-521': 'ES512',
  secp521r1: 'ES512',
};

/** The key as the SDK's signer takes it (PEM in PKCS#8, or a JWK object) and the algorithm to sign with. */
export function readClientKey(given: ClientKey): { privateKey: string | Record<string, unknown>; alg: string } {
  const text = given.key.trim();
  let keyObject: KeyObject;
  let privateKey: string | Record<string, unknown>;
  try {
    if (text.startsWith('{')) {
      const jwk = JSON.parse(text) as Record<string, unknown>;
      if (typeof jwk.d !== 'string') throw new Error('the JWK has no private part ("d")');
      keyObject = createPrivateKey({ key: jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' });
      privateKey = jwk;
    } else {
      keyObject = createPrivateKey(text);
      // The SDK reads PKCS#8 PEM only: a PKCS#1 or SEC1 key is converted, the key itself unchanged.
      privateKey = keyObject.export({ format: 'pem', type: 'pkcs8' }).toString();
    }
  } catch (error) {
    throw new OAuthFlowError(
      'client_required',
      `The client's private key could not be read (${error instanceof Error ? error.message : String(error)}); give a PEM private key or a JWK with its private part.`,
    );
  }
  const alg = given.alg ?? defaultAlg(keyObject);
  if (!alg) {
    throw new OAuthFlowError(
      'client_required',
      `No signing algorithm is known for a ${keyObject.asymmetricKeyType ?? 'private'} key; name one (e.g. RS256, ES256).`,
    );
  }
  return { privateKey, alg };
}

function defaultAlg(key: KeyObject): string | undefined {
  switch (key.asymmetricKeyType) {
    case 'ec':
      return CURVE_ALG[key.asymmetricKeyDetails?.namedCurve ?? ''];
    case 'rsa':
    case 'rsa-pss':
      return 'RS256';
    case 'ed25519':
      return 'EdDSA';
    default:
      return undefined;
  }
}

/**
 * The token request's client authentication: a fresh assertion each time (`iss` = `sub` = the client ID, `aud` =
 * the authorization server's issuer, 5 minutes, a unique `jti`). `onAssertion` sees each one as it is made, to
 * mask it and show it decoded.
 */
export function privateKeyJwtAuthentication(
  clientId: string,
  key: ClientKey,
  onAssertion: (assertion: string, decoded: DecodedJwt) => void,
): AddClientAuthentication {
  const { privateKey, alg } = readClientKey(key);
  const sign = createPrivateKeyJwtAuth({ issuer: clientId, subject: clientId, privateKey, alg });
  return async (headers: Headers, params: URLSearchParams, url: string | URL, metadata?: AuthorizationServerMetadata) => {
    await sign(headers, params, url, metadata);
    const assertion = params.get('client_assertion');
    if (assertion) onAssertion(assertion, decodeJwt(assertion));
  };
}

/** Header and claims of a compact JWT, unverified (for showing; the server verifies). */
export function decodeJwt(jwt: string): DecodedJwt {
  const [header, claims] = jwt.split('.');
  const part = (segment: string | undefined): Record<string, unknown> => {
    try {
      const value = JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8')) as unknown;
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  return { header: part(header), claims: part(claims) };
}

/** One line for the timeline: the header and claims of a JWT, with its times as dates. */
export function describeJwt(decoded: DecodedJwt): string {
  const claims = Object.entries(decoded.claims).map(([name, value]) =>
    (name === 'exp' || name === 'iat' || name === 'nbf') && typeof value === 'number'
      ? `${name}=${new Date(value * 1000).toISOString()}`
      : `${name}=${JSON.stringify(value)}`,
  );
  return `header ${JSON.stringify(decoded.header)}; claims ${claims.join(', ')}`;
}
