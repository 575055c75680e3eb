import { describe, expect, it } from 'vitest';
import { compareRecordings, ignoreRules, recordingFromLog, replayRecording, type RecordedOutcome } from '@/lib/replay';
import { logOf, snapshot, tool, type Exchange } from './helpers';
import { SEARCH_LIMIT_CHANGES, SEARCH_LIMIT_INTERFACE } from './expected';

const session = (greeting: string, schema: ReturnType<typeof tool>): Exchange[] => [
  { method: 'tools/list', result: { tools: [tool('greet', { name: { type: 'string' } }, ['name']), schema] } },
  { method: 'tools/call', params: { name: 'greet', arguments: { name: 'Ada' } }, result: { content: [{ type: 'text', text: greeting }] } },
  {
    method: 'tools/call',
    params: { name: 'now', arguments: {} },
    result: { content: [{ type: 'text', text: `It is ${new Date().toISOString()}` }], structuredContent: { requestId: Math.random() } },
  },
];
const search = tool('search', { q: { type: 'string' } }, ['q']);
const searchWithLimit = tool('search', { q: { type: 'string' }, limit: { type: 'integer' } }, ['q', 'limit']);

/** A target that answers every request as the given log did, or fails for a method. */
function targetFrom(exchanges: Exchange[], failing?: string) {
  const sent: string[] = [];
  const send = async (method: string, params: Record<string, unknown> | undefined): Promise<RecordedOutcome> => {
    sent.push(`${method} ${JSON.stringify(params ?? {})}`);
    if (method === failing) throw Object.assign(new Error('connection reset'), { code: 'connection_lost' });
    const found = exchanges.find((e) => e.method === method && JSON.stringify(e.params?.name) === JSON.stringify(params?.name));
    if (!found) return { error: { code: -32601, message: 'Method not found' } };
    return found.error ? { error: found.error } : { result: found.result };
  };
  return { send, sent };
}

describe('replay', () => {
  it('an unchanged server: every request identical, volatile values ignored, nothing differs', async () => {
    const recording = recordingFromLog(snapshot(logOf(session('Hello, Ada', search))));
    const target = targetFrom(session('Hello, Ada', search));
    const report = await replayRecording(recording, target.send, { ignore: ignoreRules([]) });
    expect(target.sent).toEqual([
      'tools/list {}',
      'tools/call {"name":"greet","arguments":{"name":"Ada"}}',
      'tools/call {"name":"now","arguments":{}}',
    ]);
    expect(report.requests.map((r) => r.verdict)).toEqual(['identical', 'identical', 'identical']);
    expect(report.requests[2].ignored).toEqual({ 'timestamps and ids in text': 1, ids: 1 });
    expect(report.differs).toBe(false);
    expect(report.interface).toEqual([]);
  });

  it('a changed schema and a changed result: exactly those, and the interface diff names the breaking argument', async () => {
    const recording = recordingFromLog(snapshot(logOf(session('Hello, Ada', search))));
    const target = targetFrom(session('Hi, Ada!', searchWithLimit));
    const report = await replayRecording(recording, target.send, { ignore: ignoreRules([]) });
    expect(report.requests.map((r) => [r.label, r.verdict])).toEqual([
      ['tools/list', 'differs'],
      ['tools/call greet', 'differs'],
      ['tools/call now', 'identical'],
    ]);
    expect(report.requests[0].changes.map((c) => `${c.kind} ${c.path}`)).toEqual(SEARCH_LIMIT_CHANGES);
    expect(report.requests[1].changes).toEqual([
      { kind: 'changed', path: '$.result.content[0].text', before: 'Hello, Ada', after: 'Hi, Ada!' },
    ]);
    expect(report.interface).toEqual(SEARCH_LIMIT_INTERFACE);
    expect(report.summary).toEqual({ total: 3, identical: 1, differs: 2, failed: 0, breaking: 1 });
    expect(report.differs).toBe(true);
    // An ignore rule for the changed text leaves only the schema.
    const ignoring = await replayRecording(recording, target.send, { ignore: ignoreRules(['$.result.content[*].text']) });
    expect(ignoring.requests[1].verdict).toBe('identical');
  });

  it('a request that gets no answer fails, and the replay goes on', async () => {
    const recording = recordingFromLog(snapshot(logOf(session('Hello, Ada', search))));
    const report = await replayRecording(recording, targetFrom(session('Hello, Ada', search), 'tools/list').send);
    expect(report.requests[0]).toMatchObject({ verdict: 'failed', failure: { code: 'connection_lost', message: 'connection reset' } });
    expect(report.requests[1].verdict).toBe('identical');
    expect(report.differs).toBe(true);
  });

  it('an error instead of a result differs', async () => {
    const recording = recordingFromLog(snapshot(logOf([{ method: 'prompts/get', params: { name: 'p' }, result: { messages: [] } }])));
    const report = await replayRecording(recording, targetFrom([]).send);
    expect(report.requests[0].changes.map((c) => `${c.kind} ${c.path}`)).toEqual(['removed $.result', 'added $.error']);
  });
});

describe('comparing two recordings', () => {
  it('pairs requests by method and subject, lists what only one made', () => {
    const a = recordingFromLog(snapshot(logOf(session('Hello, Ada', search))));
    const bExchanges = session('Hello, Ada', search);
    bExchanges.splice(1, 0, { method: 'resources/read', params: { uri: 'file:///x' }, result: { contents: [] } });
    bExchanges.pop();
    const b = recordingFromLog(snapshot(logOf(bExchanges)));
    const report = compareRecordings(a, b, { ignore: ignoreRules([]) });
    expect(report.requests.map((r) => [r.label, r.verdict, r.only])).toEqual([
      ['tools/list', 'identical', undefined],
      ['tools/call greet', 'identical', undefined],
      ['tools/call now', 'differs', 'a'],
      ['resources/read file:///x', 'differs', 'b'],
    ]);
    expect(report.differs).toBe(true);
  });

  it('a recording compared with itself is identical', () => {
    const a = recordingFromLog(snapshot(logOf(session('Hello, Ada', searchWithLimit))));
    const report = compareRecordings(a, a, { ignore: ignoreRules([]) });
    expect(report.differs).toBe(false);
    expect(report.summary.identical).toBe(3);
  });
});
