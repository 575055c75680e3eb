// connect(): DESIGN.md § Protocol eras. Auto mode tries Streamable HTTP with version negotiation
// (2026-07-28 stateless, else 2025 stateful), and falls back to legacy HTTP+SSE when the server does
// not speak Streamable HTTP. Every step is a phase in the session log.
import { ERA_LABELS } from '../contract';
import { maskUrl } from '../trace';
import { LiveConnection } from './connection';
import { EngineError, isEngineError } from './errors';
import { Link } from './link';
import type { ConnectOptions, McpConnection, StdioLaunch, WireTransport } from './types';
import { validateServerUrl } from './url';

export async function connect(options: ConnectOptions): Promise<McpConnection> {
  const { log } = options;
  if (options.stdio) return connectStdio(options, options.stdio);
  const connectPhase = log.beginPhase('connect', { detail: `${maskUrl(options.url, options.secrets)} (transport: ${options.transport})` });
  let url: URL;
  try {
    url = validateServerUrl(options.url);
  } catch (error) {
    const engineError = isEngineError(error) ? error : new EngineError('invalid_url', String(error));
    connectPhase.fail(engineError.toTraceError());
    throw engineError;
  }

  const deadline = Date.now() + options.connectTimeoutMs;
  const kinds: WireTransport[] = options.transport === 'auto' ? ['streamable-http', 'sse'] : [options.transport];
  let streamableFailure: { error: EngineError; reason: string } | undefined;

  for (const kind of kinds) {
    const link = new Link({
      kind,
      url,
      headers: options.headers,
      log,
      secrets: options.secrets,
      baseFetch: options.baseFetch,
      authorize: options.authorize,
      connectPhaseId: connectPhase.id,
      deadline,
      signal: options.signal,
      clientFeatures: options.clientFeatures,
    });
    try {
      await link.establish();
    } catch (raw) {
      const error = link.explain(raw);
      // A cancelled connect (the session was closed meanwhile) is not a reason to try the other transport.
      const decision =
        kinds.length > 1 && kind === 'streamable-http' && !options.signal?.aborted ? link.fallbackDecision(error) : undefined;
      if (decision?.fallback) {
        await link.abandon(error, `Not Streamable HTTP: ${decision.reason}. Trying the legacy HTTP+SSE transport next.`);
        log.finding(
          'info',
          'legacy_fallback',
          `Streamable HTTP is not available at this URL (${decision.reason}); falling back to the legacy HTTP+SSE transport.`,
          {
            phaseId: link.probePhase.id,
          },
        );
        streamableFailure = { error, reason: decision.reason };
        continue;
      }
      const final = streamableFailure ? combineFailures(streamableFailure, error) : error;
      await link.abandon(error);
      connectPhase.fail(final.toTraceError());
      throw final;
    }
    const connection = new LiveConnection(link, log, options.requestTimeoutMs, options.requestMaxMs);
    connection.announce();
    connectPhase.ok(`${ERA_LABELS[connection.era]}, protocol ${connection.protocolVersion}`);
    await connection.listInitial();
    return connection;
  }
  // Unreachable: the loop either returns or throws on its last transport.
  throw new EngineError('protocol_error', 'No transport was tried.');
}

/** A local server: start its process and run the handshake over its stdin/stdout (lib/stdio records the pipes). */
async function connectStdio(options: ConnectOptions, stdio: StdioLaunch): Promise<McpConnection> {
  const { log } = options;
  const connectPhase = log.beginPhase('connect', { detail: `${stdio.shown} (transport: stdio)` });
  const link = new Link({
    kind: 'stdio',
    stdio,
    headers: {},
    log,
    secrets: options.secrets,
    connectPhaseId: connectPhase.id,
    deadline: Date.now() + options.connectTimeoutMs,
    signal: options.signal,
    clientFeatures: options.clientFeatures,
  });
  try {
    await link.establish();
  } catch (raw) {
    const error = link.explain(raw);
    // Stops the process (its whole group): a failed handshake leaves nothing running.
    await link.abandon(error);
    connectPhase.fail(error.toTraceError());
    throw error;
  }
  const connection = new LiveConnection(link, log, options.requestTimeoutMs, options.requestMaxMs);
  connection.announce();
  connectPhase.ok(`stdio, protocol ${connection.protocolVersion}`);
  await connection.listInitial();
  return connection;
}

/** When both transports failed, one error that says what each of them found. */
export function combineFailures(streamable: { error: EngineError; reason: string }, sse: EngineError): EngineError {
  const summary = `Streamable HTTP: ${streamable.reason}. Legacy SSE: ${sse.message}`;
  if (sse.code === 'not_mcp' || streamable.error.code === 'not_mcp') {
    return new EngineError('not_mcp', `No MCP server answered at this URL with either transport. ${summary}`, { status: sse.status });
  }
  if (sse.code === 'http_error') {
    return new EngineError(
      'http_error',
      `Neither transport worked at this URL; check the path (MCP endpoints are often /mcp or /sse). ${summary}`,
      {
        status: sse.status,
      },
    );
  }
  return new EngineError(sse.code, `${sse.message} (Streamable HTTP was tried first: ${streamable.reason}.)`, { status: sse.status });
}
