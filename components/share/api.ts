// Calls to the share API and the log download, from the browser. Errors carry the API's code and message.
import type { ShareCreatedBody, ShareRequestBody, SharedSessionDocument } from '@/lib/shares/document';
import { parseJsonExport, type TraceEvent, type TraceMeta } from '@/lib/trace';

export class ShareApiError extends Error {
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = 'ShareApiError';
    this.code = code;
    this.status = status;
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...init });
  } catch (error) {
    throw new ShareApiError('network_error', `Could not reach the mcpscope server (${error instanceof Error ? error.message : String(error)}).`, 0);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      throw new ShareApiError(error.code, error.message, response.status);
    }
    throw new ShareApiError(`http_${response.status}`, text.trim().slice(0, 300) || `HTTP ${response.status}`, response.status);
  }
  return body as T;
}

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
    throw new ShareApiError('invalid_share', error instanceof Error ? error.message : String(error), 200);
  }
  return document;
}

/** The live session's log as the server has it now (what a share or a script would be made from). */
export async function fetchSessionLog(sessionId: string): Promise<{ meta: TraceMeta; events: TraceEvent[] }> {
  const body = await call<unknown>(`/api/sessions/${encodeURIComponent(sessionId)}/log?format=json`);
  return parseJsonExport(body);
}
