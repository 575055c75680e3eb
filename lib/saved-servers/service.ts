// What the /api/servers routes do: a person's saved servers (lib/store) read from the connect form or a config file
// (lib/servers checks both by the same rules), written back as a client's snippet, and connected to through the same
// session registry as POST /api/sessions, so a command passes the same launch policy and token. Header and env
// values never leave here: a view names them and says which are kept.
import {
  connectServerRequestSchema,
  exportServersRequestSchema,
  formatCommandLine,
  importServersRequestSchema,
  saveServerRequestSchema,
  type ApiErrorBody,
  type ImportServersResponse,
  type SavedServerEntryView,
  type SavedServerView,
  type SavedTargetView,
  type SessionSummary,
} from '../contract';
import {
  checkSavedServer,
  type ExportedSnippet,
  credentialsInClear,
  exportServers,
  parseServerConfig,
  planConnect,
  type ImportProblem,
  type SavedServerDraft,
  type SavedServerTarget,
} from '../servers';
import { parseBody, type CreateOptions, type SessionRegistry } from '../sessions';
import type { Store, StoredServer } from '../store';
import { MASK, maskUrl } from '../trace';

/** A route's answer: a JSON body and its status. */
export interface Answer<T = unknown> {
  status: number;
  body: T | ApiErrorBody;
}

const error = (status: number, code: string, message: string, extra: object = {}): Answer<never> => ({
  status,
  body: { error: { code, message }, ...extra },
});

const NOT_FOUND = 'No saved server of that id here: it may have been removed, or it belongs to another browser.';

/** The target without header or env values; credentials in clear elsewhere (URL, arguments) masked. */
export function viewTarget(target: SavedServerTarget, withheld: StoredServer['withheld'] = { headers: [], env: [] }): SavedTargetView {
  const names = (values: Record<string, string>, more: readonly string[]) => [...new Set([...Object.keys(values), ...more])];
  const inClear = new Set(credentialsInClear(target));
  if (target.kind === 'url') {
    return {
      kind: 'url',
      url: maskUrl(target.url),
      ...(target.transport ? { transport: target.transport } : {}),
      headerNames: names(target.headers ?? {}, withheld.headers),
    };
  }
  const args = target.args.map((arg, index) => (inClear.has(`args.${index}`) ? maskArgument(arg) : arg));
  return {
    kind: 'command',
    command: target.command,
    args,
    envNames: names(target.env, withheld.env),
    ...(target.cwd ? { cwd: target.cwd } : {}),
    line: formatCommandLine(target.command, args),
  };
}

/** `--token=abc` keeps its option name; a bare value or a URL with a password is masked as lib/trace masks it. */
function maskArgument(arg: string): string {
  const masked = maskUrl(arg);
  if (masked !== arg) return masked;
  const option = /^(--?[A-Za-z][\w-]*=)/.exec(arg);
  return option ? `${option[1]}${MASK}` : MASK;
}

function viewDraft(draft: Pick<SavedServerDraft, 'name' | 'target' | 'placeholders'>): SavedServerEntryView {
  return { name: draft.name, target: viewTarget(draft.target), placeholders: draft.placeholders };
}

function placeholdersOf(target: SavedServerTarget): string[] {
  const values =
    target.kind === 'url'
      ? [target.url, ...Object.values(target.headers ?? {})]
      : [target.command, ...target.args, ...Object.values(target.env), target.cwd ?? ''];
  const found = new Set<string>();
  for (const value of values) for (const match of value.matchAll(/\$\{[^{}\s]{1,200}\}/g)) found.add(match[0]);
  return [...found];
}

export function viewServer(server: StoredServer): SavedServerView {
  const plan = planConnect(server);
  return {
    name: server.name,
    target: viewTarget(server.target, server.withheld),
    placeholders: placeholdersOf(server.target),
    id: server.id,
    secretsKept: server.secretsKept,
    withheld: server.withheld,
    needs: plan.ok ? [] : plan.missing,
    ...(server.lastOutcome ? { lastOutcome: server.lastOutcome } : {}),
    createdAt: server.createdAt,
    updatedAt: server.updatedAt,
  };
}

export async function listSaved(store: Store, owner: string): Promise<SavedServerView[]> {
  return (await store.listServers(owner)).map(viewServer);
}

function firstError(problems: readonly ImportProblem[]): ImportProblem | undefined {
  return problems.find((problem) => problem.severity === 'error');
}

/** `POST /api/servers`: saves (or replaces, by name) a server from the connect form. */
export async function saveFromForm(store: Store, owner: string, body: unknown): Promise<Answer<SavedServerView>> {
  const input = parseBody(saveServerRequestSchema, body);
  const checked = checkSavedServer(input.name, input.target);
  const problem = firstError(checked.problems);
  if (!checked.draft || problem)
    return error(400, 'invalid_request', problem?.message ?? 'The server cannot be saved.', { problems: checked.problems });
  const saved = await store.saveServer({ owner, name: checked.draft.name, target: checked.draft.target, keepSecrets: input.keepSecrets });
  return { status: 201, body: { ...viewServer(saved), ...(checked.problems.length > 0 ? { problems: checked.problems } : {}) } };
}

/** `PUT /api/servers/:id`: replaces a saved server (its name may change; another server's name may not be taken). */
export async function updateSaved(store: Store, owner: string, id: string, body: unknown): Promise<Answer<SavedServerView>> {
  const existing = await store.getServer(owner, id);
  if (!existing) return error(404, 'not_found', NOT_FOUND);
  const input = parseBody(saveServerRequestSchema, body);
  const checked = checkSavedServer(input.name, input.target);
  const problem = firstError(checked.problems);
  if (!checked.draft || problem)
    return error(400, 'invalid_request', problem?.message ?? 'The server cannot be saved.', { problems: checked.problems });
  const name = checked.draft.name;
  if (name !== existing.name && (await store.listServers(owner)).some((server) => server.name === name))
    return error(409, 'name_taken', `Another saved server is named "${name}"; choose another name or remove that one first.`);
  const saved = await store.saveServer({ owner, name, target: checked.draft.target, keepSecrets: input.keepSecrets });
  // The store keys a server by name: a rename saves it anew and forgets the old name.
  if (name !== existing.name) await store.forgetServer(owner, existing.id);
  return { status: 200, body: viewServer(saved) };
}

export async function forgetSaved(store: Store, owner: string, id: string): Promise<Answer<{ removed: true }>> {
  if (!(await store.forgetServer(owner, id))) return error(404, 'not_found', NOT_FOUND);
  return { status: 200, body: { removed: true } };
}

/** `POST /api/servers/import`: reads a config file; saves what read cleanly (or what `names` picks) unless a preview. */
export async function importConfig(store: Store, owner: string, body: unknown): Promise<Answer<ImportServersResponse>> {
  const input = parseBody(importServersRequestSchema, body);
  const result = parseServerConfig(input.text);
  const answer: ImportServersResponse = { servers: result.servers.map(viewDraft), problems: result.problems, sections: result.sections };
  if (input.preview) return { status: 200, body: answer };
  const wanted = input.names ? new Set(input.names) : undefined;
  const chosen = result.servers.filter((server) => !wanted || wanted.has(server.name));
  const saved: SavedServerView[] = [];
  for (const server of chosen) {
    saved.push(viewServer(await store.saveServer({ owner, name: server.name, target: server.target, keepSecrets: input.keepSecrets })));
  }
  return { status: saved.length > 0 ? 201 : 200, body: { ...answer, saved } };
}

/** `POST /api/servers/export`: one snippet for the client asked, of the servers named (or all). */
export async function exportSaved(store: Store, owner: string, body: unknown): Promise<Answer<ExportedSnippet>> {
  const input = parseBody(exportServersRequestSchema, body);
  const all = await store.listServers(owner);
  let chosen = all;
  if (input.ids) {
    const byId = new Map(all.map((server) => [server.id, server]));
    const missing = input.ids.filter((id) => !byId.has(id));
    if (missing.length > 0) return error(404, 'not_found', NOT_FOUND);
    chosen = input.ids.map((id) => byId.get(id)!);
  }
  if (chosen.length === 0) return error(404, 'not_found', 'There are no saved servers to export.');
  return { status: 200, body: exportServers(chosen, input.format, { keepSecrets: input.keepSecrets === true }) };
}

/**
 * `POST /api/servers/:id/connect`: a session for the saved server, with the values the person typed. The request goes
 * through `registry.create` like any POST /api/sessions: a command needs the launch token and is refused in hosted mode.
 * How it went is remembered on the saved server (once the handshake is over, when it is answered before).
 */
export async function connectSaved(
  store: Store,
  registry: SessionRegistry,
  owner: string,
  id: string,
  body: unknown,
  options: CreateOptions,
): Promise<Answer<SessionSummary>> {
  const server = await store.getServer(owner, id);
  if (!server) return error(404, 'not_found', NOT_FOUND);
  const input = parseBody(connectServerRequestSchema, body ?? {});
  const plan = planConnect(server, { headers: input.headers, env: input.env });
  if (!plan.ok) return error(400, 'values_missing', plan.message, { missing: plan.missing });
  const request = {
    ...plan.request,
    ...(input.timeouts ? { timeouts: input.timeouts } : {}),
    ...(input.wait !== undefined ? { wait: input.wait } : {}),
  };
  const outcome = await registry.create(owner, request, options);
  const remember = (state: SessionSummary['state'], errorCode?: string) =>
    store
      .recordServerOutcome(owner, id, { state, at: Date.now(), ...(errorCode ? { errorCode } : {}) })
      .catch((cause: unknown) => console.error('saved server outcome not recorded', cause));
  if (!outcome.ok) {
    // A refusal before any session (launch token, limits) is not how the server answered: only a failed connect is.
    if (outcome.body.sessionId) await remember('failed', outcome.body.error.code);
    return { status: outcome.status, body: outcome.body };
  }
  const { summary, session } = outcome;
  if (summary.state !== 'connecting') await remember(summary.state, summary.error?.code);
  else {
    const stop = registry.subscribeSummary(session, (next) => {
      if (next.state === 'connecting') return;
      stop();
      void remember(next.state, next.error?.code);
    });
  }
  return { status: summary.state === 'connecting' ? 202 : 201, body: summary };
}
