// Notification floods in one server process: N sessions whose server floods notifications (~5,000/s each,
// for ~25 s), each watched by an events stream (one of them a deliberately slow reader), while a second
// client calls tools through mcpscope on another, quiet server. Measured: the RSS of the process serving the
// app before, at its peak during, and after the flooding sessions are disconnected; the second client's call
// latency without and during the floods; and, from each flooded session's exported log, how many
// notifications it kept and how many it folded.
import { ApiClient, type ApiSession } from './api';
import type { Driver } from './drivers';
import type { Inspector } from './inspector';
import { rssBytes, sampleRss, sleep } from './processes';

export interface FloodsOptions {
  sessions: number;
  perSecond: number;
  seconds: number;
}

export interface FloodedSession {
  sent: number;
  kept: number;
  folded: number;
  /** Findings of the process budget (oldest data of the heaviest logs dropped). */
  budgetFindings: number;
  /** Bytes the events stream delivered to its reader. */
  streamedBytes: number;
}

export interface FloodsMeasurement {
  /** After a garbage collection, before the floods. */
  rssStartBytes: number;
  rssPeakBytes: number;
  /** Once the flooded sessions were disconnected, as the idle process left it (V8 collects nothing when idle). */
  rssAfterBytes: number;
  /** The same after a garbage collection: what the process still holds. */
  rssAfterGcBytes: number;
  heapStartBytes: number;
  /** After a garbage collection at the end of the floods, the flooded sessions still connected: what their logs hold. */
  heapLiveBytes: number;
  heapAfterGcBytes: number;
  quietLatencies: number[];
  floodLatencies: number[];
  callErrors: number;
  floodMs: number;
  flooded: FloodedSession[];
  floodErrors: string[];
}

/** Reads a session's events stream; `bytesPerSecond` makes it a slow reader (a thin connection, a paused tab). */
export function drainStream(api: ApiClient, sessionId: string, bytesPerSecond?: number): { bytes: () => number; stop: () => void } {
  const abort = new AbortController();
  let bytes = 0;
  void (async () => {
    try {
      const response = await fetch(`${api.origin}/api/sessions/${sessionId}/events`, {
        headers: api.headers({ accept: 'text/event-stream' }),
        signal: abort.signal,
      });
      if (!response.body) return;
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        if (bytesPerSecond) await sleep((value.byteLength / bytesPerSecond) * 1000);
      }
    } catch {
      // stopped at the end
    }
  })();
  return { bytes: () => bytes, stop: () => abort.abort() };
}

function countIn(events: Array<Record<string, unknown>>): Pick<FloodedSession, 'kept' | 'folded' | 'budgetFindings'> {
  let kept = 0;
  let folded = 0;
  let budgetFindings = 0;
  for (const event of events) {
    if (event.kind === 'rpc' && event.type === 'notification' && event.method === 'notifications/message') kept += 1;
    if (event.kind === 'finding' && event.code === 'log_budget') budgetFindings += 1;
    if (event.kind === 'finding' && event.code === 'notifications_folded') {
      for (const entry of (event.folded as Array<{ count: number }> | undefined) ?? []) folded += entry.count;
    }
  }
  return { kept, folded, budgetFindings };
}

/** Long enough for a flood that runs slower than asked on a busy machine (the default 60 s would cut it). */
const FLOOD_REQUEST_MS = 600_000;

export async function measureFloods(
  origin: string,
  floodUrl: string,
  serverPid: number,
  inspector: Inspector,
  caller: Driver,
  options: FloodsOptions,
): Promise<FloodsMeasurement> {
  const api = new ApiClient(origin);
  const sessions: ApiSession[] = [];
  for (let i = 0; i < options.sessions; i++)
    sessions.push(await api.createSession(floodUrl, { timeouts: { requestMs: FLOOD_REQUEST_MS } }));
  // Warm every path the figure uses (the flood tool, the events stream, the caller's calls), unmeasured.
  await api.rpc(sessions[0]!.id, 'tools/call', { name: 'flood', arguments: { count: 200, seconds: 0.1 } });
  await caller.calls(50);
  await inspector.collectGarbage();
  await sleep(1_000);
  const rssStart = await sampleRss(serverPid);
  const heapStart = (await inspector.memory()).heapUsed;
  const quiet = await caller.callsFor(5_000);

  const streams = sessions.map((session, i) => drainStream(api, session.id, i === 0 ? 64 * 1024 : undefined));
  let peak = rssStart;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, rssBytes(serverPid));
      await sleep(250);
    }
  })();
  const count = Math.round(options.perSecond * options.seconds);
  const floodErrors: string[] = [];
  const started = performance.now();
  const floods = sessions.map((session) =>
    api.rpc(session.id, 'tools/call', { name: 'flood', arguments: { count, seconds: options.seconds } }).catch((error: unknown) => {
      floodErrors.push(String(error));
      return undefined;
    }),
  );
  // The caller works while the floods run (a little less long, so it never measures the quiet tail).
  const during = await caller.callsFor(Math.max(1_000, options.seconds * 1000 - 2_000));
  await Promise.all(floods);
  const floodMs = performance.now() - started;
  sampling = false;
  await sampler;
  await inspector.collectGarbage();
  const heapLive = (await inspector.memory()).heapUsed;

  for (const stream of streams) stream.stop();
  for (const session of sessions) await api.deleteSession(session.id);
  // Some light work meanwhile: V8 gives memory back after a garbage collection, and an idle process has none.
  const after = await caller.callsFor(10_000);
  const rssAfter = await sampleRss(serverPid);
  await inspector.collectGarbage();
  await sleep(1_000);
  const rssAfterGc = await sampleRss(serverPid);
  const heapAfterGc = (await inspector.memory()).heapUsed;
  // Read back after the disconnect: from disk, once each log has left memory.
  const flooded: FloodedSession[] = [];
  for (const [i, session] of sessions.entries()) {
    flooded.push({ sent: count, streamedBytes: streams[i]!.bytes(), ...countIn(await api.logEvents(session.id)) });
  }
  return {
    rssStartBytes: rssStart,
    rssPeakBytes: peak,
    rssAfterBytes: rssAfter,
    rssAfterGcBytes: rssAfterGc,
    heapStartBytes: heapStart,
    heapLiveBytes: heapLive,
    heapAfterGcBytes: heapAfterGc,
    quietLatencies: quiet.latencies,
    floodLatencies: during.latencies,
    callErrors: quiet.errors + during.errors + after.errors,
    floodMs,
    flooded,
    floodErrors,
  };
}
