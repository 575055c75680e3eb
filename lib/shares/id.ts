// Share ids are the only thing protecting a shared log, so they are long random strings (144 bits).
import { randomBytes } from 'node:crypto';

const ID_BYTES = 18;
const ID_FORMAT = /^[A-Za-z0-9_-]{24}$/;

export function newShareId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

/** Anything else is refused before the store is asked (and keeps internal rows out of reach). */
export function isShareId(id: string): boolean {
  return ID_FORMAT.test(id);
}
