// Export: the snippet each client wants, secrets as placeholders unless asked; and round trips through the importer.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EXPORT_FORMATS,
  exportServer,
  exportServers,
  parseServerConfig,
  type ExportFormat,
  type SavedServerDraft,
  type SavedServerTarget,
} from '@/lib/servers';

const SAMPLES = [
  'claude_desktop_config.json',
  'cursor-mcp.json',
  'vscode-mcp.json',
  'vscode-settings.json',
  'claude-code.mcp.json',
  'windsurf-mcp_config.json',
];
const load = (name: string) => parseServerConfig(fs.readFileSync(path.join(__dirname, 'samples', name), 'utf8')).servers;
const withoutStreamableOnly = (server: SavedServerDraft): SavedServerDraft => {
  if (server.target.kind !== 'url' || server.target.transport !== 'streamable-http') return server;
  const { transport: _dropped, ...target } = server.target;
  return { ...server, target };
};
const targets = (servers: readonly SavedServerDraft[]) => servers.map(({ name, target }) => ({ name, target }));

const github: SavedServerDraft = {
  name: 'github',
  target: {
    kind: 'command',
    command: 'docker',
    args: ['run', '-i', '--rm', '-e', 'GITHUB_TOKEN', 'ghcr.io/github/github-mcp-server'],
    env: { GITHUB_TOKEN: 'ghp_secret123456' },
  },
  placeholders: [],
};
const remote: SavedServerDraft = {
  name: 'remote',
  target: {
    kind: 'url',
    url: 'https://mcp.example.com/mcp',
    transport: 'streamable-http',
    headers: { Authorization: 'Bearer tok_abcdef123456', 'X-Team': 'blue' },
  },
  placeholders: [],
};

describe('snippets per client', () => {
  it('Claude Desktop: mcpServers with env placeholders; a remote server through mcp-remote with its headers in env', () => {
    const snippet = exportServers([github, remote], 'claude-desktop');
    expect(JSON.parse(snippet.text)).toEqual({
      mcpServers: {
        github: {
          command: 'docker',
          args: github.target.kind === 'command' ? github.target.args : [],
          env: { GITHUB_TOKEN: '${GITHUB_TOKEN}' },
        },
        remote: {
          command: 'npx',
          args: [
            '-y',
            'mcp-remote',
            'https://mcp.example.com/mcp',
            '--transport',
            'http-only',
            '--header',
            'Authorization:${AUTHORIZATION}',
            '--header',
            'X-Team:${X_TEAM}',
          ],
          env: { AUTHORIZATION: '${AUTHORIZATION}', X_TEAM: '${X_TEAM}' },
        },
      },
    });
    expect(snippet.placeholders).toEqual([
      { server: 'github', field: 'env GITHUB_TOKEN', placeholder: '${GITHUB_TOKEN}' },
      { server: 'remote', field: 'header Authorization', placeholder: '${AUTHORIZATION}' },
      { server: 'remote', field: 'header X-Team', placeholder: '${X_TEAM}' },
    ]);
    const kept = JSON.parse(exportServer(remote, 'claude-desktop', { keepSecrets: true }).text);
    expect(kept.mcpServers.remote.env).toEqual({ AUTHORIZATION: 'Bearer tok_abcdef123456', X_TEAM: 'blue' });
  });

  it('Cursor: url, type when known, headers with ${env:} placeholders keeping the auth scheme', () => {
    const snippet = exportServers([remote, github], 'cursor');
    expect(JSON.parse(snippet.text)).toEqual({
      mcpServers: {
        remote: {
          type: 'http',
          url: 'https://mcp.example.com/mcp',
          headers: { Authorization: 'Bearer ${env:AUTHORIZATION}', 'X-Team': '${env:X_TEAM}' },
        },
        github: { command: 'docker', args: expect.any(Array), env: { GITHUB_TOKEN: '${env:GITHUB_TOKEN}' } },
      },
    });
    const noHint = exportServer({ name: 'n', target: { kind: 'url', url: 'https://n.example/mcp' } }, 'cursor');
    expect(JSON.parse(noHint.text)).toEqual({ mcpServers: { n: { url: 'https://n.example/mcp' } } });
  });

  it('VS Code: servers with type, secrets as ${input:} with an inputs entry each (password: true)', () => {
    const snippet = exportServers([github, remote, { ...github, name: 'github-2' }], 'vscode');
    const doc = JSON.parse(snippet.text);
    expect(doc.servers.github).toEqual({
      type: 'stdio',
      command: 'docker',
      args: expect.any(Array),
      env: { GITHUB_TOKEN: '${input:github-token}' },
    });
    expect(doc.servers.remote).toEqual({
      type: 'http',
      url: 'https://mcp.example.com/mcp',
      headers: { Authorization: 'Bearer ${input:authorization}', 'X-Team': '${input:x-team}' },
    });
    // The second server's GITHUB_TOKEN is another value: another input.
    expect(doc.servers['github-2'].env).toEqual({ GITHUB_TOKEN: '${input:github-2-github-token}' });
    expect(doc.inputs).toEqual([
      { type: 'promptString', id: 'github-token', description: 'GITHUB_TOKEN for github', password: true },
      { type: 'promptString', id: 'authorization', description: 'AUTHORIZATION for remote', password: true },
      { type: 'promptString', id: 'x-team', description: 'X_TEAM for remote', password: true },
      { type: 'promptString', id: 'github-2-github-token', description: 'GITHUB_TOKEN for github-2', password: true },
    ]);
    const sse = exportServer({ name: 's', target: { kind: 'url', url: 'https://s.example/sse', transport: 'sse' } }, 'vscode');
    expect(JSON.parse(sse.text)).toEqual({ servers: { s: { type: 'sse', url: 'https://s.example/sse' } } });
  });

  it('Claude Code: claude mcp add lines, placeholders read from the shell, words quoted', () => {
    expect(exportServer(remote, 'claude-code').text).toBe(
      'claude mcp add --transport http remote https://mcp.example.com/mcp --header "Authorization: Bearer $AUTHORIZATION" --header "X-Team: $X_TEAM"',
    );
    expect(exportServer(github, 'claude-code').text).toBe(
      'claude mcp add github -e "GITHUB_TOKEN=$GITHUB_TOKEN" -- docker run -i --rm -e GITHUB_TOKEN ghcr.io/github/github-mcp-server',
    );
    expect(exportServer(github, 'claude-code', { keepSecrets: true }).text).toContain('-e GITHUB_TOKEN=ghp_secret123456 --');
    const sse = exportServer({ name: 'my server', target: { kind: 'url', url: 'https://s.example/sse', transport: 'sse' } }, 'claude-code');
    expect(sse.text).toBe("claude mcp add --transport sse 'my server' https://s.example/sse");
  });

  it("two servers' values of one name get two placeholder variables", () => {
    const second = { ...github, name: 'github 2' };
    expect(JSON.parse(exportServers([github, second], 'cursor').text).mcpServers['github 2'].env).toEqual({
      GITHUB_TOKEN: '${env:GITHUB_2_GITHUB_TOKEN}',
    });
    expect(exportServers([github, second], 'claude-code').text.split('\n')[1]).toContain('-e "GITHUB_TOKEN=$GITHUB_2_GITHUB_TOKEN" --');
    expect(JSON.parse(exportServers([github, second], 'claude-desktop').text).mcpServers.github.env).toEqual({
      GITHUB_TOKEN: '${GITHUB_TOKEN}',
    });
  });

  it('Claude Code: a shell gets exactly the words meant, however hostile the values', () => {
    const hostile: SavedServerDraft = {
      name: "it's $(whoami)",
      target: {
        kind: 'command',
        command: '/opt/my tools/server',
        args: ['--greeting', 'it\'s `date` $HOME "quoted" \\ back', '', 'line\nbreak', '*'],
        env: { API_KEY: 'k\'ey $(rm -rf /) `x` "y"' },
        cwd: '/srv/app',
      },
      placeholders: [],
    };
    for (const keepSecrets of [false, true]) {
      const snippet = exportServer(hostile, 'claude-code', { keepSecrets });
      // Run the line with printf in claude's place: each word it receives, NUL-separated.
      const line = snippet.text.replace(/^claude /, "printf '%s\\0' ");
      const out = execFileSync('/bin/sh', ['-c', line], { env: { ...process.env, API_KEY: 'from-shell' }, encoding: 'utf8' });
      const words = out.split('\0').slice(0, -1);
      const target = hostile.target as Extract<SavedServerTarget, { kind: 'command' }>;
      expect(words).toEqual([
        'mcp',
        'add',
        hostile.name,
        '-e',
        `API_KEY=${keepSecrets ? target.env.API_KEY : 'from-shell'}`,
        '--',
        target.command,
        ...target.args,
      ]);
      expect(snippet.notes).toEqual([expect.stringContaining('working directory')]);
    }
  });

  it('a header name that is special inside double quotes is still one word', () => {
    const odd: SavedServerDraft = {
      name: 'o',
      target: { kind: 'url', url: 'https://o.example/mcp', headers: { 'X-$Weird`!': 'v' } },
      placeholders: [],
    };
    const line = exportServer(odd, 'claude-code').text.replace(/^claude /, "printf '%s\\0' ");
    const out = execFileSync('/bin/sh', ['-c', line], { env: { ...process.env, X__WEIRD__: 'val' }, encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1).slice(-2)).toEqual(['--header', 'X-$Weird`!: val']);
  });

  it('a server named __proto__ is written like any other', () => {
    const text = exportServer({ name: '__proto__', target: { kind: 'url', url: 'https://p.example/mcp' } }, 'cursor').text;
    expect(JSON.parse(text).mcpServers).toEqual(JSON.parse('{"__proto__": {"url": "https://p.example/mcp"}}'));
    expect(text).toContain('"__proto__"');
  });
});

describe('withheld values (a stored server whose secrets were not kept)', () => {
  const stored = {
    name: 'gh',
    target: { kind: 'command' as const, command: 'npx', args: ['-y', 'gh-mcp'], env: { GH_HOST: 'github.example.com' } },
    withheld: { headers: [], env: ['GH_TOKEN'] },
  };
  const storedRemote = {
    name: 'r',
    target: { kind: 'url' as const, url: 'https://r.example/mcp' },
    withheld: { headers: ['Authorization'], env: [] },
  };

  it('are written as placeholders in every format, even when asked to keep secrets', () => {
    for (const keepSecrets of [false, true]) {
      expect(JSON.parse(exportServer(stored, 'cursor', { keepSecrets }).text).mcpServers.gh.env).toEqual({
        GH_HOST: keepSecrets ? 'github.example.com' : '${env:GH_HOST}',
        GH_TOKEN: '${env:GH_TOKEN}',
      });
      const vscode = JSON.parse(exportServer(storedRemote, 'vscode', { keepSecrets }).text);
      expect(vscode.servers.r.headers).toEqual({ Authorization: '${input:authorization}' });
      expect(vscode.inputs.map((input: { id: string }) => input.id)).toEqual(['authorization']);
      expect(JSON.parse(exportServer(storedRemote, 'claude-desktop', { keepSecrets }).text).mcpServers.r).toMatchObject({
        args: expect.arrayContaining(['--header', 'Authorization:${AUTHORIZATION}']),
        env: { AUTHORIZATION: '${AUTHORIZATION}' },
      });
      expect(exportServer(stored, 'claude-code', { keepSecrets }).text).toContain('-e "GH_TOKEN=$GH_TOKEN" --');
      expect(exportServer(storedRemote, 'claude-code', { keepSecrets }).text).toContain('--header "Authorization: $AUTHORIZATION"');
    }
  });
});

describe('secrets', () => {
  it('no header or environment value of any sample reaches a snippet unless asked', () => {
    for (const sample of SAMPLES) {
      const servers = load(sample);
      // Values that are already a client's placeholder (`${env:X}`) are no secret.
      const values = servers
        .flatMap(({ target }) => Object.values(target.kind === 'url' ? (target.headers ?? {}) : target.env))
        .filter((value) => !/^(Bearer )?\$\{[^}]+\}$/.test(value));
      if (['claude_desktop_config.json', 'cursor-mcp.json', 'windsurf-mcp_config.json'].includes(sample))
        expect(values.length, sample).toBeGreaterThan(0);
      for (const format of EXPORT_FORMATS) {
        const text = exportServers(servers, format).text;
        for (const value of values) {
          const secret = value.replace(/^Bearer /, '');
          expect(text, `${sample} → ${format}`).not.toContain(secret);
        }
        const kept = exportServers(servers, format, { keepSecrets: true }).text;
        for (const value of values)
          expect(kept, `${sample} → ${format}, kept`).toContain(
            format === 'claude-code' ? value.split(' ').at(-1)! : JSON.stringify(value).slice(1, -1),
          );
      }
    }
  });
});

describe('round trips', () => {
  const jsonFormats: ExportFormat[] = ['cursor', 'vscode'];

  it('import → export (secrets kept) → import gives the same servers, for every sample and both JSON formats', () => {
    for (const sample of SAMPLES) {
      const first = load(sample);
      expect(first.length, sample).toBeGreaterThan(0);
      for (const format of jsonFormats) {
        const snippet = exportServers(first, format, { keepSecrets: true });
        const again = parseServerConfig(snippet.text);
        expect(
          again.problems.filter((p) => p.severity === 'error'),
          `${sample} → ${format}`,
        ).toEqual([]);
        // Back in VS Code's format, not even a warning: an ${input:} kept from a VS Code file is declared again.
        if (format === 'vscode') expect(again.problems, `${sample} → ${format}`).toEqual([]);
        // VS Code cannot say "Streamable HTTP only" (its "http" falls back to SSE, as mcpscope does with no hint): the
        // one thing it loses, and the snippet says so.
        const expected = format === 'vscode' ? first.map(withoutStreamableOnly) : first;
        expect(again.servers, `${sample} → ${format}`).toEqual(expected);
        if (format === 'vscode' && JSON.stringify(expected) !== JSON.stringify(first))
          expect(snippet.notes).toEqual([expect.stringContaining('Streamable HTTP only')]);
      }
    }
  });

  it('Claude Desktop: local servers come back as they were; a remote one comes back as its mcp-remote bridge', () => {
    const local = load('claude_desktop_config.json');
    expect(parseServerConfig(exportServers(local, 'claude-desktop', { keepSecrets: true }).text).servers).toEqual(local);
    const [bridge] = parseServerConfig(exportServer(remote, 'claude-desktop', { keepSecrets: true }).text).servers;
    expect(bridge?.target).toMatchObject({
      kind: 'command',
      command: 'npx',
      args: expect.arrayContaining(['mcp-remote', 'https://mcp.example.com/mcp']),
    });
  });

  it('exporting an exported file again gives the same snippet (placeholders are stable)', () => {
    for (const sample of SAMPLES) {
      for (const format of ['claude-desktop', 'cursor', 'vscode'] as const) {
        const once = exportServers(load(sample), format);
        const twice = exportServers(parseServerConfig(once.text).servers, format);
        expect(twice.text, `${sample} → ${format}`).toBe(once.text);
      }
    }
  });

  it('across clients: Cursor → VS Code → Cursor keeps every target', () => {
    const cursor = load('cursor-mcp.json');
    const viaVsCode = parseServerConfig(exportServers(cursor, 'vscode', { keepSecrets: true }).text).servers;
    const back = parseServerConfig(exportServers(viaVsCode, 'cursor', { keepSecrets: true }).text).servers;
    expect(targets(back)).toEqual(targets(cursor));
  });
});
