// Checks a `POST /api/sessions/:id/share` body. Unknown fields are refused, so a typo (`maskQueries`) does not
// silently share more than the person meant to.
import type { ShareRequestBody, ShareSelection } from './document';
import { DEFAULT_SHARE_EXPIRY_DAYS, MAX_SHARE_EXPIRY_DAYS } from './config';
import { ShareError } from './errors';
import { isJsonObject } from '../json';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_EXCHANGE_IDS = 100_000;

const FIELDS: ReadonlySet<keyof ShareRequestBody> = new Set([
  'range',
  'exchangeIds',
  'untilSeq',
  'maskQuery',
  'maskArguments',
  'maskResults',
  'expiresInDays',
  'expiresInSeconds',
]);

export interface ParsedShareRequest {
  selection: ShareSelection;
  /** Milliseconds the link lives; `null` for never. */
  expiresInMs: number | null;
}

function invalid(message: string): never {
  throw new ShareError('invalid_request', message);
}

function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') invalid(`"${key}" must be true or false.`);
  return value;
}

export function parseShareRequest(body: unknown): ParsedShareRequest {
  if (body === undefined || body === null) body = {};
  if (!isJsonObject(body)) invalid('The request body must be a JSON object.');
  const unknown = Object.keys(body).filter((key) => !FIELDS.has(key as keyof ShareRequestBody));
  if (unknown.length > 0) {
    invalid(
      `Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; expected ${[...FIELDS].join(', ')}.`,
    );
  }

  const selection: ShareSelection = {};
  if (body.range !== undefined) {
    const range = body.range;
    if (
      !isJsonObject(range) ||
      typeof range.from !== 'number' ||
      typeof range.to !== 'number' ||
      !Number.isFinite(range.from) ||
      !Number.isFinite(range.to)
    ) {
      invalid('"range" must be {from, to}: milliseconds since the session started.');
    }
    if (range.from > range.to) invalid(`"range.from" (${range.from}) is after "range.to" (${range.to}).`);
    selection.range = { from: range.from, to: range.to };
  }
  if (body.exchangeIds !== undefined) {
    const ids = body.exchangeIds;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) invalid('"exchangeIds" must be a list of exchange ids (strings).');
    if (ids.length === 0) invalid('"exchangeIds" is empty: choose at least one exchange, or leave the field out to share everything.');
    if (ids.length > MAX_EXCHANGE_IDS) invalid(`"exchangeIds" holds more than ${MAX_EXCHANGE_IDS} ids.`);
    selection.exchangeIds = ids as string[];
  }
  if (body.untilSeq !== undefined) {
    const seq = body.untilSeq;
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) invalid('"untilSeq" must be a non-negative integer (an event seq).');
    selection.untilSeq = seq;
  }
  for (const key of ['maskQuery', 'maskArguments', 'maskResults'] as const) {
    const value = optionalBoolean(body, key);
    if (value !== undefined) selection[key] = value;
  }

  return { selection, expiresInMs: parseExpiry(body) };
}

function parseExpiry(body: Record<string, unknown>): number | null {
  const maxSeconds = MAX_SHARE_EXPIRY_DAYS * 24 * 60 * 60;
  if (body.expiresInSeconds !== undefined) {
    const seconds = body.expiresInSeconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > maxSeconds) {
      invalid(`"expiresInSeconds" must be a number of seconds above 0 and at most ${maxSeconds} (${MAX_SHARE_EXPIRY_DAYS} days).`);
    }
    return Math.round(seconds * 1000);
  }
  const days = body.expiresInDays;
  if (days === undefined) return DEFAULT_SHARE_EXPIRY_DAYS * DAY_MS;
  if (days === null) return null;
  if (typeof days !== 'number' || !Number.isFinite(days) || days <= 0 || days > MAX_SHARE_EXPIRY_DAYS) {
    invalid(
      `"expiresInDays" must be a number of days above 0 and at most ${MAX_SHARE_EXPIRY_DAYS} (fractions allowed), or null for a link that never expires.`,
    );
  }
  return Math.round(days * DAY_MS);
}
