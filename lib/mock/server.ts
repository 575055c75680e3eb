// A recording served as an MCP server on 127.0.0.1: the handshake and lists as recorded, each request answered with
// the recorded answer of the best matching request (method, then the tool/prompt/resource, then the most alike
// params), a miss a JSON-RPC error naming the nearest recorded request. Both Streamable HTTP eras at /mcp
// (2025-11-25 sessions with initialize, 2026-07-28 server/discover with per-request envelopes) and legacy HTTP+SSE
// at /sse. Hand-written over node:http rather than an SDK server: it must answer with the recorded bytes, not with
// what an SDK would build from registered tools.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isJsonObject } from '../json';
import { bestMatch, describeRequest, nearest, type RecordedOutcome, type Recording } from '../replay';

export interface MockOptions {
  /** Default: a free port. */
  port?: number;
  /** Called for each request answered, for a log line. */
  onRequest?: (line: string) => void;
}

export interface RunningMock {
  /** The Streamable HTTP endpoint, `http://127.0.0.1:P/mcp`. */
  url: string;
  /** The legacy HTTP+SSE endpoint, `http://127.0.0.1:P/sse`. */
  sseUrl: string;
  close(): Promise<void>;
}

/** JSON-RPC code for a request the recording has no answer for (the spec's "method not found" when the method is unknown). */
export const MOCK_MISS = -32601;
export const MOCK_NO_MATCH = -32602;
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const MODERN = '2026-07-28';
const ENVELOPE_VERSION = 'io.modelcontextprotocol/protocolVersion';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

type Message = Record<string, unknown>;

export async function startMock(recording: Recording, options: MockOptions = {}): Promise<RunningMock> {
  const sessions = new Set<string>();
  const legacyStreams = new Map<string, http.ServerResponse>();
  const standing = new Set<http.ServerResponse>();
  const sockets = new Set<Socket>();
  const answerable = recording.requests.filter((r) => r.outcome);
  const meta = recording.meta;
  const initialize =
    recording.handshake.initialize && 'result' in recording.handshake.initialize
      ? (recording.handshake.initialize.result as Message)
      : undefined;
  const discover =
    recording.handshake.discover && 'result' in recording.handshake.discover ? (recording.handshake.discover.result as Message) : undefined;
  const serverInfo = (initialize?.serverInfo as Message | undefined) ??
    (meta.serverInfo as Message | undefined) ?? { name: 'mcpscope-mock', version: '0' };
  const capabilities =
    (initialize?.capabilities as Message | undefined) ?? (discover?.capabilities as Message | undefined) ?? meta.capabilities ?? {};

  /** The answer to one JSON-RPC request, in the era the request speaks. */
  function answer(message: Message): Message | undefined {
    const id = message.id;
    const method = typeof message.method === 'string' ? message.method : undefined;
    if (id === undefined || !method) return undefined; // a notification or a response: nothing to say
    const params = isJsonObject(message.params) ? message.params : undefined;
    const modern = isJsonObject(params?._meta) && params._meta[ENVELOPE_VERSION] === MODERN;
    const reply = (outcome: RecordedOutcome): Message => {
      if ('error' in outcome) return { jsonrpc: '2.0', id, error: outcome.error };
      return { jsonrpc: '2.0', id, result: adaptResult(outcome.result, modern, method) };
    };
    if (method === 'initialize') {
      const requested = typeof params?.protocolVersion === 'string' ? params.protocolVersion : undefined;
      const result = initialize ?? {
        protocolVersion: requested && requested !== MODERN ? requested : '2025-11-25',
        capabilities,
        serverInfo,
        ...(meta.instructions ? { instructions: meta.instructions } : {}),
      };
      options.onRequest?.(`initialize → recorded handshake`);
      return { jsonrpc: '2.0', id, result };
    }
    if (method === 'server/discover') {
      const result = discover ?? {
        supportedVersions: [MODERN],
        capabilities,
        ...(meta.instructions ? { instructions: meta.instructions } : {}),
        resultType: 'complete',
        _meta: { 'io.modelcontextprotocol/serverInfo': serverInfo },
      };
      options.onRequest?.(`server/discover → recorded handshake`);
      return { jsonrpc: '2.0', id, result };
    }
    if (method === 'ping') return { jsonrpc: '2.0', id, result: modern ? { resultType: 'complete' } : {} };
    const match = bestMatch(method, params, answerable);
    // Another tool, prompt or resource than any recorded (score < 0.5) is a miss, not a near answer.
    if (match && match.score >= 0.5 && match.candidate.outcome) {
      options.onRequest?.(
        `${describeRequest({ method, ...(params ? { params } : {}) })} → recorded #${match.candidate.index + 1}${match.score < 1 ? ' (nearest)' : ''}`,
      );
      return reply(match.candidate.outcome);
    }
    const near = nearest(method, params, answerable);
    const asked = describeRequest({ method, ...(params ? { params } : {}) });
    const message_ = near
      ? `mcpscope mock: the recording has no answer for ${asked}; the nearest recorded request is ${describeRequest(near)}.`
      : `mcpscope mock: the recording has no answer for ${asked}, and no recorded requests at all.`;
    options.onRequest?.(`${asked} → miss`);
    return {
      jsonrpc: '2.0',
      id,
      error: {
        code: match ? MOCK_NO_MATCH : MOCK_MISS,
        message: message_,
        ...(near ? { data: { nearest: { method: near.method, ...(near.params ? { params: near.params } : {}) } } } : {}),
      },
    };
  }

  /** The server's notifications as recorded (progress belongs to requests that are not running here). */
  const replayedNotifications = recording.notifications.filter(
    (n) => n.method !== 'notifications/progress' && n.method !== 'notifications/cancelled',
  );

  function sseWrite(res: http.ServerResponse, message: unknown, event = 'message'): void {
    res.write(`event: ${event}\ndata: ${typeof message === 'string' ? message : JSON.stringify(message)}\n\n`);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // A page in a browser could reach a loopback port under another name (DNS rebinding): only loopback names.
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (!LOOPBACK_HOSTS.has(host)) return plain(res, 403, 'Forbidden: this mock answers only on loopback host names.');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/mcp') return streamable(req, res);
    if (url.pathname === '/sse' && req.method === 'GET') return legacyStream(res);
    if (url.pathname === '/messages' && req.method === 'POST') return legacyPost(req, res, url.searchParams.get('sessionId') ?? '');
    return plain(res, 404, 'Not found: the MCP endpoints are /mcp (Streamable HTTP) and /sse (legacy HTTP+SSE).');
  }

  async function streamable(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const sessionId = header(req, 'mcp-session-id');
    if (req.method === 'DELETE') {
      if (sessionId) sessions.delete(sessionId);
      return plain(res, 200, '');
    }
    if (req.method === 'GET') {
      if (!sessionId || !sessions.has(sessionId)) return plain(res, 405, 'No standing stream without a session.');
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      standing.add(res);
      res.on('close', () => standing.delete(res));
      for (const n of replayedNotifications) sseWrite(res, { jsonrpc: '2.0', method: n.method, ...(n.params ? { params: n.params } : {}) });
      return;
    }
    if (req.method !== 'POST') return plain(res, 405, 'Use POST, GET or DELETE.');
    const body = await readJson(req, res);
    if (body === undefined) return;
    const messages = Array.isArray(body) ? body : [body];
    if (sessionId && !sessions.has(sessionId) && !messages.some((m) => isJsonObject(m) && m.method === 'initialize')) {
      return json(res, 404, { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } });
    }
    const headers: Record<string, string> = {};
    const replies: Message[] = [];
    for (const m of messages) {
      if (!isJsonObject(m)) continue;
      const reply = answer(m);
      if (!reply) continue;
      if (m.method === 'initialize' && 'result' in reply) {
        const id = randomUUID();
        sessions.add(id);
        headers['mcp-session-id'] = id;
      }
      replies.push(reply);
    }
    if (replies.length === 0) {
      res.writeHead(202, headers).end();
      return;
    }
    json(res, 200, Array.isArray(body) ? replies : replies[0], headers);
  }

  function legacyStream(res: http.ServerResponse): void {
    const id = randomUUID();
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    legacyStreams.set(id, res);
    res.on('close', () => legacyStreams.delete(id));
    sseWrite(res, `/messages?sessionId=${id}`, 'endpoint');
  }

  async function legacyPost(req: http.IncomingMessage, res: http.ServerResponse, id: string): Promise<void> {
    const stream = legacyStreams.get(id);
    if (!stream) return plain(res, 404, 'Session not found');
    const body = await readJson(req, res);
    if (body === undefined) return;
    res.writeHead(202).end('Accepted');
    for (const m of Array.isArray(body) ? body : [body]) {
      if (!isJsonObject(m)) continue;
      const reply = answer(m);
      if (reply) sseWrite(stream, reply);
      if (m.method === 'notifications/initialized')
        for (const n of replayedNotifications)
          sseWrite(stream, { jsonrpc: '2.0', method: n.method, ...(n.params ? { params: n.params } : {}) });
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) plain(res, 500, error instanceof Error ? error.message : String(error));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    sseUrl: `http://127.0.0.1:${port}/sse`,
    async close() {
      for (const res of [...standing, ...legacyStreams.values()]) res.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

/**
 * A recorded result in the era of the request it answers: a 2026-07-28 request gets `resultType` (its answers carry
 * one) and, for a list or a read, the cache hints 2026-07-28 requires (`ttlMs: 0`, `cacheScope: "private"`: do not cache a
 * mock); a 2025 request does not get the 2026 envelope fields.
 */
function adaptResult(result: unknown, modern: boolean, method: string): unknown {
  if (!isJsonObject(result)) return result;
  if (modern) {
    const cache =
      (method.endsWith('/list') || method === 'resources/read') && !('ttlMs' in result) ? { ttlMs: 0, cacheScope: 'private' } : {};
    return { ...result, ...cache, ...('resultType' in result ? {} : { resultType: 'complete' }) };
  }
  const { resultType: _r, ttlMs: _t, cacheScope: _c, ...rest } = result;
  return rest;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function plain(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage, res: http.ServerResponse): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      json(res, 413, { jsonrpc: '2.0', id: null, error: { code: -32600, message: `Request body over ${MAX_BODY_BYTES} bytes.` } });
      req.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    json(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: the body is not JSON.' } });
    return undefined;
  }
}
