// A caller's own progress token on the wire. The SDK asks for progress with the request id as the token and
// routes progress (and resets its timeouts) by it; a person who gave their own token in `_meta.progressToken`
// expects to see theirs sent, so it replaces the SDK's going out, and each progress notification carrying it is
// translated back to the request id before the SDK sees it.
import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import type { RpcId } from './phases';

export class ProgressAliases {
  /** Caller token (as text) → the request id the SDK knows the request by. */
  private readonly requestIdByToken = new Map<string, RpcId>();

  /** The request with `token` in place of the SDK's own progress token; unchanged when the SDK asked for no progress. */
  outgoing(message: JSONRPCMessage, token: RpcId): JSONRPCMessage {
    // Told apart by shape, not by the SDK's schema guards: this runs on every message, results of megabytes included.
    if (!('method' in message) || !('id' in message)) return message;
    const meta = message.params?._meta;
    if (!meta || meta.progressToken !== message.id) return message;
    this.requestIdByToken.set(String(token), message.id);
    return { ...message, params: { ...message.params, _meta: { ...meta, progressToken: token } } };
  }

  /** A progress notification for an aliased token, re-addressed to its request id; any other message unchanged. */
  incoming(message: JSONRPCMessage): JSONRPCMessage {
    if (!('method' in message) || 'id' in message || message.method !== 'notifications/progress' || !message.params) return message;
    const token: unknown = message.params.progressToken;
    if (typeof token !== 'string' && typeof token !== 'number') return message;
    const requestId = this.requestIdByToken.get(String(token));
    if (requestId === undefined) return message;
    return { ...message, params: { ...message.params, progressToken: requestId } };
  }

  /** Forgets a caller token once its request is over. */
  release(token: RpcId): void {
    this.requestIdByToken.delete(String(token));
  }

  get size(): number {
    return this.requestIdByToken.size;
  }
}
