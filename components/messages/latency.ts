import { ENGINE_TIMING_DESCRIPTION } from '@/lib/contract';
import type { RpcEvent } from '@/lib/trace/types';
import { formatMs } from '../ui';

/** What a response's recorded latency measures, said where it is shown. */
export function latencyTitle(event: Pick<RpcEvent, 'direction' | 'latencyMs'>): string {
  const figure = formatMs(event.latencyMs ?? 0);
  // A response mcpscope sent answers the server's own request (elicitation, sampling, roots): the time is ours.
  return event.direction === 'in'
    ? `${figure}: ${ENGINE_TIMING_DESCRIPTION}`
    : `${figure}: how long mcpscope (and you) took to answer the server's request`;
}
