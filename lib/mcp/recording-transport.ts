// The SDK Transport a link hands its client: one of the SDK's HTTP transports (Streamable HTTP or legacy SSE,
// whose fetch is the recording Wire) or lib/stdio's recording transport, with every JSON-RPC message in and out
// shown to the link's MessageTap on the way. The tap is where request ids meet phases, and where the few
// rewrites the inspector needs happen (a caller's progress token, a 2026 result without resultType). Wrapping
// the SDK's transport rather than patching its `send`/`onmessage` leaves the SDK's object as the SDK made it.
import type { JSONRPCMessage, MessageExtraInfo, Transport, TransportSendOptions } from '@modelcontextprotocol/client';

export interface MessageTap {
  /** A message is about to go out; what this returns is sent instead. */
  sending(message: JSONRPCMessage): JSONRPCMessage;
  /** The message went out (for HTTP: the server accepted the POST). */
  sent(message: JSONRPCMessage): void;
  /** Sending failed with `error` (which the caller still receives). */
  sendFailed(message: JSONRPCMessage, error: unknown): void;
  /** A message arrived from the server; what this returns is what the SDK client sees. */
  received(message: JSONRPCMessage): JSONRPCMessage;
}

export class RecordingTransport<Inner extends Transport = Transport> implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  constructor(
    /** The transport underneath, for what only it knows (the session id to end, the process's exit). */
    readonly inner: Inner,
    private readonly tap: MessageTap,
  ) {
    // Read at call time: the SDK sets (and, while probing the protocol era, swaps) this transport's handlers.
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
    inner.onmessage = (message, extra) => this.onmessage?.(this.tap.received(message), extra);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  get hasPerRequestStream(): boolean | undefined {
    return this.inner.hasPerRequestStream;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const outgoing = this.tap.sending(message);
    try {
      await this.inner.send(outgoing, options);
    } catch (error) {
      this.tap.sendFailed(outgoing, error);
      throw error;
    }
    this.tap.sent(outgoing);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  setSupportedProtocolVersions(versions: string[]): void {
    this.inner.setSupportedProtocolVersions?.(versions);
  }
}
