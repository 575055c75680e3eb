// SEP-2243 through the API: the tool list names what mcpscope will not call and why, and a call to such a tool is
// refused (400 tool_excluded) before anything is sent. A real v2 server whose tools/list carries an invalid tool.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
import { SessionRegistry, statusForCode } from '@/lib/sessions';
import { tempStore, type TestStore } from '../oauth/helpers';
import { startModernServer, type TestServer } from '../mcp/servers';

let ts: TestStore;
let registry: SessionRegistry;
let server: TestServer;

beforeAll(async () => {
  ts = await tempStore();
  registry = new SessionRegistry({ config: readConfig({}), store: async () => ts.store });
  server = await startModernServer({
    intercept: (m) =>
      m.method === 'tools/list'
        ? {
            status: 200,
            contentType: 'application/json',
            body: JSON.stringify({
              jsonrpc: '2.0',
              id: m.id,
              result: {
                resultType: 'complete',
                ttlMs: 0,
                cacheScope: 'private',
                tools: [
                  { name: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string', 'x-mcp-header': 'Text' } } } },
                  {
                    name: 'twice',
                    inputSchema: {
                      type: 'object',
                      properties: { a: { type: 'string', 'x-mcp-header': 'Dup' }, b: { type: 'string', 'x-mcp-header': 'dup' } },
                    },
                  },
                ],
              },
            }),
          }
        : undefined,
  });
});
afterAll(async () => {
  await registry.shutdown();
  await server.close();
  await ts.close();
});

it('lists every tool, names the excluded one with its reason, and refuses to call it', async () => {
  const outcome = await registry.create('owner-eeeeeeeeeeeeeeeeeeeeee', { url: server.url });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.body));
  const list = await registry.toolList(outcome.session, false);
  expect(list.tools.map((t) => t.name)).toEqual(['echo', 'twice']);
  expect(list.excluded).toEqual({ twice: expect.stringContaining('regardless of case') });
  const refused = await registry
    .rpc(outcome.session, { method: 'tools/call', params: { name: 'twice', arguments: { a: 'x', b: 'y' } } })
    .catch((e: unknown) => e);
  expect(refused).toMatchObject({ code: 'tool_excluded' });
  expect(statusForCode('tool_excluded')).toBe(400);
  expect(server.seen.some((r) => r.headers['mcp-name'] === 'twice')).toBe(false);
});
