// The client task store on its own: statuses, tasks/result blocking until terminal, errors kept with their
// code, cancel rules and ttl expiry (MCP 2025-11-25 Tasks).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClientTaskStore, RELATED_TASK_META_KEY } from '@/lib/mcp';

afterEach(() => {
  vi.useRealTimers();
});

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('ClientTaskStore', () => {
  it('starts working, blocks tasks/result until the work ends, then completes with related-task meta', async () => {
    const store = new ClientTaskStore({ pollIntervalMs: 100 });
    const work = deferred<Record<string, unknown>>();
    const task = store.start('elicitation/create', 30_000, () => work.promise);
    expect(task).toMatchObject({ status: 'working', ttl: 30_000, pollInterval: 100 });
    let settled = false;
    const result = store.result(task.taskId).then((value) => {
      settled = true;
      return value;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    work.resolve({ action: 'accept', content: { a: 1 } });
    expect(await result).toEqual({ action: 'accept', content: { a: 1 }, _meta: { [RELATED_TASK_META_KEY]: { taskId: task.taskId } } });
    expect(store.get(task.taskId).status).toBe('completed');
    expect(() => store.cancel(task.taskId)).toThrow(/already completed/);
  });

  it('fails with the error the plain request would have got, code included', async () => {
    const store = new ClientTaskStore();
    const task = store.start('sampling/createMessage', undefined, async () => {
      throw Object.assign(new Error('Nobody answered'), { code: -32001 });
    });
    await expect(store.result(task.taskId)).rejects.toMatchObject({ code: -32001, message: expect.stringContaining('Nobody answered') });
    expect(store.get(task.taskId)).toMatchObject({ status: 'failed', statusMessage: expect.stringContaining('Nobody answered') });
  });

  it('cancel aborts the work and refuses unknown tasks with -32602', async () => {
    const store = new ClientTaskStore();
    let signal: AbortSignal | undefined;
    const task = store.start('elicitation/create', 10_000, (started) => {
      signal = started.signal;
      return new Promise(() => undefined);
    });
    expect(store.cancel(task.taskId).status).toBe('cancelled');
    expect(signal?.aborted).toBe(true);
    expect(store.list().map((item) => item.status)).toEqual(['cancelled']);
    expect(() => store.get('nope')).toThrow(expect.objectContaining({ code: -32602 }));
  });

  it('caps the ttl and forgets a task when it runs out', () => {
    vi.useFakeTimers();
    const store = new ClientTaskStore({ maxTtlMs: 1000 });
    const task = store.start('elicitation/create', 50_000, () => new Promise(() => undefined));
    expect(task.ttl).toBe(1000);
    vi.advanceTimersByTime(1001);
    expect(store.list()).toHaveLength(0);
  });
});
