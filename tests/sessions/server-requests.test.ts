// The client side of a session against real servers: the demo server (both eras; its ask tools use the
// v2 multi-round-trip builder, so a 2026-07-28 connection gets input_required and a 2025 session real
// server→client requests) and server-everything. Requests wait in the pending queue until answered.
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
import { createDemoHandler } from '@/lib/demo';
import { answerPending, getRoots, listPending, ping, setLogLevel, setRoots, SessionRegistry, type Session } from '@/lib/sessions';
import type { PhaseEvent, RpcEvent } from '@/lib/trace/types';
import { serveFetchHandler, startEverything } from '../../e2e/fixtures';
import { outcomeText, waitFor } from '../fixtures/helpers';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function registry(env: Record<string, string> = {}): SessionRegistry {
  const instance = new SessionRegistry({ config: readConfig(env) });
  cleanups.push(() => instance.shutdown());
  return instance;
}

async function demoUrl(): Promise<string> {
  const handler = createDemoHandler();
  const server = await serveFetchHandler((request) => handler.handle(request));
  cleanups.push(async () => {
    await handler.close();
    await server.close();
  });
  return `${server.origin}/demo/mcp`;
}

async function connect(instance: SessionRegistry, url: string, transport: 'auto' | 'streamable-http' | 'sse' = 'auto'): Promise<Session> {
  const outcome = await instance.create('owner', { url, transport });
  if (!outcome.ok) throw new Error(`connect failed: ${JSON.stringify(outcome.body)}`);
  return outcome.session;
}

function phases(session: Session, name: string): PhaseEvent[] {
  return session.log.events().filter((event): event is PhaseEvent => event.kind === 'phase' && event.name === name);
}

describe('the demo server on 2026-07-28 (input_required)', () => {
  it('holds an embedded elicitation until it is answered, then the tool sees the answer', async () => {
    const instance = registry();
    const session = await connect(instance, await demoUrl());
    expect(session.connection?.era).toBe('stateless-2026');
    const call = instance.rpc(session, { method: 'tools/call', params: { name: 'confirm_action', arguments: { action: 'ship it' } } });
    const entry = await waitFor(() => listPending(session).pending[0]);
    expect(entry).toMatchObject({ method: 'elicitation/create', via: 'input_required', rpcId: 'confirm' });
    expect(entry.params.message).toBe('Really ship it?');
    expect(entry.params.requestedSchema).toMatchObject({ properties: { confirm: { type: 'boolean' } } });
    expect(entry.expiresAt - entry.receivedAt).toBe(5 * 60_000);

    expect(answerPending(session, entry.requestId, { result: { action: 'accept', content: { confirm: true, priority: 'high' } } })).toEqual(
      { answered: true },
    );
    const outcome = await call;
    expect(outcomeText(outcome)).toContain('Confirmed: would ship it');
    expect(outcomeText(outcome)).toContain('"priority":"high"');
    expect(listPending(session).pending).toHaveLength(0);
    const closed = phases(session, 'server asks: elicitation/create').find((event) => event.status === 'ok');
    expect(closed?.detail).toBe('answered: accept');
  });

  it('answers roots/list from the roots list without asking', async () => {
    const instance = registry();
    const session = await connect(instance, await demoUrl());
    await setRoots(session, { roots: [{ uri: 'file:///work/project', name: 'Project' }] });
    const outcome = await instance.rpc(session, { method: 'tools/call', params: { name: 'list_roots', arguments: {} } });
    expect(outcomeText(outcome)).toContain('Project: file:///work/project');
    expect(phases(session, 'server asks: roots/list').some((event) => event.status === 'ok' && /1 root\b/.test(event.detail ?? ''))).toBe(
      true,
    );
    await expect(setRoots(session, { roots: [{ uri: 'https://example.com' }] })).rejects.toThrow(/file:\/\//);
  });

  it('sends the sampling reply the person wrote', async () => {
    const instance = registry();
    const session = await connect(instance, await demoUrl());
    const call = instance.rpc(session, { method: 'tools/call', params: { name: 'draft_reply', arguments: {} } });
    const entry = await waitFor(() => listPending(session).pending[0]);
    expect(entry.method).toBe('sampling/createMessage');
    expect(entry.params.modelPreferences).toMatchObject({ hints: [{ name: 'claude' }] });
    answerPending(session, entry.requestId, {
      result: { role: 'assistant', model: 'person', content: { type: 'text', text: 'Amsterdam.' }, stopReason: 'endTurn' },
    });
    expect(outcomeText(await call)).toContain('The model (person) replied: Amsterdam.');
  });

  it("sends the log level in each request's _meta instead of logging/setLevel", async () => {
    const instance = registry();
    const session = await connect(instance, await demoUrl());
    expect(await setLogLevel(session, { level: 'warning' })).toEqual({ mode: 'per-request', level: 'warning' });
    await instance.rpc(session, { method: 'tools/list' });
    const sent = session.log
      .events()
      .filter((event): event is RpcEvent => event.kind === 'rpc' && event.direction === 'out' && event.method === 'tools/list')
      .at(-1);
    expect((sent?.message as { params?: { _meta?: Record<string, unknown> } }).params?._meta?.['io.modelcontextprotocol/logLevel']).toBe(
      'warning',
    );
    expect(session.log.events().some((event) => event.kind === 'rpc' && event.method === 'logging/setLevel')).toBe(false);
    await expect(ping(session)).rejects.toThrow(/no ping/);
  });
});

describe('pending answers', () => {
  it('rejects malformed answers and unknown request ids; a refusal ends a 2026-07-28 call', async () => {
    const instance = registry();
    const session = await connect(instance, await demoUrl());
    const call = instance.rpc(session, { method: 'tools/call', params: { name: 'draft_reply', arguments: {} } });
    const entry = await waitFor(() => listPending(session).pending[0]);
    expect(() => answerPending(session, entry.requestId, { result: { role: 'assistant', content: { type: 'text', text: 'x' } } })).toThrow(
      /model/,
    );
    expect(() => answerPending(session, 'r999', { result: {} })).toThrow(/No request "r999"/);
    answerPending(session, entry.requestId, { error: { code: -1, message: 'User rejected sampling request' } });
    await expect(call).rejects.toMatchObject({
      code: 'input_not_provided',
      message: expect.stringMatching(/User rejected sampling request/),
    });
  });

  it('pauses the request timeout while the person answers (2025 request and 2026-07-28 input_required)', async () => {
    const everything = await startEverything('streamableHttp');
    cleanups.push(() => everything.close());
    const instance = registry();
    for (const url of [everything.url, await demoUrl()]) {
      const outcome = await instance.create('owner', { url, timeouts: { requestMs: 300, answerMs: 10_000 } });
      if (!outcome.ok) throw new Error('connect failed');
      const session = outcome.session;
      const tool = session.connection?.era === 'stateless-2026' ? 'confirm_action' : 'trigger-elicitation-request';
      const call = instance.rpc(session, { method: 'tools/call', params: { name: tool, arguments: {} } });
      const entry = await waitFor(() => listPending(session).pending[0]);
      // Three times the request timeout passes while the question is open.
      await new Promise((resolve) => setTimeout(resolve, 900));
      answerPending(session, entry.requestId, { result: { action: 'accept', content: { confirm: true, name: 'Ada' } } });
      const result = await call;
      expect('result' in result).toBe(true);
    }
  });

  it('still times out a request nobody waits on', async () => {
    const instance = registry();
    const outcome = await instance.create('owner', { url: await demoUrl(), timeouts: { requestMs: 200 } });
    if (!outcome.ok) throw new Error('connect failed');
    await expect(
      instance.rpc(outcome.session, { method: 'tools/call', params: { name: 'slow_task', arguments: { seconds: 2, steps: 1 } } }),
    ).rejects.toMatchObject({
      code: 'timeout',
    });
  });

  it('times out cleanly and records why', async () => {
    const instance = registry();
    const outcome = await instance.create('owner', { url: await demoUrl(), transport: 'auto', timeouts: { answerMs: 300 } });
    if (!outcome.ok) throw new Error('connect failed');
    const session = outcome.session;
    await expect(instance.rpc(session, { method: 'tools/call', params: { name: 'confirm_action', arguments: {} } })).rejects.toThrow(
      /Nobody answered elicitation\/create in mcpscope within 300 ms/,
    );
    const failed = phases(session, 'server asks: elicitation/create').find((event) => event.status === 'failed');
    expect(failed?.error?.code).toBe('timeout');
    expect(listPending(session).pending).toHaveLength(0);
  });
});

describe('server-everything (2025, Streamable HTTP)', () => {
  it('asks for roots after initialize, re-asks on list_changed, and lists the conditional tools', async () => {
    const everything = await startEverything('streamableHttp');
    cleanups.push(() => everything.close());
    const instance = registry();
    const session = await connect(instance, everything.url);
    await waitFor(() => phases(session, 'server asks: roots/list').find((event) => event.status === 'ok'));
    // Declaring elicitation, sampling and roots makes the server offer the tools that use them.
    const tools = await instance.tools(session, false);
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['trigger-elicitation-request', 'trigger-sampling-request', 'get-roots-list']),
    );

    const state = await setRoots(session, { roots: [{ uri: 'file:///tmp/demo', name: 'Demo' }] });
    expect(state.notified).toBe(true);
    expect(getRoots(session).roots).toEqual([{ uri: 'file:///tmp/demo', name: 'Demo' }]);
    await waitFor(() =>
      phases(session, 'server asks: roots/list').filter((event) => event.status === 'ok').length >= 2 ? true : undefined,
    );
    const listed = await instance.rpc(session, { method: 'tools/call', params: { name: 'get-roots-list', arguments: {} } });
    expect(outcomeText(listed)).toContain('file:///tmp/demo');
  });

  it('pings with a latency and sets the log level with logging/setLevel', async () => {
    const everything = await startEverything('streamableHttp');
    cleanups.push(() => everything.close());
    const instance = registry();
    const session = await connect(instance, everything.url);
    const pong = await ping(session);
    expect('result' in pong).toBe(true);
    expect(pong.latencyMs).toBeGreaterThanOrEqual(0);
    const level = await setLogLevel(session, { level: 'debug' });
    expect(level).toMatchObject({ mode: 'setLevel', level: 'debug', outcome: { result: {} } });
    expect(session.connection?.logLevel).toBe('debug');
    await instance.rpc(session, { method: 'tools/call', params: { name: 'toggle-simulated-logging', arguments: {} } });
    const message = await waitFor(
      () => session.log.events().find((event): event is RpcEvent => event.kind === 'rpc' && event.method === 'notifications/message'),
      'a notifications/message',
      15_000,
    );
    expect(message.direction).toBe('in');
  });

  it('answers elicitation/create and sampling/createMessage requests sent on the standing stream', async () => {
    const everything = await startEverything('streamableHttp');
    cleanups.push(() => everything.close());
    const instance = registry();
    const session = await connect(instance, everything.url);
    const elicit = instance.rpc(session, { method: 'tools/call', params: { name: 'trigger-elicitation-request', arguments: {} } });
    const asked = await waitFor(() => listPending(session).pending[0]);
    expect(asked).toMatchObject({ method: 'elicitation/create', via: 'request' });
    expect(asked.params.requestedSchema).toMatchObject({ properties: { titledMultipleSelectEnum: { type: 'array' } } });
    answerPending(session, asked.requestId, { result: { action: 'accept', content: { name: 'Ada', check: true, integer: 7 } } });
    expect(outcomeText(await elicit)).toMatch(/Ada/);

    const sample = instance.rpc(session, {
      method: 'tools/call',
      params: { name: 'trigger-sampling-request', arguments: { prompt: 'hi' } },
    });
    const sampling = await waitFor(() => listPending(session).pending[0]);
    expect(sampling.method).toBe('sampling/createMessage');
    answerPending(session, sampling.requestId, {
      result: { role: 'assistant', model: 'person', content: { type: 'text', text: 'hello back' } },
    });
    expect(outcomeText(await sample)).toContain('hello back');
  });

  it('runs a task: tools/call with task returns a task, tasks/get polls it, tasks/result fetches the result', async () => {
    const everything = await startEverything('streamableHttp');
    cleanups.push(() => everything.close());
    const instance = registry();
    const session = await connect(instance, everything.url);
    const created = (await instance.rpc(session, {
      method: 'tools/call',
      params: { name: 'simulate-research-query', arguments: { topic: 'python' }, task: { ttl: 60_000 } },
    })) as { result?: { task?: { taskId: string; status: string } } };
    const taskId = created.result?.task?.taskId;
    expect(taskId).toBeTruthy();
    let status = created.result?.task?.status;
    const deadline = Date.now() + 20_000;
    while (status !== 'completed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const got = (await instance.rpc(session, { method: 'tasks/get', params: { taskId } })) as { result?: { status?: string } };
      status = got.result?.status;
    }
    expect(status).toBe('completed');
    const result = await instance.rpc(session, { method: 'tasks/result', params: { taskId } });
    expect(outcomeText(result)).toContain('Research Report: python');
  });
});
