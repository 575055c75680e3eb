// Remembered tool arguments (components/tools/use-last-arguments.ts): secrets never stored, and the last call per
// tool read back from a session log.
import { describe, expect, it } from 'vitest';
import { lastCallsFromLog, withoutSecrets } from '@/components/tools/use-last-arguments';
import { LogStore } from '@/components/log-store';

describe('withoutSecrets', () => {
  it('drops credential-named entries at any depth, keeps the rest', () => {
    expect(
      withoutSecrets({
        query: 'cats',
        apiKey: 'sk-1',
        nested: { password: 'p', keep: 1, list: [{ access_token: 't', n: 2 }] },
        tokenCount: 3,
      }),
    ).toEqual({ query: 'cats', nested: { keep: 1, list: [{ n: 2 }] }, tokenCount: 3 });
  });
  it('passes scalars through', () => {
    expect(withoutSecrets('text')).toBe('text');
    expect(withoutSecrets(null)).toBe(null);
  });
});

describe('lastCallsFromLog', () => {
  it('finds the newest answered call per tool with its arguments and outcome', () => {
    const store = new LogStore('s');
    let seq = 0;
    const requests = new Map<number, number>();
    const rpc = (direction: 'in' | 'out', type: 'request' | 'result' | 'error', id: number, message: unknown, method?: string) => {
      seq += 1;
      if (type === 'request') requests.set(id, seq);
      const pairSeq = type === 'request' ? undefined : requests.get(id);
      store.push({
        kind: 'rpc',
        seq,
        t: seq * 10,
        direction,
        type,
        id,
        ...(method ? { method } : {}),
        ...(pairSeq ? { pairSeq, latencyMs: 4.5 * id } : {}),
        message,
        size: 10,
      });
    };
    rpc(
      'out',
      'request',
      1,
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'add', arguments: { a: 1, b: 2 } } },
      'tools/call',
    );
    rpc('in', 'result', 1, { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: '3' }] } });
    rpc(
      'out',
      'request',
      2,
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'add', arguments: { a: 5, b: 5 } } },
      'tools/call',
    );
    rpc('in', 'result', 2, { jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: '10' }] } });
    rpc('out', 'request', 3, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'boom', arguments: {} } }, 'tools/call');
    rpc('in', 'error', 3, { jsonrpc: '2.0', id: 3, error: { code: -32602, message: 'bad' } });
    rpc('out', 'request', 4, { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'pending', arguments: {} } }, 'tools/call');
    store.flush();
    const calls = lastCallsFromLog(store, 1_000);
    expect(Object.keys(calls).sort()).toEqual(['add', 'boom']);
    expect(calls.add).toMatchObject({
      args: { a: 5, b: 5 },
      status: 'done',
      outcome: { kind: 'result', result: { content: [{ text: '10' }] } },
    });
    expect(calls.boom?.outcome).toEqual({ kind: 'rpc-error', error: { code: -32602, message: 'bad' } });
    // The latency shown for a call read back is the one the log recorded (the engine's), not the log's clock gap.
    expect(calls.add?.engineMs).toBe(9);
    expect(calls.boom?.engineMs).toBe(13.5);
  });
});
