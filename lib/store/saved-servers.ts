// How a saved server is laid out in its row: the target in clear with header and environment values taken out (only
// their names stay), and those values, when the person chose to keep them, sealed apart. So a copy of the database
// tells which servers a person uses and never what unlocks them.
import type { SessionState } from '../contract';
import type { SavedServerTarget } from '../servers';
import { StoreError } from './errors';
import type { SavedServerOutcome, StoredServer } from './types';

export const MAX_SAVED_SERVERS = 500;
const MAX_NAME = 200;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const STATES: ReadonlySet<string> = new Set<SessionState>(['connecting', 'connected', 'auth_required', 'failed', 'closed']);

/** The row's `target` column. */
type ClearTarget =
  | { kind: 'url'; url: string; transport?: 'streamable-http' | 'sse'; headerNames: string[] }
  | { kind: 'command'; command: string; args: string[]; envNames: string[]; cwd?: string };

/** The row's `secrets_enc` column, before sealing. */
interface Secrets {
  headers?: Record<string, string>;
  env?: Record<string, string>;
}

export function checkServerName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME || CONTROL.test(name))
    throw new StoreError('invalid_input', `A saved server's name must be 1 to ${MAX_NAME} characters without control characters.`);
  return name;
}

/** Splits a target into what is stored in clear and the values that are secrets. */
export function splitTarget(target: SavedServerTarget): { clear: ClearTarget; secrets: Secrets } {
  if (target.kind === 'url') {
    if (typeof target.url !== 'string' || target.url === '') throw new StoreError('invalid_input', 'A saved URL server needs its url.');
    const headers = target.headers ?? {};
    return {
      clear: {
        kind: 'url',
        url: target.url,
        ...(target.transport ? { transport: target.transport } : {}),
        headerNames: Object.keys(headers),
      },
      secrets: Object.keys(headers).length > 0 ? { headers } : {},
    };
  }
  if (target.kind === 'command') {
    if (typeof target.command !== 'string' || target.command === '')
      throw new StoreError('invalid_input', 'A saved command server needs its command.');
    const env = target.env ?? {};
    return {
      clear: {
        kind: 'command',
        command: target.command,
        args: [...(target.args ?? [])],
        envNames: Object.keys(env),
        ...(target.cwd ? { cwd: target.cwd } : {}),
      },
      secrets: Object.keys(env).length > 0 ? { env } : {},
    };
  }
  throw new StoreError('invalid_input', 'A saved server\'s target must be of kind "url" or "command".');
}

export function hasSecrets(secrets: Secrets): boolean {
  return Object.keys(secrets.headers ?? {}).length + Object.keys(secrets.env ?? {}).length > 0;
}

/** The target as the person saved it (values only where kept), and the names whose values were not. */
export function joinTarget(
  clearText: string,
  secretsText: string | undefined,
): { target: SavedServerTarget; withheld: StoredServer['withheld'] } {
  const clear = JSON.parse(clearText) as ClearTarget;
  const secrets = secretsText === undefined ? {} : (JSON.parse(secretsText) as Secrets);
  if (clear.kind === 'url') {
    const kept = secrets.headers ?? {};
    const names = clear.headerNames ?? [];
    const present = names.filter((name) => Object.hasOwn(kept, name));
    const target: SavedServerTarget = { kind: 'url', url: clear.url };
    if (clear.transport) target.transport = clear.transport;
    if (present.length > 0) target.headers = Object.fromEntries(present.map((name) => [name, kept[name]!]));
    return { target, withheld: { headers: names.filter((name) => !Object.hasOwn(kept, name)), env: [] } };
  }
  const kept = secrets.env ?? {};
  const names = clear.envNames ?? [];
  const present = names.filter((name) => Object.hasOwn(kept, name));
  const target: SavedServerTarget = {
    kind: 'command',
    command: clear.command,
    args: clear.args ?? [],
    env: Object.fromEntries(present.map((name) => [name, kept[name]!])),
  };
  if (clear.cwd) target.cwd = clear.cwd;
  return { target, withheld: { headers: [], env: names.filter((name) => !Object.hasOwn(kept, name)) } };
}

export function checkOutcome(outcome: SavedServerOutcome): void {
  if (!outcome || !STATES.has(outcome.state))
    throw new StoreError('invalid_input', `A server's outcome state must be one of ${[...STATES].join(', ')}.`);
  if (outcome.errorCode !== undefined && (typeof outcome.errorCode !== 'string' || outcome.errorCode.length > 100))
    throw new StoreError('invalid_input', "A server's outcome error code must be a string of at most 100 characters.");
}

export function outcomeFrom(
  state: string | undefined,
  at: number | undefined,
  errorCode: string | undefined,
): SavedServerOutcome | undefined {
  if (state === undefined || at === undefined || !STATES.has(state)) return undefined;
  return { state: state as SessionState, at, ...(errorCode ? { errorCode } : {}) };
}
