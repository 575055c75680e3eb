// A session as a HAR 1.2 file: one page whose entries are its HTTP exchanges (OAuth hops included); SSE responses
// carry their raw text and their frames with arrival times (`_sseFrames`); the rest of the log (JSON-RPC messages,
// phases, findings) rides along in `log._mcpscope`, so mcpscope reopens its own HAR exactly. Field-by-field
// mapping: docs/session-format.md.
import { utf8ByteLength } from '../bytes';
import { groupExchanges, type ExchangeEvents } from '../derive';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../export';
import { mediaType } from '../record';
import { maskUrl } from '../secrets';
import type { BodyCapture, HeaderList, HttpRequestEvent, SseFrameEvent, TraceEvent, TraceMeta } from '../types';
import type {
  Har,
  HarBodyMeta,
  HarContent,
  HarEntry,
  HarEntryExtension,
  HarExportOptions,
  HarNameValue,
  HarPostData,
  HarRequest,
  HarResponse,
  HarSseFrame,
  HarSseFrameExtension,
} from './types';

// Export

const PAGE_ID = 'session';

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

function entryOf(meta: TraceMeta, x: ExchangeEvents, lastT: number): HarEntry {
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

  const isStream =
    x.frames.length > 0 || (res !== undefined && mediaType(headerValue(res.headers, 'content-type')) === 'text/event-stream');
  let response: HarResponse;
  if (res) {
    const contentType = headerValue(res.headers, 'content-type');
    let content: HarContent;
    if (isStream) {
      content = {
        size: end ? end.bytes : utf8ByteLength(sseText(x.frames)),
        mimeType: contentType ?? 'text/event-stream',
        text: sseText(x.frames),
      };
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

export function headerValue(headers: HeaderList, name: string): string | undefined {
  for (const [n, v] of headers) if (n.toLowerCase() === name) return v;
  return undefined;
}

function isoAt(epochMs: number): string {
  const d = new Date(epochMs);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}

export function round3(ms: number): number {
  return Math.max(0, Math.round(ms * 1000) / 1000);
}
