// The browser side of three protocol gaps: lists that changed while their tab was hidden (decided from the log,
// and what changed), the -32042 URL elicitation error shown as links to check and open, and the log store
// facts both rely on.
import { createElement as h } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '@/lib/trace/types';
import { diffList } from '@/components/api';
import { LogStore } from '@/components/log-store';
import { ToolResultView, type CallRecord } from '@/components/tools';
import { decideToolsFreshness, readToolsLogFacts, type ToolsLogFacts } from '@/components/tools/use-fresh-tools';
import { parseUrlElicitationRequired } from '@/components/tools/url-elicitation';

function phase(seq: number, phaseId: string, name: string, status: 'started' | 'ok' | 'failed'): TraceEvent {
  return { seq, t: seq, kind: 'phase', phaseId, name, status };
}
function listChanged(seq: number): TraceEvent {
  const method = 'notifications/tools/list_changed';
  return { seq, t: seq, kind: 'rpc', direction: 'in', type: 'notification', method, message: { jsonrpc: '2.0', method }, size: 50 };
}
function storeWith(events: TraceEvent[]): LogStore {
  const store = new LogStore('s');
  for (const event of events) store.push(event);
  store.flush();
  return store;
}

describe('diffList', () => {
  it('names what was added, removed and redefined, whatever the order and key order', () => {
    const before = [{ name: 'a', description: 'A' }, { name: 'b', inputSchema: { type: 'object', properties: {} } }, { name: 'c' }];
    const after = [{ inputSchema: { properties: {}, type: 'object' }, name: 'b' }, { name: 'a', description: 'A, better' }, { name: 'd' }];
    const change = diffList(before, after, (item) => item.name, { at: 5 });
    expect(change).toEqual({ added: ['d'], removed: ['c'], changed: ['a'], at: 5, complete: true });
  });

  it('does not claim removals when a list was only partly loaded', () => {
    expect(diffList([{ name: 'a' }, { name: 'b' }], [{ name: 'a' }], (item) => item.name, { complete: false }).removed).toEqual([]);
  });
});

describe('decideToolsFreshness (from the log, whichever tab was shown)', () => {
  const connected: ToolsLogFacts = { listingSeq: 5, listingRunning: false, firstConnectSeq: 1, lastConnectSeq: 1 };

  it('is fresh when nothing changed since the list was fetched', () => {
    expect(decideToolsFreshness(connected, {})).toEqual({ kind: 'none' });
  });

  it('lists again after a list_changed that came while the view was hidden (nothing listed since)', () => {
    expect(decideToolsFreshness({ ...connected, listChangedSeq: 9 }, {})).toEqual({ kind: 'relist', changeSeq: 9 });
  });

  it('is fresh again once the list reflects the change, and does not retry a handled change in a loop', () => {
    const facts = { ...connected, listChangedSeq: 9, listingSeq: 12 };
    expect(decideToolsFreshness(facts, { fetchedAtSeq: 10 })).toEqual({ kind: 'none' });
    expect(decideToolsFreshness({ ...connected, listChangedSeq: 9 }, { handledChangeSeq: 9 })).toEqual({ kind: 'none' });
  });

  it('fetches the server side list when it was already listed after the change (e.g. on a page reload)', () => {
    expect(decideToolsFreshness({ ...connected, listChangedSeq: 9, listingSeq: 12 }, {})).toEqual({
      kind: 'reload',
      reason: 'list_changed',
      changeSeq: 9,
    });
  });

  it('waits for a listing that is under way', () => {
    expect(decideToolsFreshness({ ...connected, listChangedSeq: 9, listingSeq: 12, listingRunning: true }, {})).toEqual({ kind: 'none' });
  });

  it("fetches the new connection's list after a reconnect", () => {
    expect(decideToolsFreshness({ ...connected, lastConnectSeq: 30, listingSeq: 31 }, {})).toEqual({
      kind: 'reload',
      reason: 'reconnect',
      connectSeq: 30,
    });
    expect(decideToolsFreshness({ ...connected, lastConnectSeq: 30, listingSeq: 31 }, { fetchedAtSeq: 40 })).toEqual({ kind: 'none' });
  });

  it('reads those facts from the log store', () => {
    const store = storeWith([
      phase(1, 'c1', 'connect', 'started'),
      phase(2, 'c1', 'connect', 'ok'),
      phase(3, 'l1', 'tools/list', 'started'),
      phase(4, 'l1', 'tools/list', 'ok'),
      listChanged(8),
    ]);
    expect(readToolsLogFacts(store)).toEqual({
      listChangedSeq: 8,
      listingSeq: 3,
      listingRunning: false,
      firstConnectSeq: 1,
      lastConnectSeq: 1,
    });
    expect(store.lastNotificationSeq('notifications/tools/list_changed')).toBe(8);
    expect(decideToolsFreshness(readToolsLogFacts(store), {})).toEqual({ kind: 'relist', changeSeq: 8 });
  });
});

const SPEC_ERROR = {
  code: -32042,
  message: 'This request requires more information.',
  data: {
    elicitations: [
      {
        mode: 'url',
        elicitationId: '550e8400-e29b-41d4-a716-446655440000',
        url: 'https://mcp.example.com/connect?elicitationId=550e8400-e29b-41d4-a716-446655440000',
        message: 'Authorization is required to access your Example Co files.',
      },
    ],
  },
};

describe('parseUrlElicitationRequired (-32042, MCP 2025-11-25)', () => {
  /** A -32042 error listing `elicitations`, read as the UI reads it. */
  const parseUrlElicitations = (elicitations: unknown[]) => parseUrlElicitationRequired({ code: -32042, data: { elicitations } });

  it('reads the spec example: message, URL, domain split out of the full URL', () => {
    const parsed = parseUrlElicitationRequired(SPEC_ERROR);
    expect(parsed?.invalid).toEqual([]);
    expect(parsed?.items).toEqual([
      {
        elicitationId: '550e8400-e29b-41d4-a716-446655440000',
        message: 'Authorization is required to access your Example Co files.',
        url: 'https://mcp.example.com/connect?elicitationId=550e8400-e29b-41d4-a716-446655440000',
        host: 'mcp.example.com',
        parts: { before: 'https://', host: 'mcp.example.com', after: '/connect?elicitationId=550e8400-e29b-41d4-a716-446655440000' },
        warnings: [],
      },
    ]);
  });

  it('leaves other errors alone', () => {
    expect(parseUrlElicitationRequired({ code: -32602, message: 'x', data: SPEC_ERROR.data })).toBeUndefined();
  });

  it('warns about Punycode, plain HTTP and a user name before @; shows the real host', () => {
    const parsed = parseUrlElicitations([
      { mode: 'url', elicitationId: '1', url: 'https://login.xn--exmple-cua.test/x', message: 'm' },
      { mode: 'url', elicitationId: '2', url: 'http://pay.example.com/x', message: 'm' },
      { mode: 'url', elicitationId: '3', url: 'https://mcp.example.com@evil.test/connect', message: 'm' },
      { mode: 'url', elicitationId: '4', url: 'http://127.0.0.1:8080/connect', message: 'm' },
    ]);
    const [puny, plain, disguised, loopback] = parsed!.items;
    expect(puny!.warnings.join(' ')).toMatch(/Punycode/);
    expect(plain!.warnings.join(' ')).toMatch(/Not HTTPS/);
    expect(disguised!.host).toBe('evil.test');
    expect(disguised!.parts).toEqual({ before: 'https://mcp.example.com@', host: 'evil.test', after: '/connect' });
    expect(disguised!.warnings.join(' ')).toMatch(/user name/);
    expect(loopback!.warnings).toEqual([]);
  });

  it('refuses entries the spec does not allow, and never offers a non-http(s) link', () => {
    const parsed = parseUrlElicitations([
      { mode: 'url', elicitationId: 'a', url: 'javascript:alert(1)', message: 'm' },
      { mode: 'form', elicitationId: 'b', url: 'https://x.test', message: 'm' },
      { mode: 'url', url: 'https://x.test', message: 'm' },
      { mode: 'url', elicitationId: 'c', url: 'not a url', message: 'm' },
    ]);
    expect(parsed?.items).toEqual([]);
    expect(parsed?.invalid).toHaveLength(4);
    expect(parsed?.invalid[0]).toMatch(/javascript: URL/);
    expect(parseUrlElicitationRequired({ code: -32042, message: 'm' })?.invalid[0]).toMatch(/MUST list/);
  });
});

describe('the tool result view for -32042', () => {
  const record: CallRecord = {
    callId: 'c',
    toolName: 'connect_account',
    args: {},
    startedAt: 0,
    endedAt: 12,
    status: 'done',
    outcome: { kind: 'rpc-error', error: SPEC_ERROR },
  };

  it('shows the message, the domain and a link that opens in a new tab without an opener', () => {
    const html = renderToStaticMarkup(h(ToolResultView, { record, tool: { name: 'connect_account', inputSchema: { type: 'object' } } }));
    expect(html).toContain('data-testid="url-elicitation"');
    expect(html).toContain('This request requires more information.');
    expect(html).toContain('Authorization is required to access your Example Co files.');
    expect(html).toMatch(/data-testid="url-elicitation-domain"[^>]*>mcp\.example\.com</);
    expect(html).toContain(
      '<a href="https://mcp.example.com/connect?elicitationId=550e8400-e29b-41d4-a716-446655440000" target="_blank" rel="noopener noreferrer"',
    );
    // Not the generic error panel.
    expect(html).not.toContain('Application error');
    expect(html).not.toContain('data-testid="result-error"');
  });
});
