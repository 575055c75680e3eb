// How much memory an event holds, estimated cheaply, for the log's byte cap and the process-wide budget.
// The figures are V8's on 64-bit Node (no pointer compression): a JS object is a 24-byte header plus an
// 8-byte slot per property, a string a 16-byte header plus its characters (one byte each, two when any is
// past U+00FF), a fractional number a 16-byte box. Measured against heap snapshots of recorded floods
// (tests/trace/size.test.ts): within ~25% of what the heap really holds, on the high side.
import type { TraceEvent } from './types';

const OBJECT_HEADER = 24;
const SLOT = 8;
const STRING_HEADER = 16;
const ARRAY_HEADER = 32 + 16; // the JSArray and its backing store's header
const HEAP_NUMBER = 16;
/** What the log spends per kept event on its own bookkeeping (array slots, queue entries, map entries). */
export const EVENT_BOOKKEEPING = 48;

const TWO_BYTE = /[^\u0000-\u00ff]/;

/** Fields whose strings are shared constants or ids reused by many events (not a copy per event). */
const SHARED_FIELDS = new Set([
  'kind',
  'direction',
  'type',
  'purpose',
  'status',
  'severity',
  'encoding',
  'exchangeId',
  'phaseId',
  'parentId',
]);

function stringSize(text: string): number {
  if (text.length === 0) return 0;
  const chars = TWO_BYTE.test(text) ? text.length * 2 : text.length;
  return STRING_HEADER + ((chars + 7) & ~7);
}

function numberSize(value: number): number {
  // Small integers live in the slot itself; anything else is boxed.
  return Number.isInteger(value) && Math.abs(value) < 2 ** 30 ? 0 : HEAP_NUMBER;
}

/**
 * Estimated heap bytes of a JSON-like value and everything it holds. Iterative (a server's message may nest
 * thousands of levels deep); shared sub-objects are counted once.
 */
export function heapEstimate(value: unknown): number {
  if (typeof value === 'string') return stringSize(value);
  if (typeof value === 'number') return numberSize(value);
  if (typeof value !== 'object' || value === null) return 0;
  let total = 0;
  const seen = new Set<object>();
  const stack: object[] = [value];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      total += ARRAY_HEADER + SLOT * node.length;
      for (const item of node) total += leafOrPush(item, stack);
    } else {
      const keys = Object.keys(node);
      total += OBJECT_HEADER + SLOT * keys.length;
      for (const key of keys) total += leafOrPush((node as Record<string, unknown>)[key], stack);
    }
  }
  return total;
}

function leafOrPush(value: unknown, stack: object[]): number {
  if (typeof value === 'string') return stringSize(value);
  if (typeof value === 'number') return numberSize(value);
  if (typeof value === 'object' && value !== null) stack.push(value);
  return 0;
}

/**
 * Bytes of the event's payload: what the byte caps may empty first (bodies, SSE frame text, JSON-RPC
 * messages). Zero once emptied.
 */
export function payloadSize(e: TraceEvent): number {
  switch (e.kind) {
    case 'http.request':
    case 'http.end':
      return e.body && !e.body.dropped ? stringSize(e.body.text) : 0;
    case 'sse.frame':
      return e.dropped ? 0 : stringSize(e.raw) + (e.data ? stringSize(e.data) : 0);
    case 'rpc':
    case 'app.message':
      return e.message !== undefined ? heapEstimate(e.message) : 0;
    case 'stdio.line':
      return e.text !== undefined && !e.dropped ? stringSize(e.text) : 0;
    case 'stdio.stderr':
      return e.dropped ? 0 : stringSize(e.text);
    default:
      return 0;
  }
}

/**
 * Bytes of everything else the log holds for the event: the event object itself, its headers, URL, ids,
 * timings and texts, plus the log's own bookkeeping. Stays the same when the payload is emptied.
 */
export function skeletonSize(e: TraceEvent): number {
  const record = e as unknown as Record<string, unknown>;
  // Counted as if the flags the payload drop adds were always there, so emptying it never changes this figure.
  let total = EVENT_BOOKKEEPING + OBJECT_HEADER + SLOT;
  for (const key in record) {
    if (key === 'dropped') continue;
    total += SLOT;
    if (SHARED_FIELDS.has(key)) continue;
    const value = record[key];
    switch (key) {
      case 'raw':
      case 'data':
        if (e.kind === 'sse.frame') continue;
        break;
      case 'message':
        if (e.kind === 'rpc' || e.kind === 'app.message') continue;
        break;
      case 'text':
        if (e.kind === 'stdio.line' || e.kind === 'stdio.stderr') continue;
        break;
      case 'body':
        // The body record without its text (the text is payload).
        total += OBJECT_HEADER + SLOT * 6;
        continue;
      default:
        break;
    }
    total += heapEstimate(value);
  }
  return total;
}
