// Issue 12: a server sending progress forever kept a call alive forever (each progress notification restarts the
// request timer). The most one request may take in all (MCPSCOPE_REQUEST_MAX_MS, per session timeouts.requestMaxMs)
// ends it however much progress arrives: a clear error, and the server is told (notifications/cancelled).
import { afterEach, describe, expect, it } from 'vitest';
import { connectLogged } from '@/tests/fixtures/connect';
import { readConfig } from '@/lib/config';
import { EngineError, type McpConnection } from '@/lib/mcp';
import { SessionRegistry, statusForCode } from '@/lib/sessions';
import { TraceLog, type RpcEvent } from '@/lib/trace';
import { startLegacySseServer, startStatefulServer, type TestServer } from './servers';

const servers: TestServer[] = [];
const connections: McpConnection[] = [];
afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.close().catch(() => undefined);
  for (const server of servers.splice(0)) await server.close();
});

async function open(url: string, requestTimeoutMs: number, requestMaxMs: number): Promise<{ connection: McpConnection; log: TraceLog }> {
  const { log, connection } = await connectLogged(url, { sessionId: 'limit', requestTimeoutMs, requestMaxMs });
  connections.push(connection);
  return { connection, log };
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each([
  ['2025 stateful Streamable HTTP', (onCancelled: () => void) => startStatefulServer({ onCancelled, endless: true })],
  ['legacy HTTP+SSE', (onCancelled: () => void) => startLegacySseServer({ onCancelled, endless: true })],
])('the request maximum (%s)', (_name, start) => {
  it('ends a call whose server reports progress forever, and tells the server', async () => {
    let cancelled = 0;
    const server = await start(() => cancelled++);
    servers.push(server);
    // Progress every 50 ms keeps restarting a 700 ms timer; only the 1.5 s maximum can end the call.
    const { connection, log } = await open(server.url, 700, 1_500);
    const progress: number[] = [];
    const startedAt = Date.now();
    const error = await connection
      .request('tools/call', { name: 'forever', arguments: { everyMs: 50 } }, { onProgress: (p) => progress.push(p.progress) })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const took = Date.now() - startedAt;
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('request_time_limit');
    expect((error as EngineError).message).toMatch(
      /tools\/call was still running after 1\.5 s, the most one request may take even while the server reports progress \(MCPSCOPE_REQUEST_MAX_MS/,
    );
    expect((error as EngineError).message).toMatch(/notifications\/cancelled/);
    expect(took).toBeGreaterThanOrEqual(1_450);
    expect(took).toBeLessThan(4_000);
    // The server did keep reporting (so the ordinary timer alone would never have fired)...
    expect(progress.length).toBeGreaterThan(8);
    // ...and was told to stop: the cancellation is on the wire and the server's handler saw it.
    const sent = log
      .events()
      .filter((e): e is RpcEvent => e.kind === 'rpc' && e.direction === 'out' && e.method === 'notifications/cancelled');
    expect(sent).toHaveLength(1);
    await until(() => cancelled === 1);
    // The connection stays usable.
    expect(await connection.request('tools/call', { name: 'echo', arguments: { text: 'still here' } })).toMatchObject({
      result: { content: [{ text: 'still here' }] },
    });
  });

  it('leaves a request that ends in time alone, however long its progress restarted the timer', async () => {
    const server = await start(() => undefined);
    servers.push(server);
    const { connection } = await open(server.url, 1_000, 6_000);
    // 4 steps of 500 ms: 2 s in all, twice the 1 s timer (which each step restarts), well within the maximum.
    const outcome = await connection.request('tools/call', { name: 'slow', arguments: { ms: 2_000 } });
    expect(outcome).toMatchObject({ result: { content: [{ text: 'waited 2000 ms' }] } });
  });
});

describe('the request maximum through a session', () => {
  it('comes from MCPSCOPE_REQUEST_MAX_MS, a session may set its own, and the API answers 504 request_time_limit', async () => {
    let cancelled = 0;
    const server = await startStatefulServer({ onCancelled: () => cancelled++, endless: true });
    servers.push(server);
    const registry = new SessionRegistry({ config: readConfig({ MCPSCOPE_REQUEST_MAX_MS: '1200', MCPSCOPE_REQUEST_TIMEOUT_MS: '600' }) });
    try {
      const timed = async (timeouts: Record<string, number>) => {
        const created = await registry.create('owner', { url: server.url, timeouts });
        if (!created.ok) throw new Error(JSON.stringify(created.body));
        const startedAt = Date.now();
        const error = await registry
          .rpc(created.session, { method: 'tools/call', params: { name: 'forever', arguments: { everyMs: 50 } } })
          .then(
            () => undefined,
            (e: unknown) => e as EngineError,
          );
        return { error, took: Date.now() - startedAt };
      };
      const byDefault = await timed({});
      expect(byDefault.error?.code).toBe('request_time_limit');
      expect(statusForCode(byDefault.error!.code)).toBe(504);
      expect(byDefault.took).toBeGreaterThanOrEqual(1_150);
      expect(byDefault.took).toBeLessThan(3_000);
      const ownLimit = await timed({ requestMaxMs: 2_000 });
      expect(ownLimit.error?.message).toMatch(/after 2 s/);
      expect(ownLimit.took).toBeGreaterThanOrEqual(1_950);
      await until(() => cancelled === 2);
    } finally {
      await registry.shutdown();
    }
  });
});
