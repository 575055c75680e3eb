import type { ExchangeView, StreamKind } from '../log-store';

/** How each kind of stream is named and drawn in the Traffic view. */
export const STREAMS: Record<
  StreamKind,
  {
    label: string;
    /** The badge's words in a table row, where room is short. */
    short: string;
    description: string;
    /** The colour of the row's left edge. */
    border: string;
  }
> = {
  'get-stream': {
    label: 'GET stream',
    short: 'GET stream',
    description: 'The standing GET stream: the server pushes notifications and requests here outside any call.',
    border: 'border-l-purple',
  },
  'legacy-sse': {
    label: 'legacy SSE stream',
    short: 'legacy SSE',
    description: 'The legacy HTTP+SSE stream (2024-11-05): it announced the POST endpoint and carries every server message.',
    border: 'border-l-warn',
  },
  'post-stream': {
    label: 'SSE response',
    short: 'SSE',
    description: 'A POST answered with an event stream: progress, notifications and finally the response to the request.',
    border: 'border-l-accent',
  },
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
