// Calls for the protocol features beyond tools: the server's pending requests, roots, ping, log level
// and subscriptions/listen (see DESIGN.md § HTTP API), plus a typed wrapper for plain JSON-RPC calls.
import type { LOG_LEVELS, RpcResponseBody } from '@/lib/contract';
import { ApiError, callRpc, request } from './client';
import { JsonRpcCodedError } from '@/lib/errors';

const base = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;

export type ServerRequestMethod = 'elicitation/create' | 'sampling/createMessage' | 'roots/list';

export interface PendingRequest {
  requestId: string;
  method: ServerRequestMethod;
  params: Record<string, unknown>;
  receivedAt: number;
  expiresAt: number;
  via: 'request' | 'input_required';
  rpcId: string | number;
  /** Set for a task-augmented request: the server polls the client's task for the answer. */
  task?: { taskId: string };
}

export interface PendingListBody {
  pending: PendingRequest[];
  timeoutMs: number;
}

export type PendingAnswerBody = { result: Record<string, unknown> } | { error: { code: number; message: string; data?: unknown } };

export function listPending(id: string): Promise<PendingListBody> {
  return request<PendingListBody>(`${base(id)}/pending`);
}

export function answerPending(id: string, requestId: string, body: PendingAnswerBody): Promise<{ answered: true }> {
  return request(`${base(id)}/pending/${encodeURIComponent(requestId)}`, { method: 'POST', json: body });
}

export interface RootEntry {
  uri: string;
  name?: string;
}

export interface RootsBody {
  roots: RootEntry[];
  notified?: boolean;
  notifyError?: { code: string; message: string };
}

export function getRoots(id: string): Promise<RootsBody> {
  return request<RootsBody>(`${base(id)}/roots`);
}

export function putRoots(id: string, roots: RootEntry[]): Promise<RootsBody> {
  return request<RootsBody>(`${base(id)}/roots`, { method: 'PUT', json: { roots } });
}

export type PingBody = RpcResponseBody & { latencyMs: number };

export function pingServer(id: string): Promise<PingBody> {
  return request<PingBody>(`${base(id)}/ping`, { method: 'POST' });
}

export { LOG_LEVELS } from '@/lib/contract';
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogLevelBody {
  level?: LogLevel;
  mode: 'setLevel' | 'per-request';
}

export type SetLogLevelBody = { level: LogLevel } & ({ mode: 'per-request' } | { mode: 'setLevel'; outcome: RpcResponseBody });

export function getLogLevel(id: string): Promise<LogLevelBody> {
  return request<LogLevelBody>(`${base(id)}/log-level`);
}

export function setLogLevel(id: string, level: LogLevel): Promise<SetLogLevelBody> {
  return request<SetLogLevelBody>(`${base(id)}/log-level`, { method: 'POST', json: { level } });
}

export interface ListenFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
}

export interface ListenState {
  requested: ListenFilter;
  honored: ListenFilter;
  since: number;
}

export function getListen(id: string): Promise<{ listening: ListenState | null; available: boolean }> {
  return request(`${base(id)}/listen`);
}

export function startListen(id: string, filter: ListenFilter): Promise<{ listening: ListenState }> {
  return request(`${base(id)}/listen`, { method: 'POST', json: { filter } });
}

export function stopListen(id: string): Promise<{ listening: null }> {
  return request(`${base(id)}/listen`, { method: 'DELETE' });
}

/** A JSON-RPC error from the server, thrown by `rpcResult` so callers handle one failure path. */
export class RpcError extends JsonRpcCodedError {
  constructor(code: number, message: string, data?: unknown) {
    super('RpcError', code, message, data);
  }
}

/** Sends one request and returns its result; a JSON-RPC error is thrown as `RpcError`, API failures as `ApiError`. */
/** A call's own id (the rpc body's `callId`): what its progress token and a later cancel name. */
export function newCallId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `call-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export async function rpcResult<T>(id: string, method: string, params?: Record<string, unknown>, callId?: string): Promise<T> {
  const body = await callRpc(id, { method, ...(params ? { params } : {}), ...(callId ? { callId } : {}) });
  if ('error' in body) throw new RpcError(body.error.code, body.error.message, body.error.data);
  return body.result as T;
}

/** One sentence for any failure from the API or the server. */
export function describeFailure(error: unknown): string {
  if (error instanceof RpcError) return `The server answered with JSON-RPC error ${error.code}: ${error.message}`;
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
