// Renders the workspace views and tool result/detail components server-side (no DOM, no Next) against a
// hand-built log, and checks the client log store derives what the views read. Catches render crashes and
// wiring mistakes that tsc cannot see.
import { createElement as h, type ComponentProps, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { prerender } from 'react-dom/static';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '@/lib/trace/types';
import { LogStore } from '@/components/log-store';
import { ThemeProvider } from '@/components/theme';
import { WorkspaceNavProvider } from '@/components/nav';
import { TimelineView } from '@/components/timeline';
import { TrafficView } from '@/components/traffic';
import { MessagesView } from '@/components/messages';
import { FindingsView } from '@/components/findings';
import { ToolResultView } from '@/components/tools/ToolResultView';
import { ToolDetail } from '@/components/tools/ToolDetail';

const events: TraceEvent[] = [
  { seq: 1, t: 0, kind: 'phase', phaseId: 'c', name: 'connect', status: 'started' },
  { seq: 2, t: 1, kind: 'phase', phaseId: 'i', name: 'initialize', status: 'started', parentId: 'c' },
  {
    seq: 3,
    t: 2,
    kind: 'http.request',
    exchangeId: 'x1',
    phaseId: 'i',
    purpose: 'mcp',
    method: 'POST',
    url: 'http://127.0.0.1:9/mcp',
    headers: [['content-type', 'application/json']],
    body: { text: '{"jsonrpc":"2.0","id":1,"method":"initialize"}', encoding: 'utf8', size: 40, truncated: false },
  },
  {
    seq: 4,
    t: 2,
    kind: 'rpc',
    direction: 'out',
    type: 'request',
    method: 'initialize',
    id: 1,
    exchangeId: 'x1',
    message: { jsonrpc: '2.0', id: 1, method: 'initialize' },
    size: 40,
  },
  {
    seq: 5,
    t: 10,
    kind: 'http.response',
    exchangeId: 'x1',
    status: 200,
    statusText: 'OK',
    headers: [
      ['content-type', 'text/event-stream'],
      ['mcp-session-id', 'abc'],
    ],
    ttfbMs: 8,
  },
  {
    seq: 6,
    t: 11,
    kind: 'sse.frame',
    exchangeId: 'x1',
    index: 0,
    event: 'message',
    data: '{"jsonrpc":"2.0","id":1,"result":{}}',
    raw: 'event: message\ndata: {}',
  },
  {
    seq: 7,
    t: 11,
    kind: 'rpc',
    direction: 'in',
    type: 'result',
    method: 'initialize',
    id: 1,
    exchangeId: 'x1',
    pairSeq: 4,
    latencyMs: 9,
    message: { jsonrpc: '2.0', id: 1, result: {} },
    size: 30,
  },
  { seq: 8, t: 12, kind: 'sse.frame', exchangeId: 'x1', index: 1, comment: 'keep-alive', raw: ': keep-alive' },
  { seq: 9, t: 13, kind: 'http.end', exchangeId: 'x1', bytes: 120, durationMs: 11 },
  { seq: 10, t: 14, kind: 'phase', phaseId: 'i', name: 'initialize', status: 'ok', durationMs: 13 },
  {
    seq: 11,
    t: 15,
    kind: 'phase',
    phaseId: 't',
    name: 'tools/list',
    status: 'failed',
    parentId: 'c',
    error: { code: 'http_500', message: 'The server answered 500.' },
    durationMs: 3,
  },
  { seq: 12, t: 16, kind: 'finding', severity: 'warning', code: 'sse_without_data', message: 'A frame had no data.', exchangeId: 'x1' },
  {
    seq: 13,
    t: 17,
    kind: 'rpc',
    direction: 'in',
    type: 'notification',
    method: 'notifications/progress',
    message: {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 'call-1', progress: 3, total: 10, message: 'step 3' },
    },
    size: 60,
  },
  {
    seq: 14,
    t: 18,
    kind: 'rpc',
    direction: 'in',
    type: 'error',
    method: 'tools/call',
    id: 2,
    message: { jsonrpc: '2.0', id: 2, error: { code: -32601, message: 'nope' } },
    size: 60,
  },
];

function storeWith(list: TraceEvent[]): LogStore {
  const store = new LogStore('s1');
  for (const event of list) store.push(event);
  store.push(list[2]); // duplicate seq is dropped
  store.flush();
  return store;
}

function wrap(node: ReactElement): string {
  return renderToStaticMarkup(
    h(QueryClientProvider, { client: new QueryClient() }, h(ThemeProvider, null, h(WorkspaceNavProvider, null, node))),
  );
}

/** The markup of a tool's detail panel, callable, with no arguments typed and no call made yet. */
function toolDetail(tool: ComponentProps<typeof ToolDetail>['tool'], store: LogStore): string {
  return wrap(
    h(ToolDetail, {
      tool,
      store,
      args: undefined,
      onArgs: () => {},
      record: undefined,
      onCall: () => {},
      onCancel: () => {},
      canCall: true,
    }),
  );
}

/**
 * Like `wrap`, but with the lazily loaded parts (Markdown, the schema check) instead of their fallbacks: a
 * prerender waits for them to load, after which the static render has them at once.
 */
async function wrapLoaded(node: ReactElement): Promise<string> {
  const { prelude } = await prerender(
    h(QueryClientProvider, { client: new QueryClient() }, h(ThemeProvider, null, h(WorkspaceNavProvider, null, node))),
  );
  await new Response(prelude).text();
  return wrap(node);
}

describe('UI smoke', () => {
  it('the client log store derives exchanges, phases, pairs and progress, dropping duplicate seqs', () => {
    const store = storeWith(events);
    expect(store.events).toHaveLength(14);
    expect(store.exchanges[0].isEventStream).toBe(true);
    expect(store.exchanges[0].streamKind).toBe('post-stream');
    expect(store.exchanges[0].frameCount).toBe(2);
    expect(store.phases.map((p) => p.status)).toEqual(['started', 'ok', 'failed']);
    expect(store.pairOf(4)).toBe(7);
    expect(store.progressFor('call-1')?.progress).toBe(3);
    expect(store.getSnapshot().findingsBySeverity.warning).toBe(1);
    expect(store.maxSeq).toBe(14);
  });
  it('renders the timeline, traffic, messages and findings views', () => {
    const store = storeWith(events);
    const timeline = wrap(h(TimelineView, { store, live: false }));
    expect(timeline).toContain('timeline-phase-connect');
    expect(timeline).toContain('timeline-phase-tools/list');
    expect(timeline).toContain('The server answered 500.');
    expect(wrap(h(TrafficView, { store }))).toContain('traffic-filter');
    expect(wrap(h(MessagesView, { store }))).toContain('messages-search');
    expect(wrap(h(FindingsView, { store }))).toContain('sse_without_data');
  });
  it('renders every tool result content type and flags a structuredContent mismatch', async () => {
    const tool = { name: 'weather', outputSchema: { type: 'object', properties: { t: { type: 'number' } }, required: ['t'] } };
    const base = { callId: 'c', toolName: 'weather', args: {}, startedAt: 0, endedAt: 10, status: 'done' as const };
    const ok = await wrapLoaded(
      h(ToolResultView, {
        tool,
        record: {
          ...base,
          outcome: {
            kind: 'result',
            result: {
              content: [
                { type: 'text', text: '# Title\n\n- a\n- b' },
                { type: 'text', text: '{"a": 1}' },
                { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
                { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
                { type: 'resource_link', uri: 'file:///x', name: 'x' },
                { type: 'resource', resource: { uri: 'file:///y', text: 'hello' } },
                { type: 'weird' },
              ],
              structuredContent: { t: 'x' },
            },
          },
        },
      }),
    );
    expect(ok).toContain('<h1>Title</h1>');
    expect(ok).toContain('output-schema-warning');
    expect(ok).toContain('data:image/png;base64,iVBORw0KGgo=');
    expect(ok).toContain('<audio');
    expect(ok).toContain('&quot;a&quot;</span>: <span class="jv-number">1</span>');
    const rpcErr = wrap(
      h(ToolResultView, { tool, record: { ...base, outcome: { kind: 'rpc-error', error: { code: -32601, message: 'nope' } } } }),
    );
    expect(rpcErr).toContain('Method not found');
    expect(rpcErr).toContain('result-error');
    const isErr = wrap(
      h(ToolResultView, {
        tool,
        record: { ...base, outcome: { kind: 'result', result: { isError: true, content: [{ type: 'text', text: 'boom' }] } } },
      }),
    );
    expect(isErr).toContain('result-error');
  });
  it('renders a tool form with rjsf root ids, and the JSON fallback for an unrenderable schema', () => {
    const store = storeWith(events);
    const html = toolDetail(
      {
        name: 'configure',
        description: 'd',
        inputSchema: { type: 'object', properties: { profile: { type: 'object', properties: { name: { type: 'string' } } } } },
        annotations: { readOnlyHint: true },
      },
      store,
    );
    expect(html).toContain('id="root_profile_name"');
    expect(html).toContain('format-toggle');
    expect(html).toContain('read-only');
    const fallback = toolDetail({ name: 'x', inputSchema: { type: 'string' } }, store);
    expect(fallback).toContain('schema-fallback');
  });
});
