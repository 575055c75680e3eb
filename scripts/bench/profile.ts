// Where mcpscope's time goes during tool calls: V8's CPU profile of the process serving the app while a driver
// sends sequential tools/call requests through it, written as a .cpuprofile (open it in Chrome DevTools or
// speedscope) and summarised as self time by function and by area (`npm run bench -- --only profile`).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Driver } from './drivers';
import type { CpuProfile, Inspector } from './inspector';
import { ROOT } from './processes';

export interface ProfileSummary {
  file: string;
  calls: number;
  totalMs: number;
  /** Self time by area (idle excluded from the shares). */
  areas: Array<{ area: string; ms: number; share: number }>;
  functions: Array<{ name: string; where: string; ms: number; share: number }>;
}

/** The area a frame belongs to, from its script URL: what a person would fix (a lib folder, a package, Node). */
export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const inRepo = url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(inRepo);
  if (pkg) {
    const name = pkg[1]!;
    if (name === 'next') {
      const compiled = /next\/dist\/compiled\/((?:@[^/]+\/)?[^/]+)/.exec(inRepo);
      return compiled ? `next (compiled ${compiled[1]})` : 'next';
    }
    return name;
  }
  const lib = /^(lib\/[^/]+|app\/[^]+?\/route|scripts\/[^/]+|proxy|instrumentation)/.exec(inRepo);
  if (lib) return lib[1]!;
  if (inRepo.startsWith('.next/server/chunks') || inRepo.startsWith('.next/server/app')) return 'app bundle (.next/server)';
  if (inRepo.startsWith('node:') || !inRepo.startsWith('/'))
    return `node (${inRepo
      .replace(/^node:/, '')
      .split('/')
      .slice(0, 2)
      .join('/')})`;
  return inRepo;
}

export function summariseProfile(profile: CpuProfile, file: string, calls: number): ProfileSummary {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const selfUs = new Map<number, number>();
  // Each sample's time is the delta to the next one (the last sample has none and is left out).
  for (let i = 0; i < samples.length - 1; i++) selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + (deltas[i + 1] ?? 0));
  const areas = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; us: number }>();
  let busyUs = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    busyUs += us;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const where = url ? `${path.basename(url)}:${lineNumber + 1}` : area;
    const key = `${functionName}@${where}`;
    const entry = functions.get(key) ?? { name: functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  const share = (us: number) => (busyUs > 0 ? us / busyUs : 0);
  return {
    file,
    calls,
    totalMs: busyUs / 1000,
    areas: [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, ms: us / 1000, share: share(us) })),
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 30)
      .map((f) => ({ name: f.name, where: f.where, ms: f.us / 1000, share: share(f.us) })),
  };
}

/** Profiles the app while `caller` sends tools/call requests through it for `seconds`. */
export async function profileCalls(inspector: Inspector, caller: Driver, seconds: number, file: string): Promise<ProfileSummary> {
  await caller.calls(200);
  await inspector.startProfile();
  const run = await caller.callsFor(seconds * 1000);
  const profile = await inspector.stopProfile();
  writeFileSync(file, JSON.stringify(profile));
  return summariseProfile(profile, file, run.latencies.length);
}
