// From a saved server to the request that connects to it (`POST /api/sessions`), with the values a person typed for
// what was not kept (withheld header and env values) or was a client's placeholder (`${input:token}`). Nothing is
// sent with a placeholder still in it: the server would get `${input:token}` as a credential, or the process
// `${workspaceFolder}` as a path. Pure and browser-safe.
import type { CommandSessionRequest, CreateSessionRequest } from '../contract';
import type { SavedServerTarget } from './types';

const PLACEHOLDER = /\$\{[^{}\s]{1,200}\}/;

/** What a person typed for the server's withheld or placeholder values. */
export interface FilledValues {
  headers?: Record<string, string>;
  env?: Record<string, string>;
}

export interface MissingValue {
  /** `header` and `env` values can be typed in; the others mean editing the saved server. */
  field: 'header' | 'env' | 'url' | 'command' | 'args' | 'cwd';
  /** The header or variable name; for args, the argument's index. */
  name: string;
  reason: 'withheld' | 'placeholder';
}

export type ConnectPlan =
  { ok: true; request: CreateSessionRequest | CommandSessionRequest } | { ok: false; missing: MissingValue[]; message: string };

export interface ConnectableServer {
  name: string;
  target: SavedServerTarget;
  /** The names whose values the store did not keep (StoredServer.withheld). */
  withheld?: { headers: string[]; env: string[] };
}

/** The session request for `server`, or what is still missing before there can be one. */
export function planConnect(server: ConnectableServer, filled: FilledValues = {}): ConnectPlan {
  const missing: MissingValue[] = [];
  const { target } = server;
  let request: CreateSessionRequest | CommandSessionRequest;
  if (target.kind === 'url') {
    const headers = fill(target.headers ?? {}, server.withheld?.headers ?? [], filled.headers, 'header', missing);
    if (PLACEHOLDER.test(target.url)) missing.push({ field: 'url', name: 'url', reason: 'placeholder' });
    request = {
      kind: 'url',
      url: target.url,
      transport: target.transport ?? 'auto',
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
    };
  } else {
    const env = fill(target.env, server.withheld?.env ?? [], filled.env, 'env', missing);
    if (PLACEHOLDER.test(target.command)) missing.push({ field: 'command', name: 'command', reason: 'placeholder' });
    target.args.forEach((arg, index) => {
      if (PLACEHOLDER.test(arg)) missing.push({ field: 'args', name: String(index), reason: 'placeholder' });
    });
    if (target.cwd && PLACEHOLDER.test(target.cwd)) missing.push({ field: 'cwd', name: 'cwd', reason: 'placeholder' });
    request = { kind: 'command', command: target.command, args: [...target.args], env, ...(target.cwd ? { cwd: target.cwd } : {}) };
  }
  if (missing.length === 0) return { ok: true, request };
  return { ok: false, missing, message: describeMissing(server.name, missing) };
}

/** The saved values, the typed ones over them; every withheld name or placeholder value not typed is missing. */
function fill(
  saved: Record<string, string>,
  withheld: readonly string[],
  typed: Record<string, string> | undefined,
  field: 'header' | 'env',
  missing: MissingValue[],
): Record<string, string> {
  const names = [...Object.keys(saved), ...withheld.filter((name) => !Object.hasOwn(saved, name))];
  const values: Array<[string, string]> = [];
  for (const name of names) {
    const value = typed && Object.hasOwn(typed, name) ? typed[name]! : saved[name];
    if (value === undefined) missing.push({ field, name, reason: 'withheld' });
    else if (PLACEHOLDER.test(value)) missing.push({ field, name, reason: 'placeholder' });
    else values.push([name, value]);
  }
  return Object.fromEntries(values);
}

function describeMissing(name: string, missing: readonly MissingValue[]): string {
  const typed = missing
    .filter((m) => m.field === 'header' || m.field === 'env')
    .map((m) => `${m.field === 'header' ? 'header' : '$'}${m.field === 'header' ? ` ${m.name}` : m.name}`);
  const edited = missing
    .filter((m) => m.field !== 'header' && m.field !== 'env')
    .map((m) => (m.field === 'args' ? `argument ${Number(m.name) + 1}` : m.field));
  const parts: string[] = [];
  if (typed.length > 0) parts.push(`fill in ${typed.join(', ')}`);
  if (edited.length > 0)
    parts.push(
      `edit the ${edited.join(', ')}, which still hold${edited.length === 1 ? 's' : ''} a placeholder only the client that wrote it expands`,
    );
  return `Before connecting to "${name}": ${parts.join('; and ')}.`;
}
