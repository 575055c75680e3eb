// A session log built the way the engine builds one (recordRpc pairs requests and answers), for lib/replay's tests.
import { recordRpc, toJsonExport, TraceLog, type SessionExport } from '@/lib/trace';

export type Exchange = { method: string; params?: Record<string, unknown>; result?: unknown; error?: { code: number; message: string } };

let nextId = 1;

/** A log of the given client requests, each answered as given (no answer when neither result nor error). */
export function logOf(exchanges: Exchange[], serverRequests: Exchange[] = []): TraceLog {
  const log = new TraceLog({ sessionId: 's1', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: Date.now(), transport: 'auto' });
  const all = [
    {
      method: 'initialize',
      params: { protocolVersion: '2025-11-25' },
      result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'x', version: '1' } },
    },
    ...exchanges,
  ];
  for (const e of all) {
    const id = nextId++;
    recordRpc(log, 'out', { jsonrpc: '2.0', id, method: e.method, ...(e.params ? { params: e.params } : {}) });
    if (e.result !== undefined) recordRpc(log, 'in', { jsonrpc: '2.0', id, result: e.result });
    else if (e.error) recordRpc(log, 'in', { jsonrpc: '2.0', id, error: e.error });
  }
  for (const e of serverRequests) {
    const id = `s${nextId++}`;
    recordRpc(log, 'in', { jsonrpc: '2.0', id, method: e.method, params: e.params ?? {} });
    recordRpc(log, 'out', { jsonrpc: '2.0', id, result: e.result });
  }
  return log;
}

export function exportOf(exchanges: Exchange[], serverRequests: Exchange[] = []): SessionExport {
  return toJsonExport(logOf(exchanges, serverRequests));
}

export function tool(name: string, properties: Record<string, unknown>, required: string[] = [], extra: Record<string, unknown> = {}) {
  return { name, description: `${name} tool`, inputSchema: { type: 'object', properties, required }, ...extra };
}

export function snapshot(log: TraceLog) {
  return { meta: log.meta, events: log.events() };
}
