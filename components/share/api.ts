// Calls to the share API and the log download, from the browser. Errors carry the API's code and message.
import type { ShareCreatedBody, ShareRequestBody, SharedSessionDocument } from '@/lib/shares/document';
import { parseJsonExport, type TraceEvent, type TraceMeta } from '@/lib/trace';
import { ApiError, request } from '../api';

// Share calls fail like every other API call: an ApiError with the API's code and message.
export { ApiError as ShareApiError };
const call = request;

export function createShareLink(sessionId: string, body: ShareRequestBody): Promise<ShareCreatedBody> {
  return call<ShareCreatedBody>(`/api/sessions/${encodeURIComponent(sessionId)}/share`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export async function deleteShareLink(shareId: string): Promise<void> {
  await call<unknown>(`/api/shares/${encodeURIComponent(shareId)}`, { method: 'DELETE' });
}

export async function fetchSharedSession(shareId: string): Promise<SharedSessionDocument> {
  const document = await call<SharedSessionDocument>(`/api/shares/${encodeURIComponent(shareId)}`);
  try {
    // The same checks as a file: a share that does not read as a session log is reported, not rendered.
    parseJsonExport(document);
  } catch (error) {
    throw new ApiError('invalid_share', error instanceof Error ? error.message : String(error), 200);
  }
  return document;
}

/** The live session's log as the server has it now (what a share or a script would be made from). */
export async function fetchSessionLog(sessionId: string): Promise<{ meta: TraceMeta; events: TraceEvent[] }> {
  const body = await call<unknown>(`/api/sessions/${encodeURIComponent(sessionId)}/log?format=json`);
  return parseJsonExport(body);
}
