// Several mcpscope instances sharing one Postgres store behind a load balancer (README § Several instances).
// What every instance must know of a session lives in the store: whose it is, which instance holds its live
// connection, its last state, and what it was created with (sealed). The connection, the log and the flow of an
// OAuth login in progress stay in the memory of the instance holding the session. So another instance asked about
// a session it does not hold hands the request to the holder while it runs (the load balancer's stickiness lost,
// an OAuth callback landing elsewhere), and once the holder is gone says so truthfully and can connect the
// session again itself, with the stored tokens. Server-only.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { getConfig } from '../config';
import { MAX_SESSION_TIMEOUT_MS, type SessionState } from '../contract';
import { CodedError } from '../errors';
import { getSharedStore, resolveStoreConfig, storeDialectFor, type SessionRecord, type Store } from '../store';

/** How often an instance says it is alive. */
export const HEARTBEAT_MS = 5_000;
/** An instance not seen for this long is gone (killed, or its machine lost), whatever its address answers. */
export const DEAD_AFTER_MS = 3 * HEARTBEAT_MS;
/** Records of sessions (and instances) untouched for this long are removed. */
export const RECORD_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a probe of another instance may take before it counts as gone. */
const PROBE_TIMEOUT_MS = 1_500;
/** How long the holder may take to open a connection handed a request before it counts as stopped. */
export const FORWARD_CONNECT_TIMEOUT_MS = 3_000;
/**
 * How long a connection to the holder may stay silent: past the longest a request may run (a session's
 * timeouts.requestMaxMs, or MCPSCOPE_REQUEST_MAX_MS if longer), so the holder's own time-limit answer comes first.
 */
export function forwardIdleMs(requestMaxMs: number): number {
  return Math.max(requestMaxMs, MAX_SESSION_TIMEOUT_MS) + 60_000;
}
/** Marks a request one instance handed to another, so it is never handed on again. */
export const FORWARDED_HEADER = 'x-mcpscope-forwarded-by';

/** Where a session the caller owns lives, seen from this instance. */
export type Whereabouts =
  /** Another running instance holds it; `address` reaches that instance. */
  | { kind: 'elsewhere'; record: SessionRecord; address: string }
  /** Its instance stopped (cleanly or not): the live connection is gone, the record remains. */
  | { kind: 'orphaned'; record: SessionRecord }
  /** Another instance runs and holds it, but said no address to reach it at (MCPSCOPE_INSTANCE_URL). */
  | { kind: 'unreachable'; record: SessionRecord };

export interface ClusterOptions {
  store?: () => Promise<Store>;
  instanceId?: string;
  /** Base URL other instances reach this one at (MCPSCOPE_INSTANCE_URL); without it, nothing is handed here. */
  address?: string;
  now?: () => number;
  /**
   * Whether the instance announced at `startedAt` still answers at `address` (default: GET <address>/api/health,
   * which says when its process started: a newer process there is not the one that held the session).
   */
  probe?: (address: string, startedAt: number) => Promise<boolean>;
  /** `forward`: how long the holder may take to open the connection (default FORWARD_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** `forward`: how long the connection to the holder may stay silent (default `forwardIdleMs` of the config's bound). */
  idleMs?: number;
}

export class Cluster {
  readonly instanceId: string;
  readonly address: string | undefined;
  private readonly store: () => Promise<Store>;
  private readonly now: () => number;
  private readonly probe: (address: string, startedAt: number) => Promise<boolean>;
  private readonly connectTimeoutMs: number;
  private readonly idleMs: number;
  private started: Promise<void> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  /** Writes of one session's record, in order (a state change must not overtake the create). */
  private readonly writes = new Map<string, Promise<unknown>>();

  constructor(options: ClusterOptions = {}) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.address = options.address;
    this.store = options.store ?? getSharedStore;
    this.now = options.now ?? Date.now;
    this.probe = options.probe ?? probeHealth;
    this.connectTimeoutMs = options.connectTimeoutMs ?? FORWARD_CONNECT_TIMEOUT_MS;
    this.idleMs = options.idleMs ?? forwardIdleMs(getConfig().requestMaxMs);
  }

  /** Announces this instance and keeps its heartbeat; idempotent. */
  start(): Promise<void> {
    this.started ??= (async () => {
      const store = await this.store();
      await store.announceInstance({ id: this.instanceId, ...(this.address ? { address: this.address } : {}) });
      await store.purgeSessionRecords(this.now() - RECORD_TTL_MS).catch(() => 0);
      this.heartbeat = setInterval(() => {
        void store.instanceSeen(this.instanceId).catch((error: unknown) => console.error('mcpscope: heartbeat failed', error));
      }, HEARTBEAT_MS);
      this.heartbeat.unref?.();
    })();
    this.started.catch(() => {
      this.started = undefined;
    });
    return this.started;
  }

  /** A clean stop: the other instances see this one's sessions as ended at once. */
  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    if (!this.started) return;
    await Promise.allSettled(this.writes.values());
    await (await this.store()).instanceStopped(this.instanceId);
  }

  /** A session this instance now holds (created, or taken over). */
  recordSession(record: Omit<SessionRecord, 'instanceId' | 'createdAt' | 'updatedAt'>): Promise<void> {
    return this.write(record.id, async (store) => store.saveSessionRecord({ ...record, instanceId: this.instanceId }));
  }

  recordState(id: string, state: SessionState): Promise<void> {
    return this.write(id, async (store) => store.setSessionRecordState(id, this.instanceId, state));
  }

  /** The session left this instance for good (expired or removed). */
  forgetSession(owner: string, id: string): Promise<void> {
    return this.write(id, async (store) => store.forgetSessionRecord(owner, id));
  }

  /** Records of this instance's sessions are written in order per session, never failing the caller. */
  private write(id: string, step: (store: Store) => Promise<unknown>): Promise<void> {
    const previous = this.writes.get(id) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        await this.start();
        await step(await this.store());
      })
      .catch((error: unknown) => console.error(`mcpscope: could not record session ${id} in the store`, error));
    this.writes.set(id, next);
    void next.finally(() => {
      if (this.writes.get(id) === next) this.writes.delete(id);
    });
    return next;
  }

  /** Where the owner's session is when this instance does not hold it; undefined when no instance knows it. */
  async whereabouts(owner: string | undefined, id: string): Promise<Whereabouts | undefined> {
    if (!owner) return undefined;
    await Promise.allSettled([this.writes.get(id)]);
    const store = await this.store();
    const record = await store.getSessionRecord(owner, id);
    if (!record) return undefined;
    // Held here in the record but not in memory: this process restarted under the same id, so it is gone.
    if (record.instanceId === this.instanceId) return { kind: 'orphaned', record };
    const instance = await store.getInstance(record.instanceId);
    const seenRecently = instance !== undefined && instance.stoppedAt === undefined && this.now() - instance.seenAt < DEAD_AFTER_MS;
    if (!seenRecently) return { kind: 'orphaned', record };
    if (!instance.address) return { kind: 'unreachable', record };
    // This process took over the address (a restart): the instance that held the session is gone.
    if (instance.address === this.address) return { kind: 'orphaned', record };
    // A killed instance stays "seen" for up to DEAD_AFTER_MS: its address not answering says so sooner.
    if (!(await this.probe(instance.address, instance.startedAt))) return { kind: 'orphaned', record };
    return { kind: 'elsewhere', record, address: instance.address };
  }

  /** Takes an orphaned session over; false when another instance did first. */
  async claim(record: SessionRecord): Promise<boolean> {
    return (await this.store()).claimSessionRecord(record.owner, record.id, record.instanceId, this.instanceId);
  }

  /**
   * Hands the request to the instance that holds the session and answers what it answers, streams included.
   * node:http rather than fetch: the Host header must stay the one the browser sent (the load balancer's name),
   * which the other instance checks the request's Origin against; fetch would put the instance's address there.
   *
   * It never hangs and never throws for the holder's sake. A holder that does not open the connection within
   * `connectTimeoutMs`, refuses it or resets it is `unreached`: the request never got there, so the caller answers
   * as for a session whose instance stopped. Once the request may have reached the holder, a non-GET is not sent
   * anywhere else: a holder that drops it before answering is `lost` (it may or may not have run). No bound on
   * the wait for the answer itself (a tool call may take up to its request bound), only on a silent connection
   * (`idleMs`, past the longest request bound), which also ends a stream the holder stops feeding.
   */
  async forward(request: Request, address: string): Promise<HandOver> {
    const incoming = new URL(request.url);
    const target = new URL(incoming.pathname + incoming.search, address);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name)) headers[name] = value;
    });
    headers[FORWARDED_HEADER] = this.instanceId;
    const idempotent = request.method === 'GET' || request.method === 'HEAD';
    const body = idempotent ? undefined : Buffer.from(await request.arrayBuffer());
    if (body) headers['content-length'] = String(body.length);
    const what = `${request.method} ${incoming.pathname}`;
    return new Promise<HandOver>((resolve) => {
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      // A connection of its own each time: a kept-alive one the holder closed meanwhile would fail a request it
      // never saw, and a non-GET could then not be told apart from one the holder dropped.
      let answered = false;
      const outgoing = send(target, { method: request.method, headers, agent: false, timeout: this.idleMs }, (answer) => {
        answered = true;
        const out = new Headers();
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value === undefined || HOP_BY_HOP.has(name)) continue;
          if (Array.isArray(value)) for (const item of value) out.append(name, item);
          else out.set(name, value);
        }
        const status = answer.statusCode ?? 502;
        const empty = status === 204 || status === 304 || request.method === 'HEAD';
        if (empty) answer.resume();
        // From here an error of the connection (reset, idle bound) errors the body, which ends the caller's answer.
        answer.on('error', () => undefined);
        resolve({
          kind: 'answered',
          response: new Response(empty ? null : (Readable.toWeb(answer) as ReadableStream<Uint8Array>), { status, headers: out }),
        });
      });
      let connected = false;
      outgoing.on('socket', (socket) => {
        if (!socket.connecting) {
          connected = true;
          return;
        }
        const limit = setTimeout(
          () =>
            outgoing.destroy(
              new HandOverError('holder_unreachable', `${address} did not accept a connection within ${this.connectTimeoutMs} ms.`),
            ),
          this.connectTimeoutMs,
        );
        socket.once('connect', () => {
          connected = true;
          clearTimeout(limit);
        });
        socket.once('close', () => clearTimeout(limit));
      });
      outgoing.on('timeout', () =>
        outgoing.destroy(new HandOverError('holder_stopped_answering', `${address} sent nothing for ${Math.round(this.idleMs / 1000)} s.`)),
      );
      outgoing.on('error', (error) => {
        // After the answer, its stream carries the error.
        if (answered) return;
        // The browser went away: nobody to answer, and the request is not the holder's failure (nor to be redone).
        if (request.signal.aborted) {
          resolve({ kind: 'lost', reason: 'the caller went away' });
          return;
        }
        const reason = error instanceof Error ? error.message : String(error);
        if (!connected || idempotent) {
          resolve({ kind: 'unreached', reason: `${what} could not be handed to ${address}: ${reason}` });
          return;
        }
        console.error(
          `mcpscope: ${what} was handed to ${address}, which stopped answering before it answered (${reason}); it may or may not have run`,
        );
        resolve({ kind: 'lost', reason });
      });
      // Never left pending: a hand-over closed with neither an answer nor an error is settled all the same.
      outgoing.on('close', () => {
        if (!answered) resolve({ kind: 'lost', reason: 'the hand-over was closed before an answer' });
      });
      // The browser went away (a closed events stream): so does the request to the holder.
      request.signal.addEventListener('abort', () => outgoing.destroy(), { once: true });
      outgoing.end(body);
    });
  }
}

/** What came of handing a request to the instance holding its session (`Cluster.forward`). */
export type HandOver =
  /** The holder's answer, as it is (its body errors if the holder cuts it). */
  | { kind: 'answered'; response: Response }
  /** The request did not reach the holder (or, a GET, got nothing back): the holder counts as stopped. */
  | { kind: 'unreached'; reason: string }
  /** A non-GET the holder may have received, then dropped before answering: it may or may not have run. */
  | { kind: 'lost'; reason: string };

/** Why a hand-over failed, for the log (the caller's answer is chosen by `HandOver`'s kind). */
class HandOverError extends CodedError<'holder_unreachable' | 'holder_stopped_answering'> {
  constructor(code: 'holder_unreachable' | 'holder_stopped_answering', message: string) {
    super('HandOverError', code, message);
  }
}

/** Headers about one connection, not the message (RFC 9110 § 7.6.1). */
const HOP_BY_HOP: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
]);

/** Whether a request was already handed over by another instance. */
export function wasForwarded(request: Request): boolean {
  return request.headers.has(FORWARDED_HEADER);
}

async function probeHealth(address: string, startedAt: number): Promise<boolean> {
  try {
    const response = await fetch(new URL('/api/health', address), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), redirect: 'manual' });
    const health = (await response.json().catch(() => ({}))) as { startedAt?: unknown };
    // Announced after its process started; a process started after the announcement is another one.
    return typeof health.startedAt !== 'number' || health.startedAt <= startedAt;
  } catch {
    return false;
  }
}

/** The message every instance gives for a session whose instance stopped. */
export const INSTANCE_STOPPED_MESSAGE =
  'This session ended when its mcpscope instance stopped: its live connection and log were held there. Reconnect to connect it again on this instance (stored OAuth tokens are used; no new login).';

const CLUSTER_KEY = Symbol.for('mcpscope.cluster');

/**
 * Where the other instances reach this one: MCPSCOPE_INSTANCE_URL, else the address it listens on (HOST and PORT)
 * when that is one address rather than all of them (0.0.0.0 or ::, which another machine cannot use).
 */
export function instanceAddress(env: Record<string, string | undefined>): string | undefined {
  const explicit = env.MCPSCOPE_INSTANCE_URL?.trim();
  if (explicit) return explicit;
  const host = env.HOST?.trim();
  if (!host || host === '0.0.0.0' || host === '::' || host === '[::]') return undefined;
  return `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${env.PORT?.trim() || '3000'}`;
}

/**
 * The process's cluster membership: on when the store is shared (DATABASE_URL, Postgres), off with SQLite (one
 * instance per data directory). MCPSCOPE_INSTANCE_URL is where the other instances reach this one.
 */
export function getCluster(env: Record<string, string | undefined> = process.env): Cluster | undefined {
  const holder = globalThis as typeof globalThis & { [CLUSTER_KEY]?: Cluster | null };
  if (holder[CLUSTER_KEY] === undefined) {
    const shared = storeDialectFor(resolveStoreConfig({}, env)) === 'postgres' && env.MCPSCOPE_CLUSTER !== '0';
    const address = instanceAddress(env);
    holder[CLUSTER_KEY] = shared ? new Cluster(address ? { address } : {}) : null;
    if (holder[CLUSTER_KEY]) {
      const cluster = holder[CLUSTER_KEY];
      void cluster.start().catch((error: unknown) => console.error('mcpscope: could not announce this instance in the store', error));
      // A clean stop tells the others at once; a killed instance is found out by its silence.
      process.once('SIGTERM', () => void cluster.stop().catch(() => undefined));
      process.once('SIGINT', () => void cluster.stop().catch(() => undefined));
    }
  }
  return holder[CLUSTER_KEY] ?? undefined;
}
