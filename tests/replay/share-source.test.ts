// A share link as a recording: the page URL is read through the share API, failures say what happened.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRecording, shareApiUrl } from '@/lib/cli/recordings';
import { CliError } from '@/lib/cli/errors';
import { exportOf } from './helpers';

describe('loadRecording from a share link', () => {
  let server: http.Server;
  let origin: string;
  const asked: string[] = [];
  beforeAll(async () => {
    const document = { ...exportOf([{ method: 'tools/list', result: { tools: [] } }]), share: { id: 'abc' } };
    server = http.createServer((req, res) => {
      asked.push(req.url ?? '');
      if (req.url === '/api/shares/abc') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
      else
        res
          .writeHead(410, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: 'share_expired', message: 'This link has expired.' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads the page link through the API', async () => {
    const recording = await loadRecording(`${origin}/share/abc`);
    expect(recording.requests.map((r) => r.method)).toEqual(['tools/list']);
    expect(asked).toContain('/api/shares/abc');
  });

  it('an expired link is a connection failure quoting the server', async () => {
    const error = await loadRecording(`${origin}/share/old`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).code).toBe('share_unavailable');
    expect((error as CliError).message).toContain('HTTP 410: This link has expired.');
  });

  it('only share paths are links; files are files', () => {
    expect(shareApiUrl('https://x.example/share/abc')?.href).toBe('https://x.example/api/shares/abc');
    expect(shareApiUrl('recording.json')).toBeUndefined();
    expect(() => shareApiUrl('https://x.example/inspect/abc')).toThrow(/not a share link/);
  });
});
