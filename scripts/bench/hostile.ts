// The bounds mcpscope keeps against hostile servers (issue 20: "flood and memory bounds from the hostile-server
// work appear in the bench as figures with budgets"): sessions to chaos servers (e2e/fixtures/chaos) that answer
// with a 10 MB frame, a gzip bomb, a 64 KB header or a burst of notifications before the handshake, several times
// each. Measured: how long mcpscope takes to answer each attempt, whether the session's log names the attack (its
// finding), and the memory of the process serving the app: RSS at its peak during the attacks, and the JS heap
// (after a garbage collection) before and once the sessions are deleted.
import type { Inspector } from './inspector';
import { rssBytes, sampleRss, sleep } from './processes';
import { ApiClient } from './api';

export interface HostileAttack {
  path: string;
  /** The finding code the log must hold. */
  finding: string;
}

/** The chaos behaviours that try mcpscope's size and flood bounds. */
export const MEMORY_ATTACKS: readonly HostileAttack[] = [
  { path: '/huge-frame', finding: 'message_too_large' },
  { path: '/gzip-bomb', finding: 'decompression_bomb' },
  { path: '/huge-headers', finding: 'headers_too_large' },
  { path: '/flood', finding: 'notification_flood' },
];

export interface HostileResult {
  path: string;
  finding: string;
  answerMs: number[];
  /** Attempts whose log held the finding. */
  found: number;
  attempts: number;
  /** The RSS peak while this attack's attempts ran (RSS is not given back between attacks). */
  rssPeakBytes: number;
}

export interface HostileMeasurement {
  results: HostileResult[];
  rssStartBytes: number;
  rssPeakBytes: number;
  heapStartBytes: number;
  heapAfterBytes: number;
}

/** POST /api/sessions whatever it answers: the session id (a failed connect keeps its log), and how long it took. */
async function attempt(api: ApiClient, url: string): Promise<{ id?: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${api.origin}/api/sessions`, {
    method: 'POST',
    headers: api.headers({ 'content-type': 'application/json' }),
    body: JSON.stringify({ url }),
  });
  const body = (await response.json()) as { id?: string; sessionId?: string };
  return { id: body.id ?? body.sessionId, ms: performance.now() - started };
}

export async function measureHostile(
  origin: string,
  chaosOrigin: string,
  serverPid: number,
  inspector: Inspector,
  rounds: number,
): Promise<HostileMeasurement> {
  // One owner, whose cookie the first (successful) connect sets; it also warms the paths measured.
  const api = new ApiClient(origin);
  const warm = await api.createSession(`${chaosOrigin}/flood`);
  await api.deleteSession(warm.id);
  await inspector.collectGarbage();
  await sleep(500);
  const rssStart = await sampleRss(serverPid, 3, 200);
  const heapStart = (await inspector.memory()).heapUsed;
  let peak = rssStart;
  let attackPeak = rssStart;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const rss = rssBytes(serverPid);
      peak = Math.max(peak, rss);
      attackPeak = Math.max(attackPeak, rss);
      await sleep(50);
    }
  })();
  const results: HostileResult[] = [];
  const ids: string[] = [];
  try {
    for (const attack of MEMORY_ATTACKS) {
      attackPeak = 0;
      const result: HostileResult = {
        path: attack.path,
        finding: attack.finding,
        answerMs: [],
        found: 0,
        attempts: rounds,
        rssPeakBytes: 0,
      };
      for (let round = 0; round < rounds; round++) {
        const { id, ms } = await attempt(api, `${chaosOrigin}${attack.path}`);
        result.answerMs.push(ms);
        if (!id) continue;
        ids.push(id);
        const events = await api.logEvents(id).catch(() => []);
        if (events.some((event) => event.kind === 'finding' && event.code === attack.finding)) result.found++;
      }
      result.rssPeakBytes = Math.max(attackPeak, rssBytes(serverPid));
      results.push(result);
    }
  } finally {
    sampling = false;
    await sampler;
  }
  for (const id of ids) await api.deleteSession(id);
  await sleep(500);
  await inspector.collectGarbage();
  const heapAfter = (await inspector.memory()).heapUsed;
  return { results, rssStartBytes: rssStart, rssPeakBytes: peak, heapStartBytes: heapStart, heapAfterBytes: heapAfter };
}
