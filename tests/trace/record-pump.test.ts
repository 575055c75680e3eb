// The recording fetch over the real chain (lib/security's guard over lib/http-client) against node:http servers on
// 127.0.0.1: there it records in the http client's one body pump, and hands on the Response it was given.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createGuardedFetch, parseAllowList, type GuardFinding } from '@/lib/security';
import { createRecordingFetch, TraceLog, type HttpEndEvent, type TraceEvent } from '@/lib/trace';
import { parseSseFrames } from '@/lib/trace/sse';
import { httpServersClosedAfterEach } from '../fixtures/http-servers';

const servers = httpServersClosedAfterEach();

async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<string> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(req, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

/** A recording fetch over the guarded http fetch, and every Response the guard handed it. */
function chain(options: { maxMessageBytes?: number; notificationsUnheard?: boolean } = {}) {
  const findings: GuardFinding[] = [];
  const guarded = createGuardedFetch({
    policy: { mode: 'local', allow: parseAllowList(undefined).allow, selfOrigins: [] },
    limits: { maxMessageBytes: options.maxMessageBytes ?? 64 * 1024 * 1024, maxRedirects: 3 },
    resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    report: (finding) => findings.push(finding),
  });
  const given: Response[] = [];
  const log = new TraceLog({ sessionId: 't', serverUrl: 'http://127.0.0.1/', startedAt: Date.now(), transport: 'auto' });
  const fetch = createRecordingFetch(log, {
    baseFetch: async (input, init) => {
      const response = await guarded(input, init);
      given.push(response);
      return response;
    },
    context: () => ({ notificationsUnheard: options.notificationsUnheard === true }),
  });
  return { fetch, log, given, findings };
}

function ofKind<K extends TraceEvent['kind']>(log: TraceLog, kind: K): Extract<TraceEvent, { kind: K }>[] {
  return log.events().filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}

async function endOf(log: TraceLog): Promise<HttpEndEvent> {
  for (let i = 0; i < 200; i++) {
    const end = ofKind(log, 'http.end')[0];
    if (end) return end;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no http.end recorded');
}

const message = (n: number, method = 'notifications/message') => JSON.stringify({ jsonrpc: '2.0', method, params: { n } });

describe('createRecordingFetch over lib/http-client', () => {
  it('records a JSON answer in the pump and hands on the very Response it was given, url included', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"jsonrpc":"2.0",');
      setTimeout(() => res.end('"id":1,"result":{"ok":true}}'), 10);
    });
    const { fetch, log, given } = chain();
    const response = await fetch(url, { method: 'POST', body: '{"jsonrpc":"2.0","id":1,"method":"ping"}' });
    expect(response).toBe(given[0]);
    expect(response.url).toBe(url);
    expect(await response.text()).toBe('{"jsonrpc":"2.0","id":1,"result":{"ok":true}}');
    const end = await endOf(log);
    expect(end.body?.text).toBe('{"jsonrpc":"2.0","id":1,"result":{"ok":true}}');
    expect(end.error).toBeUndefined();
    expect(ofKind(log, 'rpc').map((e) => e.direction)).toEqual(['out', 'in']);
  });

  it('records every SSE event in order as it comes, and leaves out the notifications a handshake does not hear', async () => {
    const events = [
      `data: ${message(1)}\n\n`,
      `data: ${message(2, 'notifications/progress')}\n\n`,
      `data: ${message(3)}\n\n`,
      `id: 9\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n`,
    ];
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Whole events, two in one write, as a socket may deliver them (an event split across chunks is handed on).
      const writes = [events[0]! + events[1]!, events[2]!, events[3]!];
      const next = () => {
        const write = writes.shift();
        if (write === undefined) return void res.end();
        res.write(write);
        setTimeout(next, 5);
      };
      next();
    });
    const { fetch, log, given } = chain({ notificationsUnheard: true });
    const response = await fetch(url, { method: 'POST', body: '{}' });
    expect(response).toBe(given[0]);
    const handed = await response.text();
    await endOf(log);
    const frames = ofKind(log, 'sse.frame');
    expect(frames.map((f) => f.data)).toEqual(parseSseFrames([events.join('')]).map((f) => f.data));
    // The two notifications/message events are not handed on; progress and the answer are.
    expect(handed).toBe(events[1]! + events[3]!);
  });

  it('records a reader that gives up as aborted, a body cut by the server as an error, and the guard refusing one', async () => {
    const url = await serve((req, res) => {
      res.writeHead(200, { 'content-type': req.url?.includes('big') ? 'application/json' : 'text/event-stream' });
      res.write(req.url?.includes('big') ? 'x'.repeat(2000) : `data: ${message(1)}\n\n`);
      if (req.url?.includes('cut')) setTimeout(() => res.socket?.destroy(), 10);
    });

    const cancelled = chain();
    const reader = (await cancelled.fetch(url, { method: 'POST', body: '{}' })).body!.getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    expect((await endOf(cancelled.log)).aborted).toBe(true);
    expect(ofKind(cancelled.log, 'sse.frame')).toHaveLength(1);

    const cut = chain();
    const response = await cut.fetch(`${url}?cut`, { method: 'POST', body: '{}' });
    expect(response).toBe(cut.given[0]);
    await expect(response.text()).rejects.toThrow();
    const cutEnd = await endOf(cut.log);
    expect(cutEnd.error?.code).toBe('stream_error');
    expect(cutEnd.bytes).toBeGreaterThan(0);

    const capped = chain({ maxMessageBytes: 1000 });
    const big = await capped.fetch(`${url}?big`, { method: 'POST', body: '{}' });
    expect(big).toBe(capped.given[0]);
    await expect(big.text()).rejects.toThrow();
    expect((await endOf(capped.log)).error?.code).toBe('message_too_large');
    expect(capped.findings.map((f) => f.code)).toContain('message_too_large');
  });

  it('takes fair turns: past its first 64 KB a flood is handed on 8 KB a turn, so timers and short answers go first', async () => {
    const frame = `data: ${message(0)}${' '.repeat(200)}\n\n`;
    const flood = frame.repeat(Math.ceil((4 * 1024 * 1024) / frame.length));
    const url = await serve((req, res) => {
      if (req.url?.includes('short')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":7,"result":{}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(flood);
    });
    const flooded = chain();
    const quiet = chain();
    const response = await flooded.fetch(url, { method: 'POST', body: '{}' });
    expect(response).toBe(flooded.given[0]);
    const order: string[] = [];
    let turns = 0;
    let reading = true;
    const tick = () => {
      turns++;
      if (reading) setImmediate(tick);
    };
    setImmediate(tick);
    setTimeout(() => order.push('timer'), 0);
    const read = (async () => {
      const bytes = (await response.arrayBuffer()).byteLength;
      reading = false;
      order.push('flood read');
      return bytes;
    })();
    const answered = (async () => {
      await (await quiet.fetch(`${url}?short`, { method: 'POST', body: '{}' })).text();
      order.push('short answer');
    })();
    const [bytes] = await Promise.all([read, answered]);
    expect(bytes).toBe(Buffer.byteLength(flood));
    expect(order.indexOf('timer')).toBeLessThan(order.indexOf('flood read'));
    expect(order.indexOf('short answer')).toBeLessThan(order.indexOf('flood read'));
    // Past the first 64 KB, a turn takes pieces of at most 8 KB until it has 8 KB or more: under 16 KB a turn
    // (socket reads alone would give a turn per 64 KB read, some 64 here).
    expect(turns).toBeGreaterThanOrEqual(Math.floor((bytes - 64 * 1024) / (16 * 1024)));
    expect(ofKind(flooded.log, 'sse.frame').length).toBeGreaterThan(0);
  });
});
