// "Copy as": curl commands, the handshake script and the SDK snippet, each checked by running it for real
// (bash, curl, node) against servers on 127.0.0.1, so quoting and secret handling are proven, not assumed.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  Client,
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type ClientOptions,
  type Transport,
} from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startLegacySse, startStateless2026, type FixtureServer } from '@/e2e/fixtures';
import {
  buildHandshakeScript,
  captureText,
  CopyAsError,
  createRecordingFetch,
  exchangeToCurl,
  groupExchanges,
  handshakeScript,
  shellQuote,
  toolCallSnippet,
  TraceLog,
  type ExchangeEvents,
  type HttpRequestEvent,
} from '@/lib/trace';

const TOKEN = 'tok_live_0123456789abcdefWXYZ';
const API_KEY = 'key-AAAABBBBCCCCDDDD-9999';
const CUSTOM = 'custom-secret-value-5555';
const CLIENT_SECRET = 'client-secret-xyz-0000-7777';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a bash script (or command) with a 20 s limit. */
function runBash(script: string, env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script],
      {
        timeout: 20_000,
        encoding: 'utf8',
        // A clean environment: only what the script is given (no TOKEN leaking in from the test runner).
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), ...env } as unknown as NodeJS.ProcessEnv,
        maxBuffer: 8 << 20,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function listen(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  cleanups.push(async () => {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A server that answers every request with what it received, as JSON. */
async function startEchoServer(): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const base = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(entry);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(entry));
    });
  });
  return { base, seen };
}

/** A 2025 stateful Streamable HTTP server (SDK v1) that wants a bearer token. */
async function startStatefulServer(token: string): Promise<{ url: string; sessions: Set<string>; deleted: string[] }> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const sessions = new Set<string>();
  const deleted: string[] = [];
  const base = await listen(async (req, res) => {
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }).end('{"error":"unauthorized"}');
      return;
    }
    const sid = req.headers['mcp-session-id'];
    if (req.method === 'DELETE' && typeof sid === 'string') deleted.push(sid);
    let transport = typeof sid === 'string' ? transports.get(sid) : undefined;
    if (!transport) {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => crypto.randomUUID(),
        onsessioninitialized: (id) => {
          sessions.add(id);
          transports.set(id, transport!);
        },
      });
      const server = new McpServer({ name: 'curl-fixture', version: '1.0.0' });
      server.registerTool('echo', { description: 'Echoes its text', inputSchema: { text: z.string() } }, async ({ text }) => ({
        content: [{ type: 'text', text: `echo: ${text}` }],
      }));
      await server.connect(transport);
    }
    await transport.handleRequest(req, res);
  });
  cleanups.push(async () => {
    for (const t of transports.values()) await t.close().catch(() => undefined);
  });
  return { url: `${base}/mcp`, sessions, deleted };
}

function newLog(url: string): TraceLog {
  return new TraceLog({ sessionId: 'curl', serverUrl: url, startedAt: Date.now(), transport: 'auto' });
}

function exchangesOf(log: TraceLog): ExchangeEvents[] {
  return [...groupExchanges(log.events()).values()];
}

describe('exchangeToCurl', () => {
  it('quotes a body with single quotes, newlines, $ and backticks so it arrives byte for byte', async () => {
    const { base, seen } = await startEchoServer();
    const body = `{"text":"it's a \\"test\\"\\nline2 $HOME \`whoami\` $(id) \\\\ %s '' end"}\nsecond line\n`;
    const request: HttpRequestEvent = {
      kind: 'http.request',
      seq: 1,
      t: 0,
      exchangeId: 'ex1',
      purpose: 'mcp',
      method: 'PUT',
      url: `${base}/x?q=a%20b&x=$HOME`,
      headers: [
        ['content-type', 'application/json'],
        ['x-note', `it's $HOME`],
        ['content-length', '999'],
      ],
      body: captureText(body, 1 << 20),
    };
    const { command, variables, warnings } = exchangeToCurl({ request });
    expect(variables).toEqual([]);
    expect(warnings).toEqual([]);
    expect(command).not.toContain('Content-Length');
    const run = await runBash(command);
    expect(run.code).toBe(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'PUT', url: '/x?q=a%20b&x=$HOME', body });
    expect(seen[0].headers['x-note']).toBe(`it's $HOME`);
    expect(seen[0].headers['content-type']).toBe('application/json');
  });

  it('puts secrets in shell variables: none appear in the command, and setting them reproduces the request', async () => {
    const { base, seen } = await startEchoServer();
    const log = newLog(base);
    const recordingFetch = createRecordingFetch(log, { secretHeaderNames: ['x-custom-secret'] });
    const form = `grant_type=client_credentials&client_id=mcpscope&client_secret=${CLIENT_SECRET}&scope=a+b`;
    await (
      await recordingFetch(`${base}/token?api_key=${API_KEY}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'x-api-key': API_KEY,
          'x-custom-secret': CUSTOM,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form,
      })
    ).text();
    const original = seen[0];
    const exchange = exchangesOf(log)[0];
    const { command, variables } = exchangeToCurl(exchange);
    for (const secret of [TOKEN, API_KEY, CUSTOM, CLIENT_SECRET]) expect(command).not.toContain(secret);
    expect(command).toContain(`-H 'Authorization: Bearer '"$TOKEN"`);
    expect(command).toContain(`-H 'X-API-Key: '"$API_KEY"`);
    expect(command).toContain(`-H 'X-Custom-Secret: '"$HEADER_X_CUSTOM_SECRET"`);
    expect(command).toContain(`client_secret='"$CLIENT_SECRET"'&scope=a+b'`);
    // The API key in the URL is the same secret as the header's: one variable.
    expect(variables.map((v) => v.name)).toEqual(['API_KEY', 'TOKEN', 'HEADER_X_CUSTOM_SECRET', 'CLIENT_SECRET']);
    expect(variables.find((v) => v.name === 'TOKEN')?.description).toBe(
      'The bearer token for the Authorization header (the recorded one ended in "WXYZ").',
    );
    expect(variables.find((v) => v.name === 'TOKEN')?.masked).toBe('••••WXYZ');

    // Without the variables set, bash refuses rather than sending empty credentials... with `set -u`.
    expect((await runBash(`set -u; ${command}`)).code).not.toBe(0);
    const run = await runBash(command, { TOKEN, API_KEY, HEADER_X_CUSTOM_SECRET: CUSTOM, CLIENT_SECRET });
    expect(run.code).toBe(0);
    const replayed = seen[seen.length - 1];
    expect(replayed.url).toBe(original.url);
    expect(replayed.body).toBe(original.body);
    for (const h of ['authorization', 'x-api-key', 'x-custom-secret', 'content-type', 'accept']) {
      expect(replayed.headers[h], h).toBe(original.headers[h]);
    }
  });

  it('a JWT credential (masked to header.claims.••••) becomes one variable for the whole JWT, and the replay is exact', async () => {
    const { base, seen } = await startEchoServer();
    const log = newLog(base);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const assertion = `${b64({ alg: 'ES256' })}.${b64({ iss: 'client-1' })}.${'s'.repeat(40)}AbCd`;
    const proof = `${b64({ alg: 'ES256', typ: 'dpop+jwt' })}.${b64({ htm: 'POST' })}.${'p'.repeat(40)}WxYz`;
    await (
      await createRecordingFetch(log)(`${base}/token`, {
        method: 'POST',
        headers: { dpop: proof, 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_assertion=${assertion}&scope=a`,
      })
    ).text();
    const original = seen[0];
    const { command, variables } = exchangeToCurl(exchangesOf(log)[0]);
    expect(command).not.toContain('s'.repeat(40));
    expect(command).not.toContain(b64({ iss: 'client-1' }));
    expect(command).toContain(`client_assertion='"$CLIENT_ASSERTION"'&scope=a'`);
    expect(command).toContain(`-H 'Dpop: '"$HEADER_DPOP"`);
    expect(variables.map((v) => v.name)).toEqual(['HEADER_DPOP', 'CLIENT_ASSERTION']);
    const run = await runBash(command, { CLIENT_ASSERTION: assertion, HEADER_DPOP: proof });
    expect(run.code).toBe(0);
    const replayed = seen[seen.length - 1];
    expect(replayed.body).toBe(original.body);
    expect(replayed.headers.dpop).toBe(proof);
  });

  it('streams (-N) what accepts an event stream, uses -X for other methods, and sends binary bodies exactly', async () => {
    const { base, seen } = await startEchoServer();
    const get = exchangeToCurl({
      request: {
        kind: 'http.request',
        seq: 1,
        t: 0,
        exchangeId: 'g',
        purpose: 'mcp-stream',
        method: 'GET',
        url: `${base}/sse`,
        headers: [['accept', 'text/event-stream']],
      },
    });
    expect(get.command).toBe(`curl -N '${base}/sse' \\\n  -H 'Accept: text/event-stream'`);
    const del = exchangeToCurl(
      {
        request: { kind: 'http.request', seq: 1, t: 0, exchangeId: 'd', purpose: 'mcp', method: 'DELETE', url: `${base}/mcp`, headers: [] },
      },
      { multiline: false },
    );
    expect(del.command).toBe(`curl -X 'DELETE' '${base}/mcp'`);

    const bytes = Uint8Array.from([0, 1, 2, 255, 39, 10, 36]);
    const log = newLog(base);
    await (
      await createRecordingFetch(log)(`${base}/bin`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes,
      })
    ).text();
    const bin = exchangeToCurl(exchangesOf(log)[0]);
    expect(bin.command.startsWith(`printf '%s' `)).toBe(true);
    expect((await runBash(bin.command)).code).toBe(0);
    expect(Buffer.from(seen[seen.length - 1].body, 'utf8')).toEqual(Buffer.from(new TextDecoder().decode(bytes), 'utf8'));
  });

  it('warns when the body was cut at capture, and refuses an exchange without a request', () => {
    const body = { ...captureText('x'.repeat(100), 10) };
    const { warnings } = exchangeToCurl({
      request: {
        kind: 'http.request',
        seq: 1,
        t: 0,
        exchangeId: 'a',
        purpose: 'mcp',
        method: 'POST',
        url: 'http://127.0.0.1:1/',
        headers: [],
        body,
      },
    });
    expect(warnings).toEqual(['The request body was cut at capture: the command sends only its first part, not all 100 bytes.']);
    let caught: unknown;
    try {
      exchangeToCurl({});
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CopyAsError);
    expect((caught as CopyAsError).code).toBe('no_request');
  });

  it('shellQuote survives every awkward character through a real shell', async () => {
    const nasty = `a'b"c$d\`e\\f\ng!h*i?j[k]l{m}n;o|p&q<r>s(t)u#v~w%x y\tz ''`;
    const run = await runBash(`printf '%s' ${shellQuote(nasty)}`);
    expect(run.stdout).toBe(nasty);
  });
});

describe('handshakeScript', () => {
  it('replays a recorded 2025 stateful handshake against the real server, threading the session id', async () => {
    const server = await startStatefulServer(TOKEN);
    const log = newLog(server.url);
    const client = new Client({ name: 'curl-test', version: '0.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.url), {
        fetch: createRecordingFetch(log),
        requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      }),
    );
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['echo']);
    await client.close();
    const recordedSessions = server.sessions.size;

    const built = buildHandshakeScript(log.events(), { meta: { serverUrl: server.url, protocolVersion: '2025-11-25' } });
    expect(built.mode).toBe('streamable-http');
    expect(built.steps).toEqual(['initialize', 'notifications/initialized', 'tools/list']);
    expect(built.variables.map((v) => v.name)).toEqual(['TOKEN']);
    expect(built.script).not.toContain(TOKEN);
    expect(built.script).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(built.script).toContain('set -euo pipefail');
    expect(built.script).toContain(': "${TOKEN:?Set TOKEN first');
    expect(built.script).toContain('-D "$HEADERS_FILE"');
    expect(handshakeScript(log.events())).toContain('Mcp-Session-Id: $SESSION_ID');

    // Without the token the script stops before sending anything.
    const refused = await runBash(built.script);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Set TOKEN first');
    expect(server.sessions.size).toBe(recordedSessions);

    const run = await runBash(built.script, { TOKEN });
    if (process.env.SHOW_SCRIPT) console.log(built.script, run.stdout, run.stderr);
    expect(run.stderr).toContain('== tools/list');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"tools":[{"name":"echo"');
    expect(run.stdout).toContain('"serverInfo":{"name":"curl-fixture"');
    // One new session: the initialize made it, tools/list used it (the server refuses unknown sessions), DELETE ended it.
    expect(server.sessions.size).toBe(recordedSessions + 1);
    const newSession = [...server.sessions].pop()!;
    expect(run.stderr).toContain(`session id: ${newSession}`);
    expect(server.deleted).toContain(newSession);
  });

  /** The log of a client connecting to `fixture` through `transport`, listing the tools and closing; the fixture stops after the test. */
  async function recordToolsList(
    fixture: FixtureServer,
    transport: (url: URL, fetch: typeof globalThis.fetch) => Transport,
    clientOptions?: ClientOptions,
  ): Promise<TraceLog> {
    cleanups.push(() => fixture.close());
    const log = newLog(fixture.url);
    const client = new Client({ name: 'curl-test', version: '0.0.0' }, clientOptions);
    await client.connect(transport(new URL(fixture.url), createRecordingFetch(log)));
    await client.listTools();
    await client.close();
    return log;
  }

  it('replays a 2026-07-28 stateless handshake (server/discover, tools/list)', async () => {
    const log = await recordToolsList(await startStateless2026(), (url, fetch) => new StreamableHTTPClientTransport(url, { fetch }), {
      versionNegotiation: { mode: 'auto' },
    });

    const built = buildHandshakeScript(log.events());
    if (process.env.SHOW_SCRIPT) console.log(built.script);
    expect(built.mode).toBe('stateless-2026');
    expect(built.steps).toEqual(['server/discover', 'tools/list']);
    expect(built.script).not.toContain('SESSION_ID');
    const run = await runBash(built.script);
    expect(run.stderr).toContain('== tools/list');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"name":"add"');
  });

  it('replays a legacy HTTP+SSE handshake: stream, endpoint event, POSTs, answers read from the stream', async () => {
    const log = await recordToolsList(await startLegacySse(), (url, fetch) => new SSEClientTransport(url, { fetch }));

    const built = buildHandshakeScript(log.events());
    if (process.env.SHOW_SCRIPT) console.log(built.script);
    expect(built.mode).toBe('legacy-sse');
    expect(built.steps).toEqual(['initialize', 'notifications/initialized', 'tools/list']);
    const run = await runBash(built.script);
    expect(run.stderr).toContain('messages go to: http://127.0.0.1:');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/"serverInfo":\{"name":"[^"]+"/);
    expect(run.stdout).toContain('"name":"add"');
  });

  it('says so when the log holds no handshake', () => {
    let caught: unknown;
    try {
      handshakeScript(newLog('http://127.0.0.1:1/mcp').events());
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CopyAsError);
    expect((caught as CopyAsError).code).toBe('no_handshake');
  });
});

describe('toolCallSnippet', () => {
  it('writes TypeScript for the v2 SDK that makes the same call when run', async () => {
    const server = await startStatefulServer(TOKEN);
    const snippet = toolCallSnippet({
      serverUrl: server.url,
      transport: 'auto',
      era: 'stateful-2025',
      toolName: 'echo',
      args: { text: `it's "$HOME"` },
      headerNames: ['authorization'],
      headers: [['authorization', 'Bearer ••••WXYZ']],
    });
    expect(snippet).toContain("import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';");
    expect(snippet).toContain("versionNegotiation: { mode: 'auto' }");
    expect(snippet).toContain('"Authorization": `Bearer ${env("TOKEN")}`');
    expect(snippet).toContain('client.callTool({ name: "echo", arguments: {');
    expect(snippet).not.toContain('WXYZ');

    const js = ts.transpileModule(snippet, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mcpscope-snippet-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await symlink(path.resolve('node_modules'), path.join(dir, 'node_modules'));
    await writeFile(path.join(dir, 'call.mjs'), js);
    const run = await new Promise<RunResult>((resolve) => {
      execFile(process.execPath, [path.join(dir, 'call.mjs')], { timeout: 20_000, env: { ...process.env, TOKEN } }, (err, stdout, stderr) =>
        resolve({ code: err ? 1 : 0, stdout, stderr }),
      );
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ content: [{ type: 'text', text: `echo: it's "$HOME"` }] });
  });

  it('uses the legacy SSE transport for a legacy server, and literal values for headers that were not secret', () => {
    const snippet = toolCallSnippet({
      serverUrl: 'http://127.0.0.1:9/sse',
      transport: 'sse',
      toolName: 'add',
      args: { a: 1, b: 2 },
      headerNames: ['X-Tenant', 'x-api-key'],
      headers: [
        ['x-tenant', 'acme'],
        ['x-api-key', '••••9999'],
      ],
    });
    expect(snippet).toContain("import { Client, SSEClientTransport } from '@modelcontextprotocol/client';");
    expect(snippet).not.toContain('versionNegotiation');
    expect(snippet).toContain('"X-Tenant": "acme",');
    expect(snippet).toContain('"X-API-Key": env("API_KEY"),');
    expect(snippet).toContain('// Set API_KEY in the environment first');
  });
});
