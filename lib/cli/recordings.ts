// Reading a recording for `mcpscope replay|diff|mock`: a session file (mcpscope JSON export or HAR) or a share
// link of an mcpscope instance (its page `/share/<id>` or the API `/api/shares/<id>`).
import fs from 'node:fs';
import { readRecordingFile, ReplayError, type Recording } from '../replay';
import { CliError, EXIT } from './errors';

/** Largest file or share read: a recording bigger than this is not one a person replays. */
export const MAX_RECORDING_BYTES = 256 * 1024 * 1024;

export async function loadRecording(source: string, fetchImpl: typeof fetch = globalThis.fetch): Promise<Recording> {
  const shareApi = shareApiUrl(source);
  let text: string;
  if (shareApi) text = await fetchShare(shareApi, source, fetchImpl);
  else {
    let size: number;
    try {
      size = fs.statSync(source).size;
    } catch (error) {
      throw new CliError(
        'recording_not_found',
        `Cannot read the recording "${source}": ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`,
        EXIT.usage,
      );
    }
    if (size > MAX_RECORDING_BYTES)
      throw new CliError(
        'recording_too_large',
        `"${source}" is ${Math.round(size / 1048576)} MB; the largest recording read is ${MAX_RECORDING_BYTES / 1048576} MB.`,
        EXIT.usage,
      );
    text = fs.readFileSync(source, 'utf8');
  }
  try {
    return readRecordingFile(text, `"${source}"`);
  } catch (error) {
    if (error instanceof ReplayError) throw new CliError(error.code, error.message, EXIT.usage, { cause: error });
    throw error;
  }
}

/** The share API URL for a share link (page or API), or undefined when `source` is not an http(s) URL. */
export function shareApiUrl(source: string): URL | undefined {
  if (!/^https?:\/\//i.test(source)) return undefined;
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    throw new CliError('usage', `"${source}" is not a valid URL.`, EXIT.usage);
  }
  const match = /^\/(?:api\/shares|share)\/([^/]+)\/?$/.exec(url.pathname);
  if (!match)
    throw new CliError('usage', `"${source}" is not a share link (…/share/<id>); give a session file or a share link.`, EXIT.usage);
  return new URL(`/api/shares/${match[1]}`, url.origin);
}

async function fetchShare(url: URL, source: string, fetchImpl: typeof fetch): Promise<string> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    throw new CliError(
      'share_unreachable',
      `Could not fetch the share link ${source}: ${error instanceof Error ? error.message : String(error)}.`,
      EXIT.connection,
      { cause: error },
    );
  }
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    let message = `HTTP ${response.status}`;
    try {
      const parsed = JSON.parse(body) as { error?: { message?: unknown } };
      if (typeof parsed.error?.message === 'string') message += `: ${parsed.error.message}`;
    } catch {
      // not JSON: the status says enough
    }
    throw new CliError('share_unavailable', `The share link ${source} answered ${message}.`, EXIT.connection);
  }
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_RECORDING_BYTES)
    throw new CliError(
      'recording_too_large',
      `The share is ${Math.round(length / 1048576)} MB; the largest recording read is ${MAX_RECORDING_BYTES / 1048576} MB.`,
      EXIT.usage,
    );
  return response.text();
}
