// The small parts a link is made of: the phase book (which phase each message belongs to, how each handshake
// step's phase closes), caller progress tokens on the wire, and the transport wrapper the SDK client is given.
import type { JSONRPCMessage, Transport, TransportSendOptions } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { messageHead, PhaseBook } from '@/lib/mcp/phases';
import { ProgressAliases } from '@/lib/mcp/progress-aliases';
import { RecordingTransport, type MessageTap } from '@/lib/mcp/recording-transport';
import { TraceLog } from '@/lib/trace';
import type { PhaseEvent, TraceEvent } from '@/lib/trace/types';

function newLog(): TraceLog {
  return new TraceLog({ sessionId: 't', serverUrl: 'http://127.0.0.1/mcp', startedAt: Date.now(), transport: 'auto' });
}

function phaseEvents(log: TraceLog): PhaseEvent[] {
  return log.events().filter((event: TraceEvent): event is PhaseEvent => event.kind === 'phase');
}

/** name → how each phase of the log ended (or `started` while open). */
function phaseOutcomes(log: TraceLog): Record<string, { status: string; detail?: string; error?: string }> {
  const names = new Map<string, string>();
  const outcomes: Record<string, { status: string; detail?: string; error?: string }> = {};
  for (const event of phaseEvents(log)) {
    if (event.status === 'started') {
      names.set(event.phaseId, event.name);
      outcomes[event.name] = { status: 'started' };
      continue;
    }
    const name = names.get(event.phaseId) ?? event.name;
    outcomes[name] = {
      status: event.status,
      ...(event.detail !== undefined ? { detail: event.detail } : {}),
      ...(event.error ? { error: event.error.message } : {}),
    };
  }
  return outcomes;
}

function newBook(log = newLog()): { log: TraceLog; book: PhaseBook } {
  const connect = log.beginPhase('connect');
  return { log, book: new PhaseBook(log, { name: 'probe:streamable-http', parentId: connect.id, detail: 'POST /mcp' }) };
}

describe('messageHead', () => {
  it.each([
    [
      { jsonrpc: '2.0', id: 3, method: 'tools/list' },
      { id: 3, method: 'tools/list' },
    ],
    [
      { jsonrpc: '2.0', id: 'a', method: 'ping' },
      { id: 'a', method: 'ping' },
    ],
    [{ jsonrpc: '2.0', method: 'notifications/initialized' }, { method: 'notifications/initialized' }],
    [{ jsonrpc: '2.0', id: 3, result: {} }, { id: 3 }],
    [{ jsonrpc: '2.0', id: null, method: 7 }, {}],
    [[{ jsonrpc: '2.0', id: 1, method: 'ping' }], {}],
    ['text', {}],
    [undefined, {}],
  ])('reads %j as %j', (message, head) => {
    expect(messageHead(message)).toEqual(head);
  });
});

describe('PhaseBook', () => {
  it('opens a phase per handshake step under the probe and closes each with what its answer says', () => {
    const { log, book } = newBook();
    book.request(0, 'server/discover');
    book.handshakeRequest(0, 'server/discover');
    expect(book.awaits(0)).toBe(true);
    book.answered(0, 'result', { jsonrpc: '2.0', id: 0, result: { supportedVersions: ['2026-07-28', '2025-11-25'] } });
    expect(book.awaits(0)).toBe(false);
    book.handshakeNotification('notifications/initialized', 'initialized');
    book.sent({ method: 'notifications/initialized' });
    book.handshakeDone();

    const phases = phaseEvents(log);
    const probe = phases.find((event) => event.name === 'probe:streamable-http')!;
    for (const name of ['server/discover', 'initialized']) {
      expect(phases.find((event) => event.name === name && event.status === 'started')?.parentId).toBe(probe.phaseId);
    }
    expect(phaseOutcomes(log)).toMatchObject({
      'server/discover': { status: 'ok', detail: 'supported versions: 2026-07-28, 2025-11-25' },
      initialized: { status: 'ok', detail: 'accepted by the server' },
      'probe:streamable-http': { status: 'started' },
    });
  });

  it('treats a refused server/discover as a 2025 server: the probe step is skipped with the answer, initialize goes on', () => {
    const { log, book } = newBook();
    book.request(0, 'server/discover');
    book.handshakeRequest(0, 'server/discover');
    let explained = false;
    book.sendFailed(
      { id: 0, method: 'server/discover' },
      () => {
        explained = true;
        return { code: 'http_error', message: 'HTTP 400' };
      },
      () => 'with HTTP 400 Bad Request',
    );
    expect(explained).toBe(false);
    book.request(1, 'initialize');
    book.handshakeRequest(1, 'initialize');
    book.answered(1, 'result', { result: { protocolVersion: '2025-11-25', serverInfo: { name: 'demo', version: '1.2' } } });
    expect(phaseOutcomes(log)).toMatchObject({
      'server/discover': {
        status: 'skipped',
        detail:
          'server/discover was answered with HTTP 400 Bad Request: not a 2026-07-28 server, continuing with the 2025 initialize handshake',
      },
      initialize: { status: 'ok', detail: 'protocol 2025-11-25; server demo 1.2' },
    });
  });

  it('fails a handshake step answered with a JSON-RPC error, and names the error', () => {
    const { log, book } = newBook();
    book.request(4, 'initialize');
    book.handshakeRequest(4, 'initialize');
    book.answered(4, 'error', { error: { code: -32602, message: 'unsupported version' } });
    expect(phaseOutcomes(log).initialize).toMatchObject({
      status: 'failed',
      error: 'The server answered initialize with JSON-RPC error -32602: unsupported version',
    });
  });

  it('skips a server/discover still open when the handshake ends, with the outcome it had', () => {
    const { log, book } = newBook();
    book.request(0, 'server/discover');
    book.handshakeRequest(0, 'server/discover');
    book.answered(0, 'error', { error: { code: -32601, message: 'Method not found' } });
    book.handshakeDone();
    expect(phaseOutcomes(log)['server/discover']).toEqual({
      status: 'skipped',
      detail: 'server/discover was answered with JSON-RPC error -32601: Method not found',
    });
  });

  it('files a request under the phase it was sent for, once, and a handshake notification under its own phase', () => {
    const { book } = newBook();
    const tools = book.open('tools/list', undefined);
    book.request(7, 'tools/list', tools.id);
    expect(book.methodOf(7)).toBe('tools/list');
    // A response mcpscope sends to a server request with the same id does not take the request's filing.
    expect(book.phaseIdFor({ id: 7 })).toBeUndefined();
    expect(book.phaseIdFor({ id: 7, method: 'tools/list' })).toBe(tools.id);
    expect(book.phaseIdFor({ id: 7, method: 'tools/list' })).toBeUndefined();
    book.request(8, 'tools/call');
    expect(book.phaseIdFor({ id: 8, method: 'tools/call' })).toBeUndefined();

    book.handshakeNotification('notifications/initialized', 'initialized');
    const id = book.phaseIdFor({ method: 'notifications/initialized' });
    expect(id).toBeDefined();
    expect(book.phaseIdFor({ method: 'notifications/initialized' })).toBe(id);
    book.sent({ method: 'notifications/initialized' });
    expect(book.phaseIdFor({ method: 'notifications/initialized' })).toBeUndefined();
  });

  it('fails a handshake notification the server refused, asking for the reason', () => {
    const { log, book } = newBook();
    book.handshakeNotification('notifications/initialized', 'initialized');
    book.sendFailed(
      { method: 'notifications/initialized' },
      () => ({ code: 'http_error', message: 'HTTP 500' }),
      () => 'unused',
    );
    expect(phaseOutcomes(log).initialized).toMatchObject({ status: 'failed', error: 'HTTP 500' });
  });

  it('abandons: every open phase fails with the error, the probe with its own detail, closed ones stay closed', () => {
    const { log, book } = newBook();
    book.request(0, 'server/discover');
    book.handshakeRequest(0, 'server/discover');
    book.answered(0, 'result', { result: { supportedVersions: [] } });
    const stream = book.open('get-stream', book.probe.id);
    book.abandon({ code: 'timeout', message: 'too slow' }, 'Not Streamable HTTP');
    expect(stream.open).toBe(false);
    expect(phaseOutcomes(log)).toEqual({
      connect: { status: 'started' },
      'probe:streamable-http': { status: 'failed', detail: 'Not Streamable HTTP', error: 'too slow' },
      'server/discover': { status: 'ok', detail: 'supported versions: ' },
      'get-stream': { status: 'failed', detail: 'too slow', error: 'too slow' },
    });
  });
});

describe('ProgressAliases', () => {
  const request = (id: number, meta?: Record<string, unknown>): JSONRPCMessage => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'slow', ...(meta ? { _meta: meta } : {}) },
  });

  it("puts the caller's token on the wire in place of the SDK's, and translates progress for it back", () => {
    const aliases = new ProgressAliases();
    const sdkRequest = request(5, { progressToken: 5, other: 'kept' });
    const sent = aliases.outgoing(sdkRequest, 'mine');
    expect(sent).toEqual(request(5, { progressToken: 'mine', other: 'kept' }));
    // The SDK's own message is left as it made it.
    expect(sdkRequest).toEqual(request(5, { progressToken: 5, other: 'kept' }));

    const progress: JSONRPCMessage = {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 'mine', progress: 1, total: 2 },
    };
    expect(aliases.incoming(progress)).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 5, progress: 1, total: 2 },
    });
    aliases.release('mine');
    expect(aliases.size).toBe(0);
    expect(aliases.incoming(progress)).toBe(progress);
  });

  it('leaves alone a request the SDK asked no progress for, or whose token is not its id', () => {
    const aliases = new ProgressAliases();
    const plain = request(1);
    expect(aliases.outgoing(plain, 'mine')).toBe(plain);
    const other = request(2, { progressToken: 'already-theirs' });
    expect(aliases.outgoing(other, 'mine')).toBe(other);
    const notification: JSONRPCMessage = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 1 } };
    expect(aliases.outgoing(notification, 'mine')).toBe(notification);
    expect(aliases.size).toBe(0);
  });

  it('matches a numeric caller token whichever way the server writes it back, and nothing else', () => {
    const aliases = new ProgressAliases();
    aliases.outgoing(request(9, { progressToken: 9 }), 42);
    const progressFor = (token: unknown): JSONRPCMessage => ({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: token, progress: 1 },
    });
    expect(aliases.incoming(progressFor(42))).toEqual(progressFor(9));
    expect(aliases.incoming(progressFor('42'))).toEqual(progressFor(9));
    for (const token of [43, { id: 42 }, null]) expect(aliases.incoming(progressFor(token))).toEqual(progressFor(token));
    const result: JSONRPCMessage = { jsonrpc: '2.0', id: 42, result: {} };
    expect(aliases.incoming(result)).toBe(result);
  });
});

/** A transport that keeps what it was sent and lets the test play the server. */
class PlayTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  sessionId = 'session-1';
  readonly hasPerRequestStream = true;
  readonly sent: JSONRPCMessage[] = [];
  failNext: Error | undefined;
  started = 0;
  version: string | undefined;
  async start(): Promise<void> {
    this.started += 1;
  }
  async send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    await Promise.resolve();
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
    this.sent.push(message);
  }
  async close(): Promise<void> {
    this.onclose?.();
  }
  setProtocolVersion(version: string): void {
    this.version = version;
  }
}

describe('RecordingTransport', () => {
  function tapped(): { inner: PlayTransport; transport: RecordingTransport<PlayTransport>; calls: string[] } {
    const calls: string[] = [];
    const inner = new PlayTransport();
    const tap: MessageTap = {
      sending: (message) => {
        calls.push(`sending ${messageHead(message).method}`);
        return 'method' in message && message.method === 'ping' ? { ...message, params: { marked: true } } : message;
      },
      sent: (message) => calls.push(`sent ${messageHead(message).method} ${JSON.stringify('params' in message ? message.params : null)}`),
      sendFailed: (message, error) => calls.push(`failed ${messageHead(message).method}: ${(error as Error).message}`),
      received: (message) => {
        calls.push(`received ${JSON.stringify(message)}`);
        return 'result' in message ? { ...message, result: { ...message.result, seen: true } } : message;
      },
    };
    return { inner, transport: new RecordingTransport(inner, tap), calls };
  }

  it('sends what the tap returns, and tells the tap how it went before the caller hears', async () => {
    const { inner, transport, calls } = tapped();
    await transport.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    calls.push('caller resumed');
    expect(inner.sent).toEqual([{ jsonrpc: '2.0', id: 1, method: 'ping', params: { marked: true } }]);
    inner.failNext = new Error('HTTP 500');
    await expect(transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' })).rejects.toThrow('HTTP 500');
    expect(calls).toEqual([
      'sending ping',
      'sent ping {"marked":true}',
      'caller resumed',
      'sending notifications/initialized',
      'failed notifications/initialized: HTTP 500',
    ]);
  });

  it('gives the client what the tap returns of each message, and passes close and errors through', async () => {
    const { inner, transport, calls } = tapped();
    const seen: unknown[] = [];
    const events: string[] = [];
    transport.onmessage = (message) => seen.push(message);
    transport.onerror = (error) => events.push(`error ${error.message}`);
    transport.onclose = () => events.push('closed');
    inner.onmessage?.({ jsonrpc: '2.0', id: 1, result: { value: 2 } });
    // The SDK swaps the handlers while it probes the protocol era: the newest one is called.
    transport.onmessage = (message) => seen.push({ second: message });
    inner.onmessage?.({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } });
    inner.onerror?.(new Error('bad frame'));
    await transport.close();
    expect(seen).toEqual([
      { jsonrpc: '2.0', id: 1, result: { value: 2, seen: true } },
      { second: { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } } },
    ]);
    expect(events).toEqual(['error bad frame', 'closed']);
    expect(calls.filter((call) => call.startsWith('received'))).toHaveLength(2);
  });

  it('answers for the transport underneath: start, session id, per-request streams, protocol version', async () => {
    const { inner, transport } = tapped();
    await transport.start();
    transport.setProtocolVersion('2025-11-25');
    transport.setSupportedProtocolVersions(['2025-11-25']);
    expect(inner.started).toBe(1);
    expect(inner.version).toBe('2025-11-25');
    expect(transport.sessionId).toBe('session-1');
    inner.sessionId = 'session-2';
    expect(transport.sessionId).toBe('session-2');
    expect(transport.hasPerRequestStream).toBe(true);
    expect(transport.inner).toBe(inner);
  });
});
