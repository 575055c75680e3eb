// Mocks this mcpscope serves itself (the "Serve as mock" action of a shared session): each a recording on 127.0.0.1 on a
// free port, started and stopped by the person who made the share, all gone with the process. A hosted instance
// serves none: a port opened on its machine is not one a person elsewhere could connect to, and nobody should get to
// open ports on it.
import type { Recording } from '../replay';
import { CodedError } from '../errors';
import { startMock, type RunningMock } from './server';

export type MockHostErrorCode = 'mock_unavailable' | 'mock_limit' | 'mock_not_found';

export class MockHostError extends CodedError<MockHostErrorCode> {
  readonly status: number;
  constructor(code: MockHostErrorCode, message: string, status: number) {
    super('MockHostError', code, message);
    this.status = status;
  }
}

export interface HostedMock {
  /** What the mock serves (a share id). */
  key: string;
  url: string;
  sseUrl: string;
  startedAt: number;
  /** Requests it has answered. */
  requests: number;
}

/** Most mocks one owner may have running at once. */
export const MAX_MOCKS_PER_OWNER = 5;

interface Entry {
  owner: string;
  mock: RunningMock;
  info: HostedMock;
}

export class MockHost {
  private readonly mocks = new Map<string, Entry>();

  constructor(private readonly options: { hosted: () => boolean; now?: () => number }) {}

  /** Why this instance serves no mocks, or undefined when it does. */
  unavailable(): string | undefined {
    return this.options.hosted()
      ? 'A hosted mcpscope does not serve mocks: run `mcpscope mock <share-link>` on your own machine instead.'
      : undefined;
  }

  get(key: string, owner: string): HostedMock | undefined {
    const entry = this.mocks.get(key);
    return entry && entry.owner === owner ? { ...entry.info } : undefined;
  }

  /** Starts serving `recording` under `key` for `owner`; the running one when it is already served. */
  async start(key: string, owner: string, recording: () => Promise<Recording>): Promise<HostedMock> {
    const reason = this.unavailable();
    if (reason) throw new MockHostError('mock_unavailable', reason, 403);
    const running = this.mocks.get(key);
    if (running) {
      if (running.owner !== owner)
        throw new MockHostError('mock_not_found', 'Only the person who made this share can serve it as a mock.', 404);
      return { ...running.info };
    }
    const mine = [...this.mocks.values()].filter((e) => e.owner === owner).length;
    if (mine >= MAX_MOCKS_PER_OWNER)
      throw new MockHostError('mock_limit', `At most ${MAX_MOCKS_PER_OWNER} mocks run at once; stop one first.`, 429);
    const info: HostedMock = { key, url: '', sseUrl: '', startedAt: (this.options.now ?? Date.now)(), requests: 0 };
    const mock = await startMock(await recording(), { onRequest: () => (info.requests += 1) });
    info.url = mock.url;
    info.sseUrl = mock.sseUrl;
    // Two starts at once: the first to get here wins, the other's server is closed.
    const raced = this.mocks.get(key);
    if (raced) {
      await mock.close();
      return { ...raced.info };
    }
    this.mocks.set(key, { owner, mock, info });
    return { ...info };
  }

  /** Stops the mock under `key` if `owner` started it; false when there was none. */
  async stop(key: string, owner: string): Promise<boolean> {
    const entry = this.mocks.get(key);
    if (!entry || entry.owner !== owner) return false;
    this.mocks.delete(key);
    await entry.mock.close();
    return true;
  }

  async stopAll(): Promise<void> {
    const entries = [...this.mocks.values()];
    this.mocks.clear();
    await Promise.all(entries.map((e) => e.mock.close().catch(() => undefined)));
  }
}
