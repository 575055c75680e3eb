// A structural diff of two JSON values: which JSON paths were added, removed or changed, with ignore rules for
// values that are expected to differ between two runs (ids, timestamps, session ids, the protocol envelope).
// microdiff does the comparison; this file shapes its input (lists of named things compared by name, not by
// position) and its output (paths a person can read and write back as an ignore rule).
import microdiff from 'microdiff';
import { isJsonObject } from '../json';
import { capJsonDepth } from '../trace';
import { ReplayError } from './errors';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface JsonChange {
  kind: ChangeKind;
  /** `$.content[0].text`, `$.tools[name="add"].inputSchema.required` (lists of named things are keyed by name). */
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface JsonDiff {
  changes: JsonChange[];
  /** Changes the ignore rules set aside, with the rule that did. */
  ignored: Array<JsonChange & { rule: string }>;
  /** Changes not listed because there were more than `maxChanges`. */
  omitted: number;
}

/** One ignore rule: a path pattern, or a built-in that looks at the values. */
export interface IgnoreRule {
  /** How the rule reads in a report (and on the command line, for a path rule). */
  name: string;
  matches(change: PathChange): boolean;
}

/** A change as an ignore rule sees it: its path as segments (keys, indexes, `[name="…"]`) and its values. */
export interface PathChange {
  kind: ChangeKind;
  segments: Segment[];
  before?: unknown;
  after?: unknown;
}

export type Segment = { key: string } | { index: number } | { field: string; value: string };

export interface DiffOptions {
  ignore?: readonly IgnoreRule[];
  /** Most changes listed (the rest counted in `omitted`); default 200. */
  maxChanges?: number;
}

/** A list whose items all carry a distinct one of these is compared item by item by that field. */
const ITEM_KEYS = ['name', 'uri', 'uriTemplate'] as const;
/** Stands for `[field="value"]` in a keyed list turned into an object (a character JSON keys never start with here). */
const KEYED = '\u0000';

/** Compares `before` and `after`; both are cut at lib/trace's depth limit first (they came from a server). */
export function diffJson(before: unknown, after: unknown, options: DiffOptions = {}): JsonDiff {
  const rules = options.ignore ?? [];
  const max = options.maxChanges ?? 200;
  const left = keyLists(capJsonDepth(before).value);
  const right = keyLists(capJsonDepth(after).value);
  const raw = rawChanges(left, right);
  const result: JsonDiff = { changes: [], ignored: [], omitted: 0 };
  for (const change of raw) {
    const rule = rules.find((r) => r.matches(change));
    const shown: JsonChange = {
      kind: change.kind,
      path: formatPath(change.segments),
      ...(change.kind !== 'added' ? { before: unkeyLists(change.before) } : {}),
      ...(change.kind !== 'removed' ? { after: unkeyLists(change.after) } : {}),
    };
    if (rule) result.ignored.push({ ...shown, rule: rule.name });
    else if (result.changes.length < max) result.changes.push(shown);
    else result.omitted += 1;
  }
  return result;
}

function rawChanges(left: unknown, right: unknown): PathChange[] {
  const containers = (isJsonObject(left) && isJsonObject(right)) || (Array.isArray(left) && Array.isArray(right));
  if (!containers) {
    return Object.is(left, right) ? [] : [{ kind: 'changed', segments: [], before: left, after: right }];
  }
  return microdiff(left as Record<string, unknown>, right as Record<string, unknown>).map((d) => ({
    kind: d.type === 'CREATE' ? 'added' : d.type === 'REMOVE' ? 'removed' : 'changed',
    segments: d.path.map(toSegment),
    ...(d.type !== 'CREATE' ? { before: d.oldValue as unknown } : {}),
    ...(d.type !== 'REMOVE' ? { after: d.value as unknown } : {}),
  }));
}

function toSegment(part: string | number): Segment {
  if (typeof part === 'number') return { index: part };
  if (part.startsWith(KEYED)) {
    const [, field, value] = part.split(KEYED);
    return { field, value };
  }
  return { key: part };
}

/** Lists of named things (tools, prompts, resources, content blocks with names) become objects keyed by name. */
function keyLists(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(keyLists);
    const field = ITEM_KEYS.find((key) => itemsKeyedBy(value, key));
    if (!field) return items;
    return Object.fromEntries(items.map((item, i) => [`${KEYED}${field}${KEYED}${(value[i] as Record<string, string>)[field]}`, item]));
  }
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keyLists(v)]));
  return value;
}

function itemsKeyedBy(list: unknown[], field: string): boolean {
  if (list.length === 0) return false;
  const seen = new Set<string>();
  for (const item of list) {
    if (!isJsonObject(item) || typeof item[field] !== 'string') return false;
    const key = item[field] as string;
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}

/** A keyed list back as the list it was, for showing a value. */
function unkeyLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unkeyLists);
  if (!isJsonObject(value)) return value;
  const entries = Object.entries(value);
  if (entries.length > 0 && entries.every(([k]) => k.startsWith(KEYED))) return entries.map(([, v]) => unkeyLists(v));
  return Object.fromEntries(entries.map(([k, v]) => [k, unkeyLists(v)]));
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function formatPath(segments: readonly Segment[]): string {
  let path = '$';
  for (const segment of segments) {
    if ('index' in segment) path += `[${segment.index}]`;
    else if ('field' in segment) path += `[${segment.field}=${JSON.stringify(segment.value)}]`;
    else path += IDENTIFIER.test(segment.key) ? `.${segment.key}` : `[${JSON.stringify(segment.key)}]`;
  }
  return path;
}

// ---- ignore rules ----

type PatternPart =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'any' }
  | { kind: 'descend' }
  | { kind: 'field'; field: string; value: string };

/**
 * A path rule, in the JSONPath people already write: `$.content[*].text`, `$.structuredContent.requestId`,
 * `$..timestamp` (any depth), `$.tools[name="add"].description`, `*` for one step. A bare name (`requestId`) means
 * that key anywhere (`$..requestId`). A rule matches a change at its path or anywhere below it.
 */
export function pathRule(pattern: string): IgnoreRule {
  const parts = parsePattern(pattern);
  return { name: pattern, matches: (change) => matchesPrefix(parts, change.segments) };
}

function parsePattern(pattern: string): PatternPart[] {
  const text = pattern.trim();
  if (text === '') throw new ReplayError('invalid_ignore_rule', 'An ignore rule is empty.');
  if (!text.startsWith('$')) {
    if (!/^[^.[\]]+$/.test(text))
      throw new ReplayError('invalid_ignore_rule', `The ignore rule "${pattern}" is neither a JSON path ($.a.b) nor a key name.`);
    return [{ kind: 'descend' }, { kind: 'key', key: text }];
  }
  const parts: PatternPart[] = [];
  const token =
    /\.\.|\.([^.[\]]+)|\[(\d+)\]|\[\*\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]|\[([A-Za-z_]\w*)=("(?:[^"\\]|\\.)*")\]/y;
  let at = 1;
  while (at < text.length) {
    token.lastIndex = at;
    const m = token.exec(text);
    if (!m) throw new ReplayError('invalid_ignore_rule', `The ignore rule "${pattern}" cannot be read at "${text.slice(at)}".`);
    at = token.lastIndex;
    if (m[0] === '..') {
      parts.push({ kind: 'descend' });
      // `$..name`: the key follows without its own dot.
      const name = /^[^.[\]]+/.exec(text.slice(at));
      if (name) {
        parts.push(name[0] === '*' ? { kind: 'any' } : { kind: 'key', key: name[0] });
        at += name[0].length;
      }
    } else if (m[1] !== undefined) parts.push(m[1] === '*' ? { kind: 'any' } : { kind: 'key', key: m[1] });
    else if (m[2] !== undefined) parts.push({ kind: 'index', index: Number(m[2]) });
    else if (m[0] === '[*]') parts.push({ kind: 'any' });
    else if (m[3] !== undefined) parts.push({ kind: 'key', key: m[3].replace(/\\(.)/g, '$1') });
    else if (m[4] !== undefined) parts.push({ kind: 'key', key: JSON.parse(`"${m[4]}"`) as string });
    else parts.push({ kind: 'field', field: m[5], value: JSON.parse(m[6]) as string });
  }
  return parts;
}

/** Whether the pattern matches the first segments of `segments` (so a rule covers everything under its path). */
function matchesPrefix(parts: readonly PatternPart[], segments: readonly Segment[]): boolean {
  const step = (p: number, s: number): boolean => {
    if (p === parts.length) return true;
    const part = parts[p];
    if (part.kind === 'descend') {
      for (let skip = s; skip <= segments.length; skip++) if (step(p + 1, skip)) return true;
      return false;
    }
    if (s === segments.length) return false;
    return segmentMatches(part, segments[s]) && step(p + 1, s + 1);
  };
  return step(0, 0);
}

function segmentMatches(part: Exclude<PatternPart, { kind: 'descend' }>, segment: Segment): boolean {
  switch (part.kind) {
    case 'any':
      return true;
    case 'key':
      return 'key' in segment ? segment.key === part.key : 'field' in segment ? segment.value === part.key : false;
    case 'index':
      return 'index' in segment && segment.index === part.index;
    case 'field':
      return 'field' in segment && segment.field === part.field && segment.value === part.value;
  }
}

const ID_KEYS = /^(id|_id|uuid|guid|sessionId|session_id|requestId|request_id|traceId|trace_id|spanId|span_id|correlationId|nonce|etag)$/i;
const TIME_KEYS =
  /^(timestamp|time|date|now|createdAt|created_at|updatedAt|updated_at|modifiedAt|lastModified|lastUpdatedAt|expiresAt|expires_at|issuedAt|startedAt|endedAt|elapsedMs|durationMs|tookMs)$/i;
const ISO_TIME = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/** Top-level result fields of the 2026-07-28 envelope, absent on 2025 answers. */
const ENVELOPE_RESULT_KEYS = new Set(['resultType', 'ttlMs', 'cacheScope']);

function lastKey(segments: readonly Segment[]): string | undefined {
  const last = segments[segments.length - 1];
  return last && 'key' in last ? last.key : undefined;
}

/** Where an outcome's result starts: diffs are taken of `{result}` / `{error}`. */
function underResult(segments: readonly Segment[]): readonly Segment[] | undefined {
  const first = segments[0];
  return first && 'key' in first && first.key === 'result' ? segments.slice(1) : undefined;
}

function maskVolatile(text: string): string {
  return text.replace(ISO_TIME, '<time>').replace(UUID, '<uuid>');
}

/**
 * What two runs of the same server are expected to differ in, ignored unless the person turns them off:
 * values under id-like and time-like keys, strings that differ only in the timestamps or UUIDs inside them, and
 * the protocol envelope (the `io.modelcontextprotocol/*` `_meta` keys and `resultType`/`ttlMs`/`cacheScope` of
 * 2026-07-28), so one era can be replayed against another.
 */
export const DEFAULT_IGNORE_RULES: readonly IgnoreRule[] = [
  {
    name: 'ids',
    matches: (c) => c.kind === 'changed' && ID_KEYS.test(lastKey(c.segments) ?? '') && !isJsonObject(c.before) && !isJsonObject(c.after),
  },
  {
    name: 'timestamps',
    matches: (c) => c.kind === 'changed' && TIME_KEYS.test(lastKey(c.segments) ?? '') && !isJsonObject(c.before) && !isJsonObject(c.after),
  },
  {
    name: 'timestamps and ids in text',
    matches: (c) =>
      c.kind === 'changed' &&
      typeof c.before === 'string' &&
      typeof c.after === 'string' &&
      maskVolatile(c.before) === maskVolatile(c.after),
  },
  {
    name: 'protocol envelope',
    matches: (c) => {
      const inResult = underResult(c.segments);
      if (!inResult) return false;
      const first = inResult[0];
      if (inResult.length === 1 && first && 'key' in first && ENVELOPE_RESULT_KEYS.has(first.key)) return true;
      // _meta["io.modelcontextprotocol/…"] anywhere in the result, or a _meta that holds only such keys.
      return c.segments.some((s, i) => {
        if (!('key' in s) || s.key !== '_meta') return false;
        const next = c.segments[i + 1];
        if (next && 'key' in next) return next.key.startsWith('io.modelcontextprotocol/');
        if (next) return false;
        const value = c.kind === 'added' ? c.after : c.before;
        return isJsonObject(value) && Object.keys(value).every((k) => k.startsWith('io.modelcontextprotocol/'));
      });
    },
  },
];

/** The rules a replay uses: the defaults (unless turned off) and the person's path rules. */
export function ignoreRules(paths: readonly string[], options: { defaults?: boolean } = {}): IgnoreRule[] {
  return [...(options.defaults === false ? [] : DEFAULT_IGNORE_RULES), ...paths.map(pathRule)];
}
