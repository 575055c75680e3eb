import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createRecordingFetch, heapEstimate, payloadSize, skeletonSize, TraceLog, type TraceEvent } from '@/lib/trace';
import { notificationFloodText, streamingFetch } from './flood';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('heap estimates of events', () => {
  it('counts strings, objects, arrays and boxed numbers, and survives deep nesting', () => {
    expect(heapEstimate('')).toBe(0);
    expect(heapEstimate('abc')).toBe(16 + 8);
    expect(heapEstimate('é'.repeat(8))).toBe(16 + 8); // Latin-1: one byte each
    expect(heapEstimate('€'.repeat(8))).toBe(16 + 16); // two bytes each
    expect(heapEstimate(7)).toBe(0);
    expect(heapEstimate(0.5)).toBe(16);
    expect(heapEstimate({ a: 1, b: 'xy' })).toBe(24 + 16 + 16 + 8);
    expect(heapEstimate([1, 2, 3])).toBe(48 + 24);
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expect(heapEstimate(deep)).toBe(100_000 * 32 + 24);
  });

  it('splits an event into a skeleton that stays and a payload the caps may empty', () => {
    const frame = { kind: 'sse.frame', exchangeId: 'ex1', index: 3, raw: 'data: {"a":1}', data: '{"a":1}', seq: 9, t: 1.5 } as TraceEvent;
    const skeleton = skeletonSize(frame);
    expect(payloadSize(frame)).toBe(heapEstimate('data: {"a":1}') + heapEstimate('{"a":1}'));
    Object.assign(frame, { raw: '', data: '', dropped: true });
    expect(payloadSize(frame)).toBe(0);
    expect(skeletonSize(frame)).toBe(skeleton);
    const rpc = {
      kind: 'rpc',
      direction: 'in',
      type: 'notification',
      method: 'm',
      message: { jsonrpc: '2.0', method: 'm' },
      size: 30,
      seq: 10,
      t: 2,
    } as TraceEvent;
    const rpcSkeleton = skeletonSize(rpc);
    expect(payloadSize(rpc)).toBe(heapEstimate({ jsonrpc: '2.0', method: 'm' }));
    Object.assign(rpc, { message: undefined, dropped: true });
    expect(skeletonSize(rpc)).toBe(rpcSkeleton);
  });

  it('is within 0.8–1.6× of the heap a recorded notification flood really holds', async () => {
    const count = 30_000;
    const log = new TraceLog(
      { sessionId: 's', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: Date.now(), transport: 'auto' },
      { maxEvents: Infinity, maxBytes: Infinity },
    );
    const recording = createRecordingFetch(log, { baseFetch: streamingFetch(notificationFloodText(count)) });
    const before = heapUsed();
    const response = await recording('http://127.0.0.1:1/mcp', {
      method: 'POST',
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"flood"}}',
    });
    await response.arrayBuffer();
    const held = heapUsed() - before;
    expect(log.size).toBeGreaterThan(2 * count);
    const ratio = log.heldBytes / held;
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.6);
  });
});
