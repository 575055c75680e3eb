// The stdio launch policy (who may start a process) and the command-line words a person confirms.
import { describe, expect, it } from 'vitest';
import { commandTargetSchema, formatCommandLine, splitCommandLine } from '@/lib/contract/stdio';
import { readSecuritySettings } from '@/lib/security';
import { decideStdio, launchToken, verifyLaunchToken } from '@/lib/stdio';

describe('decideStdio', () => {
  it.each([
    [{}, true, undefined],
    [{ HOST: 'localhost' }, true, undefined],
    [{ HOST: '::1' }, true, undefined],
    [{ MCPSCOPE_MODE: 'hosted' }, true, 'stdio_hosted'],
    [{ HOST: '0.0.0.0' }, true, 'stdio_hosted'],
    [{ HOST: '0.0.0.0', MCPSCOPE_MODE: 'local' }, true, 'stdio_not_loopback'],
    [{ HOST: '192.168.1.5', MCPSCOPE_MODE: 'local' }, true, 'stdio_not_loopback'],
    [{}, false, 'stdio_disabled'],
    [{ MCPSCOPE_MODE: 'hosted' }, false, 'stdio_disabled'],
  ])('%o, enabled %s → %s', (env, enabled, code) => {
    const decision = decideStdio(enabled, readSecuritySettings(env));
    if (code === undefined) expect(decision).toEqual({ available: true });
    else expect(decision).toMatchObject({ available: false, code });
  });
});

describe('launch tokens', () => {
  const key = Buffer.alloc(32, 7);
  it("verifies only the owner's own token under the install's key", () => {
    const token = launchToken('owner-a', key);
    expect(verifyLaunchToken('owner-a', token, key)).toBe(true);
    expect(verifyLaunchToken('owner-b', token, key)).toBe(false);
    expect(verifyLaunchToken('owner-a', token, Buffer.alloc(32, 8))).toBe(false);
    expect(verifyLaunchToken('owner-a', `${token}x`, key)).toBe(false);
    expect(verifyLaunchToken('owner-a', undefined, key)).toBe(false);
    expect(verifyLaunchToken(undefined, token, key)).toBe(false);
  });
});

describe('command lines', () => {
  it.each([
    [['npx', '-y', '@modelcontextprotocol/server-everything', 'stdio'], 'npx -y @modelcontextprotocol/server-everything stdio'],
    [['node', 'my server.js', "it's"], `node 'my server.js' 'it'\\''s'`],
    [['python', '-c', 'print("$HOME")'], `python -c 'print("$HOME")'`],
    [['cmd', ''], "cmd ''"],
  ])('%j is written %s and read back', (words, line) => {
    const [command, ...args] = words as [string, ...string[]];
    expect(formatCommandLine(command, args)).toBe(line);
    expect(splitCommandLine(line)).toEqual(words);
  });

  it('reads double quotes and backslashes as a shell does, without expanding anything', () => {
    expect(splitCommandLine(`uvx "mcp server" --dir=a\\ b "say \\"hi\\"" $HOME`)).toEqual([
      'uvx',
      'mcp server',
      '--dir=a b',
      'say "hi"',
      '$HOME',
    ]);
  });

  it('checks a command target: names of variables, NUL characters, unknown fields', () => {
    expect(commandTargetSchema.safeParse({ kind: 'command', command: 'node' }).data).toEqual({
      kind: 'command',
      command: 'node',
      args: [],
      env: {},
    });
    expect(commandTargetSchema.safeParse({ kind: 'command', command: 'node', env: { 'A-B': '1' } }).success).toBe(false);
    expect(commandTargetSchema.safeParse({ kind: 'command', command: 'node', args: ['a\0b'] }).success).toBe(false);
    expect(commandTargetSchema.safeParse({ kind: 'command', command: 'node\nrm' }).success).toBe(false);
    expect(commandTargetSchema.safeParse({ kind: 'command', command: 'node', shell: true }).success).toBe(false);
  });
});
