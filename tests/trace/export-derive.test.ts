import { describe, expect, it } from 'vitest';
import {
  captureText,
  groupExchanges,
  parseJsonExport,
  phaseTree,
  recordRpc,
  toJsonExport,
  TraceExportError,
  TraceLog,
  toHar,
  type TraceEvent,
  type TraceMeta,
} from '@/lib/trace';

const META: TraceMeta = { sessionId: 's1', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: 1_000, transport: 'auto' };

function sampleLog(): { log: TraceLog; connectId: string; initId: string } {
  let now = 1_000;
  const log = new TraceLog(META, {}, { clock: () => now });
  const connect = log.beginPhase('connect');
  const init = log.beginPhase('initialize', { parentId: connect.id });
  log.append({
    kind: 'http.request',
    exchangeId: 'ex1',
    phaseId: init.id,
    purpose: 'mcp',
    method: 'POST',
    url: META.serverUrl,
    headers: [],
    body: captureText('{"jsonrpc":"2.0","id":0,"method":"initialize"}', 1000),
  });
  recordRpc(log, 'out', { jsonrpc: '2.0', id: 0, method: 'initialize' }, { exchangeId: 'ex1' });
  now += 5;
  log.append({ kind: 'http.response', exchangeId: 'ex1', status: 200, statusText: 'OK', headers: [], ttfbMs: 5 });
  log.append({ kind: 'sse.frame', exchangeId: 'ex1', index: 0, data: '{}', raw: 'data: {}' });
  recordRpc(log, 'in', { jsonrpc: '2.0', id: 0, result: {} }, { exchangeId: 'ex1' });
  now += 2;
  log.append({ kind: 'http.end', exchangeId: 'ex1', bytes: 20, durationMs: 7 });
  init.ok('2025-06-18');
  log.append({ kind: 'http.request', exchangeId: 'ex2', purpose: 'mcp-stream', method: 'GET', url: META.serverUrl, headers: [] });
  log.finding('info', 'note', 'a note', { exchangeId: 'ex2' });
  now += 10;
  log.append({
    kind: 'http.end',
    exchangeId: 'ex2',
    bytes: 0,
    durationMs: 10,
    error: { code: 'connection_refused', message: 'nothing there' },
  });
  return { log, connectId: connect.id, initId: init.id };
}

/** Reading `value` as an export fails with code invalid_export and a message matching `message`. */
function expectRefusedExport(value: unknown, message: RegExp): void {
  let caught: unknown;
  try {
    parseJsonExport(value);
  } catch (err) {
    caught = err;
  }
  expect(caught, String(message)).toBeInstanceOf(TraceExportError);
  expect((caught as TraceExportError).code).toBe('invalid_export');
  expect((caught as Error).message).toMatch(message);
}

describe('JSON export', () => {
  it('round-trips through JSON text', () => {
    const { log } = sampleLog();
    const exported = toJsonExport(log, new Date('2026-01-02T03:04:05Z'));
    expect(exported).toMatchObject({ format: 'mcpscope-session', version: 1, exportedAt: '2026-01-02T03:04:05.000Z' });
    const back = parseJsonExport(JSON.stringify(exported));
    expect(back.meta).toEqual(log.meta);
    expect(back.events).toEqual(log.events());
    const rebuilt = TraceLog.fromEvents(back.meta, back.events);
    expect(rebuilt.lastSeq).toBe(log.lastSeq);
  });

  it('rejects what is not an export, with code invalid_export and a clear message', () => {
    const good = toJsonExport(sampleLog().log);
    const cases: Array<[unknown, RegExp]> = [
      ['{not json', /not JSON/],
      [[], /expected a JSON object/],
      [{ ...good, format: 'har' }, /"format" is "har"/],
      [{ ...good, meta: { sessionId: 's' } }, /serverUrl/],
      [{ ...good, events: 'nope' }, /no "events" list/],
      [{ ...good, events: [{ kind: 'weird', seq: 1, t: 0 }] }, /Event #0 has an unknown kind "weird"/],
      [{ ...good, events: [good.events[1], good.events[0]] }, /must be in order/],
      [{ ...good, events: [{ kind: 'http.request', seq: 1, t: 0, exchangeId: 'x', method: 'GET', url: 'u' }] }, /headers/],
    ];
    for (const [value, message] of cases) expectRefusedExport(value, message);
  });

  // Issue 15: `headers: [42]` passed the hand-written checks, then toHar threw and the Headers tab crashed.
  it('checks every field of every event by type, naming the event and the field', () => {
    const good = toJsonExport(sampleLog().log);
    const request = good.events.find((e) => e.kind === 'http.request')!;
    const response = good.events.find((e) => e.kind === 'http.response')!;
    const rpc = good.events.find((e) => e.kind === 'rpc')!;
    const at = (e: TraceEvent) => good.events.indexOf(e);
    const replacing = (e: TraceEvent, patch: Record<string, unknown>) => ({
      ...good,
      events: good.events.map((x) => (x === e ? { ...x, ...patch } : x)),
    });
    const cases: Array<[unknown, RegExp]> = [
      [replacing(request, { headers: [42] }), new RegExp(`Event #${at(request)} \\(http.request\\) is wrong at "headers`)],
      [replacing(request, { headers: [['accept']] }), /"headers\[0\]/],
      [replacing(request, { body: { text: 'x', encoding: 'gzip', size: 1, truncated: false } }), /"body.encoding"/],
      [replacing(response, { status: '200' }), /"status"/],
      [replacing(rpc, { direction: 'sideways' }), /"direction"/],
      [replacing(rpc, { size: -1 }), /"size"/],
      [{ ...good, meta: { ...good.meta, transport: 'websocket' } }, /"meta" is missing or has a wrong "transport"/],
      [{ ...good, meta: { ...good.meta, serverInfo: { name: 7 } } }, /"serverInfo.name"/],
    ];
    for (const [value, message] of cases) expectRefusedExport(value, message);
  });

  it('keeps fields it does not know (a newer minor version) and reads an unknown exchange purpose as other', () => {
    const good = toJsonExport(sampleLog().log);
    const request = good.events.find((e) => e.kind === 'http.request')!;
    const back = parseJsonExport({
      ...good,
      meta: { ...good.meta, futureField: 1 },
      events: good.events.map((e) => (e === request ? { ...e, purpose: 'telepathy', extra: 'kept' } : e)),
    });
    expect((back.meta as unknown as Record<string, unknown>).futureField).toBe(1);
    const read = back.events.find((e) => e.seq === request.seq) as unknown as Record<string, unknown>;
    expect(read.purpose).toBe('other');
    expect(read.extra).toBe('kept');
    expect(toHar(back.meta, back.events).log.entries.length).toBeGreaterThan(0);
  });

  it('refuses a file from a newer mcpscope with its own code, naming the version', () => {
    const good = toJsonExport(new TraceLog({ sessionId: 's', serverUrl: 'http://x', startedAt: 0, transport: 'auto' }));
    let caught: unknown;
    try {
      parseJsonExport({ ...good, version: 2 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TraceExportError);
    expect((caught as TraceExportError).code).toBe('unsupported_export_version');
    expect((caught as Error).message).toMatch(/newer mcpscope/);
  });
});

describe('derived views', () => {
  it('groups each exchange with its response, end, frames, messages and findings', () => {
    const { log, initId } = sampleLog();
    const x = groupExchanges(log.events());
    expect([...x.keys()]).toEqual(['ex1', 'ex2']);
    const ex1 = x.get('ex1')!;
    expect(ex1).toMatchObject({ phaseId: initId, state: 'done' });
    expect(ex1.request?.method).toBe('POST');
    expect(ex1.response?.status).toBe(200);
    expect(ex1.end?.bytes).toBe(20);
    expect(ex1.frames).toHaveLength(1);
    expect(ex1.rpc.map((r) => r.type)).toEqual(['request', 'result']);
    const ex2 = x.get('ex2')!;
    expect(ex2.state).toBe('failed');
    expect(ex2.findings.map((f) => f.code)).toEqual(['note']);
  });

  it('shows an exchange without an end as pending or streaming', () => {
    const log = new TraceLog(META);
    log.append({ kind: 'http.request', exchangeId: 'a', purpose: 'mcp', method: 'GET', url: 'u', headers: [] });
    log.append({ kind: 'http.request', exchangeId: 'b', purpose: 'mcp', method: 'GET', url: 'u', headers: [] });
    log.append({ kind: 'http.response', exchangeId: 'b', status: 200, statusText: 'OK', headers: [], ttfbMs: 1 });
    const x = groupExchanges(log.events());
    expect(x.get('a')?.state).toBe('pending');
    expect(x.get('b')?.state).toBe('streaming');
  });

  it('builds the phase tree with durations, statuses, children and exchanges', () => {
    const { log, connectId, initId } = sampleLog();
    const tree = phaseTree(log.events());
    expect(tree).toHaveLength(1);
    const [connect] = tree;
    expect(connect).toMatchObject({ phaseId: connectId, name: 'connect', status: 'started', startT: 0 });
    expect(connect.endT).toBeUndefined();
    expect(connect.children).toHaveLength(1);
    const [init] = connect.children;
    expect(init).toMatchObject({
      phaseId: initId,
      name: 'initialize',
      status: 'ok',
      detail: '2025-06-18',
      durationMs: 7,
      startT: 0,
      endT: 7,
      exchangeIds: ['ex1'],
    });
  });
});
