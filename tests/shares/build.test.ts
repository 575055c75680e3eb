// The redacted copy behind a share link: what is selected, what is masked, and that nothing else changes.
import { describe, expect, it } from 'vitest';
import { buildSharedLog, maskQueryInText, maskQueryInUrl, sessionFileName } from '@/lib/shares/document';
import {
  parseJsonExport,
  SecretSet,
  toJsonExport,
  type HttpRequestEvent,
  type RpcEvent,
  type SseFrameEvent,
  type TraceEvent,
} from '@/lib/trace';
import { ARG_SECRET, META, RESULT_TEXT, SERVER_URL, TENANT, deepFreeze, legacyEndpointEvents, sampleEvents } from './sample-log';

const seqs = (events: readonly TraceEvent[]) => events.map((e) => e.seq);
const find = <K extends TraceEvent['kind']>(events: readonly TraceEvent[], seq: number) =>
  events.find((e) => e.seq === seq) as Extract<TraceEvent, { kind: K }>;

describe('buildSharedLog: selection', () => {
  it('shares the whole log unchanged when nothing is chosen, and never modifies its input', () => {
    const events = deepFreeze(sampleEvents());
    const shared = buildSharedLog(deepFreeze({ ...META }), events);
    expect(shared.events).toEqual(sampleEvents());
    expect(shared.meta).toEqual(META);
    expect(shared.stats).toMatchObject({ events: 35, exchanges: 5, messages: 10, phases: 3, findings: 1, maskedQueries: 0 });
    // The copy is still a valid session export.
    const reread = parseJsonExport(JSON.parse(JSON.stringify(toJsonExport({ meta: shared.meta, events: () => shared.events }))));
    expect(reread.events).toHaveLength(35);
  });

  it('stops at untilSeq (the log as it was previewed)', () => {
    const shared = buildSharedLog(META, sampleEvents(), { untilSeq: 12 });
    expect(seqs(shared.events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('a time range takes whole exchanges that started in it, what happened in it, and anchors for streams', () => {
    const shared = buildSharedLog(META, sampleEvents(), { range: { from: 90, to: 200 } });
    // e3 started at 100: all of it, even its answer at 240 and its end at 250 (after the window).
    for (const seq of [14, 15, 16, 19, 20, 21, 23]) expect(seqs(shared.events)).toContain(seq);
    // The frame at 150 on the stream opened at 40 comes with the stream's request and response headers...
    for (const seq of [17, 18, 9, 10]) expect(seqs(shared.events)).toContain(seq);
    // ...but not the stream's other frames, nor its end, nor anything before or after the window.
    for (const seq of [11, 12, 33, 34, 35, 3, 5, 24, 29]) expect(seqs(shared.events)).not.toContain(seq);
    // The phase that started in the window is there; its closing event (at 251) is not in the window.
    expect(seqs(shared.events)).toContain(13);
    expect(shared.stats.exchanges).toBe(2);
    expect(seqs(shared.events)).toEqual([...seqs(shared.events)].sort((a, b) => a - b));
  });

  it('chosen exchanges bring their messages, answers carried elsewhere, phases and findings', () => {
    const shared = buildSharedLog(META, sampleEvents(), { exchangeIds: ['e3', 'e5'] });
    const kept = seqs(shared.events);
    // e3 whole, its phase (both events), its finding.
    for (const seq of [13, 14, 15, 16, 19, 20, 21, 22, 23]) expect(kept).toContain(seq);
    // e5's ping was answered on the standing stream e2: the answer comes along, the stream's frames do not.
    expect(kept).toEqual(expect.arrayContaining([29, 30, 31, 32, 34]));
    for (const seq of [9, 10, 11, 17, 33, 35, 3, 24]) expect(kept).not.toContain(seq);
    expect(shared.stats.exchanges).toBe(2);
  });

  it('chosen exchanges keep the phases they ran in and the phases those are nested under', () => {
    const shared = buildSharedLog(META, sampleEvents(), { exchangeIds: ['e1'] });
    expect(seqs(shared.events)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('range and exchanges together take the chosen exchanges that started in the range', () => {
    const shared = buildSharedLog(META, sampleEvents(), { exchangeIds: ['e1', 'e3'], range: { from: 50, to: 400 } });
    expect(seqs(shared.events)).toContain(14);
    expect(seqs(shared.events)).not.toContain(3);
  });

  it('an empty selection gives an empty log', () => {
    expect(buildSharedLog(META, sampleEvents(), { range: { from: 5000, to: 6000 } }).events).toEqual([]);
    expect(buildSharedLog(META, sampleEvents(), { exchangeIds: ['nope'] }).events).toEqual([]);
  });
});

describe('buildSharedLog: masking', () => {
  it('leaves query strings, arguments and results alone unless asked', () => {
    const text = JSON.stringify(buildSharedLog(META, sampleEvents()));
    expect(text).toContain(TENANT);
    expect(text).toContain(ARG_SECRET);
    expect(text).toContain(RESULT_TEXT);
  });

  it('maskQuery masks query values everywhere: URLs, meta, headers, bodies (escaped slashes too), messages', () => {
    const shared = buildSharedLog(META, sampleEvents(), { maskQuery: true });
    const text = JSON.stringify(shared);
    expect(text).not.toContain(TENANT);
    expect(shared.meta.serverUrl).toBe('https://mcp.example.com/mcp?tenant=••••tion');
    expect(find<'http.request'>(shared.events, 3).url).toBe('https://mcp.example.com/mcp?tenant=••••tion');
    expect(find<'http.response'>(shared.events, 26).headers[1][1]).toBe('<https://mcp.example.com/mcp?tenant=••••tion>; rel="self"');
    const listBody = find<'http.end'>(shared.events, 27).body!.text;
    expect(listBody).toContain('https:\\/\\/docs.example.com\\/tools?tenant=••••tion');
    expect(JSON.parse(listBody)).toMatchObject({ result: { _meta: { docs: 'https://docs.example.com/tools?tenant=••••tion' } } });
    expect((find<'rpc'>(shared.events, 28).message as { result: { _meta: { docs: string } } }).result._meta.docs).toContain(
      'tenant=••••tion',
    );
    // Everything else is untouched.
    expect(find<'http.request'>(shared.events, 14).body).toEqual((sampleEvents()[13] as HttpRequestEvent).body);
    expect(shared.stats.maskedQueries).toBeGreaterThan(5);
  });

  it('maskQuery masks the legacy endpoint event, which names a relative URL', () => {
    const shared = buildSharedLog({ ...META, serverUrl: 'https://legacy.example.com/sse' }, legacyEndpointEvents(), { maskQuery: true });
    const frame = find<'sse.frame'>(shared.events, 3);
    expect(frame.data).toBe('/messages?sessionId=••••6789');
    expect(frame.raw).toBe('event: endpoint\ndata: /messages?sessionId=••••6789');
    expect(JSON.stringify(shared)).not.toContain('legacy-session-01234');
  });

  it('maskArguments masks tools/call arguments in the message and the request body, keeping names', () => {
    const shared = buildSharedLog(META, sampleEvents(), { maskArguments: true });
    expect(JSON.stringify(shared)).not.toContain(ARG_SECRET);
    const call = find<'rpc'>(shared.events, 15).message as { params: { name: string; arguments: unknown } };
    expect(call.params).toEqual({ name: 'lookup', arguments: { query: '••••', limit: '••••', nested: { deep: '••••' } } });
    const body = JSON.parse(find<'http.request'>(shared.events, 14).body!.text) as typeof call;
    expect(body.params.arguments).toEqual(call.params.arguments);
    // Results and other requests stay as they were.
    expect(JSON.stringify(shared)).toContain(RESULT_TEXT);
    expect(find<'http.request'>(shared.events, 3)).toEqual(sampleEvents()[2]);
    expect(shared.stats.maskedArguments).toBe(1);
  });

  it('maskArguments empties a request body that cannot be parsed rather than leak it', () => {
    const events = sampleEvents();
    const req = events[13] as Extract<TraceEvent, { kind: 'http.request' }>;
    req.body = { ...req.body!, text: req.body!.text.slice(0, 80), truncated: true };
    const shared = buildSharedLog(META, events, { maskArguments: true });
    expect(find<'http.request'>(shared.events, 14).body).toMatchObject({ text: '', dropped: true, truncated: true });
    expect(shared.stats.droppedPayloads).toBe(1);
  });

  it('maskResults masks tools/call results in the message and the SSE frame, keeping content types and isError', () => {
    const shared = buildSharedLog(META, sampleEvents(), { maskResults: true });
    expect(JSON.stringify(shared)).not.toContain(RESULT_TEXT);
    const result = (find<'rpc'>(shared.events, 20) as RpcEvent).message;
    expect(result).toEqual({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: '••••' }], isError: false } });
    const frame = find<'sse.frame'>(shared.events, 19) as SseFrameEvent;
    expect(JSON.parse(frame.data!)).toEqual(result);
    expect(frame.raw).toBe(`id: ev-1\nevent: message\ndata: ${frame.data}`);
    // The arguments, the initialize result and the tools/list result are not tool results.
    expect(JSON.stringify(shared)).toContain(ARG_SECRET);
    expect(find<'rpc'>(shared.events, 7)).toEqual(sampleEvents()[6]);
    expect(find<'http.end'>(shared.events, 27)).toEqual(sampleEvents()[26]);
    expect(shared.stats.maskedResults).toBe(1);
  });

  it('masks known secrets once more when the session hands them over', () => {
    const events = sampleEvents();
    (events[10] as SseFrameEvent).raw += '\n: leaked-token-value-123456';
    const shared = buildSharedLog(META, events, {}, { secrets: new SecretSet(['leaked-token-value-123456']) });
    expect(JSON.stringify(shared)).not.toContain('leaked-token-value-123456');
    expect((find<'sse.frame'>(shared.events, 11) as SseFrameEvent).raw).toContain('••••3456');
  });
});

describe('query masking helpers', () => {
  it('masks values, keeps names, leaves plain fragments and already-masked values', () => {
    expect(maskQueryInUrl('https://a.example/p?x=1&token=abcdefghijkl#top')).toBe('https://a.example/p?x=••••&token=••••ijkl#top');
    expect(maskQueryInUrl('https://a.example/p?x=••••&flag')).toBe('https://a.example/p?x=••••&••••');
    expect(maskQueryInUrl('https://a.example/cb#code=abcdefghijkl&state=s')).toBe('https://a.example/cb#code=••••ijkl&state=••••');
    expect(maskQueryInText('see https://a.example/p?q=secret-search and https://b.example/plain.')).toBe(
      'see https://a.example/p?q=••••arch and https://b.example/plain.',
    );
  });
});

describe('sessionFileName', () => {
  it('names the server and the UTC start time, safely', () => {
    expect(sessionFileName(META, 'har')).toBe('mcpscope-example-server-20260304-060000Z.har');
    expect(sessionFileName({ serverUrl: 'http://127.0.0.1:4321/mcp', startedAt: META.startedAt }, 'json')).toBe(
      'mcpscope-127.0.0.1-4321-20260304-060000Z.json',
    );
    expect(
      sessionFileName({ serverInfo: { name: '../../etc/passwd', version: '1' }, serverUrl: 'x', startedAt: META.startedAt }, 'json'),
    ).toBe('mcpscope-etc-passwd-20260304-060000Z.json');
  });
});

describe('fixture sanity', () => {
  it('the sample log holds the values the masking tests look for', () => {
    const text = JSON.stringify(sampleEvents());
    expect(text).toContain(ARG_SECRET);
    expect(text).toContain(RESULT_TEXT);
    expect(SERVER_URL).toContain(TENANT);
  });
});
