// The parent side of driver.ts: start one, ask it for rounds, stop it.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT, spawnTs, stopProcess } from './processes';

type Reply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'calls'; latencies: number[]; errors: number }
  | { type: 'handshake'; ms: number };

export class Driver {
  private constructor(private readonly child: ChildProcess) {}

  static async start(args: string[], timeoutMs = 60_000): Promise<Driver> {
    const child = spawnTs(path.join(ROOT, 'scripts', 'bench', 'driver.ts'), args, true);
    const driver = new Driver(child);
    await driver.next('ready', timeoutMs);
    return driver;
  }

  private next<T extends Reply['type']>(type: T, timeoutMs: number): Promise<Extract<Reply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`driver: no ${type} reply within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (reply: Reply) => {
        if (reply.type === 'failed') finish(new Error(`driver failed: ${reply.message}`));
        else if (reply.type === type) finish(undefined, reply as Extract<Reply, { type: T }>);
      };
      const onExit = (code: number | null) => finish(new Error(`driver exited (${code}) while waiting for ${type}`));
      const finish = (error?: Error, value?: Extract<Reply, { type: T }>) => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        if (error) reject(error);
        else resolve(value!);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
    });
  }

  async calls(count: number, timeoutMs = 120_000): Promise<{ latencies: number[]; errors: number }> {
    const reply = this.next('calls', timeoutMs);
    this.child.send({ type: 'calls', count });
    return reply;
  }

  /** As many sequential calls as fit in `ms` (a load running meanwhile decides how many). */
  async callsFor(ms: number): Promise<{ latencies: number[]; errors: number }> {
    const reply = this.next('calls', ms + 60_000);
    this.child.send({ type: 'callsFor', ms });
    return reply;
  }

  /** Round trips to GET /api/health (api drivers): what any route of the app costs. */
  async floor(count: number, timeoutMs = 60_000): Promise<{ latencies: number[]; errors: number }> {
    const reply = this.next('calls', timeoutMs);
    this.child.send({ type: 'floor', count });
    return reply;
  }

  /** Round trips of a POST /rpc answered without the MCP server (a 400 for a body with no method): the hop alone. */
  async hop(count: number, timeoutMs = 60_000): Promise<{ latencies: number[]; errors: number }> {
    const reply = this.next('calls', timeoutMs);
    this.child.send({ type: 'hop', count });
    return reply;
  }

  /** Small JSON POSTs to a bare node:http server (e2e/fixtures/bench/bare-hop.ts): the floor of any hop. */
  async bare(url: string, count: number, timeoutMs = 60_000): Promise<{ latencies: number[]; errors: number }> {
    const reply = this.next('calls', timeoutMs);
    this.child.send({ type: 'bare', count, url });
    return reply;
  }

  async handshake(timeoutMs = 30_000): Promise<number> {
    const reply = this.next('handshake', timeoutMs);
    this.child.send({ type: 'handshake' });
    return (await reply).ms;
  }

  async stop(): Promise<void> {
    if (this.child.connected) {
      this.child.send({ type: 'stop' });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 3_000);
        this.child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await stopProcess(this.child, 1_000);
  }
}
