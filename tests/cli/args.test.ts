// The command line's pure parts, in process: argument parsing, rendering, elicitation defaults, error mapping.
import { describe, expect, it } from 'vitest';
import {
  CliError,
  describeCapabilities,
  EXIT,
  main,
  parseCommandLine,
  renderCallResult,
  renderTools,
  schemaDefaults,
  toCliError,
  type CliIo,
} from '@/lib/cli';
import { EngineError } from '@/lib/mcp';
import { OAuthFlowError } from '@/lib/oauth';

const URL_ = 'http://127.0.0.1:1/mcp';

function options(argv: string[]) {
  const parsed = parseCommandLine(argv);
  if (parsed.kind !== 'run') throw new Error(`expected a run, got ${parsed.kind}`);
  return parsed.options;
}

function usageMessage(argv: string[]): string {
  try {
    parseCommandLine(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.usage);
    return (error as CliError).message;
  }
  throw new Error(`${argv.join(' ')} parsed without a usage error`);
}

describe('parseCommandLine', () => {
  it('reads a call with arguments, headers, scopes and options', () => {
    const o = options([
      'call',
      URL_,
      'add',
      '--args',
      '{"a": 1, "b": 2}',
      '--header',
      'X-Api-Key: k1',
      '--header',
      'x-api-key: k2',
      '--header',
      'X-Trace:  a:b ',
      '--transport',
      'sse',
      '--scope',
      'mcp:read mcp:write',
      '--scope',
      'mcp:read',
      '--scope',
      'mcp:admin',
      '--json',
      '--log',
      'out.json',
      '--timeout',
      '2.5',
    ]);
    expect(o).toMatchObject({
      command: 'call',
      url: URL_,
      tool: 'add',
      args: { a: 1, b: 2 },
      transport: 'sse',
      json: true,
      logFile: 'out.json',
      timeoutMs: 2500,
    });
    // A repeated header name replaces the earlier one, whatever its case; values keep inner colons.
    expect(o.headers).toEqual({ 'x-api-key': 'k2', 'X-Trace': 'a:b' });
    expect(o.scopes).toEqual(['mcp:read', 'mcp:write', 'mcp:admin']);
    // --scope alone asks for OAuth.
    expect(o.oauth).toBe(true);
  });

  it('defaults: auto transport, no auth, empty arguments', () => {
    expect(options(['call', URL_, 'ping'])).toMatchObject({
      transport: 'auto',
      oauth: false,
      args: {},
      json: false,
      headers: {},
      scopes: [],
    });
    expect(options(['info', URL_]).onElicitation).toBeUndefined();
  });

  it('client options imply --oauth, but not with --grant', () => {
    expect(options(['info', URL_, '--client-id', 'abc']).oauth).toBe(true);
    const machine = options(['info', URL_, '--grant', 'client_credentials', '--client-id', 'm', '--client-secret', 's']);
    expect(machine).toMatchObject({ oauth: false, grant: 'client_credentials', clientId: 'm', clientSecret: 's' });
  });

  it('--tolerate takes named identity checks (repeatable) and implies --oauth; never a scheme or PKCE check', () => {
    const o = options(['info', URL_, '--tolerate', 'issuer_mismatch', '--tolerate', 'resource_mismatch', '--tolerate', 'issuer_mismatch']);
    expect(o).toMatchObject({ oauth: true, tolerate: ['issuer_mismatch', 'resource_mismatch'] });
    expect(options(['info', URL_]).tolerate).toEqual([]);
    expect(() => parseCommandLine(['info', URL_, '--tolerate', 'pkce_downgrade'])).toThrow(/--tolerate: .*cannot be tolerated/);
    expect(() => parseCommandLine(['info', URL_, '--tolerate', 'https'])).toThrow(/cannot be tolerated/);
    expect(() => parseCommandLine(['info', URL_, '--tolerate', 'typo'])).toThrow(/issuer_mismatch, resource_mismatch, iss_mismatch/);
  });

  it('a secret that begins with "-" is the option\'s value; a forgotten value followed by another option is still an error', () => {
    const machine = options(['info', URL_, '--grant', 'client_credentials', '--client-id', 'm', '--client-secret', '-dash1_Secret']);
    expect(machine.clientSecret).toBe('-dash1_Secret');
    expect(options(['info', URL_, '--bearer', '--tok-en']).bearer).toBe('--tok-en');
    expect(() => parseCommandLine(['info', URL_, '--client-id', 'm', '--client-secret', '--log', 'x.json'])).toThrow(/--client-secret/);
  });

  it('--help and --version win over everything else', () => {
    expect(parseCommandLine(['info', '--help']).kind).toBe('help');
    expect(parseCommandLine(['-h']).kind).toBe('help');
    expect(parseCommandLine(['--version']).kind).toBe('version');
  });

  it.each([
    [['info'], 'Missing the server URL'],
    [['call', URL_], 'Missing the tool name'],
    [['info', URL_, 'extra'], 'Unexpected argument "extra"'],
    [['tools', URL_, '--args', '{}'], '--args only applies to the call command'],
    [['call', URL_, 'add', '--args', '[1, 2]'], '--args must be a JSON object'],
    [['call', URL_, 'add', '--args'], 'argument missing'],
    [['info', URL_, '--transport', 'websocket'], '--transport must be one of auto, streamable-http, sse'],
    [['info', URL_, '--header', 'no colon'], "--header must look like 'Name: value'"],
    [['info', URL_, '--header', 'Bad Name: x'], 'not a valid HTTP header name'],
    [['info', URL_, '--grant', 'client_credentials'], 'needs --client-id and --client-secret'],
    [['info', URL_, '--grant', 'password'], '--grant takes client_credentials, jwt_bearer, id_jag, not "password"'],
    [['info', URL_, '--grant', 'client_credentials', '--client-id', 'a', '--client-secret', 'b', '--oauth'], 'not both'],
    [['info', URL_, '--client-secret', 'x'], '--client-secret needs --client-id'],
    [['info', URL_, '--client-id', 'a', '--client-metadata-url', 'https://x.example/c.json'], 'not both'],
    [['info', URL_, '--client-metadata-url', 'http://x.example/c.json'], 'must be an https URL with a path'],
    [['info', URL_, '--bearer', 'tok', '--scope', 'a'], 'cannot be combined'],
    [['info', URL_, '--on-elicitation', 'maybe'], '--on-elicitation must be one of accept, decline, cancel'],
    [['info', URL_, '--callback-port', '70000'], '--callback-port must be a port number'],
    [['info', URL_, '--timeout', '0'], '--timeout must be a positive number'],
  ])('%j is a usage error', (argv, text) => {
    expect(usageMessage(argv)).toContain(text);
  });
});

describe('main (in process)', () => {
  function io() {
    const out = { stdout: '', stderr: '' };
    const value: CliIo = {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { write: (t: string) => (out.stderr += t) },
      env: {},
    };
    return { io: value, out };
  }

  it('a usage error is one stderr line and exit 2', async () => {
    const { io: value, out } = io();
    expect(await main(['info'], value)).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      'mcpscope: usage: Missing the server URL (or a command after --): mcpscope info <url>. (mcpscope --help shows the usage)\n',
    );
  });

  it('an invalid URL is a usage error, found before any connection', async () => {
    const { io: value, out } = io();
    expect(await main(['info', 'localhost:3000/mcp'], value)).toBe(2);
    expect(out.stderr).toMatch(/^mcpscope: invalid_url: .*Did you mean http:\/\/localhost:3000\/mcp/);
  });
});

describe('exit codes from failures', () => {
  it.each([
    [new EngineError('connection_refused', 'refused'), 'connect', EXIT.connection],
    [new EngineError('timeout', 'slow'), 'request', EXIT.connection],
    [new EngineError('auth_required', 'x', { status: 401 }), 'connect', EXIT.authorization],
    [new EngineError('forbidden', 'x', { status: 403 }), 'request', EXIT.authorization],
    [new EngineError('input_not_provided', 'x'), 'request', EXIT.callFailed],
    [new EngineError('invalid_url', 'x'), 'connect', EXIT.usage],
    [new OAuthFlowError('registration_failed', 'no'), 'connect', EXIT.authorization],
    [
      new EngineError('protocol_error', 'wrapped', { cause: new OAuthFlowError('insufficient_scope', 'more scope') }),
      'request',
      EXIT.authorization,
    ],
    [new Error('bug'), 'request', EXIT.internal],
  ] as const)('%s during %s exits %i', (error, stage, exitCode) => {
    expect(toCliError(error, { auth: 'none', stage }).exitCode).toBe(exitCode);
  });

  it('a 401 without credentials says to use --oauth or --bearer; with a bearer token, that it was refused', () => {
    const error = new EngineError('auth_required', 'x', { status: 401 });
    expect(toCliError(error, { auth: 'none', stage: 'connect' }).message).toMatch(/--oauth.*--bearer/);
    expect(toCliError(error, { auth: 'bearer', stage: 'connect' }).message).toContain('refused the bearer token');
  });
});

describe('rendering', () => {
  it('renders each kind of content block on its own, binary data as a placeholder', () => {
    const text = renderCallResult({
      content: [
        { type: 'text', text: 'hello\n' },
        { type: 'image', mimeType: 'image/png', data: 'AAAA' },
        { type: 'audio', mimeType: 'audio/wav', data: Buffer.alloc(2048).toString('base64') },
        { type: 'resource_link', name: 'readme', uri: 'demo://readme', mimeType: 'text/markdown' },
        { type: 'resource', resource: { uri: 'demo://inline', mimeType: 'text/plain', text: 'inline text' } },
        { type: 'resource', resource: { uri: 'demo://blob', mimeType: 'application/octet-stream', blob: 'AAAAAA==' } },
      ],
      structuredContent: { ok: true },
    });
    expect(text).toBe(
      [
        'hello',
        '[image image/png, 3 B]',
        '[audio audio/wav, 2 KB]',
        '[resource link readme demo://readme (text/markdown)]',
        '[resource demo://inline (text/plain)]',
        'inline text',
        '[resource demo://blob application/octet-stream, 4 B]',
        'structuredContent:',
        '{',
        '  "ok": true',
        '}',
        '',
      ].join('\n'),
    );
    expect(renderCallResult({ content: [] })).toBe('(the tool returned no content)\n');
  });

  it('cuts descriptions to the terminal width, keeps them whole when piped', () => {
    const tools = [{ name: 'long', description: `first line\n${'word '.repeat(40)}`, inputSchema: { type: 'object' as const } }];
    const piped = renderTools(tools, true);
    expect(piped.split('\n')[1]).toBe(`long  ${' '.repeat(5)}  first line ${'word '.repeat(40).trim()}`);
    const narrow = renderTools(tools, true, 60).split('\n')[1];
    expect(narrow.length).toBe(60);
    expect(narrow.endsWith('…')).toBe(true);
    expect(renderTools([], false)).toContain('does not offer tools');
  });

  it('describes capabilities with their flags', () => {
    expect(describeCapabilities({ tools: { listChanged: true }, logging: {}, resources: { subscribe: true, listChanged: false } })).toBe(
      'logging, resources (subscribe), tools (listChanged)',
    );
  });

  it('accepting an elicitation fills the defaults of the requested schema', () => {
    expect(
      schemaDefaults({
        type: 'object',
        properties: {
          confirm: { type: 'boolean', default: false },
          reason: { type: 'string' },
          priority: { type: 'string', default: 'normal' },
        },
      }),
    ).toEqual({ confirm: false, priority: 'normal' });
    expect(schemaDefaults(undefined)).toEqual({});
  });
});
