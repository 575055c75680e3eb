// Recognising JSON-RPC 2.0 messages on the wire and pairing responses with their requests.
import type { RpcMessageType } from './types';
import { isJsonObject } from '../json';

export type JsonRpcId = string | number;

export interface RpcMessageInfo {
  type: RpcMessageType;
  /** Unset for notifications, and for error responses with `id: null` (e.g. a parse error). */
  id?: JsonRpcId;
  method?: string;
  /** For `error` messages. */
  errorCode?: number;
  errorMessage?: string;
  /** Deviations from JSON-RPC 2.0 that were tolerated, e.g. a missing `"jsonrpc": "2.0"`. */
  problems?: string[];
  message: Record<string, unknown>;
}

export interface RpcClassification {
  /** True when the value was an array of messages. */
  batch: boolean;
  messages: RpcMessageInfo[];
}

/** Standard JSON-RPC and MCP error codes, for showing a name next to a bare number. */
export const JSONRPC_ERROR_NAMES: Readonly<Record<number, string>> = {
  [-32700]: 'Parse error',
  [-32600]: 'Invalid request',
  [-32601]: 'Method not found',
  [-32602]: 'Invalid params',
  [-32603]: 'Internal error',
  [-32000]: 'Server error (implementation-defined)',
  [-32001]: 'Server-specific: request timeout, or session/token expired',
  [-32002]: 'Resource not found',
  [-32021]: 'Missing required client capability',
  [-32022]: 'Unsupported protocol version',
  [-32042]: 'URL elicitation required',
};

export function jsonRpcErrorName(code: number): string | undefined {
  if (code in JSONRPC_ERROR_NAMES) return JSONRPC_ERROR_NAMES[code];
  if (code >= -32099 && code <= -32000) return 'Server error (implementation-defined)';
  return undefined;
}

function isId(v: unknown): v is JsonRpcId {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

/** One JSON-RPC message, or null when the value is not one. */
export function classifyRpcMessage(value: unknown): RpcMessageInfo | null {
  if (!isJsonObject(value)) return null;
  const problems: string[] = [];
  let info: RpcMessageInfo | null = null;
  if (typeof value.method === 'string') {
    if ('id' in value && value.id !== undefined) {
      info = { type: 'request', method: value.method, message: value };
      if (isId(value.id)) info.id = value.id;
      else problems.push(`request id must be a string or a number, got ${JSON.stringify(value.id)}`);
    } else {
      info = { type: 'notification', method: value.method, message: value };
    }
  } else if ('error' in value && isJsonObject(value.error)) {
    info = { type: 'error', message: value };
    if (isId(value.id)) info.id = value.id;
    const { code, message } = value.error;
    if (typeof code === 'number') info.errorCode = code;
    else problems.push('error.code is not a number');
    if (typeof message === 'string') info.errorMessage = message;
  } else if ('result' in value && 'id' in value) {
    info = { type: 'result', message: value };
    if (isId(value.id)) info.id = value.id;
    else problems.push(`response id must be a string or a number, got ${JSON.stringify(value.id)}`);
  }
  if (!info) return null;
  if (value.jsonrpc !== '2.0') problems.push(`"jsonrpc" is ${JSON.stringify(value.jsonrpc) ?? 'missing'}, expected "2.0"`);
  if (problems.length > 0) info.problems = problems;
  return info;
}

/** A parsed JSON value as JSON-RPC: one message or a batch. Null when nothing in it is JSON-RPC. */
export function classifyJsonRpc(value: unknown): RpcClassification | null {
  if (Array.isArray(value)) {
    const messages = value.map(classifyRpcMessage).filter((m): m is RpcMessageInfo => m !== null);
    return messages.length > 0 ? { batch: true, messages } : null;
  }
  const one = classifyRpcMessage(value);
  return one ? { batch: false, messages: [one] } : null;
}

/** Parses text and classifies it; null for text that is not JSON or not JSON-RPC. */
export function parseJsonRpcText(text: string): RpcClassification | null {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return null;
  try {
    return classifyJsonRpc(JSON.parse(text));
  } catch {
    return null;
  }
}

export type RpcDirection = 'out' | 'in';

export interface RpcPairing {
  /** seq of the request event. */
  pairSeq: number;
  latencyMs: number;
  method?: string;
}

interface PendingRequest {
  seq: number;
  t: number;
  method?: string;
}

/**
 * Pairs responses with requests by id. Ids are per direction: a response travelling `in` answers a request
 * that went `out`, and a response going `out` answers a request the server sent `in` (server→client requests
 * such as sampling or elicitation). `1` and `"1"` are different ids, as JSON-RPC says.
 */
export class RpcPairer {
  private readonly pending = new Map<string, PendingRequest>();
  /** The one request a POST carried, by exchange: an `id: null` error in that POST's answer belongs to it. */
  private readonly soleRequestByExchange = new Map<string, string>();
  /** Requests already answered, so a second copy of the answer (seed 002 answers in the POST body and on the stream) can be shown against its request. */
  private readonly answered = new Map<string, PendingRequest>();

  /** Unanswered requests are forgotten oldest first past this many, so a server that never answers can't grow memory. */
  constructor(private readonly maxPending = 10_000) {}

  request(direction: RpcDirection, id: JsonRpcId, seq: number, t: number, method?: string): void {
    const key = keyOf(direction, id);
    // A reused id (a retried probe, a reconnect) replaces the older request: the newest one is being answered.
    this.pending.delete(key);
    this.pending.set(key, { seq, t, method });
    if (this.pending.size > this.maxPending) {
      const oldest = this.pending.keys().next();
      if (!oldest.done) this.pending.delete(oldest.value);
    }
  }

  /** Notes that `exchangeId` carried exactly this one request (not a batch). */
  soleRequestOn(exchangeId: string, direction: RpcDirection, id: JsonRpcId): void {
    this.soleRequestByExchange.set(exchangeId, keyOf(direction, id));
    if (this.soleRequestByExchange.size > this.maxPending) {
      const oldest = this.soleRequestByExchange.keys().next();
      if (!oldest.done) this.soleRequestByExchange.delete(oldest.value);
    }
  }

  /**
   * Pairs an error without an id (`"id": null`, as servers answer a request they could not process)
   * with the single request whose HTTP exchange it came back on.
   */
  responseOnExchange(exchangeId: string, t: number): RpcPairing | undefined {
    const key = this.soleRequestByExchange.get(exchangeId);
    if (key === undefined) return undefined;
    this.soleRequestByExchange.delete(exchangeId);
    const req = this.pending.get(key);
    if (!req) return undefined;
    this.pending.delete(key);
    return { pairSeq: req.seq, latencyMs: Math.max(0, roundMs(t - req.t)), method: req.method };
  }

  /** The request a response answers, forgotten once paired. `direction` is the response's own direction. */
  response(direction: RpcDirection, id: JsonRpcId, t: number): RpcPairing | undefined {
    const key = keyOf(direction === 'in' ? 'out' : 'in', id);
    const req = this.pending.get(key);
    if (!req) return undefined;
    this.pending.delete(key);
    this.answered.delete(key);
    this.answered.set(key, req);
    if (this.answered.size > this.maxPending) {
      const oldest = this.answered.keys().next();
      if (!oldest.done) this.answered.delete(oldest.value);
    }
    return { pairSeq: req.seq, latencyMs: Math.max(0, roundMs(t - req.t)), method: req.method };
  }

  /** For a response whose request was already answered: that request, to show the repeat against it. */
  repeatedResponse(direction: RpcDirection, id: JsonRpcId, t: number): RpcPairing | undefined {
    const req = this.answered.get(keyOf(direction === 'in' ? 'out' : 'in', id));
    if (!req) return undefined;
    return { pairSeq: req.seq, latencyMs: Math.max(0, roundMs(t - req.t)), method: req.method };
  }

  get pendingCount(): number {
    return this.pending.size;
  }
}

function keyOf(direction: RpcDirection, id: JsonRpcId): string {
  return `${direction}|${typeof id === 'number' ? 'n' : 's'}|${id}`;
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
