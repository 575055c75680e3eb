// The pending queue on its own: each request settles exactly once, by answer, timeout, server cancel or
// close, and nothing is left waiting (or ticking) afterwards.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServerRequestRejection } from '@/lib/mcp';
import { PendingQueue, ServerRequests } from '@/lib/sessions';
import { TraceLog } from '@/lib/trace';
import type { PhaseEvent } from '@/lib/trace/types';

const base = { method: 'elicitation/create' as const, params: { message: 'Name?' }, via: 'request' as const, rpcId: 7 };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('PendingQueue', () => {
  it('lists waiting requests with their deadline and settles on the answer', async () => {
    const queue = new PendingQueue({ timeoutMs: 60_000, now: () => 1_000 });
    const { entry, settled } = queue.add(base);
    expect(entry).toMatchObject({ requestId: 'r1', receivedAt: 1_000, expiresAt: 61_000, rpcId: 7, via: 'request' });
    expect(queue.list()).toEqual([entry]);
    expect(queue.answer('r1', { result: { action: 'decline' } })).toBe(true);
    await expect(settled).resolves.toEqual({ kind: 'answered', answer: { result: { action: 'decline' } } });
    expect(queue.list()).toEqual([]);
    // A second answer finds nothing: the first one won.
    expect(queue.answer('r1', { result: { action: 'accept' } })).toBe(false);
  });

  it('times out after exactly the configured time and clears the entry', async () => {
    const queue = new PendingQueue({ timeoutMs: 5 * 60_000 });
    const { settled } = queue.add(base);
    let outcome: unknown;
    void settled.then((value) => (outcome = value));
    await vi.advanceTimersByTimeAsync(5 * 60_000 - 1);
    expect(outcome).toBeUndefined();
    expect(queue.list()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toEqual({ kind: 'timeout', afterMs: 300_000 });
    expect(queue.list()).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops waiting when the server cancels (abort signal), and answers after that are refused', async () => {
    const queue = new PendingQueue();
    const controller = new AbortController();
    const { entry, settled } = queue.add({ ...base, signal: controller.signal });
    controller.abort(new Error('request timed out on the server'));
    await expect(settled).resolves.toEqual({ kind: 'cancelled', reason: 'request timed out on the server' });
    expect(queue.answer(entry.requestId, { result: { action: 'accept' } })).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('closeAll settles everything and refuses later requests until reopened', async () => {
    const queue = new PendingQueue();
    const first = queue.add(base);
    const second = queue.add({ ...base, method: 'sampling/createMessage' });
    expect(second.entry.requestId).toBe('r2');
    queue.closeAll('the session was closed');
    await expect(first.settled).resolves.toEqual({ kind: 'closed', reason: 'the session was closed' });
    await expect(second.settled).resolves.toEqual({ kind: 'closed', reason: 'the session was closed' });
    await expect(queue.add(base).settled).resolves.toMatchObject({ kind: 'closed' });
    queue.reopen();
    const third = queue.add(base);
    expect(queue.list().map((entry) => entry.requestId)).toEqual([third.entry.requestId]);
  });
});

describe('ServerRequests', () => {
  function phases(log: TraceLog): PhaseEvent[] {
    return log.events().filter((event): event is PhaseEvent => event.kind === 'phase');
  }
  const newLog = () => new TraceLog({ sessionId: 's', serverUrl: 'http://127.0.0.1:1/mcp', startedAt: Date.now(), transport: 'auto' });
  /** A server's request with no params, sent as a JSON-RPC request, that nobody cancels. */
  const plainRequest = (method: 'roots/list' | 'sampling/createMessage', rpcId: number) => ({
    method,
    params: {},
    rpcId,
    via: 'request' as const,
    signal: new AbortController().signal,
  });

  it('answers roots/list from the list at once and records it', async () => {
    const log = newLog();
    const requests = new ServerRequests(log);
    requests.setRoots([{ uri: 'file:///a', name: 'A' }]);
    const answer = await requests.answer(plainRequest('roots/list', 1));
    expect(answer).toEqual({ roots: [{ uri: 'file:///a', name: 'A' }] });
    expect(requests.queue.list()).toEqual([]);
    expect(phases(log).map((event) => [event.name, event.status])).toEqual([
      ['server asks: roots/list', 'started'],
      ['server asks: roots/list', 'ok'],
    ]);
  });

  it('keeps a URL-mode elicitation of a javascript: page waiting (the person may decline) and names it a finding', async () => {
    const log = newLog();
    const requests = new ServerRequests(log);
    const findings = () => log.events().flatMap((e) => (e.kind === 'finding' ? [e] : []));
    const ask = (url: unknown, rpcId: number) =>
      requests.answer({
        method: 'elicitation/create',
        params: { mode: 'url', elicitationId: `e${rpcId}`, url, message: 'Sign in' },
        rpcId,
        via: 'request',
        signal: new AbortController().signal,
      });
    const hostile = ask('java\tscript:fetch("/api/tokens")', 1);
    const fine = ask('https://auth.example/connect?elicitationId=e2', 2);
    expect(requests.queue.list().map((entry) => entry.rpcId)).toEqual([1, 2]);
    expect(findings()).toHaveLength(1);
    expect(findings()[0]).toMatchObject({ severity: 'error', code: 'unsafe_url' });
    expect(findings()[0]!.message).toContain('javascript:');
    expect(findings()[0]!.message).toContain('decline or cancel');
    const [first, second] = requests.queue.list();
    requests.queue.answer(first!.requestId, { result: { action: 'decline' } });
    requests.queue.answer(second!.requestId, { result: { action: 'accept' } });
    await expect(hostile).resolves.toEqual({ action: 'decline' });
    await expect(fine).resolves.toEqual({ action: 'accept' });
  });

  it('turns a timeout into a JSON-RPC error for the server and a failed phase', async () => {
    const log = newLog();
    const requests = new ServerRequests(log, { timeoutMs: 1_000 });
    const answering = requests.answer(plainRequest('sampling/createMessage', 3));
    const caught = answering.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    const error = await caught;
    expect(error).toBeInstanceOf(ServerRequestRejection);
    expect(error).toMatchObject({ code: -32001, message: 'Nobody answered sampling/createMessage in mcpscope within 1 s.' });
    expect(phases(log).at(-1)).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
  });

  it("passes a person's error answer through with its code", async () => {
    const log = newLog();
    const requests = new ServerRequests(log);
    const answering = requests.answer(plainRequest('sampling/createMessage', 3));
    const [entry] = requests.queue.list();
    requests.queue.answer(entry!.requestId, { error: { code: -1, message: 'User rejected sampling request' } });
    await expect(answering).rejects.toMatchObject({ code: -1, message: 'User rejected sampling request' });
  });
});
