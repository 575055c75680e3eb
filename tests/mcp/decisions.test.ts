// The engine's decisions as pure functions: era fallback, era naming, URL checks, error wording.
import { describe, expect, it } from 'vitest';
import {
  classifyNetworkError,
  combineFailures,
  decideEra,
  decideFallback,
  describeBody,
  EngineError,
  explainHttpStatus,
  validateServerUrl,
} from '@/lib/mcp';
import { SecretSet } from '@/lib/trace';

describe('decideFallback', () => {
  it('falls back on any 4xx other than auth walls', () => {
    for (const status of [400, 404, 405, 406, 415]) {
      const decision = decideFallback(status, 'text/plain', 'Not Found');
      expect(decision.fallback, String(status)).toBe(true);
      expect(decision.reason).toContain(`HTTP ${status}`);
    }
  });

  it('does not fall back on 401 or 403: those are answers, not era signals', () => {
    expect(decideFallback(401, 'application/json', '{}')).toMatchObject({
      fallback: false,
      reason: expect.stringMatching(/authorization/),
    });
    expect(decideFallback(403, 'text/html', '<html>')).toMatchObject({ fallback: false, reason: expect.stringMatching(/refused/) });
  });

  it('does not fall back on a server error', () => {
    expect(decideFallback(500, 'text/html', '<html><title>Oops</title></html>')).toMatchObject({ fallback: false });
    expect(decideFallback(503, undefined, undefined).reason).toContain('HTTP 503');
  });

  it('falls back on an HTML page even with 200, naming its title', () => {
    const decision = decideFallback(200, 'text/html; charset=utf-8', '<!DOCTYPE html><html><head><title>My Blog</title></head></html>');
    expect(decision.fallback).toBe(true);
    expect(decision.reason).toContain('"My Blog"');
  });

  it('recognises HTML by its content when the type is missing', () => {
    expect(decideFallback(200, undefined, '  <!doctype html><p>hi</p>').fallback).toBe(true);
  });

  it('falls back on a 2xx body that is neither JSON nor an event stream', () => {
    const decision = decideFallback(200, 'text/plain', 'hello there');
    expect(decision.fallback).toBe(true);
    expect(decision.reason).toContain('text/plain');
  });

  it('stays on Streamable HTTP when the answer is MCP content', () => {
    expect(decideFallback(200, 'application/json', '{"jsonrpc":"2.0"}').fallback).toBe(false);
    expect(decideFallback(200, 'text/event-stream', '').fallback).toBe(false);
  });
});

describe('decideEra', () => {
  it('names the era from the transport and the SDK verdict', () => {
    expect(decideEra({ transport: 'sse', sdkEra: 'legacy' })).toBe('legacy-sse');
    expect(decideEra({ transport: 'streamable-http', sdkEra: 'modern' })).toBe('stateless-2026');
    expect(decideEra({ transport: 'streamable-http', sdkEra: 'legacy' })).toBe('stateful-2025');
    expect(decideEra({ transport: 'streamable-http', sdkEra: undefined })).toBe('stateful-2025');
  });
});

describe('validateServerUrl', () => {
  it('accepts http and https URLs and drops the fragment', () => {
    expect(validateServerUrl(' https://example.com/mcp#x ').href).toBe('https://example.com/mcp');
    expect(validateServerUrl('http://127.0.0.1:8080/sse').port).toBe('8080');
  });

  it.each([
    ['', /empty/],
    ['not a url', /not a URL/],
    ['ftp://example.com/mcp', /Only http and https/],
    ['localhost:3000/mcp', /Did you mean http:\/\/localhost:3000\/mcp/],
    ['example.com/mcp', /Did you mean http:\/\/example.com\/mcp/],
    ['https://user:pass@example.com/mcp', /credentials/],
  ])('rejects %j', (input, message) => {
    let caught: unknown;
    try {
      validateServerUrl(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EngineError);
    expect((caught as EngineError).code).toBe('invalid_url');
    expect((caught as EngineError).message).toMatch(message);
  });

  it('rejects values that are not strings', () => {
    expect(() => validateServerUrl(42)).toThrow(/empty/);
  });
});

describe('classifyNetworkError', () => {
  const fetchFailed = (code: string) =>
    Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(`connect ${code}`), { code }) });

  it.each([
    ['ECONNREFUSED', 'connection_refused'],
    ['ENOTFOUND', 'host_not_found'],
    ['EAI_AGAIN', 'host_not_found'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['CERT_HAS_EXPIRED', 'tls_error'],
    ['ECONNRESET', 'network_error'],
    ['EWHATEVER', 'network_error'],
  ])('maps %s to %s', (code, expected) => {
    expect(classifyNetworkError(fetchFailed(code), 'http://example.com:9/mcp').code).toBe(expected);
  });

  it('finds the reason inside an AggregateError (IPv4 and IPv6 both refused)', () => {
    const aggregate = new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })], 'all failed');
    const error = Object.assign(new TypeError('fetch failed'), { cause: aggregate });
    expect(classifyNetworkError(error, 'http://localhost:1/mcp').code).toBe('connection_refused');
  });

  it('names the per-message cap and how to raise it when the guard stopped reading (a JSON body past the cap)', () => {
    const guard = Object.assign(
      new Error('The server sent a response body larger than 8 MB (MCPSCOPE_MAX_MESSAGE_BYTES); mcpscope stopped reading it after 8.1 MB.'),
      { code: 'ERESPONSETOOLARGE', name: 'GuardError' },
    );
    const error = classifyNetworkError(Object.assign(new TypeError('fetch failed'), { cause: guard }), 'http://127.0.0.1:9/mcp');
    expect(error.code).toBe('message_too_large');
    expect(error.message).toMatch(
      /^The server sent a response body larger than 8 MB \(MCPSCOPE_MAX_MESSAGE_BYTES\).* raise the cap: set MCPSCOPE_MAX_MESSAGE_BYTES/,
    );
  });

  it('names the host in the message', () => {
    expect(classifyNetworkError(fetchFailed('ECONNREFUSED'), 'http://127.0.0.1:4321/mcp').message).toContain('127.0.0.1:4321');
  });

  it('treats an abort as aborted, not as a failure of the server', () => {
    expect(classifyNetworkError(new DOMException('The operation was aborted', 'AbortError')).code).toBe('aborted');
  });
});

describe('explainHttpStatus', () => {
  const base = {
    method: 'POST',
    url: 'http://example.com/mcp',
    statusText: '',
    contentType: undefined,
    bodySnippet: undefined,
    wwwAuthenticate: undefined,
  };

  it('asks for authorization on 401 and masks known secrets in the challenge', () => {
    const secrets = new SecretSet(['supersecret-token']);
    const error = explainHttpStatus(
      { ...base, status: 401, wwwAuthenticate: 'Bearer error="invalid_token", token="supersecret-token"' },
      secrets,
    );
    expect(error.code).toBe('auth_required');
    expect(error.message).toContain('add a bearer token or header, or use OAuth');
    expect(error.message).toContain('invalid_token');
    expect(error.message).not.toContain('supersecret-token');
  });

  it('says forbidden on 403', () => {
    expect(explainHttpStatus({ ...base, status: 403 }, new SecretSet()).code).toBe('forbidden');
  });

  it('calls a 200 HTML page not MCP and suggests the usual paths', () => {
    const error = explainHttpStatus(
      { ...base, status: 200, contentType: 'text/html', bodySnippet: '<title>Docs</title>' },
      new SecretSet(),
    );
    expect(error.code).toBe('not_mcp');
    expect(error.message).toMatch(/"Docs".*\/mcp or \/sse/);
  });

  it('names other statuses with the body', () => {
    const error = explainHttpStatus(
      { ...base, status: 502, statusText: 'Bad Gateway', contentType: 'text/plain', bodySnippet: 'upstream down\nmore' },
      new SecretSet(),
    );
    expect(error.code).toBe('http_error');
    expect(error.status).toBe(502);
    expect(error.message).toContain('HTTP 502 Bad Gateway');
    expect(error.message).toContain('"upstream down"');
  });
});

describe('explainHttpStatus: quoting servers safely', () => {
  const base = { method: 'POST', url: 'http://example.com/mcp', statusText: '', wwwAuthenticate: undefined };

  it('masks a credential the server echoes back in its error page', () => {
    const secrets = new SecretSet(['sk-live-abcdef123456']);
    const error = explainHttpStatus(
      { ...base, status: 500, contentType: 'text/plain', bodySnippet: 'bad key sk-live-abcdef123456' },
      secrets,
    );
    expect(error.message).not.toContain('sk-live-abcdef123456');
    expect(error.message).toContain('3456');
  });

  it('recognises an expired 2025 session', () => {
    const error = explainHttpStatus(
      {
        ...base,
        status: 404,
        contentType: 'application/json',
        bodySnippet: '{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}',
      },
      new SecretSet(),
    );
    expect(error.message).toMatch(/no longer knows this session.*Reconnect/);
  });
});

describe('describeBody', () => {
  it('describes empty, HTML and text bodies', () => {
    expect(describeBody(undefined, undefined)).toBe('an empty body');
    expect(describeBody('text/html', '<html><head><title> Hi </title>')).toBe('an HTML page titled "Hi"');
    expect(describeBody('application/xml; charset=utf-8', '<x/>')).toBe('a application/xml body starting "<x/>"');
  });
});

describe('combineFailures', () => {
  it('says not MCP when either transport found a web page', () => {
    const combined = combineFailures(
      { error: new EngineError('not_mcp', 'html'), reason: 'the POST was answered with an HTML page' },
      new EngineError('http_error', 'The server answered GET / with HTTP 404', { status: 404 }),
    );
    expect(combined.code).toBe('not_mcp');
    expect(combined.message).toMatch(/Streamable HTTP: the POST .*Legacy SSE: The server answered GET/);
  });

  it('points at the path when both transports got HTTP errors', () => {
    const combined = combineFailures(
      { error: new EngineError('http_error', 'x', { status: 404 }), reason: 'HTTP 404' },
      new EngineError('http_error', 'HTTP 405', { status: 405 }),
    );
    expect(combined).toMatchObject({ code: 'http_error', status: 405 });
    expect(combined.message).toContain('check the path');
  });

  it('keeps the legacy error code otherwise (e.g. the SSE stream wants auth)', () => {
    const combined = combineFailures(
      { error: new EngineError('http_error', 'x'), reason: 'HTTP 404' },
      new EngineError('auth_required', 'The server wants authorization.'),
    );
    expect(combined.code).toBe('auth_required');
    expect(combined.message).toContain('Streamable HTTP was tried first: HTTP 404');
  });
});
