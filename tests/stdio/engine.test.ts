// connect() to local stdio servers: the handshake over the pipes, what the log records of them (lines, stderr,
// a stdout line that is not JSON-RPC, the exit), and that stopping a session leaves no process behind.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alive } from '@/e2e/processes';
import { formatCommandLine } from '@/lib/contract/stdio';
import { connect, EngineError, type McpConnection } from '@/lib/mcp';
import { runningServerPids } from '@/lib/stdio';
import { SecretSet, TraceLog } from '@/lib/trace';
import type { StdioLineEvent, StdioProcessEvent, TraceEvent } from '@/lib/trace/types';

const NOISY = resolve(__dirname, 'fixtures/noisy-server.mjs');
const EVERYTHING = resolve(__dirname, '../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

function start(command: string, args: string[], env: Record<string, string> = {}) {
  const shown = formatCommandLine(command, args);
  const log = new TraceLog({ sessionId: 'stdio-test', serverUrl: shown, startedAt: Date.now(), transport: 'stdio' });
  const secrets = new SecretSet();
  for (const value of Object.values(env)) secrets.add(value);
  const open = async (): Promise<McpConnection> => {
    const connection = await connect({
      url: shown,
      transport: 'auto',
      stdio: { spec: { command, args, env }, shown },
      headers: {},
      log,
      secrets,
      connectTimeoutMs: 15_000,
      requestTimeoutMs: 10_000,
    });
    cleanups.push(() => connection.close());
    return connection;
  };
  const events = (): TraceEvent[] => log.events();
  return { log, open, events };
}

describe('stdio servers', () => {
  it('connects to the official everything server over stdio and records each line with its rpc messages', async () => {
    const { open, events } = start(process.execPath, [EVERYTHING, 'stdio']);
    const connection = await open();
    expect(connection.transport).toBe('stdio');
    expect(connection.serverInfo.name).toMatch(/everything/i);
    expect(connection.tools.length).toBeGreaterThan(3);
    const outcome = await connection.request('tools/call', { name: 'echo', arguments: { message: 'over the pipe' } });
    expect(JSON.stringify(outcome)).toContain('over the pipe');

    const lines = events().filter((e): e is StdioLineEvent => e.kind === 'stdio.line');
    expect(lines.some((line) => line.direction === 'out')).toBe(true);
    expect(lines.some((line) => line.direction === 'in')).toBe(true);
    // Every rpc event names the line that carried it, and the line's size is the message's.
    const rpc = events().filter((e) => e.kind === 'rpc');
    const byId = new Map(lines.map((line) => [line.exchangeId, line]));
    for (const message of rpc) {
      expect(message.exchangeId).toBeDefined();
      expect(byId.get(message.exchangeId!)?.size).toBe(message.size);
    }
    const init = rpc.find((e) => e.method === 'initialize' && e.direction === 'out');
    // The initialize line was filed under the initialize phase.
    const phaseId = byId.get(init!.exchangeId!)!.phaseId;
    expect(events().find((e) => e.kind === 'phase' && e.phaseId === phaseId)).toMatchObject({ name: 'initialize' });
    const started = events().find((e): e is StdioProcessEvent => e.kind === 'stdio.process' && e.state === 'started');
    expect(started?.pid).toBeGreaterThan(0);

    await connection.close();
    const exit = events().find((e): e is StdioProcessEvent => e.kind === 'stdio.process' && e.state === 'exited');
    expect(exit).toMatchObject({ stopped: true });
    expect(alive(started!.pid!)).toBe(false);
    expect(runningServerPids()).not.toContain(started!.pid);
  }, 30_000);

  it('records a non-JSON-RPC stdout line as a finding, stderr as its own stream with env values masked, and kills the whole group', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpscope-stdio-'));
    const marker = join(dir, 'started');
    const { open, events } = start(process.execPath, [NOISY], { NOISY_MARKER: marker, NOISY_SECRET: 'sekrit-value-1234' });
    const connection = await open();
    expect(existsSync(marker)).toBe(true);
    const serverPid = Number(readFileSync(marker, 'utf8'));

    const noise = events().find((e): e is StdioLineEvent => e.kind === 'stdio.line' && e.text !== undefined);
    expect(noise?.text).toContain('this line is not JSON-RPC');
    const finding = events().find((e) => e.kind === 'finding' && e.code === 'stdio_not_jsonrpc');
    expect(finding).toMatchObject({ severity: 'warning', exchangeId: noise!.exchangeId });

    await until(() => events().some((e) => e.kind === 'stdio.stderr' && e.text.includes('helper pid')));
    const stderr = events()
      .filter((e) => e.kind === 'stdio.stderr')
      .map((e) => (e.kind === 'stdio.stderr' ? e.text : ''))
      .join('');
    expect(stderr).toContain('booting with secret');
    expect(stderr).not.toContain('sekrit-value-1234');

    const helper = await connection.request('tools/call', { name: 'helper_pid', arguments: {} });
    const helperPid = Number((helper as { result: { content: Array<{ text: string }> } }).result.content[0]!.text);
    expect(alive(helperPid)).toBe(true);

    await connection.close();
    // The server ignores end of input (its helper keeps it alive): the group is signalled, helper included.
    await until(() => !alive(serverPid) && !alive(helperPid));
  }, 30_000);

  it('says when the process exits on its own, with its exit code and last stderr lines', async () => {
    const { open, events, log } = start(process.execPath, [NOISY]);
    const connection = await open();
    const closed = new Promise<string>((resolve) => connection.onUnexpectedClose((error) => resolve(`${error.code}: ${error.message}`)));
    await connection.request('tools/call', { name: 'crash', arguments: { code: 3 } });
    const reason = await closed;
    expect(reason).toMatch(/^process_exited: The server process exited with code 3\./);
    expect(reason).toContain('crashing on purpose with code 3');
    const exit = log.events().find((e): e is StdioProcessEvent => e.kind === 'stdio.process' && e.state === 'exited');
    expect(exit).toMatchObject({ code: 3, signal: null });
    expect(exit?.stopped).toBeUndefined();
    expect(exit?.stderrTail?.join('\n')).toContain('crashing on purpose');
    expect(events().some((e) => e.kind === 'finding' && e.code === 'process_exited')).toBe(true);
  }, 30_000);

  it('fails with spawn_failed when the program does not exist, and starts nothing', async () => {
    const { open, events } = start('/nonexistent/mcp-server-xyz', []);
    const failure = await open().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as EngineError).code).toBe('spawn_failed');
    expect((failure as EngineError).message).toContain('no such program');
    expect(events().find((e) => e.kind === 'stdio.process')).toMatchObject({ state: 'failed' });
    expect(events().find((e) => e.kind === 'phase' && e.name === 'connect' && e.status === 'failed')).toBeDefined();
  });

  it('fails with process_exited when the program exits before the handshake, quoting its stderr', async () => {
    const { open } = start(process.execPath, ['-e', 'console.error("missing API_KEY"); process.exit(2)']);
    const failure = (await open().catch((error: unknown) => error)) as EngineError;
    expect(failure.code).toBe('process_exited');
    expect(failure.message).toContain('exited with code 2');
    expect(failure.message).toContain('missing API_KEY');
  });
});
