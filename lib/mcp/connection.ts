// A connected session with an MCP server: sends any JSON-RPC method, lists tools, disconnects.
import { LOG_LEVEL_META_KEY, ProtocolError, type McpSubscription, type Tool } from '@modelcontextprotocol/client';
import { capJsonDepth, jsonRpcErrorName, type TraceLog } from '../trace';
import type { ProtocolEraName, TraceError } from '../trace/types';
import { decideEra, describeEra } from './eras';
import { EngineError, isEngineError } from './errors';
import { formatSeconds } from './explain';
import { headerAnnotationProblem } from './header-annotations';
import { ServerRequestRejection } from './client-features';
import type { Link } from './link';
import type {
  JsonRpcErrorBody,
  ListenFilter,
  ListenState,
  LogLevel,
  LogLevelOutcome,
  McpConnection,
  RpcOutcome,
  RpcRequestOptions,
  ServerIdentity,
  SubscriptionSnapshot,
  WireTransport,
} from './types';

/** Accepts any result: the inspector shows what the server sent, and judges it in the UI. */
const ANY_RESULT = {
  '~standard': {
    version: 1 as const,
    vendor: 'mcpscope',
    validate: (value: unknown) => ({ value }),
  },
};

const MAX_LIST_PAGES = 100;

/**
 * The SDK's own per-request timer is set out of reach: mcpscope keeps the timer itself so it can pause
 * while the server waits for the person to answer an elicitation or sampling request.
 */
const SDK_TIMEOUT_CEILING_MS = 24 * 60 * 60_000;

/** Marks an abort by mcpscope's request timer. */
class TimedOut {}

/** Marks an abort by the request's total-time limit, which progress does not restart. */
class TimeLimitReached {}

/** The most one request may take in all unless the session says otherwise (MCPSCOPE_REQUEST_MAX_MS). */
export const DEFAULT_REQUEST_MAX_MS = 10 * 60_000;

/** Marks an abort that came from the caller's signal (a Cancel), as opposed to a lost stream. */
class CancelledByCaller {
  constructor(readonly reason: string) {}
}

interface InternalRequestOptions extends RpcRequestOptions {
  phaseId?: string;
  /** Ask the server for progress notifications (adds `_meta.progressToken`). */
  withProgress?: boolean;
}

export class LiveConnection implements McpConnection {
  readonly era: ProtocolEraName;
  readonly transport: WireTransport;
  readonly protocolVersion: string;
  readonly serverInfo: ServerIdentity;
  readonly capabilities: Record<string, unknown>;
  readonly instructions?: string;
  readonly sessionId?: string;
  tools: Tool[] = [];
  /** `tools` by name, for the per-call lookups (a server may list tens of thousands). */
  private toolsByName: ReadonlyMap<string, Tool> = new Map();
  excludedTools: ReadonlyMap<string, string> = new Map();
  logLevel?: LogLevel;
  listening?: ListenState;
  private subscription: McpSubscription | undefined;
  /** URIs the server accepted `resources/subscribe` for (2025 eras), in the order they were subscribed. */
  private readonly subscribedUris = new Set<string>();
  /** The last `subscriptions/listen` filter the server accepted, until the person stops listening. */
  private listenAskedFor: ListenFilter | undefined;
  private isClosed = false;
  private readonly closeListeners = new Set<(error: TraceError) => void>();

  constructor(
    private readonly link: Link,
    private readonly log: TraceLog,
    private readonly requestTimeoutMs: number,
    private readonly requestMaxMs: number = DEFAULT_REQUEST_MAX_MS,
  ) {
    const client = link.client;
    this.transport = link.kind;
    this.era = decideEra({ transport: link.kind, sdkEra: client.getProtocolEra() });
    this.protocolVersion = client.getNegotiatedProtocolVersion() ?? '';
    const info = client.getServerVersion();
    this.serverInfo = info
      ? { name: info.name, version: info.version, ...(info.title ? { title: info.title } : {}) }
      : { name: '(unnamed server)', version: '' };
    this.capabilities = { ...(client.getServerCapabilities() ?? {}) };
    this.instructions = client.getInstructions();
    this.sessionId = link.streamableTransport?.sessionId;
    link.onFatal((error) => this.onFatal(error.toTraceError()));
  }

  /** Records what was negotiated: the session meta, and why this era (on the probe phase). */
  announce(): void {
    this.log.setMeta({
      era: this.era,
      protocolVersion: this.protocolVersion,
      serverInfo: this.serverInfo,
      capabilities: this.capabilities,
      instructions: this.instructions,
    });
    this.link.succeed(describeEra(this.era, this.protocolVersion, this.sessionId, this.transport === 'stdio'));
  }

  /** The list calls the UI needs right after connecting; a failure is a finding, not a failed connect. */
  async listInitial(): Promise<void> {
    if (this.capabilities.tools) {
      try {
        await this.refreshTools();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.log.finding('warning', 'list_failed', `Listing tools failed after connecting: ${message}`);
      }
    }
  }

  get closed(): boolean {
    return this.isClosed;
  }

  async request(method: string, params: Record<string, unknown> | undefined, opts: RpcRequestOptions = {}): Promise<RpcOutcome> {
    const outcome = await this.send(method, params, { ...opts, withProgress: true });
    this.trackSubscription(method, params, outcome);
    if (method === 'tools/call' && 'result' in outcome) await this.checkStructuredResult(params, outcome.result);
    return outcome;
  }

  /**
   * A tool that declares an outputSchema MUST return structuredContent that conforms to it (MCP, tools § Output
   * schema). The check is made here, when the answer arrives, so the finding is in the log for every view, export
   * and share (and the command line), not only in the browser that rendered the result.
   */
  private async checkStructuredResult(params: Record<string, unknown> | undefined, result: unknown): Promise<void> {
    const name = params?.name;
    if (typeof name !== 'string') return;
    const tool = this.toolsByName.get(name);
    if (!tool || tool.outputSchema === undefined) return;
    const answer = result as { structuredContent?: unknown; isError?: unknown } | undefined;
    if (!answer || answer.isError === true) return;
    if (answer.structuredContent === undefined) {
      this.log.finding(
        'error',
        'structured_content_missing',
        `The tool "${truncate(name)}" declares an outputSchema but its result has no structuredContent: servers MUST return structured results that conform to it.`,
      );
      return;
    }
    // Loaded with the first result to check: the validator is not needed by sessions without output schemas.
    const { validateStructuredContent } = await import('../schema-form');
    const check = validateStructuredContent(tool.outputSchema, answer.structuredContent);
    if (check.status !== 'invalid') return;
    const shown = check.errors.slice(0, 5).map((error) => truncate(error));
    const more = check.errors.length > shown.length ? `; and ${check.errors.length - shown.length} more` : '';
    this.log.finding(
      'error',
      'output_schema_mismatch',
      `The structuredContent returned by the tool "${truncate(name)}" does not match its outputSchema (${shown.join('; ')}${more}). Servers MUST return structured results that conform to the schema; clients that validate will refuse this result.`,
    );
  }

  get resourceSubscriptions(): readonly string[] {
    // What the server agreed to: a URI it left out of its acknowledgement sends no updates.
    if (this.era === 'stateless-2026') return [...(this.listening?.honored.resourceSubscriptions ?? [])];
    return [...this.subscribedUris];
  }

  subscriptionSnapshot(): SubscriptionSnapshot {
    const listen = this.listenAskedFor;
    const resources = this.era === 'stateless-2026' ? (listen?.resourceSubscriptions ?? []) : [...this.subscribedUris];
    return { resources: [...resources], ...(listen ? { listen: { ...listen } } : {}) };
  }

  /**
   * A subscription belongs to one server session, so a reconnect silently loses it. The person asked for it and
   * expects to keep watching the resource (as a client would after re-initializing), so the new connection asks
   * again, in the open: its own phase, each request on the wire, and what the server refuses is dropped and said.
   */
  async restoreSubscriptions(previous: SubscriptionSnapshot): Promise<void> {
    const uris = [...new Set(previous.resources)];
    const listen = previous.listen;
    const listensForChanges = Boolean(listen?.toolsListChanged || listen?.promptsListChanged || listen?.resourcesListChanged);
    if (this.isClosed || (uris.length === 0 && !listensForChanges)) return;
    const what = uris.length > 0 ? `${uris.length} resource${uris.length === 1 ? '' : 's'} (${uris.join(', ')})` : 'list changes';
    const phase = this.log.beginPhase('restore subscriptions', { detail: `the previous connection was subscribed to ${what}` });

    if (this.era === 'stateless-2026') {
      const filter: ListenFilter = { ...listen, ...(uris.length > 0 ? { resourceSubscriptions: uris } : {}) };
      if (uris.length === 0) delete filter.resourceSubscriptions;
      try {
        const state = await this.listen(filter);
        phase.ok(`subscriptions/listen opened again on the new connection: ${describeListenFilter(state.honored)}`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        phase.fail({ code: 'subscriptions_not_restored', message });
        this.log.finding(
          'warning',
          'subscriptions_not_restored',
          `After reconnecting, subscriptions/listen could not be opened again, so no updates arrive for ${what}: ${message}`,
          { phaseId: phase.id },
        );
      }
      return;
    }

    if (uris.length === 0) {
      phase.skip('on this 2025-era connection list changes arrive without asking: nothing to send');
      return;
    }
    const capabilities = this.capabilities as { resources?: { subscribe?: unknown } };
    if (capabilities.resources?.subscribe !== true) {
      phase.skip(`the server no longer declares resources.subscribe: ${what} cannot be subscribed to again`);
      this.log.finding(
        'warning',
        'subscriptions_not_restored',
        `After reconnecting, the server no longer declares resources.subscribe, so the subscriptions to ${what} were dropped.`,
        { phaseId: phase.id },
      );
      return;
    }
    const refused: string[] = [];
    for (const uri of uris) {
      try {
        const outcome = await this.send('resources/subscribe', { uri }, { phaseId: phase.id });
        if ('error' in outcome) refused.push(`${uri} (JSON-RPC error ${outcome.error.code}: ${outcome.error.message})`);
        else this.subscribedUris.add(uri);
      } catch (error) {
        refused.push(`${uri} (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    const restored = uris.filter((uri) => this.subscribedUris.has(uri));
    if (refused.length === 0) {
      phase.ok(`subscribed again to ${restored.join(', ')} (resources/subscribe on the new connection)`);
      return;
    }
    if (restored.length === 0) {
      phase.fail({ code: 'subscriptions_not_restored', message: `the server refused resources/subscribe for ${refused.join('; ')}` });
    } else {
      phase.ok(`subscribed again to ${restored.join(', ')}; the server refused ${refused.join('; ')}`);
    }
    this.log.finding(
      'warning',
      'subscriptions_not_restored',
      `After reconnecting, the server refused resources/subscribe for ${refused.join('; ')}; those resources are shown unsubscribed.`,
      { phaseId: phase.id },
    );
  }

  private trackSubscription(method: string, params: Record<string, unknown> | undefined, outcome: RpcOutcome): void {
    if ('error' in outcome || typeof params?.uri !== 'string') return;
    if (method === 'resources/subscribe') this.subscribedUris.add(params.uri);
    else if (method === 'resources/unsubscribe') this.subscribedUris.delete(params.uri);
  }

  async refreshTools(): Promise<Tool[]> {
    const phase = this.log.beginPhase('tools/list');
    const tools: Tool[] = [];
    const seenCursors = new Set<string>();
    let cursor: string | undefined;
    try {
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const outcome = await this.send('tools/list', cursor === undefined ? undefined : { cursor }, { phaseId: phase.id });
        if ('error' in outcome) {
          throw new EngineError(
            'protocol_error',
            `The server answered tools/list with JSON-RPC error ${outcome.error.code}: ${outcome.error.message}`,
          );
        }
        const result = outcome.result as { tools?: unknown; nextCursor?: unknown } | undefined;
        for (const item of Array.isArray(result?.tools) ? result.tools : []) {
          if (isToolLike(item)) tools.push(item);
          else
            this.log.finding(
              'warning',
              'invalid_tool',
              `tools/list returned an entry without a name; it is not shown: ${truncate(JSON.stringify(item))}`,
              { phaseId: phase.id },
            );
        }
        cursor = typeof result?.nextCursor === 'string' && result.nextCursor !== '' ? result.nextCursor : undefined;
        if (cursor === undefined) break;
        if (seenCursors.has(cursor)) {
          this.log.finding('warning', 'pagination_loop', `tools/list returned the cursor "${truncate(cursor)}" twice; stopped paging.`, {
            phaseId: phase.id,
          });
          break;
        }
        seenCursors.add(cursor);
      }
    } catch (error) {
      const engineError = isEngineError(error) ? error : new EngineError('protocol_error', String(error));
      phase.fail(engineError.toTraceError());
      throw engineError;
    }
    const excluded = this.excludeInvalidHeaderTools(tools, phase.id);
    phase.ok(
      `${tools.length} tool${tools.length === 1 ? '' : 's'}${excluded.size > 0 ? `, ${excluded.size} excluded from calls (invalid x-mcp-header)` : ''}`,
    );
    this.tools = tools;
    // The first of a name, as `find` would give (a server listing a name twice is a finding of its own).
    const byName = new Map<string, Tool>();
    for (const tool of tools) if (!byName.has(tool.name)) byName.set(tool.name, tool);
    this.toolsByName = byName;
    this.excludedTools = excluded;
    return tools;
  }

  /**
   * SEP-2243: on 2026-07-28 a client MUST exclude tools whose x-mcp-header declarations are invalid (their
   * arguments cannot be mirrored into headers) and SHOULD say which and why: a finding per tool, once.
   */
  private excludeInvalidHeaderTools(tools: readonly Tool[], phaseId: string): Map<string, string> {
    const excluded = new Map<string, string>();
    if (this.era !== 'stateless-2026') return excluded;
    for (const tool of tools) {
      const problem = headerAnnotationProblem(tool.inputSchema);
      if (!problem) continue;
      excluded.set(tool.name, problem);
      if (this.excludedTools.get(tool.name) === problem) continue;
      this.log.finding(
        'warning',
        'tool_excluded',
        `The tool "${tool.name}" is excluded from calls: its x-mcp-header declarations are invalid (${problem}). SEP-2243 says a client MUST NOT use such a tool; mcpscope shows it, greyed, and does not call it.`,
        { phaseId },
      );
    }
    return excluded;
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    await this.endListenStream();
    this.isClosed = true;
    await this.shutdown('disconnect');
  }

  async setLogLevel(level: LogLevel): Promise<LogLevelOutcome> {
    if (this.era === 'stateless-2026') {
      // 2026-07-28 has no logging/setLevel: the level rides on each request's _meta (see send()).
      this.logLevel = level;
      const phase = this.log.beginPhase('log level', { detail: level });
      phase.ok(`2026-07-28 server: every request from now on carries _meta["${LOG_LEVEL_META_KEY}"] = "${level}"`);
      return { mode: 'per-request' };
    }
    const outcome = await this.send('logging/setLevel', { level }, {});
    if (!('error' in outcome)) this.logLevel = level;
    return { mode: 'setLevel', outcome };
  }

  async notifyRootsChanged(): Promise<void> {
    if (this.isClosed) throw new EngineError('not_connected', 'The session is not connected to the server any more.');
    try {
      await this.link.client.sendRootsListChanged();
    } catch (error) {
      throw this.link.explain(error, 'notifications/roots/list_changed');
    }
  }

  async listen(filter: ListenFilter): Promise<ListenState> {
    if (this.era !== 'stateless-2026') {
      throw new EngineError(
        'unsupported_method',
        'subscriptions/listen exists only on 2026-07-28 servers. On this connection notifications arrive unasked (on the standing stream), and resources/subscribe watches a resource.',
      );
    }
    if (this.isClosed) throw new EngineError('not_connected', 'The session is not connected to the server any more.');
    await this.stopListening();
    const phase = this.log.beginPhase('subscriptions/listen', { detail: `asked for: ${describeListenFilter(filter)}` });
    try {
      const subscription = await this.link.client.listen(filter, { timeout: this.requestTimeoutMs });
      const state: ListenState = { requested: filter, honored: { ...subscription.honoredFilter }, since: Date.now() };
      this.subscription = subscription;
      this.listening = state;
      this.listenAskedFor = { ...filter };
      phase.ok(`the server agreed to send: ${describeListenFilter(state.honored)}`);
      void subscription.closed.then((how) => {
        if (this.subscription !== subscription) return;
        this.subscription = undefined;
        this.listening = undefined;
        if (how === 'local' || this.isClosed) return;
        this.log.finding(
          how === 'graceful' ? 'info' : 'warning',
          'listen_ended',
          how === 'graceful'
            ? 'The server ended the subscriptions/listen stream (a graceful close, e.g. on shutdown); listen again to keep receiving notifications.'
            : 'The subscriptions/listen stream dropped without a response; listen again to keep receiving notifications.',
        );
      });
      return state;
    } catch (error) {
      const explained =
        error instanceof ProtocolError
          ? new EngineError('protocol_error', `The server refused subscriptions/listen with JSON-RPC error ${error.code}: ${error.message}`)
          : isEngineError(error)
            ? error
            : this.link.explain(error, 'subscriptions/listen');
      phase.fail(explained.toTraceError());
      throw explained;
    }
  }

  async stopListening(): Promise<void> {
    this.listenAskedFor = undefined;
    await this.endListenStream();
  }

  /** Closes the listen stream but remembers what was asked for (a reconnect asks for it again). */
  private async endListenStream(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    this.listening = undefined;
    if (subscription) await subscription.close().catch(() => undefined);
  }

  onUnexpectedClose(listener: (error: TraceError) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  private async shutdown(reason: 'disconnect' | 'lost'): Promise<void> {
    const link = this.link;
    link.beginClose();
    const phase = this.log.beginPhase('disconnect', { detail: reason === 'lost' ? 'the server went away' : undefined });
    link.disconnectPhaseId = phase.id;
    let detail: string;
    let failure: EngineError | undefined;
    const transport = link.streamableTransport;
    if (transport?.sessionId) {
      try {
        await transport.terminateSession();
        const answer = link.wire.lastObservation;
        detail =
          answer?.method === 'DELETE' && answer.status === 405
            ? 'the server does not end sessions on request (DELETE answered 405)'
            : 'DELETE ended the server session';
      } catch (error) {
        failure = link.explain(error, 'DELETE');
        detail = 'DELETE failed; the local connection is closed anyway';
      }
    } else if (link.kind === 'sse') {
      detail = 'closed the legacy SSE stream, which ends the server session';
    } else if (link.kind === 'stdio') {
      detail = "closed the server's stdin and stopped its process group";
    } else {
      detail = this.era === 'stateless-2026' ? 'stateless server: no session to end' : 'no Mcp-Session-Id: no session to end';
    }
    await link.client.close().catch(() => undefined);
    link.dispose();
    if (failure) phase.fail(failure.toTraceError(), detail);
    else phase.ok(detail);
  }

  private onFatal(error: TraceError): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.log.finding('error', 'connection_lost', error.message);
    void this.shutdown('lost');
    for (const listener of [...this.closeListeners]) listener(error);
  }

  private toolNeedingHeaderMirroring(method: string, params: Record<string, unknown> | undefined): Tool | undefined {
    if (method !== 'tools/call' || this.era !== 'stateless-2026' || typeof params?.name !== 'string') return undefined;
    const tool = this.toolsByName.get(params.name);
    return tool && mentionsHeaderMirroring(tool.inputSchema) ? tool : undefined;
  }

  private async send(method: string, params: Record<string, unknown> | undefined, opts: InternalRequestOptions): Promise<RpcOutcome> {
    if (this.isClosed) throw new EngineError('not_connected', 'The session is not connected to the server any more.');
    const excluded = method === 'tools/call' && typeof params?.name === 'string' ? this.excludedTools.get(params.name) : undefined;
    if (excluded) {
      throw new EngineError(
        'tool_excluded',
        `mcpscope does not call "${params?.name as string}": its x-mcp-header declarations are invalid (${excluded}), and SEP-2243 says a client MUST exclude such a tool. Nothing was sent.`,
      );
    }
    params = this.withLogLevel(params);
    const startedAt = Date.now();
    const timeoutMs = opts.timeoutMs ?? this.requestTimeoutMs;
    const controller = new AbortController();
    const onCallerAbort = () => controller.abort(new CancelledByCaller(String(opts.signal?.reason ?? 'cancelled by the user')));
    if (opts.signal?.aborted) onCallerAbort();
    opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
    let stopWatching: (() => void) | undefined;
    // The timer restarts on each progress notification, and stops while the server waits on the person.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = this.link.waitingForPerson ? undefined : setTimeout(() => controller.abort(new TimedOut()), timeoutMs);
    };
    arm();
    // A server that sends progress forever restarts the timer forever: this one is never restarted, nor paused while
    // a person answers. (The SDK's own `maxTotalTimeout` is no help here: it is checked only when a progress
    // notification arrives, and it fails the request without sending notifications/cancelled; aborting does both.)
    const limit = setTimeout(() => controller.abort(new TimeLimitReached()), this.requestMaxMs);
    const stopHolding = this.link.onHoldChange(arm);
    const sdkOptions = {
      signal: controller.signal,
      timeout: SDK_TIMEOUT_CEILING_MS,
      ...(opts.withProgress || opts.onProgress
        ? {
            onprogress: (progress: { progress: number; total?: number; message?: string }) => {
              arm();
              opts.onProgress?.(progress);
            },
          }
        : {}),
    };
    let pending: Promise<unknown>;
    let requestId: string | number | undefined;
    const callerToken = progressTokenOf(params);
    this.link.sendHook = {
      phaseId: opts.phaseId,
      progressToken: callerToken,
      onId: (id) => {
        requestId = id;
        stopWatching = this.link.watchRequest(id, (error) => controller.abort(error));
      },
    };
    try {
      const mirrored = this.toolNeedingHeaderMirroring(method, params);
      pending = mirrored
        ? // SEP-2243: only the SDK's callTool copies x-mcp-header arguments into Mcp-Param-* headers.
          // The outputSchema is left out so a mismatching result still reaches the UI, which flags it.
          this.link.client.callTool(params as { name: string }, { ...sdkOptions, toolDefinition: { ...mirrored, outputSchema: undefined } })
        : this.link.client.request({ method, params }, ANY_RESULT, sdkOptions);
    } catch (error) {
      pending = Promise.reject(error);
    } finally {
      this.link.sendHook = undefined;
    }
    try {
      // Cut as the log cuts it (its rpc event has the finding): a result nested thousands of levels deep would
      // overflow JSON.stringify in the answer and everywhere after.
      return { result: capJsonDepth(await pending).value };
    } catch (error) {
      if (error instanceof ProtocolError) {
        return {
          error: {
            code: error.code,
            message: error.message,
            ...(error.data === undefined ? {} : { data: capJsonDepth(error.data).value }),
          },
        };
      }
      if (error instanceof ServerRequestRejection) {
        // 2026-07-28: an embedded input request has no error answer, so refusing one ends the whole call.
        throw new EngineError(
          'input_not_provided',
          `${method} needed input from mcpscope that was not given (${error.message}); on 2026-07-28 that ends the call without sending it again.`,
        );
      }
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
      if (reason instanceof TimeLimitReached) {
        const how = this.era === 'stateless-2026' ? 'closed its request stream' : 'sent the server notifications/cancelled';
        throw new EngineError(
          'request_time_limit',
          `${method} was still running after ${formatSeconds(this.requestMaxMs)}, the most one request may take even while the server reports progress (MCPSCOPE_REQUEST_MAX_MS; per session timeouts.requestMaxMs); mcpscope stopped waiting and ${how}.`,
        );
      }
      if (reason instanceof TimedOut) {
        throw new EngineError(
          'timeout',
          `The server did not answer ${method} within ${formatSeconds(timeoutMs)} (the timer restarts on each progress notification and pauses while a request waits for your answer).`,
        );
      }
      if (reason instanceof CancelledByCaller) {
        const how =
          this.era === 'stateless-2026'
            ? 'the request stream was closed, which tells a 2026-07-28 server to stop'
            : 'the server was sent notifications/cancelled';
        throw new EngineError('cancelled', `The call was cancelled (${reason.reason}); ${how}.`);
      }
      if (isEngineError(reason)) throw reason;
      const carried = requestId === undefined ? undefined : this.jsonRpcErrorInHttpFailure(method, requestId);
      if (carried) return { error: carried };
      const explained = this.link.explain(error, method, startedAt);
      if (explained.code === 'timeout') {
        throw new EngineError(
          'timeout',
          `The server did not answer ${method} within ${formatSeconds(timeoutMs)} (the timer restarts on each progress notification).`,
        );
      }
      throw explained;
    } finally {
      clearTimeout(timer);
      clearTimeout(limit);
      stopHolding();
      if (callerToken !== undefined) this.link.releaseProgressToken(callerToken);
      stopWatching?.();
      opts.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /**
   * The server's own JSON-RPC error for request `id`, when it came as the body of a 4xx answer. The SDK reads one
   * only from an HTTP 400; a 2026-07-28 server may answer -32601 with 404, and the person must see that error, not
   * a failed HTTP exchange. 401 stays an authorization matter, and so does a 403 with a challenge.
   */
  private jsonRpcErrorInHttpFailure(method: string, id: string | number): JsonRpcErrorBody | undefined {
    for (const seen of [...this.link.wire.observations].reverse().slice(0, 16)) {
      if (seen.method !== 'POST' || seen.status < 400 || seen.status >= 500 || seen.status === 401) continue;
      if (seen.status === 403 && seen.wwwAuthenticate) continue;
      const error = jsonRpcErrorFor(seen.bodySnippet, id);
      if (!error) continue;
      const name = jsonRpcErrorName(error.code);
      this.log.finding(
        'info',
        'jsonrpc_error_http_status',
        `The server answered ${method} with HTTP ${seen.status} carrying JSON-RPC error ${error.code}${name ? ` (${name})` : ''}; mcpscope shows the server's error (the SDK client reads a JSON-RPC error only from an HTTP 400).`,
      );
      return error;
    }
    return undefined;
  }

  /** On 2026-07-28 the chosen log level travels in each request's _meta; the caller's own _meta wins. */
  private withLogLevel(params: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    if (this.era !== 'stateless-2026' || !this.logLevel) return params;
    const meta = params?._meta && typeof params._meta === 'object' ? (params._meta as Record<string, unknown>) : {};
    return { ...params, _meta: { [LOG_LEVEL_META_KEY]: this.logLevel, ...meta } };
  }
}

/** A JSON-RPC error response for request `id` in `text`, if that is what it is. */
function jsonRpcErrorFor(text: string | undefined, id: string | number): JsonRpcErrorBody | undefined {
  if (!text) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object') return undefined;
  const message = body as { jsonrpc?: unknown; id?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
  if (message.jsonrpc !== '2.0' || message.id !== id || !message.error) return undefined;
  const { code, message: said, data } = message.error;
  if (typeof code !== 'number' || typeof said !== 'string') return undefined;
  return { code, message: said, ...(data === undefined ? {} : { data }) };
}

function describeListenFilter(filter: ListenFilter): string {
  const kinds = [
    filter.toolsListChanged && 'tools list changes',
    filter.promptsListChanged && 'prompts list changes',
    filter.resourcesListChanged && 'resources list changes',
    filter.resourceSubscriptions?.length &&
      `updates to ${filter.resourceSubscriptions.length} resource${filter.resourceSubscriptions.length === 1 ? '' : 's'}`,
  ].filter(Boolean);
  return kinds.length > 0 ? kinds.join(', ') : 'nothing';
}

function mentionsHeaderMirroring(schema: unknown): boolean {
  try {
    return JSON.stringify(schema ?? {}).includes('"x-mcp-header"');
  } catch {
    return false;
  }
}

function isToolLike(value: unknown): value is Tool {
  return !!value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string';
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** The progress token the caller put in `params._meta`, if any. */
function progressTokenOf(params: Record<string, unknown> | undefined): string | number | undefined {
  const meta = params?._meta;
  if (!meta || typeof meta !== 'object') return undefined;
  const token = (meta as { progressToken?: unknown }).progressToken;
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}
