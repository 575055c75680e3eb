import type { ExchangeView, StreamKind } from '../log-store';

export const STREAM_LABEL: Record<StreamKind, string> = {
  'get-stream': 'GET stream',
  'legacy-sse': 'legacy SSE stream',
  'post-stream': 'SSE response',
};

/** The stream badge's words in a table row, where room is short. */
export const STREAM_SHORT: Record<StreamKind, string> = {
  'get-stream': 'GET stream',
  'legacy-sse': 'legacy SSE',
  'post-stream': 'SSE',
};

export const STREAM_DESCRIPTION: Record<StreamKind, string> = {
  'get-stream': 'The standing GET stream: the server pushes notifications and requests here outside any call.',
  'legacy-sse': 'The legacy HTTP+SSE stream (2024-11-05): it announced the POST endpoint and carries every server message.',
  'post-stream': 'A POST answered with an event stream: progress, notifications and finally the response to the request.',
};

export const STREAM_BORDER: Record<StreamKind, string> = {
  'get-stream': 'border-l-purple',
  'legacy-sse': 'border-l-warn',
  'post-stream': 'border-l-accent',
};

export function exchangeStatusText(exchange: ExchangeView): string {
  if (exchange.end?.error && !exchange.response) return exchange.end.aborted ? '(aborted)' : '(failed)';
  if (!exchange.response) return '(pending)';
  return String(exchange.response.status);
}

export function exchangeStatusTone(exchange: ExchangeView): string {
  if (exchange.end?.error && !exchange.end.aborted) return 'text-err';
  const status = exchange.response?.status;
  if (status === undefined) return 'text-muted';
  if (status >= 400) return 'text-err';
  if (status >= 300) return 'text-warn';
  return 'text-fg';
}
