// `mcpscope … -- <command> [args…]`: the command line, and the commands against a real stdio server.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, parseCommandLine } from '@/lib/cli';

const EVERYTHING = resolve(__dirname, '../../node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const NOISY = resolve(__dirname, 'fixtures/noisy-server.mjs');

function io(env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  return {
    io: {
      stdout: { write: (text: string) => void (stdout += text) },
      stderr: { write: (text: string) => void (stderr += text) },
      env: { MCPSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), 'mcpscope-cli-')), ...env },
    },
    out: () => stdout,
    err: () => stderr,
  };
}

describe('parsing a command after --', () => {
  it('takes the words after -- as the server, untouched, with --env and --cwd', () => {
    const parsed = parseCommandLine([
      'call',
      'echo',
      '--args',
      '{"a":1}',
      '--env',
      'A=1',
      '--env',
      'B=x=y',
      '--cwd',
      '/tmp',
      '--',
      'npx',
      '-y',
      'pkg',
      '--json',
    ]);
    expect(parsed).toMatchObject({
      kind: 'run',
      options: {
        command: 'call',
        tool: 'echo',
        args: { a: 1 },
        json: false,
        url: 'npx -y pkg --json',
        stdio: { command: 'npx', args: ['-y', 'pkg', '--json'], env: { A: '1', B: 'x=y' }, cwd: '/tmp' },
      },
    });
  });

  it.each([
    [['info', '--'], /Missing the server command/],
    [['info', '--env', 'A=1', 'http://x/mcp'], /--env and --cwd are for a local server/],
    [['info', '--env', '1A=1', '--', 'node'], /--env must look like NAME=value/],
    [['info', '--env', 'NOEQUALS', '--', 'node'], /--env must look like NAME=value/],
    [['info', '--bearer', 't', '--', 'node'], /--bearer is for servers reached by URL/],
    [['info', 'http://x/mcp', '--', 'node'], /Unexpected argument/],
    [['call', '--', 'node'], /Missing the tool name/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});

describe('against a real stdio server', () => {
  it('info and tools start the server, answer, and stop it', async () => {
    const run = io();
    expect(await main(['info', '--json', '--', process.execPath, EVERYTHING, 'stdio'], run.io), run.err()).toBe(0);
    const info = JSON.parse(run.out());
    expect(info).toMatchObject({ transport: 'stdio' });
    expect(JSON.stringify(info)).toMatch(/everything/i);
    const tools = io();
    expect(await main(['tools', '--', process.execPath, EVERYTHING, 'stdio'], tools.io), tools.err()).toBe(0);
    expect(tools.out()).toContain('echo');
  }, 30_000);

  it('call with --env and --log: the env value is masked in the log, stderr and the non-JSON line are in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpscope-cli-log-'));
    const logFile = join(dir, 'log.json');
    const run = io();
    const code = await main(
      [
        'call',
        'echo',
        '--args',
        '{"text":"from the cli"}',
        '--env',
        'NOISY_SECRET=cli-secret-5678abcd',
        '--log',
        logFile,
        '--',
        process.execPath,
        NOISY,
      ],
      run.io,
    );
    expect(code, run.err()).toBe(0);
    expect(run.out()).toContain('from the cli');
    const log = readFileSync(logFile, 'utf8');
    expect(log).not.toContain('cli-secret-5678abcd');
    const exported = JSON.parse(log) as { meta: { transport: string }; events: Array<{ kind: string; text?: string; code?: string }> };
    expect(exported.meta.transport).toBe('stdio');
    expect(exported.events.some((event) => event.kind === 'stdio.stderr' && event.text?.includes('booting with secret'))).toBe(true);
    expect(exported.events.some((event) => event.kind === 'finding' && event.code === 'stdio_not_jsonrpc')).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('a command that cannot start is a connection failure (exit 3) with spawn_failed', async () => {
    const run = io();
    expect(await main(['info', '--', '/nonexistent/server-xyz'], run.io)).toBe(3);
    expect(run.err()).toMatch(/^mcpscope: spawn_failed: Could not start/);
  });
});
