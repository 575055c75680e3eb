// HAR 1.2 export and import, and the versioned JSON format: a realistic log survives toHar → fromHar
// exactly, the HAR passes a HAR 1.2 structure check, a browser's HAR with MCP traffic imports with its
// JSON-RPC paired, and files from newer versions are refused clearly.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@/scripts/chromium';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  captureText,
  createRecordingFetch,
  EXPORT_VERSION,
  fromHar,
  groupExchanges,
  HarImportError,
  maskBodyText,
  migrateExport,
  parseJsonExport,
  phaseTree,
  recordRpc,
  redactHeaders,
  rpcMessages,
  SecretSet,
  toHar,
  toJsonExport,
  TraceExportError,
  TraceLog,
  validateHar,
  type ExportMigrations,
  type Har,
  type TraceEvent,
  type TraceMeta,
} from '@/lib/trace';

const STARTED = Date.parse('2026-03-04T05:06:07.000Z');
const SERVER = 'http://127.0.0.1:4321/mcp';
const META: TraceMeta = {
  sessionId: 'har-test',
  serverUrl: SERVER,
  startedAt: STARTED,
  transport: 'auto',
  era: 'stateful-2025',
  protocolVersion: '2025-06-18',
  serverInfo: { name: 'fixture', version: '1.0.0' },
  capabilities: { tools: {} },
};
const CLIENT_SECRET = 'cs-very-secret-value-9876';
const AUTH_CODE = 'auth-code-0123456789';
const ACCESS_TOKEN = 'at-abcdefghijklmnop-WXYZ';

/** A session as the engine records it: OAuth token hop, initialize over SSE, a JSON answer, a failure. */
function realisticLog(): TraceLog {
  let now = STARTED;
  const tick = (ms: number) => {
    now += ms;
  };
  const log = new TraceLog(META, {}, { clock: () => now });
  const secrets = new SecretSet();
  const connect = log.beginPhase('connect');

  // OAuth: the token request, with the code, verifier and client secret masked at capture.
  const token = log.beginPhase('token', { parentId: connect.id });
  const form = `grant_type=authorization_code&code=${AUTH_CODE}&code_verifier=verifier-abcdefghijklmnop&client_id=mcpscope&client_secret=${CLIENT_SECRET}`;
  log.append({
    kind: 'http.request',
    exchangeId: 'ex-token',
    phaseId: token.id,
    purpose: 'oauth',
    method: 'POST',
    url: 'http://127.0.0.1:4322/token',
    headers: redactHeaders([
      ['content-type', 'application/x-www-form-urlencoded'],
      ['accept', 'application/json'],
    ]),
    body: captureText(maskBodyText(form, 'application/x-www-form-urlencoded', secrets), 1 << 20),
  });
  tick(12.5);
  log.append({
    kind: 'http.response',
    exchangeId: 'ex-token',
    status: 200,
    statusText: 'OK',
    headers: [
      ['content-type', 'application/json'],
      ['cache-control', 'no-store'],
    ],
    ttfbMs: 12.5,
  });
  tick(1);
  const tokenJson = JSON.stringify({
    access_token: ACCESS_TOKEN,
    token_type: 'Bearer',
    expires_in: 3600,
    refresh_token: 'rt-0000111122223333',
  });
  log.append({
    kind: 'http.end',
    exchangeId: 'ex-token',
    bytes: tokenJson.length,
    durationMs: 13.5,
    body: captureText(maskBodyText(tokenJson, 'application/json', secrets), 1 << 20),
  });
  token.ok('got a token');

  // initialize: POST answered with an SSE stream (a comment, then the result).
  const init = log.beginPhase('initialize', { parentId: connect.id });
  const initBody = JSON.stringify({
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcpscope', version: '0.1.0' } },
  });
  log.append({
    kind: 'http.request',
    exchangeId: 'ex-init',
    phaseId: init.id,
    purpose: 'mcp',
    method: 'POST',
    url: SERVER,
    headers: redactHeaders([
      ['content-type', 'application/json'],
      ['accept', 'application/json, text/event-stream'],
      ['authorization', `Bearer ${ACCESS_TOKEN}`],
    ]),
    body: captureText(initBody, 1 << 20),
  });
  recordRpc(log, 'out', JSON.parse(initBody), { exchangeId: 'ex-init' });
  tick(20);
  log.append({
    kind: 'http.response',
    exchangeId: 'ex-init',
    status: 200,
    statusText: 'OK',
    headers: [
      ['content-type', 'text/event-stream'],
      ['mcp-session-id', 'sess-1234'],
    ],
    ttfbMs: 20,
  });
  tick(0.25);
  log.append({ kind: 'sse.frame', exchangeId: 'ex-init', index: 0, comment: 'keep-alive', raw: ': keep-alive' });
  tick(3);
  const initResult = JSON.stringify({
    jsonrpc: '2.0',
    id: 0,
    result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'fixture', version: '1.0.0' } },
  });
  log.append({
    kind: 'sse.frame',
    exchangeId: 'ex-init',
    index: 1,
    id: 'e1',
    event: 'message',
    data: initResult,
    raw: `id: e1\nevent: message\ndata: ${initResult}`,
  });
  recordRpc(log, 'in', JSON.parse(initResult), { exchangeId: 'ex-init' });
  tick(1);
  log.append({ kind: 'http.end', exchangeId: 'ex-init', bytes: 300, durationMs: 24.25 });
  init.ok('2025-06-18');

  // tools/list answered with plain JSON.
  const list = log.beginPhase('tools/list');
  const listBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
  log.append({
    kind: 'http.request',
    exchangeId: 'ex-list',
    phaseId: list.id,
    purpose: 'mcp',
    method: 'POST',
    url: `${SERVER}?debug=1&x=a%20b`,
    headers: [
      ['content-type', 'application/json'],
      ['mcp-session-id', 'sess-1234'],
    ],
    body: captureText(listBody, 1 << 20),
  });
  recordRpc(log, 'out', JSON.parse(listBody), { exchangeId: 'ex-list' });
  tick(7);
  log.append({
    kind: 'http.response',
    exchangeId: 'ex-list',
    status: 200,
    statusText: 'OK',
    headers: [['content-type', 'application/json']],
    ttfbMs: 7,
  });
  tick(2);
  const listResult = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools: [{ name: 'echo', inputSchema: { type: 'object' } }] } });
  log.append({ kind: 'http.end', exchangeId: 'ex-list', bytes: listResult.length, durationMs: 9, body: captureText(listResult, 1 << 20) });
  recordRpc(log, 'in', JSON.parse(listResult), { exchangeId: 'ex-list' });
  list.ok('1 tool');

  // A GET stream that could not connect.
  log.append({
    kind: 'http.request',
    exchangeId: 'ex-get',
    purpose: 'mcp-stream',
    method: 'GET',
    url: SERVER,
    headers: [['accept', 'text/event-stream']],
  });
  tick(30);
  log.append({
    kind: 'http.end',
    exchangeId: 'ex-get',
    bytes: 0,
    durationMs: 30,
    error: { code: 'connection_refused', message: 'Nothing is listening at 127.0.0.1:4321.' },
  });
  log.finding('warning', 'get_stream_failed', 'The GET stream could not be opened.', { exchangeId: 'ex-get' });
  connect.ok();
  return log;
}

function jsonRoundTrip<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

describe('toHar', () => {
  it('writes a HAR 1.2 that passes the structure check, with one entry per exchange', () => {
    const log = realisticLog();
    const har = toHar(log.meta, log.events(), { creatorVersion: '0.1.0' });
    expect(validateHar(jsonRoundTrip(har))).toEqual([]);
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'mcpscope', version: '0.1.0' });
    expect(har.log.pages).toEqual([{ startedDateTime: '2026-03-04T05:06:07.000Z', id: 'session', title: SERVER, pageTimings: {} }]);
    expect(har.log.entries.map((e) => e._mcpscope?.exchangeId)).toEqual(['ex-token', 'ex-init', 'ex-list', 'ex-get']);
    for (const e of har.log.entries) {
      expect(e.pageref).toBe('session');
      // time is the sum of the timings that apply
      expect(e.time).toBeCloseTo(e.timings.send + e.timings.wait + e.timings.receive, 6);
    }

    const [tokenEntry, initEntry, listEntry, getEntry] = har.log.entries;
    expect(tokenEntry._mcpscope).toMatchObject({ purpose: 'oauth', phaseId: expect.stringMatching(/^ph/) });
    expect(tokenEntry.request.postData?.mimeType).toBe('application/x-www-form-urlencoded');
    expect(tokenEntry.request.postData?.text).toContain('client_secret=••••9876');
    expect(tokenEntry.timings).toEqual({ blocked: -1, dns: -1, connect: -1, send: 0, wait: 12.5, receive: 1, ssl: -1 });
    expect(tokenEntry.response.content.text).toContain('"access_token":"••••WXYZ"');

    expect(initEntry.startedDateTime).toBe(new Date(STARTED + initEntry._mcpscope!.request.t).toISOString());
    expect(initEntry.request.headers).toContainEqual({ name: 'authorization', value: 'Bearer ••••WXYZ' });
    expect(initEntry.response.content.mimeType).toBe('text/event-stream');
    const initResultFrame = log.events().find((e) => e.kind === 'sse.frame' && e.index === 1);
    expect(initEntry.response.content.text).toBe(`: keep-alive\n${initResultFrame?.kind === 'sse.frame' ? initResultFrame.raw : ''}\n\n`);
    expect(initEntry._sseFrames?.map(({ time, id, event, comment }) => ({ time, id, event, comment }))).toEqual([
      { time: 20.25, id: undefined, event: undefined, comment: 'keep-alive' },
      { time: 23.25, id: 'e1', event: 'message', comment: undefined },
    ]);

    expect(listEntry.request.queryString).toEqual([
      { name: 'debug', value: '1' },
      { name: 'x', value: 'a b' },
    ]);
    expect(listEntry.response.content).toMatchObject({ mimeType: 'application/json', text: expect.stringContaining('"tools"') });
    expect(listEntry.timings).toMatchObject({ wait: 7, receive: 2 });

    expect(getEntry.response.status).toBe(0);
    expect(getEntry.response._error).toBe('Nothing is listening at 127.0.0.1:4321.');
    expect(getEntry._error).toBe(getEntry.response._error);
    expect(getEntry.time).toBe(30);

    // The rest of the log rides in log._mcpscope: messages, phases, findings.
    const kinds = new Set(har.log._mcpscope?.events.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['finding', 'phase', 'rpc']);
  });

  it("keeps secrets masked: none of the session's credentials appear in the HAR", () => {
    const text = JSON.stringify(toHar(realisticLog().meta, realisticLog().events()));
    for (const secret of [CLIENT_SECRET, AUTH_CODE, ACCESS_TOKEN, 'rt-0000111122223333', 'verifier-abcdefghijklmnop']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("fromHar on mcpscope's own HAR", () => {
  it('restores the exact log: exchanges, frames, messages, pairing and phases', () => {
    const log = realisticLog();
    const har = jsonRoundTrip(toHar(log.meta, log.events()));
    const back = fromHar(JSON.stringify(har));
    expect(back.meta).toEqual(log.meta);
    expect(back.events).toEqual(log.events());
    const before = groupExchanges(log.events());
    const after = groupExchanges(back.events);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [id, x] of before) {
      const y = after.get(id)!;
      expect(y.state).toBe(x.state);
      expect(y.frames).toEqual(x.frames);
      expect(y.rpc).toEqual(x.rpc);
    }
    expect(rpcMessages(back.events).map((r) => [r.method, r.type, r.pairSeq])).toEqual(
      rpcMessages(log.events()).map((r) => [r.method, r.type, r.pairSeq]),
    );
    expect(phaseTree(back.events)).toEqual(phaseTree(log.events()));
    // And the restored log is usable as a log.
    expect(TraceLog.fromEvents(back.meta, back.events).lastSeq).toBe(log.lastSeq);
  });

  it('keeps events whose exchange lost its request to the event cap', () => {
    const log = realisticLog();
    const events = log.events().filter((e) => !(e.kind === 'http.request' && e.exchangeId === 'ex-list'));
    const har = jsonRoundTrip(toHar(log.meta, events));
    expect(har.log.entries).toHaveLength(3);
    expect(fromHar(har).events).toEqual(events);
  });

  it('restores a real recorded session (SDK client ↔ SDK server) exactly', async () => {
    const url = await startStatefulServer();
    const log = new TraceLog({ sessionId: 'rec', serverUrl: url, startedAt: Date.now(), transport: 'auto' });
    const client = new Client({ name: 'har-test', version: '0.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { fetch: createRecordingFetch(log) }));
    await client.callTool({ name: 'echo', arguments: { text: 'it\'s "quoted"\nand $HOME' } });
    await client.close();

    const har = jsonRoundTrip(toHar(log.meta, log.events(), { creatorVersion: 'test' }));
    expect(validateHar(har)).toEqual([]);
    expect(har.log.entries.length).toBeGreaterThanOrEqual(4);
    const back = fromHar(har);
    expect(back.events).toEqual(log.events());
  });

  it('refuses a HAR whose mcpscope data is from a newer format version', () => {
    const log = realisticLog();
    const har = jsonRoundTrip(toHar(log.meta, log.events()));
    har.log._mcpscope!.version = EXPORT_VERSION + 1;
    const err = catchError(() => fromHar(har));
    expect(err).toBeInstanceOf(TraceExportError);
    expect((err as TraceExportError).code).toBe('unsupported_export_version');
    expect((err as Error).message).toMatch(/newer mcpscope/);
  });

  it('says which part of a damaged mcpscope HAR is wrong', () => {
    const log = realisticLog();
    const har = jsonRoundTrip(toHar(log.meta, log.events()));
    delete (har.log.entries[1] as { _mcpscope?: unknown })._mcpscope;
    const err = catchError(() => fromHar(har));
    expect(err).toBeInstanceOf(HarImportError);
    expect((err as HarImportError).code).toBe('invalid_har');
    expect((err as Error).message).toMatch(/entry #1 has no mcpscope data/);
  });
});

describe("fromHar on a browser's HAR", () => {
  const BROWSER_TOKEN = 'browser-secret-token-ABCD1234';
  const initRequest = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'web', version: '1' } },
  };
  const initResult = {
    jsonrpc: '2.0',
    id: 1,
    result: {
      protocolVersion: '2025-06-18',
      capabilities: { tools: {} },
      serverInfo: { name: 'remote-server', version: '2.0.0' },
      instructions: 'Be nice.',
    },
  };
  const listResult = { jsonrpc: '2.0', id: 2, result: { tools: [{ name: 'search', inputSchema: { type: 'object' } }] } };
  const sseText = `: ping\n\nevent: message\nid: 7\ndata: ${JSON.stringify(initResult)}\n\n`;

  /** A request as a browser writes it in a HAR: a bodiless GET of the MCP endpoint, but for `over`. */
  function harRequest(over: Record<string, unknown>) {
    return {
      method: 'GET',
      url: 'https://mcp.example.com/mcp',
      httpVersion: 'HTTP/2',
      cookies: [],
      headers: [],
      queryString: [],
      headersSize: -1,
      bodySize: 0,
      ...over,
    };
  }

  /** A response as a browser writes it in a HAR: an empty 200, but for `over`. */
  function harResponse(over: Record<string, unknown>) {
    return {
      status: 200,
      statusText: '',
      httpVersion: 'HTTP/2',
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      ...over,
    };
  }

  function entry(over: Record<string, unknown>) {
    return {
      startedDateTime: '2026-05-01T10:00:00.000Z',
      time: 10,
      request: harRequest({}),
      response: harResponse({}),
      cache: {},
      timings: { blocked: 1, dns: -1, connect: -1, send: 0.5, wait: 5, receive: 3.5, ssl: -1 },
      ...over,
    };
  }

  const browserHar = {
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      pages: [
        {
          startedDateTime: '2026-05-01T09:59:59.000Z',
          id: 'page_1',
          title: 'https://app.example.com/',
          pageTimings: { onContentLoad: 100, onLoad: 200 },
        },
      ],
      entries: [
        entry({
          startedDateTime: '2026-05-01T10:00:00.000Z',
          pageref: 'page_1',
          time: 50,
          request: harRequest({
            method: 'POST',
            headers: [
              { name: ':authority', value: 'mcp.example.com' },
              { name: 'content-type', value: 'application/json' },
              { name: 'accept', value: 'application/json, text/event-stream' },
              { name: 'authorization', value: `Bearer ${BROWSER_TOKEN}` },
            ],
            postData: { mimeType: 'application/json', text: JSON.stringify(initRequest) },
            bodySize: 120,
          }),
          response: harResponse({
            headers: [
              { name: 'content-type', value: 'text/event-stream' },
              { name: 'mcp-session-id', value: 'abc-session' },
            ],
            content: { size: sseText.length, mimeType: 'text/event-stream', text: sseText },
            bodySize: sseText.length,
          }),
          timings: { blocked: 2, dns: -1, connect: -1, send: 1, wait: 30, receive: 17, ssl: -1 },
          _sseFrames: [
            { time: 34, comment: 'ping' },
            { time: '2026-05-01T10:00:00.040Z', event: 'message', id: '7', data: JSON.stringify(initResult) },
          ],
        }),
        entry({
          startedDateTime: '2026-05-01T10:00:00.060Z',
          request: harRequest({ url: 'https://app.example.com/logo.png' }),
          response: harResponse({
            headers: [{ name: 'content-type', value: 'image/png' }],
            content: { size: 4, mimeType: 'image/png', text: 'iVBORw==', encoding: 'base64' },
            bodySize: 4,
          }),
        }),
        entry({
          startedDateTime: '2026-05-01T10:00:00.070Z',
          request: harRequest({
            method: 'POST',
            headers: [
              { name: 'content-type', value: 'application/json' },
              { name: 'mcp-session-id', value: 'abc-session' },
              { name: 'authorization', value: `Bearer ${BROWSER_TOKEN}` },
            ],
            postData: { mimeType: 'application/json', text: '{"jsonrpc":"2.0","method":"notifications/initialized"}' },
            bodySize: 54,
          }),
          response: harResponse({ status: 202, statusText: 'Accepted', bodySize: 0 }),
        }),
        entry({
          startedDateTime: '2026-05-01T10:00:00.090Z',
          request: harRequest({
            method: 'POST',
            headers: [
              { name: 'content-type', value: 'application/json' },
              { name: 'authorization', value: `Bearer ${BROWSER_TOKEN}` },
            ],
            postData: { mimeType: 'application/json', text: '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' },
            bodySize: 46,
          }),
          response: harResponse({
            headers: [{ name: 'content-type', value: 'application/json' }],
            // Chrome writes some text bodies base64-encoded.
            content: {
              size: JSON.stringify(listResult).length,
              mimeType: 'application/json',
              text: Buffer.from(JSON.stringify(listResult)).toString('base64'),
              encoding: 'base64',
            },
            bodySize: JSON.stringify(listResult).length,
          }),
        }),
        entry({
          startedDateTime: '2026-05-01T10:00:00.100Z',
          time: 4,
          request: harRequest({ httpVersion: '', headers: [{ name: 'accept', value: 'text/event-stream' }] }),
          response: harResponse({ status: 0, httpVersion: '', _error: 'net::ERR_CONNECTION_REFUSED' }),
          timings: { blocked: 4, dns: -1, connect: -1, send: 0, wait: 0, receive: 0, ssl: -1 },
        }),
      ],
    },
  };

  it('passes the HAR 1.2 check itself (the fixture is well-formed)', () => {
    expect(validateHar(browserHar)).toEqual([]);
  });

  it('imports MCP traffic with frames, paired JSON-RPC, session facts and secrets masked', () => {
    const { meta, events } = fromHar(browserHar);
    expect(meta).toMatchObject({
      serverUrl: 'https://mcp.example.com/mcp',
      startedAt: Date.parse('2026-05-01T09:59:59.000Z'),
      era: 'stateful-2025',
      protocolVersion: '2025-06-18',
      serverInfo: { name: 'remote-server', version: '2.0.0' },
      instructions: 'Be nice.',
    });
    // Valid as an export: the same checks a .json file goes through.
    expect(parseJsonExport({ format: 'mcpscope-session', version: 1, meta, events }).events).toHaveLength(events.length);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));

    const exchanges = [...groupExchanges(events).values()];
    // The logo is not MCP traffic and is left out.
    expect(exchanges.map((x) => `${x.request?.method} ${x.request?.purpose} ${x.state}`)).toEqual([
      'POST mcp done',
      'POST mcp done',
      'POST mcp done',
      'GET mcp-stream failed',
    ]);
    const [init, , list, get] = exchanges;
    expect(init.request?.headers.find(([n]) => n === ':authority')).toBeUndefined();
    expect(init.response?.ttfbMs).toBe(33);
    expect(init.frames.map((f) => [f.index, f.comment, f.event, f.id, f.t])).toEqual([
      [0, 'ping', undefined, undefined, 1034],
      [1, undefined, 'message', '7', 1040],
    ]);
    expect(init.end?.durationMs).toBe(50);
    expect(list.end?.body?.text).toBe(JSON.stringify(listResult));
    expect(get.end?.error).toEqual({ code: 'connection_refused', message: 'The request failed: net::ERR_CONNECTION_REFUSED' });

    const rpc = rpcMessages(events);
    expect(rpc.map((r) => `${r.direction} ${r.type} ${r.method}`)).toEqual([
      'out request initialize',
      'in result initialize',
      'out notification notifications/initialized',
      'out request tools/list',
      'in result tools/list',
    ]);
    expect(rpc[1].pairSeq).toBe(rpc[0].seq);
    expect(rpc[1].exchangeId).toBe(init.exchangeId);
    expect(rpc[1].latencyMs).toBe(40);
    expect(rpc[4].pairSeq).toBe(rpc[3].seq);

    const text = JSON.stringify({ meta, events });
    expect(text).not.toContain(BROWSER_TOKEN);
    expect(init.request?.headers).toContainEqual(['authorization', 'Bearer ••••1234']);
    const findings = events.filter((e) => e.kind === 'finding').map((e) => (e.kind === 'finding' ? e.code : ''));
    expect(findings).toEqual(['har_imported', 'har_entries_skipped']);
  });

  it('reads SSE frames from _sseFrames alone when the HAR has no stream text', () => {
    const har = jsonRoundTrip(browserHar);
    const first = har.log.entries[0] as { response: { content: { text?: string } } };
    delete first.response.content.text;
    const { events } = fromHar(har);
    const frames = events.filter((e) => e.kind === 'sse.frame');
    expect(frames.map((f) => (f.kind === 'sse.frame' ? [f.comment, f.event, f.raw.split('\n')[0]] : []))).toEqual([
      ['ping', undefined, ': ping'],
      [undefined, 'message', 'event: message'],
    ]);
    expect(rpcMessages(events)[1]).toMatchObject({ type: 'result', method: 'initialize' });
  });

  it('refuses what is not a HAR with code invalid_har and a clear message', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['{nope', /not JSON/],
      [[], /expected a JSON object with a "log" object/],
      [{ log: {} }, /no "log.entries" list/],
      [{ log: { entries: [42] } }, /entry #0 is not an object/],
      [
        { log: { entries: [{ startedDateTime: '2026-01-01T00:00:00Z', request: {} }] } },
        /entry #0 has no request with a "method" and a "url"/,
      ],
      [
        { log: { entries: [{ startedDateTime: 'yesterday', request: { method: 'GET', url: 'http://x/' } }] } },
        /entry #0 has no valid "startedDateTime"/,
      ],
    ];
    for (const [value, message] of cases) {
      const err = catchError(() => fromHar(value));
      expect(err, String(message)).toBeInstanceOf(HarImportError);
      expect((err as HarImportError).code).toBe('invalid_har');
      expect((err as Error).message).toMatch(message);
    }
  });
});

describe('Chrome DevTools', () => {
  it('imports the HAR with its own HAR reader (the one behind the Network panel\'s "Import HAR file")', async () => {
    const log = realisticLog();
    const har = jsonRoundTrip(toHar(log.meta, log.events(), { creatorVersion: 'test' }));
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto('devtools://devtools/bundled/devtools_app.html');
      // Passed as source text: vitest would rewrite a dynamic import() inside a function it compiled.
      const requests = (await page.evaluate(`(async (json) => {
        // The bundled DevTools modules: HARRoot checks the structure (throws on a field it can't read), the
        // Importer builds the Network panel's requests from it.
        const HAR = await import('devtools://devtools/bundled/models/har/har.js');
        const root = new HAR.HARFormat.HARRoot(json);
        return HAR.Importer.Importer.requestsFromHARLog(root.log).map((r) => ({
          url: r.url(),
          method: r.requestMethod,
          status: r.statusCode,
          mimeType: r.mimeType,
        }));
      })(${JSON.stringify(har)})`)) as unknown[];
      expect(requests).toEqual([
        { url: 'http://127.0.0.1:4322/token', method: 'POST', status: 200, mimeType: 'application/json' },
        { url: SERVER, method: 'POST', status: 200, mimeType: 'text/event-stream' },
        { url: `${SERVER}?debug=1&x=a%20b`, method: 'POST', status: 200, mimeType: 'application/json' },
        { url: SERVER, method: 'GET', status: 0, mimeType: undefined },
      ]);
    } finally {
      await browser.close();
    }
  });
});

describe('validateHar', () => {
  it('names each missing or mistyped required field', () => {
    const log = realisticLog();
    const har = jsonRoundTrip(toHar(log.meta, log.events())) as Har & { log: Record<string, unknown> };
    const broken = jsonRoundTrip(har) as unknown as {
      log: Record<string, unknown> & { entries: Array<Record<string, Record<string, unknown>>> };
    };
    broken.log.version = '1.1';
    delete broken.log.entries[0].request.headersSize;
    broken.log.entries[0].response.status = '200' as unknown as Record<string, unknown>;
    delete (broken.log.entries[1].response.content as Record<string, unknown>).mimeType;
    delete broken.log.entries[2].cache;
    broken.log.entries[2].timings.wait = -5 as unknown as Record<string, unknown>;
    broken.log.entries[3].startedDateTime = 'not a date' as unknown as Record<string, unknown>;
    (broken.log.entries[3] as Record<string, unknown>).pageref = 'nope';
    const problems = validateHar(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        'log.version: expected "1.2", got "1.1"',
        'log.entries[0].request.headersSize: expected a number, got nothing',
        'log.entries[0].response.status: expected a number, got "200"',
        'log.entries[1].response.content.mimeType: expected a string, got nothing',
        'log.entries[2].cache: expected an object, got nothing',
        'log.entries[2].timings.wait: expected a number >= 0, got -5',
        'log.entries[3].pageref: names no page in log.pages ("nope")',
        'log.entries[3].startedDateTime: expected an ISO 8601 date-time, got "not a date"',
      ]),
    );
    expect(validateHar({ log: { version: '1.2', creator: { name: 'x', version: '1' } } })).toEqual([
      'log.entries: expected an array, got nothing',
    ]);
    expect(validateHar('x')).toEqual(['(root): expected an object, got "x"']);
  });
});

describe('versioned JSON format', () => {
  it('reads version 1 and refuses newer versions with code unsupported_export_version', () => {
    const log = realisticLog();
    const doc = toJsonExport(log, new Date('2026-03-04T06:00:00Z'), { mcpscopeVersion: '0.1.0' });
    expect(doc).toMatchObject({ format: 'mcpscope-session', version: 1, mcpscopeVersion: '0.1.0' });
    expect(parseJsonExport(JSON.stringify(doc)).events).toEqual(log.events());
    for (const version of [2, 99]) {
      const err = catchError(() => parseJsonExport({ ...doc, version }));
      expect(err).toBeInstanceOf(TraceExportError);
      expect((err as TraceExportError).code).toBe('unsupported_export_version');
      expect((err as Error).message).toBe(
        `The file is format version ${version}, written by a newer mcpscope; this one reads versions up to 1. Open it with a newer mcpscope.`,
      );
    }
    for (const version of [0, 1.5]) {
      const err = catchError(() => parseJsonExport({ ...doc, version }));
      expect((err as TraceExportError).code).toBe('unsupported_export_version');
      expect((err as Error).message).toMatch(/versions start at 1/);
    }
  });

  it('walks an old document up through each migration step in turn', () => {
    const table: ExportMigrations = {
      1: (d) => ({ ...d, version: 2, events: (d.events as TraceEvent[]).map((e) => ({ ...e, renamed: true })) }),
      2: (d) => ({ ...d, version: 3, note: `from 2 (${(d.events as unknown[]).length} events)` }),
    };
    const doc = { version: 1, events: [{ kind: 'phase', seq: 1 }] };
    expect(migrateExport(doc, 3, table)).toEqual({
      version: 3,
      note: 'from 2 (1 events)',
      events: [{ kind: 'phase', seq: 1, renamed: true }],
    });
    expect(migrateExport(doc, 1, table)).toBe(doc);
    const gap = catchError(() => migrateExport({ version: 1 }, 3, { 2: table[2] }));
    expect((gap as { code: string }).code).toBe('unsupported_export_version');
    expect((gap as Error).message).toMatch(/no migration from version 1 to 2/);
    const stuck = catchError(() => migrateExport({ version: 1 }, 2, { 1: (d) => d }));
    expect((stuck as Error).message).toMatch(/produced version 1, not 2/);
  });
});

// ---------------------------------------------------------------------------------------------------

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function startStatefulServer(): Promise<string> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const s = http.createServer(async (req, res) => {
    const sid = req.headers['mcp-session-id'];
    let transport = typeof sid === 'string' ? transports.get(sid) : undefined;
    if (!transport) {
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => crypto.randomUUID(),
        onsessioninitialized: (id) => void transports.set(id, transport!),
      });
      const server = new McpServer({ name: 'har-fixture', version: '1.0.0' });
      server.registerTool('echo', { description: 'Echo', inputSchema: { text: z.string() } }, async ({ text }) => ({
        content: [{ type: 'text', text: `echo: ${text}` }],
      }));
      await server.connect(transport);
    }
    await transport.handleRequest(req, res);
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/mcp`;
}
