// The session health decision (lib/sessions/health.ts): what evidence from the wire puts a connected session in
// which state, as a table, and the watcher that reads it from a real session log.
import { describe, expect, it } from 'vitest';
import type { SessionHealth } from '@/lib/contract';
import { HEALTHY, decideHealth, forgotSession, watchSessionHealth, type HealthEvidence } from '@/lib/sessions/health';
import { TraceLog } from '@/lib/trace';

const DEGRADED_REQUESTS: SessionHealth = {
  status: 'degraded',
  code: 'requests_failing',
  reason: 'Requests to the server fail: refused',
  since: 10,
  failures: 1,
};
const DEGRADED_STREAM: SessionHealth = {
  status: 'degraded',
  code: 'stream_lost',
  reason: 'The standing stream was lost',
  since: 10,
  failures: 0,
  streamLost: true,
};
const LOST: SessionHealth = { status: 'session_lost', code: 'session_not_found', reason: 'The server forgot the session', since: 10 };

const table: Array<{ name: string; from: SessionHealth; evidence: HealthEvidence; status: SessionHealth['status']; code?: string }> = [
  {
    name: 'a 200 keeps a healthy session healthy',
    from: HEALTHY,
    evidence: { kind: 'answered', status: 200, sessionBound: true },
    status: 'ok',
  },
  {
    name: 'a 4xx for one request is about that request',
    from: HEALTHY,
    evidence: { kind: 'answered', status: 422, sessionBound: true },
    status: 'ok',
  },
  {
    name: 'connection refused degrades',
    from: HEALTHY,
    evidence: { kind: 'unreachable', message: 'connection refused' },
    status: 'degraded',
    code: 'requests_failing',
  },
  {
    name: 'a 502 degrades',
    from: HEALTHY,
    evidence: { kind: 'answered', status: 502, sessionBound: true },
    status: 'degraded',
    code: 'requests_failing',
  },
  {
    name: 'the standing stream breaking degrades',
    from: HEALTHY,
    evidence: { kind: 'stream_lost', message: 'socket hang up', sessionBound: true },
    status: 'degraded',
    code: 'stream_lost',
  },
  {
    name: '404 with the session id: session gone',
    from: HEALTHY,
    evidence: { kind: 'answered', status: 404, sessionBound: true },
    status: 'session_lost',
    code: 'session_not_found',
  },
  {
    name: '400 "No valid session ID": session gone',
    from: DEGRADED_REQUESTS,
    evidence: {
      kind: 'answered',
      status: 400,
      sessionBound: true,
      body: '{"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: No valid session ID provided"},"id":null}',
    },
    status: 'session_lost',
  },
  {
    name: '400 about the arguments is not a lost session',
    from: HEALTHY,
    evidence: { kind: 'answered', status: 400, sessionBound: true, body: '{"error":"bad params"}' },
    status: 'ok',
  },
  {
    name: '404 without a session id (stateless server) is not a lost session',
    from: HEALTHY,
    evidence: { kind: 'answered', status: 404, sessionBound: false },
    status: 'ok',
  },
  {
    name: 'the stream re-opened with 404: session gone',
    from: DEGRADED_STREAM,
    evidence: { kind: 'stream_lost', message: 'HTTP 404', status: 404, sessionBound: true },
    status: 'session_lost',
  },
  {
    name: 'a success after failures: healthy again',
    from: DEGRADED_REQUESTS,
    evidence: { kind: 'answered', status: 200, sessionBound: true },
    status: 'ok',
  },
  {
    name: 'a success while the stream is still lost: still degraded',
    from: DEGRADED_STREAM,
    evidence: { kind: 'answered', status: 200, sessionBound: true },
    status: 'degraded',
    code: 'stream_lost',
  },
  { name: 'the stream opens again: healthy', from: DEGRADED_STREAM, evidence: { kind: 'stream_open' }, status: 'ok' },
  {
    name: 'nothing on the old session brings a lost session back',
    from: LOST,
    evidence: { kind: 'answered', status: 200, sessionBound: true },
    status: 'session_lost',
  },
  { name: 'a new connection resets everything', from: LOST, evidence: { kind: 'connected' }, status: 'ok' },
];

describe('decideHealth', () => {
  for (const row of table) {
    it(row.name, () => {
      const next = decideHealth(row.from, row.evidence, 100);
      expect(next.status).toBe(row.status);
      if (row.code) expect(next.code).toBe(row.code);
      if (next.status !== 'ok') expect(next.reason).toMatch(/^(The|Requests) .{20,}/);
    });
  }

  it('keeps the moment it first went wrong and counts failures', () => {
    let health = decideHealth(HEALTHY, { kind: 'unreachable', message: 'refused' }, 100);
    health = decideHealth(health, { kind: 'unreachable', message: 'refused' }, 200);
    expect(health).toMatchObject({ status: 'degraded', since: 100, failures: 2 });
    health = decideHealth(health, { kind: 'stream_lost', message: 'gone', sessionBound: true }, 300);
    expect(health).toMatchObject({ status: 'degraded', since: 100, streamLost: true });
  });

  it("recognises the servers' words for a forgotten session only on session-bound requests", () => {
    expect(forgotSession(400, true, 'Bad Request: No valid session ID provided')).toBe(true);
    expect(forgotSession(404, true, 'Session not found')).toBe(true);
    expect(forgotSession(404, false, 'Session not found')).toBe(false);
    expect(forgotSession(400, true, 'Invalid params')).toBe(false);
    expect(forgotSession(500, true, 'Session not found')).toBe(false);
  });
});

describe('watchSessionHealth on a session log', () => {
  function connect(log: TraceLog): void {
    const phase = log.beginPhase('connect');
    phase.ok('connected');
  }
  function exchange(
    log: TraceLog,
    id: string,
    method: string,
    headers: Array<[string, string]>,
    status: number | undefined,
    end: { error?: string; body?: string; aborted?: boolean } = {},
  ): void {
    log.append({
      kind: 'http.request',
      exchangeId: id,
      purpose: method === 'GET' ? 'mcp-stream' : 'mcp',
      method,
      url: 'http://127.0.0.1:1/mcp',
      headers,
    });
    if (status !== undefined) log.append({ kind: 'http.response', exchangeId: id, status, statusText: '', headers: [], ttfbMs: 1 });
    log.append({
      kind: 'http.end',
      exchangeId: id,
      bytes: 0,
      durationMs: 1,
      ...(end.error ? { error: { code: 'connection_refused', message: end.error } } : {}),
      ...(end.body ? { body: { text: end.body, encoding: 'utf8' as const, size: end.body.length, truncated: false } } : {}),
      ...(end.aborted ? { aborted: true } : {}),
    });
  }
  const SESSION: Array<[string, string]> = [['mcp-session-id', 'abc']];

  it('follows a server that dies, comes back without the session, and a reconnect; each change is a finding', () => {
    const log = new TraceLog({ sessionId: 't', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: Date.now(), transport: 'auto' });
    const changes: string[] = [];
    const watch = watchSessionHealth(log, { onChange: (health) => changes.push(health.status) });
    // The handshake's own failures are the connect's business.
    exchange(log, 'h1', 'POST', [], undefined, { error: 'refused' });
    expect(watch.current().status).toBe('ok');
    connect(log);
    exchange(log, 'e1', 'POST', SESSION, 200);
    exchange(log, 'e2', 'GET', SESSION, 200, { error: 'socket hang up' });
    expect(watch.current()).toMatchObject({ status: 'degraded', code: 'stream_lost' });
    exchange(log, 'e3', 'POST', SESSION, undefined, { error: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(watch.current()).toMatchObject({ status: 'degraded', code: 'requests_failing' });
    exchange(log, 'e4', 'POST', SESSION, 400, { body: 'Bad Request: No valid session ID provided' });
    expect(watch.current().status).toBe('session_lost');
    // A call mcpscope cancelled says nothing about the server.
    exchange(log, 'e5', 'POST', SESSION, undefined, { error: 'aborted', aborted: true });
    connect(log);
    expect(watch.current().status).toBe('ok');
    expect(changes).toEqual(['degraded', 'degraded', 'session_lost', 'ok']);
    const findings = log
      .events()
      .filter((event) => event.kind === 'finding')
      .map((event) => (event.kind === 'finding' ? event.code : ''));
    expect(findings).toEqual(['connection_degraded', 'connection_degraded', 'server_session_gone']);
    watch.stop();
  });

  it('a server without a standing stream (GET 405) is not degraded, and an aborted stream is ours', () => {
    const log = new TraceLog({ sessionId: 't', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: Date.now(), transport: 'auto' });
    const watch = watchSessionHealth(log, { onChange: () => undefined });
    connect(log);
    exchange(log, 'g1', 'GET', SESSION, 405);
    exchange(log, 'g2', 'GET', SESSION, 200, { error: 'aborted', aborted: true });
    expect(watch.current().status).toBe('ok');
    watch.stop();
  });
});
