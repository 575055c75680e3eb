export type StoreErrorCode = 'invalid_secret_key' | 'secret_key_mismatch' | 'decrypt_failed' | 'store_unavailable' | 'invalid_input';

/** A failure of persistence itself: a bad key, a tampered value, a database that cannot be reached. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}
