// One transport attempt (Streamable HTTP or legacy SSE) and, when it succeeds, the live plumbing under
// a connection: the SDK client and transport, the wire, the log watcher and the phases they open.
import { SSEClientTransport, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import type { PhaseHandle, SecretSet, TraceLog } from '../trace';
import type { TraceError } from '../trace/types';
import { decideFallback, isMcpContentType, type FallbackDecision } from './eras';
import { EngineError } from './errors';
import { describeSdkReport, explainError, explainHttpStatus, formatSeconds } from './explain';
import type { ExchangeAuthorizer, StdioLaunch, WireTransport } from './types';
import { isStdioError, RecordingStdioTransport } from '../stdio';
import { installClientFeatures, type ClientFeatures } from './client-features';
import { TaskingClient } from './client-tasks';
import { LogWatcher } from './watch';
import { Wire, type ExchangePlan, type OutgoingRequest, type ResponseObservation } from './wire';

type RpcId = string | number;

export const CLIENT_INFO = { name: 'mcpscope', version: '0.1.0' } as const;

/** How many failed reconnections of the legacy SSE stream in a row end the connection. */
const MAX_LEGACY_STREAM_FAILURES = 5;

export interface LinkOptions {
  kind: WireTransport;
  /** The server's URL (HTTP kinds). */
  url?: URL;
  /** The process to start (`kind: 'stdio'`). */
  stdio?: StdioLaunch;
  headers: Record<string, string>;
  log: TraceLog;
  secrets: SecretSet;
  baseFetch?: typeof fetch;
  authorize?: ExchangeAuthorizer;
  connectPhaseId: string;
  /** Epoch milliseconds by which the handshake must be done. */
  deadline: number;
  signal?: AbortSignal;
  /** Capabilities to declare and the answerer for elicitation, sampling and roots requests. */
  clientFeatures?: ClientFeatures;
}

/** A phase that closes at most once, whoever gets there first. */
class Phase {
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

/** Set synchronously around `client.request()` so the send hook can learn the request's JSON-RPC id. */
export interface SendHook {
  phaseId?: string;
  /** The caller's own progress token: it goes on the wire instead of the SDK's (the request id). */
  progressToken?: RpcId;
  onId(id: RpcId): void;
}

interface JsonRpcLike {
  method?: unknown;
  id?: unknown;
}

function asRpc(value: unknown): JsonRpcLike | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonRpcLike) : undefined;
}

function rpcId(message: JsonRpcLike | undefined): RpcId | undefined {
  return typeof message?.id === 'string' || typeof message?.id === 'number' ? message.id : undefined;
}

export class Link {
  readonly kind: WireTransport;
  readonly client: TaskingClient;
  readonly transport: StreamableHTTPClientTransport | SSEClientTransport | RecordingStdioTransport;
  readonly wire: Wire;
  readonly probePhase: Phase;
  sendHook: SendHook | undefined;
  /** Set by `close()` so the DELETE is filed under the disconnect phase. */
  disconnectPhaseId: string | undefined;
  /**
   * Caller progress token → the SDK's request id. The SDK routes progress (and resets timeouts) by the
   * request id it put in `_meta.progressToken`; the person asked for their own token, so the wire carries
   * theirs and incoming progress is translated back before the SDK sees it.
   */
  private readonly progressAliases = new Map<string, RpcId>();
  /** The most recent unparseable message the SDK reported out of band, and when. */
  private lastParseError: { error: Error; at: number } | undefined;
  private readonly startedAt = Date.now();
  private watcher: LogWatcher | undefined;
  private connecting = true;
  private closing = false;
  /**
   * The requests sent while connecting, so an abandoned handshake (closed, timed out, made room for another
   * client's session) stops them: closing the SDK client does not cancel a request still waiting for its answer,
   * and a server that never answers would keep that socket open for good.
   */
  private readonly handshakeRequests = new Set<AbortController>();
  private readonly log: TraceLog;
  private readonly options: LinkOptions;
  private readonly rpcPhases = new Map<RpcId, Phase>();
  private readonly rpcMethods = new Map<RpcId, string>();
  private readonly phaseIdByRpcId = new Map<RpcId, string>();
  private readonly notificationPhases = new Map<string, Phase>();
  private readonly openPhases = new Set<Phase>();
  private readonly streamClosedHandlers = new Map<RpcId, (error: EngineError) => void>();
  private discover: { phase: Phase; outcome?: string } | undefined;
  private legacyStreamPhase: Phase | undefined;
  private legacyEndpoint: string | undefined;
  private getCount = 0;
  private consecutiveStreamFailures = 0;
  private failAttempt: ((error: EngineError) => void) | undefined;
  private fatalListeners = new Set<(error: EngineError) => void>();
  private personWaits = 0;
  private readonly holdListeners = new Set<() => void>();
  private lastFindingMessage: string | undefined;

  constructor(options: LinkOptions) {
    this.options = options;
    this.kind = options.kind;
    this.log = options.log;
    this.probePhase = this.openPhase(`probe:${options.kind}`, options.connectPhaseId, this.probeDetail());
    this.wire = new Wire({
      log: options.log,
      secrets: options.secrets,
      secretHeaderNames: Object.keys(options.headers),
      baseFetch: options.baseFetch,
      authorize: options.authorize,
      planner: (request) => this.plan(request),
    });
    const requestInit: RequestInit = { headers: { ...options.headers } };
    const fetch = this.stoppableWhileConnecting(this.wire.fetch);
    if (options.kind === 'stdio') {
      if (!options.stdio) throw new TypeError('a stdio link needs the process to start');
      this.transport = new RecordingStdioTransport({
        spec: options.stdio.spec,
        shown: options.stdio.shown,
        log: options.log,
        secrets: options.secrets,
        phaseFor: (message) => this.phaseForMessage(asRpc(message)),
      });
    } else {
      if (!options.url) throw new TypeError('an HTTP link needs the server URL');
      this.transport =
        options.kind === 'streamable-http'
          ? new StreamableHTTPClientTransport(options.url, { fetch, requestInit })
          : // The EventSource behind the legacy transport uses `fetch` too (eventSourceInit.fetch would override it).
            new SSEClientTransport(options.url, { fetch, requestInit });
    }
    this.client = new TaskingClient(CLIENT_INFO, {
      capabilities: options.clientFeatures?.capabilities ?? {},
      // Over stdio the probe runs in place on the same pipe (the SDK's sibling probe is for its own transport only).
      versionNegotiation: options.kind === 'sse' ? undefined : { mode: 'auto' },
    });
    const features = options.clientFeatures;
    // While the server waits on the person, request timers pause (see LiveConnection.send).
    if (features) {
      installClientFeatures(this.client, { answer: (request) => this.whileHeld(() => features.answer(request)) });
      // Declared with the other client features (CLIENT_CAPABILITIES.tasks), so only when they are.
      if (features.capabilities.tasks) this.client.installTaskHandlers();
    }
    // Protocol answers ping by default; registering it again keeps that explicit if the SDK changes.
    this.client.setRequestHandler('ping', () => ({}));
    this.client.onerror = (error) => this.onSdkError(error);
    this.client.onclose = () => {
      if (this.closing || this.connecting) return;
      this.fatal(
        this.transport instanceof RecordingStdioTransport
          ? new EngineError('process_exited', this.transport.describeGone())
          : new EngineError('stream_closed', 'The connection to the server closed.'),
      );
    };
    this.wrapSend(this.transport);
  }

  /** Runs the handshake. Rejects with the raw failure; `explain()` turns it into an EngineError. */
  async establish(): Promise<void> {
    const startSeq = this.log.lastSeq;
    this.watcher = new LogWatcher(
      this.log,
      {
        answered: (id, type, message) => this.onAnswered(id, type, message),
        streamClosed: (ids) => this.onStreamClosed(ids),
        endpoint: (data) => this.onEndpoint(data),
      },
      startSeq,
    );
    const remaining = Math.max(1, this.options.deadline - Date.now());
    const failure = new Promise<never>((_, reject) => {
      this.failAttempt = reject;
    });
    const timer = setTimeout(() => {
      this.failAttempt?.(
        new EngineError('timeout', `The server did not complete the handshake within ${formatSeconds(remaining)} (connect timeout).`),
      );
    }, remaining);
    const onAbort = () => this.failAttempt?.(new EngineError('aborted', 'Connecting was cancelled.'));
    if (this.options.signal?.aborted) onAbort();
    this.options.signal?.addEventListener('abort', onAbort, { once: true });
    const handshake = this.client.connect(this.transport, { timeout: remaining });
    handshake.catch(() => undefined);
    try {
      await Promise.race([handshake, failure]);
    } finally {
      clearTimeout(timer);
      this.options.signal?.removeEventListener('abort', onAbort);
      this.failAttempt = undefined;
    }
    this.connecting = false;
    // Connected: these requests (a legacy SSE stream among them) now live and end with the connection.
    this.handshakeRequests.clear();
    this.discover?.phase.skip(this.discover.outcome);
    this.translateIncomingProgress();
  }

  /** True while a server request waits for the person at the UI (elicitation, sampling). */
  get waitingForPerson(): boolean {
    return this.personWaits > 0;
  }

  /** Called when `waitingForPerson` flips. */
  onHoldChange(listener: () => void): () => void {
    this.holdListeners.add(listener);
    return () => this.holdListeners.delete(listener);
  }

  private async whileHeld<T>(work: () => Promise<T>): Promise<T> {
    this.personWaits += 1;
    if (this.personWaits === 1) for (const listener of [...this.holdListeners]) listener();
    try {
      return await work();
    } finally {
      this.personWaits -= 1;
      if (this.personWaits === 0) for (const listener of [...this.holdListeners]) listener();
    }
  }

  /** Forgets a caller progress token once its request is over. */
  releaseProgressToken(token: RpcId): void {
    this.progressAliases.delete(String(token));
  }

  private translateIncomingProgress(): void {
    const transport = this.transport as unknown as { onmessage?: (message: unknown, extra?: unknown) => void };
    const deliver = transport.onmessage;
    if (!deliver) return;
    // SEP-2322: a client assumes "complete" when a result has no resultType. The SDK's 2026 decoder refuses such a
    // result instead, so the answer is completed here (the log keeps what the server sent) and named as a finding.
    const modern = this.client.getProtocolEra() === 'modern';
    transport.onmessage = (message: unknown, extra?: unknown) => {
      if (modern) message = this.completeResultType(message);
      const note = message as { method?: unknown; params?: { progressToken?: unknown } } | undefined;
      const token = note?.method === 'notifications/progress' ? note.params?.progressToken : undefined;
      const requestId = token === undefined ? undefined : this.progressAliases.get(String(token));
      if (requestId === undefined || !note?.params) return deliver(message, extra);
      deliver({ ...note, params: { ...note.params, progressToken: requestId } }, extra);
    };
  }

  /** A 2026-07-28 response whose result lacks `resultType`, as a complete one (others unchanged). */
  private completeResultType(message: unknown): unknown {
    const response = message as { id?: unknown; result?: unknown } | undefined;
    const result = response?.result;
    if (response?.id === undefined || !result || typeof result !== 'object' || Array.isArray(result) || 'resultType' in result)
      return message;
    const method = this.rpcMethods.get(response.id as RpcId) ?? 'a request';
    this.log.finding(
      'warning',
      'result_type_missing',
      `The server's 2026-07-28 answer to ${method} has no resultType (the protocol says servers MUST send it); mcpscope treats it as "complete", as SEP-2322 tells clients to, and does not send the request again.`,
    );
    return { ...response, result: { ...result, resultType: 'complete' } };
  }

  /** The failure of this attempt in plain words. */
  explain(error: unknown, method?: string, since: number = this.startedAt): EngineError {
    if (isStdioError(error)) return new EngineError(error.code, error.message);
    // A stdio server that exited explains every failure after it: its exit and its last stderr lines.
    if (this.transport instanceof RecordingStdioTransport && this.transport.exit && !this.transport.exit.stopped) {
      return new EngineError('process_exited', this.transport.describeGone());
    }
    const explained = explainError(error, { secrets: this.options.secrets, wire: this.wire, method, streamUrl: this.options.url?.href });
    // A request that timed out or lost its stream after an unparseable frame failed because of that frame.
    const parse = this.parseErrorSince(since);
    if (parse && (explained.code === 'timeout' || explained.code === 'stream_closed')) return parse;
    return explained;
  }

  private parseErrorSince(since: number): EngineError | undefined {
    if (!this.lastParseError || this.lastParseError.at < since) return undefined;
    const message = this.options.secrets.maskText(this.lastParseError.error.message);
    return new EngineError('invalid_response', `The server sent a message that is not valid JSON-RPC: ${message}`);
  }

  /** Whether a failed Streamable HTTP attempt means "try legacy SSE" (DESIGN.md § Protocol eras). */
  fallbackDecision(error: EngineError): FallbackDecision {
    const last = this.wire.lastObservation;
    if (!last || last.method !== 'POST' || !last.errorLike) return { fallback: false, reason: error.message };
    return decideFallback(last.status, last.contentType, last.bodySnippet);
  }

  /** Gives up on this attempt: every open phase fails with the error, and the transport stops. */
  async abandon(error: EngineError, probeDetail?: string): Promise<void> {
    this.closing = true;
    for (const phase of this.openPhases) if (phase !== this.probePhase) phase.fail(error.toTraceError());
    this.probePhase.fail(error.toTraceError(), probeDetail);
    await this.client.close().catch(() => undefined);
    for (const request of this.handshakeRequests) request.abort(error);
    this.handshakeRequests.clear();
    this.dispose();
  }

  /** `fetch` whose requests made during the handshake can be stopped by `abandon`; afterwards it is `fetch` itself. */
  private stoppableWhileConnecting(fetch: typeof globalThis.fetch): typeof globalThis.fetch {
    return ((input: RequestInfo | URL, init?: RequestInit) => {
      if (!this.connecting) return fetch(input, init);
      const controller = new AbortController();
      const outer = init?.signal;
      if (outer?.aborted) controller.abort(outer.reason);
      else outer?.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
      this.handshakeRequests.add(controller);
      return fetch(input, { ...init, signal: controller.signal });
    }) as typeof globalThis.fetch;
  }

  /** Marks the handshake done (with the era explained) for the probe phase. */
  succeed(detail: string): void {
    this.probePhase.ok(detail);
  }

  /** Registers a handler for "the stream carrying the answer to `id` ended without it". */
  watchRequest(id: RpcId, onStreamClosed: (error: EngineError) => void): () => void {
    this.streamClosedHandlers.set(id, onStreamClosed);
    return () => this.streamClosedHandlers.delete(id);
  }

  onFatal(listener: (error: EngineError) => void): () => void {
    this.fatalListeners.add(listener);
    return () => this.fatalListeners.delete(listener);
  }

  beginClose(): void {
    this.closing = true;
  }

  dispose(): void {
    // Nobody can poll a task of a closed connection; its questions leave the panel.
    this.client.tasks.closeAll('the connection closed');
    this.watcher?.dispose();
    this.watcher = undefined;
    this.streamClosedHandlers.clear();
    this.fatalListeners.clear();
  }

  get isClosing(): boolean {
    return this.closing;
  }

  private probeDetail(): string {
    if (this.options.kind === 'stdio')
      return `stdin/stdout of ${this.options.stdio?.shown ?? 'the process'}: server/discover (2026-07-28), then initialize (2025) if the server is older`;
    const path = this.options.url?.pathname ?? '';
    return this.options.kind === 'streamable-http'
      ? `POST ${path}: server/discover (2026-07-28), then initialize (2025) if the server is older`
      : `GET ${path}: legacy HTTP+SSE (2024-11-05), wait for the endpoint event, then initialize`;
  }

  private openPhase(name: string, parentId: string | undefined, detail?: string): Phase {
    const phase = new Phase(this.log.beginPhase(name, { parentId, detail }), name);
    this.openPhases.add(phase);
    // Drop closed phases lazily so the set stays small on long sessions.
    if (this.openPhases.size > 64) for (const item of this.openPhases) if (!item.open) this.openPhases.delete(item);
    return phase;
  }

  private wrapSend(transport: Transport): void {
    const target = transport as unknown as { send: (message: unknown, options?: unknown) => Promise<void> };
    const original = target.send.bind(transport);
    target.send = (message: unknown, options?: unknown) => {
      const rpc = asRpc(message);
      this.beforeSend(rpc);
      const sending = original(message, options);
      sending.then(
        () => this.afterSend(rpc),
        (error: unknown) => this.afterSendFailed(rpc, error),
      );
      return sending;
    };
  }

  private beforeSend(rpc: JsonRpcLike | undefined): void {
    if (!rpc || typeof rpc.method !== 'string') return;
    const id = rpcId(rpc);
    const method = rpc.method;
    if (id === undefined) {
      if (this.connecting && method === 'notifications/initialized') {
        this.notificationPhases.set(method, this.openPhase('initialized', this.probePhase.id, 'notifications/initialized'));
      }
      return;
    }
    this.rpcMethods.set(id, method);
    const hook = this.sendHook;
    if (hook) {
      hook.onId(id);
      if (hook.progressToken !== undefined) this.useCallerProgressToken(rpc, id, hook.progressToken);
      if (hook.phaseId) this.phaseIdByRpcId.set(id, hook.phaseId);
      return;
    }
    if (!this.connecting) return;
    if (method === 'initialize' && this.discover) {
      this.discover.phase.skip(
        `${this.discover.outcome ?? 'no usable server/discover answer'}: not a 2026-07-28 server, continuing with the 2025 initialize handshake`,
      );
    }
    const phase = this.openPhase(method, this.probePhase.id);
    if (method === 'server/discover') this.discover = { phase };
    this.rpcPhases.set(id, phase);
    this.phaseIdByRpcId.set(id, phase.id);
  }

  private useCallerProgressToken(rpc: JsonRpcLike, id: RpcId, token: RpcId): void {
    const params = (rpc as { params?: { _meta?: Record<string, unknown> } }).params;
    if (!params?._meta || params._meta.progressToken !== id) return;
    params._meta = { ...params._meta, progressToken: token };
    this.progressAliases.set(String(token), id);
  }

  private afterSend(rpc: JsonRpcLike | undefined): void {
    if (!rpc || typeof rpc.method !== 'string' || rpcId(rpc) !== undefined) return;
    const phase = this.notificationPhases.get(rpc.method);
    if (phase) {
      this.notificationPhases.delete(rpc.method);
      phase.ok('accepted by the server');
    }
  }

  private afterSendFailed(rpc: JsonRpcLike | undefined, error: unknown): void {
    if (!rpc || typeof rpc.method !== 'string') return;
    const id = rpcId(rpc);
    const explained = this.explain(error, rpc.method);
    if (id === undefined) {
      const phase = this.notificationPhases.get(rpc.method);
      this.notificationPhases.delete(rpc.method);
      phase?.fail(explained.toTraceError());
      return;
    }
    const phase = this.rpcPhases.get(id);
    if (!phase) return;
    this.rpcPhases.delete(id);
    if (this.discover?.phase === phase) {
      // A 4xx to the probe is how 2025 servers say "unknown method"; the SDK goes on to initialize.
      this.discover.outcome = `server/discover was answered ${this.describeLastAnswer()}`;
      return;
    }
    phase.fail(explained.toTraceError());
  }

  private describeLastAnswer(): string {
    const last = this.wire.lastObservation;
    if (!last) return 'with no response';
    return `with HTTP ${last.status}${last.statusText ? ` ${last.statusText}` : ''}`;
  }

  private onAnswered(id: RpcId, type: 'result' | 'error', message: unknown): void {
    const phase = this.rpcPhases.get(id);
    if (!phase) return;
    this.rpcPhases.delete(id);
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

  private onStreamClosed(ids: RpcId[]): void {
    for (const id of ids) {
      const method = this.rpcMethods.get(id) ?? 'the request';
      // A frame that could not be parsed moments ago is the likelier reason the answer never came.
      const error =
        this.parseErrorSince(Date.now() - 5_000) ??
        new EngineError('stream_closed', `The server closed the response stream before answering ${method}.`);
      const handler = this.streamClosedHandlers.get(id);
      if (handler) {
        handler(error);
        continue;
      }
      if (this.connecting && this.rpcPhases.has(id)) this.failAttempt?.(error);
    }
  }

  private onEndpoint(data: string): void {
    if (this.legacyEndpoint === undefined) {
      this.legacyEndpoint = data;
      this.legacyStreamPhase?.ok(`endpoint event: POST messages to ${data}`);
      return;
    }
    if (data === this.legacyEndpoint) return;
    this.legacyEndpoint = data;
    this.log.finding(
      'warning',
      'legacy_session_replaced',
      `After reconnecting, the legacy SSE server named a new message endpoint (${data}): it started a new server-side session, which was never initialized. Requests may fail; reconnect to start cleanly.`,
    );
  }

  private onSdkError(error: Error): void {
    if (isParseError(error)) this.lastParseError = { error, at: Date.now() };
    // While closing, every stream error is the consequence of mcpscope's own close: nothing to report.
    if (this.connecting || this.closing || error.name === 'AbortError') return;
    const report = describeSdkReport(error, { secrets: this.options.secrets, wire: this.wire, streamUrl: this.options.url?.href });
    if (!report || report.message === this.lastFindingMessage) return;
    this.lastFindingMessage = report.message;
    this.log.finding(report.severity, report.code, report.message);
  }

  private fatal(error: EngineError): void {
    if (this.closing) return;
    for (const listener of [...this.fatalListeners]) listener(error);
  }

  /** Decides, per request, which phase and purpose the recorder files the exchange under. */
  private plan(request: OutgoingRequest): ExchangePlan {
    switch (request.method) {
      case 'POST': {
        const rpc = asRpc(request.body);
        const phaseId = this.phaseForMessage(rpc);
        return { context: { phaseId, purpose: rpc?.method === 'server/discover' ? 'probe' : 'mcp' } };
      }
      case 'GET':
        return this.planStream(request);
      case 'DELETE':
        return { context: { phaseId: this.disconnectPhaseId, purpose: 'mcp' } };
      default:
        return { context: { purpose: 'other' } };
    }
  }

  /** The phase an outgoing message belongs to (its request's, or the open notification phase), asked once per message. */
  private phaseForMessage(rpc: JsonRpcLike | undefined): string | undefined {
    const method = typeof rpc?.method === 'string' ? rpc.method : undefined;
    const id = rpcId(rpc);
    const phaseId =
      id !== undefined && method !== undefined
        ? this.phaseIdByRpcId.get(id)
        : method !== undefined
          ? this.notificationPhases.get(method)?.id
          : undefined;
    if (id !== undefined) this.phaseIdByRpcId.delete(id);
    return phaseId;
  }

  private planStream(request: OutgoingRequest): ExchangePlan {
    this.getCount += 1;
    const first = this.getCount === 1;
    let detail: string;
    if (this.kind === 'sse') {
      const lastId = this.watcher?.lastStreamEventId;
      if (!first && lastId !== undefined && !request.headers.has('last-event-id')) {
        // The SDK's EventSource wrapper replaces the headers EventSource computed, Last-Event-ID included.
        request.headers.set('last-event-id', lastId);
      }
      detail = first
        ? 'legacy SSE stream: waiting for the endpoint event'
        : `legacy SSE stream reconnecting${lastId !== undefined ? ` with Last-Event-ID ${lastId}` : ' (no event id seen yet)'}`;
    } else {
      const resume = request.headers.get('last-event-id');
      detail = first
        ? 'standing GET stream for server-initiated messages'
        : `GET stream reconnecting${resume ? ` with Last-Event-ID ${resume}` : ''}`;
    }
    const phase = first ? this.openPhase('get-stream', this.probePhase.id, detail) : this.openPhase('reconnect', undefined, detail);
    if (first && this.kind === 'sse') this.legacyStreamPhase = phase;
    return {
      context: { phaseId: phase.id, purpose: 'mcp-stream' },
      onResponse: (observation) => this.onStreamResponse(phase, observation, first, request.headers.get('last-event-id') ?? undefined),
      onNetworkError: (error) => {
        if (error.code === 'aborted' || this.closing) {
          phase.skip('closed by mcpscope');
          return;
        }
        phase.fail(error.toTraceError());
        this.countStreamFailure(error);
      },
    };
  }

  private onStreamResponse(phase: Phase, observation: ResponseObservation, first: boolean, resumedFrom: string | undefined): void {
    const isStream =
      observation.status === 200 && isMcpContentType(observation.contentType) && (observation.contentType ?? '').includes('event-stream');
    if (isStream) {
      this.consecutiveStreamFailures = 0;
      // The legacy stream's phase waits for its endpoint event; the others are open once the stream is.
      if (!(first && this.kind === 'sse'))
        phase.ok(resumedFrom === undefined ? 'stream open' : `stream open, resuming after event ${resumedFrom} (Last-Event-ID)`);
      return;
    }
    if (observation.status === 405) {
      phase.skip('the server offers no standing GET stream (HTTP 405); server messages arrive on POST responses only');
      if (first) {
        this.log.finding(
          'info',
          'no_get_stream',
          'GET on the MCP endpoint answered 405 Method Not Allowed: this server is POST-only, which the spec allows. It can send its own messages only inside POST responses; this is not an error.',
        );
      }
      return;
    }
    const error = explainHttpStatus(observation, this.options.secrets);
    phase.fail(error.toTraceError());
    if (this.kind === 'sse' && !first && !this.connecting) {
      // An EventSource gives up for good on a non-200 or non-event-stream answer: the legacy session is over.
      this.fatal(
        new EngineError('stream_closed', `The legacy SSE stream could not be re-opened, so the connection is over: ${error.message}`),
      );
      return;
    }
    this.countStreamFailure(error);
  }

  private countStreamFailure(error: EngineError): void {
    if (this.kind !== 'sse' || this.connecting) return;
    this.consecutiveStreamFailures += 1;
    if (this.consecutiveStreamFailures >= MAX_LEGACY_STREAM_FAILURES) {
      this.fatal(
        new EngineError(
          'stream_closed',
          `The legacy SSE stream dropped and ${MAX_LEGACY_STREAM_FAILURES} reconnection attempts failed (last: ${error.message}).`,
        ),
      );
    }
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function isParseError(error: Error): boolean {
  return error.name === 'SyntaxError' || error.name.includes('ZodError');
}
