// Many live sessions in one server process: the RSS of the process serving the app before and after opening them (each with
// its events stream open, as a browser tab would hold it), then one tool call per session and a check that
// its result reached that session's stream.
import { createParser } from 'eventsource-parser';
import { ApiClient, type ApiSession } from './api';
import { sampleRss, sleep } from './processes';

export interface SessionsMeasurement {
  sessions: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  perSessionBytes: number;
  streamsOpen: number;
  /** Streams that carried the result of their session's call. */
  reached: number;
  callErrors: number;
  createMs: number;
}

interface Stream {
  opened: Promise<void>;
  sawText: Set<string>;
  waiters: Map<string, () => void>;
  abort: AbortController;
}

function openStream(api: ApiClient, sessionId: string): Stream {
  const abort = new AbortController();
  const sawText = new Set<string>();
  const waiters = new Map<string, () => void>();
  let markOpen: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    markOpen = resolve;
  });
  const parser = createParser({
    onEvent(message) {
      if (message.event === 'summary') markOpen();
      if (message.event !== 'trace') return;
      // Only results are of interest; skip parsing the rest.
      if (!message.data.includes('"kind":"rpc"') || !message.data.includes('"type":"result"')) return;
      try {
        const event = JSON.parse(message.data) as { message?: { result?: { content?: Array<{ text?: string }> } } };
        const text = event.message?.result?.content?.[0]?.text;
        if (text !== undefined) {
          sawText.add(text);
          waiters.get(text)?.();
        }
      } catch {
        // not ours
      }
    },
  });
  void (async () => {
    try {
      const response = await fetch(`${api.origin}/api/sessions/${sessionId}/events`, {
        headers: api.headers({ accept: 'text/event-stream' }),
        signal: abort.signal,
      });
      if (!response.ok || !response.body) return;
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // aborted at the end
    }
  })();
  return { opened, sawText, waiters, abort };
}

function waitForText(stream: Stream, text: string, timeoutMs: number): Promise<boolean> {
  if (stream.sawText.has(text)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stream.waiters.delete(text);
      resolve(false);
    }, timeoutMs);
    stream.waiters.set(text, () => {
      clearTimeout(timer);
      stream.waiters.delete(text);
      resolve(true);
    });
  });
}

/** Runs `work` over `items`, at most `concurrency` at a time, results in order. */
export async function inBatches<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index], index);
      }
    }),
  );
  return results;
}

/** Owners hold at most this many sessions each (the per-browser limit is above it). */
const SESSIONS_PER_OWNER = 25;

export interface OwnedSession {
  api: ApiClient;
  session: ApiSession;
}

/** `count` connected sessions to `mcpUrl`, spread over owners (browsers) of at most 25 sessions each. */
export async function createOwnedSessions(origin: string, mcpUrl: string, count: number, attempts = 1): Promise<OwnedSession[]> {
  const owners = Array.from({ length: Math.ceil(count / SESSIONS_PER_OWNER) }, () => new ApiClient(origin));
  // A busy MCP server may drop a connection now and then: `attempts` > 1 tries again (after a pause) before failing.
  const create = async (api: ApiClient): Promise<OwnedSession> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return { api, session: await api.createSession(mcpUrl) };
      } catch (error) {
        if (attempt >= attempts) throw error;
        await sleep(1_000);
      }
    }
  };
  // The first session of each owner sets its cookie; create those one by one, the rest in parallel.
  const sessions: OwnedSession[] = [];
  for (const api of owners) sessions.push(await create(api));
  const rest = Array.from({ length: count - owners.length }, (_, i) => owners[i % owners.length]!);
  sessions.push(...(await inBatches(rest, 8, create)));
  return sessions;
}

export async function measureSessions(origin: string, mcpUrl: string, serverPid: number, count: number): Promise<SessionsMeasurement> {
  // Warm-up: load every route and module the figure uses, so the "before" RSS is a warm server's.
  const warm = new ApiClient(origin);
  const warmSession = await warm.createSession(mcpUrl);
  const warmStream = openStream(warm, warmSession.id);
  await warmStream.opened;
  await warm.rpc(warmSession.id, 'tools/call', { name: 'add', arguments: { a: 1, b: 1 } });
  await waitForText(warmStream, '2', 5_000);
  warmStream.abort.abort();
  await warm.deleteSession(warmSession.id);
  await sleep(1_000);
  const rssBefore = await sampleRss(serverPid);

  const createStarted = performance.now();
  const sessions = await createOwnedSessions(origin, mcpUrl, count);
  const createMs = performance.now() - createStarted;

  const streams = sessions.map(({ api, session }) => openStream(api, session.id));
  const opened = await Promise.all(streams.map((s) => Promise.race([s.opened.then(() => true), sleep(20_000).then(() => false)])));
  await sleep(2_000);
  const rssAfter = await sampleRss(serverPid);

  // One call per session, each with an answer no other session gets, and a look at that session's stream.
  let callErrors = 0;
  const reached = await inBatches(sessions, 16, async ({ api, session }, i) => {
    const expected = String(i + 1_000_000);
    const seen = waitForText(streams[i], expected, 20_000);
    try {
      const answer = await api.rpc(session.id, 'tools/call', { name: 'add', arguments: { a: i, b: 1_000_000 } });
      if (answer.error) callErrors++;
    } catch {
      callErrors++;
    }
    return seen;
  });

  for (const stream of streams) stream.abort.abort();
  await inBatches(sessions, 16, ({ api, session }) => api.deleteSession(session.id).catch(() => undefined));

  return {
    sessions: count,
    rssBeforeBytes: rssBefore,
    rssAfterBytes: rssAfter,
    perSessionBytes: (rssAfter - rssBefore) / count,
    streamsOpen: opened.filter(Boolean).length,
    reached: (await Promise.all(reached)).filter(Boolean).length,
    callErrors,
    createMs,
  };
}
