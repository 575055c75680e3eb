// The decoded view of a JWT for a finding (lib/trace JwtNote): header and claims, and an honest signature status.
// Only a signature checked here, against a key mcpscope holds, is `verified`; one mcpscope made is said to be its
// own; one it received or was given is `not_verified` (the server receiving it verifies it). Never the JWT itself.
import { createHash, createPrivateKey, createPublicKey, verify, constants, type KeyObject } from 'node:crypto';
import type { JwtNote, JwtSignature } from '../trace';
import { decodeJwt } from './client-assertion';

/** The JWT's header and claims under `label`, with `signature` (see JwtSignature). */
export function jwtNote(label: string, jwt: string, signature: JwtSignature): JwtNote {
  const { header, claims } = decodeJwt(jwt);
  return { label, header, claims, signature };
}

/** RFC 7638 thumbprint of a public key, shortened for a person to compare (the first 16 characters). */
export function keyThumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  const members =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : jwk.kty === 'OKP'
        ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x }
        : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url').slice(0, 16);
}

/** Whether the compact JWS's signature is valid for `key` under its header's `alg` (false for an unknown alg). */
export function verifyJws(jwt: string, key: KeyObject): boolean {
  const [header, claims, signature] = jwt.split('.');
  if (!header || !claims || !signature) return false;
  const alg = decodeJwt(jwt).header.alg;
  const data = Buffer.from(`${header}.${claims}`);
  const sig = Buffer.from(signature, 'base64url');
  try {
    switch (alg) {
      case 'ES256':
      case 'ES384':
      case 'ES512':
        return verify(`sha${alg.slice(2)}`, data, { key, dsaEncoding: 'ieee-p1363' }, sig);
      case 'RS256':
      case 'RS384':
      case 'RS512':
        return verify(`sha${alg.slice(2)}`, data, key, sig);
      case 'PS256':
      case 'PS384':
      case 'PS512':
        return verify(
          `sha${alg.slice(2)}`,
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 },
          sig,
        );
      case 'EdDSA':
      case 'Ed25519':
        return verify(null, data, key, sig);
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/** A client assertion mcpscope signed with the client's key, checked against that key's public half. */
export function clientAssertionSignature(jwt: string, privateKey: string | Record<string, unknown>): JwtSignature {
  const alg = String(decodeJwt(jwt).header.alg ?? '');
  const publicKey = createPublicKey(
    typeof privateKey === 'string'
      ? createPrivateKey(privateKey)
      : createPrivateKey({ key: privateKey as import('node:crypto').JsonWebKey, format: 'jwk' }),
  );
  const key = `the client's key, thumbprint ${keyThumbprint(publicKey)}`;
  return verifyJws(jwt, publicKey)
    ? { state: 'verified', alg, key, detail: 'Signed by mcpscope with the configured private key.' }
    : {
        state: 'not_verified',
        alg,
        key,
        detail: `Signed by mcpscope, but the signature does not verify with the configured key's public half (is ${alg} right for this key?).`,
      };
}

/** A JWT mcpscope received or was given and holds no key for: the server it goes to verifies it. */
export function unverifiedSignature(jwt: string, why: string): JwtSignature {
  const alg = decodeJwt(jwt).header.alg;
  return { state: 'not_verified', ...(typeof alg === 'string' ? { alg } : {}), detail: why };
}
