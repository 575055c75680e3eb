// The redacted copy of a log that a share link carries. A pure function of the log and the choices made in
// the share dialog: the browser runs it for the preview, the server runs it again on its own copy of the log
// to make the share, so what was previewed is what is stored.
import type { BodyCapture, RpcEvent, SseFrameEvent, TraceEvent, TraceMeta } from '../../trace';
import {
  mapStrings,
  maskLeaves,
  maskQueryInText,
  maskQueryInUrl,
  maskToolResult,
  replaceFrameData,
  rewriteJsonRpcText,
  type JsonRpcObject,
} from './mask';
import { selectEvents } from './select';
import type { SharedLog, ShareSelection, ShareStats, TextMasker } from './types';
import { isJsonObject } from '../../json';

export interface BuildSharedLogOptions {
  /** Known secrets of the session, masked once more wherever they appear (a second line of defence). */
  secrets?: TextMasker;
}

const TOOLS_CALL = 'tools/call';

function idKey(id: unknown): string | undefined {
  return typeof id === 'string' || typeof id === 'number' ? `${typeof id}:${id}` : undefined;
}

/** Where tool calls and their results are in the log, found once on the whole log. */
interface ToolTraffic {
  /** JSON-RPC ids of the tools/call requests mcpscope sent. */
  callIds: Set<string>;
  /** Exchanges whose request body carried a tools/call. */
  callExchanges: Set<string>;
  /** Exchanges whose response (body or frames) carried a tools/call result. */
  resultExchanges: Set<string>;
}

function findToolTraffic(events: readonly TraceEvent[]): ToolTraffic {
  const callIds = new Set<string>();
  const callExchanges = new Set<string>();
  const callSeqs = new Set<number>();
  for (const e of events) {
    if (e.kind !== 'rpc' || e.direction !== 'out' || e.type !== 'request' || e.method !== TOOLS_CALL) continue;
    callSeqs.add(e.seq);
    const key = idKey(e.id);
    if (key) callIds.add(key);
    if (e.exchangeId) callExchanges.add(e.exchangeId);
  }
  const resultExchanges = new Set<string>();
  for (const e of events) {
    if (e.kind === 'rpc' && isToolResult(e, callIds, callSeqs) && e.exchangeId) resultExchanges.add(e.exchangeId);
  }
  return { callIds, callExchanges, resultExchanges };
}

function isToolResult(e: RpcEvent, callIds: ReadonlySet<string>, callSeqs?: ReadonlySet<number>): boolean {
  if (e.direction !== 'in' || (e.type !== 'result' && e.type !== 'error')) return false;
  if (e.method === TOOLS_CALL) return true;
  if (e.pairSeq !== undefined && callSeqs?.has(e.pairSeq)) return true;
  const key = idKey(e.id);
  return key !== undefined && callIds.has(key);
}

class ToolMasker {
  readonly maskedArguments = new Set<string>();
  readonly maskedResults = new Set<string>();
  droppedPayloads = 0;

  constructor(
    private readonly traffic: ToolTraffic,
    private readonly args: boolean,
    private readonly results: boolean,
  ) {}

  /** One JSON-RPC message from a body or a frame, with arguments or results masked when they are tool data. */
  message = (message: JsonRpcObject): JsonRpcObject => this.maskMessage(message, false);

  private maskMessage(message: JsonRpcObject, knownResult: boolean): JsonRpcObject {
    const key = idKey(message.id) ?? '';
    if (this.args && message.method === TOOLS_CALL && isJsonObject(message.params) && 'arguments' in message.params) {
      this.maskedArguments.add(key);
      return { ...message, params: { ...message.params, arguments: maskLeaves(message.params.arguments) } };
    }
    if (this.results && message.method === undefined && (knownResult || this.traffic.callIds.has(key))) {
      if ('result' in message) {
        this.maskedResults.add(key);
        return { ...message, result: maskToolResult(message.result) };
      }
      if (isJsonObject(message.error) && 'data' in message.error) {
        this.maskedResults.add(key);
        return { ...message, error: { ...message.error, data: maskLeaves(message.error.data) } };
      }
    }
    return message;
  }

  rpc(e: RpcEvent): RpcEvent {
    if (!isJsonObject(e.message)) return e;
    const call = this.args && e.direction === 'out' && e.type === 'request' && e.method === TOOLS_CALL;
    const result = this.results && isToolResult(e, this.traffic.callIds);
    if (!call && !result) return e;
    const next = this.maskMessage(e.message, result);
    return next === e.message ? e : { ...e, message: next };
  }

  /** A body that may hold tool data: rewritten when it parses, emptied when it does not. */
  body(body: BodyCapture | undefined, mayHold: boolean): BodyCapture | undefined {
    if (!body || !mayHold || body.text === '') return body;
    const rewritten = body.encoding === 'utf8' && !body.truncated ? rewriteJsonRpcText(body.text, this.message) : undefined;
    if (rewritten !== undefined) return rewritten === body.text ? body : { ...body, text: rewritten };
    this.droppedPayloads += 1;
    return { ...body, text: '', truncated: true, dropped: true };
  }

  frame(e: SseFrameEvent): SseFrameEvent {
    if (!this.results || e.data === undefined || e.data === '' || !this.traffic.resultExchanges.has(e.exchangeId)) return e;
    const rewritten = e.truncated ? undefined : rewriteJsonRpcText(e.data, this.message);
    if (rewritten === e.data) return e;
    if (rewritten !== undefined) return { ...e, data: rewritten, raw: replaceFrameData(e.raw, rewritten) };
    this.droppedPayloads += 1;
    const { data: _data, ...rest } = e;
    return { ...rest, raw: replaceFrameData(e.raw, undefined), dropped: true };
  }

  event(e: TraceEvent): TraceEvent {
    switch (e.kind) {
      case 'rpc':
        return this.rpc(e);
      case 'http.request': {
        const mayHold = this.args && (this.traffic.callExchanges.has(e.exchangeId) || (e.body?.text.includes(TOOLS_CALL) ?? false));
        const body = this.body(e.body, mayHold);
        return body === e.body ? e : { ...e, body };
      }
      case 'http.end': {
        const body = this.body(e.body, this.results && this.traffic.resultExchanges.has(e.exchangeId));
        return body === e.body ? e : { ...e, body };
      }
      case 'sse.frame':
        return this.frame(e);
      case 'app.message': {
        // An MCP App's bridge carries the tool's input and result (and the view's own calls) in every shape the
        // spec has; when either is masked, the bridge messages keep their method and pairing but not their body.
        if (e.message === undefined) return e;
        this.droppedPayloads += 1;
        const { message: _message, ...rest } = e;
        return { ...rest, dropped: true };
      }
      default:
        return e;
    }
  }
}

function emptyStats(): ShareStats {
  return {
    events: 0,
    exchanges: 0,
    messages: 0,
    phases: 0,
    findings: 0,
    maskedQueries: 0,
    maskedArguments: 0,
    maskedResults: 0,
    droppedPayloads: 0,
  };
}

/**
 * The copy of a log a share link carries: the selected events (see `selectEvents`), with tool arguments,
 * tool results and URL query values masked as chosen, and every known secret masked again. The input is
 * not modified; seqs and times stay as in the original log.
 */
export function buildSharedLog(
  meta: TraceMeta,
  events: readonly TraceEvent[],
  selection: ShareSelection = {},
  options: BuildSharedLogOptions = {},
): SharedLog {
  const stats = emptyStats();
  let out = selectEvents(events, selection);

  if (selection.maskArguments || selection.maskResults) {
    const masker = new ToolMasker(findToolTraffic(events), Boolean(selection.maskArguments), Boolean(selection.maskResults));
    out = out.map((e) => masker.event(e));
    stats.maskedArguments = masker.maskedArguments.size;
    stats.maskedResults = masker.maskedResults.size;
    stats.droppedPayloads = masker.droppedPayloads;
  }

  let sharedMeta = meta;
  const { secrets } = options;
  if (selection.maskQuery || secrets) {
    const text = (s: string): string => {
      let next = s;
      if (selection.maskQuery) {
        next = maskQueryInText(s);
        if (next !== s) stats.maskedQueries += 1;
      }
      return secrets ? secrets.maskText(next) : next;
    };
    sharedMeta = mapStrings(meta, text);
    out = out.map((e) => {
      const mapped = mapStrings(e, text);
      return selection.maskQuery && mapped.kind === 'sse.frame' ? maskEndpointFrame(mapped, stats) : mapped;
    });
  }

  const exchanges = new Set<string>();
  for (const e of out) {
    if (e.kind === 'http.request') exchanges.add(e.exchangeId);
    else if (e.kind === 'rpc') stats.messages += 1;
    else if (e.kind === 'phase' && e.status === 'started') stats.phases += 1;
    else if (e.kind === 'finding') stats.findings += 1;
  }
  stats.events = out.length;
  stats.exchanges = exchanges.size;
  return { meta: sharedMeta, events: out, stats };
}

/** The legacy transport's `endpoint` event names the POST URL, usually relative (`/messages?sessionId=…`). */
function maskEndpointFrame(e: SseFrameEvent, stats: ShareStats): SseFrameEvent {
  if (e.event !== 'endpoint' || e.data === undefined) return e;
  const data = maskQueryInUrl(e.data.trim());
  if (data === e.data.trim()) return e;
  stats.maskedQueries += 1;
  return { ...e, data, raw: replaceFrameData(e.raw, data) };
}
