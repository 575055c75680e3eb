// The wire findings as decisions over log events (no network): what is flagged, and what must not be.
import { describe, expect, it } from 'vitest';
import { challengeProblem, watchWireFindings } from '@/lib/mcp';
import { TraceLog, type NewTraceEvent, type TraceError } from '@/lib/trace';

function newLog() {
  const log = new TraceLog({ sessionId: 's', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: 0, transport: 'auto' });
  const lost: TraceError[] = [];
  watchWireFindings(log, { onServerSessionLost: (error) => lost.push(error), floodPerSecond: 5 });
  const codes = () => log.events().flatMap((e) => (e.kind === 'finding' ? [e.code] : []));
  let n = 0;
  const exchange = (
    method: string,
    url: string,
    response?: { status: number; headers?: Array<[string, string]> },
    requestHeaders: Array<[string, string]> = [],
    purpose: 'mcp' | 'mcp-stream' | 'oauth' = 'mcp',
  ) => {
    const exchangeId = `ex${++n}`;
    log.append({ kind: 'http.request', exchangeId, purpose, method, url, headers: requestHeaders } as NewTraceEvent);
    if (response)
      log.append({
        kind: 'http.response',
        exchangeId,
        status: response.status,
        statusText: '',
        headers: response.headers ?? [],
        ttfbMs: 1,
      } as NewTraceEvent);
    return exchangeId;
  };
  const end = (exchangeId: string, extra: Record<string, unknown> = {}) =>
    log.append({ kind: 'http.end', exchangeId, bytes: 10, durationMs: 5, ...extra } as NewTraceEvent);
  const rpc = (
    direction: 'in' | 'out',
    type: 'request' | 'result' | 'error' | 'notification',
    id?: number | string,
    message: Record<string, unknown> = {},
  ) =>
    log.append({
      kind: 'rpc',
      direction,
      type,
      ...(id !== undefined ? { id } : {}),
      size: 1,
      message: { jsonrpc: '2.0', ...message },
    } as NewTraceEvent);
  return { log, codes, exchange, end, rpc, lost };
}

describe('challengeProblem (WWW-Authenticate grammar)', () => {
  it.each([
    'Bearer',
    'Bearer realm="mcp"',
    'Bearer resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource", scope="read write"',
    'Bearer error="invalid_token", error_description="The token expired"',
    'Basic realm="x", Bearer realm="y"',
    'Negotiate abc123==',
    'Bearer realm="quoted \\"escape\\" inside"',
  ])('accepts %s', (value) => {
    expect(challengeProblem(value)).toBeUndefined();
  });

  it.each([
    ['Bearer realm="mcp, resource_metadata=', 'never closed'],
    ['realm="mcp"', 'before any auth scheme'],
    ['Bearer realm="x", scope=', 'has no value'],
    ['Bearer realm="a" junk', 'unexpected'],
    ['Bearer resource_metadata="/relative/path"', 'not an absolute URL'],
    ['Bearer resource_metadata="ftp://x.example/m"', 'not an http(s) URL'],
    ['', 'no auth scheme'],
    ['{"error":"unauthorized"}', 'unexpected character'],
  ])('refuses %s (%s)', (value, problem) => {
    expect(challengeProblem(value)).toContain(problem);
  });
});

describe('watchWireFindings', () => {
  it('pairs responses with requests: unknown ids and duplicates are named, reused ids after a reconnect are not', () => {
    const { codes, rpc } = newLog();
    rpc('out', 'request', 0, { method: 'initialize' });
    rpc('in', 'result', 0, { result: {} });
    expect(codes()).toEqual([]);
    rpc('in', 'result', 0, { result: {} });
    expect(codes()).toEqual(['duplicate_response_id']);
    rpc('in', 'result', 99, { result: {} });
    expect(codes()).toEqual(['duplicate_response_id', 'unknown_response_id']);
    // A new connection on the same log starts its ids again at 0: that is a new request, not a duplicate.
    rpc('out', 'request', 0, { method: 'initialize' });
    rpc('in', 'result', 0, { result: {} });
    // "1" and 1 are different ids.
    rpc('out', 'request', 1, { method: 'ping' });
    rpc('in', 'result', '1', { result: {} });
    expect(codes()).toEqual(['duplicate_response_id', 'unknown_response_id', 'unknown_response_id']);
  });

  it('names a message with both result and error, once', () => {
    const { codes, rpc } = newLog();
    rpc('out', 'request', 3, { method: 'x' });
    rpc('in', 'error', 3, { result: {}, error: { code: 1, message: 'm' } });
    expect(codes()).toEqual(['result_and_error']);
  });

  it('names each page of a -32042 error that is not an https/http page (never offered as a link)', () => {
    const { log, codes, rpc } = newLog();
    rpc('out', 'request', 4, { method: 'tools/call' });
    rpc('in', 'error', 4, {
      error: {
        code: -32042,
        message: 'This request requires more information.',
        data: {
          elicitations: [
            { mode: 'url', elicitationId: 'ok', url: 'https://auth.example/connect', message: 'fine' },
            { mode: 'url', elicitationId: 'js', url: 'javascript:fetch("/api/tokens")', message: 'hostile' },
            { mode: 'url', elicitationId: 'rel', url: '//evil.example/x', message: 'hostile' },
          ],
        },
      },
    });
    expect(codes()).toEqual(['unsafe_url', 'unsafe_url']);
    const messages = log.events().flatMap((e) => (e.kind === 'finding' ? [e.message] : []));
    expect(messages[0]).toContain('elicitations[1].url');
    expect(messages[0]).toContain('javascript:');
    expect(messages[1]).toContain('not an absolute URL');
    // Any other error code, or a -32042 with only https pages, says nothing.
    rpc('out', 'request', 5, { method: 'tools/call' });
    rpc('in', 'error', 5, { error: { code: -32602, message: 'javascript:alert(1)', data: { elicitations: [{ url: 'javascript:x' }] } } });
    expect(codes()).toHaveLength(2);
  });

  it('notices a notification flood once', () => {
    const { codes, rpc } = newLog();
    for (let i = 0; i < 20; i++) rpc('in', 'notification', undefined, { method: 'notifications/message' });
    expect(codes()).toEqual(['notification_flood']);
  });

  it('judges content types: HTML 5xx and wrong JSON labels are named, an accepted 202 and a legacy 404 page are not', () => {
    const { codes, exchange } = newLog();
    exchange('POST', 'http://h/mcp', { status: 202, headers: [['content-type', 'text/plain']] });
    exchange('POST', 'http://h/sse', { status: 404, headers: [['content-type', 'text/html']] });
    expect(codes()).toEqual([]);
    exchange('POST', 'http://h/mcp', { status: 502, headers: [['content-type', 'text/html; charset=utf-8']] });
    exchange('POST', 'http://h/mcp', { status: 200, headers: [['content-type', 'text/plain']] });
    exchange('POST', 'http://h/mcp', { status: 200, headers: [['content-type', 'text/html']] });
    exchange('POST', 'http://h/mcp', { status: 500, headers: [['content-type', 'application/json']] });
    expect(codes()).toEqual(['html_error_page', 'unexpected_content_type', 'html_instead_of_mcp', 'server_error_status']);
  });

  it('checks 401 challenges', () => {
    const { codes, exchange } = newLog();
    exchange('POST', 'http://h/mcp', { status: 401, headers: [['www-authenticate', 'Bearer realm="ok"']] });
    expect(codes()).toEqual([]);
    exchange('POST', 'http://h/mcp', { status: 401 });
    exchange('POST', 'http://h/mcp', { status: 401, headers: [['www-authenticate', 'Bearer realm="open']] });
    expect(codes()).toEqual(['missing_www_authenticate', 'malformed_www_authenticate']);
  });

  it('follows redirects: a loop and a cross-origin hop are named', () => {
    const { codes, exchange } = newLog();
    exchange('POST', 'http://h/a', { status: 307, headers: [['location', '/b']] });
    expect(codes()).toEqual([]);
    exchange('POST', 'http://h/b', { status: 307, headers: [['location', 'http://h/a']] });
    expect(codes()).toEqual(['redirect_loop']);
    exchange('POST', 'http://h/c', { status: 302, headers: [['location', 'https://other.example/c']] });
    expect(codes()).toEqual(['redirect_loop', 'redirect_cross_origin']);
  });

  it('says when the server forgot its session (404 with the session id), once, and tells the session', () => {
    const { codes, exchange, lost } = newLog();
    exchange('POST', 'http://h/mcp', { status: 404 });
    expect(codes()).toEqual([]);
    exchange('POST', 'http://h/mcp', { status: 404 }, [['mcp-session-id', 'abc']]);
    exchange('GET', 'http://h/mcp', { status: 404 }, [['mcp-session-id', 'abc']], 'mcp-stream');
    exchange('DELETE', 'http://h/mcp', { status: 404 }, [['mcp-session-id', 'def']]);
    exchange('POST', 'http://h/messages?sessionId=legacy-1', { status: 404 });
    expect(codes()).toEqual(['server_session_lost', 'server_session_lost']);
    expect(lost.map((e) => e.code)).toEqual(['server_session_lost', 'server_session_lost']);
  });

  it('tells a dropped event stream from a resumed one, and a cut-off response from a cancelled one', () => {
    const { codes, exchange, end } = newLog();
    const stream = exchange('GET', 'http://h/mcp', { status: 200, headers: [['content-type', 'text/event-stream']] }, [], 'mcp-stream');
    end(stream, { aborted: true });
    expect(codes()).toEqual([]);
    const dropped = exchange('GET', 'http://h/mcp', { status: 200, headers: [['content-type', 'text/event-stream']] }, [], 'mcp-stream');
    end(dropped, { error: { code: 'stream_error', message: 'socket closed' } });
    exchange(
      'GET',
      'http://h/mcp',
      { status: 200, headers: [['content-type', 'text/event-stream']] },
      [['last-event-id', '7']],
      'mcp-stream',
    );
    const post = exchange('POST', 'http://h/mcp', { status: 200, headers: [['content-type', 'text/event-stream']] });
    end(post, { error: { code: 'stream_error', message: 'socket closed' } });
    expect(codes()).toEqual(['stream_dropped', 'stream_resumed', 'response_cut_off']);
  });

  it('names an HTML page from an OAuth endpoint', () => {
    const { codes, exchange } = newLog();
    exchange('POST', 'http://as/token', { status: 200, headers: [['content-type', 'text/html']] }, [], 'oauth');
    exchange('GET', 'http://as/.well-known/x', { status: 404, headers: [['content-type', 'text/html']] }, [], 'oauth');
    expect(codes()).toEqual(['oauth_html_response']);
  });
});
