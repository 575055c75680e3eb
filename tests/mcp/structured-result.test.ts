// A tool result whose structuredContent breaks the tool's outputSchema is a finding in the session log, recorded
// when the answer arrives (so exports, shares and the command line have it), against the real demo server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLogged } from '@/tests/fixtures/connect';
import { startDemoServer } from '@/tests/fixtures/demo-server';
import { startedForSuite } from '@/tests/fixtures/suite';
import type { McpConnection } from '@/lib/mcp';
import type { FindingEvent, TraceLog } from '@/lib/trace';

describe('structured results checked against the outputSchema', () => {
  const demo = startedForSuite(() => startDemoServer());
  let log: TraceLog;
  let connection: McpConnection;
  beforeAll(async () => {
    ({ log, connection } = await connectLogged(demo().url, { sessionId: 'structured' }));
  });
  afterAll(async () => {
    await connection?.close();
  });

  const findings = (code: string) => log.events().filter((event): event is FindingEvent => event.kind === 'finding' && event.code === code);

  it('records output_schema_mismatch when broken_structured answers, naming the tool and what is wrong', async () => {
    const outcome = await connection.request('tools/call', { name: 'broken_structured', arguments: {} });
    expect('result' in outcome).toBe(true);
    const [finding, ...rest] = findings('output_schema_mismatch');
    expect(rest).toHaveLength(0);
    expect(finding).toMatchObject({ severity: 'error', code: 'output_schema_mismatch' });
    expect(finding!.message).toContain('"broken_structured"');
    expect(finding!.message).toMatch(/id: must be integer/);
    expect(finding!.message).toMatch(/score/);
    // After the answer in the log, not before it.
    const answer = log.events().find((event) => event.kind === 'rpc' && event.direction === 'in' && event.method === 'tools/call');
    expect(answer!.seq).toBeLessThan(finding!.seq);
  });

  it('records nothing for a result that matches (structured_weather) or a tool without an outputSchema (echo)', async () => {
    const before = log.events().filter((event) => event.kind === 'finding').length;
    await connection.request('tools/call', { name: 'structured_weather', arguments: { city: 'Oslo' } });
    await connection.request('tools/call', { name: 'echo', arguments: { message: 'hi' } });
    expect(log.events().filter((event) => event.kind === 'finding')).toHaveLength(before);
  });
});
