// useLogSelector's getter: one selection per log batch, an equal value kept so React skips the render, and the
// incremental filter over an append-only list (only new items are tested; a shrink or new list starts over).
import { describe, expect, it } from 'vitest';
import { LogStore, appendOnlyFilter, selectionOf, type LogSnapshot } from '@/components/log-store';
import { recordRpc, TraceLog, type RpcEvent } from '@/lib/trace';

function feed() {
  const log = new TraceLog({ sessionId: 's', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: 0, transport: 'auto' });
  const store = new LogStore('s');
  const send = (method: string) => {
    const before = log.events().length;
    recordRpc(log, 'in', { jsonrpc: '2.0', method, params: {} });
    for (const event of log.events().slice(before)) store.push(event);
    store.flush();
  };
  return { store, send };
}

describe('selectionOf', () => {
  it('runs the selector once per snapshot, however often React asks', () => {
    const { store, send } = feed();
    let runs = 0;
    const get = selectionOf(store, (_snapshot, s) => {
      runs += 1;
      return s.rpc.length;
    });
    expect([get(), get(), get()]).toEqual([0, 0, 0]);
    expect(runs).toBe(1);
    send('notifications/message');
    expect([get(), get()]).toEqual([1, 1]);
    expect(runs).toBe(2);
  });

  it('keeps the previous value while the equality says nothing changed, and takes the new one when it does', () => {
    const { store, send } = feed();
    const sameLength = (a: { n: number }, b: { n: number }) => a.n === b.n;
    let method = 'notifications/message';
    const get = selectionOf(store, (_snapshot: LogSnapshot, s) => ({ n: s.methods.get(method) ?? 0 }), sameLength);
    const first = get();
    send('notifications/progress');
    expect(get()).toBe(first);
    send('notifications/message');
    const second = get();
    expect(second).not.toBe(first);
    expect(second.n).toBe(1);
    method = 'other';
    expect(get()).toBe(second);
  });
});

describe('appendOnlyFilter', () => {
  it('tests only the items appended since the last batch and keeps the result growing', () => {
    const { store, send } = feed();
    const tested: string[] = [];
    const select = appendOnlyFilter(
      (s) => s.rpc,
      (event: RpcEvent) => {
        tested.push(event.method ?? '');
        return event.method === 'notifications/message';
      },
    );
    send('notifications/message');
    send('notifications/progress');
    expect(select(store.getSnapshot(), store).map((event) => event.method)).toEqual(['notifications/message']);
    send('notifications/message');
    const result = select(store.getSnapshot(), store);
    expect(result.map((event) => event.method)).toEqual(['notifications/message', 'notifications/message']);
    expect(tested).toEqual(['notifications/message', 'notifications/progress', 'notifications/message']);
  });

  it('starts over on another list', () => {
    const first = feed();
    const second = feed();
    const select = appendOnlyFilter(
      (s) => s.rpc,
      () => true,
    );
    first.send('a');
    first.send('b');
    expect(select(first.store.getSnapshot(), first.store)).toHaveLength(2);
    second.send('c');
    expect(select(second.store.getSnapshot(), second.store).map((event) => event.method)).toEqual(['c']);
  });
});
