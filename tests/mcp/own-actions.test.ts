// Findings are about the server: what mcpscope does itself (ending the session with DELETE, closing its
// streams) is not reported, and the SDK's bare "SSE error: undefined" never reaches a person as such.
import { SseError } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { connectLogged } from '@/tests/fixtures/connect';
import { describeSdkReport, explainError, watchWireFindings, type McpConnection } from '@/lib/mcp';
import { SecretSet, TraceLog, type NewTraceEvent } from '@/lib/trace';
import type { FindingEvent } from '@/lib/trace/types';
import { startResumableLegacyServer, startStatefulServer, type TestServer } from './servers';
import { cleanupsAfterEach } from '../fixtures/suite';

const cleanups = cleanupsAfterEach({ tolerant: true });

async function use<T extends TestServer>(server: Promise<T>): Promise<T> {
  const started = await server;
  cleanups.push(() => started.close());
  return started;
}

/** A session as the registry builds it: a log watched for wire findings, and a connection. */
async function open(url: string, transport: 'auto' | 'sse'): Promise<{ log: TraceLog; connection: McpConnection }> {
  const log = new TraceLog({ sessionId: 'own', serverUrl: url, startedAt: Date.now(), transport });
  cleanups.push(async () => stop());
  const stop = watchWireFindings(log);
  const { connection } = await connectLogged(url, { transport, log });
  cleanups.push(() => connection.close());
  return { log, connection };
}

function findings(log: TraceLog): FindingEvent[] {
  return log.events().filter((event): event is FindingEvent => event.kind === 'finding');
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('disconnecting is not a server fault', () => {
  it('the GET stream the server closes because of our DELETE is not "stream_dropped"', async () => {
    const server = await use(startStatefulServer());
    const { log, connection } = await open(server.url, 'auto');
    await until(() => log.events().some((event) => event.kind === 'phase' && event.name === 'get-stream' && event.status === 'ok'));

    await connection.close();
    await settle(300);

    expect(server.deleted).toEqual([connection.sessionId]);
    // The stream did end on the server's side (it answered our DELETE by closing it) ...
    const get = log.events().find((event) => event.kind === 'http.request' && event.method === 'GET');
    const end = log
      .events()
      .find((event) => event.kind === 'http.end' && get?.kind === 'http.request' && event.exchangeId === get.exchangeId);
    expect(end && end.kind === 'http.end' && end.aborted).toBeFalsy();
    // ... and nothing in the findings blames the server for it.
    expect(findings(log).map((finding) => finding.code)).toEqual([]);
  });

  it('a stream the server drops on its own is still reported, once, without the SDK\'s "SSE error: undefined"', async () => {
    // This server ends the first legacy stream after one event; the client resumes it with Last-Event-ID.
    const server = await use(startResumableLegacyServer());
    const { log, connection } = await open(server.url, 'sse');
    await until(() => server.lastEventIds.length >= 2);
    await until(() => findings(log).some((finding) => finding.code === 'stream_resumed'));

    const codes = findings(log).map((finding) => finding.code);
    expect(codes.filter((code) => code === 'stream_dropped')).toHaveLength(1);
    expect(codes).not.toContain('client_error');
    for (const finding of findings(log)) expect(finding.message).not.toMatch(/undefined/);

    // Our own close afterwards adds nothing.
    const before = findings(log).length;
    await connection.close();
    await settle(200);
    expect(findings(log)).toHaveLength(before);
  });
});

describe('watchWireFindings: our own close', () => {
  function newLog() {
    const log = new TraceLog({ sessionId: 's', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: 0, transport: 'auto' });
    watchWireFindings(log);
    let n = 0;
    const stream = (sessionId: string) => {
      const exchangeId = `ex${++n}`;
      log.append({
        kind: 'http.request',
        exchangeId,
        purpose: 'mcp-stream',
        method: 'GET',
        url: 'http://127.0.0.1:1/mcp',
        headers: [['mcp-session-id', sessionId]],
      } as NewTraceEvent);
      log.append({
        kind: 'http.response',
        exchangeId,
        status: 200,
        statusText: 'OK',
        headers: [['content-type', 'text/event-stream']],
        ttfbMs: 1,
      } as NewTraceEvent);
      return exchangeId;
    };
    const end = (exchangeId: string) => log.append({ kind: 'http.end', exchangeId, bytes: 10, durationMs: 5 } as NewTraceEvent);
    const del = (sessionId: string) =>
      log.append({
        kind: 'http.request',
        exchangeId: `ex${++n}`,
        purpose: 'mcp',
        method: 'DELETE',
        url: 'http://127.0.0.1:1/mcp',
        headers: [['mcp-session-id', sessionId]],
      } as NewTraceEvent);
    const codes = () => log.events().flatMap((event) => (event.kind === 'finding' ? [event.code] : []));
    return { log, stream, end, del, codes };
  }

  it('names a stream the server ends while the session is live', () => {
    const { stream, end, codes } = newLog();
    end(stream('a'));
    expect(codes()).toEqual(['stream_dropped']);
  });

  it("does not name the stream of a session we ended with DELETE; other sessions' streams still count", () => {
    const { stream, end, del, codes } = newLog();
    const mine = stream('a');
    const other = stream('b');
    del('a');
    end(mine);
    expect(codes()).toEqual([]);
    end(other);
    expect(codes()).toEqual(['stream_dropped']);
  });

  it('does not name anything that ends between our disconnect and the next connect', () => {
    const { log, stream, end, codes } = newLog();
    const first = stream('a');
    const phase = log.beginPhase('disconnect');
    end(first);
    phase.ok();
    expect(codes()).toEqual([]);
    log.beginPhase('connect');
    end(stream('c'));
    expect(codes()).toEqual(['stream_dropped']);
  });
});

describe('what the SDK reports out of band', () => {
  const secrets = new SecretSet();

  it('drops event-stream errors the wire already records, the bare "SSE error: undefined" first', () => {
    expect(new SseError(undefined, undefined as unknown as string, {} as never).message).toBe('SSE error: undefined');
    expect(describeSdkReport(new SseError(undefined, undefined as unknown as string, {} as never), { secrets })).toBeUndefined();
    expect(describeSdkReport(new SseError(503, 'Service Unavailable', {} as never), { secrets })).toBeUndefined();
    expect(describeSdkReport(new Error('SSE stream disconnected: TypeError: terminated'), { secrets })).toBeUndefined();
    expect(describeSdkReport(new Error('Failed to reconnect SSE stream: fetch failed'), { secrets })).toBeUndefined();
    // Not something the wire saw: kept, with its text.
    expect(describeSdkReport(new Error('Failed to reconnect: scheduler gone'), { secrets })?.message).toBe(
      'The MCP client reported: Failed to reconnect: scheduler gone',
    );
  });

  it('says what giving up on the GET stream means', () => {
    const report = describeSdkReport(new Error('Maximum reconnection attempts (2) exceeded.'), {
      secrets,
      streamUrl: 'http://127.0.0.1:9/mcp',
    });
    expect(report).toMatchObject({ code: 'stream_given_up', severity: 'warning' });
    expect(report?.message).toMatch(
      /^An event stream from the server could not be re-opened after 2 attempts .* If it was the standing GET stream \(GET \/mcp\)/,
    );
  });

  it('gives an error without a message a sentence of its own', () => {
    const report = describeSdkReport(new Error(''), { secrets });
    expect(report?.code).toBe('client_error');
    expect(report?.message).toMatch(/^The MCP client reported an error \(Error\) without any description\./);
    expect(report?.message).not.toMatch(/undefined/);
  });

  it('keeps other reports, masking secrets', () => {
    const masked = new SecretSet();
    masked.add('sk-very-secret-token-1234');
    const report = describeSdkReport(new Error('bad token sk-very-secret-token-1234'), { secrets: masked });
    expect(report?.code).toBe('client_error');
    expect(report?.message).not.toContain('sk-very-secret-token-1234');
  });

  it('explains a request that failed because the legacy stream ended, naming the stream', () => {
    const error = explainError(new SseError(undefined, undefined as unknown as string, {} as never), {
      secrets,
      method: 'tools/call',
      streamUrl: 'http://127.0.0.1:9/sse',
    });
    expect(error.code).toBe('stream_closed');
    expect(error.message).toBe(
      'The legacy SSE event stream (GET /sse) ended before the server answered tools/call: the server (or a proxy) closed it.',
    );
  });
});
