// Shared setup for the OAuth tests: a throwaway store, a session log, and an MCP client over a given fetch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { openStore, SQLITE_FILE, type Store } from '@/lib/store';
import { followAuthorizationRedirects, OAuthClientFlow, type OAuthFlowOptions } from '@/lib/oauth';
import { SecretSet, TraceLog, type PhaseEvent, type TraceEvent } from '@/lib/trace';
import { postInitialize } from '../fixtures/helpers';

export interface TestStore {
  store: Store;
  dir: string;
  /** Every byte SQLite wrote (main file and write-ahead log). */
  rawBytes(): Buffer;
  close(): Promise<void>;
}

export async function tempStore(): Promise<TestStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-oauth-'));
  const store = await openStore({ dataDir: dir, databaseUrl: '', secretKey: '' });
  return {
    store,
    dir,
    rawBytes: () =>
      Buffer.concat(
        [SQLITE_FILE, `${SQLITE_FILE}-wal`]
          .map((f) => path.join(dir, f))
          .filter((f) => fs.existsSync(f))
          .map((f) => fs.readFileSync(f)),
      ),
    async close() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function newLog(serverUrl: string): { log: TraceLog; secrets: SecretSet } {
  return { log: new TraceLog({ sessionId: 'oauth-test', serverUrl, startedAt: Date.now(), transport: 'auto' }), secrets: new SecretSet() };
}

export function closedPhases(log: TraceLog): PhaseEvent[] {
  return log.events().filter((e): e is PhaseEvent => e.kind === 'phase' && e.status !== 'started');
}

/** Each phase once, with the detail it started with (what was tried) and how it ended. */
export function phaseSteps(log: TraceLog): Array<{ name: string; tried?: string; status: string; detail?: string }> {
  const started = new Map<string, string | undefined>();
  const out: Array<{ name: string; tried?: string; status: string; detail?: string }> = [];
  for (const e of log.events()) {
    if (e.kind !== 'phase') continue;
    if (e.status === 'started') started.set(e.phaseId, e.detail);
    else out.push({ name: e.name, tried: started.get(e.phaseId), status: e.status, detail: e.detail });
  }
  return out;
}

export function phase(log: TraceLog, name: string): PhaseEvent | undefined {
  return closedPhases(log).find((p) => p.name === name);
}

export function logText(log: TraceLog): string {
  return JSON.stringify(log.events());
}

export function findings(log: TraceLog): Array<Extract<TraceEvent, { kind: 'finding' }>> {
  return log.events().filter((e): e is Extract<TraceEvent, { kind: 'finding' }> => e.kind === 'finding');
}

export async function connectMcp(url: string, fetchImpl: typeof fetch): Promise<Client> {
  const client = new Client({ name: 'mcpscope-oauth-test', version: '0.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: fetchImpl }));
  return client;
}

/** Connects through `fetchImpl`, calls the OAuth fixture's `whoami` tool, and closes: who the token belongs to. */
export async function whoamiThrough(
  mcpUrl: string,
  fetchImpl: typeof fetch,
): Promise<{ sub?: string; client_id?: string; scope?: string }> {
  const client = await connectMcp(mcpUrl, fetchImpl);
  try {
    return JSON.parse(toolText(await client.callTool({ name: 'whoami', arguments: {} })));
  } finally {
    await client.close().catch(() => undefined);
  }
}

export function toolText(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.map((c) => c.text ?? '').join('');
}

/** Walks an error's causes looking for one that satisfies `test`. */
export function findCause<T>(err: unknown, test: (e: unknown) => e is T): T | undefined {
  let e: unknown = err;
  for (let i = 0; i < 8 && e; i++) {
    if (test(e)) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A first POST without a token, to get the server's 401 challenge. */
export async function challengeOf(mcpUrl: string): Promise<{ status: number; wwwAuthenticate: string | null }> {
  const response = await postInitialize(mcpUrl, '2025-06-18', '0');
  await response.body?.cancel();
  return { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate') };
}

/** Where the tests pretend mcpscope is served, and its OAuth callback there. */
export const TEST_PUBLIC_ORIGIN = 'http://localhost:3000';
export const TEST_REDIRECT_URI = `${TEST_PUBLIC_ORIGIN}/callback`;

/** A flow for the MCP server at `serverUrl`, with a fresh log; tests set what they vary (owner, client…). */
export function newFlow(
  store: Store,
  serverUrl: string,
  options: Partial<OAuthFlowOptions> = {},
): { flow: OAuthClientFlow; log: TraceLog; secrets: SecretSet } {
  const { log, secrets } = newLog(serverUrl);
  const flow = new OAuthClientFlow({ serverUrl, owner: 'owner-a', store, log, secrets, publicOrigin: TEST_PUBLIC_ORIGIN, ...options });
  return { flow, log, secrets };
}

/** The person's part of the authorization code grant: start, follow the server's redirects, hand the callback back. */
export async function authorizeFlow(flow: OAuthClientFlow, redirectUri = TEST_REDIRECT_URI) {
  const request = await flow.startAuthorization();
  const walk = await followAuthorizationRedirects(request.authorizationUrl, { redirectUri });
  if (walk.kind !== 'callback') throw new Error(`authorization stopped at ${walk.url}`);
  const view = await flow.handleCallback(walk.params);
  return { request, view };
}
