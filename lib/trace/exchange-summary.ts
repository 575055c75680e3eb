// What an HTTP exchange carried, in JSON-RPC words: the methods, the tool (or prompt) names and the ids of the
// messages recorded on it (the POSTed request or batch, its JSON or SSE answer, a GET stream's frames). Built once
// per exchange, message by message, and bounded: a batch of 10,000 requests is counted, not listed.
import type { RpcEvent } from './types';

/** Distinct methods listed per exchange; the rest are counted in `otherMethods`. */
export const SUMMARY_MAX_METHODS = 8;
/** Distinct names kept per exchange (for the row and the filter). */
export const SUMMARY_MAX_NAMES = 16;
/** Distinct ids kept per exchange for the filter; the row shows the first few. */
export const SUMMARY_MAX_IDS = 64;
/** Longest method or name kept, in characters (a server's strings are not trusted to be short). */
const MAX_TEXT = 80;

export interface RpcSummary {
  /** Messages recorded on the exchange, both directions. */
  messages: number;
  /** Messages mcpscope sent on it (more than one: a batch). */
  sent: number;
  received: number;
  requests: number;
  notifications: number;
  results: number;
  errors: number;
  /** Distinct methods in the order first seen, with how many messages had each; at most `SUMMARY_MAX_METHODS`. */
  methods: Array<{ method: string; count: number }>;
  /** Messages whose method is not in `methods` (the list was full). */
  otherMethods: number;
  /** Distinct `params.name` of the requests (a tool's, a prompt's), first seen first. */
  names: string[];
  /** More distinct names were seen than kept. */
  moreNames: boolean;
  /** The method of the first request that carried a name (the names are shown beside it). */
  namedMethod?: string;
  /** Distinct ids, first seen first. */
  ids: Array<string | number>;
  /** Messages carrying an id that was not kept (the list was full). */
  moreIds: number;
}

export function emptyRpcSummary(): RpcSummary {
  return {
    messages: 0,
    sent: 0,
    received: 0,
    requests: 0,
    notifications: 0,
    results: 0,
    errors: 0,
    methods: [],
    otherMethods: 0,
    names: [],
    moreNames: false,
    ids: [],
    moreIds: 0,
  };
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

function requestName(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const params = (message as { params?: unknown }).params;
  if (typeof params !== 'object' || params === null) return undefined;
  const name = (params as { name?: unknown }).name;
  return typeof name === 'string' && name !== '' ? clip(name) : undefined;
}

/** Adds one message to `summary` (in place: the summary is the exchange's own accumulator). Cost is bounded per message. */
export function addToRpcSummary(summary: RpcSummary, rpc: Pick<RpcEvent, 'direction' | 'type' | 'method' | 'id' | 'message'>): void {
  summary.messages += 1;
  if (rpc.direction === 'out') summary.sent += 1;
  else summary.received += 1;
  if (rpc.type === 'request') summary.requests += 1;
  else if (rpc.type === 'notification') summary.notifications += 1;
  else if (rpc.type === 'result') summary.results += 1;
  else summary.errors += 1;

  if (typeof rpc.method === 'string' && rpc.method !== '') {
    const method = clip(rpc.method);
    const entry = summary.methods.find((item) => item.method === method);
    const answer = rpc.type === 'result' || rpc.type === 'error';
    // An answer repeats its request's method: it names the method when the request was elsewhere, and is not counted twice.
    if (entry) {
      if (!answer) entry.count += 1;
    } else if (summary.methods.length < SUMMARY_MAX_METHODS) summary.methods.push({ method, count: 1 });
    else summary.otherMethods += 1;
  } else {
    summary.otherMethods += 1;
  }

  if (rpc.type === 'request') {
    const name = requestName(rpc.message);
    if (name !== undefined && summary.namedMethod === undefined && typeof rpc.method === 'string') summary.namedMethod = clip(rpc.method);
    if (name !== undefined && !summary.names.includes(name)) {
      if (summary.names.length < SUMMARY_MAX_NAMES) summary.names.push(name);
      else summary.moreNames = true;
    }
  }

  if (rpc.id !== undefined && rpc.id !== null) {
    const id = typeof rpc.id === 'string' ? clip(rpc.id) : rpc.id;
    if (!summary.ids.includes(id)) {
      if (summary.ids.length < SUMMARY_MAX_IDS) summary.ids.push(id);
      else summary.moreIds += 1;
    }
  }
}

/** The summary of a list of messages (an exchange's, read from a finished log). */
export function summarizeRpc(messages: Iterable<Pick<RpcEvent, 'direction' | 'type' | 'method' | 'id' | 'message'>>): RpcSummary {
  const summary = emptyRpcSummary();
  for (const message of messages) addToRpcSummary(summary, message);
  return summary;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Ids as a row shows them: the first few, then how many more. */
export function describeIds(summary: RpcSummary, shown = 3): string {
  if (summary.ids.length === 0) return '';
  const first = summary.ids.slice(0, shown).map(String).join(', ');
  const rest = summary.ids.length - Math.min(shown, summary.ids.length) + summary.moreIds;
  return `${summary.ids.length + summary.moreIds === 1 ? 'id' : 'ids'} ${first}${rest > 0 ? ` +${count(rest)}` : ''}`;
}

/** Methods and names as a row shows them: `tools/call add`, `batch of 3: tools/call ×3`, `notifications/message ×12`. */
export function describeMethods(summary: RpcSummary, shown = 2): string {
  if (summary.messages === 0) return '';
  const names =
    summary.names.length === 0
      ? ''
      : ` ${summary.names.slice(0, 2).join(', ')}${summary.names.length > 2 || summary.moreNames ? ', …' : ''}`;
  const parts = summary.methods
    .slice(0, shown)
    .map(({ method, count: n }) => `${n > 1 ? `${method} ×${count(n)}` : method}${method === summary.namedMethod ? names : ''}`);
  const hiddenMethods = summary.methods.length - Math.min(shown, summary.methods.length);
  const hiddenMessages = summary.methods.slice(shown).reduce((sum, item) => sum + item.count, 0) + summary.otherMethods;
  if (hiddenMessages > 0) {
    parts.push(hiddenMethods > 0 ? `+${count(hiddenMessages)} more` : `+${count(hiddenMessages)} other`);
  }
  const text = parts.join(', ');
  return summary.sent > 1 ? `batch of ${count(summary.sent)}: ${text}` : text;
}

/**
 * True when the filter text names something the exchange carried: a method (`tools/call`, or part of one), a tool or
 * prompt name, or an id (`7`, `#7`, `id 7`, `id:7`). `query` is lower-cased and trimmed by the caller.
 */
export function rpcSummaryMatches(summary: RpcSummary | undefined, query: string): boolean {
  if (!summary || query === '' || summary.messages === 0) return false;
  for (const { method } of summary.methods) if (method.toLowerCase().includes(query)) return true;
  for (const name of summary.names) if (name.toLowerCase().includes(query)) return true;
  const id = query.replace(/^(#|id[:\s]\s*)/, '');
  if (id === '') return false;
  return summary.ids.some((candidate) => String(candidate).toLowerCase() === id);
}
