// What "Copy as TypeScript" needs besides the tool and its arguments: the server, the transport, and the
// headers the session sent that a script must send too (the recorded ones, secrets still masked).
import type { HeaderList, ProtocolEraName, ToolCallSnippetInput } from '@/lib/trace';

/** Headers the SDK sets itself, or that only a browser or this one session would send. */
const PROTOCOL_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'connection',
  'content-length',
  'content-type',
  'host',
  'last-event-id',
  'mcp-protocol-version',
  'mcp-session-id',
  'origin',
  'pragma',
  'referer',
  'user-agent',
]);

/** The names of the headers a script must send: credentials and custom headers, not protocol plumbing. */
export function snippetHeaderNames(headers: HeaderList, extra: readonly string[] = []): string[] {
  const names = new Set<string>();
  for (const [name] of headers) {
    const lower = name.toLowerCase();
    if (!PROTOCOL_HEADERS.has(lower) && !lower.startsWith('sec-')) names.add(lower);
  }
  for (const name of extra) names.add(name.toLowerCase());
  return [...names];
}

export type SnippetContext = Omit<ToolCallSnippetInput, 'toolName' | 'args'>;

export function snippetContext(input: {
  serverUrl: string;
  transport: ToolCallSnippetInput['transport'];
  era?: ProtocolEraName;
  /** Request headers of an MCP POST of the session, as recorded. */
  headers?: HeaderList;
  /** Header names the user set at connect (values never reach the browser). */
  headerNames?: readonly string[];
  /** stdio: the environment variable names the session set. */
  envNames?: readonly string[];
}): SnippetContext {
  const headers = input.headers ?? [];
  return {
    serverUrl: input.serverUrl,
    transport: input.transport,
    era: input.era,
    headers,
    headerNames: snippetHeaderNames(headers, input.headerNames),
    ...(input.envNames ? { envNames: input.envNames } : {}),
  };
}
