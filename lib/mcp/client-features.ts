// The client side of MCP: what mcpscope declares it can do for a server (elicitation, sampling, roots)
// and the handlers the SDK calls when a server asks. The engine does not answer anything itself: every
// request goes to a `ServerRequestAnswerer` (lib/sessions holds it for the person at the UI).
//
// Both ways a server can ask arrive here: a JSON-RPC request on a 2025-era connection, and an embedded
// input request inside an `input_required` result on a 2026-07-28 connection (the SDK's multi-round-trip
// driver dispatches those to the same registered handlers).
import type { Client, ClientCapabilities } from '@modelcontextprotocol/client';
import { CLIENT_TASKS_CAPABILITY, type TaskContext } from './client-tasks';
import { JsonRpcCodedError } from '../errors';

export type ServerRequestMethod = 'elicitation/create' | 'sampling/createMessage' | 'roots/list';

export const SERVER_REQUEST_METHODS: readonly ServerRequestMethod[] = ['elicitation/create', 'sampling/createMessage', 'roots/list'];

/**
 * What mcpscope tells servers it supports. Sampling declares tool use too, so servers that send
 * `tools`/`toolChoice` can be inspected; nothing is executed, the person writes the reply. Tasks
 * (2025-11-25) let a server send sampling and elicitation as task-augmented requests and poll for them.
 */
export const CLIENT_CAPABILITIES: ClientCapabilities = {
  elicitation: { form: {}, url: {} },
  sampling: { tools: {} },
  roots: { listChanged: true },
  tasks: CLIENT_TASKS_CAPABILITY,
  // MCP Apps (SEP-1865): mcpscope renders `ui://` views (components/apps), so servers may offer their app tools.
  extensions: { 'io.modelcontextprotocol/ui': { mimeTypes: ['text/html;profile=mcp-app'] } },
};

export interface ServerRequest {
  method: ServerRequestMethod;
  params: Record<string, unknown>;
  /** The JSON-RPC id of the server's request, or the `inputRequests` key of an embedded one. */
  rpcId: string | number;
  /** `request`: a JSON-RPC request from the server; `input_required`: embedded in a 2026-07-28 result. */
  via: 'request' | 'input_required';
  /** Aborted when the server cancels the request (or its task) or the connection ends. */
  signal: AbortSignal;
  /** Set when the server sent a task-augmented request: it got a CreateTaskResult and polls `tasks/*`. */
  task?: TaskContext;
}

/** Thrown (or rejected) by an answerer to answer the server with a JSON-RPC error. */
export class ServerRequestRejection extends JsonRpcCodedError {
  constructor(code: number, message: string, data?: unknown) {
    super('ServerRequestRejection', code, message, data);
  }
}

export interface ServerRequestAnswerer {
  /** Resolves with the result to send back; rejects with a `ServerRequestRejection` to send an error. */
  answer(request: ServerRequest): Promise<Record<string, unknown>>;
}

export interface ClientFeatures extends ServerRequestAnswerer {
  readonly capabilities: ClientCapabilities;
}

interface HandlerContext {
  mcpReq?: { id?: unknown; signal?: AbortSignal; task?: TaskContext };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Registers one handler per server request method on a client built with `features.capabilities`
 * (the SDK refuses handlers for undeclared capabilities, so both come from the same object).
 */
export function installClientFeatures(client: Client, features: ServerRequestAnswerer): void {
  for (const method of SERVER_REQUEST_METHODS) {
    const handler = async (request: { params?: unknown }, ctx: HandlerContext): Promise<Record<string, unknown>> => {
      const id = ctx?.mcpReq?.id;
      // A modern (2026-07-28) connection has no server→client request channel: whatever reaches a
      // handler there came embedded in an input_required result.
      const via = client.getProtocolEra() === 'modern' ? 'input_required' : 'request';
      const task = ctx?.mcpReq?.task;
      const answer = await features.answer({
        method,
        params: asRecord(request.params),
        rpcId: typeof id === 'string' || typeof id === 'number' ? id : '',
        via,
        signal: ctx?.mcpReq?.signal ?? new AbortController().signal,
        ...(task ? { task } : {}),
      });
      return answer;
    };
    // The SDK's handler types are keyed by method; one generic handler serves all three.
    (
      client.setRequestHandler as (
        method: string,
        handler: (request: { params?: unknown }, ctx: HandlerContext) => Promise<unknown>,
      ) => void
    )(method, handler);
  }
}
