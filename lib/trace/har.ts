// HAR 1.2 (HTTP Archive) export and import. A session becomes one page whose entries are its HTTP
// exchanges (OAuth hops included); SSE responses carry their raw text and their frames with arrival times
// (`_sseFrames`); the rest of the log (JSON-RPC messages, phases, findings) rides along in `log._mcpscope`,
// so mcpscope reopens its own HAR exactly. A HAR from another tool (a browser's) is imported by replaying
// its entries into a fresh log, which rebuilds frames and JSON-RPC pairing the way a live session would.
// Field-by-field mapping: docs/session-format.md.
import { captureText } from './body';
import { utf8ByteLength } from './bytes';
import { groupExchanges, type ExchangeView } from './derive';
import { EXPORT_FORMAT, EXPORT_VERSION, parseJsonExport, TraceExportError } from './export';
import { parseJsonRpcText, type RpcClassification } from './jsonrpc';
import { TraceLog } from './log';
import { mediaType } from './record';
import { recordRpc } from './rpc-log';
import { maskBodyText, maskUrl, redactHeaders, SecretSet } from './secrets';
import { parseSseFrames, type SseFrame } from './sse';
import type {
  BodyCapture,
  ExchangePurpose,
  HeaderList,
  HttpEndEvent,
  HttpRequestEvent,
  HttpResponseEvent,
  ProtocolEraName,
  SseFrameEvent,
  TraceError,
  TraceEvent,
  TraceMeta,
} from './types';

// ---------------------------------------------------------------------------------------------------
// HAR 1.2 shapes (http://www.softwareishard.com/blog/har-12-spec/), with mcpscope's `_` extensions.

export interface HarNameValue {
  name: string;
  value: string;
  comment?: string;
}

export interface HarCreator {
  name: string;
  version: string;
  comment?: string;
}

export interface HarPage {
  startedDateTime: string;
  id: string;
  title: string;
  pageTimings: { onContentLoad?: number; onLoad?: number; comment?: string };
  comment?: string;
}

export interface HarPostData {
  mimeType: string;
  text: string;
  params?: HarNameValue[];
  comment?: string;
  /** mcpscope: `base64` when `text` holds a binary body in base64 (HAR 1.2 has no encoding for request bodies). */
  _encoding?: 'base64';
}

export interface HarRequest {
  method: string;
  url: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  queryString: HarNameValue[];
  postData?: HarPostData;
  headersSize: number;
  bodySize: number;
  comment?: string;
}

export interface HarContent {
  size: number;
  compression?: number;
  mimeType: string;
  text?: string;
  encoding?: 'base64';
  comment?: string;
}

export interface HarResponse {
  status: number;
  statusText: string;
  httpVersion: string;
  cookies: HarNameValue[];
  headers: HarNameValue[];
  content: HarContent;
  redirectURL: string;
  headersSize: number;
  bodySize: number;
  comment?: string;
  /** Why the exchange failed (Chrome writes its `net::ERR_…` here; mcpscope its error message). */
  _error?: string;
}

export interface HarTimings {
  blocked?: number;
  dns?: number;
  connect?: number;
  send: number;
  wait: number;
  receive: number;
  ssl?: number;
  comment?: string;
}

/** mcpscope-only fields of a frame (what the standard part of `_sseFrames` can't say). */
export interface HarSseFrameExtension {
  seq: number;
  /** Milliseconds since the session started (`TraceEvent.t`). */
  t: number;
  index: number;
  raw: string;
  truncated?: boolean;
  dropped?: boolean;
  incomplete?: boolean;
}

/** One SSE frame of a response, in `entry._sseFrames`. */
export interface HarSseFrame {
  /** Milliseconds from the entry's `startedDateTime` to the frame's arrival. */
  time: number;
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  comment?: string;
  _mcpscope?: HarSseFrameExtension;
}

/** Capture facts about a body whose text is held by the standard HAR field (`postData.text`, `content.text`). */
export interface HarBodyMeta {
  encoding: BodyCapture['encoding'];
  size: number;
  truncated: boolean;
  dropped?: boolean;
  /** Only when the standard field could not carry it (a body on a response whose content is the SSE text). */
  text?: string;
}

/** `entry._mcpscope`: what makes an entry the exact http.* events it came from. */
export interface HarEntryExtension {
  exchangeId: string;
  phaseId?: string;
  purpose: ExchangePurpose;
  request: { seq: number; t: number; body?: HarBodyMeta };
  response?: { seq: number; t: number; ttfbMs: number };
  end?: {
    seq: number;
    t: number;
    bytes: number;
    durationMs: number;
    body?: HarBodyMeta;
    error?: TraceError;
    aborted?: boolean;
  };
}

export interface HarEntry {
  pageref?: string;
  startedDateTime: string;
  time: number;
  request: HarRequest;
  response: HarResponse;
  cache: Record<string, never>;
  timings: HarTimings;
  serverIPAddress?: string;
  connection?: string;
  comment?: string;
  /** Chrome's resource type; `fetch` keeps DevTools from taking the first entry for a page's document. */
  _resourceType?: string;
  /** Same as `response._error`, for readers that look for it on the entry. */
  _error?: string;
  _sseFrames?: HarSseFrame[];
  _mcpscope?: HarEntryExtension;
}

/** `log._mcpscope`: the session's metadata and every event that is not carried by an entry. */
export interface HarLogExtension {
  format: typeof EXPORT_FORMAT;
  /** The session format version (docs/session-format.md) these events follow. */
  version: number;
  meta: TraceMeta;
  events: TraceEvent[];
}

export interface HarLog {
  version: '1.2';
  creator: HarCreator;
  browser?: HarCreator;
  pages?: HarPage[];
  entries: HarEntry[];
  comment?: string;
  _mcpscope?: HarLogExtension;
}

export interface Har {
  log: HarLog;
}

export interface HarExportOptions {
  /** The mcpscope version written as `log.creator.version`. */
  creatorVersion?: string;
}

const PAGE_ID = 'session';

// ---------------------------------------------------------------------------------------------------
// Export

export function toHar(recorded: TraceMeta, events: readonly TraceEvent[], opts: HarExportOptions = {}): Har {
  // The server URL is masked when the session starts; masking again keeps a log made any other way safe too.
  const meta = { ...recorded, serverUrl: maskUrl(recorded.serverUrl) };
  const exchanges = groupExchanges(events);
  const lastT = new Map<string, number>();
  for (const e of events) {
    const id = 'exchangeId' in e ? e.exchangeId : undefined;
    if (id !== undefined) lastT.set(id, Math.max(lastT.get(id) ?? e.t, e.t));
  }
  const carried = new Set<TraceEvent>();
  const entries: HarEntry[] = [];
  for (const x of exchanges.values()) {
    if (!x.request) continue; // its request fell to the event cap: its other events stay in log._mcpscope
    entries.push(entryOf(meta, x, lastT.get(x.exchangeId) ?? x.request.t));
    carried.add(x.request);
    if (x.response) carried.add(x.response);
    if (x.end) carried.add(x.end);
    for (const f of x.frames) carried.add(f);
  }
  return {
    log: {
      version: '1.2',
      creator: { name: 'mcpscope', version: opts.creatorVersion ?? 'unknown' },
      pages: [
        {
          startedDateTime: isoAt(meta.startedAt),
          id: PAGE_ID,
          title: meta.serverUrl,
          pageTimings: {},
        },
      ],
      entries,
      _mcpscope: {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        meta,
        events: events.filter((e) => !carried.has(e)),
      },
    },
  };
}

function entryOf(meta: TraceMeta, x: ExchangeView, lastT: number): HarEntry {
  const req = x.request as HttpRequestEvent;
  const { response: res, end } = x;
  const duration = Math.max(0, end ? end.durationMs : lastT - req.t);
  const ttfb = Math.max(0, Math.min(res ? res.ttfbMs : duration, duration));
  const wait = round3(ttfb);
  const receive = round3(duration - ttfb);
  const ext: HarEntryExtension = {
    exchangeId: x.exchangeId,
    purpose: req.purpose,
    request: { seq: req.seq, t: req.t },
  };
  if (req.phaseId !== undefined) ext.phaseId = req.phaseId;
  if (req.body) ext.request.body = bodyMeta(req.body);
  if (res) ext.response = { seq: res.seq, t: res.t, ttfbMs: res.ttfbMs };
  if (end) {
    ext.end = { seq: end.seq, t: end.t, bytes: end.bytes, durationMs: end.durationMs };
    if (end.error) ext.end.error = end.error;
    if (end.aborted !== undefined) ext.end.aborted = end.aborted;
  }

  const request: HarRequest = {
    method: req.method,
    url: req.url,
    httpVersion: 'HTTP/1.1',
    cookies: [],
    headers: toNameValues(req.headers),
    queryString: queryStringOf(req.url),
    headersSize: -1,
    bodySize: req.body ? req.body.size : 0,
  };
  if (req.body) {
    const postData: HarPostData = { mimeType: headerValue(req.headers, 'content-type') ?? '', text: req.body.text };
    if (req.body.encoding === 'base64') postData._encoding = 'base64';
    if (req.body.truncated) postData.comment = truncationNote(req.body);
    request.postData = postData;
  }

  const isStream = x.frames.length > 0 || (res !== undefined && mediaType(headerValue(res.headers, 'content-type')) === 'text/event-stream');
  let response: HarResponse;
  if (res) {
    const contentType = headerValue(res.headers, 'content-type');
    let content: HarContent;
    if (isStream) {
      content = { size: end ? end.bytes : utf8ByteLength(sseText(x.frames)), mimeType: contentType ?? 'text/event-stream', text: sseText(x.frames) };
      if (end?.body) ext.end!.body = { ...bodyMeta(end.body), text: end.body.text };
    } else if (end?.body) {
      content = { size: end.body.size, mimeType: contentType ?? 'x-unknown', text: end.body.text };
      if (end.body.encoding === 'base64') content.encoding = 'base64';
      if (end.body.truncated) content.comment = truncationNote(end.body);
      ext.end!.body = bodyMeta(end.body);
    } else {
      content = { size: end ? end.bytes : 0, mimeType: contentType ?? 'x-unknown' };
    }
    response = {
      status: res.status,
      statusText: res.statusText,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: toNameValues(res.headers),
      content,
      redirectURL: headerValue(res.headers, 'location') ?? '',
      headersSize: -1,
      bodySize: end ? end.bytes : -1,
    };
  } else {
    response = {
      status: 0,
      statusText: '',
      httpVersion: '',
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    };
    if (end?.body) ext.end!.body = { ...bodyMeta(end.body), text: end.body.text };
  }
  if (end?.error) response._error = end.error.message;
  else if (!res && end?.aborted) response._error = 'The request was cancelled before the server answered.';
  else if (!end) response.comment = res ? 'Still streaming when the session was exported.' : 'No answer yet when the session was exported.';

  const entry: HarEntry = {
    pageref: PAGE_ID,
    startedDateTime: isoAt(meta.startedAt + req.t),
    time: round3(wait + receive),
    request,
    response,
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, send: 0, wait, receive, ssl: -1 },
    _resourceType: 'fetch',
  };
  if (response._error !== undefined) entry._error = response._error;
  if (isStream) {
    entry._sseFrames = x.frames.map((f) => {
      const frame: HarSseFrame = { time: round3(Math.max(0, f.t - req.t)) };
      if (f.id !== undefined) frame.id = f.id;
      if (f.event !== undefined) frame.event = f.event;
      if (f.data !== undefined) frame.data = f.data;
      if (f.retry !== undefined) frame.retry = f.retry;
      if (f.comment !== undefined) frame.comment = f.comment;
      const fx: HarSseFrameExtension = { seq: f.seq, t: f.t, index: f.index, raw: f.raw };
      if (f.truncated !== undefined) fx.truncated = f.truncated;
      if (f.dropped !== undefined) fx.dropped = f.dropped;
      if (f.incomplete !== undefined) fx.incomplete = f.incomplete;
      frame._mcpscope = fx;
      return frame;
    });
  }
  entry._mcpscope = ext;
  return entry;
}

/** The stream as it arrived, rebuilt from its frames (a comment line stands alone; an event ends with a blank line). */
function sseText(frames: readonly SseFrameEvent[]): string {
  let out = '';
  for (const f of frames) {
    if (f.comment !== undefined) out += `${f.raw}\n`;
    else if (f.incomplete) out += `${f.raw}\n`;
    else out += `${f.raw}\n\n`;
  }
  return out;
}

function bodyMeta(body: BodyCapture): HarBodyMeta {
  const out: HarBodyMeta = { encoding: body.encoding, size: body.size, truncated: body.truncated };
  if (body.dropped !== undefined) out.dropped = body.dropped;
  return out;
}

function truncationNote(body: BodyCapture): string {
  return body.dropped
    ? `mcpscope dropped this ${body.size}-byte body to stay under the session log's size limit.`
    : `mcpscope kept only the first ${body.encoding === 'base64' ? 'bytes' : 'part'} of this ${body.size}-byte body (capture limit).`;
}

function toNameValues(headers: HeaderList): HarNameValue[] {
  return headers.map(([name, value]) => ({ name, value }));
}

function queryStringOf(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function headerValue(headers: HeaderList, name: string): string | undefined {
  for (const [n, v] of headers) if (n.toLowerCase() === name) return v;
  return undefined;
}

function isoAt(epochMs: number): string {
  const d = new Date(epochMs);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}

function round3(ms: number): number {
  return Math.max(0, Math.round(ms * 1000) / 1000);
}

// ---------------------------------------------------------------------------------------------------
// Import

export class HarImportError extends Error implements TraceError {
  readonly code = 'invalid_har';
  constructor(message: string) {
    super(message);
    this.name = 'HarImportError';
  }
}

export interface ImportedSession {
  meta: TraceMeta;
  events: TraceEvent[];
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
  if (!isObject(v) || !isObject(v.log)) throw new HarImportError('This is not a HAR file: expected a JSON object with a "log" object.');
  const log = v.log;
  if (!Array.isArray(log.entries)) throw new HarImportError('This HAR has no "log.entries" list.');
  log.entries.forEach((e, i) => {
    if (!isObject(e)) throw new HarImportError(`HAR entry #${i} is not an object.`);
    if (!isObject(e.request) || typeof e.request.url !== 'string' || typeof e.request.method !== 'string') {
      throw new HarImportError(`HAR entry #${i} has no request with a "method" and a "url".`);
    }
    if (typeof e.startedDateTime !== 'string' || Number.isNaN(Date.parse(e.startedDateTime))) {
      throw new HarImportError(`HAR entry #${i} has no valid "startedDateTime" (an ISO 8601 date).`);
    }
  });
  const entries = log.entries as Array<Record<string, unknown> & { request: Record<string, unknown>; startedDateTime: string }>;
  if (isObject(log._mcpscope) && log._mcpscope.format === EXPORT_FORMAT) return restoreOwnHar(log._mcpscope, entries);
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
  return isObject(e) && typeof e.seq === 'number' ? e.seq : Number.POSITIVE_INFINITY;
}

function restoreEntry(entry: Record<string, unknown>, i: number): unknown[] {
  const x = entry._mcpscope;
  const fail = (what: string): never => {
    throw new HarImportError(`HAR entry #${i} ${what}.`);
  };
  if (!isObject(x)) return fail('has no mcpscope data ("_mcpscope") although the HAR was written by mcpscope');
  const request = entry.request as Record<string, unknown>;
  const response = isObject(entry.response) ? entry.response : {};
  const content = isObject(response.content) ? response.content : {};
  const exchangeId = x.exchangeId;
  if (typeof exchangeId !== 'string') return fail('has no "_mcpscope.exchangeId"');
  const rx = isObject(x.request) ? x.request : fail('has no "_mcpscope.request"');
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
  if (isObject(rx.body)) {
    const postData = isObject(request.postData) ? request.postData : {};
    reqEvent.body = restoreBody(rx.body, postData.text);
  }
  out.push(reqEvent);

  if (isObject(x.response)) {
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
      if (!isObject(f) || !isObject(f._mcpscope)) fail(`SSE frame #${j} has no mcpscope data`);
      const frame = f as Record<string, unknown> & { _mcpscope: Record<string, unknown> };
      const fx = frame._mcpscope;
      const ev: Record<string, unknown> = { kind: 'sse.frame', seq: fx.seq, t: fx.t, exchangeId, index: fx.index, raw: fx.raw };
      for (const k of ['id', 'event', 'data', 'retry', 'comment'] as const) if (frame[k] !== undefined) ev[k] = frame[k];
      for (const k of ['truncated', 'dropped', 'incomplete'] as const) if (fx[k] !== undefined) ev[k] = fx[k];
      out.push(ev);
    });
  }

  if (isObject(x.end)) {
    const ex = x.end;
    const end: Record<string, unknown> = { kind: 'http.end', seq: ex.seq, t: ex.t, exchangeId, bytes: ex.bytes, durationMs: ex.durationMs };
    if (isObject(ex.body)) end.body = restoreBody(ex.body, content.text);
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

function fromNameValues(list: unknown): HeaderList {
  if (!Array.isArray(list)) return [];
  const out: HeaderList = [];
  for (const h of list) if (isObject(h)) out.push([String(h.name), String(h.value)]);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// A HAR from another tool: replayed into a fresh log, in time order across its entries.

interface ForeignEntry {
  index: number;
  startMs: number;
  method: string;
  url: string;
  requestHeaders: HeaderList;
  requestText?: string;
  requestBinary?: string;
  requestContentType?: string;
  rpcOut: RpcClassification | null;
  status: number;
  statusText: string;
  responseHeaders: HeaderList;
  responseContentType?: string;
  responseText?: string;
  responseBinary?: string;
  responseSize: number;
  bytes: number;
  isStream: boolean;
  frames: Array<{ offset?: number; frame: SseFrame }>;
  rpcIn: boolean;
  ttfb: number;
  duration: number;
  error?: string;
}

const FOREIGN_SESSION_ID = 'har-import';

function importForeignHar(harLog: Record<string, unknown>, rawEntries: Array<Record<string, unknown>>): ImportedSession {
  const parsed = rawEntries.map((e, i) => readForeignEntry(e, i)).sort((a, b) => a.startMs - b.startMs || a.index - b.index);
  const pages = Array.isArray(harLog.pages) ? harLog.pages.filter(isObject) : [];
  const pageStart = pages.length > 0 && typeof pages[0].startedDateTime === 'string' ? Date.parse(pages[0].startedDateTime) : Number.NaN;
  const startedAt = parsed.length > 0 ? Math.min(parsed[0].startMs, Number.isNaN(pageStart) ? Infinity : pageStart) : Number.isNaN(pageStart) ? 0 : pageStart;

  // A browser's HAR holds the whole page's traffic: keep what belongs to MCP (and its OAuth), when there is any.
  const mcpUrls = new Set(parsed.filter((p) => p.rpcOut || p.rpcIn).map((p) => endpointKey(p.url)));
  const hasMcp = mcpUrls.size > 0;
  const kept = hasMcp
    ? parsed.filter((p) => p.rpcOut || p.rpcIn || p.isStream || mcpUrls.has(endpointKey(p.url)) || isOAuthish(p))
    : parsed;

  const legacyStream = kept.find((p) => p.frames.some((f) => f.frame.event === 'endpoint'));
  const firstRpc = kept.find((p) => p.rpcOut);
  const title = pages.length > 0 && typeof pages[0].title === 'string' ? pages[0].title : '';
  const serverUrl = legacyStream?.url ?? firstRpc?.url ?? (/^https?:\/\//.test(title) ? title : (kept[0]?.url ?? ''));
  const meta: TraceMeta = {
    sessionId: FOREIGN_SESSION_ID,
    serverUrl: '',
    startedAt,
    transport: legacyStream ? 'sse' : 'auto',
  };

  let clockT = 0;
  const log = new TraceLog(meta, {}, { clock: () => startedAt + clockT });
  const secrets = new SecretSet();
  // First pass: learn every credential, so a token seen late in the file is masked where it appeared early.
  for (const p of kept) maskEntry(p, secrets);
  log.setMeta({ serverUrl: maskUrl(serverUrl, secrets) });

  interface Step {
    t: number;
    order: number;
    run: () => void;
  }
  const steps: Step[] = [];
  let order = 0;
  const at = (t: number, run: () => void) => steps.push({ t: Math.max(0, t), order: order++, run });
  for (const p of kept) scheduleEntry(p, startedAt, log, secrets, at);
  steps.sort((a, b) => a.t - b.t || a.order - b.order);
  for (const s of steps) {
    clockT = s.t;
    s.run();
  }

  const creator = isObject(harLog.creator) && typeof harLog.creator.name === 'string' ? harLog.creator.name : 'another tool';
  log.finding(
    'info',
    'har_imported',
    `Imported from a HAR written by ${creator}. Timings come from the HAR; JSON-RPC messages and their pairing were ` +
      'rebuilt from the request and response bodies, and secrets in headers, URLs and bodies were masked on import.',
  );
  if (hasMcp && kept.length < parsed.length) {
    log.finding(
      'info',
      'har_entries_skipped',
      `${parsed.length - kept.length} of the HAR's ${parsed.length} requests carry no MCP or OAuth traffic and were left out.`,
    );
  } else if (!hasMcp) {
    log.finding('warning', 'har_without_mcp', 'No JSON-RPC message was found in this HAR: it shows plain HTTP traffic only.');
  }
  log.setMeta(inferSessionFacts(log.events(), Boolean(legacyStream)));
  return { meta: log.meta, events: log.events() };
}

function readForeignEntry(e: Record<string, unknown>, index: number): ForeignEntry {
  const request = e.request as Record<string, unknown>;
  const response = isObject(e.response) ? e.response : {};
  const content = isObject(response.content) ? response.content : {};
  const startMs = Date.parse(e.startedDateTime as string);
  const requestHeaders = fromNameValues(request.headers).filter(([n]) => !n.startsWith(':'));
  const responseHeaders = fromNameValues(response.headers).filter(([n]) => !n.startsWith(':'));
  const postData = isObject(request.postData) ? request.postData : undefined;
  const requestContentType =
    (typeof postData?.mimeType === 'string' && postData.mimeType !== '' ? postData.mimeType : undefined) ?? headerValue(requestHeaders, 'content-type');
  let requestText: string | undefined;
  let requestBinary: string | undefined;
  if (postData) {
    if (typeof postData.text === 'string') {
      if (postData._encoding === 'base64') requestBinary = postData.text;
      else requestText = postData.text;
    } else if (Array.isArray(postData.params)) {
      requestText = postData.params
        .filter(isObject)
        .map((p) => `${encodeURIComponent(String(p.name))}=${encodeURIComponent(String(p.value ?? ''))}`)
        .join('&');
    }
  }
  const status = typeof response.status === 'number' && Number.isFinite(response.status) ? response.status : 0;
  const responseContentType =
    (typeof content.mimeType === 'string' && content.mimeType !== '' && content.mimeType !== 'x-unknown' ? content.mimeType : undefined) ??
    headerValue(responseHeaders, 'content-type');
  let responseText: string | undefined;
  let responseBinary: string | undefined;
  if (typeof content.text === 'string' && content.text !== '') {
    if (content.encoding === 'base64') {
      const decoded = decodeBase64Text(content.text);
      if (decoded !== undefined && isTextual(responseContentType)) responseText = decoded;
      else responseBinary = content.text;
    } else responseText = content.text;
  }
  const isStream = mediaType(responseContentType) === 'text/event-stream' || Array.isArray(e._sseFrames);

  const timings = isObject(e.timings) ? e.timings : {};
  const part = (k: string) => (typeof timings[k] === 'number' && (timings[k] as number) > 0 ? (timings[k] as number) : 0);
  const total = typeof e.time === 'number' && Number.isFinite(e.time) && e.time >= 0 ? e.time : undefined;
  let ttfb = part('blocked') + part('dns') + part('connect') + part('send') + part('wait');
  const duration = total ?? ttfb + part('receive');
  ttfb = Math.min(ttfb, duration);

  const frames: ForeignEntry['frames'] = [];
  if (isStream) {
    const declared = Array.isArray(e._sseFrames) ? e._sseFrames.filter(isObject) : [];
    const parsedFrames = responseText !== undefined ? parseSseFrames([responseText]) : [];
    if (parsedFrames.length > 0) {
      const eventFrames = declared.filter((f) => f.comment === undefined);
      const commentFrames = declared.filter((f) => f.comment !== undefined);
      let ev = 0;
      let cm = 0;
      // The text has the frames' raw form; `_sseFrames` (when it lists the same frames) has their times.
      for (const frame of parsedFrames) {
        const d = frame.comment !== undefined ? commentFrames[cm++] : eventFrames[ev++];
        frames.push({ offset: d ? frameOffset(d.time, startMs) : undefined, frame });
      }
    } else {
      for (const d of declared) frames.push({ offset: frameOffset(d.time, startMs), frame: frameFromFields(d) });
    }
  }

  let rpcIn = false;
  if (responseText !== undefined && !isStream) rpcIn = parseJsonRpcText(responseText) !== null;
  if (isStream) rpcIn = frames.some((f) => f.frame.data !== undefined && parseJsonRpcText(f.frame.data) !== null);
  const declaredSize = typeof content.size === 'number' && content.size >= 0 ? content.size : undefined;
  const bodySize = typeof response.bodySize === 'number' && response.bodySize >= 0 ? response.bodySize : undefined;
  const responseSize = declaredSize ?? (responseText !== undefined ? utf8ByteLength(responseText) : 0);
  const entry: ForeignEntry = {
    index,
    startMs,
    method: String(request.method).toUpperCase(),
    url: String(request.url),
    requestHeaders,
    requestContentType,
    rpcOut: requestText !== undefined ? parseJsonRpcText(requestText) : null,
    status,
    statusText: typeof response.statusText === 'string' ? response.statusText : '',
    responseHeaders,
    responseContentType,
    responseSize,
    bytes: bodySize ?? responseSize,
    isStream,
    frames,
    rpcIn,
    ttfb,
    duration,
  };
  if (requestText !== undefined) entry.requestText = requestText;
  if (requestBinary !== undefined) entry.requestBinary = requestBinary;
  if (responseText !== undefined) entry.responseText = responseText;
  if (responseBinary !== undefined) entry.responseBinary = responseBinary;
  if (typeof response._error === 'string' && response._error !== '') entry.error = response._error;
  else if (typeof e._error === 'string' && e._error !== '') entry.error = e._error;
  return entry;
}

/** `_sseFrames[].time`: milliseconds from the entry's start, or an ISO date. */
function frameOffset(time: unknown, startMs: number): number | undefined {
  if (typeof time === 'number' && Number.isFinite(time)) return time;
  if (typeof time === 'string') {
    const ms = Date.parse(time);
    if (!Number.isNaN(ms)) return ms - startMs;
  }
  return undefined;
}

function frameFromFields(d: Record<string, unknown>): SseFrame {
  const lines: string[] = [];
  const frame: SseFrame = { raw: '' };
  if (typeof d.comment === 'string') {
    frame.comment = d.comment;
    frame.raw = `: ${d.comment}`;
    return frame;
  }
  if (typeof d.event === 'string') {
    frame.event = d.event;
    lines.push(`event: ${d.event}`);
  }
  if (typeof d.id === 'string') {
    frame.id = d.id;
    lines.push(`id: ${d.id}`);
  }
  if (typeof d.retry === 'number') {
    frame.retry = d.retry;
    lines.push(`retry: ${d.retry}`);
  }
  if (typeof d.data === 'string') {
    frame.data = d.data;
    for (const line of d.data.split('\n')) lines.push(`data: ${line}`);
  }
  frame.raw = lines.join('\n');
  return frame;
}

function maskEntry(p: ForeignEntry, secrets: SecretSet): void {
  redactHeaders(p.requestHeaders, { secrets, learn: true });
  redactHeaders(p.responseHeaders, { secrets, learn: true });
  maskUrl(p.url, secrets);
  if (p.requestText !== undefined) maskBodyText(p.requestText, p.requestContentType, secrets);
  if (p.responseText !== undefined && !p.isStream) maskBodyText(p.responseText, p.responseContentType, secrets);
  for (const { frame } of p.frames) if (frame.data !== undefined) maskBodyText(frame.data, null, secrets);
}

function scheduleEntry(
  p: ForeignEntry,
  startedAt: number,
  log: TraceLog,
  secrets: SecretSet,
  at: (t: number, run: () => void) => void,
): void {
  const maxBody = log.limits.maxBodyBytes;
  const t0 = p.startMs - startedAt;
  const exchangeId = log.newId('ex');
  const requestHeaders = redactHeaders(p.requestHeaders, { secrets });
  const url = maskUrl(p.url, secrets);
  const maskedRequest = p.requestText !== undefined ? maskBodyText(p.requestText, p.requestContentType, secrets) : undefined;

  at(t0, () => {
    const event: Omit<HttpRequestEvent, 'seq' | 't'> = {
      kind: 'http.request',
      exchangeId,
      purpose: purposeOf(p),
      method: p.method,
      url,
      headers: requestHeaders,
    };
    if (maskedRequest !== undefined) {
      const body = captureText(maskedRequest, maxBody);
      body.size = utf8ByteLength(p.requestText ?? '');
      event.body = body;
    } else if (p.requestBinary !== undefined) {
      event.body = binaryCapture(p.requestBinary, maxBody);
    }
    log.append(event);
    if (maskedRequest !== undefined && p.rpcOut) {
      const rpc = parseJsonRpcText(maskedRequest);
      if (rpc) recordRpc(log, 'out', undefined, { exchangeId, size: utf8ByteLength(maskedRequest) }, rpc);
    }
  });

  const answered = p.status > 0;
  const tResponse = t0 + p.ttfb;
  if (answered) {
    at(tResponse, () => {
      const event: Omit<HttpResponseEvent, 'seq' | 't'> = {
        kind: 'http.response',
        exchangeId,
        status: p.status,
        statusText: p.statusText,
        headers: redactHeaders(p.responseHeaders, { secrets }),
        ttfbMs: round3(p.ttfb),
      };
      log.append(event);
    });
  }

  let tEnd = t0 + p.duration;
  if (answered && p.isStream) {
    let index = 0;
    for (const { offset, frame } of p.frames) {
      const t = Math.max(tResponse, offset !== undefined ? t0 + offset : tResponse);
      tEnd = Math.max(tEnd, t);
      const i = index++;
      at(t, () => {
        const event: Omit<SseFrameEvent, 'seq' | 't'> = { kind: 'sse.frame', exchangeId, index: i, raw: secrets.maskText(frame.raw) };
        let data: string | undefined;
        if (frame.id !== undefined) event.id = frame.id;
        if (frame.event !== undefined) event.event = frame.event;
        if (frame.data !== undefined) {
          data = maskBodyText(frame.data, null, secrets);
          event.data = data;
        }
        if (frame.retry !== undefined) event.retry = frame.retry;
        if (frame.comment !== undefined) event.comment = secrets.maskText(frame.comment);
        if (frame.incomplete) event.incomplete = true;
        log.append(event);
        if (data !== undefined && !frame.incomplete) {
          const rpc = parseJsonRpcText(data);
          if (rpc) recordRpc(log, 'in', undefined, { exchangeId, size: utf8ByteLength(data) }, rpc);
        }
      });
    }
  }

  at(tEnd, () => {
    const end: Omit<HttpEndEvent, 'seq' | 't'> = { kind: 'http.end', exchangeId, bytes: p.bytes, durationMs: round3(tEnd - t0) };
    let masked: string | undefined;
    if (answered && !p.isStream) {
      if (p.responseText !== undefined) {
        masked = maskBodyText(p.responseText, p.responseContentType, secrets);
        const body = captureText(masked, maxBody);
        body.size = p.responseSize;
        end.body = body;
      } else if (p.responseBinary !== undefined) {
        end.body = binaryCapture(p.responseBinary, maxBody);
      }
    }
    if (!answered || p.error !== undefined) {
      const error = errorFromHar(p.error);
      if (error.code === 'aborted') end.aborted = true;
      else end.error = error;
    }
    log.append(end);
    if (masked !== undefined && p.rpcIn) {
      try {
        recordRpc(log, 'in', JSON.parse(masked), { exchangeId, size: utf8ByteLength(masked) });
      } catch {
        // rpcIn said it parses; masking keeps JSON valid, so this is only a guard
      }
    }
  });
}

function purposeOf(p: ForeignEntry): ExchangePurpose {
  if (p.rpcOut) return 'mcp';
  if (isOAuthish(p)) return 'oauth';
  const accept = headerValue(p.requestHeaders, 'accept') ?? '';
  if (p.method === 'GET' && (p.isStream || accept.includes('text/event-stream'))) return 'mcp-stream';
  return 'other';
}

function isOAuthish(p: ForeignEntry): boolean {
  let path = '';
  try {
    path = new URL(p.url).pathname;
  } catch {
    return false;
  }
  if (/\/\.well-known\/(oauth-protected-resource|oauth-authorization-server|openid-configuration)/.test(path)) return true;
  if (p.method === 'POST' && /grant_type=/.test(p.requestText ?? '')) return true;
  return p.method === 'POST' && /\/(register|token)$/.test(path) && p.rpcOut === null;
}

/** Origin and path: the MCP endpoint an entry talked to, ignoring a legacy transport's `?sessionId=`. */
function endpointKey(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url;
  }
}

function errorFromHar(error: string | undefined): TraceError {
  if (!error) return { code: 'network_error', message: 'The request got no response (status 0 in the HAR).' };
  const known: Array<[RegExp, string]> = [
    [/ERR_ABORTED|cancel/i, 'aborted'],
    [/CONNECTION_REFUSED/i, 'connection_refused'],
    [/NAME_NOT_RESOLVED/i, 'host_not_found'],
    [/TIMED_OUT|timeout/i, 'timeout'],
    [/CERT|SSL|TLS/i, 'tls_error'],
    [/CONNECTION_RESET/i, 'connection_reset'],
  ];
  const code = known.find(([re]) => re.test(error))?.[1] ?? 'network_error';
  return { code, message: `The request failed: ${error}` };
}

function binaryCapture(base64: string, maxBytes: number): BodyCapture {
  const size = Math.floor((base64.replace(/=+$/, '').length * 3) / 4);
  if (size <= maxBytes) return { text: base64, encoding: 'base64', size, truncated: false };
  // Cut on a 4-character boundary so what is kept still decodes.
  return { text: base64.slice(0, Math.floor(maxBytes / 3) * 4), encoding: 'base64', size, truncated: true };
}

function decodeBase64Text(b64: string): string | undefined {
  try {
    const binary = atob(b64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function isTextual(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type.startsWith('text/') || /[/+](json|xml)$/.test(type) || type === 'application/x-www-form-urlencoded' || type === '';
}

/** Era, protocol version, server info and capabilities, read back from the handshake the HAR holds. */
function inferSessionFacts(events: readonly TraceEvent[], legacy: boolean): Partial<TraceMeta> {
  const patch: Partial<TraceMeta> = {};
  let era: ProtocolEraName | undefined = legacy ? 'legacy-sse' : undefined;
  for (const e of events) {
    if (e.kind !== 'rpc' || e.direction !== 'in' || e.type !== 'result' || !isObject(e.message)) continue;
    const result = e.message.result;
    if (!isObject(result)) continue;
    if (e.method === 'initialize' || e.method === 'server/discover') {
      if (!era) era = e.method === 'initialize' ? 'stateful-2025' : 'stateless-2026';
      if (typeof result.protocolVersion === 'string') patch.protocolVersion = result.protocolVersion;
      else if (Array.isArray(result.supportedVersions) && typeof result.supportedVersions[0] === 'string') {
        patch.protocolVersion = result.supportedVersions[0];
      }
      const info = result.serverInfo;
      if (isObject(info) && typeof info.name === 'string' && typeof info.version === 'string') {
        patch.serverInfo = { name: info.name, version: info.version };
        if (typeof info.title === 'string') patch.serverInfo.title = info.title;
      }
      if (isObject(result.capabilities)) patch.capabilities = result.capabilities;
      if (typeof result.instructions === 'string') patch.instructions = result.instructions;
      if (e.method === 'initialize') break;
    }
  }
  if (era) patch.era = era;
  return patch;
}

// ---------------------------------------------------------------------------------------------------
// Validation

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Checks a value against the required structure of HAR 1.2: every required field present with the right
 * type, optional fields typed when present. Returns the problems, each `path: what is wrong`; empty when valid.
 */
export function validateHar(har: unknown): string[] {
  const problems: string[] = [];
  const add = (path: string, what: string) => problems.push(`${path}: ${what}`);
  const str = (o: Record<string, unknown>, k: string, path: string) => {
    if (typeof o[k] !== 'string') add(`${path}.${k}`, `expected a string, got ${describe(o[k])}`);
  };
  const optStr = (o: Record<string, unknown>, k: string, path: string) => {
    if (o[k] !== undefined && typeof o[k] !== 'string') add(`${path}.${k}`, `expected a string when present, got ${describe(o[k])}`);
  };
  const num = (o: Record<string, unknown>, k: string, path: string, min = Number.NEGATIVE_INFINITY) => {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) add(`${path}.${k}`, `expected a number, got ${describe(v)}`);
    else if (v < min) add(`${path}.${k}`, `expected a number >= ${min}, got ${v}`);
  };
  const optNum = (o: Record<string, unknown>, k: string, path: string, min = Number.NEGATIVE_INFINITY) => {
    if (o[k] !== undefined) num(o, k, path, min);
  };
  const date = (o: Record<string, unknown>, k: string, path: string) => {
    const v = o[k];
    if (typeof v !== 'string' || !ISO_DATE.test(v) || Number.isNaN(Date.parse(v))) {
      add(`${path}.${k}`, `expected an ISO 8601 date-time, got ${describe(v)}`);
    }
  };
  const obj = (o: Record<string, unknown>, k: string, path: string): Record<string, unknown> | undefined => {
    const v = o[k];
    if (!isObject(v)) {
      add(`${path}.${k}`, `expected an object, got ${describe(v)}`);
      return undefined;
    }
    return v;
  };
  const nameValues = (o: Record<string, unknown>, k: string, path: string) => {
    const v = o[k];
    if (!Array.isArray(v)) {
      add(`${path}.${k}`, `expected an array, got ${describe(v)}`);
      return;
    }
    v.forEach((item, i) => {
      const p = `${path}.${k}[${i}]`;
      if (!isObject(item)) return add(p, `expected an object, got ${describe(item)}`);
      str(item, 'name', p);
      str(item, 'value', p);
      optStr(item, 'comment', p);
    });
  };

  if (!isObject(har)) return [`(root): expected an object, got ${describe(har)}`];
  const log = obj(har, 'log', '(root)');
  if (!log) return problems;
  const L = 'log';
  if (log.version !== '1.2') add(`${L}.version`, `expected "1.2", got ${describe(log.version)}`);
  const creator = obj(log, 'creator', L);
  if (creator) {
    str(creator, 'name', `${L}.creator`);
    str(creator, 'version', `${L}.creator`);
  }
  if (log.browser !== undefined) {
    const browser = obj(log, 'browser', L);
    if (browser) {
      str(browser, 'name', `${L}.browser`);
      str(browser, 'version', `${L}.browser`);
    }
  }
  const pageIds = new Set<string>();
  if (log.pages !== undefined) {
    if (!Array.isArray(log.pages)) add(`${L}.pages`, `expected an array when present, got ${describe(log.pages)}`);
    else
      log.pages.forEach((page, i) => {
        const p = `${L}.pages[${i}]`;
        if (!isObject(page)) return add(p, `expected an object, got ${describe(page)}`);
        date(page, 'startedDateTime', p);
        str(page, 'id', p);
        str(page, 'title', p);
        if (typeof page.id === 'string') pageIds.add(page.id);
        const timings = obj(page, 'pageTimings', p);
        if (timings) {
          optNum(timings, 'onContentLoad', `${p}.pageTimings`, -1);
          optNum(timings, 'onLoad', `${p}.pageTimings`, -1);
        }
      });
  }
  optStr(log, 'comment', L);
  if (!Array.isArray(log.entries)) {
    add(`${L}.entries`, `expected an array, got ${describe(log.entries)}`);
    return problems;
  }
  log.entries.forEach((entry, i) => {
    const p = `${L}.entries[${i}]`;
    if (!isObject(entry)) return add(p, `expected an object, got ${describe(entry)}`);
    if (entry.pageref !== undefined) {
      if (typeof entry.pageref !== 'string') add(`${p}.pageref`, `expected a string when present, got ${describe(entry.pageref)}`);
      else if (!pageIds.has(entry.pageref)) add(`${p}.pageref`, `names no page in log.pages ("${entry.pageref}")`);
    }
    date(entry, 'startedDateTime', p);
    num(entry, 'time', p, 0);
    const request = obj(entry, 'request', p);
    if (request) {
      const rp = `${p}.request`;
      str(request, 'method', rp);
      str(request, 'url', rp);
      if (typeof request.url === 'string' && !isAbsoluteUrl(request.url)) add(`${rp}.url`, `expected an absolute URL, got ${describe(request.url)}`);
      str(request, 'httpVersion', rp);
      nameValues(request, 'cookies', rp);
      nameValues(request, 'headers', rp);
      nameValues(request, 'queryString', rp);
      if (request.postData !== undefined) {
        const postData = obj(request, 'postData', rp);
        if (postData) {
          str(postData, 'mimeType', `${rp}.postData`);
          if (postData.text === undefined && postData.params === undefined) add(`${rp}.postData`, 'expected "text" or "params"');
          optStr(postData, 'text', `${rp}.postData`);
          if (postData.params !== undefined) {
            if (!Array.isArray(postData.params)) add(`${rp}.postData.params`, `expected an array, got ${describe(postData.params)}`);
            else
              postData.params.forEach((param, j) => {
                const pp = `${rp}.postData.params[${j}]`;
                if (!isObject(param)) return add(pp, `expected an object, got ${describe(param)}`);
                str(param, 'name', pp);
                optStr(param, 'value', pp);
              });
          }
        }
      }
      num(request, 'headersSize', rp, -1);
      num(request, 'bodySize', rp, -1);
    }
    const response = obj(entry, 'response', p);
    if (response) {
      const rp = `${p}.response`;
      num(response, 'status', rp, 0);
      str(response, 'statusText', rp);
      str(response, 'httpVersion', rp);
      nameValues(response, 'cookies', rp);
      nameValues(response, 'headers', rp);
      const content = obj(response, 'content', rp);
      if (content) {
        num(content, 'size', `${rp}.content`, -1);
        optNum(content, 'compression', `${rp}.content`);
        str(content, 'mimeType', `${rp}.content`);
        optStr(content, 'text', `${rp}.content`);
        optStr(content, 'encoding', `${rp}.content`);
      }
      str(response, 'redirectURL', rp);
      num(response, 'headersSize', rp, -1);
      num(response, 'bodySize', rp, -1);
    }
    obj(entry, 'cache', p);
    const timings = obj(entry, 'timings', p);
    if (timings) {
      const tp = `${p}.timings`;
      for (const k of ['blocked', 'dns', 'connect', 'ssl']) optNum(timings, k, tp, -1);
      for (const k of ['send', 'wait', 'receive']) num(timings, k, tp, 0);
      if (typeof entry.time === 'number') {
        // `time` is the sum of the timings that apply (ssl is already inside connect).
        const sum = ['blocked', 'dns', 'connect', 'send', 'wait', 'receive'].reduce((acc, k) => {
          const v = timings[k];
          return typeof v === 'number' && v > 0 ? acc + v : acc;
        }, 0);
        if (Math.abs(sum - entry.time) > 1) add(`${p}.time`, `expected the sum of the timings (${round3(sum)}), got ${entry.time}`);
      }
    }
    optStr(entry, 'serverIPAddress', p);
    optStr(entry, 'connection', p);
    optStr(entry, 'comment', p);
  });
  return problems;
}

function isAbsoluteUrl(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
