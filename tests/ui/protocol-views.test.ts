// Renders the protocol views server-side (no DOM) against a hand-built log: the notification index, the
// notifications view with its level data, the session view's handshake result, resource previews (hex
// for binary, text for a textual blob) and the pending panel's cards.
import { createElement as h, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '@/lib/contract';
import type { TraceEvent } from '@/lib/trace/types';
import { LogStore } from '@/components/log-store';
import { ThemeProvider } from '@/components/theme';
import { WorkspaceNavProvider } from '@/components/nav';
import { NotificationsView, notificationsOf, notificationsOfKind, summarize } from '@/components/notifications';
import { SessionView } from '@/components/session';
import { ContentPreview } from '@/components/resources';
import { ElicitationCard } from '@/components/pending/ElicitationCard';
import { SamplingCard } from '@/components/pending/SamplingCard';

const note = (seq: number, method: string, params: Record<string, unknown>): TraceEvent => ({
  seq,
  t: seq * 10,
  kind: 'rpc',
  direction: 'in',
  type: 'notification',
  method,
  message: { jsonrpc: '2.0', method, params },
  size: 50,
});

const events: TraceEvent[] = [
  {
    seq: 1,
    t: 0,
    kind: 'rpc',
    direction: 'out',
    type: 'request',
    method: 'initialize',
    id: 0,
    message: { jsonrpc: '2.0', id: 0, method: 'initialize', params: { capabilities: { roots: { listChanged: true } } } },
    size: 40,
  },
  {
    seq: 2,
    t: 5,
    kind: 'rpc',
    direction: 'in',
    type: 'result',
    method: 'initialize',
    id: 0,
    pairSeq: 1,
    latencyMs: 5,
    message: { jsonrpc: '2.0', id: 0, result: { protocolVersion: '2025-11-25', serverInfo: { name: 'srv', version: '1' } } },
    size: 60,
  },
  note(3, 'notifications/message', { level: 'warning', logger: 'db', data: 'disk almost full' }),
  note(4, 'notifications/resources/updated', { uri: 'file:///a.txt' }),
  note(5, 'notifications/tools/list_changed', {}),
  {
    seq: 6,
    t: 60,
    kind: 'rpc',
    direction: 'out',
    type: 'notification',
    method: 'notifications/roots/list_changed',
    message: { jsonrpc: '2.0', method: 'notifications/roots/list_changed' },
    size: 40,
  },
];

const summary: SessionSummary = {
  id: 's1',
  state: 'closed',
  url: 'http://127.0.0.1:1/mcp',
  transport: 'auto',
  createdAt: 0,
  headerNames: [],
  server: { name: 'srv', version: '1', protocolVersion: '2025-11-25', era: 'stateful-2025', capabilities: { logging: {} } },
};

function storeWith(list: TraceEvent[]): LogStore {
  const store = new LogStore('s1');
  for (const event of list) store.push(event);
  store.flush();
  return store;
}

function wrap(node: ReactElement): string {
  return renderToStaticMarkup(
    h(QueryClientProvider, { client: new QueryClient() }, h(ThemeProvider, null, h(WorkspaceNavProvider, null, node))),
  );
}

describe('protocol views', () => {
  it('indexes incoming notifications only, by kind, and extends the index as the log grows', () => {
    const store = storeWith(events);
    expect(notificationsOf(store).map((item) => item.kind)).toEqual(['message', 'updated', 'list_changed']);
    expect(notificationsOfKind(store, 'updated').map((item) => item.params.uri)).toEqual(['file:///a.txt']);
    expect(summarize(notificationsOf(store)[0]!)).toBe('[db] disk almost full');
    store.push(note(7, 'notifications/progress', { progressToken: 't', progress: 2, total: 4 }));
    store.flush();
    expect(notificationsOfKind(store, 'progress')).toHaveLength(1);
    expect(summarize(notificationsOf(store).at(-1)!)).toBe('token "t": 2 / 4');
  });

  it('renders the notifications view with level and kind on each row', () => {
    const html = wrap(h(NotificationsView, { store: storeWith(events), sessionId: 's1', summary }));
    expect(html).toContain('data-level="warning"');
    expect(html).toContain('disk almost full');
    expect(html).toContain('data-kind="updated"');
    expect(html).not.toContain('roots/list_changed');
  });

  it('renders the session view with the initialize result and what was declared', () => {
    const html = wrap(h(SessionView, { store: storeWith(events), sessionId: 's1', summary }));
    expect(html).toContain('data-testid="initialize-result"');
    expect(html).toContain('listChanged');
    expect(html).toContain('data-testid="ping"');
  });

  it('previews a binary blob as a hex dump and a textual blob as text', () => {
    const gzip = wrap(
      h(ContentPreview, { content: { uri: 'demo://x.gz', mimeType: 'application/gzip', blob: 'H4sIAAAAAAAAA8tIzcnJBwCGphA2BQAAAA==' } }),
    );
    expect(gzip).toContain('data-kind="binary"');
    expect(gzip).toContain('00000000  1f 8b 08 00');
    expect(gzip).toContain('gzip data');
    const text = wrap(h(ContentPreview, { content: { uri: 'demo://t', mimeType: 'text/plain', blob: 'SGVsbG8=' } }));
    expect(text).toContain('data-kind="text"');
    expect(text).toContain('Hello');
  });

  it('renders an elicitation form with its defaults and a sampling request with its messages', () => {
    const base = { requestId: 'r1', receivedAt: 0, expiresAt: 300_000, via: 'request' as const, rpcId: 1 };
    const form = wrap(
      h(ElicitationCard, {
        entry: {
          ...base,
          method: 'elicitation/create',
          params: {
            message: 'Who?',
            requestedSchema: {
              type: 'object',
              properties: {
                name: { type: 'string', default: 'Ada' },
                pets: { type: 'array', items: { type: 'string', enum: ['cat', 'dog'] } },
              },
            },
          },
        },
      }),
    );
    expect(form).toContain('Who?');
    expect(form).toContain('value="Ada"');
    expect(form).toContain('type="checkbox"');
    const sampling = wrap(
      h(SamplingCard, {
        entry: {
          ...base,
          method: 'sampling/createMessage',
          params: {
            messages: [{ role: 'user', content: { type: 'text', text: 'Hi model' } }],
            maxTokens: 10,
            tools: [{ name: 'lookup', inputSchema: { type: 'object' } }],
            toolChoice: { mode: 'auto' },
          },
        },
      }),
    );
    expect(sampling).toContain('Hi model');
    expect(sampling).toContain('lookup');
    expect(sampling).toContain('data-testid="sampling-reject"');
  });
});
