// `mcpscope serve` (and no command): the options it takes are checked before anything starts. Serving itself is
// covered by e2e/pack.spec.ts (the installed package) and every e2e spec (`npm start` runs the same server).
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers';

describe('mcpscope serve options', () => {
  it.each([
    [['serve', '--port', 'eighty'], '--port takes a number from 0 to 65535, not "eighty"'],
    [['serve', '--port', '70000'], '--port takes a number from 0 to 65535, not "70000"'],
    [['serve', '--host'], '--host needs a value'],
    [['serve', '--verbose'], 'unknown option --verbose'],
  ])('%j is refused with exit 2 and says why', async (args, message) => {
    const run = await runCli(args, { timeoutMs: 60_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`mcpscope serve: ${message}`);
    expect(run.stdout).toBe('');
  });

  it('--help prints the serve usage and starts nothing', async () => {
    const run = await runCli(['serve', '--help'], { timeoutMs: 60_000 });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: mcpscope [serve] [--port N] [--host H]');
  });

  it('the commands usage names serve', async () => {
    const run = await runCli(['--help'], { timeoutMs: 60_000 });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('serve [--port N] [--host H]    Serve the web app (also with no command)');
  });
});
