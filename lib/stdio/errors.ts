// Failures of a stdio server's process, with a code the API answers with and a sentence a person can act on.
import { CodedError } from '../errors';
import type { LaunchSpec } from './process';

export type StdioErrorCode =
  /** The program could not be started (not found, not executable, bad working directory). */
  | 'spawn_failed'
  /** The server process ended (on its own) while mcpscope talked to it. */
  | 'process_exited'
  | 'not_connected';

export class StdioError extends CodedError<StdioErrorCode> {
  constructor(code: StdioErrorCode, message: string, options?: { cause?: unknown }) {
    super('StdioError', code, message, options);
  }
}

/** Errors recognised by their code (lib/mcp explains them), not by which module copy made them. */
export function isStdioError(value: unknown): value is StdioError {
  return value instanceof Error && value.name === 'StdioError' && typeof (value as { code?: unknown }).code === 'string';
}

/** Why `spawn` failed, in words. */
export function spawnFailure(error: unknown, spec: LaunchSpec): StdioError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const program = JSON.stringify(spec.command);
  let message: string;
  switch (code) {
    case 'ENOENT':
      message = spec.cwd
        ? `Could not start ${program}: no such program on the PATH, or the working directory ${JSON.stringify(spec.cwd)} does not exist.`
        : `Could not start ${program}: no such program on the PATH. Give its full path, or check the spelling.`;
      break;
    case 'EACCES':
      message = `Could not start ${program}: permission denied (is it executable?).`;
      break;
    case 'ENOTDIR':
      message = `Could not start ${program}: the working directory ${JSON.stringify(spec.cwd ?? '')} is not a directory.`;
      break;
    default:
      message = `Could not start ${program}: ${error instanceof Error ? error.message : String(error)}`;
  }
  return new StdioError('spawn_failed', message, { cause: error });
}
