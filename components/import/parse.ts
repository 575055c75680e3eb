// Reading a session file in the browser: an mcpscope JSON export or a HAR (mcpscope's own, or any tool's
// that holds MCP traffic). The file never leaves the page. Errors carry a code and a sentence.
import { fromHar, parseJsonExport, type TraceEvent, type TraceMeta } from '@/lib/trace';
import { isJsonObject } from '@/lib/json';
import { CodedError } from '@/lib/errors';

export type ImportErrorCode =
  | 'file_too_large'
  | 'unreadable_file'
  | 'invalid_json'
  | 'unknown_file'
  | 'empty_session'
  | 'invalid_export'
  | 'unsupported_export_version'
  | 'invalid_har';

export class ImportError extends CodedError<ImportErrorCode> {
  constructor(code: ImportErrorCode, message: string) {
    super('ImportError', code, message);
  }
}

export interface ImportedSession {
  name: string;
  format: 'json' | 'har';
  meta: TraceMeta;
  events: TraceEvent[];
}

/** Files bigger than this would not fit a browser tab's memory once parsed into views. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

const LIB_CODES = new Set<ImportErrorCode>(['invalid_export', 'unsupported_export_version', 'invalid_har']);

function rethrow(error: unknown): never {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && LIB_CODES.has(code as ImportErrorCode))
    throw new ImportError(code as ImportErrorCode, (error as Error).message);
  throw new ImportError('unknown_file', error instanceof Error ? error.message : String(error));
}

/** Parses the text of a dropped file; which reader applies is decided by content, the name only breaks ties. */
export function parseSessionFile(name: string, text: string): ImportedSession {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ImportError(
      'invalid_json',
      `“${name}” is not JSON (${error instanceof Error ? error.message : String(error)}). mcpscope opens .json session exports and .har files.`,
    );
  }
  let parsed: { meta: TraceMeta; events: TraceEvent[] };
  let format: ImportedSession['format'];
  try {
    if (isJsonObject(value) && 'format' in value) {
      format = 'json';
      parsed = parseJsonExport(value);
    } else if ((isJsonObject(value) && isJsonObject(value.log)) || /\.har$/i.test(name)) {
      format = 'har';
      parsed = fromHar(value);
    } else {
      throw new ImportError(
        'unknown_file',
        `“${name}” is neither an mcpscope session export (a JSON object with "format": "mcpscope-session") nor a HAR file (a JSON object with "log").`,
      );
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    rethrow(error);
  }
  // A foreign HAR with nothing in it still gets a finding saying it was imported: that alone is not a session.
  if (parsed.events.every((event) => event.kind === 'finding')) {
    throw new ImportError(
      'empty_session',
      `“${name}” holds no events${format === 'har' ? ' (no HTTP exchanges in the HAR)' : ''}: there is nothing to show.`,
    );
  }
  return { name, format, meta: parsed.meta, events: parsed.events };
}

/** Reads a `File` from a drop or a file picker and parses it. */
export async function readSessionFile(file: File): Promise<ImportedSession> {
  if (file.size > MAX_IMPORT_BYTES) {
    throw new ImportError(
      'file_too_large',
      `“${file.name}” is ${Math.round(file.size / (1024 * 1024))} MB; the largest file this page opens is ${MAX_IMPORT_BYTES / (1024 * 1024)} MB.`,
    );
  }
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    throw new ImportError(
      'unreadable_file',
      `“${file.name}” could not be read (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  return parseSessionFile(file.name, text);
}
