import { describe, expect, it } from 'vitest';
import { recordBridgeBatch } from '@/lib/apps';
import {
  parseJsonExport,
  toHar,
  toJsonExport,
  fromHar,
  TraceLog,
  type AppMessageEvent,
  type FindingEvent,
  type TraceMeta,
} from '@/lib/trace';

const META: TraceMeta = { sessionId: 's1', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: Date.now(), transport: 'auto' };
const VIEW = { viewId: 'v1', resourceUri: 'ui://get-time/mcp-app.html' };

function appEvents(log: TraceLog): AppMessageEvent[] {
  return log.events().filter((e): e is AppMessageEvent => e.kind === 'app.message');
}
function findings(log: TraceLog): FindingEvent[] {
  return log.events().filter((e): e is FindingEvent => e.kind === 'finding');
}
/** A notification the host sends the view, as the bridge batch carries it (the first message, at 1 ms). */
function notificationToView(method: string, params: Record<string, unknown>) {
  return { direction: 'out' as const, at: 1, message: { jsonrpc: '2.0', method, params } };
}

describe('recordBridgeBatch', () => {
  it('records both directions and pairs a request with its answer by the browser clock', () => {
    const log = new TraceLog(META);
    recordBridgeBatch(log, {
      ...VIEW,
      messages: [
        { direction: 'in', at: 1000, message: { jsonrpc: '2.0', id: 1, method: 'ui/initialize', params: {} } },
        { direction: 'out', at: 1012.5, message: { jsonrpc: '2.0', id: 1, result: { protocolVersion: '2026-01-26' } } },
        { direction: 'in', at: 1020, message: { jsonrpc: '2.0', method: 'ui/notifications/initialized' } },
      ],
    });
    const events = appEvents(log);
    expect(events.map((e) => [e.direction, e.type, e.method])).toEqual([
      ['in', 'request', 'ui/initialize'],
      ['out', 'result', 'ui/initialize'],
      ['in', 'notification', 'ui/notifications/initialized'],
    ]);
    expect(events[1]!.pairSeq).toBe(events[0]!.seq);
    expect(events[1]!.latencyMs).toBe(12.5);
    expect(events.every((e) => e.viewId === 'v1' && e.resourceUri === VIEW.resourceUri)).toBe(true);
    expect(findings(log)).toEqual([]);
  });

  it('reports a request sent before ui/notifications/initialized, once per view', () => {
    const log = new TraceLog(META);
    const call = (id: number) => ({
      direction: 'in' as const,
      at: id,
      message: { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'x' } },
    });
    recordBridgeBatch(log, { ...VIEW, messages: [call(1), call(2)] });
    const found = findings(log).filter((f) => f.code === 'app_request_before_initialized');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('tools/call');
    // After the handshake, the same request is fine.
    recordBridgeBatch(log, {
      ...VIEW,
      viewId: 'v2',
      messages: [{ direction: 'in', at: 5, message: { jsonrpc: '2.0', method: 'ui/notifications/initialized' } }, call(3)],
    });
    expect(findings(log).filter((f) => f.code === 'app_request_before_initialized')).toHaveLength(1);
  });

  it('records a message that is not JSON-RPC and reports it as malformed', () => {
    const log = new TraceLog(META);
    recordBridgeBatch(log, { ...VIEW, messages: [{ direction: 'in', at: 1, message: 'hello' }] });
    expect(appEvents(log)).toHaveLength(1);
    expect(findings(log).map((f) => [f.code, f.severity])).toEqual([['app_malformed_message', 'error']]);
  });

  it('phrases notes itself and keeps the resource HTML out of the log', () => {
    const log = new TraceLog(META);
    recordBridgeBatch(log, {
      ...VIEW,
      messages: [notificationToView('ui/notifications/sandbox-resource-ready', { html: '<p>'.repeat(1000) })],
      notes: [
        { code: 'app_tool_not_visible', tool: 'secret-admin' },
        { code: 'app_resource_mime_type', mimeType: 'text/html' },
        { code: 'app_csp_violation', directive: 'connect-src', blockedUri: 'https://evil.example' },
      ],
    });
    const ready = appEvents(log)[0]!;
    expect(JSON.stringify(ready.message)).not.toContain('<p>');
    expect(JSON.stringify(ready.message)).toContain('3,000 characters of HTML');
    expect(findings(log).map((f) => f.code)).toEqual(['app_tool_not_visible', 'app_resource_mime_type', 'app_csp_violation']);
    expect(findings(log)[0]!.message).toContain('"secret-admin"');
  });

  it('an eval probe is a note once, not a warning', () => {
    const log = new TraceLog(META);
    const evalNote = { code: 'app_csp_violation' as const, directive: 'script-src', blockedUri: 'eval' };
    recordBridgeBatch(log, { ...VIEW, messages: [], notes: [evalNote, evalNote] });
    expect(findings(log).map((f) => [f.code, f.severity])).toEqual([['app_csp_violation', 'info']]);
  });

  it('masks credentials in messages with the session masker', () => {
    const log = new TraceLog(META);
    recordBridgeBatch(
      log,
      {
        ...VIEW,
        messages: [
          {
            direction: 'in',
            at: 1,
            message: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { arguments: { token: 'abcdef123456' } } },
          },
        ],
      },
      { maskJson: (text) => text.replace('abcdef123456', '••••3456') },
    );
    expect(JSON.stringify(appEvents(log)[0]!.message)).toContain('••••3456');
  });

  it('survives the JSON export and the HAR round trip', () => {
    const log = new TraceLog(META);
    recordBridgeBatch(log, {
      ...VIEW,
      messages: [
        { direction: 'in', at: 1, message: { jsonrpc: '2.0', id: 7, method: 'ui/open-link', params: { url: 'https://example.com' } } },
      ],
    });
    const json = parseJsonExport(JSON.stringify(toJsonExport(log)));
    expect(json.events.filter((e) => e.kind === 'app.message')).toHaveLength(1);
    const har = fromHar(JSON.parse(JSON.stringify(toHar(log.meta, log.events()))));
    const back = har.events.find((e) => e.kind === 'app.message') as AppMessageEvent | undefined;
    expect(back?.method).toBe('ui/open-link');
    expect(back?.viewId).toBe('v1');
  });
});

describe('shares of a session with an app view', () => {
  it('masking tool arguments or results drops the bridge message bodies, keeping the events', async () => {
    const { buildSharedLog } = await import('@/lib/shares/document');
    const log = new TraceLog(META);
    recordBridgeBatch(log, {
      ...VIEW,
      messages: [notificationToView('ui/notifications/tool-input', { arguments: { secret: 'hunter2' } })],
    });
    const masked = buildSharedLog(log.meta, log.events(), { maskArguments: true });
    const event = masked.events.find((e) => e.kind === 'app.message') as AppMessageEvent;
    expect(event.method).toBe('ui/notifications/tool-input');
    expect(event.message).toBeUndefined();
    expect(JSON.stringify(masked)).not.toContain('hunter2');
    const plain = buildSharedLog(log.meta, log.events(), {});
    expect(JSON.stringify(plain)).toContain('hunter2');
  });
});
