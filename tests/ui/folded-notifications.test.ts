// A flood past the notification rate is folded on the server: counted per method, not kept. The views must
// still show how many arrived, and say that some were folded, rather than look as if they never came.
import { createElement as h, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '@/lib/contract';
import type { TraceEvent } from '@/lib/trace/types';
import { LogStore } from '@/components/log-store';
import { MessagesView } from '@/components/messages';
import { WorkspaceNavProvider } from '@/components/nav';
import { NotificationsView } from '@/components/notifications';
import { ThemeProvider } from '@/components/theme';

const note = (seq: number): TraceEvent => ({
  seq,
  t: seq,
  kind: 'rpc',
  direction: 'in',
  type: 'notification',
  method: 'notifications/message',
  message: { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: `n${seq}` } },
  size: 60,
});

const folded = (seq: number, counts: Array<[string, number]>): TraceEvent => ({
  seq,
  t: seq,
  kind: 'finding',
  severity: 'warning',
  code: 'notifications_folded',
  message: 'folded',
  folded: counts.map(([method, count]) => ({ method, count, firstT: 1, lastT: 2 })),
});

const summary: SessionSummary = {
  id: 's1',
  state: 'connected',
  url: 'http://127.0.0.1:1/mcp',
  transport: 'auto',
  createdAt: 0,
  headerNames: [],
};

function storeWith(events: TraceEvent[]): LogStore {
  const store = new LogStore('s1');
  for (const event of events) store.push(event);
  store.flush();
  return store;
}

function wrap(node: ReactElement): string {
  return renderToStaticMarkup(
    h(QueryClientProvider, { client: new QueryClient() }, h(ThemeProvider, null, h(WorkspaceNavProvider, null, node))),
  );
}

const events: TraceEvent[] = [
  note(1),
  note(2),
  note(3),
  folded(4, [
    ['notifications/message', 4_500],
    ['notifications/progress', 20],
  ]),
  note(5),
  folded(6, [['notifications/message', 1_000]]),
];

describe('folded notifications in the views', () => {
  it('adds up the folded counts per method from the findings', () => {
    const store = storeWith(events);
    expect(store.getSnapshot().foldedNotifications).toBe(5_520);
    expect([...store.folded]).toEqual([
      ['notifications/message', 5_500],
      ['notifications/progress', 20],
    ]);
  });

  it('says so above the notifications list, with the count per method', () => {
    const html = wrap(h(NotificationsView, { store: storeWith(events), sessionId: 's1', summary }));
    expect(html).toContain('data-testid="notifications-folded"');
    expect(html).toContain('<strong>5520</strong> more notifications were counted but not kept');
    expect(html).toContain('notifications/message ×5500 · notifications/progress ×20');
    expect(html).toContain('(+5520 folded)');
    expect(html.match(/data-testid="notification-row"/g)).toHaveLength(4);
  });

  it('counts them in the messages method filter and beside the message count', () => {
    const html = wrap(h(MessagesView, { store: storeWith(events) }));
    expect(html).toContain('notifications/message (4 kept, 5500 folded)');
    // A method that was only ever folded is listed too.
    expect(html).toContain('notifications/progress (0 kept, 20 folded)');
    expect(html).toContain('data-testid="messages-folded"');
    expect(html).toContain('5520 notifications folded');
  });

  it('shows nothing of the kind when nothing was folded', () => {
    const quiet = storeWith([note(1), note(2)]);
    expect(wrap(h(NotificationsView, { store: quiet, sessionId: 's1', summary }))).not.toContain('notifications-folded');
    expect(wrap(h(MessagesView, { store: quiet }))).toContain('notifications/message (2)');
  });
});
