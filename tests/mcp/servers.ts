// Small, real MCP servers for the engine's integration tests, each on 127.0.0.1 with a free port.
// Built with the official SDKs: v1 (`@modelcontextprotocol/sdk`) for the legacy SSE and 2025 stateful
// eras, v2 (`@modelcontextprotocol/server`) for 2026-07-28 stateless.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer as V1McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpHandler, McpServer as V2McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

export interface SeenRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface TestServer {
  /** The MCP endpoint URL. */
  url: string;
  origin: string;
  /** Every HTTP request the server received, in order. */
  seen: SeenRequest[];
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

async function serve(path: string, handler: Handler): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers });
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}${path}`,
    origin,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as unknown) : undefined;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Hooks of the v1 servers: told of each cancelled call; `endless` adds the hostile `forever` tool. */
export interface V1Hooks {
  onCancelled?: () => void;
  endless?: boolean;
}

/** Tools shared by the v1 servers: echo, a slow tool that reports progress and notices cancellation (and `forever`). */
function v1Server(name: string, { onCancelled, endless }: V1Hooks = {}): V1McpServer {
  const server = new V1McpServer({ name, version: '1.0.0' }, { instructions: `${name} instructions` });
  server.registerTool('echo', { description: 'Echoes text', inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  server.registerTool('slow', { description: 'Waits, reporting progress', inputSchema: { ms: z.number() } }, async ({ ms }, extra) => {
    const token = extra._meta?.progressToken;
    const steps = 4;
    for (let step = 1; step <= steps; step++) {
      await sleep(ms / steps, extra.signal);
      if (extra.signal.aborted) {
        onCancelled?.();
        return { content: [{ type: 'text', text: 'cancelled' }] };
      }
      if (token !== undefined) {
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: step, total: steps } });
      }
    }
    return { content: [{ type: 'text', text: `waited ${ms} ms` }] };
  });
  // A hostile tool: reports progress every `everyMs` and never finishes, until cancelled.
  if (endless)
    server.registerTool(
      'forever',
      { description: 'Reports progress until cancelled', inputSchema: { everyMs: z.number() } },
      async ({ everyMs }, extra) => {
        const token = extra._meta?.progressToken;
        for (let step = 1; !extra.signal.aborted; step++) {
          await sleep(everyMs, extra.signal);
          if (extra.signal.aborted) break;
          if (token !== undefined)
            await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: step } });
        }
        onCancelled?.();
        return { content: [{ type: 'text', text: 'cancelled' }] };
      },
    );
  return server;
}

/** Legacy HTTP+SSE (2024-11-05): GET /sse opens the stream, POST /messages?sessionId=... carries requests. */
export async function startLegacySseServer(hooks: V1Hooks = {}): Promise<TestServer> {
  const transports = new Map<string, SSEServerTransport>();
  return serve('/sse', async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/sse') {
      const transport = new SSEServerTransport('/messages', res);
      transports.set(transport.sessionId, transport);
      res.on('close', () => transports.delete(transport.sessionId));
      await v1Server('legacy-fixture', hooks).connect(transport);
      return;
    }
    if (req.method === 'POST' && url.pathname === '/messages') {
      const transport = transports.get(url.searchParams.get('sessionId') ?? '');
      if (!transport) {
        res.writeHead(404).end('unknown session');
        return;
      }
      await transport.handlePostMessage(req, res);
      return;
    }
    // What Express answers for an unknown route: an HTML page.
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!DOCTYPE html><html><head><title>Error</title></head><body><pre>Cannot ${req.method} ${url.pathname}</pre></body></html>`);
  });
}

/** 2025 stateful Streamable HTTP at /mcp: initialize issues an Mcp-Session-Id; GET stream; DELETE ends it. */
export async function startStatefulServer(hooks: V1Hooks = {}): Promise<TestServer & { deleted: string[] }> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const deleted: string[] = [];
  const server = await serve('/mcp', async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/mcp') {
      res.writeHead(404).end();
      return;
    }
    const sessionId = req.headers['mcp-session-id'];
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    if (typeof sessionId === 'string') {
      const transport = transports.get(sessionId);
      if (!transport) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
        return;
      }
      if (req.method === 'DELETE') deleted.push(sessionId);
      await transport.handleRequest(req, res, body);
      return;
    }
    const isInitialize = !!body && typeof body === 'object' && (body as { method?: unknown }).method === 'initialize';
    if (req.method === 'POST' && isInitialize) {
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          transports.set(id, transport);
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) transports.delete(transport.sessionId);
      };
      await v1Server('stateful-fixture', hooks).connect(transport);
      await transport.handleRequest(req, res, body);
      return;
    }
    // The SDK's own example answers anything else without a session like this.
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' }, id: null }));
  });
  return Object.assign(server, { deleted });
}

/** 2026-07-28 stateless server at /mcp (v2 SDK's createMcpHandler, which also serves 2025 clients statelessly). */
/** An answer a test puts in the server's mouth for one JSON-RPC message (what a misbehaving server would send). */
export type Intercept = (message: { method?: string; id?: unknown }) => { status: number; contentType: string; body: string } | undefined;

export async function startModernServer(options: { intercept?: Intercept } = {}): Promise<TestServer> {
  const handler = createMcpHandler(() => {
    const server = new V2McpServer({ name: 'modern-fixture', version: '2.0.0' }, { instructions: 'modern instructions' });
    server.registerTool('echo', { description: 'Echoes text', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
      content: [{ type: 'text' as const, text }],
    }));
    server.registerTool(
      'typed',
      {
        description: 'Returns structured content',
        inputSchema: z.object({ n: z.number() }),
        outputSchema: z.object({ doubled: z.number() }),
      },
      async ({ n }) => ({ content: [{ type: 'text' as const, text: String(n * 2) }], structuredContent: { doubled: n * 2 } }),
    );
    return server;
  });
  let origin = '';
  const server = await serve('/mcp', async (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'DELETE';
    if (options.intercept && hasBody) {
      let message: { method?: string; id?: unknown } = {};
      try {
        message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof message;
      } catch {
        // not JSON: the SDK answers it
      }
      const answer = options.intercept(message);
      if (answer) {
        res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
        return;
      }
    }
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const response = await handler.fetch(
      new Request(`${origin}${req.url ?? '/'}`, {
        method: req.method,
        headers,
        body: hasBody ? Buffer.concat(chunks) : undefined,
        signal: abort.signal,
      }),
    );
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      out[name] = value;
    });
    res.writeHead(response.status, out);
    res.flushHeaders();
    if (!response.body) {
      res.end();
      return;
    }
    const reader = response.body.getReader();
    res.on('close', () => void reader.cancel().catch(() => undefined));
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || res.destroyed) break;
        res.write(value);
      }
    } catch {
      // client went away
    }
    res.end();
  });
  origin = server.origin;
  return server;
}

/** Answers every request with an HTML page (a web site, not an MCP server). */
export function startHtmlServer(): Promise<TestServer> {
  return serve('/', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><head><title>Welcome to Example</title></head><body>Hello</body></html>');
  });
}

/** Wants a bearer token: 401 with a WWW-Authenticate challenge unless `Authorization: Bearer <token>` matches. */
export function startUnauthorizedServer(): Promise<TestServer> {
  return serve('/mcp', (_req, res) => {
    res.writeHead(401, {
      'content-type': 'application/json',
      'www-authenticate': 'Bearer resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource/mcp"',
    });
    res.end(JSON.stringify({ error: 'invalid_token', error_description: 'Missing bearer token' }));
  });
}

/** Accepts requests and never answers them. */
export async function startSilentServer(): Promise<TestServer & { waiting(): number }> {
  const held = new Set<http.ServerResponse>();
  const server = await serve('/mcp', (_req, res) => {
    held.add(res);
    res.on('close', () => held.delete(res));
  });
  /** Requests it holds unanswered that the client has not given up on. */
  return { ...server, waiting: () => held.size };
}

/** A port nothing listens on (bound then released). */
export async function refusedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/mcp`;
}

/**
 * A hand-written Streamable HTTP server with misbehaviours: the discover probe gets a 400 (a 2025
 * server), then `initialize` gets `mode`: an event stream that ends without the answer, a body
 * that is not JSON, or an event whose data is not JSON.
 */
export function startBrokenStreamableServer(mode: 'stream-closes' | 'not-json' | 'bad-frame'): Promise<TestServer> {
  return serve('/mcp', async (req, res) => {
    const body = (await readBody(req).catch(() => undefined)) as { method?: string } | undefined;
    if (body?.method !== 'initialize') {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Bad Request: No valid session ID provided' }, id: null }));
      return;
    }
    if (mode === 'bad-frame') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message\ndata: {"jsonrpc": "2.0", "id": 0, "result": \n\n');
      setTimeout(() => res.end(), 20);
      return;
    }
    if (mode === 'stream-closes') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': starting\n\n');
      setTimeout(() => res.end(), 20);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"jsonrpc": "2.0", "result": ');
  });
}

/**
 * A hand-written legacy SSE server whose stream carries event ids and drops after the handshake, so the
 * client must reconnect; it records the Last-Event-ID each GET brought.
 */
export async function startResumableLegacyServer(): Promise<TestServer & { lastEventIds: Array<string | undefined> }> {
  const lastEventIds: Array<string | undefined> = [];
  let stream: http.ServerResponse | undefined;
  let nextId = 1;
  const send = (message: unknown) => {
    stream?.write(`id: e${nextId++}\nevent: message\ndata: ${JSON.stringify(message)}\n\n`);
  };
  const server = await serve('/sse', async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/sse') {
      const header = req.headers['last-event-id'];
      lastEventIds.push(typeof header === 'string' ? header : undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('retry: 50\n\n');
      res.write('event: endpoint\ndata: /messages\n\n');
      stream = res;
      return;
    }
    if (req.method === 'POST' && url.pathname === '/messages') {
      const message = (await readBody(req)) as { id?: number | string; method?: string; params?: { protocolVersion?: string } };
      res.writeHead(202).end('Accepted');
      if (message.method === 'initialize') {
        send({
          jsonrpc: '2.0',
          id: message.id,
          result: {
            protocolVersion: message.params?.protocolVersion,
            capabilities: {},
            serverInfo: { name: 'resumable', version: '0.0.1' },
          },
        });
      } else if (message.method === 'notifications/initialized') {
        // Drop the stream right after the handshake: the client has to come back.
        setTimeout(() => stream?.end(), 20);
      } else if (message.id !== undefined) {
        send({ jsonrpc: '2.0', id: message.id, result: {} });
      }
      return;
    }
    res.writeHead(404).end();
  });
  return Object.assign(server, { lastEventIds });
}
