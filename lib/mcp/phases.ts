// Which phase of the session log each JSON-RPC message of a link belongs to. The handshake's own steps
// (server/discover, initialize, notifications/initialized) each get a phase under the probe, closed by the
// server's answer; a request sent for an existing phase (a tools/list, a person's call) is filed under it.
// The recorder asks `phaseIdFor` once per outgoing message, whichever transport carries it.
import type { PhaseHandle, TraceLog } from '../trace';
import type { TraceError } from '../trace/types';

export type RpcId = string | number;

/** A phase that closes at most once, whoever gets there first. */
export class Phase {
  private done = false;
  constructor(
    private readonly handle: PhaseHandle,
    readonly name: string,
  ) {}
  get id(): string {
    return this.handle.id;
  }
  get open(): boolean {
    return !this.done;
  }
  ok(detail?: string): void {
    if (this.done) return;
    this.done = true;
    this.handle.ok(detail);
  }
  fail(error: TraceError, detail?: string): void {
    if (this.done) return;
    this.done = true;
    this.handle.fail(error, detail);
  }
  skip(detail?: string): void {
    if (this.done) return;
    this.done = true;
    this.handle.skip(detail);
  }
}

/** The parts of an outgoing message the book reads. */
export interface MessageHead {
  method?: string;
  id?: RpcId;
}

/** Method and id of a JSON-RPC message (or of a POST body that may be one), when it has them. */
export function messageHead(message: unknown): MessageHead {
  const head: MessageHead = {};
  if (!message || typeof message !== 'object' || Array.isArray(message)) return head;
  if ('method' in message && typeof message.method === 'string') head.method = message.method;
  if ('id' in message && (typeof message.id === 'string' || typeof message.id === 'number')) head.id = message.id;
  return head;
}

/** Closed phases are dropped from the open set once it grows past this (long sessions open many). */
const OPEN_SET_PRUNE_AT = 64;

export class PhaseBook {
  readonly probe: Phase;
  private readonly openPhases = new Set<Phase>();
  /** Handshake requests whose answer closes their phase. */
  private readonly awaiting = new Map<RpcId, Phase>();
  /** The phase an outgoing request's exchange is filed under; read once. */
  private readonly filed = new Map<RpcId, string>();
  private readonly notifications = new Map<string, Phase>();
  private readonly methods = new Map<RpcId, string>();
  private discover: { phase: Phase; outcome?: string } | undefined;

  constructor(
    private readonly log: TraceLog,
    probe: { name: string; parentId: string; detail: string },
  ) {
    this.probe = this.open(probe.name, probe.parentId, probe.detail);
  }

  open(name: string, parentId: string | undefined, detail?: string): Phase {
    const phase = new Phase(this.log.beginPhase(name, { parentId, detail }), name);
    this.openPhases.add(phase);
    if (this.openPhases.size > OPEN_SET_PRUNE_AT) for (const item of this.openPhases) if (!item.open) this.openPhases.delete(item);
    return phase;
  }

  /** The method of a request sent on this link (for "before answering tools/call"). */
  methodOf(id: RpcId): string | undefined {
    return this.methods.get(id);
  }

  /** True while `id` is a handshake request waiting for its answer. */
  awaits(id: RpcId): boolean {
    return this.awaiting.has(id);
  }

  /** A request is going out; its exchange is filed under `phaseId` when given. */
  request(id: RpcId, method: string, phaseId?: string): void {
    this.methods.set(id, method);
    if (phaseId !== undefined) this.filed.set(id, phaseId);
  }

  /** A handshake request is going out (already noted with `request`): its own phase under the probe. */
  handshakeRequest(id: RpcId, method: string): void {
    if (method === 'initialize' && this.discover) {
      this.discover.phase.skip(
        `${this.discover.outcome ?? 'no usable server/discover answer'}: not a 2026-07-28 server, continuing with the 2025 initialize handshake`,
      );
    }
    const phase = this.open(method, this.probe.id);
    if (method === 'server/discover') this.discover = { phase };
    this.awaiting.set(id, phase);
    this.filed.set(id, phase.id);
  }

  /** A handshake notification is going out: its phase (`name`) closes when the server accepts it. */
  handshakeNotification(method: string, name: string): void {
    this.notifications.set(method, this.open(name, this.probe.id, method));
  }

  /** The message went out (for a notification: the server accepted it). */
  sent(head: MessageHead): void {
    if (head.method === undefined || head.id !== undefined) return;
    const phase = this.notifications.get(head.method);
    if (!phase) return;
    this.notifications.delete(head.method);
    phase.ok('accepted by the server');
  }

  /**
   * Sending failed. `why` is asked only when a phase fails with it; `answer` describes the HTTP answer, for a
   * server/discover probe that a 2025 server refused (the SDK goes on to initialize, so that is no failure).
   */
  sendFailed(head: MessageHead, why: () => TraceError, answer: () => string): void {
    if (head.method === undefined) return;
    if (head.id === undefined) {
      const phase = this.notifications.get(head.method);
      this.notifications.delete(head.method);
      phase?.fail(why());
      return;
    }
    const phase = this.awaiting.get(head.id);
    if (!phase) return;
    this.awaiting.delete(head.id);
    if (this.discover?.phase === phase) {
      this.discover.outcome = `server/discover was answered ${answer()}`;
      return;
    }
    phase.fail(why());
  }

  /** The server answered `id`: a handshake step's phase closes with what the answer says. */
  answered(id: RpcId, type: 'result' | 'error', message: unknown): void {
    const phase = this.awaiting.get(id);
    if (!phase) return;
    this.awaiting.delete(id);
    const body = asRecord(message);
    if (type === 'error') {
      const error = asRecord(body?.error);
      const text = `JSON-RPC error ${String(error?.code ?? '?')}: ${String(error?.message ?? '')}`;
      if (this.discover?.phase === phase) {
        this.discover.outcome = `server/discover was answered with ${text}`;
        return;
      }
      phase.fail({ code: 'protocol_error', message: `The server answered ${phase.name} with ${text}` });
      return;
    }
    const result = asRecord(body?.result);
    if (phase.name === 'server/discover') {
      const versions = Array.isArray(result?.supportedVersions) ? result.supportedVersions.join(', ') : 'none listed';
      this.discover = undefined;
      phase.ok(`supported versions: ${versions}`);
    } else if (phase.name === 'initialize') {
      const info = asRecord(result?.serverInfo);
      phase.ok(
        `protocol ${String(result?.protocolVersion ?? '?')}; server ${String(info?.name ?? '?')} ${String(info?.version ?? '')}`.trim(),
      );
    } else {
      phase.ok();
    }
  }

  /** The handshake is over: a server/discover probe still open was not how it went. */
  handshakeDone(): void {
    this.discover?.phase.skip(this.discover.outcome);
  }

  /** Every open phase fails with `error`, the probe last (with its own detail). */
  abandon(error: TraceError, probeDetail?: string): void {
    for (const phase of this.openPhases) if (phase !== this.probe) phase.fail(error);
    this.probe.fail(error, probeDetail);
  }

  /** The phase an outgoing message belongs to (its request's, or its open notification phase); asked once per message. */
  phaseIdFor(head: MessageHead): string | undefined {
    const { id, method } = head;
    if (method === undefined) return undefined;
    if (id === undefined) return this.notifications.get(method)?.id;
    const phaseId = this.filed.get(id);
    this.filed.delete(id);
    return phaseId;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
