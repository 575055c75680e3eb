// A real SDK server floods notifications (e2e/fixtures/bench: @modelcontextprotocol/sdk v1, `flood` tool).
// Past the rate the session log folds them: every one is counted, few are kept, a finding says how many
// and of which method, and the other sessions of the process are served meanwhile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
import { SessionRegistry, type Session } from '@/lib/sessions';
import type { FindingEvent, RpcEvent, TraceLog } from '@/lib/trace';
import { startBenchServer, type BenchFixtureServer } from '../../e2e/fixtures/bench';
import { startChaosServer } from '../../e2e/fixtures/chaos';
import { outcomeText } from '../fixtures/helpers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(env: Record<string, string>): Promise<{ instance: SessionRegistry; bench: BenchFixtureServer }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcpscope-flood-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const instance = new SessionRegistry({ config: readConfig({ MCPSCOPE_DATA_DIR: dataDir, ...env }) });
  cleanups.push(() => instance.shutdown());
  const bench = await startBenchServer();
  cleanups.push(() => bench.close());
  return { instance, bench };
}

async function connected(instance: SessionRegistry, url: string): Promise<Session> {
  const outcome = await instance.create('owner-a', { url });
  if (!outcome.ok) throw new Error(`connect failed: ${JSON.stringify(outcome.body)}`);
  return outcome.session;
}

const keptMessages = (log: TraceLog) =>
  log.events().filter((e): e is RpcEvent => e.kind === 'rpc' && e.type === 'notification' && e.method === 'notifications/message');
const foldReports = (log: TraceLog) =>
  log.events().filter((e): e is FindingEvent => e.kind === 'finding' && e.code === 'notifications_folded');
const foldedCount = (log: TraceLog, method: string) =>
  foldReports(log).reduce((sum, f) => sum + (f.folded?.filter((x) => x.method === method).reduce((n, x) => n + x.count, 0) ?? 0), 0);

describe('a notification flood from a real SDK server', () => {
  it('is folded past the rate: every notification counted, few kept, the answer and other sessions unaffected', async () => {
    const { instance, bench } = await setup({ MCPSCOPE_NOTIFICATION_BURST: '300', MCPSCOPE_NOTIFICATION_RATE: '200' });
    const flooded = await connected(instance, bench.url);
    const other = await connected(instance, bench.url);
    const startedAt = performance.now();
    const flood = instance.rpc(flooded, { method: 'tools/call', params: { name: 'flood', arguments: { count: 6_000, seconds: 1.5 } } });
    // Another session's calls are answered while the flood runs.
    const answers: string[] = [];
    for (let i = 0; i < 10; i++)
      answers.push(
        outcomeText(await instance.rpc(other, { method: 'tools/call', params: { name: 'add', arguments: { a: i, b: 1_000 } } })),
      );
    expect(outcomeText(await flood)).toMatch(/^Sent 6000 notifications/);
    const floodSeconds = (performance.now() - startedAt) / 1000;
    expect(answers).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1_000)));
    expect(bench.floodSent()).toBe(6_000);

    // Closing reports what the fold still held.
    await instance.close(flooded);
    const kept = keptMessages(flooded.log).length;
    const folded = foldedCount(flooded.log, 'notifications/message');
    expect(kept + folded).toBe(6_000);
    // The burst, then 200 a second for as long as the flood lasted (its pace varies on a busy machine).
    expect(kept).toBeGreaterThanOrEqual(300);
    expect(kept).toBeLessThanOrEqual(300 + Math.ceil(200 * (floodSeconds + 0.5)));
    expect(folded).toBeGreaterThan(6_000 - 300 - Math.ceil(200 * (floodSeconds + 0.5)));
    // A folded notification leaves no frame behind either: one frame per kept message, plus the answer's.
    const floodExchange = keptMessages(flooded.log)[0]!.exchangeId;
    const frames = flooded.log.events().filter((e) => e.kind === 'sse.frame' && e.exchangeId === floodExchange);
    expect(frames.length).toBe(keptMessages(flooded.log).filter((e) => e.exchangeId === floodExchange).length + 1);
    const [first] = foldReports(flooded.log);
    expect(first).toMatchObject({ severity: 'warning' });
    expect(first!.message).toMatch(/notifications\/message ×\d+ \(first at [\d.]+ s, last at [\d.]+ s\)/);
    expect(first!.folded![0]!.firstT).toBeLessThanOrEqual(first!.folded![0]!.lastT);
    // The answer came through (paired), and the other session folded nothing.
    expect(flooded.log.events().some((e) => e.kind === 'rpc' && e.type === 'result' && e.method === 'tools/call')).toBe(true);
    expect(foldReports(other.log)).toEqual([]);
    // 6,000 notifications through a real server and the whole engine: ~5 s on a quiet machine, ~30 s at load 25.
  }, 90_000);

  it('keeps a flood within the burst whole', async () => {
    const { instance, bench } = await setup({});
    const session = await connected(instance, bench.url);
    expect(
      outcomeText(
        await instance.rpc(session, { method: 'tools/call', params: { name: 'flood', arguments: { count: 2_000, seconds: 0.2 } } }),
      ),
    ).toMatch(/^Sent 2000/);
    await instance.close(session);
    expect(keptMessages(session.log)).toHaveLength(2_000);
    expect(foldReports(session.log)).toEqual([]);
  });

  it('before the handshake answer: the session connects and the log accounts for every notification (kept + folded = sent)', async () => {
    // The chaos server sends 2,000 notifications/message ahead of its initialize result. The SDK is not handed them
    // (nothing acts on them during the handshake); the log still has each one, kept or folded.
    const { instance } = await setup({ MCPSCOPE_NOTIFICATION_BURST: '300', MCPSCOPE_NOTIFICATION_RATE: '200' });
    const chaos = await startChaosServer();
    cleanups.push(() => chaos.close());
    const session = await connected(instance, chaos.url('/flood'));
    await instance.close(session);
    const kept = keptMessages(session.log).length;
    expect(kept).toBeGreaterThanOrEqual(300);
    expect(kept + foldedCount(session.log, 'notifications/message')).toBe(2_000);
    expect(session.log.events().some((e) => e.kind === 'rpc' && e.type === 'result' && e.method === 'initialize')).toBe(true);
  }, 60_000);
});
