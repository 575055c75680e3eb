// The extra masking a share can apply on top of capture masking: URL query values, tool arguments and tool
// results. Values become `••••` (or `••••abcd` for query values, like other masked secrets, so two values
// can still be told apart); names, structure and content types stay so the share still reads.
import { capJsonDepth, MASK, maskSecret } from '../../trace';

const ENCODED_MASK = encodeURIComponent(MASK);

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function isMasked(value: string): boolean {
  return value.startsWith(MASK) || value.startsWith(ENCODED_MASK);
}

/** `a=1&b=2` → `a=••••&b=••••`: each value masked, names kept; a bare token (`?abcdef`) is masked whole. */
function maskParams(params: string): string {
  return params
    .split('&')
    .map((pair) => {
      if (pair === '') return pair;
      const eq = pair.indexOf('=');
      if (eq === -1) return isMasked(pair) ? pair : maskSecret(safeDecode(pair));
      const value = pair.slice(eq + 1);
      if (value === '' || isMasked(value)) return pair;
      return `${pair.slice(0, eq)}=${maskSecret(safeDecode(value))}`;
    })
    .join('&');
}

/** Masks the query and fragment parameter values of one URL (absolute or relative). */
export function maskQueryInUrl(url: string): string {
  const hash = url.indexOf('#');
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? null : url.slice(hash + 1);
  const q = beforeHash.indexOf('?');
  let out = q === -1 ? beforeHash : `${beforeHash.slice(0, q)}?${maskParams(beforeHash.slice(q + 1))}`;
  // A fragment that is not parameters (`#section`) is a place in a page, not data.
  if (fragment !== null) out += `#${fragment.includes('=') ? maskParams(fragment) : fragment}`;
  return out;
}

// An absolute URL inside any text: a JSON string, a header value, a sentence. Some servers escape `/` in
// JSON (`https:\/\/host\/path`), which must be recognised too.
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:(?:\\?\/){2}(?:[^\s"'<>`\\]|\\\/)+/gi;

/** Masks the query values of every absolute URL in a text. */
export function maskQueryInText(text: string): string {
  if (!text.includes('/') || (!text.includes('?') && !text.includes('#'))) return text;
  return text.replace(URL_IN_TEXT, (url) => {
    if (!url.includes('?') && !url.includes('#')) return url;
    if (!url.includes('\\/')) return maskQueryInUrl(url);
    return maskQueryInUrl(url.replace(/\\\//g, '/')).replace(/\//g, '\\/');
  });
}

/** Every leaf value masked; object keys and array lengths kept. `keep` names keys whose values stay. */
export function maskLeaves(value: unknown, keep?: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => maskLeaves(item, keep));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = keep?.has(key) ? inner : maskLeaves(inner, keep);
    return out;
  }
  if (value === null || value === undefined) return value;
  return MASK;
}

/** What stays readable in a masked tool result: which kinds of content it had, and whether it was an error. */
const RESULT_KEEP: ReadonlySet<string> = new Set(['type', 'isError', 'mimeType']);

export function maskToolResult(result: unknown): unknown {
  return maskLeaves(result, RESULT_KEEP);
}

/** Applies `fn` to every string in a JSON-like value (object keys untouched); returns a copy when anything changed. */
export function mapStrings<T>(value: T, fn: (s: string) => string): T {
  return mapAny(value, fn) as T;
}

function mapAny(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const next = mapAny(item, fn);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      const next = mapAny(inner, fn);
      if (next !== inner) changed = true;
      out[key] = next;
    }
    return changed ? out : value;
  }
  return value;
}

export type JsonRpcObject = Record<string, unknown>;

/**
 * Rewrites the JSON-RPC message(s) in a text (one message or a batch). Returns the new text (the same
 * text when nothing changed), or undefined when the text is not JSON.
 */
export function rewriteJsonRpcText(text: string, rewrite: (message: JsonRpcObject) => JsonRpcObject): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  // A body nested deeper than the log keeps would overflow the rewriting (and JSON.stringify): cut it as the log did.
  const capped = capJsonDepth(parsed);
  parsed = capped.value;
  let changed = capped.cut;
  const one = (item: unknown): unknown => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const next = rewrite(item as JsonRpcObject);
    if (next !== item) changed = true;
    return next;
  };
  const result = Array.isArray(parsed) ? parsed.map(one) : one(parsed);
  return changed ? JSON.stringify(result) : text;
}

/** `data:` lines of an SSE frame's raw text replaced by `data` (split on newlines); other lines kept. */
export function replaceFrameData(raw: string, data: string | undefined): string {
  const lines = raw.split('\n');
  const out: string[] = [];
  let placed = false;
  for (const line of lines) {
    if (line === 'data' || line.startsWith('data:')) {
      if (!placed && data !== undefined) out.push(...data.split('\n').map((d) => `data: ${d}`));
      placed = true;
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}
