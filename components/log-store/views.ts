// Shapes the views read from the client log store. Derived incrementally from TraceEvents.
import type {
  BodyCapture,
  ExchangePurpose,
  FindingEvent,
  HeaderList,
  PhaseStatus,
  StdioProcessEvent,
  StdioStderrEvent,
  TraceError,
} from '@/lib/trace/types';
import type { RpcSummary } from '@/lib/trace/exchange-summary';

/** What kind of event stream an exchange is, so the UI can group and label streams. */
export type StreamKind = 'get-stream' | 'legacy-sse' | 'post-stream';

export interface ExchangeView {
  exchangeId: string;
  /** Position in the store's exchange list (stable). */
  index: number;
  requestSeq: number;
  /** Request start, ms since the log started. */
  t: number;
  phaseId?: string;
  purpose: ExchangePurpose;
  method: string;
  url: string;
  requestHeaders: HeaderList;
  requestBody?: BodyCapture;
  response?: { status: number; statusText: string; headers: HeaderList; ttfbMs: number; t: number };
  end?: {
    bytes: number;
    durationMs: number;
    error?: TraceError;
    aborted?: boolean;
    body?: BodyCapture;
    t: number;
  };
  contentType?: string;
  isEventStream: boolean;
  streamKind?: StreamKind;
  frameCount: number;
  /** The JSON-RPC messages it carried (methods, names, ids), bounded; undefined until one is recorded. */
  rpc?: RpcSummary;
  /** Findings that name this exchange. */
  findingCount: number;
}

/** One line on a stdio server's pipes (stdin `out`, stdout `in`): the stdio counterpart of an exchange. */
export interface StdioLineView {
  row: 'line';
  exchangeId: string;
  seq: number;
  t: number;
  direction: 'out' | 'in';
  size: number;
  phaseId?: string;
  /** Set when the line was not JSON-RPC (its text, capped). */
  text?: string;
  truncated?: boolean;
  /** The JSON-RPC messages it carried. */
  rpc?: RpcSummary;
  findingCount: number;
}

/** A row of the stdio transcript: a line, a chunk of stderr, or the process starting or ending. */
export type StdioRowView =
  | StdioLineView
  | { row: 'stderr'; seq: number; t: number; event: StdioStderrEvent }
  | { row: 'process'; seq: number; t: number; event: StdioProcessEvent };

export interface PhaseView {
  phaseId: string;
  name: string;
  parentId?: string;
  status: PhaseStatus;
  /** Start, ms since the log started. */
  t: number;
  /** End, when the phase has closed. */
  endT?: number;
  durationMs?: number;
  detail?: string;
  error?: TraceError;
  seq: number;
}

export interface ProgressInfo {
  progress: number;
  total?: number;
  message?: string;
  /** Log time of the latest notification. */
  t: number;
  count: number;
}

export type StreamConnection = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Immutable per flush: components re-render when it changes and read the store's lists by index. */
export interface LogSnapshot {
  version: number;
  eventCount: number;
  exchangeCount: number;
  rpcCount: number;
  /** MCP Apps bridge messages (`app.message`). */
  appMessageCount: number;
  phaseCount: number;
  findingCount: number;
  findingsBySeverity: Record<FindingEvent['severity'], number>;
  /** Server notifications the log counted but did not keep (a flood past the rate), from `notifications_folded` findings. */
  foldedNotifications: number;
  /** Latest event time seen (ms since the log started). */
  lastT: number;
  connection: StreamConnection;
  /** Bumped each time the server says its tool list changed. */
  toolsListChanged: number;
  /** Rows of a stdio server's transcript (lines, stderr, process events); 0 for HTTP sessions. */
  stdioRowCount: number;
}
