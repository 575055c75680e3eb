// One transport attempt (Streamable HTTP or legacy SSE) and, when it succeeds, the live plumbing under
// a connection: the SDK client and transport, the wire, the log watcher and the phases they open.
import { SSEClientTransport, StreamableHTTPClientTransport, type JSONRPCMessage } from '@modelcontextprotocol/client';
import type { SecretSet, TraceLog } from '../trace';
import type { TraceError } from '../trace/types';
import { decideFallback, isMcpContentType, type FallbackDecision } from './eras';
import { EngineError, messageTooLarge } from './errors';
import { describeSdkReport, explainError, explainHttpStatus, formatSeconds } from './explain';
import type { ExchangeAuthorizer, StdioLaunch, WireTransport } from './types';
import { isStdioError, RecordingStdioTransport } from '../stdio';
import { installClientFeatures, type ClientFeatures } from './client-features';
import { TaskingClient } from './client-tasks';
import { messageHead, PhaseBook, type MessageHead, type Phase, type RpcId } from './phases';
import { ProgressAliases } from './progress-aliases';
import { RecordingTransport, type MessageTap } from './recording-transport';
import { LogWatcher } from './watch';
import { Wire, type ExchangeContext, type ExchangePlan, type OutgoingRequest, type ResponseObservation } from './wire';

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

/** Set synchronously around `client.request()` so the send hook can learn the request's JSON-RPC id. */
export interface SendHook {
  phaseId?: string;
  /** The caller's own progress token: it goes on the wire instead of the SDK's (the request id). */
  progressToken?: RpcId;
  onId(id: RpcId): void;
}

export class Link {
  readonly kind: WireTransport;
  readonly client: TaskingClient;
  readonly transport: RecordingTransport<StreamableHTTPClientTransport | SSEClientTransport | RecordingStdioTransport>;
  readonly wire: Wire;
  /** The phases of the handshake and the phase each outgoing message is filed under. */
  readonly phases: PhaseBook;
  sendHook: SendHook | undefined;
  /** Set by `close()` so the DELETE is filed under the disconnect phase. */
  disconnectPhaseId: string | undefined;
  private readonly progressAliases = new ProgressAliases();
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
  private readonly streamClosedHandlers = new Map<RpcId, (error: EngineError) => void>();
  private legacyStreamPhase: Phase | undefined;
  private legacyEndpoint: string | undefined;
  private getCount = 0;
  private consecutiveStreamFailures = 0;
  private failAttempt: ((error: EngineError) => void) | undefined;
  private fatalListeners = new Set<(error: EngineError) => void>();
  private personWaits = 0;
  private readonly holdListeners = new Set<() => void>();
  private lastFindingMessage: string | undefined;
  /** Set once connected to a 2026-07-28 server, whose results must carry resultType. */
  private modernEra = false;

  constructor(options: LinkOptions) {
    this.options = options;
    this.kind = options.kind;
    this.log = options.log;
    this.phases = new PhaseBook(options.log, {
      name: `probe:${options.kind}`,
      parentId: options.connectPhaseId,
      detail: this.probeDetail(),
    });
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
    const tap: MessageTap = {
      sending: (message) => this.beforeSend(message),
      sent: (message) => this.phases.sent(messageHead(message)),
      sendFailed: (message, error) => this.afterSendFailed(messageHead(message), error),
      received: (message) => this.onReceived(message),
    };
    if (options.kind === 'stdio') {
      if (!options.stdio) throw new TypeError('a stdio link needs the process to start');
      const stdio = new RecordingStdioTransport({
        spec: options.stdio.spec,
        shown: options.stdio.shown,
        log: options.log,
        secrets: options.secrets,
        phaseFor: (message) => this.phases.phaseIdFor(messageHead(message)),
      });
      this.transport = new RecordingTransport(stdio, tap);
    } else {
      if (!options.url) throw new TypeError('an HTTP link needs the server URL');
      const http =
        options.kind === 'streamable-http'
          ? new StreamableHTTPClientTransport(options.url, { fetch, requestInit })
          : // The EventSource behind the legacy transport uses `fetch` too (eventSourceInit.fetch would override it).
            new SSEClientTransport(options.url, { fetch, requestInit });
      this.transport = new RecordingTransport(http, tap);
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
      const stdio = this.stdioTransport;
      this.fatal(
        stdio
          ? new EngineError('process_exited', stdio.describeGone())
          : new EngineError('stream_closed', 'The connection to the server closed.'),
      );
    };
  }

  /** The handshake's probe phase (the parent of each step's phase). */
  get probePhase(): Phase {
    return this.phases.probe;
  }

  /** The process transport underneath, on a stdio link. */
  get stdioTransport(): RecordingStdioTransport | undefined {
    const inner = this.transport.inner;
    return inner instanceof RecordingStdioTransport ? inner : undefined;
  }

  /** The Streamable HTTP transport underneath, on such a link (it holds the session id and ends the session). */
  get streamableTransport(): StreamableHTTPClientTransport | undefined {
    const inner = this.transport.inner;
    return inner instanceof StreamableHTTPClientTransport ? inner : undefined;
  }

  /** Runs the handshake. Rejects with the raw failure; `explain()` turns it into an EngineError. */
  async establish(): Promise<void> {
    const startSeq = this.log.lastSeq;
    this.watcher = new LogWatcher(
      this.log,
      {
        answered: (id, type, message) => this.phases.answered(id, type, message),
        streamClosed: (ids, _exchangeId, error) => this.onStreamClosed(ids, error),
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
    this.phases.handshakeDone();
    this.modernEra = this.client.getProtocolEra() === 'modern';
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
    this.progressAliases.release(token);
  }

  /** What the SDK client is given of a message from the server (the handshake's messages pass as they are). */
  private onReceived(message: JSONRPCMessage): JSONRPCMessage {
    if (this.connecting) return message;
    // SEP-2322: a client assumes "complete" when a result has no resultType. The SDK's 2026 decoder refuses such a
    // result instead, so the answer is completed here (the log keeps what the server sent) and named as a finding.
    if (this.modernEra) message = this.completeResultType(message);
    return this.progressAliases.incoming(message);
  }

  /** A 2026-07-28 response whose result lacks `resultType`, as a complete one (others unchanged). */
  private completeResultType(message: JSONRPCMessage): JSONRPCMessage {
    if (!('result' in message)) return message;
    const result: unknown = message.result;
    if (!result || typeof result !== 'object' || Array.isArray(result) || 'resultType' in result) return message;
    const method = this.phases.methodOf(message.id) ?? 'a request';
    this.log.finding(
      'warning',
      'result_type_missing',
      `The server's 2026-07-28 answer to ${method} has no resultType (the protocol says servers MUST send it); mcpscope treats it as "complete", as SEP-2322 tells clients to, and does not send the request again.`,
    );
    return { ...message, result: { ...message.result, resultType: 'complete' } };
  }

  /** The failure of this attempt in plain words. */
  explain(error: unknown, method?: string, since: number = this.startedAt): EngineError {
    if (isStdioError(error)) return new EngineError(error.code, error.message);
    // A stdio server that exited explains every failure after it: its exit and its last stderr lines.
    const stdio = this.stdioTransport;
    if (stdio?.exit && !stdio.exit.stopped) return new EngineError('process_exited', stdio.describeGone());
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
    this.phases.abandon(error.toTraceError(), probeDetail);
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
    this.phases.probe.ok(detail);
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

  /** Files an outgoing message: the handshake's steps get their phases, a caller's request its phase and progress token. */
  private beforeSend(message: JSONRPCMessage): JSONRPCMessage {
    const { id, method } = messageHead(message);
    if (method === undefined) return message;
    if (id === undefined) {
      if (this.connecting && method === 'notifications/initialized') this.phases.handshakeNotification(method, 'initialized');
      return message;
    }
    const hook = this.sendHook;
    if (hook) {
      this.phases.request(id, method, hook.phaseId);
      hook.onId(id);
      return hook.progressToken === undefined ? message : this.progressAliases.outgoing(message, hook.progressToken);
    }
    this.phases.request(id, method);
    if (this.connecting) this.phases.handshakeRequest(id, method);
    return message;
  }

  private afterSendFailed(head: MessageHead, error: unknown): void {
    this.phases.sendFailed(
      head,
      () => this.explain(error, head.method).toTraceError(),
      () => this.describeLastAnswer(),
    );
  }

  private describeLastAnswer(): string {
    const last = this.wire.lastObservation;
    if (!last) return 'with no response';
    return `with HTTP ${last.status}${last.statusText ? ` ${last.statusText}` : ''}`;
  }

  private onStreamClosed(ids: RpcId[], broke: TraceError | undefined): void {
    for (const id of ids) {
      const method = this.phases.methodOf(id) ?? 'the request';
      // mcpscope itself stopped reading an answer past the size cap: that, not the server, ended the stream.
      // Otherwise a frame that could not be parsed moments ago is the likelier reason the answer never came.
      const error =
        broke?.code === 'message_too_large'
          ? messageTooLarge(broke.message, method)
          : (this.parseErrorSince(Date.now() - 5_000) ??
            new EngineError('stream_closed', `The server closed the response stream before answering ${method}.`));
      const handler = this.streamClosedHandlers.get(id);
      if (handler) {
        handler(error);
        continue;
      }
      if (this.connecting && this.phases.awaits(id)) this.failAttempt?.(error);
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
        const head = messageHead(request.body);
        const context: ExchangeContext = {
          phaseId: this.phases.phaseIdFor(head),
          purpose: head.method === 'server/discover' ? 'probe' : 'mcp',
        };
        // Until the handshake is over the SDK acts on no server notification but progress and cancellation (its
        // own handlers; mcpscope registers none, and onReceived hands messages on as they are): the recorder keeps
        // the others from it, so a flood before the answer is recorded once, not also parsed and schema-checked.
        if (this.connecting) context.notificationsUnheard = true;
        return { context };
      }
      case 'GET':
        return this.planStream(request);
      case 'DELETE':
        return { context: { phaseId: this.disconnectPhaseId, purpose: 'mcp' } };
      default:
        return { context: { purpose: 'other' } };
    }
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
    const phase = first ? this.phases.open('get-stream', this.phases.probe.id, detail) : this.phases.open('reconnect', undefined, detail);
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

function isParseError(error: Error): boolean {
  return error.name === 'SyntaxError' || error.name.includes('ZodError');
}
