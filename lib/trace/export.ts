// The JSON export: the whole log as one file, and the reader that checks a file before a view trusts it.
// The format is documented in docs/session-format.md; older versions are migrated up (export-migrate.ts).
import { ExportVersionError, migrateExport, migrations, type VersionedDoc } from './export-migrate';
import type { TraceLog } from './log';
import { checkTraceEvent, checkTraceMeta, isTraceEventKind, type SchemaProblem } from './export-schema';
import { isJsonObject } from '../json';
import { CodedError } from '../errors';
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

export function toJsonExport(log: Pick<TraceLog, 'meta' | 'events'>, now: Date = new Date(), opts: JsonExportOptions = {}): SessionExport {
  // The server URL is masked when the session starts; masking again keeps a log made any other way safe too.
  const meta = { ...log.meta, serverUrl: maskUrl(log.meta.serverUrl) };
  const out: SessionExport = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now.toISOString(), meta, events: log.events() };
  if (opts.mcpscopeVersion !== undefined) out.mcpscopeVersion = opts.mcpscopeVersion;
  return out;
}

export type TraceExportErrorCode = 'invalid_export' | 'unsupported_export_version';

export class TraceExportError extends CodedError<TraceExportErrorCode> implements TraceError {
  constructor(message: string, code: TraceExportErrorCode = 'invalid_export') {
    super('TraceExportError', code, message);
  }
}

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
  if (!isJsonObject(v)) throw new TraceExportError('This is not an mcpscope session export: expected a JSON object.');
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
  if (!isJsonObject(v)) throw new TraceExportError('A format migration did not produce an object.');
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

function describe(problems: SchemaProblem[]): string {
  return problems.map((p) => (p.path ? `"${p.path}": ${p.message}` : p.message)).join('; ');
}

function checkMeta(m: unknown): TraceMeta {
  if (!isJsonObject(m)) throw new TraceExportError('The export has no "meta" object.');
  const checked = checkTraceMeta(m);
  if (!checked.ok) throw new TraceExportError(`The export's "meta" is missing or has a wrong ${describe(checked.problems)}.`);
  return checked.value;
}

function checkEvent(e: unknown, i: number): TraceEvent {
  if (!isJsonObject(e)) throw new TraceExportError(`Event #${i} is not an object.`);
  if (!isTraceEventKind(e.kind)) throw new TraceExportError(`Event #${i} has an unknown kind ${JSON.stringify(e.kind)}.`);
  const checked = checkTraceEvent(e.kind, e);
  if (!checked.ok) throw new TraceExportError(`Event #${i} (${e.kind}) is wrong at ${describe(checked.problems)}.`);
  return checked.value;
}
