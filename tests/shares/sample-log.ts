// A small but realistic session log, written by hand so every test knows exactly what is in it:
//   e1  POST initialize                 t=5..30      (phase initialize, under connect)
//   e2  GET standing stream             t=40..900    frames at t=60 (log), t=150 (log), t=700 (answer to e5)
//   e3  POST tools/call (SSE answer)    t=100..250   arguments hold ARG_SECRET, the result RESULT_TEXT
//   e4  POST tools/list to a URL with a query (tenant=acme-corp) t=300..320, a JSON body with an escaped URL
//   e5  POST ping answered on e2        t=650..660
import type { TraceEvent, TraceMeta } from '@/lib/trace';

export const ARG_SECRET = 'hunter2-argument-value';
export const RESULT_TEXT = 'the answer is forty-two';
export const TENANT = 'acme-corporation';
export const SERVER_URL = `https://mcp.example.com/mcp?tenant=${TENANT}`;

export const META: TraceMeta = {
  sessionId: 'live-session-1',
  serverUrl: SERVER_URL,
  startedAt: Date.UTC(2026, 2, 4, 6, 0, 0),
  transport: 'auto',
  era: 'stateful-2025',
  protocolVersion: '2025-06-18',
  serverInfo: { name: 'Example Server', version: '1.2.3' },
  capabilities: { tools: {} },
};

const json = (value: unknown) => JSON.stringify(value);
const body = (value: unknown) => ({ text: json(value), encoding: 'utf8' as const, size: json(value).length, truncated: false });

const initReq = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcpscope', version: '0.1.0' } },
};
const initRes = {
  jsonrpc: '2.0',
  id: 0,
  result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'Example Server', version: '1.2.3' } },
};
const log1 = { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'stream open' } };
const log2 = { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'still here' } };
const callReq = {
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'lookup', arguments: { query: ARG_SECRET, limit: 4, nested: { deep: ARG_SECRET } } },
};
const callRes = { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: RESULT_TEXT }], isError: false } };
const listReq = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
// Some servers escape slashes in JSON: the URL must still be recognised.
const listResText = `{"jsonrpc":"2.0","id":2,"result":{"tools":[],"_meta":{"docs":"https:\\/\\/docs.example.com\\/tools?tenant=${TENANT}"}}}`;
const pingReq = { jsonrpc: '2.0', id: 3, method: 'ping' };
const pingRes = { jsonrpc: '2.0', id: 3, result: {} };

const mcpHeaders: Array<[string, string]> = [
  ['content-type', 'application/json'],
  ['accept', 'application/json, text/event-stream'],
  ['authorization', 'Bearer ••••WXYZ'],
];

export function sampleEvents(): TraceEvent[] {
  const events: TraceEvent[] = [
    { kind: 'phase', seq: 1, t: 0, phaseId: 'p-connect', name: 'connect', status: 'started' },
    { kind: 'phase', seq: 2, t: 4, phaseId: 'p-init', name: 'initialize', status: 'started', parentId: 'p-connect' },
    {
      kind: 'http.request',
      seq: 3,
      t: 5,
      exchangeId: 'e1',
      phaseId: 'p-init',
      purpose: 'mcp',
      method: 'POST',
      url: SERVER_URL,
      headers: mcpHeaders,
      body: body(initReq),
    },
    {
      kind: 'rpc',
      seq: 4,
      t: 5,
      direction: 'out',
      type: 'request',
      method: 'initialize',
      id: 0,
      exchangeId: 'e1',
      message: initReq,
      size: json(initReq).length,
    },
    {
      kind: 'http.response',
      seq: 5,
      t: 20,
      exchangeId: 'e1',
      status: 200,
      statusText: 'OK',
      headers: [
        ['content-type', 'application/json'],
        ['mcp-session-id', 'sess-123'],
      ],
      ttfbMs: 15,
    },
    { kind: 'http.end', seq: 6, t: 30, exchangeId: 'e1', body: body(initRes), bytes: json(initRes).length, durationMs: 25 },
    {
      kind: 'rpc',
      seq: 7,
      t: 30,
      direction: 'in',
      type: 'result',
      method: 'initialize',
      id: 0,
      exchangeId: 'e1',
      pairSeq: 4,
      latencyMs: 25,
      message: initRes,
      size: json(initRes).length,
    },
    { kind: 'phase', seq: 8, t: 31, phaseId: 'p-init', name: 'initialize', status: 'ok', durationMs: 27, parentId: 'p-connect' },
    {
      kind: 'http.request',
      seq: 9,
      t: 40,
      exchangeId: 'e2',
      purpose: 'mcp-stream',
      method: 'GET',
      url: SERVER_URL,
      headers: [['accept', 'text/event-stream']],
    },
    {
      kind: 'http.response',
      seq: 10,
      t: 50,
      exchangeId: 'e2',
      status: 200,
      statusText: 'OK',
      headers: [['content-type', 'text/event-stream']],
      ttfbMs: 10,
    },
    {
      kind: 'sse.frame',
      seq: 11,
      t: 60,
      exchangeId: 'e2',
      index: 0,
      event: 'message',
      data: json(log1),
      raw: `event: message\ndata: ${json(log1)}`,
    },
    {
      kind: 'rpc',
      seq: 12,
      t: 60,
      direction: 'in',
      type: 'notification',
      method: 'notifications/message',
      exchangeId: 'e2',
      message: log1,
      size: json(log1).length,
    },
    { kind: 'phase', seq: 13, t: 90, phaseId: 'p-call', name: 'tools/call', status: 'started', detail: 'lookup' },
    {
      kind: 'http.request',
      seq: 14,
      t: 100,
      exchangeId: 'e3',
      phaseId: 'p-call',
      purpose: 'mcp',
      method: 'POST',
      url: SERVER_URL,
      headers: mcpHeaders,
      body: body(callReq),
    },
    {
      kind: 'rpc',
      seq: 15,
      t: 100,
      direction: 'out',
      type: 'request',
      method: 'tools/call',
      id: 1,
      exchangeId: 'e3',
      message: callReq,
      size: json(callReq).length,
    },
    {
      kind: 'http.response',
      seq: 16,
      t: 120,
      exchangeId: 'e3',
      status: 200,
      statusText: 'OK',
      headers: [['content-type', 'text/event-stream']],
      ttfbMs: 20,
    },
    {
      kind: 'sse.frame',
      seq: 17,
      t: 150,
      exchangeId: 'e2',
      index: 1,
      event: 'message',
      data: json(log2),
      raw: `event: message\ndata: ${json(log2)}`,
    },
    {
      kind: 'rpc',
      seq: 18,
      t: 150,
      direction: 'in',
      type: 'notification',
      method: 'notifications/message',
      exchangeId: 'e2',
      message: log2,
      size: json(log2).length,
    },
    {
      kind: 'sse.frame',
      seq: 19,
      t: 240,
      exchangeId: 'e3',
      index: 0,
      id: 'ev-1',
      event: 'message',
      data: json(callRes),
      raw: `id: ev-1\nevent: message\ndata: ${json(callRes)}`,
    },
    {
      kind: 'rpc',
      seq: 20,
      t: 240,
      direction: 'in',
      type: 'result',
      method: 'tools/call',
      id: 1,
      exchangeId: 'e3',
      pairSeq: 15,
      latencyMs: 140,
      message: callRes,
      size: json(callRes).length,
    },
    { kind: 'http.end', seq: 21, t: 250, exchangeId: 'e3', bytes: 200, durationMs: 150 },
    { kind: 'phase', seq: 22, t: 251, phaseId: 'p-call', name: 'tools/call', status: 'ok', durationMs: 161 },
    { kind: 'finding', seq: 23, t: 252, severity: 'info', code: 'slow_call', message: 'The call took a while.', exchangeId: 'e3' },
    {
      kind: 'http.request',
      seq: 24,
      t: 300,
      exchangeId: 'e4',
      purpose: 'mcp',
      method: 'POST',
      url: SERVER_URL,
      headers: mcpHeaders,
      body: body(listReq),
    },
    {
      kind: 'rpc',
      seq: 25,
      t: 300,
      direction: 'out',
      type: 'request',
      method: 'tools/list',
      id: 2,
      exchangeId: 'e4',
      message: listReq,
      size: json(listReq).length,
    },
    {
      kind: 'http.response',
      seq: 26,
      t: 310,
      exchangeId: 'e4',
      status: 200,
      statusText: 'OK',
      headers: [
        ['content-type', 'application/json'],
        ['link', `<${SERVER_URL}>; rel="self"`],
      ],
      ttfbMs: 10,
    },
    {
      kind: 'http.end',
      seq: 27,
      t: 320,
      exchangeId: 'e4',
      body: { text: listResText, encoding: 'utf8', size: listResText.length, truncated: false },
      bytes: listResText.length,
      durationMs: 20,
    },
    {
      kind: 'rpc',
      seq: 28,
      t: 320,
      direction: 'in',
      type: 'result',
      method: 'tools/list',
      id: 2,
      exchangeId: 'e4',
      pairSeq: 25,
      latencyMs: 20,
      message: JSON.parse(listResText),
      size: listResText.length,
    },
    {
      kind: 'http.request',
      seq: 29,
      t: 650,
      exchangeId: 'e5',
      purpose: 'mcp',
      method: 'POST',
      url: SERVER_URL,
      headers: mcpHeaders,
      body: body(pingReq),
    },
    {
      kind: 'rpc',
      seq: 30,
      t: 650,
      direction: 'out',
      type: 'request',
      method: 'ping',
      id: 3,
      exchangeId: 'e5',
      message: pingReq,
      size: json(pingReq).length,
    },
    { kind: 'http.response', seq: 31, t: 655, exchangeId: 'e5', status: 202, statusText: 'Accepted', headers: [], ttfbMs: 5 },
    { kind: 'http.end', seq: 32, t: 660, exchangeId: 'e5', bytes: 0, durationMs: 10 },
    {
      kind: 'sse.frame',
      seq: 33,
      t: 700,
      exchangeId: 'e2',
      index: 2,
      event: 'message',
      data: json(pingRes),
      raw: `event: message\ndata: ${json(pingRes)}`,
    },
    {
      kind: 'rpc',
      seq: 34,
      t: 700,
      direction: 'in',
      type: 'result',
      method: 'ping',
      id: 3,
      exchangeId: 'e2',
      pairSeq: 30,
      latencyMs: 50,
      message: pingRes,
      size: json(pingRes).length,
    },
    { kind: 'http.end', seq: 35, t: 900, exchangeId: 'e2', bytes: 600, durationMs: 860, aborted: true },
  ];
  return events;
}

/** A legacy-transport stream whose `endpoint` event names the POST URL, relative, with the session in the query. */
export function legacyEndpointEvents(): TraceEvent[] {
  return [
    {
      kind: 'http.request',
      seq: 1,
      t: 0,
      exchangeId: 'l1',
      purpose: 'mcp-stream',
      method: 'GET',
      url: 'https://legacy.example.com/sse',
      headers: [],
    },
    {
      kind: 'http.response',
      seq: 2,
      t: 5,
      exchangeId: 'l1',
      status: 200,
      statusText: 'OK',
      headers: [['content-type', 'text/event-stream']],
      ttfbMs: 5,
    },
    {
      kind: 'sse.frame',
      seq: 3,
      t: 6,
      exchangeId: 'l1',
      index: 0,
      event: 'endpoint',
      data: '/messages?sessionId=legacy-session-0123456789',
      raw: 'event: endpoint\ndata: /messages?sessionId=legacy-session-0123456789',
    },
  ];
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
