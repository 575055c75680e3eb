export const STORE_ERROR_CODES = [
  'invalid_secret_key',
  'secret_key_mismatch',
  'decrypt_failed',
  'store_unavailable',
  'invalid_input',
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];
const STORE_CODES: ReadonlySet<string> = new Set(STORE_ERROR_CODES);

/** A failure of persistence itself: a bad key, a tampered value, a database that cannot be reached. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** Recognised by name and code, not by class (see isEngineError in lib/mcp/errors.ts for why). */
export function isStoreError(value: unknown): value is StoreError {
  return value instanceof Error && value.name === 'StoreError' && STORE_CODES.has((value as { code?: unknown }).code as string);
}
