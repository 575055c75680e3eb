// Reading a HAR: mcpscope's own is restored exactly from its extensions (every http.* and sse.frame event from its
// entry, the rest from log._mcpscope); another tool's is replayed by ./import-foreign.
import { utf8ByteLength } from '../bytes';
import { EXPORT_FORMAT, parseJsonExport, TraceExportError } from '../export';
import type { BodyCapture, TraceError } from '../types';
import { fromNameValues, importForeignHar } from './import-foreign';
import type { ImportedSession } from './types';
import { isJsonObject } from '../../json';

export class HarImportError extends Error implements TraceError {
  readonly code = 'invalid_har';
  constructor(message: string) {
    super(message);
    this.name = 'HarImportError';
  }
}

/**
 * Reads a HAR (parsed, or its JSON text). mcpscope's own HAR is restored exactly from its extensions; any
 * other HAR is replayed into a fresh log, secrets masked on the way. Throws `HarImportError` (code
 * `invalid_har`), or `TraceExportError` with code `unsupported_export_version` for a HAR from a newer mcpscope.
 */
export function fromHar(value: unknown): ImportedSession {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch (err) {
      throw new HarImportError(`This file is not JSON (${(err as Error).message}).`);
    }
  }
  if (!isJsonObject(v) || !isJsonObject(v.log))
    throw new HarImportError('This is not a HAR file: expected a JSON object with a "log" object.');
  const log = v.log;
  if (!Array.isArray(log.entries)) throw new HarImportError('This HAR has no "log.entries" list.');
  log.entries.forEach((e, i) => {
    if (!isJsonObject(e)) throw new HarImportError(`HAR entry #${i} is not an object.`);
    if (!isJsonObject(e.request) || typeof e.request.url !== 'string' || typeof e.request.method !== 'string') {
      throw new HarImportError(`HAR entry #${i} has no request with a "method" and a "url".`);
    }
    if (typeof e.startedDateTime !== 'string' || Number.isNaN(Date.parse(e.startedDateTime))) {
      throw new HarImportError(`HAR entry #${i} has no valid "startedDateTime" (an ISO 8601 date).`);
    }
  });
  const entries = log.entries as Array<Record<string, unknown> & { request: Record<string, unknown>; startedDateTime: string }>;
  if (isJsonObject(log._mcpscope) && log._mcpscope.format === EXPORT_FORMAT) return restoreOwnHar(log._mcpscope, entries);
  return importForeignHar(log, entries);
}

// mcpscope's own HAR: every http.* and sse.frame event comes back from its entry, the rest from log._mcpscope.
function restoreOwnHar(ext: Record<string, unknown>, entries: Array<Record<string, unknown>>): ImportedSession {
  if (!Array.isArray(ext.events)) throw new HarImportError('The HAR\'s mcpscope data ("log._mcpscope") has no "events" list.');
  const events: unknown[] = [...ext.events];
  entries.forEach((entry, i) => {
    events.push(...restoreEntry(entry, i));
  });
  events.sort((a, b) => seqOf(a) - seqOf(b));
  try {
    return parseJsonExport({ format: EXPORT_FORMAT, version: ext.version, meta: ext.meta, events });
  } catch (err) {
    if (err instanceof TraceExportError && err.code === 'invalid_export') {
      throw new HarImportError(`The HAR's mcpscope data is damaged: ${err.message}`);
    }
    throw err;
  }
}

function seqOf(e: unknown): number {
  return isJsonObject(e) && typeof e.seq === 'number' ? e.seq : Number.POSITIVE_INFINITY;
}

function restoreEntry(entry: Record<string, unknown>, i: number): unknown[] {
  const x = entry._mcpscope;
  const fail = (what: string): never => {
    throw new HarImportError(`HAR entry #${i} ${what}.`);
  };
  if (!isJsonObject(x)) return fail('has no mcpscope data ("_mcpscope") although the HAR was written by mcpscope');
  const request = entry.request as Record<string, unknown>;
  const response = isJsonObject(entry.response) ? entry.response : {};
  const content = isJsonObject(response.content) ? response.content : {};
  const exchangeId = x.exchangeId;
  if (typeof exchangeId !== 'string') return fail('has no "_mcpscope.exchangeId"');
  const rx = isJsonObject(x.request) ? x.request : fail('has no "_mcpscope.request"');
  const out: unknown[] = [];

  const reqEvent: Record<string, unknown> = {
    kind: 'http.request',
    seq: rx.seq,
    t: rx.t,
    exchangeId,
    purpose: x.purpose,
    method: request.method,
    url: request.url,
    headers: fromNameValues(request.headers),
  };
  if (x.phaseId !== undefined) reqEvent.phaseId = x.phaseId;
  if (isJsonObject(rx.body)) {
    const postData = isJsonObject(request.postData) ? request.postData : {};
    reqEvent.body = restoreBody(rx.body, postData.text);
  }
  out.push(reqEvent);

  if (isJsonObject(x.response)) {
    out.push({
      kind: 'http.response',
      seq: x.response.seq,
      t: x.response.t,
      exchangeId,
      status: response.status,
      statusText: response.statusText,
      headers: fromNameValues(response.headers),
      ttfbMs: x.response.ttfbMs,
    });
  }

  const frames = Array.isArray(entry._sseFrames) ? entry._sseFrames : undefined;
  if (frames) {
    frames.forEach((f, j) => {
      if (!isJsonObject(f) || !isJsonObject(f._mcpscope)) fail(`SSE frame #${j} has no mcpscope data`);
      const frame = f as Record<string, unknown> & { _mcpscope: Record<string, unknown> };
      const fx = frame._mcpscope;
      const ev: Record<string, unknown> = { kind: 'sse.frame', seq: fx.seq, t: fx.t, exchangeId, index: fx.index, raw: fx.raw };
      for (const k of ['id', 'event', 'data', 'retry', 'comment'] as const) if (frame[k] !== undefined) ev[k] = frame[k];
      for (const k of ['truncated', 'dropped', 'incomplete'] as const) if (fx[k] !== undefined) ev[k] = fx[k];
      out.push(ev);
    });
  }

  if (isJsonObject(x.end)) {
    const ex = x.end;
    const end: Record<string, unknown> = { kind: 'http.end', seq: ex.seq, t: ex.t, exchangeId, bytes: ex.bytes, durationMs: ex.durationMs };
    if (isJsonObject(ex.body)) end.body = restoreBody(ex.body, content.text);
    if (ex.error !== undefined) end.error = ex.error;
    if (ex.aborted !== undefined) end.aborted = ex.aborted;
    out.push(end);
  }
  return out;
}

function restoreBody(meta: Record<string, unknown>, standardText: unknown): BodyCapture {
  const text = typeof meta.text === 'string' ? meta.text : typeof standardText === 'string' ? standardText : '';
  const body: BodyCapture = {
    text,
    encoding: meta.encoding === 'base64' ? 'base64' : 'utf8',
    size: typeof meta.size === 'number' ? meta.size : utf8ByteLength(text),
    truncated: meta.truncated === true,
  };
  if (meta.dropped !== undefined) body.dropped = meta.dropped === true;
  return body;
}
