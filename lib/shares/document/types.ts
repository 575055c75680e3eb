// The document behind a share link: what it carries and how it is asked for. Plain types: the browser
// (share dialog, share page) and the server (routes, store) both read them.
import type { SessionExport, TraceEvent, TraceMeta } from '../../trace';

/** A time window of the log, in milliseconds since the session started (the events' `t`), both ends inclusive. */
export interface ShareRange {
  from: number;
  to: number;
}

/** What to take from the log and what to hide on top of the masking done at capture. */
export interface ShareSelection {
  /** Only this time window (exchanges that started in it, whole; anything else that happened in it). */
  range?: ShareRange;
  /** Only these HTTP exchanges, with the messages they carried, their answers and their phases. */
  exchangeIds?: string[];
  /** Only events up to this seq: the log as the person saw it when they previewed the share. */
  untilSeq?: number;
  /** Mask the values of URL query (and fragment) parameters everywhere: URLs, headers, bodies, messages. */
  maskQuery?: boolean;
  /** Mask the arguments of `tools/call` requests (values only: the names stay). */
  maskArguments?: boolean;
  /** Mask the results of `tools/call` (values only: content types and `isError` stay). */
  maskResults?: boolean;
}

/** `POST /api/sessions/:id/share` body. */
export interface ShareRequestBody extends ShareSelection {
  /** Days until the link stops working; fractions allowed; `null` for never. Default 30. */
  expiresInDays?: number | null;
  /** Seconds until the link stops working; takes precedence over `expiresInDays` (short-lived links, tests). */
  expiresInSeconds?: number;
}

/** `201` answer of `POST /api/sessions/:id/share`. */
export interface ShareCreatedBody {
  shareId: string;
  /** Absolute URL of the read-only page (`<origin>/share/<id>`). */
  url: string;
  createdAt: number;
  /** Epoch ms; absent when the link never expires. */
  expiresAt?: number;
  /** Size of the shared log as JSON, before compression. */
  bytes: number;
  /** Size stored (gzip). */
  storedBytes: number;
}

export type ShareSelectionKind = 'whole' | 'range' | 'exchanges';

/** How the shared copy was made, as the share page shows it. */
export interface ShareInfo {
  id: string;
  createdAt: number;
  expiresAt?: number;
  selection: { kind: ShareSelectionKind; range?: ShareRange; exchangeCount?: number };
  masking: { secrets: true; query: boolean; arguments: boolean; results: boolean };
  /** Set per request: true when the caller's browser created the link (it may delete it). */
  owned?: boolean;
}

/** The document behind a share link: a session export (any mcpscope reads it) plus what the share was. */
export interface SharedSessionDocument extends SessionExport {
  share: ShareInfo;
}

/** What the redaction did, for the preview and the tests. */
export interface ShareStats {
  events: number;
  exchanges: number;
  messages: number;
  phases: number;
  findings: number;
  /** How many strings had query values masked. */
  maskedQueries: number;
  /** How many tool calls had their arguments masked (messages and request bodies). */
  maskedArguments: number;
  /** How many tool results were masked (messages, response bodies, frames). */
  maskedResults: number;
  /** Bodies or frames emptied because they held tool data that could not be parsed to mask it precisely. */
  droppedPayloads: number;
}

export interface SharedLog {
  meta: TraceMeta;
  events: TraceEvent[];
  stats: ShareStats;
}

/** Anything that masks known secrets in a text (the session's `SecretSet`). */
export interface TextMasker {
  maskText(text: string): string;
}
