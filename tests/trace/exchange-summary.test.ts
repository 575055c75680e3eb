import { describe, expect, it } from 'vitest';
import {
  addToRpcSummary,
  describeIds,
  describeMethods,
  emptyRpcSummary,
  rpcSummaryMatches,
  summarizeRpc,
  SUMMARY_MAX_IDS,
  SUMMARY_MAX_METHODS,
  type RpcEvent,
} from '@/lib/trace';

type Msg = Pick<RpcEvent, 'direction' | 'type' | 'method' | 'id' | 'message'>;

const call = (id: number, name = 'add'): Msg => ({
  direction: 'out',
  type: 'request',
  method: 'tools/call',
  id,
  message: { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: {} } },
});
const result = (id: number, method = 'tools/call'): Msg => ({
  direction: 'in',
  type: 'result',
  method,
  id,
  message: { jsonrpc: '2.0', id, result: {} },
});
const note = (method: string): Msg => ({ direction: 'in', type: 'notification', method, message: { jsonrpc: '2.0', method } });

describe('exchange summary', () => {
  it.each<[string, Msg[], string, string]>([
    ['a tool call and its JSON answer', [call(3), result(3)], 'tools/call add', 'id 3'],
    [
      'a POST answered by SSE: progress, then the result',
      [call(4, 'slow'), note('notifications/progress'), note('notifications/progress'), result(4)],
      'tools/call slow, notifications/progress ×2',
      'id 4',
    ],
    [
      'a GET stream',
      [
        note('notifications/message'),
        note('notifications/message'),
        { direction: 'in', type: 'request', method: 'elicitation/create', id: 0, message: {} },
      ],
      'notifications/message ×2, elicitation/create',
      'id 0',
    ],
    ['a batch of three', [call(1, 'a'), call(2, 'b'), call(3, 'c')], 'batch of 3: tools/call ×3 a, b, …', 'ids 1, 2, 3'],
    [
      'a notification POST',
      [{ direction: 'out', type: 'notification', method: 'notifications/initialized', message: {} }],
      'notifications/initialized',
      '',
    ],
    ['an error answer with no method known', [{ direction: 'in', type: 'error', id: 9, message: {} }], '+1 other', 'id 9'],
    ['nothing', [], '', ''],
  ])('%s', (_name, messages, methods, ids) => {
    const summary = summarizeRpc(messages);
    expect(describeMethods(summary)).toBe(methods);
    expect(describeIds(summary)).toBe(ids);
  });

  it('stays bounded on a batch of 10,000 and still says how many', () => {
    const summary = emptyRpcSummary();
    for (let id = 1; id <= 10_000; id++) addToRpcSummary(summary, call(id, `tool_${id % 50}`));
    for (let i = 0; i < 20; i++) addToRpcSummary(summary, note(`notifications/n${i}`));
    expect(summary.messages).toBe(10_020);
    expect(summary.ids).toHaveLength(SUMMARY_MAX_IDS);
    expect(summary.moreIds).toBe(10_000 - SUMMARY_MAX_IDS);
    expect(summary.methods).toHaveLength(SUMMARY_MAX_METHODS);
    expect(summary.otherMethods).toBe(20 - (SUMMARY_MAX_METHODS - 1));
    expect(summary.names.length).toBeLessThanOrEqual(16);
    expect(summary.moreNames).toBe(true);
    expect(describeMethods(summary)).toBe('batch of 10,000: tools/call ×10,000 tool_1, tool_2, …, notifications/n0, +19 more');
    expect(describeIds(summary)).toBe('ids 1, 2, 3 +9,997');
    expect(JSON.stringify(summary).length).toBeLessThan(4_000);
  });

  it('clips long methods and names', () => {
    const long = 'x'.repeat(10_000);
    const summary = summarizeRpc([{ ...call(1), method: long, message: { params: { name: long } } }]);
    expect(summary.methods[0]!.method.length).toBeLessThanOrEqual(80);
    expect(summary.names[0]!.length).toBeLessThanOrEqual(80);
  });

  it.each<[string, boolean]>([
    ['tools/call', true],
    ['tools/', true],
    ['add', true],
    ['3', true],
    ['#3', true],
    ['id 3', true],
    ['id:3', true],
    ['4', false],
    ['resources/read', false],
    ['sub', false],
  ])('the filter "%s" matches: %s', (query, expected) => {
    const summary = summarizeRpc([call(3), result(3)]);
    expect(rpcSummaryMatches(summary, query)).toBe(expected);
  });

  it('matches nothing for an exchange with no messages', () => {
    expect(rpcSummaryMatches(undefined, 'tools/call')).toBe(false);
    expect(rpcSummaryMatches(emptyRpcSummary(), 'tools/call')).toBe(false);
  });
});
