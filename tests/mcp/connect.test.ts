// connect() against real servers on 127.0.0.1: every era, and the ways a connection fails.
import { describe, expect, it } from 'vitest';
import { connect, EngineError, type McpConnection, type TransportMode } from '@/lib/mcp';
import { SecretSet, TraceLog } from '@/lib/trace';
import type { PhaseEvent, TraceEvent } from '@/lib/trace/types';
import {
  refusedUrl,
  startBrokenStreamableServer,
  startHtmlServer,
  startLegacySseServer,
  startModernServer,
  startResumableLegacyServer,
  startSilentServer,
  startStatefulServer,
  startUnauthorizedServer,
  type TestServer,
} from './servers';
import { cleanupsAfterEach } from '../fixtures/suite';

const cleanups = cleanupsAfterEach({ tolerant: true });

async function use<T extends TestServer>(server: Promise<T>): Promise<T> {
  const started = await server;
  cleanups.push(() => started.close());
  return started;
}

function session(
  url: string,
  transport: TransportMode = 'auto',
  extra: { headers?: Record<string, string>; connectTimeoutMs?: number } = {},
) {
  const log = new TraceLog({ sessionId: 'test', serverUrl: url, startedAt: Date.now(), transport });
  const secrets = new SecretSet();
  for (const value of Object.values(extra.headers ?? {})) secrets.add(value);
  const open = async (): Promise<McpConnection> => {
    const connection = await connect({
      url,
      transport,
      headers: extra.headers ?? {},
      log,
      secrets,
      connectTimeoutMs: extra.connectTimeoutMs ?? 10_000,
      requestTimeoutMs: 10_000,
    });
    cleanups.push(() => connection.close());
    return connection;
  };
  return { log, secrets, open };
}

/** The closing event of each phase, by name (the last one when a name repeats). */
function phases(log: TraceLog): Map<string, PhaseEvent> {
  const closed = new Map<string, PhaseEvent>();
  for (const event of log.events()) if (event.kind === 'phase' && event.status !== 'started') closed.set(event.name, event);
  return closed;
}

async function failure(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('expected the promise to fail');
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function textOf(result: unknown): string | undefined {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content;
  return content?.find((block) => block.type === 'text')?.text;
}

describe('connect: eras', () => {
  it('falls back to legacy SSE in auto mode and says why', async () => {
    const server = await use(startLegacySseServer());
    const { log, open } = session(server.url);
    const connection = await open();

    expect(connection.era).toBe('legacy-sse');
    expect(connection.transport).toBe('sse');
    expect(connection.protocolVersion).not.toBe('');
    expect(connection.serverInfo.name).toBe('legacy-fixture');
    expect(connection.instructions).toBe('legacy-fixture instructions');
    expect(connection.tools.map((tool) => tool.name)).toEqual(['echo', 'slow']);

    const closed = phases(log);
    expect(closed.get('probe:streamable-http')?.status).toBe('failed');
    expect(closed.get('probe:streamable-http')?.detail).toMatch(/HTTP 404.*legacy HTTP\+SSE/);
    expect(closed.get('probe:sse')?.status).toBe('ok');
    expect(closed.get('get-stream')?.detail).toMatch(/endpoint event/);
    expect(closed.get('initialize')?.status).toBe('ok');
    expect(closed.get('initialized')?.status).toBe('ok');
    expect(closed.get('connect')?.status).toBe('ok');
    expect(closed.get('tools/list')?.detail).toBe('2 tools');
    expect(log.events().some((event) => event.kind === 'finding' && event.code === 'legacy_fallback')).toBe(true);
    expect(log.meta.era).toBe('legacy-sse');

    // The standing GET is filed under its phase as a stream.
    const getStream = closed.get('get-stream')!;
    const streamRequest = log.events().find((event) => event.kind === 'http.request' && event.method === 'GET');
    expect(streamRequest).toMatchObject({ purpose: 'mcp-stream', phaseId: getStream.phaseId });

    const outcome = await connection.request('tools/call', { name: 'echo', arguments: { text: 'over sse' } });
    expect('result' in outcome && textOf(outcome.result)).toBe('over sse');
  });

  it('speaks 2025 stateful Streamable HTTP and ends the session with DELETE', async () => {
    const server = await use(startStatefulServer());
    const { log, open } = session(server.url);
    const connection = await open();

    expect(connection.era).toBe('stateful-2025');
    expect(connection.transport).toBe('streamable-http');
    expect(connection.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const closed = phases(log);
    expect(closed.get('server/discover')?.status).toBe('skipped');
    expect(closed.get('server/discover')?.detail).toMatch(/HTTP 400.*initialize/);
    expect(closed.get('initialize')?.status).toBe('ok');
    expect(closed.get('probe:streamable-http')?.detail).toMatch(/Mcp-Session-Id/);
    expect(closed.has('probe:sse')).toBe(false);
    await until(() => phases(log).get('get-stream')?.status === 'ok');

    const discoverRequest = log.events().find((event) => event.kind === 'http.request' && event.purpose === 'probe');
    expect(discoverRequest).toMatchObject({ method: 'POST', phaseId: closed.get('server/discover')?.phaseId });

    const outcome = await connection.request('tools/call', { name: 'echo', arguments: { text: 'stateful' } });
    expect('result' in outcome && textOf(outcome.result)).toBe('stateful');

    await connection.close();
    expect(server.deleted).toEqual([connection.sessionId]);
    const disconnect = phases(log).get('disconnect');
    expect(disconnect).toMatchObject({ status: 'ok', detail: 'DELETE ended the server session' });
    const deleteRequest = log.events().find((event) => event.kind === 'http.request' && event.method === 'DELETE');
    expect(deleteRequest && 'phaseId' in deleteRequest ? deleteRequest.phaseId : undefined).toBe(disconnect?.phaseId);
    expect(connection.closed).toBe(true);
    await expect(connection.request('ping', undefined)).rejects.toMatchObject({ code: 'not_connected' });
  });

  it('negotiates 2026-07-28 with a stateless v2 server', async () => {
    const server = await use(startModernServer());
    const { log, open } = session(server.url);
    const connection = await open();

    expect(connection.era).toBe('stateless-2026');
    expect(connection.protocolVersion).toBe('2026-07-28');
    expect(connection.serverInfo.name).toBe('modern-fixture');
    expect(connection.sessionId).toBeUndefined();
    const closed = phases(log);
    expect(closed.get('server/discover')).toMatchObject({ status: 'ok' });
    expect(closed.get('server/discover')?.detail).toMatch(/2026-07-28/);
    expect(closed.has('initialize')).toBe(false);
    expect(connection.tools.map((tool) => tool.name).sort()).toEqual(['echo', 'typed']);

    const outcome = await connection.request('tools/call', { name: 'typed', arguments: { n: 21 } });
    expect('result' in outcome && (outcome.result as { structuredContent?: unknown }).structuredContent).toEqual({ doubled: 42 });

    await connection.close();
    expect(phases(log).get('disconnect')?.detail).toMatch(/stateless/);
  });

  it('force modes skip the other transport', async () => {
    const server = await use(startLegacySseServer());
    const { log, open } = session(server.url, 'streamable-http');
    const error = await failure(open());
    expect(error.code).toBe('http_error');
    expect(error.message).toMatch(/HTTP 404/);
    expect(phases(log).has('probe:sse')).toBe(false);
  });
});

describe('connect: failures', () => {
  it('rejects a malformed URL before any traffic', async () => {
    const { log, open } = session('localhost:3000/mcp');
    const error = await failure(open());
    expect(error.code).toBe('invalid_url');
    expect(error.message).toMatch(/http:\/\/localhost:3000\/mcp/);
    expect(log.events().some((event) => event.kind === 'http.request')).toBe(false);
    expect(phases(log).get('connect')?.status).toBe('failed');
  });

  it('names a refused connection', async () => {
    const { log, open } = session(await refusedUrl());
    const error = await failure(open());
    expect(error.code).toBe('connection_refused');
    expect(error.message).toMatch(/nothing is listening/);
    expect(phases(log).has('probe:sse')).toBe(false);
    const end = log.events().find((event): event is Extract<TraceEvent, { kind: 'http.end' }> => event.kind === 'http.end');
    expect(end?.error?.code).toBe('connection_refused');
  });

  it('tries both transports on an HTML page, then says it is not MCP', async () => {
    const server = await use(startHtmlServer());
    const { log, open } = session(server.url);
    const error = await failure(open());
    expect(error.code).toBe('not_mcp');
    expect(error.message).toMatch(/Welcome to Example/);
    const closed = phases(log);
    expect(closed.get('probe:streamable-http')?.status).toBe('failed');
    expect(closed.get('probe:sse')?.status).toBe('failed');
    expect(closed.get('connect')?.error?.code).toBe('not_mcp');
    expect(server.seen.map((request) => request.method)).toEqual(['POST', 'GET']);
  });

  it('explains a 401 without falling back, masking the challenge', async () => {
    const server = await use(startUnauthorizedServer());
    const { log, open } = session(server.url, 'auto', { headers: { 'X-Api-Key': 'key-1234567890' } });
    const error = await failure(open());
    expect(error.code).toBe('auth_required');
    expect(error.message).toMatch(/wants authorization/);
    expect(error.message).toMatch(/resource_metadata=/);
    expect(phases(log).has('probe:sse')).toBe(false);
    expect(phases(log).get('server/discover')?.status).toBe('failed');
    // The user's header value never reaches the log.
    expect(JSON.stringify(log.events())).not.toContain('key-1234567890');
    expect(server.seen[0]?.headers['x-api-key']).toBe('key-1234567890');
  });

  it('notices a response stream that ends without the answer', async () => {
    const server = await use(startBrokenStreamableServer('stream-closes'));
    const { log, open } = session(server.url, 'streamable-http', { connectTimeoutMs: 8_000 });
    const started = Date.now();
    const error = await failure(open());
    expect(error.code).toBe('stream_closed');
    expect(error.message).toMatch(/initialize/);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(phases(log).get('initialize')?.error?.code).toBe('stream_closed');
  });

  it('says when the answer is not JSON', async () => {
    const server = await use(startBrokenStreamableServer('not-json'));
    const { open } = session(server.url, 'streamable-http');
    const error = await failure(open());
    expect(error.code).toBe('invalid_response');
  });

  it('says when an event on the stream is not JSON-RPC', async () => {
    const server = await use(startBrokenStreamableServer('bad-frame'));
    const { log, open } = session(server.url, 'streamable-http');
    const started = Date.now();
    const error = await failure(open());
    expect(error.code).toBe('invalid_response');
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(phases(log).get('initialize')?.error?.code).toBe('invalid_response');
  });

  it('times out a silent server', async () => {
    const server = await use(startSilentServer());
    const { log, open } = session(server.url, 'auto', { connectTimeoutMs: 300 });
    const started = Date.now();
    const error = await failure(open());
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(phases(log).get('server/discover')?.error?.code).toBe('timeout');
    // A timeout is an outage, not a sign of an older server: no fallback.
    expect(phases(log).has('probe:sse')).toBe(false);
    // The request it waited on is stopped, not left holding a socket at a server that may never answer.
    await until(() => server.waiting() === 0);
  });

  it('stops the handshake request at the server when the connect is cancelled', async () => {
    const server = await use(startSilentServer());
    const log = new TraceLog({ sessionId: 'test', serverUrl: server.url, startedAt: Date.now(), transport: 'auto' });
    const controller = new AbortController();
    const opening = connect({
      url: server.url,
      transport: 'auto',
      headers: {},
      log,
      secrets: new SecretSet(),
      connectTimeoutMs: 60_000,
      requestTimeoutMs: 10_000,
      signal: controller.signal,
    });
    await until(() => server.waiting() === 1);
    controller.abort('the session was closed');
    expect((await failure(opening)).code).toBe('aborted');
    await until(() => server.waiting() === 0);
    expect(server.seen).toHaveLength(1);
  });
});

describe('connection: requests', () => {
  it('returns JSON-RPC errors as values', async () => {
    const server = await use(startStatefulServer());
    const connection = await session(server.url).open();
    const outcome = await connection.request('no/such-method', {});
    expect(outcome).toMatchObject({ error: { code: -32601 } });
  });

  it('shows the JSON-RPC error a 4xx answer carries for the request, as the server said it (2026: -32601 with 404)', async () => {
    const modern = await use(
      startModernServer({
        intercept: (m) =>
          m.method === 'tools/call' && m.id !== undefined
            ? {
                status: 422,
                contentType: 'application/json',
                body: JSON.stringify({
                  jsonrpc: '2.0',
                  id: m.id,
                  error: { code: -32602, message: 'Bad arguments', data: { field: 'text' } },
                }),
              }
            : undefined,
      }),
    );
    const { log, open } = session(modern.url);
    const connection = await open();
    // A real v2 server answers an unknown method with HTTP 404 and -32601 in the body.
    expect(await connection.request('no/such/method', {})).toEqual({ error: { code: -32601, message: 'Method not found' } });
    expect(await connection.request('tools/call', { name: 'echo', arguments: {} })).toEqual({
      error: { code: -32602, message: 'Bad arguments', data: { field: 'text' } },
    });
    const notes = log.events().filter((e) => e.kind === 'finding' && e.code === 'jsonrpc_error_http_status');
    expect(notes.map((e) => (e as { message: string }).message)).toEqual([
      expect.stringContaining('HTTP 404 carrying JSON-RPC error -32601'),
      expect.stringContaining('HTTP 422'),
    ]);
  });

  it('takes a 2026 result without resultType as complete (SEP-2322): no retry, a finding', async () => {
    const modern = await use(
      startModernServer({
        intercept: (m) =>
          m.method === 'tools/call'
            ? {
                status: 200,
                contentType: 'application/json',
                body: JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { content: [{ type: 'text', text: 'done' }] } }),
              }
            : undefined,
      }),
    );
    const { log, open } = session(modern.url);
    const connection = await open();
    expect(connection.era).toBe('stateless-2026');
    const outcome = await connection.request('tools/call', { name: 'echo', arguments: { text: 'x' } });
    expect(outcome).toMatchObject({ result: { content: [{ type: 'text', text: 'done' }] } });
    expect(modern.seen.filter((r) => r.headers['mcp-method'] === 'tools/call')).toHaveLength(1);
    const found = log.events().filter((e) => e.kind === 'finding' && e.code === 'result_type_missing');
    expect(found).toHaveLength(1);
    expect((found[0] as { message: string }).message).toContain('tools/call');
    // The log keeps what the server sent.
    const answer = log.events().find((e) => e.kind === 'rpc' && e.direction === 'in' && JSON.stringify(e.message).includes('done'));
    expect(JSON.stringify(answer)).not.toContain('resultType');
  });

  it('excludes a 2026 tool with invalid x-mcp-header declarations from calls (SEP-2243), keeps the others', async () => {
    const invalid = {
      name: 'bad_header',
      description: 'x-mcp-header on an object',
      inputSchema: { type: 'object', properties: { v: { type: 'object', 'x-mcp-header': 'V' } } },
    };
    const modern = await use(
      startModernServer({
        intercept: (m) => {
          if (m.method !== 'tools/list') return undefined;
          const echo = {
            name: 'echo',
            description: 'Echoes text',
            inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
          };
          return {
            status: 200,
            contentType: 'application/json',
            body: JSON.stringify({
              jsonrpc: '2.0',
              id: m.id,
              result: { resultType: 'complete', ttlMs: 0, cacheScope: 'private', tools: [echo, invalid] },
            }),
          };
        },
      }),
    );
    const { log, open } = session(modern.url);
    const connection = await open();
    // Shown as the server sent it, and marked.
    expect(connection.tools.map((t) => t.name)).toEqual(['echo', 'bad_header']);
    expect([...connection.excludedTools.keys()]).toEqual(['bad_header']);
    await expect(connection.request('tools/call', { name: 'bad_header', arguments: {} })).rejects.toMatchObject({
      code: 'tool_excluded',
      message: expect.stringContaining('string, integer or boolean'),
    });
    expect(modern.seen.filter((r) => r.headers['mcp-name'] === 'bad_header')).toEqual([]);
    expect(await connection.request('tools/call', { name: 'echo', arguments: { text: 'still works' } })).toMatchObject({
      result: { content: [{ text: 'still works' }] },
    });
    const found = log.events().filter((e) => e.kind === 'finding' && e.code === 'tool_excluded');
    expect(found).toHaveLength(1);
    // Listing again does not repeat the finding for the same tool and reason.
    await connection.refreshTools();
    expect(log.events().filter((e) => e.kind === 'finding' && e.code === 'tool_excluded')).toHaveLength(1);
  });

  it('keeps a 4xx that carries no JSON-RPC error for this request an HTTP failure', async () => {
    const modern = await use(
      startModernServer({
        intercept: (m) =>
          m.method === 'tools/call'
            ? {
                status: 404,
                contentType: 'application/json',
                body: JSON.stringify({ jsonrpc: '2.0', id: 'another-request', error: { code: -32601, message: 'not yours' } }),
              }
            : m.method === 'prompts/list'
              ? { status: 409, contentType: 'text/plain', body: 'conflict' }
              : undefined,
      }),
    );
    const { open } = session(modern.url);
    const connection = await open();
    await expect(connection.request('tools/call', { name: 'echo', arguments: { text: 'x' } })).rejects.toMatchObject({
      code: 'http_error',
      status: 404,
    });
    await expect(connection.request('prompts/list', {})).rejects.toMatchObject({ code: 'http_error', status: 409 });
  });

  it('reports progress and restarts the timer on it', async () => {
    const server = await use(startStatefulServer());
    const connection = await session(server.url).open();
    const seen: number[] = [];
    // 4 steps of 150 ms each take 600 ms, longer than the 400 ms timeout without the progress resets.
    const outcome = await connection.request(
      'tools/call',
      { name: 'slow', arguments: { ms: 600 } },
      { timeoutMs: 400, onProgress: (p) => seen.push(p.progress) },
    );
    expect('result' in outcome && textOf(outcome.result)).toBe('waited 600 ms');
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it("keeps the caller's progress token on the wire and still restarts the timer on it", async () => {
    const server = await use(startStatefulServer());
    const opened = session(server.url);
    const connection = await opened.open();
    const seen: number[] = [];
    const params = { name: 'slow', arguments: { ms: 600 }, _meta: { progressToken: 'call-7' } };
    const outcome = await connection.request('tools/call', params, { timeoutMs: 400, onProgress: (p) => seen.push(p.progress) });
    expect('result' in outcome && textOf(outcome.result)).toBe('waited 600 ms');
    expect(seen).toEqual([1, 2, 3, 4]);
    const rpc = opened.log.events().filter((e) => e.kind === 'rpc');
    const sent = rpc.find((e) => e.direction === 'out' && e.method === 'tools/call');
    expect(sent?.message).toMatchObject({ params: { _meta: { progressToken: 'call-7' } } });
    const progress = rpc.filter((e) => e.direction === 'in' && e.method === 'notifications/progress');
    expect(progress).toHaveLength(4);
    for (const note of progress) expect(note.message).toMatchObject({ params: { progressToken: 'call-7' } });
  });

  it('times out a request without progress', async () => {
    const server = await use(startLegacySseServer());
    const connection = await session(server.url).open();
    const error = await failure(connection.request('tools/call', { name: 'slow', arguments: { ms: 1_000 } }, { timeoutMs: 100 }));
    expect(error.code).toBe('timeout');
    expect(error.message).toMatch(/tools\/call within 0.1 s/);
  });

  it('refuses methods the negotiated era does not have', async () => {
    const server = await use(startModernServer());
    const connection = await session(server.url).open();
    const error = await failure(connection.request('ping', undefined));
    expect(error.code).toBe('unsupported_method');
    expect(error.message).toMatch(/2026-07-28/);
  });

  it('cancels a call and tells the server', async () => {
    let cancelled = false;
    const server = await use(startStatefulServer({ onCancelled: () => (cancelled = true) }));
    const { log, open } = session(server.url);
    const connection = await open();
    const controller = new AbortController();
    const call = connection.request('tools/call', { name: 'slow', arguments: { ms: 4_000 } }, { signal: controller.signal });
    setTimeout(() => controller.abort('user pressed Cancel'), 150);
    const error = await failure(call);
    expect(error.code).toBe('cancelled');
    await until(() => cancelled);
    const sent = log
      .events()
      .find((event) => event.kind === 'rpc' && event.direction === 'out' && event.method === 'notifications/cancelled');
    expect(sent).toBeDefined();
  });

  it('resumes the legacy SSE stream with Last-Event-ID', async () => {
    const server = await use(startResumableLegacyServer());
    const { log, open } = session(server.url, 'sse');
    const connection = await open();
    await until(() => server.lastEventIds.length >= 2);
    expect(server.lastEventIds[0]).toBeUndefined();
    expect(server.lastEventIds[1]).toBe('e1');
    // Requests keep working over the re-opened stream.
    await until(() => phases(log).get('reconnect')?.status === 'ok');
    expect(phases(log).get('reconnect')?.detail).toMatch(/resuming after event e1/);
    const outcome = await connection.request('ping', undefined);
    expect(outcome).toEqual({ result: {} });
  });

  it('ends the connection when the legacy server goes away for good', async () => {
    const server = await startResumableLegacyServer();
    const { log, open } = session(server.url, 'sse');
    const connection = await open();
    const lost = new Promise<string>((resolve) => connection.onUnexpectedClose((error) => resolve(error.code)));
    await server.close();
    expect(await lost).toBe('stream_closed');
    expect(connection.closed).toBe(true);
    const findings = log
      .events()
      .filter((event) => event.kind === 'finding')
      .map((event) => (event.kind === 'finding' ? event.code : ''));
    expect(findings).toContain('connection_lost');
    await until(() => phases(log).get('disconnect')?.status === 'ok');
    await expect(connection.request('ping', undefined)).rejects.toMatchObject({ code: 'not_connected' });
  });
});
