// JWTs in the log: client assertions, jwt-bearer assertions, ID-JAGs, subject tokens and DPoP proofs are
// credentials, so they are masked at capture like any secret. Their header and claims are not: without the
// signature nothing can be done with them, and they are what a person debugging a refused grant needs to read
// (`aud`, `iss`, `exp`, `htu`, `jkt`...). So a JWT under a name that carries one keeps `header.claims` and loses its
// signature (`••••` and its last 4 characters). A JWT whose signature is missing or short (`alg: none`) is masked
// whole: its header and claims would be the whole credential. Plain TypeScript for the server and the browser.
import { MASK } from './secrets';

/** Names (header, form parameter or JSON key) whose value is a JWT by the protocol that defines them. */
const JWT_VALUED_NAMES: ReadonlySet<string> = new Set(['dpop', 'client_assertion', 'assertion', 'subject_token', 'actor_token']);

/** Signatures shorter than this do not protect anything (none, or a toy HMAC): the JWT is masked whole. */
const MIN_SIGNATURE_CHARS = 16;

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Whether a header, parameter or key of this name carries a JWT (its masked form keeps header and claims). */
export function isJwtValuedName(name: string): boolean {
  return JWT_VALUED_NAMES.has(name.toLowerCase());
}

function base64UrlText(segment: string): string | undefined {
  if (!SEGMENT.test(segment)) return undefined;
  try {
    const binary = atob(segment.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (segment.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function jsonObject(segment: string): Record<string, unknown> | undefined {
  const text = base64UrlText(segment);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The masked form of a JWT-valued credential: `header.claims.••••abcd` for a signed compact JWS, `undefined` for
 * anything else (not a JWT, no `alg`, a missing or short signature), which the caller masks whole.
 */
export function maskJwt(value: string): string | undefined {
  const parts = value.split('.');
  if (parts.length !== 3) return undefined;
  const [header, claims, signature] = parts as [string, string, string];
  if (signature.length < MIN_SIGNATURE_CHARS || !SEGMENT.test(signature)) return undefined;
  const decoded = jsonObject(header);
  if (!decoded || typeof decoded.alg !== 'string' || decoded.alg.toLowerCase() === 'none') return undefined;
  if (!jsonObject(claims)) return undefined;
  return `${header}.${claims}.${MASK}${signature.slice(-4)}`;
}

/** A JWT as a person may read it: header and claims, and whether its signature is still there (never, in the log). */
export interface DecodedJwtText {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** True when the signature was masked (the log's form), false when the text held a whole JWT. */
  signatureMasked: boolean;
}

/**
 * Header and claims of a JWT as the log holds it (`header.claims.••••abcd`) or whole; `undefined` when the text is
 * not one. Never verifies anything: the signature is gone by then (see JwtSignature for what was checked).
 */
export function decodeJwtText(text: string): DecodedJwtText | undefined {
  const trimmed = text.trim();
  const parts = trimmed.split('.');
  if (parts.length !== 3) return undefined;
  const header = jsonObject(parts[0]!);
  const claims = jsonObject(parts[1]!);
  if (!header || !claims || typeof header.alg !== 'string') return undefined;
  return { header, claims, signatureMasked: parts[2]!.startsWith(MASK) };
}

/**
 * What is known about a JWT's signature. `verified`: checked here against `key`. `signed_by_mcpscope`: mcpscope
 * made it with its own key (a client assertion, a DPoP proof); that is not a verification. `not_verified`: nobody
 * here checked it (no key), the receiving server does.
 */
export interface JwtSignature {
  state: 'verified' | 'signed_by_mcpscope' | 'not_verified';
  alg?: string;
  /** The key it was checked with or signed by, as a person can recognise it (kid, thumbprint). */
  key?: string;
  /** One sentence: why this state. */
  detail: string;
}

/** A JWT shown decoded beside a finding: what it is, its header and claims, and its signature status. */
export interface JwtNote {
  /** e.g. `client assertion (private_key_jwt)`, `ID-JAG`, `DPoP proof`. */
  label: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signature: JwtSignature;
}
