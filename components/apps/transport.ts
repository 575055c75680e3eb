// The host end of the postMessage channel to one sandbox proxy frame, recording every message that crosses it.
// Why not ext-apps' PostMessageTransport: it posts with targetOrigin "*" and checks only the source window. The
// proxy frame's content can be navigated away by the view it holds (same origin as the proxy), so messages must go
// only to the sandbox origin, and be taken only from it.
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';

export interface BridgeTap {
  /** Every JSON-RPC message, both directions, as it crossed. */
  message(direction: 'in' | 'out', message: unknown): void;
  /** mcpscope's own side channel from the proxy (`mcpscope/…`): CSP violations, non-JSON-RPC posts. */
  sideChannel(method: string, params: unknown): void;
}

export class SandboxTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private readonly listener = (event: MessageEvent) => {
    if (event.source !== this.target || event.origin !== this.origin) return;
    const data: unknown = event.data;
    if (!data || typeof data !== 'object' || (data as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
      this.tap.message('in', data);
      return;
    }
    const method = (data as { method?: unknown }).method;
    if (typeof method === 'string' && method.startsWith('mcpscope/')) {
      this.tap.sideChannel(method, (data as { params?: unknown }).params);
      return;
    }
    this.tap.message('in', data);
    this.onmessage?.(data as JSONRPCMessage);
  };

  constructor(
    private readonly target: Window,
    private readonly origin: string,
    private readonly tap: BridgeTap,
  ) {}

  async start(): Promise<void> {
    window.addEventListener('message', this.listener);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.tap.message('out', message);
    this.target.postMessage(message, this.origin);
  }

  async close(): Promise<void> {
    window.removeEventListener('message', this.listener);
    this.onclose?.();
  }
}
