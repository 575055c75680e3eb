// Sessions of local stdio servers through the registry: who may launch (the policy and the launch token), the
// summary (env names, never values), and the lifecycle: disconnect, reconnect, expiry, shutdown and a process
// that exits on its own. A fixture writes a marker file when it starts, so "nothing was launched" is checked.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
import { newOwnerId, SessionRegistry, type Session } from '@/lib/sessions';
import { launchToken, runningServerPids } from '@/lib/stdio';
import type { StdioProcessEvent } from '@/lib/trace/types';
import { waitFor } from '../fixtures/helpers';
import { createdSession } from '../sessions/helpers';

const NOISY = resolve(__dirname, 'fixtures/noisy-server.mjs');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function registry(env: Record<string, string> = {}, now?: () => number): SessionRegistry {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpscope-stdio-data-'));
  const instance = new SessionRegistry({ config: readConfig({ MCPSCOPE_DATA_DIR: dataDir, ...env }), ...(now ? { now } : {}) });
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  cleanups.push(() => instance.shutdown());
  return instance;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function target(marker: string, extra: Record<string, unknown> = {}) {
  return {
    kind: 'command',
    command: process.execPath,
    args: [NOISY],
    env: { NOISY_MARKER: marker, API_TOKEN: 'tok-9f8e7d6c5b4a' },
    ...extra,
  };
}

function markerPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcpscope-marker-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'started');
}

function pidsOf(registryLog: { events(): Array<{ kind: string }> }): number[] {
  return registryLog
    .events()
    .filter((e): e is StdioProcessEvent => e.kind === 'stdio.process' && (e as StdioProcessEvent).state === 'started')
    .map((e) => e.pid!);
}

/** A stdio session launched for a new owner with its launch token; a refused launch fails the test. */
async function launchedSession(sessions: SessionRegistry): Promise<Session> {
  const owner = newOwnerId();
  return (await createdSession(sessions, owner, target(markerPath()), { launchToken: launchToken(owner) })).session;
}

describe('stdio sessions', () => {
  it('launches with the launch token, shows the command and env names (never values), and disconnect stops it', async () => {
    const sessions = registry();
    const owner = newOwnerId();
    const marker = markerPath();
    const outcome = await sessions.create(owner, target(marker), { launchToken: launchToken(owner) });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const { summary, session } = outcome;
    expect(summary).toMatchObject({ state: 'connected', transport: 'stdio', server: { name: 'noisy-stdio' } });
    expect(summary.command).toEqual({
      command: process.execPath,
      args: [NOISY],
      envNames: ['NOISY_MARKER', 'API_TOKEN'],
      line: summary.url,
    });
    expect(JSON.stringify(summary)).not.toContain('tok-9f8e7d6c5b4a');
    expect(session.log.meta.transport).toBe('stdio');
    const pid = Number(readFileSync(marker, 'utf8'));
    expect(alive(pid)).toBe(true);

    await sessions.close(session);
    await waitFor(() => !alive(pid), 'the process to be gone');
    expect(runningServerPids()).not.toContain(pid);
  }, 30_000);

  it("refuses without the launch token, with another browser's token, and launches nothing", async () => {
    const sessions = registry();
    const owner = newOwnerId();
    const marker = markerPath();
    for (const token of [undefined, '', 'guess', launchToken(newOwnerId())]) {
      const outcome = await sessions.create(owner, target(marker), { launchToken: token });
      expect(outcome).toMatchObject({ ok: false, status: 403, body: { error: { code: 'launch_token_invalid' } } });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(marker)).toBe(false);
  });

  it.each([
    [{ MCPSCOPE_MODE: 'hosted' }, 'stdio_hosted'],
    [{ HOST: '0.0.0.0', MCPSCOPE_ACCESS_TOKEN: 'x'.repeat(32) }, 'stdio_hosted'],
    [{ HOST: '0.0.0.0', MCPSCOPE_MODE: 'local', MCPSCOPE_ACCESS_TOKEN: 'x'.repeat(32) }, 'stdio_not_loopback'],
    [{ MCPSCOPE_STDIO: '0' }, 'stdio_disabled'],
  ])('refuses on %o with %s, even with a valid token, and launches nothing', async (env, code) => {
    const sessions = registry(env);
    const owner = newOwnerId();
    const marker = markerPath();
    const outcome = await sessions.create(owner, target(marker), { launchToken: launchToken(owner) });
    expect(outcome).toMatchObject({ ok: false, status: 403, body: { error: { code } } });
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses URL-only fields on a command target and a bad command shape', async () => {
    const sessions = registry();
    const owner = newOwnerId();
    const token = launchToken(owner);
    const withHeaders = await sessions.create(owner, { ...target(markerPath()), headers: { a: 'b' } }, { launchToken: token });
    expect(withHeaders).toMatchObject({ ok: false, status: 400, body: { error: { code: 'invalid_request' } } });
    const badEnv = await sessions.create(owner, { kind: 'command', command: 'node', env: { '1BAD': 'x' } }, { launchToken: token });
    expect(badEnv).toMatchObject({ ok: false, status: 400 });
    const missing = await sessions.create(owner, { kind: 'command', command: '  ' }, { launchToken: token });
    expect(missing).toMatchObject({ ok: false, status: 400 });
  });

  it('reconnect starts a new process and stops the old one', async () => {
    const sessions = registry();
    const session = await launchedSession(sessions);
    const [first] = pidsOf(session.log);
    const summary = await sessions.reconnect(session);
    expect(summary.state).toBe('connected');
    const pids = pidsOf(session.log);
    expect(pids).toHaveLength(2);
    expect(pids[1]).not.toBe(first);
    expect(alive(first!)).toBe(false);
    expect(alive(pids[1]!)).toBe(true);
  }, 30_000);

  it('a process that exits on its own closes the session with its code and stderr, and health says so', async () => {
    const sessions = registry();
    const session = await launchedSession(sessions);
    await sessions.rpc(session, { method: 'tools/call', params: { name: 'crash', arguments: { code: 7 } } });
    await waitFor(() => session.state === 'closed', 'the session to close');
    const summary = sessions.summary(session);
    expect(summary.error?.code).toBe('process_exited');
    expect(summary.error?.message).toContain('exited with code 7');
    expect(summary.error?.message).toContain('crashing on purpose');
    expect(summary.health).toMatchObject({ status: 'session_lost', code: 'process_exited' });
    // Reconnect starts it again.
    expect((await sessions.reconnect(session)).state).toBe('connected');
  }, 30_000);

  it('expiry and shutdown stop the process group (the server and the helper it started)', async () => {
    let clock = Date.now();
    const sessions = registry({ MCPSCOPE_SESSION_IDLE_MINUTES: '1' }, () => clock);
    const owner = newOwnerId();
    const first = await sessions.create(owner, target(markerPath()), { launchToken: launchToken(owner) });
    const second = await sessions.create(owner, target(markerPath()), { launchToken: launchToken(owner) });
    if (!first.ok || !second.ok) throw new Error('did not connect');
    const helperOf = async (session: typeof first.session) => {
      const outcome = await sessions.rpc(session, { method: 'tools/call', params: { name: 'helper_pid', arguments: {} } });
      return Number((outcome as { result: { content: Array<{ text: string }> } }).result.content[0]!.text);
    };
    const firstPids = [...pidsOf(first.session.log), await helperOf(first.session)];
    const secondPids = [...pidsOf(second.session.log), await helperOf(second.session)];
    for (const pid of [...firstPids, ...secondPids]) expect(alive(pid)).toBe(true);

    clock += 2 * 60_000;
    second.session.lastActivity = clock;
    expect(await sessions.sweep()).toBe(1);
    await waitFor(() => firstPids.every((pid) => !alive(pid)), "the expired session's processes to be gone");
    expect(secondPids.every(alive)).toBe(true);

    await sessions.shutdown();
    await waitFor(() => secondPids.every((pid) => !alive(pid)), 'every process to be gone after shutdown');
  }, 40_000);
});
