// What the e2e specs of local servers check about processes: alive or not, what is left of a process group, and
// the pids a stdio session's log recorded.
import { execFileSync } from 'node:child_process';
import type { APIRequestContext } from '@playwright/test';

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The processes of a process group, from the process listing (a stdio server leads its own group). */
export function groupMembers(pgid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
  } catch {
    // ps exits 1 when the group has no process left.
    return [];
  }
}

/** The pids of the processes a stdio session started, from its log. */
export async function pidsOf(api: APIRequestContext, id: string): Promise<number[]> {
  const log = (await (await api.get(`/api/sessions/${id}/log?format=json`)).json()) as { events: Array<Record<string, unknown>> };
  return log.events.filter((event) => event.kind === 'stdio.process' && event.state === 'started').map((event) => event.pid as number);
}
