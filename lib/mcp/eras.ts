// Era decisions as pure functions, so the rules in DESIGN.md § Protocol eras are testable on their own.
import type { ProtocolEraName } from '../trace/types';
import { describeBody, looksLikeHtml } from './errors';

export type FallbackDecision = { fallback: true; reason: string } | { fallback: false; reason: string };

/** The media type of a Content-Type value, lower case, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function isMcpContentType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type === 'application/json' || type === 'text/event-stream';
}

/**
 * Whether a Streamable HTTP attempt that ended with this response should be retried as legacy
 * HTTP+SSE. Per the spec's backwards-compatibility section a 4xx to the POST means "old transport";
 * an HTML page (any status) means nothing MCP answered there, which the legacy GET may still find.
 * Auth walls (401/403) and server errors are answers, not era signals: no fallback.
 */
export function decideFallback(status: number, contentType: string | undefined, bodySnippet: string | undefined): FallbackDecision {
  const what = describeBody(contentType, bodySnippet);
  if (status === 401) return { fallback: false, reason: 'the server wants authorization (HTTP 401)' };
  if (status === 403) return { fallback: false, reason: 'the server refused access (HTTP 403)' };
  if (status >= 400 && status < 500) {
    return {
      fallback: true,
      reason: `the POST was answered with HTTP ${status} and ${what}, so the server does not speak Streamable HTTP here`,
    };
  }
  if (status >= 500) return { fallback: false, reason: `the server failed with HTTP ${status} (${what})` };
  if (status >= 200 && status < 300) {
    if (looksLikeHtml(contentType, bodySnippet)) {
      return { fallback: true, reason: `the POST was answered with ${what} instead of JSON-RPC` };
    }
    if (!isMcpContentType(contentType)) {
      return { fallback: true, reason: `the POST was answered with ${what}, neither JSON nor an event stream` };
    }
    return { fallback: false, reason: 'the server answered the POST with MCP content' };
  }
  return { fallback: false, reason: `unexpected HTTP ${status}` };
}

/** Names the era from what the connection negotiated. */
export function decideEra(input: {
  transport: 'streamable-http' | 'sse' | 'stdio';
  sdkEra: 'modern' | 'legacy' | undefined;
}): ProtocolEraName {
  if (input.transport === 'sse') return 'legacy-sse';
  return input.sdkEra === 'modern' ? 'stateless-2026' : 'stateful-2025';
}

/** One line for the timeline saying why this era was chosen. */
export function describeEra(era: ProtocolEraName, protocolVersion: string, sessionId: string | undefined, stdio = false): string {
  // Over stdio the process is the session: no session id, no streams.
  if (stdio)
    return era === 'stateless-2026'
      ? `stdio; server/discover offered ${protocolVersion}: 2026 era, per-request _meta`
      : `stdio; initialize negotiated ${protocolVersion}`;
  switch (era) {
    case 'stateless-2026':
      return `server/discover offered ${protocolVersion}: stateless 2026 era, per-request _meta, no session`;
    case 'stateful-2025':
      return sessionId
        ? `initialize negotiated ${protocolVersion}; the server issued Mcp-Session-Id ${maskId(sessionId)}`
        : `initialize negotiated ${protocolVersion}; the server issued no Mcp-Session-Id (stateless 2025 server)`;
    case 'legacy-sse':
      return `legacy HTTP+SSE transport; initialize negotiated ${protocolVersion}`;
  }
}

function maskId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}
