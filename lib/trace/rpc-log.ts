// Writing JSON-RPC messages into a log as `rpc` events, paired per log across all of its exchanges
// (a request POSTed on one exchange is often answered on another, e.g. the standing GET stream).
import { utf8ByteLength } from './bytes';
import { capJsonDepth, cutMarker, MAX_JSON_DEPTH } from './depth';
import { classifyJsonRpc, RpcPairer, type RpcClassification, type RpcDirection } from './jsonrpc';
import type { TraceLog } from './log';
import type { RpcEvent } from './types';

const pairers = new WeakMap<TraceLog, RpcPairer>();
const nonconformanceLogs = new WeakSet<TraceLog>();

/** True once the log has said that a message broke JSON-RPC 2.0 (it says so once per session). */
export function nonconformanceNoted(log: TraceLog): boolean {
  return nonconformanceLogs.has(log);
}

/** The pairer shared by everything that records into `log`. */
export function rpcPairerFor(log: TraceLog): RpcPairer {
  let p = pairers.get(log);
  if (!p) {
    p = new RpcPairer();
    pairers.set(log, p);
  }
  return p;
}

export interface RecordRpcOptions {
  exchangeId?: string;
  /** Byte size of the text the value was parsed from; used when the value is a single message. */
  size?: number;
}

/**
 * Appends one `rpc` event per JSON-RPC message in `value` (already parsed, secrets already masked).
 * Returns the events; none when the value is not JSON-RPC.
 */
export function recordRpc(
  log: TraceLog,
  direction: RpcDirection,
  value: unknown,
  options: RecordRpcOptions = {},
  classification: RpcClassification | null = classifyJsonRpc(value),
): RpcEvent[] {
  if (!classification) return [];
  const pairer = rpcPairerFor(log);
  const out: RpcEvent[] = [];
  for (const info of classification.messages) {
    const { value: message, depth, cut } = capJsonDepth(info.message);
    const size = !classification.batch && options.size !== undefined ? options.size : utf8ByteLength(JSON.stringify(message));
    const base: Omit<RpcEvent, 'seq' | 't'> = {
      kind: 'rpc',
      direction,
      type: info.type,
      message: message as RpcEvent['message'],
      size,
    };
    if (info.id !== undefined) base.id = info.id;
    if (options.exchangeId !== undefined) base.exchangeId = options.exchangeId;
    if (info.type === 'request' || info.type === 'notification') {
      base.method = info.method;
      const e = log.append(base) as RpcEvent;
      if (info.type === 'request' && info.id !== undefined) {
        pairer.request(direction, info.id, e.seq, e.t, info.method);
        if (!classification.batch && options.exchangeId !== undefined) pairer.soleRequestOn(options.exchangeId, direction, info.id);
      }
      out.push(e);
    } else {
      const pairing =
        info.id !== undefined
          ? (pairer.response(direction, info.id, log.now()) ?? pairer.repeatedResponse(direction, info.id, log.now()))
          : info.type === 'error' && options.exchangeId !== undefined
            ? pairer.responseOnExchange(options.exchangeId, log.now())
            : undefined;
      if (pairing) {
        if (pairing.method !== undefined) base.method = pairing.method;
        base.pairSeq = pairing.pairSeq;
        base.latencyMs = pairing.latencyMs;
      }
      out.push(log.append(base) as RpcEvent);
    }
    if (cut) noteTooDeep(log, out[out.length - 1]!, direction, depth, options.exchangeId);
    if (info.problems && !nonconformanceLogs.has(log)) {
      nonconformanceLogs.add(log);
      log.finding(
        'warning',
        'jsonrpc_nonconformant',
        `A JSON-RPC message ${direction === 'in' ? 'from the server' : 'sent to the server'} does not follow JSON-RPC 2.0: ` +
          `${info.problems.join('; ')}. It was recorded anyway (this is reported once per session).`,
        options.exchangeId !== undefined ? { exchangeId: options.exchangeId } : {},
      );
    }
  }
  return out;
}

/** Findings about cut messages per log: enough to see it happening, not a second flood. */
const MAX_DEPTH_FINDINGS = 20;
const depthFindings = new WeakMap<TraceLog, number>();

function noteTooDeep(log: TraceLog, event: RpcEvent, direction: RpcDirection, depth: number, exchangeId: string | undefined): void {
  const noted = depthFindings.get(log) ?? 0;
  if (noted >= MAX_DEPTH_FINDINGS) return;
  depthFindings.set(log, noted + 1);
  const what = `${event.method ?? 'a message'}${event.type === 'result' || event.type === 'error' ? ` ${event.type}` : ''}`;
  const last = noted + 1 === MAX_DEPTH_FINDINGS ? ' (further cuts in this session are not reported)' : '';
  log.finding(
    'warning',
    'json_too_deep',
    `A JSON-RPC message ${direction === 'in' ? 'from the server' : 'sent to the server'} (${what}, seq ${event.seq}) is nested ` +
      `${depth.toLocaleString('en-US')} levels deep; mcpscope keeps ${MAX_JSON_DEPTH} levels of it (deeper values read "${cutMarker(MAX_JSON_DEPTH)}") ` +
      `so the session, its exports, shares and events stream keep working. The raw body is kept as received${last}.`,
    exchangeId !== undefined ? { exchangeId } : {},
  );
}
