// Encryption at rest: AES-256-GCM with a random 96-bit nonce per value. The associated data names what the
// value is and whose it is (e.g. `token:access|owner|resource`), so a ciphertext copied into another row
// fails to decrypt instead of handing one user's token to another.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from './errors';
import { makePrivateDir } from './private-files';

const VERSION = 'v1';
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_FILE = 'secret.key';

export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== KEY_BYTES) {
      throw new StoreError('invalid_secret_key', `The encryption key must be ${KEY_BYTES} bytes; got ${key.length}.`);
    }
    this.key = Buffer.from(key);
  }

  /** `v1:<base64(nonce | tag | ciphertext)>` */
  seal(plaintext: string, context: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(sealed: string, context: string): string {
    const [version, payload] = sealed.split(':', 2);
    if (version !== VERSION || !payload) {
      throw new StoreError('decrypt_failed', 'A stored secret is not in a format this version can read.');
    }
    const raw = Buffer.from(payload, 'base64');
    if (raw.length < NONCE_BYTES + TAG_BYTES) {
      throw new StoreError('decrypt_failed', 'A stored secret is truncated.');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new StoreError(
        'decrypt_failed',
        'A stored secret could not be decrypted: the encryption key changed (MCPSCOPE_SECRET_KEY or secret.key) or the value was tampered with.',
        { cause },
      );
    }
  }
}

/** Parses MCPSCOPE_SECRET_KEY: base64 (or base64url) of exactly 32 bytes. */
export function parseSecretKey(value: string): Buffer {
  const trimmed = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new StoreError('invalid_secret_key', 'MCPSCOPE_SECRET_KEY must be base64 of 32 random bytes (e.g. `openssl rand -base64 32`).');
  }
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new StoreError(
      'invalid_secret_key',
      `MCPSCOPE_SECRET_KEY decodes to ${key.length} bytes; it must be 32 (e.g. \`openssl rand -base64 32\`).`,
    );
  }
  return key;
}

/**
 * The key from `secretKey` when given, else `<dataDir>/secret.key`, created with mode 0600 on first start.
 */
export function loadOrCreateSecretKey(dataDir: string, secretKey?: string): Buffer {
  if (secretKey !== undefined && secretKey.trim() !== '') return parseSecretKey(secretKey);
  const file = path.join(dataDir, SECRET_KEY_FILE);
  makePrivateDir(dataDir);
  if (!fs.existsSync(file)) {
    // Written whole to a private temp file, then linked into place: link fails if another process won the
    // race, and nobody ever reads a half-written key.
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      fs.writeFileSync(temp, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      fs.linkSync(temp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StoreError('invalid_secret_key', `Could not create the encryption key file ${file}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  const content = fs.readFileSync(file, 'utf8');
  try {
    return parseSecretKey(content);
  } catch (err) {
    throw new StoreError('invalid_secret_key', `${file} does not hold a valid key: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * A key for one purpose derived from the instance's secret key (HKDF-SHA256, the purpose as `info`), so no other
 * use (e.g. signing owner cookies) ever holds the encryption key itself. Deterministic: instances that share
 * MCPSCOPE_SECRET_KEY (or a data directory's secret.key) derive the same key.
 */
export function deriveKey(secretKey: Uint8Array, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, new Uint8Array(0), `mcpscope:${purpose}`, KEY_BYTES));
}
