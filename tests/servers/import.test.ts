// Reading real-world config files of each client (samples/, written the way each client's documentation shows them),
// and files that try to hurt: every bad entry is reported by name and field, and never sinks the good ones.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkSavedServer,
  MAX_CONFIG_LENGTH,
  MAX_CONFIG_DEPTH,
  MAX_CONFIG_SERVERS,
  parseServerConfig,
  type ImportResult,
} from '@/lib/servers';

const sample = (name: string) => fs.readFileSync(path.join(__dirname, 'samples', name), 'utf8');
const names = (result: ImportResult) => result.servers.map((server) => server.name);
const byName = (result: ImportResult, name: string) => result.servers.find((server) => server.name === name);
const errors = (result: ImportResult) => result.problems.filter((problem) => problem.severity === 'error');

describe('client config files', () => {
  it('Claude Desktop: every stdio entry with its args and env, unknown keys ignored', () => {
    const result = parseServerConfig(sample('claude_desktop_config.json'));
    expect(result.problems).toEqual([]);
    expect(result.sections).toEqual(['mcpServers']);
    expect(names(result)).toEqual(['filesystem', 'github', 'memory', 'postgres', 'sqlite']);
    expect(byName(result, 'filesystem')).toEqual({
      name: 'filesystem',
      target: {
        kind: 'command',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/ada/Desktop', '/Users/ada/Downloads'],
        env: {},
      },
      placeholders: [],
    });
    expect(byName(result, 'github')?.target).toMatchObject({
      kind: 'command',
      command: 'docker',
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_R3alL00kingT0kenValue0123456789abcd' },
    });
    // `disabled` is Claude Desktop's own flag: passed over, not an error, not carried.
    expect(byName(result, 'sqlite')?.target).not.toHaveProperty('disabled');
  });

  it('Cursor: remote entries with headers and a transport hint, ${env:} kept and listed, names with spaces', () => {
    const result = parseServerConfig(sample('cursor-mcp.json'));
    expect(result.problems).toEqual([]);
    expect(byName(result, 'context7')).toEqual({
      name: 'context7',
      target: {
        kind: 'url',
        url: 'https://mcp.context7.com/mcp',
        headers: { CONTEXT7_API_KEY: 'ctx7sk-8e2d1c0b-aaaa-bbbb-cccc-0123456789ab' },
      },
      placeholders: [],
    });
    expect(byName(result, 'linear')?.target).toEqual({ kind: 'url', url: 'https://mcp.linear.app/sse', transport: 'sse' });
    const sentry = byName(result, 'sentry');
    expect(sentry?.target).toMatchObject({ env: { SENTRY_ACCESS_TOKEN: '${env:SENTRY_ACCESS_TOKEN}', SENTRY_HOST: 'sentry.example.com' } });
    expect(sentry?.placeholders).toEqual(['${env:SENTRY_ACCESS_TOKEN}']);
    expect(byName(result, 'browser tools')?.target).toMatchObject({ command: 'npx', args: ['@agentdeskai/browser-tools-mcp@1.2.0'] });
  });

  it('VS Code mcp.json: comments and trailing commas, inputs, ${input:} and ${workspaceFolder} kept, type read', () => {
    const result = parseServerConfig(sample('vscode-mcp.json'));
    expect(result.problems).toEqual([]);
    expect(result.sections).toEqual(['servers']);
    expect(result.inputs).toEqual([
      { id: 'perplexity-key', type: 'promptString', description: 'Perplexity API Key', password: true },
      { id: 'github_token', type: 'promptString', description: 'GitHub Personal Access Token', password: true },
    ]);
    expect(names(result)).toEqual(['Perplexity', 'github', 'fetch', 'myLocalServer', 'legacy-events']);
    expect(byName(result, 'Perplexity')).toMatchObject({
      target: { kind: 'command', env: { PERPLEXITY_API_KEY: '${input:perplexity-key}' } },
      placeholders: ['${input:perplexity-key}'],
    });
    expect(byName(result, 'github')).toEqual({
      name: 'github',
      target: {
        kind: 'url',
        // VS Code's "http" tries Streamable HTTP, then SSE: what mcpscope does with no hint.
        url: 'https://api.githubcopilot.com/mcp/',
        headers: { Authorization: 'Bearer ${input:github_token}' },
      },
      placeholders: ['${input:github_token}'],
    });
    expect(byName(result, 'myLocalServer')).toEqual({
      name: 'myLocalServer',
      target: { kind: 'command', command: 'node', args: ['${workspaceFolder}/build/index.js'], env: {}, cwd: '${workspaceFolder}' },
      placeholders: ['${workspaceFolder}'],
    });
    expect(byName(result, 'legacy-events')?.target).toEqual({ kind: 'url', url: 'http://localhost:3001/sse', transport: 'sse' });
  });

  it('VS Code settings.json: the servers under "mcp", the rest of the settings ignored', () => {
    const result = parseServerConfig(sample('vscode-settings.json'));
    expect(result.problems).toEqual([]);
    expect(result.sections).toEqual(['mcp.servers']);
    expect(result.servers.map((server) => [server.name, server.target.kind])).toEqual([
      ['time', 'command'],
      ['deepwiki', 'url'],
    ]);
  });

  it('Claude Code .mcp.json: stdio, http and sse types; a URL built from ${VAR:-default} is refused by name, the rest imported', () => {
    const result = parseServerConfig(sample('claude-code.mcp.json'));
    expect(names(result)).toEqual(['notion', 'airtable', 'asana', 'everything']);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ code: 'unsafe_url', severity: 'error', entry: 'api-server', field: 'url' });
    expect(result.problems[0]?.message).toContain('Server "api-server", field "url"');
    expect(result.problems[0]?.message).toContain('${API_BASE_URL:-https://api.example.com}');
    expect(byName(result, 'notion')?.target).toEqual({ kind: 'url', url: 'https://mcp.notion.com/mcp', transport: 'streamable-http' });
    expect(byName(result, 'asana')?.target).toMatchObject({ transport: 'sse' });
    expect(byName(result, 'airtable')?.placeholders).toEqual(['${AIRTABLE_API_KEY}']);
  });

  it('Windsurf: serverUrl is the URL; an env value holding JSON stays a string', () => {
    const result = parseServerConfig(sample('windsurf-mcp_config.json'));
    expect(result.problems).toEqual([]);
    expect(byName(result, 'remote-docs')?.target).toEqual({
      kind: 'url',
      url: 'https://docs.example.com/mcp',
      headers: { 'X-Api-Key': 'wsk_live_0123456789abcdef' },
    });
    expect(byName(result, 'puppeteer')?.target).toMatchObject({
      env: { PUPPETEER_LAUNCH_OPTIONS: '{ "headless": true, "args": ["--no-sandbox"] }' },
    });
  });

  it('accepts an already-parsed object, and reads both maps of a file that has both', () => {
    const result = parseServerConfig({
      mcpServers: { a: { command: 'node', args: ['a.js'] } },
      servers: { b: { type: 'http', url: 'https://b.example/mcp' }, a: { command: 'other' } },
    });
    expect(names(result)).toEqual(['a', 'b']);
    expect(result.sections).toEqual(['mcpServers', 'servers']);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'duplicate_name', entry: 'a', message: expect.stringContaining('listed twice') }),
    ]);
    expect(byName(result, 'a')?.target).toMatchObject({ command: 'node' });
  });

  it('warns about an ${input:} the file does not declare, and imports the entry anyway', () => {
    const result = parseServerConfig({ servers: { x: { type: 'stdio', command: 'x', env: { KEY: '${input:missing}' } } } });
    expect(names(result)).toEqual(['x']);
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'unknown_input',
        severity: 'warning',
        entry: 'x',
        message: expect.stringContaining('${input:missing}'),
      }),
    ]);
  });
});

describe('credentials outside header and env values', () => {
  it('warns, naming the field, about a password in a URL, a credential query parameter and --token style arguments', () => {
    const result = parseServerConfig({
      mcpServers: {
        pg: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://app:s3cret@db.internal/app'] },
        keyed: { url: 'https://mcp.example.com/mcp?api_key=abc123' },
        flags: { command: 'node', args: ['server.js', '--api-key', 'k-123', '--token=t-456', '--db-path', '/tmp/x.db', '--password='] },
        clean: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://localhost/mydb'] },
      },
    });
    // Warnings: every entry is imported.
    expect(names(result)).toEqual(['pg', 'keyed', 'flags', 'clean']);
    expect(result.problems.map((p) => [p.code, p.severity, p.entry, p.field])).toEqual([
      ['credential_in_clear', 'warning', 'pg', 'args.2'],
      ['credential_in_clear', 'warning', 'keyed', 'url'],
      ['credential_in_clear', 'warning', 'flags', 'args.2'],
      ['credential_in_clear', 'warning', 'flags', 'args.3'],
    ]);
    expect(result.problems[0]?.message).toContain('Server "pg", field "args.2"');
  });
});

describe('entries that fail, each named with its field', () => {
  const file = {
    mcpServers: {
      good: { command: 'npx', args: ['-y', 'pkg'] },
      'no-kind': { args: ['x'] },
      both: { command: 'node', url: 'https://x.example/mcp' },
      'js-url': { url: 'javascript:alert(document.cookie)' },
      'file-url': { url: 'file:///etc/passwd' },
      'relative-url': { url: '//evil.example/mcp' },
      'bad-args': { command: 'node', args: ['ok', 42] },
      'bad-env': { command: 'node', env: { 'BAD-NAME': 'x', OK: 'y' } },
      'env-number': { command: 'node', env: { PORT: 3000 } },
      'newline-command': { command: 'node\nrm -rf /' },
      'header-injection': { url: 'https://h.example/mcp', headers: { 'X-A': 'v\r\nHost: evil' } },
      'bad-header-name': { url: 'https://h.example/mcp', headers: { 'X A': 'v' } },
      'stdio-with-url': { type: 'stdio', url: 'https://s.example/mcp' },
      'http-with-command': { type: 'http', command: 'node' },
      'unknown-type': { type: 'websocket', url: 'wss://w.example' },
      'not-object': 'npx server',
      'array-entry': ['npx'],
      also_good: { url: 'https://ok.example/mcp' },
    },
  };
  const result = parseServerConfig(file);
  const problemFor = (entry: string) => errors(result).filter((problem) => problem.entry === entry);

  it('imports only the good entries', () => {
    expect(names(result)).toEqual(['good', 'also_good']);
  });

  it('reports every other entry, naming it', () => {
    const reported = new Set(errors(result).map((problem) => problem.entry));
    for (const name of Object.keys(file.mcpServers).filter((n) => n !== 'good' && n !== 'also_good')) expect(reported).toContain(name);
    for (const problem of errors(result)) expect(problem.message).toContain(`Server "${problem.entry}"`);
  });

  it('names the field and says what is wrong', () => {
    expect(problemFor('no-kind')[0]?.message).toMatch(/neither "command".*nor "url"/);
    expect(problemFor('both')[0]?.message).toContain('both "command" and "url"');
    expect(problemFor('js-url')[0]).toMatchObject({ code: 'unsafe_url', field: 'url', message: expect.stringContaining('javascript:') });
    expect(problemFor('file-url')[0]).toMatchObject({ code: 'unsafe_url', field: 'url' });
    expect(problemFor('relative-url')[0]?.message).toContain('not an absolute URL');
    expect(problemFor('bad-args')[0]).toMatchObject({ field: 'args.1' });
    expect(problemFor('bad-env').map((p) => p.field)).toEqual(['env.BAD-NAME']);
    expect(problemFor('bad-env')[0]?.message).toContain('environment variable names are letters');
    expect(problemFor('env-number')[0]).toMatchObject({ field: 'env.PORT' });
    expect(problemFor('newline-command')[0]).toMatchObject({ field: 'command', message: expect.stringContaining('line breaks') });
    expect(problemFor('header-injection')[0]).toMatchObject({ field: 'headers.X-A', message: expect.stringContaining('line breaks') });
    expect(problemFor('bad-header-name')[0]).toMatchObject({ field: 'headers.X A' });
    expect(problemFor('stdio-with-url')[0]?.message).toContain('"type" is "stdio", which needs "command"');
    expect(problemFor('http-with-command')[0]?.message).toContain('"type" is "http", which needs "url"');
    expect(problemFor('unknown-type')[0]).toMatchObject({ field: 'type', message: expect.stringContaining('stdio, http or sse') });
    expect(problemFor('not-object')[0]?.message).toContain('must be an object with "command"');
    expect(problemFor('array-entry')[0]?.message).toContain('must be an object with "command"');
  });

  it('refuses plain http: when the rule says so (hosted mode), and allows it by default (local mode)', () => {
    const config = { mcpServers: { local: { url: 'http://127.0.0.1:3001/mcp' } } };
    expect(names(parseServerConfig(config))).toEqual(['local']);
    const refused = parseServerConfig(config, { http: 'refuse' });
    expect(refused.servers).toEqual([]);
    expect(refused.problems[0]).toMatchObject({
      code: 'unsafe_url',
      entry: 'local',
      field: 'url',
      message: expect.stringContaining('http:'),
    });
  });

  it('refuses names that are empty, too long or hold control characters', () => {
    const r = parseServerConfig({
      mcpServers: { '': { command: 'a' }, ' ': { command: 'a' }, ['n'.repeat(201)]: { command: 'a' }, 'a\u001b[31m': { command: 'a' } },
    });
    expect(r.servers).toEqual([]);
    expect(r.problems.map((p) => p.code)).toEqual(['invalid_name', 'invalid_name', 'invalid_name', 'invalid_name']);
    // The escape sequence is not echoed into the message as is.
    expect(r.problems[3]?.message).not.toContain('\u001b');
  });

  it('a __proto__ key neither pollutes nor passes, from text or from a parsed value', () => {
    const text = '{"mcpServers": {"p": {"command": "node", "env": {"__proto__": {"polluted": "yes"}, "A": "1"}}}}';
    for (const input of [text, JSON.parse(text.replace('{"polluted": "yes"}', '"x"')) as unknown]) {
      const r = parseServerConfig(input);
      expect(r.problems).toEqual([]);
      const env = (r.servers[0]?.target as { env: Record<string, string> }).env;
      expect(env).toEqual({ A: '1' });
      expect(Object.keys(env)).toEqual(['A']);
      expect(Object.getPrototypeOf(env)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
});

describe('whole files that fail', () => {
  it('says where the JSON is broken', () => {
    const r = parseServerConfig('{\n  "mcpServers": {\n    "a": { "command": "x" \n  }\n');
    expect(r.servers).toEqual([]);
    expect(r.problems).toEqual([
      expect.objectContaining({ code: 'invalid_json', severity: 'error', message: expect.stringMatching(/line \d+, column \d+/) }),
    ]);
  });

  it('says what it expected when there is no server map', () => {
    expect(parseServerConfig('[]').problems[0]).toMatchObject({ code: 'not_an_object' });
    expect(parseServerConfig('{"editor.fontSize": 14}').problems[0]).toMatchObject({
      code: 'no_servers',
      message: expect.stringContaining('"mcpServers"'),
    });
    expect(parseServerConfig('{"mcpServers": []}').problems[0]).toMatchObject({
      code: 'not_an_object',
      message: expect.stringContaining('"mcpServers"'),
    });
    expect(parseServerConfig('').problems[0]).toMatchObject({ code: 'invalid_json' });
  });

  it('bounds size, depth and entry count', () => {
    const big = `{"mcpServers": {"a": {"command": "x", "args": ["${'a'.repeat(MAX_CONFIG_LENGTH)}"]}}}`;
    expect(parseServerConfig(big).problems[0]).toMatchObject({ code: 'too_large' });

    const deepText = `{"mcpServers": {"a": {"command": "x", "extra": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}}`;
    expect(parseServerConfig(deepText).problems[0]).toMatchObject({ code: 'too_deep' });
    let deepValue: unknown = 'x';
    for (let i = 0; i < MAX_CONFIG_DEPTH + 5; i++) deepValue = { d: deepValue };
    expect(parseServerConfig({ mcpServers: { a: { command: 'x', extra: deepValue } } }).problems[0]).toMatchObject({ code: 'too_deep' });
    // Brackets inside strings and comments do not count.
    expect(parseServerConfig(`{"mcpServers": {"a": {"command": "${'['.repeat(100)}"}}} // ${'{'.repeat(100)}`).servers).toHaveLength(1);

    const many = Object.fromEntries(Array.from({ length: MAX_CONFIG_SERVERS + 50 }, (_, i) => [`s${i}`, { command: 'node' }]));
    const r = parseServerConfig({ mcpServers: many });
    expect(r.servers).toHaveLength(MAX_CONFIG_SERVERS);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'too_many_servers' })]);
  });

  it('bounds strings and lists inside an entry', () => {
    const r = parseServerConfig({
      mcpServers: {
        longArg: { command: 'x', args: ['a'.repeat(10_000)] },
        manyArgs: { command: 'x', args: Array.from({ length: 300 }, () => 'a') },
        longUrl: { url: `https://x.example/${'a'.repeat(9000)}` },
        manyHeaders: { url: 'https://x.example/mcp', headers: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`X-H${i}`, 'v'])) },
        manyEnv: { command: 'x', env: Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`V${i}`, 'v'])) },
      },
    });
    expect(r.servers).toEqual([]);
    expect(new Set(r.problems.map((p) => p.entry))).toEqual(new Set(['longArg', 'manyArgs', 'longUrl', 'manyHeaders', 'manyEnv']));
    expect(r.problems.find((p) => p.entry === 'longUrl')?.field).toBe('url');
  });
});

describe("checkSavedServer (mcpscope's own shape, from the connect form)", () => {
  it('accepts both kinds by the same rules as a file', () => {
    expect(checkSavedServer('remote', { kind: 'url', url: 'https://r.example/mcp', transport: 'sse', headers: { 'X-A': '1' } })).toEqual({
      draft: {
        name: 'remote',
        target: { kind: 'url', url: 'https://r.example/mcp', transport: 'sse', headers: { 'X-A': '1' } },
        placeholders: [],
      },
      problems: [],
    });
    expect(checkSavedServer('auto', { kind: 'url', url: 'https://a.example/mcp', transport: 'auto' }).draft?.target).toEqual({
      kind: 'url',
      url: 'https://a.example/mcp',
    });
    expect(checkSavedServer('local', { kind: 'command', command: 'npx', args: ['-y', 'x'], env: { A: '1' } }).draft?.target).toEqual({
      kind: 'command',
      command: 'npx',
      args: ['-y', 'x'],
      env: { A: '1' },
    });
  });

  it('refuses what a file entry would be refused for, naming the server and field', () => {
    expect(checkSavedServer('x', { kind: 'url', url: 'javascript:alert(1)' }).problems[0]).toMatchObject({
      code: 'unsafe_url',
      entry: 'x',
      field: 'url',
    });
    expect(checkSavedServer('x', { kind: 'url', url: 'https://x.example', transport: 'websocket' }).problems[0]).toMatchObject({
      field: 'transport',
    });
    expect(checkSavedServer('x', { kind: 'command', command: 'node', url: 'https://x.example' }).problems[0]?.message).toContain('both');
    expect(checkSavedServer('x', { kind: 'ftp' }).problems[0]).toMatchObject({ code: 'invalid_entry', field: 'kind' });
    expect(checkSavedServer('x', 'npx server').draft).toBeUndefined();
    expect(checkSavedServer('', { kind: 'command', command: 'node' }).problems[0]).toMatchObject({ code: 'invalid_name' });
  });
});
