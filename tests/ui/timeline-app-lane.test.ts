import { describe, expect, it } from 'vitest';
import type { AppMessageEvent } from '@/lib/trace';
import { buildAppLane } from '@/components/timeline/app-lane';

let seq = 0;
function msg(t: number, fields: Partial<AppMessageEvent> & Pick<AppMessageEvent, 'direction' | 'type'>): AppMessageEvent {
  seq += 1;
  return { kind: 'app.message', seq, t, viewId: 'v1', resourceUri: 'ui://a/v.html', size: 10, ...fields } as AppMessageEvent;
}

describe('buildAppLane', () => {
  it('one row per view, requests as bars to their answers, runs of one notification folded', () => {
    seq = 0;
    const init = msg(10, { direction: 'in', type: 'request', method: 'ui/initialize', id: 1 });
    const events = [
      init,
      msg(15, { direction: 'out', type: 'result', id: 1, method: 'ui/initialize', pairSeq: init.seq }),
      msg(16, { direction: 'in', type: 'notification', method: 'ui/notifications/size-changed' }),
      msg(17, { direction: 'in', type: 'notification', method: 'ui/notifications/size-changed' }),
      msg(18, { direction: 'in', type: 'notification', method: 'ui/notifications/size-changed' }),
      msg(20, { direction: 'in', type: 'request', method: 'tools/call', id: 2 }),
      msg(30, { direction: 'in', type: 'request', method: 'ui/open-link', id: 3, viewId: 'v2', resourceUri: 'ui://b' }),
    ];
    events.push(msg(40, { direction: 'out', type: 'result', id: 2, pairSeq: 6, message: { result: { isError: true } } }));
    const rows = buildAppLane(events);
    expect(
      rows.map((r) =>
        r.kind === 'app-view'
          ? `view ${r.viewId} ${r.start}-${r.end}`
          : `${r.method} ${r.start}-${r.end} x${r.count}${r.failed ? ' failed' : ''}`,
      ),
    ).toEqual([
      'view v1 10-40',
      'ui/initialize 10-15 x1',
      'ui/notifications/size-changed 16-18 x3',
      'tools/call 20-40 x1 failed',
      'view v2 30-30',
      'ui/open-link 30-undefined x1',
    ]);
  });
});
