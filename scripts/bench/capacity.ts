// The capacity curve (issue 20): how cost grows with work in one mcpscope process. Live sessions (each with its
// events stream open, as a browser tab holds it) step up through 10, 100, 500, 1,000; at each step every session
// calls a tool at a fixed rate (open loop: calls go out on schedule whether or not the last one answered) and the
// step records p50/p95 latency, the calls per second achieved, and the CPU and RSS of the process serving the app.
// `npm run bench -- --only capacity` (several minutes; not part of the default run).
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { ApiClient } from './api';
import { drainStream } from './floods';
import { rssBytes, sampleRss, sleep } from './processes';
import { createOwnedSessions, type OwnedSession } from './sessions';
import { median, percentile } from './stats';

export interface CapacityOptions {
  /** Live session counts, ascending. */
  sessions: number[];
  /** Calls per second per session, each measured at every session count. */
  rates: number[];
  /** Measured seconds per step (after a warm-up of a fifth of it). */
  seconds: number;
}

export interface CapacityStep {
  sessions: number;
  ratePerSession: number;
  offeredPerSecond: number;
  achievedPerSecond: number;
  calls: number;
  errors: number;
  /** Calls not sent because too many were already waiting (the process could not keep up). */
  skipped: number;
  /** The first few failures, as said. */
  errorSamples: string[];
  p50Ms: number;
  p95Ms: number;
  /** CPU time of the process serving the app over the step, in % of one core. */
  cpuPercent: number;
  /** The same for the MCP server and for the load generator (the bench's own process): who else was busy. */
  serverCpuPercent: number;
  generatorCpuPercent: number;
  rssBytes: number;
  /** The machine's 1-minute load average at the end of the step (the load generator and anything else running). */
  loadAverage: number;
}

/** Calls waiting for an answer beyond which the load stops sending (and counts what it skips). */
const MAX_IN_FLIGHT = 2_000;

/** utime + stime of a process, in ms (Linux clock ticks are 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface LoadResult {
  latencies: number[];
  errors: number;
  errorSamples: string[];
  skipped: number;
  elapsedMs: number;
}

/**
 * Sends `perSecond` calls in all, spread evenly over the sessions (session k at phase k/n of its period), for
 * `ms`. Latency runs from the moment a call is sent to its answer.
 */
async function runLoad(sessions: OwnedSession[], perSecond: number, ms: number, firstArg: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const errorSamples: string[] = [];
  const failed = (what: string) => {
    errors++;
    if (errorSamples.length < 3 && !errorSamples.includes(what)) errorSamples.push(what.slice(0, 200));
  };
  let skipped = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  const spacing = 1000 / perSecond;
  let j = 0;
  const call = (api: ApiClient, id: string, a: number) => {
    inFlight++;
    const sent = performance.now();
    const promise = api
      .rpc(id, 'tools/call', { name: 'add', arguments: { a, b: 1 } })
      .then(
        (answer) => {
          latencies.push(performance.now() - sent);
          if (answer.error) failed(JSON.stringify(answer.error));
        },
        (error: unknown) => failed(error instanceof Error ? error.message : String(error)),
      )
      .finally(() => {
        inFlight--;
        pending.delete(promise);
      });
    pending.add(promise);
  };
  while (performance.now() - started < ms) {
    const now = performance.now() - started;
    for (; j * spacing <= now; j++) {
      const target = sessions[j % sessions.length]!;
      if (inFlight >= MAX_IN_FLIGHT) skipped++;
      else call(target.api, target.session.id, firstArg + j);
    }
    await sleep(Math.max(1, Math.min(20, j * spacing - (performance.now() - started))));
  }
  const elapsedMs = performance.now() - started;
  await Promise.all(pending);
  return { latencies, errors, errorSamples, skipped, elapsedMs };
}

export async function measureCapacity(
  origin: string,
  mcpUrl: string,
  serverPid: number,
  mcpServerPid: number,
  options: CapacityOptions,
  log: (line: string) => void,
): Promise<CapacityStep[]> {
  const sessions: OwnedSession[] = [];
  const streams: Array<{ stop: () => void }> = [];
  const steps: CapacityStep[] = [];
  let firstArg = 0;
  try {
    for (const count of options.sessions) {
      const createdAt = performance.now();
      const added = await createOwnedSessions(origin, mcpUrl, count - sessions.length, 3);
      sessions.push(...added);
      for (const { api, session } of added) streams.push(drainStream(api, session.id));
      log(
        `capacity: ${sessions.length} live sessions (${added.length} created in ${((performance.now() - createdAt) / 1000).toFixed(1)} s)`,
      );
      await sleep(1_000);
      for (const rate of options.rates) {
        const perSecond = rate * sessions.length;
        // Warm-up at the step's rate (pools, JIT, the logs' first pages), unmeasured.
        await runLoad(sessions, perSecond, (options.seconds * 1000) / 5, firstArg);
        firstArg += 1_000_000;
        const rssSamples: number[] = [];
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            rssSamples.push(rssBytes(serverPid));
            await sleep(500);
          }
        })();
        const cpuBefore = cpuMs(serverPid);
        const mcpBefore = cpuMs(mcpServerPid);
        const generatorBefore = process.cpuUsage();
        const load = await runLoad(sessions, perSecond, options.seconds * 1000, firstArg);
        const cpuAfter = cpuMs(serverPid);
        const mcpAfter = cpuMs(mcpServerPid);
        const generator = process.cpuUsage(generatorBefore);
        sampling = false;
        await sampler;
        firstArg += 1_000_000;
        const step: CapacityStep = {
          sessions: sessions.length,
          ratePerSession: rate,
          offeredPerSecond: perSecond,
          achievedPerSecond: load.latencies.length / (load.elapsedMs / 1000),
          calls: load.latencies.length,
          errors: load.errors,
          errorSamples: load.errorSamples,
          skipped: load.skipped,
          p50Ms: median(load.latencies),
          p95Ms: percentile(load.latencies, 95),
          cpuPercent: ((cpuAfter - cpuBefore) / load.elapsedMs) * 100,
          serverCpuPercent: ((mcpAfter - mcpBefore) / load.elapsedMs) * 100,
          generatorCpuPercent: ((generator.user + generator.system) / 1000 / load.elapsedMs) * 100,
          rssBytes: rssSamples.length > 0 ? median(rssSamples) : await sampleRss(serverPid, 3, 200),
          loadAverage: os.loadavg()[0]!,
        };
        steps.push(step);
        log(
          `capacity: ${step.sessions} sessions × ${rate}/s: ${step.achievedPerSecond.toFixed(0)} calls/s, p50 ${step.p50Ms.toFixed(1)} ms, ` +
            `p95 ${step.p95Ms.toFixed(1)} ms, CPU ${step.cpuPercent.toFixed(0)}% (MCP server ${step.serverCpuPercent.toFixed(0)}%, load generator ${step.generatorCpuPercent.toFixed(0)}%), RSS ${(step.rssBytes / 2 ** 20).toFixed(0)} MB, load ${step.loadAverage.toFixed(1)}` +
            (step.errors + step.skipped > 0 ? `, ${step.errors} errors, ${step.skipped} skipped` : '') +
            (step.errorSamples.length > 0 ? ` (${step.errorSamples.join('; ')})` : ''),
        );
      }
    }
  } finally {
    for (const stream of streams) stream.stop();
  }
  return steps;
}

/** Per rate, the first step whose p95 is at least twice that of the rate's first step (undefined: it never doubled). */
export function p95Doubling(steps: readonly CapacityStep[]): Map<number, CapacityStep | undefined> {
  const out = new Map<number, CapacityStep | undefined>();
  for (const rate of new Set(steps.map((s) => s.ratePerSession))) {
    const series = steps.filter((s) => s.ratePerSession === rate);
    const base = series[0]!.p95Ms;
    out.set(
      rate,
      series.find((s) => s.p95Ms >= 2 * base),
    );
  }
  return out;
}

/** The steps as a Markdown table (printed by the bench, pasted into the README). */
export function capacityTable(steps: readonly CapacityStep[]): string {
  const rows = [
    '| live sessions | calls/s per session | calls/s offered | calls/s achieved | p50 | p95 | CPU of mcpscope (% of one core) | RSS of mcpscope | CPU of the MCP server / load generator | machine load |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...steps.map(
      (s) =>
        `| ${s.sessions} | ${s.ratePerSession} | ${s.offeredPerSecond.toFixed(0)} | ${s.achievedPerSecond.toFixed(0)}${s.errors + s.skipped > 0 ? ` (${s.errors} errors, ${s.skipped} skipped)` : ''} | ` +
        `${s.p50Ms.toFixed(1)} ms | ${s.p95Ms.toFixed(1)} ms | ${s.cpuPercent.toFixed(0)}% | ${(s.rssBytes / 2 ** 20).toFixed(0)} MB | ${s.serverCpuPercent.toFixed(0)}% / ${s.generatorCpuPercent.toFixed(0)}% | ${s.loadAverage.toFixed(1)} |`,
    ),
  ];
  return rows.join('\n');
}
