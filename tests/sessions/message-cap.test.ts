// Issue 21: an answer past the per-message cap (MCPSCOPE_MAX_MESSAGE_BYTES, 8 MB by default) failed as
// `stream_closed: The server closed the response stream before answering` while the findings said message_too_large.
// The call's error must say what happened: mcpscope stopped reading at the cap, and how to raise it. Against a real
// SDK server whose tool answers with as many megabytes as asked, through the real routes.
import { describe, expect, it } from 'vitest';
import { POST as rpc } from '@/app/api/sessions/[id]/rpc/route';
import { getRegistry, ownerFromCookieHeader } from '@/lib/sessions';
import type { FindingEvent } from '@/lib/trace';
import { startBigResult } from '@/e2e/fixtures/big-result';
import { apiRequest, outcomeText } from '../fixtures/helpers';
import { sessionThroughRoutes } from './route-session';

const BASE = 'http://localhost:3996';
const live = sessionThroughRoutes('mcpscope-cap-', BASE, startBigResult);
const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function callBig(megabytes: number): Promise<Response> {
  const body = { method: 'tools/call', params: { name: 'big', arguments: { megabytes } } };
  const { sessionId, cookie } = live();
  return rpc(apiRequest(`${BASE}/api/sessions/${sessionId}/rpc`, 'POST', body, cookie), params(sessionId));
}

describe('an answer past the per-message cap', () => {
  it('fails as message_too_large naming the cap and MCPSCOPE_MAX_MESSAGE_BYTES, not as a closed stream', async () => {
    const response = await callBig(10);
    expect(response.status).toBe(502);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('message_too_large');
    expect(error.message).toMatch(/^The server's answer to tools\/call was not read: /);
    expect(error.message).toContain('larger than 8 MB (MCPSCOPE_MAX_MESSAGE_BYTES)');
    expect(error.message).toContain('raise the cap: set MCPSCOPE_MAX_MESSAGE_BYTES');
    expect(error.message).not.toContain('closed the response stream');

    const { sessionId, cookie } = live();
    const log = getRegistry().get(ownerFromCookieHeader(cookie)!, sessionId)!.log;
    const findings = log.events().filter((event): event is FindingEvent => event.kind === 'finding');
    expect(findings.map((finding) => finding.code)).toContain('message_too_large');
    expect(findings.map((finding) => finding.code)).not.toContain('response_cut_off');
  });

  it('leaves the session working: an answer under the cap comes through whole', async () => {
    const response = await callBig(1);
    expect(response.status).toBe(200);
    expect(outcomeText(await response.json())).toHaveLength(1024 * 1024);
  });
});
