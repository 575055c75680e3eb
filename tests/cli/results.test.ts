// Results and failures: content rendering, isError and JSON-RPC errors (exit 5), elicitation answers,
// unreachable servers (exit 3) and usage mistakes (exit 2), against the demo server and real sockets.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadUrl, serveFetchHandler, type RunningServer } from '@/e2e/fixtures';
import { startDemoServer } from '../fixtures/demo-server';
import { startedForSuite } from '../fixtures/suite';
import { errorOf, expectCliError, lines, runCli, tempDataDir } from './helpers';

describe('against the demo server (2026-07-28 and 2025 at one URL)', () => {
  const demo = startedForSuite(() => startDemoServer());
  let url: string;
  beforeAll(() => {
    url = demo().url;
  });

  it('info shows the instructions and the server title', async () => {
    const run = await runCli(['info', url]);
    expect(run.code).toBe(0);
    expect(lines(run.stdout)[0]).toMatch(/^Server {8}mcpscope demo server \(mcpscope-demo\) \d/);
    expect(run.stdout).toMatch(/^Instructions {2}A demo server for trying mcpscope\./m);
  });

  it('an image is one placeholder line with its type and size, and the caption follows', async () => {
    const run = await runCli(['call', url, 'render_image']);
    expect(run.code).toBe(0);
    const [placeholder, caption] = lines(run.stdout);
    expect(placeholder).toMatch(/^\[image image\/png, \d+(\.\d)? KB\]$/);
    expect(caption).toContain('PNG');
    // The image data itself is not printed.
    expect(run.stdout.length).toBeLessThan(200);
  });

  it('structuredContent is shown as JSON after the text', async () => {
    const run = await runCli(['call', url, 'structured_weather', '--args', '{"city": "Paris"}']);
    expect(run.code).toBe(0);
    const [text, rest] = run.stdout.split('\nstructuredContent:\n');
    expect(text).toMatch(/^Paris: /);
    expect(JSON.parse(rest)).toMatchObject({ city: 'Paris', units: 'metric' });
  });

  it('a tool returning isError exits 5, prints its content and one error line', async () => {
    const run = await runCli(['call', url, 'fail_always']);
    expect(run.code).toBe(5);
    expect(run.stdout).toContain('warehouse is on fire');
    expectCliError(run, 'tool_error', '"fail_always" returned an error (isError: true)');
  });

  it('--json with isError still prints the result, and exits 5', async () => {
    const run = await runCli(['call', url, 'fail_always', '--json']);
    expect(run.code).toBe(5);
    expect(JSON.parse(run.stdout).result.isError).toBe(true);
  });

  it('a JSON-RPC error answer exits 5 and names the error (elicitation not offered)', async () => {
    const run = await runCli(['call', url, 'confirm_action']);
    expect(run.code).toBe(5);
    expect(run.stdout).toBe('');
    expectCliError(run, 'jsonrpc_error', /JSON-RPC error -32\d{3}/, '--on-elicitation');
  });

  it('--json puts the JSON-RPC error on stdout', async () => {
    const run = await runCli(['call', url, 'confirm_action', '--json']);
    expect(run.code).toBe(5);
    const { error } = JSON.parse(run.stdout) as { error: { code: number; message: string } };
    expect(typeof error.code).toBe('number');
    expect(error.message).toMatch(/elicitation/);
  });

  it('--on-elicitation accept answers with the form defaults', async () => {
    const run = await runCli(['call', url, 'confirm_action', '--on-elicitation', 'accept']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Not confirmed: nothing was done ({"confirm":false,"priority":"normal"}).\n');
    expect(run.stderr).toContain('elicitation: "Really delete the staging database?" -> accept {"confirm":false,"priority":"normal"}');
  });

  it('--log writes the session export, with header values masked', async () => {
    const dir = tempDataDir();
    try {
      const logFile = path.join(dir.dir, 'session.json');
      const run = await runCli([
        'call',
        url,
        'echo',
        '--args',
        '{"message": "logged"}',
        '--header',
        'X-Api-Key: secret-value-123',
        '--log',
        logFile,
      ]);
      expect(run.code).toBe(0);
      const text = fs.readFileSync(logFile, 'utf8');
      expect(text).not.toContain('secret-value-123');
      const exported = JSON.parse(text) as {
        format: string;
        meta: { era: string };
        events: Array<{ kind: string; method?: string; headers?: Array<[string, string]> }>;
      };
      expect(exported.format).toBe('mcpscope-session');
      expect(exported.meta.era).toBe('stateless-2026');
      const posts = exported.events.filter((e) => e.kind === 'http.request' && e.method === 'POST');
      expect(posts.length).toBeGreaterThan(1);
      const sent = posts[0].headers?.find(([name]) => name.toLowerCase() === 'x-api-key')?.[1];
      expect(sent).toMatch(/^••••/);
      // The tool call is in the log as a JSON-RPC message.
      expect(exported.events.some((e) => e.kind === 'rpc' && JSON.stringify(e).includes('logged'))).toBe(true);
    } finally {
      dir.remove();
    }
  });

  it.each(['decline', 'cancel'])('--on-elicitation %s is passed to the server', async (action) => {
    const run = await runCli(['call', url, 'confirm_action', '--on-elicitation', action]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`The person chose ${action}: nothing was done.\n`);
  });
});

describe('a server whose tools/list fails', () => {
  let running: RunningServer;
  beforeAll(async () => {
    // Hand-written 2025 server (JSON responses, no session) that lists no tools: tools/list is a JSON-RPC error.
    running = await serveFetchHandler(async (request) => {
      if (request.method !== 'POST') return new Response(null, { status: 405 });
      const message = (await request.json()) as { id?: number; method: string; params?: { protocolVersion?: string } };
      if (message.id === undefined) return new Response(null, { status: 202 });
      const answer = (body: Record<string, unknown>) =>
        new Response(JSON.stringify({ jsonrpc: '2.0', id: message.id, ...body }), { headers: { 'content-type': 'application/json' } });
      switch (message.method) {
        case 'initialize':
          return answer({
            result: {
              protocolVersion: message.params?.protocolVersion,
              capabilities: { tools: {} },
              serverInfo: { name: 'broken-lister', version: '0.0.1' },
            },
          });
        case 'tools/list':
          return answer({ error: { code: -32603, message: 'the tool registry is offline' } });
        default:
          return answer({ error: { code: -32601, message: `Method not found: ${message.method}` } });
      }
    });
  });
  afterAll(async () => {
    await running.close();
  });

  it('tools exits 5 with the JSON-RPC error instead of showing an empty list', async () => {
    const run = await runCli(['tools', `${running.origin}/mcp`]);
    expect(run.code).toBe(5);
    expect(run.stdout).toBe('');
    const error = errorOf(run);
    expect(error.code).toBe('jsonrpc_error');
    expect(error.message).toBe('The server answered tools/list with JSON-RPC error -32603 (Internal error): the tool registry is offline');
  });
});

describe('failures before a server answers', () => {
  it('a dead URL exits 3 with one error line', async () => {
    const url = await deadUrl();
    const run = await runCli(['info', url]);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    const error = errorOf(run);
    expect(error.code).toBe('connection_refused');
    expect(lines(run.stderr)).toHaveLength(1);
  });

  it('a dead URL with --json also writes the error as JSON', async () => {
    const run = await runCli(['tools', await deadUrl(), '--json', '--transport', 'sse']);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toEqual({
      error: { code: 'connection_refused', message: expect.stringContaining('nothing is listening') },
    });
  });

  // No command at all serves the web app (issue 21: `npx mcpscope`): tests/cli/serve.test.ts.
  it.each([
    [['frobnicate', 'http://127.0.0.1:1/mcp'], 'Unknown command "frobnicate"'],
    [['call', 'http://127.0.0.1:1/mcp', 'add', '--args', '{"a": '], '--args is not valid JSON'],
    [['info', 'http://127.0.0.1:1/mcp', '--bogus'], 'Unknown option --bogus'],
    [['info', 'http://127.0.0.1:1/mcp', '--bearer', 'abcdefgh', '--oauth'], 'cannot be combined'],
    [['info', 'ftp://127.0.0.1/mcp'], 'Only http and https URLs'],
  ])('usage error %j exits 2 (the rest of the checks: args.test.ts)', async (args, text) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const error = errorOf(run);
    expect(['usage', 'invalid_url']).toContain(error.code);
    expect(error.message).toContain(text);
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    for (const text of ['mcpscope <command> <url>', '--on-elicitation', '--grant client_credentials', 'Exit codes:'])
      expect(run.stdout).toContain(text);
  });
});
