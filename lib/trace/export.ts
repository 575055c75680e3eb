// The JSON export: the whole log as one file, and the reader that checks a file before a view trusts it.
// The format is documented in docs/session-format.md; older versions are migrated up (export-migrate.ts).
import { ExportVersionError, migrateExport, migrations, type VersionedDoc } from './export-migrate';
import type { TraceLog } from './log';
import { maskUrl } from './secrets';
import type { TraceError, TraceEvent, TraceMeta } from './types';

export const EXPORT_FORMAT = 'mcpscope-session';
export const EXPORT_VERSION = 1;

export interface SessionExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  /** ISO 8601 time of the export. */
  exportedAt: string;
  /** Version of the mcpscope that wrote the file, when it said. */
  mcpscopeVersion?: string;
  meta: TraceMeta;
  events: TraceEvent[];
}

export interface JsonExportOptions {
  mcpscopeVersion?: string;
}

export function toJsonExport(
  log: Pick<TraceLog, 'meta' | 'events'>,
  now: Date = new Date(),
  opts: JsonExportOptions = {},
): SessionExport {
  // The server URL is masked when the session starts; masking again keeps a log made any other way safe too.
  const meta = { ...log.meta, serverUrl: maskUrl(log.meta.serverUrl) };
  const out: SessionExport = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now.toISOString(), meta, events: log.events() };
  if (opts.mcpscopeVersion !== undefined) out.mcpscopeVersion = opts.mcpscopeVersion;
  return out;
}

export type TraceExportErrorCode = 'invalid_export' | 'unsupported_export_version';

export class TraceExportError extends Error implements TraceError {
  readonly code: TraceExportErrorCode;
  constructor(message: string, code: TraceExportErrorCode = 'invalid_export') {
    super(message);
    this.name = 'TraceExportError';
    this.code = code;
  }
}

const KINDS = new Set(['http.request', 'http.response', 'http.end', 'sse.frame', 'rpc', 'phase', 'finding']);
const TRANSPORTS = new Set(['auto', 'streamable-http', 'sse']);

/**
 * Checks an exported session (a parsed value, or the JSON text) and returns its meta and events, migrated
 * to the current format version. Throws `TraceExportError` saying what is wrong and where: code
 * `unsupported_export_version` for a version this mcpscope cannot read (newer, or unknown), otherwise
 * `invalid_export`.
 */
export function parseJsonExport(value: unknown): { meta: TraceMeta; events: TraceEvent[] } {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch (err) {
      throw new TraceExportError(`This file is not JSON (${(err as Error).message}).`);
    }
  }
  if (!isObject(v)) throw new TraceExportError('This is not an mcpscope session export: expected a JSON object.');
  if (v.format !== EXPORT_FORMAT) {
    throw new TraceExportError(
      `This is not an mcpscope session export: "format" is ${JSON.stringify(v.format) ?? 'missing'}, expected "${EXPORT_FORMAT}".`,
    );
  }
  if (typeof v.version !== 'number') throw new TraceExportError('The export has no "version" number.');
  try {
    v = migrateExport(v as VersionedDoc, EXPORT_VERSION, migrations);
  } catch (err) {
    if (err instanceof ExportVersionError) throw new TraceExportError(err.message, err.code);
    throw err;
  }
  if (!isObject(v)) throw new TraceExportError('A format migration did not produce an object.');
  const meta = checkMeta(v.meta);
  if (!Array.isArray(v.events)) throw new TraceExportError('The export has no "events" list.');
  let lastSeq = 0;
  const events = v.events.map((e, i) => {
    const ev = checkEvent(e, i);
    if (ev.seq <= lastSeq) {
      throw new TraceExportError(`Event #${i} has seq ${ev.seq}, not after the previous event's ${lastSeq}: events must be in order.`);
    }
    lastSeq = ev.seq;
    return ev;
  });
  return { meta, events };
}

function checkMeta(m: unknown): TraceMeta {
  if (!isObject(m)) throw new TraceExportError('The export has no "meta" object.');
  const missing: string[] = [];
  if (typeof m.sessionId !== 'string') missing.push('sessionId (string)');
  if (typeof m.serverUrl !== 'string') missing.push('serverUrl (string)');
  if (typeof m.startedAt !== 'number') missing.push('startedAt (number)');
  if (typeof m.transport !== 'string' || !TRANSPORTS.has(m.transport)) missing.push('transport ("auto", "streamable-http" or "sse")');
  if (missing.length > 0) throw new TraceExportError(`The export's "meta" is missing or has a wrong ${missing.join(', ')}.`);
  return m as unknown as TraceMeta;
}

function checkEvent(e: unknown, i: number): TraceEvent {
  const fail = (what: string): never => {
    throw new TraceExportError(`Event #${i} ${what}.`);
  };
  if (!isObject(e)) return fail('is not an object');
  if (typeof e.kind !== 'string' || !KINDS.has(e.kind)) return fail(`has an unknown kind ${JSON.stringify(e.kind)}`);
  if (typeof e.seq !== 'number' || !Number.isInteger(e.seq) || e.seq < 1) return fail('has no valid "seq" (a positive integer)');
  if (typeof e.t !== 'number' || !Number.isFinite(e.t)) return fail('has no valid "t" (milliseconds)');
  const needString = (k: string) => {
    if (typeof e[k] !== 'string') fail(`(${e.kind}) has no "${k}" string`);
  };
  const needNumber = (k: string) => {
    if (typeof e[k] !== 'number') fail(`(${e.kind}) has no "${k}" number`);
  };
  switch (e.kind) {
    case 'http.request':
      needString('exchangeId');
      needString('method');
      needString('url');
      if (!Array.isArray(e.headers)) fail('(http.request) has no "headers" list');
      break;
    case 'http.response':
      needString('exchangeId');
      needNumber('status');
      if (!Array.isArray(e.headers)) fail('(http.response) has no "headers" list');
      break;
    case 'http.end':
      needString('exchangeId');
      needNumber('bytes');
      break;
    case 'sse.frame':
      needString('exchangeId');
      needNumber('index');
      needString('raw');
      break;
    case 'rpc':
      if (e.direction !== 'in' && e.direction !== 'out') fail('(rpc) has no "direction" ("in" or "out")');
      needString('type');
      break;
    case 'phase':
      needString('phaseId');
      needString('name');
      needString('status');
      break;
    case 'finding':
      needString('severity');
      needString('code');
      needString('message');
      break;
  }
  return e as unknown as TraceEvent;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
