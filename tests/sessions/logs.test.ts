import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readConfig } from '@/lib/config';
import { createEventStream, SessionRegistry, type Session } from '@/lib/sessions';
import { removeLeftovers, SpillFile, SpillFolder } from '@/lib/sessions/spill';
import { toHar, toJsonExport, TraceLog, type TraceEvent } from '@/lib/trace';
import { startModernServer, startStatefulServer, type TestServer } from '../mcp/servers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-logs-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function registry(env: Record<string, string> = {}) {
  const dataDir = tempDir();
  const instance = new SessionRegistry({ config: readConfig({ MCPSCOPE_DATA_DIR: dataDir, ...env }) });
  cleanups.push(() => instance.shutdown());
  return { instance, dataDir };
}

async function server(start: () => Promise<TestServer>): Promise<TestServer> {
  const started = await start();
  cleanups.push(() => started.close());
  return started;
}

async function connected(instance: SessionRegistry, url: string): Promise<Session> {
  const outcome = await instance.create('owner-a', { url });
  if (!outcome.ok) throw new Error(`connect failed: ${JSON.stringify(outcome.body)}`);
  return outcome.session;
}

/** The spilled files under a data dir, with their modes. */
function spilledFiles(dataDir: string): Array<{ file: string; mode: number }> {
  const root = path.join(dataDir, 'session-logs');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).flatMap((folder) =>
    fs.readdirSync(path.join(root, folder)).map((name) => {
      const file = path.join(root, folder, name);
      return { file, mode: fs.statSync(file).mode & 0o777 };
    }),
  );
}

const FIXED = new Date('2026-01-01T00:00:00Z');
const exportText = (log: TraceLog) => JSON.stringify(toJsonExport(log, FIXED));
const harText = (log: TraceLog) => JSON.stringify(toHar(log.meta, log.events()));

describe('SpillFile', () => {
  function events(from: number, to: number): TraceEvent[] {
    return Array.from(
      { length: to - from + 1 },
      (_, i) => ({ kind: 'finding', severity: 'info', code: 'n', message: `é€ ${from + i}`, seq: from + i, t: from + i }) as TraceEvent,
    );
  }

  it('writes events one per line with mode 0600 and reads any slice back by seq', async () => {
    const folder = new SpillFolder(tempDir());
    const file = folder.fileFor('0b0c4a4e-0000-4000-8000-000000000001');
    await file.append(events(1, 2_000));
    await file.append(events(2_001, 2_500));
    expect(file.count).toBe(2_500);
    expect(file.lastSeq).toBe(2_500);
    expect(fs.statSync(file.file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file.file)).mode & 0o777).toBe(0o700);
    expect(file.read(0)).toEqual(events(1, 2_500));
    expect(file.read(1_234, 3)).toEqual(events(1_235, 1_237));
    expect(file.read(2_499)).toEqual(events(2_500, 2_500));
    expect(file.read(2_500)).toEqual([]);
    await expect(file.append(events(10, 10))).rejects.toThrow(/not after the last one/);
    file.remove();
    expect(fs.existsSync(file.file)).toBe(false);
  });

  it('removes what dead processes left behind, never a live process’s folder', () => {
    const root = path.join(tempDir(), 'session-logs');
    fs.mkdirSync(path.join(root, '999999999-abc'), { recursive: true });
    fs.writeFileSync(path.join(root, '999999999-abc', 'x.jsonl'), '{}\n');
    fs.mkdirSync(path.join(root, `${process.pid}-def`));
    fs.mkdirSync(path.join(root, 'not-ours'));
    expect(removeLeftovers(root)).toBe(1);
    expect(fs.readdirSync(root).sort()).toEqual([`${process.pid}-def`, 'not-ours'].sort());
  });

  it('cleans leftovers when it first makes its own folder', () => {
    const dataDir = tempDir();
    fs.mkdirSync(path.join(dataDir, 'session-logs', '999999998-zz'), { recursive: true });
    new SpillFolder(dataDir).fileFor('abc');
    expect(fs.readdirSync(path.join(dataDir, 'session-logs')).some((name) => name.startsWith('999999998'))).toBe(false);
  });
});

describe('a disconnected session’s log', () => {
  it('leaves memory and the budget for disk; export, HAR and events read it back identical', async () => {
    const { instance, dataDir } = registry();
    const modern = await server(startModernServer);
    const session = await connected(instance, modern.url);
    for (let i = 0; i < 20; i++)
      await instance.rpc(session, { method: 'tools/call', params: { name: 'echo', arguments: { text: `call ${i} ${'é'.repeat(50)}` } } });
    expect(instance.logs.budget.isTracking(session.log)).toBe(true);
    expect(instance.logs.budget.totalBytes).toBe(session.log.heldBytes);

    await instance.close(session);
    // What the log said right after the disconnect, from memory (the write to disk is under way).
    expect(session.log.isReleased).toBe(false);
    const before = { json: exportText(session.log), har: harText(session.log), size: session.log.size, held: session.log.heldBytes };
    expect(instance.logs.budget.isTracking(session.log)).toBe(false);
    expect(instance.logs.budget.totalBytes).toBe(0);
    await instance.logs.settled();

    expect(session.log.isReleased).toBe(true);
    expect(session.log.heldBytes).toBeLessThan(before.held / 20);
    expect(session.log.size).toBe(before.size);
    expect(exportText(session.log)).toBe(before.json);
    expect(harText(session.log)).toBe(before.har);
    const [spilled] = spilledFiles(dataDir);
    expect(spilled).toMatchObject({ mode: 0o600 });
    expect(spilled!.file).toContain(session.id);

    // The events stream replays it from disk.
    const reader = createEventStream({
      log: session.log,
      afterSeq: 0,
      summary: () => instance.summary(session),
      subscribeSummary: () => () => undefined,
      onEnd: () => () => undefined,
    }).getReader();
    let text = '';
    while (!text.includes(`id: ${session.log.lastSeq}\n`)) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text.match(/^id: /gm)).toHaveLength(before.size);
  });

  it('keeps what is recorded after it left memory, and comes back whole when the session connects again', async () => {
    const { instance, dataDir } = registry();
    const stateful = await server(startStatefulServer);
    const session = await connected(instance, stateful.url);
    await instance.rpc(session, { method: 'tools/call', params: { name: 'echo', arguments: { text: 'before' } } });
    await instance.close(session);
    await instance.logs.settled();
    const closedExport = toJsonExport(session.log, FIXED).events;
    session.log.finding('info', 'late', 'recorded after the log went to disk');
    expect(session.log.events().at(-1)).toMatchObject({ code: 'late' });

    await instance.reconnect(session);
    expect(session.state).toBe('connected');
    expect(session.log.isReleased).toBe(false);
    expect(spilledFiles(dataDir)).toEqual([]);
    expect(instance.logs.budget.isTracking(session.log)).toBe(true);
    await instance.rpc(session, { method: 'tools/call', params: { name: 'echo', arguments: { text: 'after' } } });
    const events = session.log.events();
    // The old part is as it was, the new one follows, seqs unbroken.
    expect(events.slice(0, closedExport.length)).toEqual(closedExport);
    for (let i = 1; i < events.length; i++) expect(events[i]!.seq).toBe(events[i - 1]!.seq + 1);
    expect(JSON.stringify(events)).toContain('"after"');
  });

  it('is removed from disk when the session is forgotten, and with the process folder at shutdown', async () => {
    const { instance, dataDir } = registry({ MCPSCOPE_SESSION_IDLE_MINUTES: '1' });
    const modern = await server(startModernServer);
    const first = await connected(instance, modern.url);
    const second = await connected(instance, modern.url);
    await instance.close(first);
    await instance.close(second);
    await instance.logs.settled();
    expect(spilledFiles(dataDir)).toHaveLength(2);
    first.lastActivity = 0; // idle for long enough
    expect(await instance.sweep()).toBe(1);
    await instance.logs.settled();
    expect(spilledFiles(dataDir).map((f) => path.basename(f.file))).toEqual([`${second.id}.jsonl`]);
    await instance.shutdown();
    expect(fs.readdirSync(path.join(dataDir, 'session-logs'))).toEqual([]);
  });

  it('shuts down cleanly while logs are still being written: nothing left behind, nothing failed', async () => {
    const { instance, dataDir } = registry();
    const modern = await server(startModernServer);
    const session = await connected(instance, modern.url);
    for (let i = 0; i < 30; i++)
      await instance.rpc(session, { method: 'tools/call', params: { name: 'echo', arguments: { text: 'x'.repeat(20_000) } } });
    const errors = vi.spyOn(console, 'error');
    cleanups.push(() => errors.mockRestore());
    await instance.close(session); // its write to disk starts now
    await instance.shutdown();
    expect(errors).not.toHaveBeenCalled();
    expect(fs.readdirSync(path.join(dataDir, 'session-logs'))).toEqual([]);
  });

  it('a failed connect goes to disk too, and stays readable', async () => {
    const { instance, dataDir } = registry();
    const outcome = await instance.create('owner-a', { url: 'http://127.0.0.1:1/mcp' });
    expect(outcome.ok).toBe(false);
    const session = instance.get('owner-a', (outcome as { body: { sessionId: string } }).body.sessionId)!;
    await instance.logs.settled();
    expect(session.log.isReleased).toBe(true);
    expect(spilledFiles(dataDir)).toHaveLength(1);
    expect(session.log.events().some((e) => e.kind === 'phase' && e.status === 'failed')).toBe(true);
  });
});
