// A recording served by lib/mock: the official SDK clients (v2 both eras, v1 2025, legacy SSE) and mcpscope's own
// engine connect to it, it answers as recorded, a miss names the nearest recorded request, and a replay of the
// recording against the mock shows no difference.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startReplayTarget } from '@/e2e/fixtures/replay-target';
import { startMock, MOCK_NO_MATCH, type RunningMock } from '@/lib/mock';
import { ignoreRules, readRecordingFile, replayRecording, type Recording } from '@/lib/replay';
import { runCli } from '../cli/helpers';
import { recordSession } from './record';
import { connectLogged } from '../fixtures/connect';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-mock-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function replayAgainst(recording: Recording, url: string) {
  const { connection } = await connectLogged(url, { sessionId: 'replay' });
  try {
    return {
      report: await replayRecording(recording, (m, p) => connection.request(m, p), { ignore: ignoreRules([]) }),
      era: connection.era,
    };
  } finally {
    await connection.close();
  }
}

const textOf = (result: unknown) => ((result as { content: Array<{ text: string }> }).content ?? []).map((c) => c.text).join('');

describe.each(['2026', '2025'] as const)('a mock of a %s-era recording', (era) => {
  let recording: Recording;
  let mock: RunningMock;
  const lines: string[] = [];
  beforeAll(async () => {
    const target = await startReplayTarget(era);
    const file = path.join(dir, `rec-${era}.json`);
    await recordSession(target.url, file);
    await target.close();
    recording = readRecordingFile(fs.readFileSync(file, 'utf8'));
    mock = await startMock(recording, { onRequest: (line) => lines.push(line) });
  });
  afterAll(() => mock.close());

  it('binds loopback', () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('a replay through mcpscope’s engine shows no difference', async () => {
    const { report } = await replayAgainst(recording, mock.url);
    expect(report.requests.filter((r) => r.verdict !== 'identical')).toEqual([]);
    expect(report.summary.total).toBe(7);
    expect(report.differs).toBe(false);
    expect(lines).toContain('tools/call greet {"name":"Ada"} → recorded #2');
  });

  it('the official v2 client connects (2026-07-28), lists and calls as recorded; a miss names the nearest request', async () => {
    const client = new Client({ name: 'mock-test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(mock.url)));
    try {
      expect(client.getServerVersion()?.name).toBe('fixture-replay-target');
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual(['greet', 'search', 'stamp']);
      expect(textOf(await client.callTool({ name: 'greet', arguments: { name: 'Ada' } }))).toBe('Hello, Ada.');
      // Other arguments to a recorded tool: the nearest recorded answer.
      expect(textOf(await client.callTool({ name: 'greet', arguments: { name: 'Bob' } }))).toBe('Hello, Ada.');
      const miss = await client.callTool({ name: 'search', arguments: { query: 'x' } }).then(
        () => undefined,
        (error: { code?: number; message: string }) => error,
      );
      expect(miss?.code).toBe(MOCK_NO_MATCH);
      expect(miss?.message).toMatch(
        /no answer for tools\/call search \{"query":"x"\}; the nearest recorded request is tools\/call (greet|stamp)/,
      );
    } finally {
      await client.close();
    }
  });

  it('the v1 SDK client connects with a 2025 session; legacy SSE clients connect at /sse', async () => {
    const v1 = new V1Client({ name: 'mock-test-v1', version: '1.0.0' });
    await v1.connect(new V1Transport(new URL(mock.url)));
    expect((await v1.readResource({ uri: 'note://readme' })).contents[0]).toMatchObject({ text: 'Read me.' });
    await v1.close();
    const sse = new Client({ name: 'mock-test-sse', version: '1.0.0' });
    await sse.connect(new SSEClientTransport(new URL(mock.sseUrl)));
    expect(textOf(await sse.callTool({ name: 'greet', arguments: { name: 'Ada' } }))).toBe('Hello, Ada.');
    await sse.close();
  });

  it('a method the recording never saw is -32601 naming the nearest recorded request; notifications get 202', async () => {
    const post = (body: unknown) =>
      fetch(mock.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify(body),
      });
    const miss = await (await post({ jsonrpc: '2.0', id: 9, method: 'resources/subscribe', params: { uri: 'note://readme' } })).json();
    expect(miss.id).toBe(9);
    expect(miss.error.code).toBe(-32601);
    expect(miss.error.message).toContain('the nearest recorded request is resources/read note://readme');
    expect(miss.error.data.nearest).toEqual({ method: 'resources/read', params: { uri: 'note://readme' } });
    expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' })).status).toBe(202);
    const broken = await fetch(mock.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe(-32700);
  });

  it('refuses a Host that is not loopback (DNS rebinding)', async () => {
    const port = new URL(mock.url).port;
    const response = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(response).toBe(403);
  });
});

describe('mcpscope mock', () => {
  it('serves a file until stopped; mcpscope replay against it exits 0', async () => {
    const target = await startReplayTarget('2026');
    const file = path.join(dir, 'cli.json');
    await recordSession(target.url, file);
    await target.close();
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../bin/mcpscope.mjs'), 'mock', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          const found = /(http:\/\/127\.0\.0\.1:\d+\/mcp)\s/.exec(out);
          if (found) resolve(found[1]);
        });
        child.once('exit', (code) => reject(new Error(`mock exited ${code}: ${out}`)));
        setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
      });
      const run = await runCli(['replay', file, '--against', url]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^7 identical, 0 differ, 0 failed/m);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 60_000);
});
