import { describe, expect, it } from 'vitest';
import {
  classifyJsonRpc,
  JSONRPC_ERROR_NAMES,
  jsonRpcErrorName,
  parseJsonRpcText,
  recordRpc,
  RpcPairer,
  TraceLog,
  type RpcEvent,
} from '@/lib/trace';

describe('classifyJsonRpc', () => {
  it('tells requests, notifications, results and errors apart', () => {
    expect(classifyJsonRpc({ jsonrpc: '2.0', id: 1, method: 'tools/list' })?.messages[0]).toMatchObject({
      type: 'request',
      id: 1,
      method: 'tools/list',
    });
    expect(classifyJsonRpc({ jsonrpc: '2.0', method: 'notifications/initialized' })?.messages[0]).toMatchObject({
      type: 'notification',
      method: 'notifications/initialized',
    });
    expect(classifyJsonRpc({ jsonrpc: '2.0', id: 'a', result: {} })?.messages[0]).toMatchObject({ type: 'result', id: 'a' });
    const err = classifyJsonRpc({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })?.messages[0];
    expect(err).toMatchObject({ type: 'error', errorCode: -32700, errorMessage: 'Parse error' });
    expect(err?.id).toBeUndefined();
    expect(err?.problems).toBeUndefined();
  });

  it('classifies batches element by element', () => {
    const c = classifyJsonRpc([
      { jsonrpc: '2.0', id: 1, method: 'a' },
      { jsonrpc: '2.0', method: 'b' },
      { jsonrpc: '2.0', id: 2, result: null },
    ]);
    expect(c?.batch).toBe(true);
    expect(c?.messages.map((m) => m.type)).toEqual(['request', 'notification', 'result']);
  });

  it('rejects values that are not JSON-RPC', () => {
    expect(classifyJsonRpc({ hello: 'world' })).toBeNull();
    expect(classifyJsonRpc([1, 2, 3])).toBeNull();
    expect(classifyJsonRpc('text')).toBeNull();
    expect(classifyJsonRpc(null)).toBeNull();
    expect(parseJsonRpcText('<html>')).toBeNull();
    expect(parseJsonRpcText('{"broken"')).toBeNull();
  });

  it('tolerates a missing "jsonrpc" member but reports it', () => {
    const m = classifyJsonRpc({ id: 3, result: { ok: true } })?.messages[0];
    expect(m?.type).toBe('result');
    expect(m?.problems?.[0]).toMatch(/jsonrpc/);
  });

  it('names the standard and MCP error codes', () => {
    expect(JSONRPC_ERROR_NAMES[-32700]).toBe('Parse error');
    expect(JSONRPC_ERROR_NAMES[-32600]).toBe('Invalid request');
    expect(JSONRPC_ERROR_NAMES[-32601]).toBe('Method not found');
    expect(JSONRPC_ERROR_NAMES[-32602]).toBe('Invalid params');
    expect(JSONRPC_ERROR_NAMES[-32603]).toBe('Internal error');
    expect(JSONRPC_ERROR_NAMES[-32001]).toMatch(/expired/);
    expect(JSONRPC_ERROR_NAMES[-32002]).toBe('Resource not found');
    expect(JSONRPC_ERROR_NAMES[-32042]).toBe('URL elicitation required');
    expect(jsonRpcErrorName(-32050)).toMatch(/Server error/);
    expect(jsonRpcErrorName(42)).toBeUndefined();
  });
});

describe('RpcPairer', () => {
  it('pairs an in response with the out request of the same id, with latency and method', () => {
    const p = new RpcPairer();
    p.request('out', 1, 10, 100, 'initialize');
    expect(p.response('in', 1, 142.5)).toEqual({ pairSeq: 10, latencyMs: 42.5, method: 'initialize' });
    // Paired once: a duplicate response finds nothing.
    expect(p.response('in', 1, 150)).toBeUndefined();
  });

  it('keeps numeric and string ids apart', () => {
    const p = new RpcPairer();
    p.request('out', 1, 1, 0, 'numeric');
    p.request('out', '1', 2, 0, 'string');
    expect(p.response('in', '1', 5)?.method).toBe('string');
    expect(p.response('in', 1, 5)?.method).toBe('numeric');
  });

  it('pairs responses that come back out of order', () => {
    const p = new RpcPairer();
    p.request('out', 'a', 1, 0, 'tools/call');
    p.request('out', 'b', 2, 10, 'tools/list');
    p.request('out', 'c', 3, 20, 'ping');
    expect(p.response('in', 'c', 25)).toEqual({ pairSeq: 3, latencyMs: 5, method: 'ping' });
    expect(p.response('in', 'a', 30)).toEqual({ pairSeq: 1, latencyMs: 30, method: 'tools/call' });
    expect(p.response('in', 'b', 40)).toEqual({ pairSeq: 2, latencyMs: 30, method: 'tools/list' });
    expect(p.pendingCount).toBe(0);
  });

  it('keeps directions apart: a server→client request is answered by an out response', () => {
    const p = new RpcPairer();
    p.request('out', 0, 1, 0, 'tools/call');
    p.request('in', 0, 2, 5, 'elicitation/create');
    expect(p.response('out', 0, 9)).toEqual({ pairSeq: 2, latencyMs: 4, method: 'elicitation/create' });
    expect(p.response('in', 0, 12)).toEqual({ pairSeq: 1, latencyMs: 12, method: 'tools/call' });
  });

  it('forgets the oldest unanswered requests past its limit', () => {
    const p = new RpcPairer(2);
    p.request('out', 1, 1, 0);
    p.request('out', 2, 2, 0);
    p.request('out', 3, 3, 0);
    expect(p.response('in', 1, 1)).toBeUndefined();
    expect(p.response('in', 3, 1)?.pairSeq).toBe(3);
  });
});

describe('recordRpc into a log', () => {
  it('appends paired rpc events across exchanges and notes a non-conforming message once', () => {
    let now = 1000;
    const log = new TraceLog({ sessionId: 's', serverUrl: 'http://x', startedAt: 1000, transport: 'auto' }, {}, { clock: () => now });
    const [req] = recordRpc(log, 'out', { jsonrpc: '2.0', id: 7, method: 'tools/call' }, { exchangeId: 'ex1' });
    now += 25;
    const [res] = recordRpc(log, 'in', { jsonrpc: '2.0', id: 7, result: {} }, { exchangeId: 'ex2' });
    expect(res).toMatchObject({ type: 'result', method: 'tools/call', pairSeq: req.seq, latencyMs: 25, exchangeId: 'ex2' });
    recordRpc(log, 'in', { id: 8, result: {} });
    recordRpc(log, 'in', { id: 9, result: {} });
    const findings = log.events().filter((e) => e.kind === 'finding');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'jsonrpc_nonconformant', severity: 'warning' });
    expect(log.events().filter((e): e is RpcEvent => e.kind === 'rpc')).toHaveLength(4);
  });

  it('pairs an id-less error with the single request its own exchange carried, and only that', () => {
    const log = new TraceLog({ sessionId: 's', serverUrl: 'http://x', startedAt: 1000, transport: 'auto' });
    const [discover] = recordRpc(log, 'out', { jsonrpc: '2.0', id: 'probe-1', method: 'server/discover' }, { exchangeId: 'ex1' });
    recordRpc(
      log,
      'out',
      [
        { jsonrpc: '2.0', id: 2, method: 'a' },
        { jsonrpc: '2.0', id: 3, method: 'b' },
      ],
      { exchangeId: 'ex2' },
    );
    const [onOther] = recordRpc(
      log,
      'in',
      { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Bad Request' } },
      { exchangeId: 'ex9' },
    );
    expect(onOther.pairSeq).toBeUndefined();
    const [onBatch] = recordRpc(log, 'in', { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'no' } }, { exchangeId: 'ex2' });
    expect(onBatch.pairSeq).toBeUndefined();
    const [answer] = recordRpc(
      log,
      'in',
      { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Bad Request' } },
      { exchangeId: 'ex1' },
    );
    expect(answer).toMatchObject({ type: 'error', method: 'server/discover', pairSeq: discover.seq });
  });
});
