// The SDK's Transport over a local server process, recording as it goes: each JSON-RPC line in and out (a
// `stdio.line` event with its time and size, and the `rpc` events it carried), the server's stderr as its own
// capped stream, a stdout line that is not JSON-RPC as a finding, and how the process ended. The stdio
// counterpart of lib/trace's recording fetch: what the SDK client sends and receives passes through here, so
// the log holds exactly what was on the pipes.
import type { JSONRPCMessage, Transport, TransportSendOptions } from '@modelcontextprotocol/client';
import { StringDecoder } from 'node:string_decoder';
import {
  formatBytes,
  maskBodyText,
  notificationFoldFor,
  parseJsonRpcText,
  recordRpc,
  truncateUtf8,
  utf8ByteLength,
  type SecretSet,
  type TraceLog,
} from '../trace';
import type { StdioLineEvent } from '../trace/types';
import { StdioError, spawnFailure } from './errors';
import { ServerProcess, type LaunchSpec, type ProcessExit } from './process';

export interface StdioTransportOptions {
  spec: LaunchSpec;
  /** The command line as shown in the log (environment values never in it). */
  shown: string;
  log: TraceLog;
  secrets: SecretSet;
  /** The phase an outgoing message is filed under, if one is open for it. */
  phaseFor?: (message: JSONRPCMessage) => string | undefined;
  /** Longest line read from stdout (past it the line is cut and skipped). Default 8 MB. */
  maxLineBytes?: number;
  /** Most stderr text kept in the log per process. Default 256 KB. */
  maxStderrBytes?: number;
  /** Longest non-JSON-RPC line text kept. Default 64 KB. */
  maxTextBytes?: number;
}

/** stderr lines kept for "it exited; its last words were …". */
const STDERR_TAIL_LINES = 20;
/** Findings about non-JSON-RPC stdout lines per process: enough to see it, not a flood. */
const MAX_NOISE_FINDINGS = 10;

export class RecordingStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  private readonly process: ServerProcess;
  private readonly stdoutDecoder = new StringDecoder('utf8');
  private readonly stderrDecoder = new StringDecoder('utf8');
  private pendingLine = '';
  private skippingLongLine = false;
  private pendingStderr = '';
  private stderrKept = 0;
  private stderrCapNoted = false;
  private readonly tail: string[] = [];
  private noiseFindings = 0;
  private closed = false;
  private readonly maxLineBytes: number;
  private readonly maxStderrBytes: number;
  private readonly maxTextBytes: number;

  constructor(private readonly options: StdioTransportOptions) {
    this.maxLineBytes = options.maxLineBytes ?? 8 * 1024 * 1024;
    this.maxStderrBytes = options.maxStderrBytes ?? 256 * 1024;
    this.maxTextBytes = Math.min(options.maxTextBytes ?? 64 * 1024, options.log.limits.maxBodyBytes);
    this.process = new ServerProcess(options.spec, {
      stdout: (chunk) => this.onStdout(chunk),
      stderr: (chunk) => this.onStderr(chunk),
      exit: (exit) => this.onExit(exit),
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** How the process ended, once it has. */
  get exit(): ProcessExit | undefined {
    return this.process.exit;
  }

  /** The last lines the server wrote to stderr (masked). */
  get stderrTail(): readonly string[] {
    return this.tail;
  }

  async start(): Promise<void> {
    const { log, shown } = this.options;
    let pid: number;
    try {
      pid = await this.process.start();
    } catch (error) {
      const failure = spawnFailure(error, this.options.spec);
      log.append({ kind: 'stdio.process', state: 'failed', command: shown, error: failure.toTraceError() });
      throw failure;
    }
    log.append({ kind: 'stdio.process', state: 'started', command: shown, pid });
  }

  async send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    if (this.closed || this.process.exit) throw new StdioError('not_connected', this.describeGone());
    const text = JSON.stringify(message);
    this.recordLine('out', text, this.options.phaseFor?.(message));
    await this.process.write(text).catch(() => {
      throw new StdioError('process_exited', this.describeGone());
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.process.stop();
    this.onclose?.();
  }

  /** A sentence about the process being gone, with its last stderr lines. */
  describeGone(): string {
    const exit = this.process.exit;
    const how = exit ? describeExit(exit) : 'is not running';
    return `The server process ${how}.${tailSentence(this.tail)}`;
  }

  private onStdout(chunk: Buffer): void {
    let text = this.stdoutDecoder.write(chunk);
    while (text.length > 0) {
      const newline = text.indexOf('\n');
      if (newline === -1) {
        if (this.skippingLongLine) return;
        this.pendingLine += text;
        if (this.pendingLine.length > this.maxLineBytes) this.cutLongLine();
        return;
      }
      const piece = text.slice(0, newline);
      text = text.slice(newline + 1);
      if (this.skippingLongLine) {
        this.skippingLongLine = false;
        continue;
      }
      const line = this.pendingLine + piece;
      this.pendingLine = '';
      this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
    }
  }

  private cutLongLine(): void {
    const size = utf8ByteLength(this.pendingLine);
    this.recordNoise(this.pendingLine, size, true);
    this.options.log.finding(
      'error',
      'stdio_line_too_long',
      `The server wrote more than ${formatBytes(this.maxLineBytes)} on stdout without a line break; mcpscope skipped that line (MCP stdio messages are one line each).`,
    );
    this.pendingLine = '';
    this.skippingLongLine = true;
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    const { log, secrets } = this.options;
    const size = utf8ByteLength(line);
    const masked = maskBodyText(line, 'application/json', secrets);
    const rpc = parseJsonRpcText(masked);
    if (!rpc) {
      this.recordNoise(line, size, false);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // parseJsonRpcText parsed the masked text, so the line is JSON: unreachable, kept for the type checker.
      return;
    }
    const only = !rpc.batch && rpc.messages.length === 1 ? rpc.messages[0] : undefined;
    // A notification flood past the rate is counted, not kept (lib/trace/fold); the client still gets each one.
    const keep = only?.type !== 'notification' || only.method === undefined || notificationFoldFor(log).admit({ method: only.method });
    if (keep) {
      const exchangeId = log.newId('ln');
      log.append({ kind: 'stdio.line', exchangeId, direction: 'in', size });
      recordRpc(log, 'in', undefined, { exchangeId, size }, rpc);
    }
    for (const message of Array.isArray(value) ? value : [value]) this.onmessage?.(message as JSONRPCMessage);
  }

  private recordLine(direction: 'out' | 'in', text: string, phaseId: string | undefined): void {
    const { log, secrets } = this.options;
    const size = utf8ByteLength(text);
    const rpc = parseJsonRpcText(maskBodyText(text, 'application/json', secrets));
    const exchangeId = log.newId('ln');
    const event: Omit<StdioLineEvent, 'seq' | 't'> = { kind: 'stdio.line', exchangeId, direction, size };
    if (phaseId !== undefined) event.phaseId = phaseId;
    log.append(event);
    if (rpc) recordRpc(log, direction, undefined, { exchangeId, size }, rpc);
  }

  /** A stdout line that is not JSON-RPC: kept (capped) with a finding, and not given to the client. */
  private recordNoise(line: string, size: number, cut: boolean): void {
    const { log, secrets } = this.options;
    const exchangeId = log.newId('ln');
    const shown = secrets.maskText(line);
    const text = truncateUtf8(shown, this.maxTextBytes);
    const event: Omit<StdioLineEvent, 'seq' | 't'> = { kind: 'stdio.line', exchangeId, direction: 'in', size, text };
    if (cut || text.length < shown.length) event.truncated = true;
    log.append(event);
    if (cut) return;
    this.noiseFindings += 1;
    if (this.noiseFindings > MAX_NOISE_FINDINGS) return;
    const quoted = shown.length > 160 ? `${shown.slice(0, 157)}…` : shown;
    const last = this.noiseFindings === MAX_NOISE_FINDINGS ? ' Further lines like it are recorded without a finding.' : '';
    log.finding(
      'warning',
      'stdio_not_jsonrpc',
      `The server wrote a line on stdout that is not JSON-RPC: "${quoted}". On stdio, stdout carries MCP messages only; logs belong on stderr (a print or console.log to stdout is a classic cause of broken stdio servers). mcpscope skipped the line.${last}`,
      { exchangeId },
    );
  }

  private onStderr(chunk: Buffer): void {
    const text = this.pendingStderr + this.stderrDecoder.write(chunk);
    const cut = text.lastIndexOf('\n');
    // Whole lines go to the log; a partial line waits for its end (or is sent as is when it grows long).
    if (cut === -1 && text.length < 4096) {
      this.pendingStderr = text;
      return;
    }
    const whole = cut === -1 ? text : text.slice(0, cut + 1);
    this.pendingStderr = cut === -1 ? '' : text.slice(cut + 1);
    this.keepStderr(whole);
  }

  private keepStderr(text: string): void {
    if (text === '') return;
    const { log, secrets } = this.options;
    const shown = secrets.maskText(text);
    for (const line of shown.split('\n')) {
      if (line.trim() === '') continue;
      this.tail.push(line.length > 500 ? `${line.slice(0, 499)}…` : line);
      if (this.tail.length > STDERR_TAIL_LINES) this.tail.shift();
    }
    const size = utf8ByteLength(text);
    const room = this.maxStderrBytes - this.stderrKept;
    if (room <= 0) {
      if (!this.stderrCapNoted) {
        this.stderrCapNoted = true;
        log.finding(
          'info',
          'stderr_capped',
          `The server's stderr passed ${formatBytes(this.maxStderrBytes)} in this session; later output is not kept in the log (its last lines still are, if the process exits).`,
        );
      }
      return;
    }
    const kept = truncateUtf8(shown, room);
    this.stderrKept += utf8ByteLength(kept);
    log.append({ kind: 'stdio.stderr', text: kept, size, ...(kept.length < shown.length ? { truncated: true } : {}) });
  }

  private onExit(exit: ProcessExit): void {
    const { log, shown } = this.options;
    const rest = this.pendingStderr + this.stderrDecoder.end();
    this.pendingStderr = '';
    this.keepStderr(rest);
    if (this.pendingLine.trim() !== '') this.onLine(this.pendingLine);
    this.pendingLine = '';
    log.append({
      kind: 'stdio.process',
      state: 'exited',
      command: shown,
      ...(this.process.pid !== undefined ? { pid: this.process.pid } : {}),
      code: exit.code,
      signal: exit.signal,
      ...(exit.stopped ? { stopped: true } : { stderrTail: [...this.tail] }),
    });
    if (!exit.stopped) {
      log.finding('error', 'process_exited', `${this.describeGone()}`);
    }
    if (!this.closed) {
      this.closed = true;
      this.onclose?.();
    }
  }
}

export function describeExit(exit: ProcessExit): string {
  if (exit.signal) return `was ended by signal ${exit.signal}`;
  if (exit.code !== null) return `exited with code ${exit.code}`;
  return 'ended';
}

function tailSentence(tail: readonly string[]): string {
  if (tail.length === 0) return ' It wrote nothing to stderr.';
  const last = tail.slice(-5);
  return ` Its last stderr line${last.length === 1 ? '' : 's'}: ${last.map((line) => `"${line}"`).join(' / ')}`;
}
