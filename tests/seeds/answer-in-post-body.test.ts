// Seed 002 (PraisonAI-style) answers each legacy-SSE request twice: on the stream and in the POST body. The
// second identical copy is named once as an info finding and shown against its request; a real duplicate stays
// an error.
import { describe, expect, it } from 'vitest';
import { watchWireFindings } from '@/lib/mcp';
import { recordRpc, TraceLog, type NewTraceEvent, type RpcEvent } from '@/lib/trace';

function newLog() {
  const log = new TraceLog({ sessionId: 's', serverUrl: 'http://127.0.0.1:1/sse', startedAt: 0, transport: 'sse' });
  watchWireFindings(log);
  const findings = () => log.events().flatMap((e) => (e.kind === 'finding' ? [{ code: e.code, severity: e.severity }] : []));
  let n = 0;
  const exchange = (method: string, url: string) => {
    const exchangeId = `ex${++n}`;
    log.append({ kind: 'http.request', exchangeId, purpose: 'mcp', method, url, headers: [] } as NewTraceEvent);
    const type = method === 'GET' ? 'text/event-stream' : 'application/json';
    log.append({
      kind: 'http.response',
      exchangeId,
      status: 200,
      statusText: '',
      headers: [['content-type', type]],
      ttfbMs: 1,
    } as NewTraceEvent);
    return exchangeId;
  };
  return { log, findings, exchange };
}

describe('an answer repeated in the POST body (legacy SSE)', () => {
  it('is one info finding, and both copies are paired with the request', () => {
    const { log, findings, exchange } = newLog();
    const stream = exchange('GET', 'http://127.0.0.1:1/sse');
    for (const id of [1, 2]) {
      const post = exchange('POST', 'http://127.0.0.1:1/messages/?session_id=a');
      recordRpc(log, 'out', { jsonrpc: '2.0', id, method: 'tools/list' }, { exchangeId: post });
      recordRpc(log, 'in', { jsonrpc: '2.0', id, result: { tools: [] } }, { exchangeId: stream });
      log.append({ kind: 'http.end', exchangeId: post, bytes: 10, durationMs: 1 } as NewTraceEvent);
      recordRpc(log, 'in', { jsonrpc: '2.0', id, result: { tools: [] } }, { exchangeId: post });
    }
    expect(findings()).toEqual([{ code: 'answer_in_post_body', severity: 'info' }]);
    const answers = log.events().filter((e): e is RpcEvent => e.kind === 'rpc' && e.direction === 'in');
    expect(answers).toHaveLength(4);
    for (const answer of answers) expect(answer.method).toBe('tools/list');
  });

  it('a different second answer, or a repeat on the same exchange, is still a duplicate', () => {
    const { log, findings, exchange } = newLog();
    const stream = exchange('GET', 'http://127.0.0.1:1/sse');
    const post = exchange('POST', 'http://127.0.0.1:1/messages/?session_id=a');
    recordRpc(log, 'out', { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { exchangeId: post });
    recordRpc(log, 'in', { jsonrpc: '2.0', id: 1, result: { tools: [] } }, { exchangeId: stream });
    recordRpc(log, 'in', { jsonrpc: '2.0', id: 1, result: { tools: [{ name: 'x' }] } }, { exchangeId: post });
    recordRpc(log, 'in', { jsonrpc: '2.0', id: 1, result: { tools: [] } }, { exchangeId: stream });
    expect(findings().map((f) => f.code)).toEqual(['duplicate_response_id', 'duplicate_response_id']);
  });
});
