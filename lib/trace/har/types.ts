// HAR 1.2 shapes (http://www.softwareishard.com/blog/har-12-spec/), with mcpscope's `_` extensions.
import type { EXPORT_FORMAT } from '../export';
import type { BodyCapture, ExchangePurpose, TraceError, TraceEvent, TraceMeta } from '../types';

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

export interface ImportedSession {
  meta: TraceMeta;
  events: TraceEvent[];
}
