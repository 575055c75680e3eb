// The Node inspector of a process the bench started with `--inspect=127.0.0.1:<port>`: a garbage collection on
// demand, and the process's own memory figures. An idle V8 collects nothing and gives nothing back, so "what
// the process still holds" is only measurable after a collection.
import { createRequire } from 'node:module';
import { ROOT } from './processes';

interface WebSocketLike {
  once(event: 'open' | 'error', listener: (error?: Error) => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  send(data: string): void;
  close(): void;
}

export interface ProcessMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

/** V8's CPU profile (the Chrome DevTools `.cpuprofile` format). */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
    hitCount?: number;
    children?: number[];
  }>;
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface Inspector {
  memory(): Promise<ProcessMemory>;
  /** Runs an expression in the process (diagnostics); its JSON-serialisable value. */
  evaluate(expression: string): Promise<unknown>;
  collectGarbage(): Promise<void>;
  /** Starts V8's sampling CPU profiler (`intervalUs` between samples). */
  startProfile(intervalUs?: number): Promise<void>;
  /** Stops it: the profile, as a `.cpuprofile` file holds it. */
  stopProfile(): Promise<CpuProfile>;
  close(): void;
}

export async function connectInspector(port: number): Promise<Inspector> {
  // Next.js ships a WebSocket client; the bench needs no dependency of its own for this.
  const WebSocket = createRequire(`${ROOT}/package.json`)('next/dist/compiled/ws') as new (url: string) => WebSocketLike;
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
  const target = targets[0];
  if (!target) throw new Error(`no inspector target on 127.0.0.1:${port}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', (error) => reject(error ?? new Error('inspector connection failed')));
  });
  type Answer = { id?: number; result?: { result?: { value?: unknown }; profile?: CpuProfile } };
  let next = 0;
  const waiting = new Map<number, (message: Answer) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as Answer;
    if (message.id === undefined) return;
    waiting.get(message.id)?.(message);
    waiting.delete(message.id);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<Answer>((resolve, reject) => {
      next += 1;
      const timer = setTimeout(() => reject(new Error(`inspector: no answer to ${method}`)), 60_000);
      waiting.set(next, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      socket.send(JSON.stringify({ id: next, method, params }));
    });
  return {
    async memory() {
      const answer = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
      return JSON.parse(String(answer.result?.result?.value)) as ProcessMemory;
    },
    async evaluate(expression: string) {
      const answer = await call('Runtime.evaluate', { expression, returnByValue: true });
      return answer.result?.result?.value;
    },
    async collectGarbage() {
      await call('HeapProfiler.collectGarbage');
    },
    async startProfile(intervalUs = 100) {
      await call('Profiler.enable');
      await call('Profiler.setSamplingInterval', { interval: intervalUs });
      await call('Profiler.start');
    },
    async stopProfile() {
      const answer = await call('Profiler.stop');
      if (!answer.result?.profile) throw new Error('inspector: Profiler.stop returned no profile');
      return answer.result.profile;
    },
    close: () => socket.close(),
  };
}
