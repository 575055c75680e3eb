// From a saved server (with what the store withheld, or placeholders from the file) to the request that connects.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandTargetSchema } from '@/lib/contract';
import { parseServerConfig, planConnect } from '@/lib/servers';

const vscode = parseServerConfig(fs.readFileSync(path.join(__dirname, 'samples', 'vscode-mcp.json'), 'utf8')).servers;
const find = (name: string) => vscode.find((server) => server.name === name)!;

describe('planConnect', () => {
  it('a complete remote server becomes a URL session request, transport auto when the file did not say', () => {
    expect(planConnect({ name: 'n', target: { kind: 'url', url: 'https://n.example/mcp' } })).toEqual({
      ok: true,
      request: { kind: 'url', url: 'https://n.example/mcp', transport: 'auto' },
    });
    expect(
      planConnect({ name: 's', target: { kind: 'url', url: 'https://s.example/sse', transport: 'sse', headers: { 'X-A': '1' } } }),
    ).toEqual({
      ok: true,
      request: { kind: 'url', url: 'https://s.example/sse', transport: 'sse', headers: { 'X-A': '1' } },
    });
  });

  it('withheld values are missing until typed in; typed values fill them', () => {
    const saved = {
      name: 'gh',
      target: { kind: 'command' as const, command: 'docker', args: ['run', '-i'], env: { GITHUB_TOOLSETS: 'repos' } },
      withheld: { headers: [], env: ['GITHUB_TOKEN'] },
    };
    const plan = planConnect(saved);
    expect(plan).toEqual({
      ok: false,
      missing: [{ field: 'env', name: 'GITHUB_TOKEN', reason: 'withheld' }],
      message: 'Before connecting to "gh": fill in $GITHUB_TOKEN.',
    });
    const filled = planConnect(saved, { env: { GITHUB_TOKEN: 'ghp_x' } });
    expect(filled).toEqual({
      ok: true,
      request: { kind: 'command', command: 'docker', args: ['run', '-i'], env: { GITHUB_TOOLSETS: 'repos', GITHUB_TOKEN: 'ghp_x' } },
    });
    // What it builds is a valid command session body.
    if (filled.ok) expect(commandTargetSchema.safeParse(filled.request).success).toBe(true);
  });

  it("a VS Code ${input:} header is missing until typed; the typed value replaces the whole placeholder'd value", () => {
    const github = find('github');
    const plan = planConnect(github);
    expect(plan).toMatchObject({ ok: false, missing: [{ field: 'header', name: 'Authorization', reason: 'placeholder' }] });
    expect(planConnect(github, { headers: { Authorization: 'Bearer gho_typed' } })).toEqual({
      ok: true,
      request: {
        kind: 'url',
        url: 'https://api.githubcopilot.com/mcp/',
        transport: 'auto',
        headers: { Authorization: 'Bearer gho_typed' },
      },
    });
    // Typing another placeholder is no value either.
    expect(planConnect(github, { headers: { Authorization: '${env:TOKEN}' } }).ok).toBe(false);
  });

  it('placeholders in the command, arguments or directory cannot be typed in: the server must be edited', () => {
    const plan = planConnect(find('myLocalServer'));
    expect(plan).toEqual({
      ok: false,
      missing: [
        { field: 'args', name: '0', reason: 'placeholder' },
        { field: 'cwd', name: 'cwd', reason: 'placeholder' },
      ],
      message:
        'Before connecting to "myLocalServer": edit the argument 1, cwd, which still hold a placeholder only the client that wrote it expands.',
    });
  });

  it('servers without secrets or placeholders connect as they are', () => {
    expect(planConnect(find('fetch'))).toEqual({
      ok: true,
      request: { kind: 'command', command: 'uvx', args: ['mcp-server-fetch'], env: {} },
    });
  });
});
