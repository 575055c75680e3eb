// Client-side tasks (MCP 2025-11-25) against a real SDK v1 server that sends task-augmented elicitation and
// sampling to mcpscope and polls it with tasks/get and tasks/result. The request waits in the pending queue
// like a plain one; the person's answer becomes the task's result.
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '@/lib/config';
import { answerPending, listPending, SessionRegistry, type Session } from '@/lib/sessions';
import type { PhaseEvent, RpcEvent } from '@/lib/trace/types';
import { startClientTasks, type ClientTasksFixture } from '../../e2e/fixtures/client-tasks';
import { outcomeText, waitFor } from '../fixtures/helpers';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(): Promise<{ instance: SessionRegistry; session: Session; fx: ClientTasksFixture }> {
  const fx = await startClientTasks();
  cleanups.push(() => fx.close());
  const instance = new SessionRegistry({ config: readConfig({}) });
  cleanups.push(() => instance.shutdown());
  const outcome = await instance.create('owner', { url: fx.url, transport: 'auto' });
  if (!outcome.ok) throw new Error(`connect failed: ${JSON.stringify(outcome.body)}`);
  return { instance, session: outcome.session, fx };
}

/** A call the test awaits later; should an assertion fail first, the call's rejection at cleanup is expected. */
function inFlight<T>(call: Promise<T>): Promise<T> {
  call.catch(() => undefined);
  return call;
}

/** A tools/call of `name` with `args`, in flight (see inFlight). */
function toolCallInFlight(instance: SessionRegistry, session: Session, name: string, args: Record<string, unknown>) {
  return inFlight(instance.rpc(session, { method: 'tools/call', params: { name, arguments: args } }));
}

function inbound(session: Session, method: string): RpcEvent[] {
  return session.log
    .events()
    .filter((event): event is RpcEvent => event.kind === 'rpc' && event.direction === 'in' && event.method === method);
}

describe('client-side tasks', () => {
  it('declares tasks for sampling and elicitation in the handshake', async () => {
    const { session } = await setup();
    const initialize = session.log
      .events()
      .find((event): event is RpcEvent => event.kind === 'rpc' && event.direction === 'out' && event.method === 'initialize');
    const params = (initialize?.message as { params?: { capabilities?: Record<string, unknown> } }).params;
    expect(params?.capabilities?.tasks).toEqual({
      list: {},
      cancel: {},
      requests: { elicitation: { create: {} }, sampling: { createMessage: {} } },
    });
  });

  it('answers a task-augmented elicitation with a task, shows it as pending, and gives the answer to tasks/result', async () => {
    const { instance, session, fx } = await setup();
    const call = toolCallInFlight(instance, session, 'ask_as_task', { question: 'Colour?' });
    const entry = await waitFor(() => listPending(session).pending[0]);
    expect(entry.method).toBe('elicitation/create');
    expect(entry.params.message).toBe('Colour?');
    expect(entry.task?.taskId).toMatch(/^mcpscope-task-/);
    // The server gets the task (in `working`) once mcpscope's CreateTaskResult reaches it, which can be after the
    // request shows as pending here: wait for that, then it is polling while the person thinks.
    await waitFor(() => fx.created[0]);
    expect(fx.created).toEqual([{ taskId: entry.task!.taskId, status: 'working' }]);
    await waitFor(() => (fx.polled.includes('elicitation:working') ? true : undefined));

    expect(answerPending(session, entry.requestId, { result: { action: 'accept', content: { colour: 'teal' } } })).toEqual({
      answered: true,
    });
    const outcome = await call;
    expect(outcomeText(outcome)).toContain('"action":"accept"');
    expect(outcomeText(outcome)).toContain('"colour":"teal"');
    expect(listPending(session).pending).toHaveLength(0);

    // Everything is in the log: the task-augmented request, the polls, and tasks/result with the answer.
    const request = inbound(session, 'elicitation/create')[0];
    expect((request.message as { params?: { task?: unknown } }).params?.task).toEqual({ ttl: 120_000 });
    expect(inbound(session, 'tasks/get').length).toBeGreaterThan(0);
    expect(inbound(session, 'tasks/result')).toHaveLength(1);
    const phase = session.log
      .events()
      .filter((event): event is PhaseEvent => event.kind === 'phase' && event.name === 'server asks: elicitation/create');
    expect(phase[0].detail).toContain(`as task ${entry.task!.taskId}`);
    expect(phase.at(-1)?.status).toBe('ok');
  });

  it("completes a task-augmented sampling request with the person's message", async () => {
    const { instance, session, fx } = await setup();
    const call = toolCallInFlight(instance, session, 'sample_as_task', { prompt: 'Say hi' });
    const entry = await waitFor(() => listPending(session).pending[0]);
    expect(entry.method).toBe('sampling/createMessage');
    const created = await waitFor(() => fx.created[0]);
    expect(entry.task?.taskId).toBe(created.taskId);
    answerPending(session, entry.requestId, {
      result: { role: 'assistant', model: 'person', content: { type: 'text', text: 'hi from a task' }, stopReason: 'endTurn' },
    });
    expect(outcomeText(await call)).toContain('hi from a task');
  });

  it("lists tasks for tasks/list, and tasks/cancel withdraws the question and fails the server's wait", async () => {
    const { instance, session } = await setup();
    const call = toolCallInFlight(instance, session, 'ask_as_task', {});
    const entry = await waitFor(() => listPending(session).pending[0]);
    const taskId = entry.task!.taskId;

    const listed = JSON.parse(
      outcomeText(await instance.rpc(session, { method: 'tools/call', params: { name: 'list_client_tasks', arguments: {} } })),
    ) as {
      tasks: Array<{ taskId: string; status: string; pollInterval?: number }>;
    };
    expect(listed.tasks).toHaveLength(1);
    expect(listed.tasks[0]).toMatchObject({ taskId, status: 'working' });

    const cancelled = JSON.parse(
      outcomeText(await instance.rpc(session, { method: 'tools/call', params: { name: 'cancel_client_task', arguments: { taskId } } })),
    ) as {
      status: string;
    };
    expect(cancelled.status).toBe('cancelled');
    expect(listPending(session).pending).toHaveLength(0);
    expect(outcomeText(await call)).toMatch(/Task error: .*cancelled/);

    // A finished task cannot be cancelled again (-32602, as the spec says); the tool reports the error.
    const again = await instance.rpc(session, { method: 'tools/call', params: { name: 'cancel_client_task', arguments: { taskId } } });
    expect(outcomeText(again)).toContain('already cancelled');
    expect(() => answerPending(session, entry.requestId, { result: { action: 'decline' } })).toThrow(/No request "r1" is waiting/);
    const withdrawn = session.log
      .events()
      .filter((event): event is PhaseEvent => event.kind === 'phase' && event.name === 'server asks: elicitation/create')
      .at(-1);
    expect(withdrawn).toMatchObject({ status: 'skipped' });
    expect(withdrawn?.detail).toContain('the task ended before an answer');
  });
});
