// The 2025-era leg of the demo: real stateful Streamable HTTP sessions (Mcp-Session-Id, a standing GET
// stream, DELETE), rather than the SDK's per-request stateless fallback, so an inspector sees the whole
// 2025 lifecycle and `notifications/cancelled` reaches the running handler. Sessions are bounded in number
// and expire when idle, because this endpoint is public within the app.
import { WebStandardStreamableHTTPServerTransport, type McpServer } from '@modelcontextprotocol/server';
import { BoundedEventStore } from './event-store';

export interface LegacySessionLimits {
  /** Most sessions kept at once; the least recently used is closed to make room. */
  maxSessions: number;
  /** A session not used for this long is closed on the next request that looks. */
  idleMs: number;
  /** The `retry` (ms) each SSE stream's priming event suggests to a client that lost the stream. */
  retryMs: number;
}

interface Session {
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  lastUsed: number;
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

export class LegacySessionRegistry {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly createServer: () => McpServer,
    private readonly limits: LegacySessionLimits,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  async handle(request: Request): Promise<Response> {
    this.closeIdle(Date.now());
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId) {
      const session = this.sessions.get(sessionId);
      // Spec: an unknown or ended session is answered 404, which tells the client to initialize again.
      if (!session) return jsonRpcError(404, -32001, 'Session not found: it ended or expired. Initialize a new one.');
      session.lastUsed = Date.now();
      // Keep insertion order = recency order, so eviction can take the first entry.
      this.sessions.delete(sessionId);
      this.sessions.set(sessionId, session);
      return session.transport.handleRequest(request);
    }
    if (request.method !== 'POST') {
      return jsonRpcError(400, -32000, 'Bad Request: Mcp-Session-Id header is required (initialize first).');
    }
    return this.startSession(request);
  }

  /** Ends every session (used when the handler is shut down). */
  async closeAll(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(sessions.map((s) => s.server.close().catch(() => undefined)));
  }

  private async startSession(request: Request): Promise<Response> {
    const server = this.createServer();
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      // Resumable streams: a priming event (id, empty data, `retry`) opens each one, events are kept for replay.
      eventStore: new BoundedEventStore(),
      retryInterval: this.limits.retryMs,
      onsessioninitialized: (id) => {
        this.makeRoom();
        this.sessions.set(id, { server, transport, lastUsed: Date.now() });
      },
      onsessionclosed: (id) => {
        this.sessions.delete(id);
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) this.sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    const response = await transport.handleRequest(request);
    // Not an initialize request (the transport answered 400): nothing was registered, so let it go.
    if (!transport.sessionId) await server.close().catch(() => undefined);
    return response;
  }

  private makeRoom(): void {
    while (this.sessions.size >= this.limits.maxSessions) {
      const oldest = this.sessions.keys().next();
      if (oldest.done) return;
      this.closeSession(oldest.value);
    }
  }

  private closeIdle(now: number): void {
    for (const [id, session] of this.sessions) {
      if (now - session.lastUsed > this.limits.idleMs) this.closeSession(id);
    }
  }

  private closeSession(id: string): void {
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    void session?.server.close().catch(() => undefined);
  }
}
