// The browser's log store keeps one bounded JSON-RPC summary per exchange, built as the messages arrive.
import { describe, expect, it } from 'vitest';
import { LogStore } from '@/components/log-store';
import { describeIds, describeMethods, recordRpc, TraceLog } from '@/lib/trace';

describe('LogStore exchange summaries', () => {
  it('summarises what each exchange carried, whichever exchange answers', () => {
    const log = new TraceLog({ sessionId: 's', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: 0, transport: 'auto' });
    const request = (exchangeId: string, method: string) =>
      log.append({ kind: 'http.request', exchangeId, purpose: 'mcp', method, url: 'http://127.0.0.1:1/mcp', headers: [] });
    request('post', 'POST');
    recordRpc(log, 'out', { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'add', arguments: {} } }, { exchangeId: 'post' });
    request('get', 'GET');
    recordRpc(log, 'in', { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'hi' } }, { exchangeId: 'get' });
    // The answer arrives on the standing stream (a 2025 server may do that): it names its method there too.
    recordRpc(log, 'in', { jsonrpc: '2.0', id: 7, result: { content: [] } }, { exchangeId: 'get' });
    const store = LogStore.fromEvents('s', log.events());
    const post = store.exchange('post')!.rpc!;
    expect(describeMethods(post)).toBe('tools/call add');
    expect(describeIds(post)).toBe('id 7');
    const get = store.exchange('get')!.rpc!;
    expect(describeMethods(get)).toBe('notifications/message, tools/call');
    expect(describeIds(get)).toBe('id 7');
    expect(get.received).toBe(2);
  });
});
