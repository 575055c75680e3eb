// The guarded fetch end to end, against servers on 127.0.0.1 only. Names are resolved by a fake resolver, so
// "hosted mode refuses loopback" is tested without any traffic leaving this machine.
import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createGuardedFetch, GuardError, parseAllowList, type GuardFinding, type ResolvedAddress, type TargetPolicy } from '@/lib/security';
import { httpServersClosedAfterEach } from '../fixtures/http-servers';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const servers = httpServersClosedAfterEach();

async function serve(
  handler: Handler,
): Promise<{ origin: string; port: number; requests: Array<{ path: string; headers: http.IncomingHttpHeaders }> }> {
  const requests: Array<{ path: string; headers: http.IncomingHttpHeaders }> = [];
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '/', headers: req.headers });
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, port, requests };
}

/** A server that answers every request 200 with the JSON text `body`. */
function serveJson(body: string): ReturnType<typeof serve> {
  return serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
}

function guard(
  options: {
    mode?: 'local' | 'hosted';
    allow?: string;
    maxMessageBytes?: number;
    maxCompressionRatio?: number;
    resolve?: (host: string) => Promise<ResolvedAddress[]>;
  } = {},
) {
  const findings: GuardFinding[] = [];
  const policy: TargetPolicy = { mode: options.mode ?? 'local', allow: parseAllowList(options.allow).allow, selfOrigins: [] };
  const fetch = createGuardedFetch({
    policy,
    limits: {
      maxMessageBytes: options.maxMessageBytes ?? 64 * 1024,
      maxRedirects: 3,
      ...(options.maxCompressionRatio !== undefined ? { maxCompressionRatio: options.maxCompressionRatio } : {}),
    },
    resolve: options.resolve ?? (async () => [{ address: '127.0.0.1', family: 4 }]),
    report: (finding) => findings.push(finding),
  });
  return { fetch, findings };
}

function guardCause(error: unknown): GuardError | undefined {
  let current: unknown = error;
  for (let i = 0; i < 5 && current; i++) {
    if (current instanceof GuardError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

describe('size caps (every mode)', () => {
  it('passes a normal response through untouched', async () => {
    const server = await serveJson('{"ok":true}');
    const { fetch, findings } = guard();
    const response = await fetch(`${server.origin}/mcp`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(findings).toEqual([]);
  });

  it('stops reading a body past the limit, says so, and cancels the download', async () => {
    let written = 0;
    let closed = false;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 'a');
      const timer = setInterval(() => {
        if (written >= 64 * 1024 * 1024 || res.destroyed) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(chunk);
        written += chunk.length;
      }, 1);
      res.on('close', () => {
        closed = true;
        clearInterval(timer);
      });
    });
    const { fetch, findings } = guard({ maxMessageBytes: 256 * 1024 });
    const response = await fetch(`${server.origin}/big`);
    const error = await response.text().catch((e: unknown) => e);
    expect(guardCause(error)?.code).toBe('ERESPONSETOOLARGE');
    expect(findings).toEqual([expect.objectContaining({ code: 'message_too_large', severity: 'error' })]);
    expect(findings[0]!.message).toContain('MCPSCOPE_MAX_MESSAGE_BYTES');
    await expect.poll(() => closed, { timeout: 3000 }).toBe(true);
    // Far less than the 64 MB the server would have sent.
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });

  it('limits each SSE event, not the stream', async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (req.url === '/many') {
        for (let i = 0; i < 100; i++) res.write(`data: ${'x'.repeat(1000)}\n\n`);
        res.end();
      } else {
        res.end(`data: ${'x'.repeat(200_000)}\n\n`);
      }
    });
    const { fetch, findings } = guard({ maxMessageBytes: 64 * 1024 });
    expect((await (await fetch(`${server.origin}/many`)).text()).length).toBeGreaterThan(100_000);
    expect(findings).toEqual([]);
    const error = await (await fetch(`${server.origin}/one-huge`)).text().catch((e: unknown) => e);
    expect(guardCause(error)?.code).toBe('ERESPONSETOOLARGE');
    expect(findings.map((f) => f.code)).toEqual(['message_too_large']);
    expect(findings[0]!.message).toContain('single SSE event');
  });

  it('hands an event stream on whole events only: none of an event past the cap reaches the reader', async () => {
    // Two small events, then one past the cap, written in small pieces (as a socket delivers them).
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const text = `data: one\r\n\r\n: note\ndata: two\n\ndata: ${'x'.repeat(200_000)}\n\n`;
      let at = 0;
      const timer = setInterval(() => {
        if (res.destroyed || at >= text.length) {
          clearInterval(timer);
          if (!res.destroyed) res.end();
          return;
        }
        res.write(text.slice(at, at + 7_000));
        at += 7_000;
      }, 1);
      res.on('close', () => clearInterval(timer));
    });
    const { fetch, findings } = guard({ maxMessageBytes: 64 * 1024 });
    const reader = (await fetch(`${server.origin}/stream`)).body!.getReader();
    const received: string[] = [];
    const decoder = new TextDecoder();
    let failure: unknown;
    for (;;) {
      const next = await reader.read().catch((error: unknown) => ((failure = error), undefined));
      if (!next || next.done) break;
      received.push(decoder.decode(next.value, { stream: true }));
    }
    expect(guardCause(failure)?.code).toBe('ERESPONSETOOLARGE');
    expect(findings.map((f) => f.code)).toEqual(['message_too_large']);
    // The two events came, and none of the oversized event's first bytes did.
    expect(received.join('')).toBe('data: one\r\n\r\n: note\ndata: two\n\n');
    expect(received.join('')).not.toContain('xxxx');
  });

  it('still hands on the last event of a stream that ends without its blank line', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: whole\n\ndata: cut');
    });
    const { fetch, findings } = guard({ maxMessageBytes: 64 * 1024 });
    expect(await (await fetch(`${server.origin}/cut`)).text()).toBe('data: whole\n\ndata: cut');
    expect(findings).toEqual([]);
  });

  it('measures after decompression: a gzip bomb is stopped and named', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(32 * 1024 * 1024));
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    });
    const { fetch, findings } = guard({ maxMessageBytes: 1024 * 1024 });
    const error = await (await fetch(`${server.origin}/bomb`)).arrayBuffer().catch((e: unknown) => e);
    expect(guardCause(error)?.code).toBe('ERESPONSETOOLARGE');
    expect(findings.map((f) => f.code)).toEqual(['decompression_bomb']);
    expect(findings[0]!.message).toContain('gzip');
  });

  /** Reads `response`'s body to its end or its error: the bytes that got through, and the error. */
  async function drain(response: Response): Promise<{ bytes: number; error: unknown }> {
    const reader = response.body!.getReader();
    let bytes = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return { bytes, error: undefined };
        bytes += value.byteLength;
      }
    } catch (error) {
      return { bytes, error };
    }
  }

  it('stops a gzip bomb by its compression ratio soon after its first MB, long before the message cap', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    });
    const { fetch, findings } = guard({ maxMessageBytes: 32 * 1024 * 1024 });
    const { bytes, error } = await drain(await fetch(`${server.origin}/bomb`));
    expect(guardCause(error)?.code).toBe('ERESPONSETOOLARGE');
    // Past the first MB, at the first chunk that shows the ratio: one decoder chunk at most.
    expect(bytes).toBeGreaterThan(1024 * 1024 - 64 * 1024);
    expect(bytes).toBeLessThan(1024 * 1024 + 64 * 1024);
    expect(findings.map((f) => f.code)).toEqual(['decompression_bomb']);
    expect(findings[0]!.message).toMatch(/gzip response that expands \d+ times its compressed size/);
    expect(findings[0]!.message).toContain('MCPSCOPE_MAX_COMPRESSION_RATIO');
  });

  it('judges a brotli body by the bytes its decoder took in, and passes a compressible real answer whole', async () => {
    // Real-looking JSON (~3 MB) that compresses well, but nowhere near a bomb's ratio.
    const rows = Array.from({ length: 30_000 }, (_, i) => ({
      id: i,
      name: `item-${i}`,
      tags: ['a', 'b', String(i % 97)],
      score: (i * 7919) % 1000,
    }));
    const text = JSON.stringify({ rows });
    const quick = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } };
    const compressed = zlib.brotliCompressSync(Buffer.from(text), quick);
    expect(text.length / compressed.length).toBeLessThan(100);
    const bomb = zlib.brotliCompressSync(Buffer.alloc(16 * 1024 * 1024), quick);
    const server = await serve((req, res) => {
      const body = req.url === '/bomb' ? bomb : compressed;
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br', 'content-length': String(body.length) });
      res.end(body);
    });
    const { fetch, findings } = guard({ maxMessageBytes: 32 * 1024 * 1024 });
    expect(await (await fetch(`${server.origin}/rows`)).text()).toBe(text);
    expect(findings).toEqual([]);
    const { bytes, error } = await drain(await fetch(`${server.origin}/bomb`));
    expect(guardCause(error)?.code).toBe('ERESPONSETOOLARGE');
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
    expect(findings.map((f) => f.code)).toEqual(['decompression_bomb']);
    expect(findings[0]!.message).toContain('br response');
  });

  it('reads a highly compressible body whole when the ratio check is off (0), up to the message cap', async () => {
    const zeros = zlib.gzipSync(Buffer.alloc(3 * 1024 * 1024));
    const server = await serve((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-encoding': 'gzip',
        'content-length': String(zeros.length),
      });
      res.end(zeros);
    });
    const off = guard({ maxMessageBytes: 4 * 1024 * 1024, maxCompressionRatio: 0 });
    expect((await drain(await off.fetch(`${server.origin}/zeros`))).bytes).toBe(3 * 1024 * 1024);
    expect(off.findings).toEqual([]);
    // The same body with the default ratio is a bomb; a higher ratio lets it through.
    const on = guard({ maxMessageBytes: 4 * 1024 * 1024 });
    expect(guardCause((await drain(await on.fetch(`${server.origin}/zeros`))).error)?.code).toBe('ERESPONSETOOLARGE');
    const lenient = guard({ maxMessageBytes: 4 * 1024 * 1024, maxCompressionRatio: 5_000 });
    expect((await drain(await lenient.fetch(`${server.origin}/zeros`))).bytes).toBe(3 * 1024 * 1024);
  });

  it('reports text that is not UTF-8 once, and delivers it anyway', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('b"}')]));
    });
    const { fetch, findings } = guard();
    expect(await (await fetch(`${server.origin}/latin1`)).json()).toEqual({ name: 'a\uFFFD\uFFFDb' });
    expect(findings.map((f) => f.code)).toEqual(['invalid_utf8']);
  });

  it('reads UTF-8 split inside its characters across chunks as valid, and a body ending inside one as not', async () => {
    const text = Buffer.from('{"name":"é€😀"}');
    const server = await serve(async (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const body = req.url === '/cut' ? text.subarray(0, text.length - 4) : text;
      for (let i = 0; i < body.length; i++) {
        res.write(body.subarray(i, i + 1));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      res.end();
    });
    const valid = guard();
    expect(await (await valid.fetch(`${server.origin}/split`)).json()).toEqual({ name: 'é€😀' });
    expect(valid.findings).toEqual([]);
    const cut = guard();
    await (await cut.fetch(`${server.origin}/cut`)).text();
    expect(cut.findings.map((f) => f.code)).toEqual(['invalid_utf8']);
  });

  it('names response headers too large to read', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-padding': 'a'.repeat(64 * 1024) });
      res.end('{}');
    });
    const { fetch, findings } = guard();
    const error = await fetch(`${server.origin}/headers`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(guardCause(error)?.code).toBe('EHEADERSTOOLARGE');
    expect(findings.map((f) => f.code)).toEqual(['headers_too_large']);
  });
});

describe('abort signals', () => {
  it('leaves no listener on a long-lived signal once each response is done (undici would keep one per request until GC)', async () => {
    const server = await serveJson('{"ok":true}');
    const { fetch } = guard();
    const transport = new AbortController();
    for (let i = 0; i < 50; i++)
      expect(await (await fetch(`${server.origin}/mcp`, { signal: transport.signal })).json()).toEqual({ ok: true });
    const head = await fetch(`${server.origin}/mcp`, { method: 'HEAD', signal: transport.signal });
    expect(head.status).toBe(200); // a response without a body releases at once
    expect(getEventListeners(transport.signal, 'abort')).toHaveLength(0);
  });

  it('still aborts a request in flight when the long-lived signal fires', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
    });
    const { fetch } = guard();
    const transport = new AbortController();
    const response = await fetch(`${server.origin}/mcp`, { signal: transport.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('first');
    expect(getEventListeners(transport.signal, 'abort')).toHaveLength(1);
    transport.abort(new Error('closing the transport'));
    await expect(reader.read()).rejects.toThrow();
    expect(getEventListeners(transport.signal, 'abort')).toHaveLength(0);
  });
});

describe('inside Next.js', () => {
  it("never goes through globalThis.fetch (Next's caching and tracing wrapper in the app)", async () => {
    const server = await serveJson('{"ok":true}');
    const original = globalThis.fetch;
    let wrapperCalls = 0;
    const nextWrapper = Object.assign(
      async () => {
        wrapperCalls++;
        throw new Error('the wrapper must not be used');
      },
      { _nextOriginalFetch: original },
    );
    globalThis.fetch = nextWrapper as unknown as typeof fetch;
    try {
      const { fetch } = guard();
      expect(await (await fetch(`${server.origin}/mcp`)).json()).toEqual({ ok: true });
      expect(wrapperCalls).toBe(0);
    } finally {
      globalThis.fetch = original;
    }
  });
});

describe('redirects', () => {
  it('follows a same-origin redirect itself (bounded), keeping the method rules of fetch', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/old') {
        res.writeHead(303, { location: '/new' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url }));
    });
    const { fetch } = guard();
    const response = await fetch(`${server.origin}/old`, { method: 'POST', body: '{}' });
    expect(await response.json()).toEqual({ method: 'GET', url: '/new' });
    expect(response.redirected).toBe(true);
  });

  it('leaves redirects to the caller when asked (redirect: manual)', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(307, { location: '/elsewhere' });
      res.end();
    });
    const { fetch } = guard();
    const response = await fetch(`${server.origin}/x`, { redirect: 'manual' });
    expect(response.status).toBe(307);
    expect(server.requests).toHaveLength(1);
  });

  it('stops a redirect loop and names it', async () => {
    const server = await serve((req, res) => {
      res.writeHead(302, { location: req.url === '/a' ? '/b' : '/a' });
      res.end();
    });
    const { fetch, findings } = guard();
    const error = await fetch(`${server.origin}/a`).catch((e: unknown) => e);
    expect(guardCause(error)?.code).toBe('EREDIRECTLOOP');
    expect(findings.map((f) => f.code)).toEqual(['redirect_loop']);
    expect(server.requests.map((r) => r.path)).toEqual(['/a', '/b']);
  });

  it('drops credentials on a cross-origin hop', async () => {
    const target = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ authorization: req.headers.authorization ?? null }));
    });
    const source = await serve((_req, res) => {
      res.writeHead(302, { location: `http://localhost:${target.port}/landing` });
      res.end();
    });
    const { fetch } = guard();
    const response = await fetch(`${source.origin}/start`, { headers: { authorization: 'Bearer secret-token-xyz' } });
    expect(await response.json()).toEqual({ authorization: null });
    expect(source.requests[0]!.headers.authorization).toBe('Bearer secret-token-xyz');
  });
});

describe('hosted mode target policy (only 127.0.0.1 is ever contacted)', () => {
  it('refuses a loopback target before connecting, with target_forbidden naming the rule', async () => {
    const server = await serve((_req, res) => res.end('{}'));
    const { fetch, findings } = guard({ mode: 'hosted' });
    const error = await fetch(`${server.origin}/mcp`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(guardCause(error)?.code).toBe('ETARGETFORBIDDEN');
    expect(guardCause(error)?.message).toContain('"loopback"');
    expect(findings.map((f) => f.code)).toEqual(['target_forbidden']);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a name that resolves to loopback', async () => {
    const server = await serve((_req, res) => res.end('{}'));
    const { fetch } = guard({ mode: 'hosted', resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    const error = await fetch(`http://mcp.test:${server.port}/mcp`).catch((e: unknown) => e);
    expect(guardCause(error)?.message).toMatch(/mcp\.test resolves to 127\.0\.0\.1/);
    expect(server.requests).toHaveLength(0);
  });

  it('checks again at connect time: a name that re-resolves to loopback (DNS rebinding) is refused', async () => {
    const server = await serve((_req, res) => res.end('{}'));
    let lookups = 0;
    const resolve = async (): Promise<ResolvedAddress[]> => {
      lookups += 1;
      // First answer (the pre-check) looks public; the connect-time lookup says 127.0.0.1.
      return lookups === 1 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    };
    const { fetch } = guard({ mode: 'hosted', resolve });
    const error = await fetch(`http://rebind.test:${server.port}/mcp`).catch((e: unknown) => e);
    expect(guardCause(error)?.code).toBe('ETARGETFORBIDDEN');
    expect(lookups).toBe(2);
    expect(server.requests).toHaveLength(0);
  });

  it('lets an allow-listed host through, resolved by the guard at connect time', async () => {
    const server = await serveJson('{"reached":true}');
    const asked: string[] = [];
    const resolve = async (host: string): Promise<ResolvedAddress[]> => {
      asked.push(host);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const { fetch } = guard({ mode: 'hosted', allow: 'mcp.test', resolve });
    expect(await (await fetch(`http://mcp.test:${server.port}/mcp`)).json()).toEqual({ reached: true });
    // The connection went where the guard's lookup said: the system resolver never saw "mcp.test".
    expect(asked).toContain('mcp.test');
    expect(server.requests).toHaveLength(1);
  });

  it("reaches mcpscope's own demo server by its URL, though it lives on loopback", async () => {
    const server = await serveJson('{"demo":true}');
    const findings: GuardFinding[] = [];
    const own = `http://localhost:${server.port}`;
    const fetch = createGuardedFetch({
      policy: { mode: 'hosted', allow: parseAllowList('').allow, selfOrigins: [own] },
      limits: { maxMessageBytes: 1024, maxRedirects: 1 },
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      report: (finding) => findings.push(finding),
    });
    expect(await (await fetch(`${own}/demo/mcp`)).json()).toEqual({ demo: true });
    const error = await fetch(`${own}/api/sessions`).catch((e: unknown) => e);
    expect(guardCause(error)?.code).toBe('ETARGETFORBIDDEN');
    expect(server.requests.map((r) => r.path)).toEqual(['/demo/mcp']);
  });

  it('lets an allow-listed range through, and refuses a redirect out of it', async () => {
    const inside = await serve((req, res) => {
      if (req.url === '/hop') {
        res.writeHead(302, { location: `http://127.0.0.2:${(inside as { port: number }).port}/x` });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"reached":true}');
    });
    const { fetch, findings } = guard({ mode: 'hosted', allow: '127.0.0.1/32' });
    expect(await (await fetch(`${inside.origin}/ok`)).json()).toEqual({ reached: true });
    const error = await fetch(`${inside.origin}/hop`).catch((e: unknown) => e);
    expect(guardCause(error)?.code).toBe('ETARGETFORBIDDEN');
    expect(findings.map((f) => f.code)).toEqual(['target_forbidden']);
  });
});
