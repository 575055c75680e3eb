// Issue 12: a tool result nested 5,000 levels deep made the call answer 500, and then every export, share and the
// events stream of that session answered 500 for good. Attacked through the real routes against a hostile server
// that sends 5,000 and 100,000 levels (objects and arrays) and a very wide object.
import { describe, expect, it } from 'vitest';
import { GET as getSession } from '@/app/api/sessions/[id]/route';
import { GET as events } from '@/app/api/sessions/[id]/events/route';
import { GET as download } from '@/app/api/sessions/[id]/log/route';
import { POST as rpc } from '@/app/api/sessions/[id]/rpc/route';
import { POST as share } from '@/app/api/sessions/[id]/share/route';
import { GET as readShare } from '@/app/api/shares/[id]/route';
import { getRegistry, ownerFromCookieHeader } from '@/lib/sessions';
import { cutMarker, jsonDepth, MAX_JSON_DEPTH, parseJsonExport, validateHar, type FindingEvent } from '@/lib/trace';
import { startHostileJson } from '@/e2e/fixtures/hostile-json';
import { apiRequest } from '../fixtures/helpers';
import { sessionThroughRoutes } from './route-session';

const BASE = 'http://localhost:3997';
const live = sessionThroughRoutes('mcpscope-deep-', BASE, startHostileJson);
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const request = (method: string, pathname: string, body?: unknown, withCookie: string | null = live().cookie) =>
  apiRequest(`${BASE}${pathname}`, method, body, withCookie);

async function call(name: string, args: Record<string, unknown>): Promise<Response> {
  const { sessionId } = live();
  return rpc(
    request('POST', `/api/sessions/${sessionId}/rpc`, { method: 'tools/call', params: { name, arguments: args } }),
    params(sessionId),
  );
}

/** Everything a person can take out of the session answers 200 and is valid JSON. */
async function expectSessionReadable(): Promise<string> {
  const { sessionId, cookie } = live();
  const summary = await getSession(request('GET', `/api/sessions/${sessionId}`), params(sessionId));
  expect(summary.status).toBe(200);
  expect(await summary.json()).toMatchObject({ state: 'connected' });
  const json = await download(request('GET', `/api/sessions/${sessionId}/log?format=json`), params(sessionId));
  expect(json.status).toBe(200);
  const exportText = await json.text();
  parseJsonExport(JSON.parse(exportText));
  const har = await download(request('GET', `/api/sessions/${sessionId}/log?format=har`), params(sessionId));
  expect(har.status).toBe(200);
  expect(validateHar(JSON.parse(await har.text()))).toEqual([]);
  for (const body of [{}, { maskResults: true, maskArguments: true }]) {
    const created = await share(request('POST', `/api/sessions/${sessionId}/share`, body), params(sessionId));
    expect(created.status, JSON.stringify(body)).toBe(201);
    const { shareId } = (await created.json()) as { shareId: string };
    const read = await readShare(request('GET', `/api/shares/${shareId}`, undefined, null), params(shareId));
    expect(read.status).toBe(200);
    parseJsonExport(await read.json());
  }
  const stream = await events(request('GET', `/api/sessions/${sessionId}/events`), params(sessionId));
  expect(stream.status).toBe(200);
  const reader = stream.body!.getReader();
  let text = '';
  const lastSeq = getRegistry().get(ownerFromCookieHeader(cookie)!, sessionId)!.log.lastSeq;
  while (!text.includes(`id: ${lastSeq}\n`)) {
    const read = await reader.read();
    if (read.done) break;
    text += new TextDecoder().decode(read.value);
  }
  await reader.cancel();
  expect(text).toContain(`id: ${lastSeq}\n`);
  return exportText;
}

describe('JSON nested too deep', () => {
  it.each([
    [5_000, 'object'],
    [100_000, 'object'],
    [100_000, 'array'],
  ] as const)(
    'a result %i levels deep (%s): the call answers 200 with the result cut, and the session stays readable',
    async (levels, shape) => {
      const response = await call('deep', { levels, shape });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { result: { content: Array<{ text: string }>; structuredContent: { tree: unknown } } };
      expect(answer.result.content[0]!.text).toBe(`nested ${levels} levels`);
      // The answer keeps the first levels (the result object and structuredContent count among them) and ends in the marker.
      expect(jsonDepth(answer.result)).toBe(MAX_JSON_DEPTH);
      expect(JSON.stringify(answer)).toContain(JSON.stringify(cutMarker(MAX_JSON_DEPTH)));

      const exported = await expectSessionReadable();
      const { events: logged } = parseJsonExport(JSON.parse(exported));
      const finding = logged.filter((e): e is FindingEvent => e.kind === 'finding' && e.code === 'json_too_deep').at(-1);
      // The finding names the depth of the message (the result's levels plus the envelope's).
      expect(finding?.message).toMatch(
        new RegExp(`nested ${(levels + 3).toLocaleString('en-US')} levels deep; mcpscope keeps ${MAX_JSON_DEPTH} levels`),
      );
      // The raw body is kept as received.
      expect(exported).toContain(shape === 'array' ? '['.repeat(1000) : '{\\"a\\":'.repeat(1000));
    },
  );

  it('a very wide result (50,000 keys) comes through whole, and the session stays readable', async () => {
    const response = await call('wide', { keys: 50_000 });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { result: { structuredContent: { tree: Record<string, number> } } };
    expect(Object.keys(answer.result.structuredContent.tree)).toHaveLength(50_000);
    expect(answer.result.structuredContent.tree.k49999).toBe(49_999);
    await expectSessionReadable();
  });

  it('keeps working afterwards: tools/list and ping answer', async () => {
    const { sessionId } = live();
    const list = await rpc(request('POST', `/api/sessions/${sessionId}/rpc`, { method: 'tools/list' }), params(sessionId));
    expect(list.status).toBe(200);
    expect(((await list.json()) as { result: { tools: unknown[] } }).result.tools).toHaveLength(2);
    const ping = await rpc(request('POST', `/api/sessions/${sessionId}/rpc`, { method: 'ping' }), params(sessionId));
    expect(await ping.json()).toEqual({ result: {} });
    expect(live().server.calls.deep).toBe(3);
  });
});
