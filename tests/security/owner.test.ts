// Owner identities are issued by mcpscope: a cookie is an owner only if mcpscope signed it (issue 12: a flood
// where every request carried a freshly invented owner cookie, each one a new "browser" with its own budget).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  newOwnerId,
  OWNER_COOKIE,
  ownerCookieHeader,
  ownerFromCookieHeader,
  ownerSigningKey,
  signOwner,
  verifyOwner,
} from '@/lib/security';
import { deriveKey, loadInstanceSecretKey, parseSecretKey } from '@/lib/store';

const SECRET = randomBytes(32).toString('base64');

describe('signed owner ids', () => {
  it('an issued cookie proves its owner, to this instance and to any other sharing MCPSCOPE_SECRET_KEY', () => {
    const one = ownerSigningKey(loadInstanceSecretKey({ MCPSCOPE_SECRET_KEY: SECRET }));
    const other = ownerSigningKey(loadInstanceSecretKey({ MCPSCOPE_SECRET_KEY: SECRET, MCPSCOPE_DATA_DIR: '/nonexistent-never-read' }));
    const id = newOwnerId();
    const cookie = signOwner(id, one);
    expect(verifyOwner(cookie, one)).toBe(id);
    expect(verifyOwner(cookie, other)).toBe(id);
    // Another instance's key (another MCPSCOPE_SECRET_KEY) does not accept it.
    expect(verifyOwner(cookie, ownerSigningKey(randomBytes(32)))).toBeUndefined();
  });

  it('does not sign with the encryption key itself', () => {
    const secret = parseSecretKey(SECRET);
    const key = ownerSigningKey(secret);
    expect(key.equals(secret)).toBe(false);
    expect(key.equals(deriveKey(secret, 'owner-cookie-v1'))).toBe(true);
    expect(key.equals(deriveKey(secret, 'something-else'))).toBe(false);
  });

  it('refuses invented, altered and transplanted cookies', () => {
    const key = ownerSigningKey(parseSecretKey(SECRET));
    const id = newOwnerId();
    const good = signOwner(id, key);
    const raw = Buffer.from(good, 'base64url');
    const flip = (index: number) => {
      const copy = Buffer.from(raw);
      copy[index] = copy[index]! ^ 1;
      return copy.toString('base64url');
    };
    expect(verifyOwner(flip(0), key)).toBeUndefined(); // the id changed: the tag no longer fits
    expect(verifyOwner(flip(raw.length - 1), key)).toBeUndefined(); // the tag changed
    // Someone else's id with my tag.
    const mine = Buffer.from(signOwner(newOwnerId(), key), 'base64url');
    expect(verifyOwner(Buffer.concat([Buffer.from(id, 'base64url'), mine.subarray(16)]).toString('base64url'), key)).toBeUndefined();
    for (const invented of ['A'.repeat(32), 'A'.repeat(43), id, `${good}x`, good.slice(1), '', 'x.y']) {
      expect(verifyOwner(invented, key), invented).toBeUndefined();
    }
  });

  it('remembers a verified cookie for its key only: once it was read, an altered copy is still refused, and another key still refuses it', () => {
    const key = ownerSigningKey(parseSecretKey(SECRET));
    const id = newOwnerId();
    const good = signOwner(id, key);
    expect(verifyOwner(good, key)).toBe(id);
    expect(verifyOwner(good, key)).toBe(id);
    const altered = Buffer.from(good, 'base64url');
    altered[altered.length - 1] = altered[altered.length - 1]! ^ 1;
    expect(verifyOwner(altered.toString('base64url'), key)).toBeUndefined();
    expect(verifyOwner(good, ownerSigningKey(randomBytes(32)))).toBeUndefined();
  });

  it('a cookie-minting flood mints nobody: a thousand invented cookies are a thousand non-owners', () => {
    const key = ownerSigningKey(parseSecretKey(SECRET));
    let accepted = 0;
    for (let i = 0; i < 1000; i++) if (verifyOwner(randomBytes(32).toString('base64url'), key) !== undefined) accepted += 1;
    expect(accepted).toBe(0);
  });

  it('the process signs and reads its own cookies through the Cookie header', () => {
    const id = newOwnerId();
    const setCookie = ownerCookieHeader(id, false);
    const value = setCookie.split(';')[0]!;
    expect(value).toBe(`${OWNER_COOKIE}=${signOwner(id)}`);
    expect(ownerFromCookieHeader(`a=1; ${value}; b=2`)).toBe(id);
    expect(ownerFromCookieHeader(`${OWNER_COOKIE}=${id}`)).toBeUndefined();
    expect(ownerFromCookieHeader(undefined)).toBeUndefined();
  });

  it('signs only ids it made', () => {
    expect(() => signOwner('not-an-owner-id')).toThrow(TypeError);
  });
});
