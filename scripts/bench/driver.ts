// One measuring process, driven by the bench over IPC (so both sides of a comparison run in their own
// warm process and rounds can be interleaved):
//   node --import tsx scripts/bench/driver.ts sdk <mcp url>      a plain SDK client, straight to the server
//   node --import tsx scripts/bench/driver.ts api <app origin> <mcp url>   the same calls through mcpscope
// Messages in:  {type: 'calls', count}  → {type: 'calls', latencies: number[], errors: number}
//               {type: 'handshake'}      → {type: 'handshake', ms}   (sdk only: connect + listTools, fresh client)
//               {type: 'callsFor', ms}   → {type: 'calls', ...}      (as many sequential calls as fit in `ms`)
//               {type: 'floor', count}   → {type: 'calls', ...}      (api only: GET /api/health, the cost of any route)
//               {type: 'hop', count}     → {type: 'calls', ...}      (api only: POST /rpc answered 400 without the MCP server)
//               {type: 'bare', count, url} → {type: 'calls', ...}    (any mode: a small JSON POST to a bare node:http server)
//               {type: 'stop'}
// Message out first: {type: 'ready'} or {type: 'failed', message}.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ApiClient, firstText } from './api';

type Request =
  | { type: 'calls'; count: number }
  | { type: 'callsFor'; ms: number }
  | { type: 'floor'; count: number }
  | { type: 'hop'; count: number }
  | { type: 'bare'; count: number; url: string }
  | { type: 'handshake' }
  | { type: 'stop' };

const CLIENT_INFO = { name: 'mcpscope-bench', version: '1.0.0' };

function send(message: unknown): void {
  process.send?.(message);
}

async function openSdkClient(url: string): Promise<Client> {
  const client = new Client(CLIENT_INFO, { versionNegotiation: { mode: 'auto' } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

async function main(): Promise<void> {
  const [mode, target, mcpUrl] = process.argv.slice(2);
  let call: (i: number) => Promise<boolean>;
  let floor: () => Promise<boolean> = async () => false;
  let hop: () => Promise<boolean> = async () => false;
  let close: () => Promise<void>;
  if (mode === 'sdk') {
    const client = await openSdkClient(target);
    call = async (i) => firstText(await client.callTool({ name: 'add', arguments: { a: i, b: 1 } })) === String(i + 1);
    close = () => client.close();
  } else if (mode === 'api') {
    const api = new ApiClient(target);
    const session = await api.createSession(mcpUrl);
    call = async (i) => {
      const answer = await api.rpc(session.id, 'tools/call', { name: 'add', arguments: { a: i, b: 1 } });
      return firstText(answer.result) === String(i + 1);
    };
    floor = async () => (await fetch(`${target}/api/health`, { headers: api.headers() })).ok;
    hop = async () => (await api.rpcStatus(session.id, '{}')) === 400;
    close = () => api.deleteSession(session.id);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }

  let next = 0;
  // The same fetch (undici, one keep-alive pool) as every other measurement of this process.
  const bare = async (url: string, i: number) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'add', arguments: { a: i, b: 1 } } }),
    });
    return ((await response.json()) as { id?: unknown }).id === i;
  };
  process.on('message', (message: Request) => {
    void (async () => {
      if (
        message.type === 'calls' ||
        message.type === 'callsFor' ||
        message.type === 'floor' ||
        message.type === 'hop' ||
        message.type === 'bare'
      ) {
        const latencies: number[] = [];
        let errors = 0;
        const until = message.type === 'callsFor' ? performance.now() + message.ms : Number.POSITIVE_INFINITY;
        const count = message.type === 'callsFor' ? Number.POSITIVE_INFINITY : message.count;
        for (let n = 0; n < count && performance.now() < until; n++) {
          const i = next++;
          const started = performance.now();
          let ok = false;
          try {
            ok =
              message.type === 'calls' || message.type === 'callsFor'
                ? await call(i)
                : message.type === 'floor'
                  ? await floor()
                  : message.type === 'bare'
                    ? await bare(message.url, i)
                    : await hop();
          } catch {
            ok = false;
          }
          latencies.push(performance.now() - started);
          if (!ok) errors++;
        }
        send({ type: 'calls', latencies, errors });
      } else if (message.type === 'handshake') {
        const started = performance.now();
        const client = await openSdkClient(target);
        await client.listTools();
        const elapsed = performance.now() - started;
        await client.close();
        send({ type: 'handshake', ms: elapsed });
      } else if (message.type === 'stop') {
        await close().catch(() => undefined);
        process.exit(0);
      }
    })().catch((error: unknown) => send({ type: 'failed', message: String(error) }));
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: String(error) });
  process.exit(1);
});
