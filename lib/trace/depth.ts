// How deep server JSON may nest once it is inside mcpscope. JSON.parse reads any depth, but everything after it
// recurses: JSON.stringify (every API answer, the events stream, exports, shares), structuredClone, the share
// masker, the browser's JSON views. A result nested 5,000 levels deep overflows the stack in all of them, and a
// log that holds it can no longer be exported or streamed. So where server JSON enters mcpscope (the log's rpc
// events, the answer to a call) it is cut at MAX_JSON_DEPTH levels, with a finding naming the depth; the raw body
// text stays in the log as received.

/** Levels of nesting kept: far more than any real MCP message has, far less than a stack overflows at. */
export const MAX_JSON_DEPTH = 128;

/** What stands where a cut object or array was. */
export function cutMarker(maxDepth: number): string {
  return `… (nested deeper than ${maxDepth} levels: cut by mcpscope)`;
}

export interface DepthCheck {
  /** The value itself when it is shallow enough, else a copy cut at `maxDepth` levels. */
  value: unknown;
  /** How deep the value nests when it was cut (a scalar is 0, `{}` and `[]` are 1, `{"a": []}` is 2); NaN otherwise. */
  depth: number;
  cut: boolean;
}

/** Measures a JSON value's depth without recursion, and cuts it at `maxDepth` levels when it goes deeper. */
export function capJsonDepth(value: unknown, maxDepth: number = MAX_JSON_DEPTH): DepthCheck {
  // The common case (shallow) is checked by a recursion that never goes deeper than the limit, without
  // allocating; only a value that does go deeper is measured exactly.
  if (!deeperThan(value, maxDepth)) return { value, depth: Number.NaN, cut: false };
  return { value: cutAt(value, maxDepth, cutMarker(maxDepth)), depth: jsonDepth(value), cut: true };
}

/** Whether `value` nests more than `levels` levels; recurses at most `levels + 1` deep. */
function deeperThan(value: unknown, levels: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (deeperThan(value[i], levels - 1)) return true;
    return false;
  }
  for (const key in value) if (Object.hasOwn(value, key) && deeperThan((value as Record<string, unknown>)[key], levels - 1)) return true;
  return false;
}

/** Nesting depth, walked with an explicit stack (any depth, any width). */
export function jsonDepth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  const stack: Array<[object, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, level] = stack.pop()!;
    if (level > deepest) deepest = level;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, level + 1]);
  }
  return deepest;
}

/** A copy down to `levels` levels; deeper objects and arrays become `marker`. Recursion stays within `levels`. */
function cutAt(value: unknown, levels: number, marker: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (levels === 0) return marker;
  if (Array.isArray(value)) return value.map((item) => cutAt(item, levels - 1, marker));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = cutAt(inner, levels - 1, marker);
  return out;
}
