// A HAR from another tool (a browser's): replayed into a fresh log, in time order across its entries, which rebuilds
// frames and JSON-RPC pairing the way a live session would, secrets masked on the way.
import { captureText } from '../body';
import { utf8ByteLength } from '../bytes';
import { parseJsonRpcText, type RpcClassification } from '../jsonrpc';
import { TraceLog } from '../log';
import { mediaType } from '../record';
import { recordRpc } from '../rpc-log';
import { maskBodyText, maskUrl, redactHeaders, SecretSet } from '../secrets';
import { parseSseFrames, type SseFrame } from '../sse';
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
} from '../types';
import { headerValue, round3 } from './export';
import type { ImportedSession } from './types';
import { isJsonObject } from '../../json';

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

export function importForeignHar(harLog: Record<string, unknown>, rawEntries: Array<Record<string, unknown>>): ImportedSession {
  const parsed = rawEntries.map((e, i) => readForeignEntry(e, i)).sort((a, b) => a.startMs - b.startMs || a.index - b.index);
  const pages = Array.isArray(harLog.pages) ? harLog.pages.filter(isJsonObject) : [];
  const pageStart = pages.length > 0 && typeof pages[0].startedDateTime === 'string' ? Date.parse(pages[0].startedDateTime) : Number.NaN;
  const startedAt =
    parsed.length > 0
      ? Math.min(parsed[0].startMs, Number.isNaN(pageStart) ? Infinity : pageStart)
      : Number.isNaN(pageStart)
        ? 0
        : pageStart;

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

  const creator = isJsonObject(harLog.creator) && typeof harLog.creator.name === 'string' ? harLog.creator.name : 'another tool';
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
  const response = isJsonObject(e.response) ? e.response : {};
  const content = isJsonObject(response.content) ? response.content : {};
  const startMs = Date.parse(e.startedDateTime as string);
  const requestHeaders = fromNameValues(request.headers).filter(([n]) => !n.startsWith(':'));
  const responseHeaders = fromNameValues(response.headers).filter(([n]) => !n.startsWith(':'));
  const postData = isJsonObject(request.postData) ? request.postData : undefined;
  const requestContentType =
    (typeof postData?.mimeType === 'string' && postData.mimeType !== '' ? postData.mimeType : undefined) ??
    headerValue(requestHeaders, 'content-type');
  let requestText: string | undefined;
  let requestBinary: string | undefined;
  if (postData) {
    if (typeof postData.text === 'string') {
      if (postData._encoding === 'base64') requestBinary = postData.text;
      else requestText = postData.text;
    } else if (Array.isArray(postData.params)) {
      requestText = postData.params
        .filter(isJsonObject)
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

  const timings = isJsonObject(e.timings) ? e.timings : {};
  const part = (k: string) => (typeof timings[k] === 'number' && (timings[k] as number) > 0 ? (timings[k] as number) : 0);
  const total = typeof e.time === 'number' && Number.isFinite(e.time) && e.time >= 0 ? e.time : undefined;
  let ttfb = part('blocked') + part('dns') + part('connect') + part('send') + part('wait');
  const duration = total ?? ttfb + part('receive');
  ttfb = Math.min(ttfb, duration);

  const frames: ForeignEntry['frames'] = [];
  if (isStream) {
    const declared = Array.isArray(e._sseFrames) ? e._sseFrames.filter(isJsonObject) : [];
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
    if (e.kind !== 'rpc' || e.direction !== 'in' || e.type !== 'result' || !isJsonObject(e.message)) continue;
    const result = e.message.result;
    if (!isJsonObject(result)) continue;
    if (e.method === 'initialize' || e.method === 'server/discover') {
      if (!era) era = e.method === 'initialize' ? 'stateful-2025' : 'stateless-2026';
      if (typeof result.protocolVersion === 'string') patch.protocolVersion = result.protocolVersion;
      else if (Array.isArray(result.supportedVersions) && typeof result.supportedVersions[0] === 'string') {
        patch.protocolVersion = result.supportedVersions[0];
      }
      const info = result.serverInfo;
      if (isJsonObject(info) && typeof info.name === 'string' && typeof info.version === 'string') {
        patch.serverInfo = { name: info.name, version: info.version };
        if (typeof info.title === 'string') patch.serverInfo.title = info.title;
      }
      if (isJsonObject(result.capabilities)) patch.capabilities = result.capabilities;
      if (typeof result.instructions === 'string') patch.instructions = result.instructions;
      if (e.method === 'initialize') break;
    }
  }
  if (era) patch.era = era;
  return patch;
}

export function fromNameValues(list: unknown): HeaderList {
  if (!Array.isArray(list)) return [];
  const out: HeaderList = [];
  for (const h of list) if (isJsonObject(h)) out.push([String(h.name), String(h.value)]);
  return out;
}
