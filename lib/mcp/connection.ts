// A connected session with an MCP server: sends any JSON-RPC method, lists tools, disconnects.
import { ProtocolError, StreamableHTTPClientTransport, type Tool } from '@modelcontextprotocol/client';
import type { TraceLog } from '../trace';
import type { ProtocolEraName, TraceError } from '../trace/types';
import { decideEra, describeEra } from './eras';
import { EngineError } from './errors';
import { formatSeconds } from './explain';
import type { Link } from './link';
import type { McpConnection, RpcOutcome, RpcRequestOptions, ServerIdentity, WireTransport } from './types';

/** Accepts any result: the inspector shows what the server sent, and judges it in the UI. */
const ANY_RESULT = {
  '~standard': {
    version: 1 as const,
    vendor: 'mcpscope',
    validate: (value: unknown) => ({ value }),
  },
};

const MAX_LIST_PAGES = 100;

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
  private isClosed = false;
  private readonly closeListeners = new Set<(error: TraceError) => void>();

  constructor(
    private readonly link: Link,
    private readonly log: TraceLog,
    private readonly requestTimeoutMs: number,
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
    this.sessionId = link.transport instanceof StreamableHTTPClientTransport ? link.transport.sessionId : undefined;
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
    this.link.succeed(describeEra(this.era, this.protocolVersion, this.sessionId));
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

  request(method: string, params: Record<string, unknown> | undefined, opts: RpcRequestOptions = {}): Promise<RpcOutcome> {
    return this.send(method, params, { ...opts, withProgress: true });
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
          throw new EngineError('protocol_error', `The server answered tools/list with JSON-RPC error ${outcome.error.code}: ${outcome.error.message}`);
        }
        const result = outcome.result as { tools?: unknown; nextCursor?: unknown } | undefined;
        for (const item of Array.isArray(result?.tools) ? result.tools : []) {
          if (isToolLike(item)) tools.push(item);
          else this.log.finding('warning', 'invalid_tool', `tools/list returned an entry without a name; it is not shown: ${truncate(JSON.stringify(item))}`, { phaseId: phase.id });
        }
        cursor = typeof result?.nextCursor === 'string' && result.nextCursor !== '' ? result.nextCursor : undefined;
        if (cursor === undefined) break;
        if (seenCursors.has(cursor)) {
          this.log.finding('warning', 'pagination_loop', `tools/list returned the cursor "${truncate(cursor)}" twice; stopped paging.`, { phaseId: phase.id });
          break;
        }
        seenCursors.add(cursor);
      }
    } catch (error) {
      const engineError = error instanceof EngineError ? error : new EngineError('protocol_error', String(error));
      phase.fail(engineError.toTraceError());
      throw engineError;
    }
    phase.ok(`${tools.length} tool${tools.length === 1 ? '' : 's'}`);
    this.tools = tools;
    return tools;
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.shutdown('disconnect');
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
    const transport = link.transport;
    if (transport instanceof StreamableHTTPClientTransport && transport.sessionId) {
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
    const tool = this.tools.find((candidate) => candidate.name === params.name);
    return tool && mentionsHeaderMirroring(tool.inputSchema) ? tool : undefined;
  }

  private async send(method: string, params: Record<string, unknown> | undefined, opts: InternalRequestOptions): Promise<RpcOutcome> {
    if (this.isClosed) throw new EngineError('not_connected', 'The session is not connected to the server any more.');
    const startedAt = Date.now();
    const timeoutMs = opts.timeoutMs ?? this.requestTimeoutMs;
    const controller = new AbortController();
    const onCallerAbort = () => controller.abort(new CancelledByCaller(String(opts.signal?.reason ?? 'cancelled by the user')));
    if (opts.signal?.aborted) onCallerAbort();
    opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
    let stopWatching: (() => void) | undefined;
    const sdkOptions = {
      signal: controller.signal,
      timeout: timeoutMs,
      resetTimeoutOnProgress: true,
      ...(opts.withProgress || opts.onProgress ? { onprogress: (progress: { progress: number; total?: number; message?: string }) => opts.onProgress?.(progress) } : {}),
    };
    let pending: Promise<unknown>;
    const callerToken = progressTokenOf(params);
    this.link.sendHook = {
      phaseId: opts.phaseId,
      progressToken: callerToken,
      onId: (id) => {
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
      return { result: await pending };
    } catch (error) {
      if (error instanceof ProtocolError) {
        return { error: { code: error.code, message: error.message, ...(error.data === undefined ? {} : { data: error.data }) } };
      }
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
      if (reason instanceof CancelledByCaller) {
        const how =
          this.era === 'stateless-2026' ? 'the request stream was closed, which tells a 2026-07-28 server to stop' : 'the server was sent notifications/cancelled';
        throw new EngineError('cancelled', `The call was cancelled (${reason.reason}); ${how}.`);
      }
      if (reason instanceof EngineError) throw reason;
      const explained = this.link.explain(error, method, startedAt);
      if (explained.code === 'timeout') {
        throw new EngineError('timeout', `The server did not answer ${method} within ${formatSeconds(timeoutMs)} (the timer restarts on each progress notification).`);
      }
      throw explained;
    } finally {
      if (callerToken !== undefined) this.link.releaseProgressToken(callerToken);
      stopWatching?.();
      opts.signal?.removeEventListener('abort', onCallerAbort);
    }
  }
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
