// Typed calls to mcpscope's own HTTP API (same origin; the httpOnly cookie carries ownership).
import type {
  ApiErrorBody,
  CancelRequestBody,
  CommandSessionRequest,
  CreateSessionRequest,
  RpcRequestBody,
  StdioAvailability,
  RpcResponseBody,
  SessionSummary,
} from '@/lib/contract';
import { parseEngineServerTiming, STDIO_LAUNCH_HEADER } from '@/lib/contract';
import type { ToolInfo } from './types';

/** A failure before an MCP server answered: bad input, a dead session, mcpscope itself unreachable. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  /** Set when the failure happened inside a session whose log can still be viewed. */
  readonly sessionId?: string;

  constructor(code: string, message: string, status: number, sessionId?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.sessionId = sessionId;
  }
}

function isApiErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== 'object' || body === null) return false;
  const error = (body as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

export async function request<T>(path: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  return (await answered<T>(path, init)).body;
}

/** `request`, with the response's headers (the body is already read). */
async function answered<T>(path: string, init?: RequestInit & { json?: unknown }): Promise<{ body: T; headers: Headers }> {
  const { json, ...rest } = init ?? {};
  let response: Response;
  try {
    response = await fetch(path, {
      ...rest,
      headers: json !== undefined ? { 'content-type': 'application/json', ...rest.headers } : rest.headers,
      body: json !== undefined ? JSON.stringify(json) : rest.body,
      credentials: 'same-origin',
    });
  } catch (error) {
    throw new ApiError(
      'network_error',
      `Could not reach the mcpscope server (${error instanceof Error ? error.message : String(error)}).`,
      0,
    );
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    if (isApiErrorBody(body)) {
      throw new ApiError(body.error.code, body.error.message, response.status, body.sessionId);
    }
    throw new ApiError(
      `http_${response.status}`,
      text.trim().slice(0, 300) || response.statusText || `HTTP ${response.status}`,
      response.status,
    );
  }
  return { body: body as T, headers: response.headers };
}

export function createSession(body: CreateSessionRequest): Promise<SessionSummary> {
  return request<SessionSummary>('/api/sessions', { method: 'POST', json: body });
}

/** Starts a local stdio server; `launchToken` comes from `getStdioAvailability` (lib/stdio/policy.ts says why). */
export function createCommandSession(body: CommandSessionRequest, launchToken: string): Promise<SessionSummary> {
  return request<SessionSummary>('/api/sessions', { method: 'POST', json: body, headers: { [STDIO_LAUNCH_HEADER]: launchToken } });
}

/** Whether this mcpscope may start local servers, and this browser's launch token. */
export function getStdioAvailability(): Promise<StdioAvailability> {
  return request<StdioAvailability>('/api/stdio');
}

export function getSession(id: string): Promise<SessionSummary> {
  return request<SessionSummary>(`/api/sessions/${encodeURIComponent(id)}`);
}

export async function deleteSession(id: string): Promise<void> {
  await request<unknown>(`/api/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** The tools listed at connect; `refresh` asks the server for tools/list again. */
export async function listTools(id: string, refresh = false): Promise<ToolInfo[]> {
  const body = await request<{ tools?: ToolInfo[]; excluded?: Record<string, string> }>(
    `/api/sessions/${encodeURIComponent(id)}/tools${refresh ? '?refresh=1' : ''}`,
  );
  const tools = Array.isArray(body?.tools) ? body.tools : [];
  const excluded = body?.excluded ?? {};
  return tools.map((tool) => (Object.hasOwn(excluded, tool.name) ? { ...tool, excluded: excluded[tool.name] } : tool));
}

/** `{result}` or the server's JSON-RPC `{error}`; anything else is thrown as an ApiError. */
export function callRpc(id: string, body: RpcRequestBody): Promise<RpcResponseBody> {
  return request<RpcResponseBody>(`/api/sessions/${encodeURIComponent(id)}/rpc`, { method: 'POST', json: body });
}

/** `callRpc`, with the engine's time for the call (its Server-Timing), when mcpscope sent one. */
export async function callRpcTimed(id: string, body: RpcRequestBody): Promise<{ body: RpcResponseBody; engineMs?: number }> {
  const answer = await answered<RpcResponseBody>(`/api/sessions/${encodeURIComponent(id)}/rpc`, { method: 'POST', json: body });
  const engineMs = parseEngineServerTiming(answer.headers.get('server-timing'));
  return engineMs === undefined ? { body: answer.body } : { body: answer.body, engineMs };
}

export async function cancelCall(id: string, body: CancelRequestBody): Promise<void> {
  await request<unknown>(`/api/sessions/${encodeURIComponent(id)}/cancel`, { method: 'POST', json: body });
}

/** `afterSeq` skips what this page already has (a reconnecting EventSource sends Last-Event-ID itself). */
export function eventsUrl(id: string, afterSeq = 0): string {
  return `/api/sessions/${encodeURIComponent(id)}/events${afterSeq > 0 ? `?after=${afterSeq}` : ''}`;
}

export function logDownloadUrl(id: string, format: 'json' | 'har' = 'json'): string {
  return `/api/sessions/${encodeURIComponent(id)}/log?format=${format}`;
}
