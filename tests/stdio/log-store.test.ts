// The browser's log store reads a stdio session's transcript: lines with what they carried, stderr, the process;
// and a session export with stdio events passes the import schema unchanged.
import { describe, expect, it } from 'vitest';
import { LogStore } from '@/components/log-store';
import { describeMethods, parseJsonExport, recordRpc, toJsonExport, TraceLog } from '@/lib/trace';

function stdioLog(): TraceLog {
  const log = new TraceLog({ sessionId: 's', serverUrl: 'node server.js', startedAt: 0, transport: 'stdio' });
  log.append({ kind: 'stdio.process', state: 'started', command: 'node server.js', pid: 4242 });
  log.append({ kind: 'stdio.line', exchangeId: 'ln1', direction: 'out', size: 60 });
  recordRpc(
    log,
    'out',
    { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: {} } },
    { exchangeId: 'ln1', size: 60 },
  );
  log.append({ kind: 'stdio.line', exchangeId: 'ln2', direction: 'in', size: 12, text: 'hello stdout' });
  log.finding('warning', 'stdio_not_jsonrpc', 'not JSON-RPC', { exchangeId: 'ln2' });
  log.append({ kind: 'stdio.stderr', text: 'booting\nready\n', size: 14 });
  log.append({ kind: 'stdio.line', exchangeId: 'ln3', direction: 'in', size: 40 });
  recordRpc(log, 'in', { jsonrpc: '2.0', id: 1, result: { content: [] } }, { exchangeId: 'ln3', size: 40 });
  log.append({
    kind: 'stdio.process',
    state: 'exited',
    command: 'node server.js',
    pid: 4242,
    code: 1,
    signal: null,
    stderrTail: ['ready'],
  });
  return log;
}

describe('stdio in the log store', () => {
  it('keeps the transcript in order, each line with its JSON-RPC summary and findings', () => {
    const store = LogStore.fromEvents('s', stdioLog().events());
    expect(store.stdioRows.map((row) => row.row)).toEqual(['process', 'line', 'line', 'stderr', 'line', 'process']);
    expect(store.getSnapshot().stdioRowCount).toBe(6);
    expect(store.getSnapshot().exchangeCount).toBe(0);
    expect(describeMethods(store.stdioLine('ln1')!.rpc!)).toBe('tools/call echo');
    expect(describeMethods(store.stdioLine('ln3')!.rpc!)).toBe('tools/call');
    expect(store.stdioLine('ln2')).toMatchObject({ text: 'hello stdout', findingCount: 1 });
    // The answer is paired with its request across lines, as across HTTP exchanges.
    const answer = store.rpc.find((event) => event.exchangeId === 'ln3')!;
    expect(store.pairOf(answer.seq)).toBe(store.rpc.find((event) => event.exchangeId === 'ln1')!.seq);
  });

  it('exports and imports a stdio session unchanged', () => {
    const log = stdioLog();
    const text = JSON.stringify(toJsonExport(log));
    const imported = parseJsonExport(text);
    expect(imported.meta.transport).toBe('stdio');
    expect(imported.events.map((event) => event.kind)).toEqual(log.events().map((event) => event.kind));
  });
});
