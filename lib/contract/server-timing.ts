// How long a call took as mcpscope's engine saw it, on the answer of POST /api/sessions/:id/rpc: a standard
// `Server-Timing` header (so browser devtools show it too) with one metric. The engine's time runs from handing the
// request to the MCP client until its answer came back: the server's time plus the wire to it, without the hop
// between the browser and mcpscope, which the browser's own round trip includes.

export const ENGINE_TIMING_METRIC = 'engine';

/** What the UI says beside the figure. */
export const ENGINE_TIMING_DESCRIPTION = "server time as seen by mcpscope's engine, excluding the browser↔mcpscope hop";

/** The `Server-Timing` value for an engine time in milliseconds. */
export function engineServerTiming(engineMs: number): string {
  return `${ENGINE_TIMING_METRIC};dur=${Math.max(0, Math.round(engineMs * 10) / 10)};desc="server time as seen by mcpscope's engine"`;
}

/** The engine's time from a `Server-Timing` value (null or absent metric: undefined). */
export function parseEngineServerTiming(value: string | null): number | undefined {
  if (!value) return undefined;
  for (const metric of value.split(',')) {
    const [name, ...params] = metric.split(';').map((part) => part.trim());
    if (name !== ENGINE_TIMING_METRIC) continue;
    for (const param of params) {
      const match = /^dur=(\d+(?:\.\d+)?)$/.exec(param);
      if (match) return Number(match[1]);
    }
  }
  return undefined;
}
