// The MCP App bridge as a lane of the timeline: one row per view (from its first message to its last), and under it
// one row per request (a bar to its answer, or open while none came) and per run of one notification (a mark, with
// how many in a row). Pure: built from the log's `app.message` events.
import type { AppMessageEvent } from '@/lib/trace';

export type AppLaneRow =
  | { kind: 'app-view'; key: string; start: number; end: number; viewId: string; resourceUri: string; messages: number }
  | {
      kind: 'app-message';
      key: string;
      start: number;
      /** A request's answer time; undefined while it has none (drawn open). Notifications end where they start. */
      end: number | undefined;
      seq: number;
      method: string;
      direction: 'in' | 'out';
      type: AppMessageEvent['type'];
      /** Notifications of one method in a row, folded into this row. */
      count: number;
      failed: boolean;
    };

/** Rows per view at most: a chatty view (size changes) must not bury the rest. */
export const MAX_ROWS_PER_VIEW = 200;

export function buildAppLane(messages: readonly AppMessageEvent[]): AppLaneRow[] {
  const byView = new Map<string, AppMessageEvent[]>();
  for (const event of messages) {
    const list = byView.get(event.viewId) ?? [];
    list.push(event);
    byView.set(event.viewId, list);
  }
  const answers = new Map<number, AppMessageEvent>();
  for (const event of messages) if (event.pairSeq !== undefined) answers.set(event.pairSeq, event);

  const rows: AppLaneRow[] = [];
  for (const [viewId, events] of byView) {
    const first = events[0]!;
    const last = events.at(-1)!;
    rows.push({
      kind: 'app-view',
      key: `av:${viewId}`,
      start: first.t,
      end: last.t,
      viewId,
      resourceUri: first.resourceUri,
      messages: events.length,
    });
    let shown = 0;
    let previous: Extract<AppLaneRow, { kind: 'app-message' }> | undefined;
    for (const event of events) {
      if (event.type === 'result' || event.type === 'error') continue;
      const method = event.method ?? '(not JSON-RPC)';
      if (
        event.type === 'notification' &&
        previous?.type === 'notification' &&
        previous.method === method &&
        previous.direction === event.direction
      ) {
        previous.count += 1;
        previous.end = event.t;
        continue;
      }
      if (shown >= MAX_ROWS_PER_VIEW) break;
      const answer = event.type === 'request' ? answers.get(event.seq) : undefined;
      const row: Extract<AppLaneRow, { kind: 'app-message' }> = {
        kind: 'app-message',
        key: `am:${event.seq}`,
        start: event.t,
        end: event.type === 'request' ? answer?.t : event.t,
        seq: event.seq,
        method,
        direction: event.direction,
        type: event.type,
        count: 1,
        failed: answer?.type === 'error' || isErrorResult(answer?.message),
      };
      rows.push(row);
      previous = row;
      shown += 1;
    }
  }
  return rows;
}

function isErrorResult(message: unknown): boolean {
  if (!message || typeof message !== 'object') return false;
  const result = (message as { result?: unknown }).result;
  return Boolean(result && typeof result === 'object' && (result as { isError?: unknown }).isError === true);
}
