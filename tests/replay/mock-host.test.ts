// The mocks the app serves for shares (lib/mock/hosting.ts): per owner, one per share, stopped on demand, none on a
// hosted instance.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_MOCKS_PER_OWNER, MockHost, MockHostError } from '@/lib/mock';
import { recordingFromLog } from '@/lib/replay';
import { logOf, snapshot } from './helpers';

const recording = async () =>
  recordingFromLog(snapshot(logOf([{ method: 'tools/call', params: { name: 'greet', arguments: {} }, result: { content: [] } }])));

describe('MockHost', () => {
  let host: MockHost;
  afterEach(() => host.stopAll());

  it('serves a share on loopback for its owner, once; another owner neither sees nor stops it', async () => {
    host = new MockHost({ hosted: () => false });
    const started = await host.start('s1', 'alice', recording);
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(started.sseUrl).toBe(started.url.replace(/\/mcp$/, '/sse'));
    // Starting again returns the one running.
    expect((await host.start('s1', 'alice', recording)).url).toBe(started.url);
    expect(host.get('s1', 'bob')).toBeUndefined();
    expect(await host.stop('s1', 'bob')).toBe(false);
    await expect(host.start('s1', 'bob', recording)).rejects.toMatchObject({ code: 'mock_not_found', status: 404 });

    const answer = await fetch(started.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'greet', arguments: {} } }),
    });
    expect(((await answer.json()) as { result: unknown }).result).toEqual({ content: [] });
    expect(host.get('s1', 'alice')?.requests).toBe(1);

    expect(await host.stop('s1', 'alice')).toBe(true);
    expect(host.get('s1', 'alice')).toBeUndefined();
    await expect(fetch(started.url, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('a hosted instance refuses, saying what to run instead', async () => {
    host = new MockHost({ hosted: () => true });
    expect(host.unavailable()).toMatch(/mcpscope mock <share-link>/);
    const failure = await host.start('s1', 'alice', recording).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MockHostError);
    expect(failure).toMatchObject({ code: 'mock_unavailable', status: 403 });
  });

  it('limits how many one owner runs', async () => {
    host = new MockHost({ hosted: () => false });
    for (let i = 0; i < MAX_MOCKS_PER_OWNER; i++) await host.start(`s${i}`, 'alice', recording);
    await expect(host.start('one-more', 'alice', recording)).rejects.toMatchObject({ code: 'mock_limit' });
    // Another owner is not held back by alice's.
    await expect(host.start('b1', 'bob', recording)).resolves.toMatchObject({ key: 'b1' });
  });
});
