// Who owns a session: an identity mcpscope issues, never one a client makes up. The owner cookie holds a random
// id and an HMAC of it, keyed by a key derived from the instance's secret key; a cookie that does not verify
// (invented, altered, or from before identities were signed) is no identity at all, and the client gets a
// fresh one. This is the one reader of the cookie: the proxy, the routes and lib/direct-rpc all ask here.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { deriveKey, loadInstanceSecretKey } from '../store';
import { cookieValue } from './admit';

export const OWNER_COOKIE = 'mcpscope_owner';
const ID_BYTES = 16;
/** HMAC-SHA256 cut to 128 bits: as hard to forge as the id is to guess. */
const TAG_BYTES = 16;
/** base64url of id ‖ tag: 43 characters, no padding. */
const COOKIE_FORMAT = /^[A-Za-z0-9_-]{43}$/;
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;
const KEY_PURPOSE = 'owner-cookie-v1';
const KEY_HOLDER = Symbol.for('mcpscope.owner-signing-key');

/** A fresh owner id (22 characters); it becomes an identity once signed into a cookie. */
export function newOwnerId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

/** The signing key for owner cookies, derived from a secret key (instances sharing one accept each other's owners). */
export function ownerSigningKey(secretKey: Uint8Array): Buffer {
  return deriveKey(secretKey, KEY_PURPOSE);
}

function processKey(): Buffer {
  // On globalThis: Next.js may load this module more than once, and every copy must sign alike.
  const holder = globalThis as typeof globalThis & { [KEY_HOLDER]?: Buffer };
  if (!holder[KEY_HOLDER]) {
    try {
      holder[KEY_HOLDER] = ownerSigningKey(loadInstanceSecretKey());
    } catch (error) {
      // The store reports a bad key wherever it is used; owners still work, for this process's lifetime only.
      console.error(
        `mcpscope: cannot load the secret key (${error instanceof Error ? error.message : String(error)}); owner cookies are signed with a key for this run only, so browsers get new identities after a restart.`,
      );
      holder[KEY_HOLDER] = randomBytes(32);
    }
  }
  return holder[KEY_HOLDER];
}

function tag(key: Uint8Array, id: Buffer): Buffer {
  return createHmac('sha256', key).update('mcpscope owner\0').update(id).digest().subarray(0, TAG_BYTES);
}

/** The cookie value for an owner id: the id and its tag. */
export function signOwner(ownerId: string, key: Uint8Array = processKey()): string {
  const id = Buffer.from(ownerId, 'base64url');
  if (id.length !== ID_BYTES || id.toString('base64url') !== ownerId) throw new TypeError('not an owner id made by newOwnerId()');
  return Buffer.concat([id, tag(key, id)]).toString('base64url');
}

/** The owner id a cookie value vouches for, or undefined when mcpscope did not issue it. */
export function verifyOwner(value: string | undefined, key: Uint8Array = processKey()): string | undefined {
  if (value === undefined || !COOKIE_FORMAT.test(value)) return undefined;
  let verified = verifiedOwners.get(key);
  const known = verified?.get(value);
  if (known !== undefined) return known;
  const raw = Buffer.from(value, 'base64url');
  if (raw.length !== ID_BYTES + TAG_BYTES) return undefined;
  const id = raw.subarray(0, ID_BYTES);
  if (!timingSafeEqual(raw.subarray(ID_BYTES), tag(key, id))) return undefined;
  const ownerId = id.toString('base64url');
  if (!verified) verifiedOwners.set(key, (verified = new Map()));
  if (verified.size >= VERIFIED_OWNERS_KEPT) verified.clear();
  verified.set(value, ownerId);
  return ownerId;
}

/**
 * Cookie values already verified, per key: every request (each tool call) shows the same cookie, and an HMAC per
 * request was ~2% of a call's CPU (README § Latency budget). Only values that verified are kept, so a forged one
 * is checked (and refused) every time; bounded, since each browser brings one.
 */
const verifiedOwners = new WeakMap<Uint8Array, Map<string, string>>();
const VERIFIED_OWNERS_KEPT = 4096;

/** The owner a Cookie header proves, if any. */
export function ownerFromCookieHeader(header: string | null | undefined): string | undefined {
  return verifyOwner(cookieValue(header, OWNER_COOKIE));
}

/** A Set-Cookie value carrying the owner's signed id; `secure` when mcpscope is served over https. */
export function ownerCookieHeader(ownerId: string, secure: boolean): string {
  return `${OWNER_COOKIE}=${signOwner(ownerId)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${ONE_YEAR_SECONDS}${secure ? '; Secure' : ''}`;
}
