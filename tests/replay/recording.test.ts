import { describe, expect, it } from 'vitest';
import { readRecordingFile, recordingFromLog, ReplayError, stripEnvelope } from '@/lib/replay';
import { toHar, toJsonExport } from '@/lib/trace';
import { logOf, snapshot } from './helpers';

describe('reading a recording', () => {
  const exchanges = [
    { method: 'tools/list', result: { tools: [{ name: 'add', inputSchema: { type: 'object' } }] } },
    {
      method: 'tools/call',
      params: {
        name: 'add',
        arguments: { a: 1, b: 2 },
        _meta: { progressToken: 7, 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'app/x': 1 },
      },
      result: { content: [{ type: 'text', text: '3' }] },
    },
    { method: 'prompts/get', params: { name: 'p' }, error: { code: -32602, message: 'no such prompt' } },
    { method: 'resources/read', params: { uri: 'file:///never' } },
  ];

  it('lists the client requests in order with their answers, the handshake apart, the envelope stripped', () => {
    const recording = recordingFromLog(snapshot(logOf(exchanges)));
    expect(recording.requests.map((r) => r.method)).toEqual(['tools/list', 'tools/call', 'prompts/get', 'resources/read']);
    expect(recording.handshake.initialize).toMatchObject({ result: { serverInfo: { name: 'x' } } });
    expect(recording.requests[1].params).toEqual({ name: 'add', arguments: { a: 1, b: 2 }, _meta: { 'app/x': 1 } });
    expect(recording.requests[1].outcome).toEqual({ result: { content: [{ type: 'text', text: '3' }] } });
    expect(recording.requests[2].outcome).toEqual({ error: { code: -32602, message: 'no such prompt' } });
    expect(recording.requests[3].outcome).toBeUndefined();
    expect(recording.requests.map((r) => r.index)).toEqual([0, 1, 2, 3]);
  });

  it('keeps the server requests with what the client answered', () => {
    const recording = recordingFromLog(snapshot(logOf([], [{ method: 'roots/list', result: { roots: [{ uri: 'file:///a' }] } }])));
    expect(recording.serverRequests).toEqual([
      { method: 'roots/list', params: {}, outcome: { result: { roots: [{ uri: 'file:///a' }] } } },
    ]);
  });

  it('reads the JSON export and mcpscope’s HAR to the same script', () => {
    const log = logOf(exchanges);
    const fromJson = readRecordingFile(JSON.stringify(toJsonExport(log)));
    const fromHarFile = readRecordingFile(toHar(log.meta, log.events()));
    expect(fromJson.requests).toEqual(recordingFromLog(snapshot(log)).requests);
    expect(fromHarFile.requests).toEqual(fromJson.requests);
  });

  it('refuses what is neither, with a code', () => {
    expect(() => readRecordingFile('{"hello": 1}', 'x.json')).toThrowError(ReplayError);
    expect(() => readRecordingFile('not json')).toThrow(/not JSON/);
    try {
      readRecordingFile({ format: 'mcpscope-session', version: 1 });
    } catch (error) {
      expect((error as ReplayError).code).toBe('invalid_recording');
    }
  });

  it('strips only the envelope', () => {
    expect(stripEnvelope({ a: 1, _meta: { progressToken: 1 } })).toEqual({ a: 1 });
    expect(stripEnvelope({ a: 1 })).toEqual({ a: 1 });
    expect(stripEnvelope(undefined)).toBeUndefined();
  });
});
