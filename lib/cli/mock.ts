// `mcpscope mock <recording> [--port N]`: serves a recording as an MCP server on 127.0.0.1 until interrupted, so a
// bug report's share link becomes a server its authors can connect to.
import { parseArgs } from 'node:util';
import { startMock } from '../mock';
import { CliError, errorLine, EXIT, toCliError, usageError, type ExitCode } from './errors';
import type { CliIo } from './main';
import { loadRecording } from './recordings';
import { printable } from './replay';

export interface MockCommandOptions {
  /** Resolves when the mock should stop; default: SIGINT or SIGTERM. */
  until?: Promise<unknown>;
}

export async function mockCommand(argv: readonly string[], io: CliIo, options: MockCommandOptions = {}): Promise<ExitCode> {
  let source: string;
  let port: number | undefined;
  try {
    const parsed = parseArgs({ args: argv.slice(1), options: { port: { type: 'string' } }, allowPositionals: true, strict: true });
    const [recording, extra] = parsed.positionals;
    if (!recording) throw usageError('Missing the recording: mcpscope mock <file|share-url> [--port N].');
    if (extra) throw usageError(`Unexpected argument "${extra}".`);
    source = recording;
    if (parsed.values.port !== undefined) {
      port = Number(parsed.values.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw usageError(`--port must be a port number (1-65535), not "${parsed.values.port}".`);
    }
  } catch (error) {
    const cliError = error instanceof CliError ? error : usageError(error instanceof Error ? error.message : String(error));
    io.stderr.write(`${errorLine(cliError)}\n`);
    return cliError.exitCode;
  }
  try {
    const recording = await loadRecording(source);
    const mock = await startMock(recording, {
      ...(port ? { port } : {}),
      onRequest: (line) => io.stderr.write(`${printable(line)}\n`),
    }).catch((error: NodeJS.ErrnoException) => {
      throw new CliError('port_unavailable', `Could not listen on 127.0.0.1${port ? `:${port}` : ''}: ${error.message}`, EXIT.usage);
    });
    io.stdout.write(
      `Serving ${printable(source)} (${recording.requests.length} recorded requests) as an MCP server:\n` +
        `  ${mock.url}  Streamable HTTP (2025-11-25 and 2026-07-28)\n` +
        `  ${mock.sseUrl}  legacy HTTP+SSE (2024-11-05)\n` +
        `Ctrl-C stops it.\n`,
    );
    await (options.until ?? interrupted());
    await mock.close();
    return EXIT.ok;
  } catch (error) {
    const cliError = toCliError(error, { auth: 'none', stage: 'connect' });
    io.stderr.write(`${errorLine(cliError)}\n`);
    return cliError.exitCode;
  }
}

function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
