// The recording fetch under the real MCP client SDK (v2) against real SDK servers (v1), both transports:
// the wrapped responses must be indistinguishable to the SDK, and the log must hold the whole conversation.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRecordingFetch, groupExchanges, TraceLog, type RpcEvent } from '@/lib/trace';

function makeMcpServer(): McpServer {
  const server = new McpServer({ name: 'trace-fixture', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echo', inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: 'text', text: `echo: ${text}` }],
  }));
  return server;
}

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function listen(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

function newLog(url: string) {
  return new TraceLog({ sessionId: 'sdk', serverUrl: url, startedAt: Date.now(), transport: 'auto' });
}

function rpcOf(log: TraceLog): RpcEvent[] {
  return log.events().filter((e): e is RpcEvent => e.kind === 'rpc');
}

describe('recording fetch under the MCP SDK', () => {
  for (const enableJsonResponse of [false, true]) {
    it(`records a stateful Streamable HTTP session (${enableJsonResponse ? 'JSON' : 'SSE'} responses)`, async () => {
      const transports = new Map<string, StreamableHTTPServerTransport>();
      const base = await listen(async (req, res) => {
        const sid = req.headers['mcp-session-id'];
        let transport = typeof sid === 'string' ? transports.get(sid) : undefined;
        if (!transport) {
          transport = new StreamableHTTPServerTransport({
            sessionIdGenerator: () => crypto.randomUUID(),
            enableJsonResponse,
            onsessioninitialized: (id) => void transports.set(id, transport!),
          });
          await makeMcpServer().connect(transport);
        }
        await transport.handleRequest(req, res);
      });
      const log = newLog(`${base}/mcp`);
      const client = new Client({ name: 'mcpscope-test', version: '0.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { fetch: createRecordingFetch(log) }));
      const result = await client.callTool({ name: 'echo', arguments: { text: 'hi' } });
      expect(result.content).toEqual([{ type: 'text', text: 'echo: hi' }]);
      await client.close();

      const rpc = rpcOf(log);
      const byMethod = (m: string, type: RpcEvent['type']) => rpc.find((r) => r.method === m && r.type === type);
      for (const method of ['initialize', 'tools/call']) {
        const req = byMethod(method, 'request');
        const res = byMethod(method, 'result');
        expect(req?.direction, method).toBe('out');
        expect(res?.direction, method).toBe('in');
        expect(res?.pairSeq, method).toBe(req?.seq);
      }
      expect(byMethod('notifications/initialized', 'notification')?.direction).toBe('out');
      const exchanges = [...groupExchanges(log.events()).values()];
      // Every POST's response was read to the end and recorded as such.
      const posts = exchanges.filter((x) => x.request?.method === 'POST');
      expect(posts.length).toBeGreaterThanOrEqual(3);
      for (const x of posts) expect(x.end, x.request?.url).toBeDefined();
      const sessionHeader = posts.flatMap((x) => x.response?.headers ?? []).find(([name]) => name === 'mcp-session-id');
      expect(sessionHeader?.[1]).toMatch(/[0-9a-f-]{36}/);
      if (!enableJsonResponse) {
        expect(log.events().some((e) => e.kind === 'sse.frame')).toBe(true);
      }
    });
  }

  it('records a legacy HTTP+SSE session: the endpoint event, POSTs and answers on the stream', async () => {
    const transports = new Map<string, SSEServerTransport>();
    const base = await listen(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.method === 'GET' && url.pathname === '/sse') {
        const transport = new SSEServerTransport('/messages', res);
        transports.set(transport.sessionId, transport);
        await makeMcpServer().connect(transport);
        return;
      }
      const transport = transports.get(url.searchParams.get('sessionId') ?? '');
      if (req.method === 'POST' && url.pathname === '/messages' && transport) {
        await transport.handlePostMessage(req, res);
        return;
      }
      res.writeHead(404).end();
    });
    const log = newLog(`${base}/sse`);
    const client = new Client({ name: 'mcpscope-test', version: '0.0.0' });
    await client.connect(new SSEClientTransport(new URL(`${base}/sse`), { fetch: createRecordingFetch(log) }));
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(['echo']);
    await client.close();

    const frames = log.events().filter((e) => e.kind === 'sse.frame');
    expect(frames[0]).toMatchObject({ event: 'endpoint' });
    expect(frames[0].kind === 'sse.frame' && frames[0].data).toMatch(/^\/messages\?sessionId=/);
    const rpc = rpcOf(log);
    const listReq = rpc.find((r) => r.method === 'tools/list' && r.type === 'request');
    const listRes = rpc.find((r) => r.method === 'tools/list' && r.type === 'result');
    expect(listRes?.pairSeq).toBe(listReq?.seq);
    // The answer came on the GET stream, not on the POST that asked.
    expect(listRes?.exchangeId).not.toBe(listReq?.exchangeId);
    const stream = [...groupExchanges(log.events()).values()].find((x) => x.request?.method === 'GET');
    expect(stream?.end?.aborted).toBe(true); // closed by the client
  });
});
